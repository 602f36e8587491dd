//! A review as Markdown: headings, GitHub-flavoured tables (which GitHub, GitLab,
//! VS Code and pandoc all render as tables) and the tenants' executive summaries.
//! Every outside string is escaped so it can neither break a table nor become markup.

use super::review::{Review, Table, TenantPage};
use std::io::{self, Write};

/// Text from the data, made safe in a table cell and in running text: terminal
/// controls (line breaks too) shown as escapes, as everywhere in bearing, so a cell
/// stays on its row; Markdown's punctuation escaped.
pub fn escape(s: &str) -> String {
    let clean = crate::domain::sanitize::sanitize(s);
    let mut out = String::with_capacity(clean.len());
    let chars: Vec<char> = clean.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // An underscore inside a word (`churn_risk_directional`) is never emphasis in
        // CommonMark; one at a word's edge could be.
        let inside = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        if c == '_' && inside(i.checked_sub(1)) && inside(Some(i + 1)) {
            out.push(c);
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn table(w: &mut dyn Write, t: &Table) -> io::Result<()> {
    writeln!(w, "### {}\n", escape(&t.title))?;
    if let Some(note) = &t.note {
        writeln!(w, "{}\n", escape(note))?;
    }
    if t.rows.is_empty() {
        return writeln!(w, "_None in this period._\n");
    }
    let head: Vec<String> = t.columns.iter().map(|c| escape(c)).collect();
    writeln!(w, "| {} |", head.join(" | "))?;
    let rule: Vec<&str> = t
        .numeric
        .iter()
        .map(|&n| if n { "---:" } else { "---" })
        .collect();
    writeln!(w, "| {} |", rule.join(" | "))?;
    for row in &t.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| if c.is_empty() { " ".into() } else { escape(c) })
            .collect();
        writeln!(w, "| {} |", cells.join(" | "))?;
    }
    writeln!(w)
}

fn bullets(w: &mut dyn Write, items: &[String], none: &str) -> io::Result<()> {
    if items.is_empty() {
        return writeln!(w, "- {none}");
    }
    for i in items {
        writeln!(w, "- {}", escape(i))?;
    }
    Ok(())
}

fn page(w: &mut dyn Write, p: &TenantPage) -> io::Result<()> {
    let s = &p.summary;
    writeln!(w, "### {}\n", escape(&s.tenant_id))?;
    writeln!(
        w,
        "{} open alerts · {} open follow-ups · {}\n",
        p.open_alerts,
        p.open_followups,
        escape(&s.timeframe)
    )?;
    let yes = |b: bool| if b { "yes" } else { "no" };
    let rp = &s.revenue_protection;
    writeln!(
        w,
        "**Revenue protection** — {}; follow-up required: {}\n",
        escape(&rp.approximate_impact),
        yes(rp.process_follow_up_required)
    )?;
    bullets(
        w,
        &rp.directional_risk_indicators,
        "no risk indicators in this period",
    )?;
    writeln!(w, "\nRecommendations:\n")?;
    bullets(w, &rp.strategic_recommendations, "none")?;
    let co = &s.cost_optimization;
    writeln!(
        w,
        "\n**Cost optimization** — {}; follow-up required: {}\n",
        escape(&co.approximate_savings),
        yes(co.process_follow_up_required)
    )?;
    bullets(
        w,
        &co.optimization_opportunities,
        "no opportunities in this period",
    )?;
    writeln!(w, "\nRecommendations:\n")?;
    bullets(w, &co.strategic_recommendations, "none")?;
    let sp = &s.strategic_planning;
    writeln!(
        w,
        "\n**Strategic planning** — {} decisions tracked; follow-up required: {}\n",
        sp.decisions_tracked,
        yes(sp.process_follow_up_required)
    )?;
    bullets(w, &sp.decision_patterns, "no decisions in this period")?;
    writeln!(w, "\nRecommendations:\n")?;
    bullets(w, &sp.strategic_recommendations, "none")?;
    writeln!(w)
}

pub fn write(w: &mut dyn Write, r: &Review) -> io::Result<()> {
    writeln!(w, "# {}\n", escape(&r.title))?;
    writeln!(w, "{}\n", escape(&r.byline()))?;
    writeln!(
        w,
        "Directional insight for review, not accounting figures: impacts and savings are the ranges the events report, summed.\n"
    )?;
    writeln!(w, "## Summary\n")?;
    table(w, &r.figures)?;
    writeln!(w, "## {}\n", r.template.title())?;
    for t in &r.sections {
        table(w, t)?;
    }
    writeln!(w, "## Tenants needing attention\n")?;
    if r.tenants.is_empty() {
        writeln!(w, "_None in this period._\n")?;
    }
    for p in &r.tenants {
        page(w, p)?;
    }
    writeln!(w, "## Triage\n")?;
    table(w, &r.alerts)?;
    table(w, &r.followups)?;
    writeln!(w, "## Data health\n")?;
    table(w, &r.health)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn outside_text_can_neither_break_a_table_nor_become_markup() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<script>x</script>"), "\\<script\\>x\\</script\\>");
        assert_eq!(
            escape("**bold** [link](x)"),
            "\\*\\*bold\\*\\* \\[link\\](x)"
        );
        // Rendered, the cell reads `two\nlines`, on its row.
        assert_eq!(escape("two\nlines"), "two\\\\nlines");
        assert_eq!(escape("bell\u{7}"), "bell\\\\x07");
        assert_eq!(escape("churn_risk_directional"), "churn_risk_directional");
        assert_eq!(escape("_em_ x_"), "\\_em\\_ x\\_");
    }
}
