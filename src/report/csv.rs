//! A review's tables as CSV (RFC 4180): a header row, every field quoted when it holds
//! a comma, a quote or a line break, CRLF line ends. A cell a spreadsheet would run as
//! a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
//! neutralised with a leading `'`, as OWASP advises for CSV injection; a number such
//! as `-3` stays a number. Terminal controls are shown as escapes, as everywhere.

use super::review::Table;
use std::io::{self, Write};

/// A cell as it is safe to hand to a spreadsheet.
pub fn neutralise(s: &str) -> String {
    let clean = crate::domain::sanitize::sanitize(s);
    let risky = clean
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && clean.parse::<f64>().is_err() {
        format!("'{clean}")
    } else {
        clean.into_owned()
    }
}

fn field(s: &str) -> String {
    // A dash stands for "none" on screens and in Markdown; a spreadsheet wants an
    // empty cell.
    if s == "—" {
        return String::new();
    }
    let s = neutralise(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn write(w: &mut dyn Write, t: &Table) -> io::Result<()> {
    let head: Vec<String> = t.columns.iter().map(|c| field(c)).collect();
    write!(w, "{}\r\n", head.join(","))?;
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| field(c)).collect();
        write!(w, "{}\r\n", cells.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1+1"), "'+1+1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-3"), "-3");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("plain"), "plain");
    }
}
