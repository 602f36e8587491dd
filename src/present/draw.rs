//! Drawing a slide: a title bar with the slide counter, the slide, and a footer with
//! the keys and the "as of" the numbers stand at. Key figures are drawn in large type
//! where the terminal has room for every one of them, else as plain lines that wrap;
//! never cut.

use super::deck::{Deck, Slide};
use super::{Presenter, Prompt};
use crate::config::theme::Theme;
use crate::report::review::{Table, TenantPage, split_figure};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Sparkline, Table as TableWidget, Wrap};
use tui_big_text::{BigText, PixelSize};

pub fn draw(f: &mut Frame, p: &Presenter, theme: &Theme) {
    let area = f.area();
    f.render_widget(Block::default().style(theme.base()), area);
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let deck = &p.deck;
    let slide = &deck.slides[p.at];
    let counter = format!(" {}/{} ", p.at + 1, deck.slides.len());
    let title = Line::from(vec![
        Span::styled(
            format!(" {} ", deck.title),
            theme.accent().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("· {}", slide.heading()), theme.base()),
    ]);
    f.render_widget(Paragraph::new(vec![title, Line::raw("")]), top);
    let right = Rect {
        x: top.x + top.width.saturating_sub(counter.len() as u16),
        width: (counter.len() as u16).min(top.width),
        height: 1,
        ..top
    };
    f.render_widget(
        Paragraph::new(Span::styled(counter, theme.selection())),
        right,
    );
    let body = body.inner(ratatui::layout::Margin::new(2, 0));
    match slide {
        Slide::Figures { rows } => figures(f, body, rows, deck, theme),
        Slide::Tenant(page) => tenant(f, body, (page, p), theme),
        Slide::Table(t) => table(f, body, t, theme),
    }
    let footer = match &p.prompt {
        Some(Prompt::Goto(text)) => format!(" go to tenant: {text}▏ (enter goes, esc cancels)"),
        Some(Prompt::Note { title, text, .. }) => note_prompt(title, text, bottom.width),
        None => match p.presenter {
            // The presenter's view: what comes next and how long the meeting has run.
            Some(start) => {
                let secs = start.elapsed().as_secs();
                let next = deck
                    .slides
                    .get(p.at + 1)
                    .map_or_else(|| "the end".to_owned(), |s| s.heading());
                format!(
                    " PRESENTER · {:02}:{:02} elapsed · next: {next} · → ← drive the room   {}",
                    secs / 60,
                    secs % 60,
                    p.said.clone().unwrap_or_default()
                )
            }
            None => format!(
                " → next  ← back  g go to tenant  R refresh  q quit   {}",
                p.said
                    .clone()
                    .unwrap_or_else(|| format!("as of {}", deck.as_of))
            ),
        },
    };
    f.render_widget(Paragraph::new(Span::styled(footer, theme.muted())), bottom);
}

/// The note being typed, always with its end and the cursor in view: the alert's
/// title and the keys give way first, then the start of a long note.
pub(super) fn note_prompt(title: &str, text: &str, width: u16) -> String {
    let width = usize::from(width);
    let full = format!(" note on {title}: {text}▏ (enter records, esc cancels)");
    if full.chars().count() <= width {
        return full;
    }
    let bare = format!(" note: {text}▏");
    let len = bare.chars().count();
    if len <= width {
        return bare;
    }
    let tail: String = text.chars().skip(len - width + 1).collect();
    format!(" note: …{tail}▏")
}

/// Large type needs four rows and four columns a character; only when every figure
/// fits, so no figure is ever cut.
fn figures(f: &mut Frame, area: Rect, rows: &[(String, String)], deck: &Deck, theme: &Theme) {
    let head = vec![
        Line::styled(deck.source.clone(), theme.muted()),
        Line::styled(format!("as of {}", deck.as_of), theme.muted()),
        Line::raw(""),
    ];
    let big: Vec<&(String, String)> = rows.iter().take(4).collect();
    // Large type has no en dash.
    let headline = |v: &str| split_figure(v).0.replace('–', "-");
    let widest = big
        .iter()
        .map(|(_, v)| headline(v).chars().count())
        .max()
        .unwrap_or(0);
    let need_rows = 3 + big.len() as u16 * 6 + (rows.len() - big.len()) as u16;
    let roomy = area.width as usize >= widest * 4 + 30 && area.height >= need_rows;
    let [h, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(area);
    f.render_widget(Paragraph::new(head), h);
    if !roomy {
        let lines: Vec<Line> = rows
            .iter()
            .map(|(k, v)| {
                Line::from(vec![
                    Span::styled(format!("{k}: "), theme.muted()),
                    Span::styled(v.clone(), theme.accent().add_modifier(Modifier::BOLD)),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
        return;
    }
    let mut y = rest.y;
    for (k, v) in &big {
        let label = Rect {
            y,
            height: 1,
            ..rest
        };
        f.render_widget(
            Paragraph::new(Span::styled(k.clone(), theme.muted())),
            label,
        );
        let text = BigText::builder()
            .pixel_size(PixelSize::Quadrant)
            .style(theme.accent().add_modifier(Modifier::BOLD))
            .lines(vec![Line::raw(headline(v))])
            .build();
        f.render_widget(
            text,
            Rect {
                y: y + 1,
                height: 4,
                ..rest
            },
        );
        let detail = split_figure(v).1;
        if !detail.is_empty() {
            let at = Rect {
                y: y + 5,
                height: 1,
                ..rest
            };
            f.render_widget(Paragraph::new(Span::styled(detail, theme.muted())), at);
        }
        y += 6;
    }
    let lines: Vec<Line> = rows
        .iter()
        .skip(big.len())
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(format!("{k}: "), theme.muted()),
                Span::styled(v.clone(), theme.accent().add_modifier(Modifier::BOLD)),
            ])
        })
        .collect();
    let at = Rect {
        y,
        height: rest.bottom().saturating_sub(y),
        ..rest
    };
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), at);
}

/// A tenant's open alerts, each with its triage where the screen may show it; the
/// picked one marked where notes can be taken. As many as leave room for the summary.
fn alert_list(f: &mut Frame, area: Rect, (page, p): (&TenantPage, &Presenter), theme: &Theme) {
    let room = area.height.saturating_sub(1) as usize;
    // Scrolled so the picked alert is always in view.
    let first = (p.pick + 1).saturating_sub(room);
    let count = page.alerts.len();
    let shown = if count > room {
        format!("{} to {} of {count}", first + 1, (first + room).min(count))
    } else {
        count.to_string()
    };
    let keys = if p.notes_here {
        " · ↑↓ pick · n note · f follow-up"
    } else {
        ""
    };
    let mut lines = vec![Line::styled(
        format!("Open alerts ({shown}){keys}"),
        theme.accent().add_modifier(Modifier::BOLD),
    )];
    for (i, a) in page.alerts.iter().enumerate().skip(first).take(room) {
        let marker = if p.notes_here && i == p.pick {
            "▶ "
        } else {
            "  "
        };
        let mut spans = vec![
            Span::raw(marker),
            Span::styled(format!("{:<8} ", a.severity), theme.warn()),
            Span::styled(format!("{:<12} ", a.state), theme.muted()),
            Span::raw(a.title.clone()),
        ];
        if let Some(o) = &a.owner {
            spans.push(Span::styled(format!(" · owner {o}"), theme.muted()));
        }
        if let Some(n) = a.notes.last() {
            spans.push(Span::styled(format!(" · note: {n}"), theme.muted()));
        }
        if a.followup.is_some() {
            spans.push(Span::styled(" · follow-up made", theme.good()));
        }
        // The picked row takes the selection's colours whole: a warning's yellow on
        // the selection's background cannot be read on every theme.
        if p.notes_here && i == p.pick {
            for span in &mut spans {
                span.style = theme.selection();
            }
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn tenant(f: &mut Frame, area: Rect, (p, meeting): (&TenantPage, &Presenter), theme: &Theme) {
    let s = &p.summary;
    let money = |(low, high): (f64, f64)| {
        crate::domain::range::format_range(low, high, crate::domain::range::Unit::Dollars)
    };
    // The alerts take at most a third of a short screen, six of a tall one.
    let cap = if area.height < 30 { 3 } else { 6 };
    let listed = if p.alerts.is_empty() {
        0
    } else {
        p.alerts.len().min(cap) as u16 + 2
    };
    let [head, spark, alerts, rest] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Length(listed),
        Constraint::Min(1),
    ])
    .areas(area);
    if listed > 0 {
        let list = Rect {
            height: listed - 1,
            ..alerts
        };
        alert_list(f, list, (p, meeting), theme);
    }
    let headline = Line::from(vec![
        Span::styled(
            format!("{} open alerts", p.open_alerts),
            theme.warn().add_modifier(Modifier::BOLD),
        ),
        Span::raw(format!(" · {} open follow-ups · ", p.open_followups)),
        Span::styled(format!("at risk {}", money(p.at_risk)), theme.bad()),
        Span::raw(" · "),
        Span::styled(format!("savings {}", money(p.savings)), theme.good()),
    ]);
    f.render_widget(
        Paragraph::new(vec![headline]).wrap(Wrap { trim: false }),
        head,
    );
    let data: Vec<u64> = p.monthly.iter().map(|&n| u64::from(n)).collect();
    let width = (data.len() as u16 * 3).min(spark.width);
    f.render_widget(
        Sparkline::default()
            .block(
                Block::default()
                    .borders(Borders::NONE)
                    .title("revenue signals, 12 months"),
            )
            .data(&data)
            .style(theme.accent()),
        Rect { width, ..spark },
    );
    let yes = |b: bool| {
        if b {
            "follow-up required"
        } else {
            "no follow-up"
        }
    };
    let mut lines = Vec::new();
    let mut part = |title: String, items: &[String], recs: &[String]| {
        lines.push(Line::styled(
            title,
            theme.accent().add_modifier(Modifier::BOLD),
        ));
        for i in items.iter().take(4) {
            lines.push(Line::raw(format!("  • {i}")));
        }
        for r in recs.iter().take(2) {
            lines.push(Line::styled(format!("  → {r}"), theme.muted()));
        }
    };
    let rp = &s.revenue_protection;
    part(
        format!(
            "Revenue protection · {} · {}",
            rp.approximate_impact,
            yes(rp.process_follow_up_required)
        ),
        &rp.directional_risk_indicators,
        &rp.strategic_recommendations,
    );
    let co = &s.cost_optimization;
    part(
        format!(
            "Cost optimization · {} · {}",
            co.approximate_savings,
            yes(co.process_follow_up_required)
        ),
        &co.optimization_opportunities,
        &co.strategic_recommendations,
    );
    let sp = &s.strategic_planning;
    part(
        format!(
            "Strategic planning · {} decisions · {}",
            sp.decisions_tracked,
            yes(sp.process_follow_up_required)
        ),
        &sp.decision_patterns,
        &sp.strategic_recommendations,
    );
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
}

fn table(f: &mut Frame, area: Rect, t: &Table, theme: &Theme) {
    let [note, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let shown = (body.height as usize).saturating_sub(2);
    let more = t.rows.len().saturating_sub(shown);
    let mut text = t.note.clone().unwrap_or_default();
    if more > 0 {
        text.push_str(&format!(
            " ({} rows, the first {shown} shown)",
            t.rows.len()
        ));
    }
    if t.rows.is_empty() {
        text = "None in this period.".to_owned();
    }
    f.render_widget(Paragraph::new(Span::styled(text, theme.muted())), note);
    let widths: Vec<Constraint> = t
        .columns
        .iter()
        .map(|c| match *c {
            "Severity" => Constraint::Length(8),
            "State" | "Status" | "Period" => Constraint::Length(9),
            "Due" | "Decided" | "Review on" => Constraint::Length(10),
            "Owner" => Constraint::Length(14),
            "Alert" | "Finding" | "Follow-up" => Constraint::Fill(3),
            _ => Constraint::Fill(1),
        })
        .collect();
    let header = Row::new(t.columns.iter().map(|c| c.to_string()))
        .style(theme.accent().add_modifier(Modifier::BOLD));
    let rows = t.rows.iter().take(shown).map(|r| Row::new(r.clone()));
    f.render_widget(
        TableWidget::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .style(Style::default()),
        body,
    );
}
