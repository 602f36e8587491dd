//! HogQL fragments shared by the pane queries, and the regular expressions they bind
//! through `values`. Each mirrors one of bearing's own readers exactly on the values it
//! accepts; whatever it does not recognise is sent back raw for that reader to judge.

use crate::domain::values::{ReviewTimeframe, TIMEFRAME_MAX_N, TIMEFRAME_WORDS};
use serde_json::{Map, Value};

/// A property's text: NULL when absent or JSON null, else its JSON text (a string
/// without its quotes, escapes kept; a number or boolean as written). This is what
/// PostHog prints for `properties.x` while it has recorded no type for `x`, spelled out,
/// because `properties.x` itself is rewritten once a type is recorded (a number sent
/// once makes `toFloat(…)` of every later value; a date-like `tracking_date` makes a
/// DateTime) and read from an unescaped map under Cloud's property groups.
/// `JSONExtractRaw` on the `properties` column is never rewritten.
pub fn prop(name: &str) -> String {
    format!(
        "replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(properties, '{name}'), ''), 'null'), '^\"|\"$', '')"
    )
}

/// The tenant every pane groups by. An object or array in its place is unreadable (the
/// file reader counts it as an invalid `tenant_id`), never a tenant named after its JSON.
pub fn tenant() -> String {
    format!("if({}, NULL, {})", nested("tenant_id"), prop("tenant_id"))
}

/// Whether a property holds an object or an array, as 1 or 0.
pub fn nested(name: &str) -> String {
    format!("(JSONType(properties, '{name}') IN ('Object', 'Array'))")
}

/// What the file reader calls missing: absent, or only whitespace, which in PostHog's
/// answer may still be JSON escapes (`\t`, `\u00a0`). Rust's `char::is_whitespace`
/// set, spelled out: RE2's `\s` is ASCII only.
pub const BLANK_RE: &str = r"^(?:[\t\n\x0B\f\r\p{Z}\x{85}]|\\[tnrf]|\\u(?:000[9a-dA-D]|0020|0085|00[aA]0|1680|200[0-9aA]|202[89fF]|205[fF]|3000))*$";

/// A tracking date bearing's timestamp reader reads as the date of its first ten
/// characters: a valid calendar date from 1970 to 2139, alone or with a UTC time. Feb 29
/// and anything else is left to bearing (`tests.rs` holds the two to the same answer).
pub const DATE_RE: &str = r"^(?:19[7-9][0-9]|20[0-9][0-9]|21[0-3][0-9])-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?(?:Z|\+00:00)?)?$";

/// A review timeframe the query can read itself: plain ASCII words.
pub const PLAIN_RE: &str = r"^[A-Za-z0-9 _-]*$";

/// `x` is missing, as 1 or 0.
pub fn blank(x: &str) -> String {
    format!("if(isNull({x}), 1, match({x}, {{blank_re}}))")
}

/// `x` is a tracking date the query reads itself (NULL is not).
pub fn canonical_date(x: &str) -> String {
    format!("match(coalesce({x}, ''), {{date_re}})")
}

pub fn plain(x: &str) -> String {
    format!("match(coalesce({x}, ''), {{plain_re}})")
}

pub fn regex_values(v: &mut Map<String, Value>) {
    v.insert("blank_re".into(), BLANK_RE.into());
    v.insert("date_re".into(), DATE_RE.into());
    v.insert("plain_re".into(), PLAIN_RE.into());
}

/// `ReviewTimeframe::parse` for a plain timeframe, as two expressions: its length in
/// days, or in months (NULL when it is not that kind, or unreadable). The named
/// timeframes come from bearing's own table; `N_days`, `N_weeks`, `N_months` from the
/// same rules as the parser.
/// `n` is a column holding `N` of `N_unit` (see [`timeframe_n`]).
pub fn timeframe(tfn: &str, n: &str, v: &mut Map<String, Value>) -> (String, String) {
    let n_ok = format!("({n} >= 1 AND {n} <= {TIMEFRAME_MAX_N})");
    let mut days = Vec::new();
    let mut months = Vec::new();
    let mut seen: Vec<ReviewTimeframe> = Vec::new();
    for (_, tf) in TIMEFRAME_WORDS {
        if seen.contains(tf) {
            continue;
        }
        seen.push(*tf);
        let words: Vec<Value> = TIMEFRAME_WORDS
            .iter()
            .filter(|(_, t)| t == tf)
            .map(|(w, _)| Value::from(*w))
            .collect();
        let (name, value, list) = match tf {
            ReviewTimeframe::Days(d) => (format!("tf_days_{d}"), *d, &mut days),
            ReviewTimeframe::Months(m) => (format!("tf_months_{m}"), *m, &mut months),
        };
        list.push(format!("{tfn} IN {{{name}}}, {value}"));
        v.insert(name, Value::Array(words));
    }
    v.insert("tf_days_re".into(), "^[0-9]+_days?$".into());
    v.insert("tf_weeks_re".into(), "^[0-9]+_weeks?$".into());
    v.insert("tf_months_re".into(), "^[0-9]+_months?$".into());
    days.push(format!("match({tfn}, {{tf_days_re}}) AND {n_ok}, {n}"));
    days.push(format!("match({tfn}, {{tf_weeks_re}}) AND {n_ok}, {n} * 7"));
    months.push(format!("match({tfn}, {{tf_months_re}}) AND {n_ok}, {n}"));
    (
        format!("multiIf({}, NULL)", days.join(", ")),
        format!("multiIf({}, NULL)", months.join(", ")),
    )
}

/// The `N` of a normalised `N_unit` timeframe, or NULL.
pub fn timeframe_n(tfn: &str) -> String {
    format!("toInt(splitByChar('_', {tfn})[1])")
}

/// The normalisation `ReviewTimeframe::parse` starts with, for a plain timeframe.
pub fn normalized_timeframe(x: &str) -> String {
    format!("replaceAll(replaceAll(lower(trim(coalesce({x}, ''))), '-', '_'), ' ', '_')")
}
