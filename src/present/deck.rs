//! The slides of a review meeting, built once from a review: its numbers are those of
//! its "as of" until the presenter asks for a refresh. With redaction, owners, notes
//! and dismissal reasons never enter the deck (and, if asked, tenant names are
//! replaced by stable aliases), so no screen can show them.

use crate::report::review::{Review, Table, TenantPage};
use sha2::{Digest, Sha256};

/// What the shared screen may show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Redaction {
    /// Owners, notes and dismissal reasons hidden.
    pub people: bool,
    /// Tenant names replaced by aliases.
    pub tenants: bool,
}

/// A name's alias: the same name gets the same alias in every meeting.
pub fn alias(kind: &str, name: &str) -> String {
    let digest = Sha256::digest(name.as_bytes());
    format!("{kind}-{:02x}{:02x}", digest[0], digest[1])
}

#[derive(Clone, Debug)]
pub enum Slide {
    /// The title, the period and "as of", and the key figures.
    Figures { rows: Vec<(String, String)> },
    /// A tenant needing attention: its executive summary and its open alerts.
    Tenant(Box<TenantPage>),
    /// A table of the review (cost ROI, decisions due, triage status).
    Table(Table),
}

#[derive(Clone, Debug)]
pub struct Deck {
    pub title: String,
    pub source: String,
    pub as_of: String,
    pub slides: Vec<Slide>,
}

impl Slide {
    /// The slide's name in the agenda, the counter and `g`.
    pub fn heading(&self) -> String {
        match self {
            Slide::Figures { .. } => "Key figures".to_owned(),
            Slide::Tenant(p) => p.summary.tenant_id.clone(),
            Slide::Table(t) => t.title.clone(),
        }
    }
}

/// Replaces every tenant name in a text by its alias, longest names first so that
/// `acme-eu` is not read as `acme` followed by `-eu`.
struct Names(Vec<(String, String)>);

impl Names {
    fn of(review: &Review) -> Names {
        let mut names: Vec<String> = review
            .tenants
            .iter()
            .map(|p| p.summary.tenant_id.clone())
            .chain(review.alerts.rows.iter().map(|r| r[2].clone()))
            .chain(review.followups.rows.iter().map(|r| r[2].clone()))
            .chain(review.sections.iter().flat_map(|t| {
                let at = t.columns.iter().position(|c| *c == "Tenant");
                t.rows
                    .iter()
                    .filter_map(move |r| at.and_then(|i| r.get(i).cloned()))
            }))
            .filter(|n| !n.is_empty() && n != "—")
            .collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names.dedup();
        Names(
            names
                .into_iter()
                .map(|n| {
                    let a = alias("tenant", &n);
                    (n, a)
                })
                .collect(),
        )
    }

    fn text(&self, s: &str) -> String {
        let mut out = s.to_owned();
        for (name, alias) in &self.0 {
            if out.contains(name.as_str()) {
                out = out.replace(name.as_str(), alias);
            }
        }
        out
    }
}

/// A table with its people's columns hidden and tenant names aliased, as asked.
fn redact_table(t: &Table, r: Redaction, names: &Names) -> Table {
    let mut t = t.clone();
    for (i, col) in t.columns.iter().enumerate() {
        let people = matches!(*col, "Owner" | "Notes" | "Dismissed because");
        for row in &mut t.rows {
            let Some(cell) = row.get_mut(i) else { continue };
            if r.people && people && cell != "—" {
                *cell = if *col == "Owner" {
                    alias("owner", cell)
                } else {
                    "(hidden)".to_owned()
                };
            } else if r.tenants {
                *cell = names.text(cell);
            }
        }
    }
    if r.tenants {
        t.note = t.note.map(|n| names.text(&n));
    }
    t
}

fn redact_page(p: &TenantPage, names: &Names) -> TenantPage {
    let mut p = p.clone();
    let s = &mut p.summary;
    s.tenant_id = names.text(&s.tenant_id);
    for list in [
        &mut s.revenue_protection.directional_risk_indicators,
        &mut s.revenue_protection.strategic_recommendations,
        &mut s.cost_optimization.optimization_opportunities,
        &mut s.cost_optimization.strategic_recommendations,
        &mut s.strategic_planning.decision_patterns,
        &mut s.strategic_planning.strategic_recommendations,
    ] {
        for item in list.iter_mut() {
            *item = names.text(item);
        }
    }
    p
}

/// The agenda of a review meeting: the key figures; one slide per tenant needing
/// attention, the worst first; the cost review; the decisions due; the triage status.
pub fn build(review: &Review, r: Redaction) -> Deck {
    let names = Names::of(review);
    let table = |t: &Table| redact_table(t, r, &names);
    let mut slides = vec![Slide::Figures {
        rows: review
            .figures
            .rows
            .iter()
            .map(|row| (row[0].clone(), row[1].clone()))
            .collect(),
    }];
    for p in &review.tenants {
        let mut page = if r.tenants {
            redact_page(p, &names)
        } else {
            p.clone()
        };
        for a in &mut page.alerts {
            if r.people {
                a.owner = a.owner.as_deref().map(|o| alias("owner", o));
                a.notes.clear();
            }
            if r.tenants {
                a.id = names.text(&a.id);
                a.title = names.text(&a.title);
            }
        }
        slides.push(Slide::Tenant(Box::new(page)));
    }
    for name in ["cost_roi", "cost_opportunities", "decision_reviews_due"] {
        if let Some(t) = review.sections.iter().find(|t| t.name == name) {
            slides.push(Slide::Table(table(t)));
        }
    }
    let mut triage = table(&review.alerts);
    triage.title = "Triage status".to_owned();
    // What the team did comes first: owned, noted or moved on from new.
    let untouched = |row: &Vec<String>| row[1] == "new" && row[5] == "—" && row[6] == "—";
    triage.rows.sort_by_key(untouched);
    slides.push(Slide::Table(triage));
    slides.push(Slide::Table(table(&review.followups)));
    Deck {
        title: review.title.clone(),
        source: review.source.clone(),
        as_of: review.as_of.clone(),
        slides,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_stable_and_longest_names_go_first() {
        assert_eq!(alias("tenant", "acme"), alias("tenant", "acme"));
        assert_ne!(alias("tenant", "acme"), alias("tenant", "acme-eu"));
        let names = Names(vec![
            ("acme-eu".into(), "tenant-a".into()),
            ("acme".into(), "tenant-b".into()),
        ]);
        assert_eq!(names.text("acme-eu and acme"), "tenant-a and tenant-b");
    }
}
