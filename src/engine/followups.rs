//! Follow-ups that events ask for (the process tasks of the review cycles): revenue signals whose
//! `follow_up_action` asks for a process or strategic review, cost opportunities with
//! `strategic_review_required`, and decisions with an `outcome_follow_up` whose review
//! falls in the month. One process task per tenant, kind and month, due at the next
//! review of its cadence.

use crate::domain::period::first_of_month;
use crate::domain::values::{Cadence, ReviewTimeframe, next_month_start};
use crate::domain::{Dataset, Details, PeriodSpec, Sym, Zone};
use crate::engine::trends::FOLLOW_UP_ACTIONS;
use crate::triage::snooze::{next_monthly_review, next_quarterly_review};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpCandidate {
    pub id: String,
    /// `events`, or `alert` for one made from an alert.
    pub origin: String,
    pub alert_id: Option<String>,
    pub tenant: String,
    pub title: String,
    pub cadence: Cadence,
    pub due: NaiveDate,
}

/// The review a task of this cadence is due at, for something that happened on `day`.
pub fn due_after(cadence: Cadence, day: NaiveDate) -> NaiveDate {
    match cadence {
        Cadence::Monthly => next_monthly_review(day),
        Cadence::Quarterly => next_quarterly_review(day),
    }
}

fn no_follow_up(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "" | "none" | "no" | "false" | "n/a"
    )
}

/// Follow-ups for the current and the previous month.
pub fn from_events(ds: &Dataset, today: NaiveDate, zone: Zone) -> Vec<FollowUpCandidate> {
    let months = [
        PeriodSpec::ThisMonth.resolve(today, zone),
        PeriodSpec::LastMonth.resolve(today, zone),
    ];
    let follow_up: Vec<Sym> = FOLLOW_UP_ACTIONS
        .iter()
        .filter_map(|a| ds.strings.get(a))
        .collect();
    // (tenant, kind, month start) → count
    let mut groups: FxHashMap<(Sym, &'static str, NaiveDate), u32> = FxHashMap::default();
    let mut out = Vec::new();
    for e in &ds.events {
        if e.at == i64::MIN {
            continue;
        }
        match &e.details {
            Details::Revenue(r) if follow_up.contains(&r.follow_up) => {
                if let Some(m) = months.iter().find(|m| m.contains(e.at)) {
                    *groups.entry((e.tenant, "revenue", m.start)).or_default() += 1;
                }
            }
            Details::Cost(c) if c.review_required == Some(true) => {
                if let Some(m) = months.iter().find(|m| m.contains(e.at)) {
                    *groups.entry((e.tenant, "cost", m.start)).or_default() += 1;
                }
            }
            Details::Decision(d) if !no_follow_up(ds.resolve(d.follow_up)) => {
                let made = e.tracked_date().or_else(|| zone.date_of(e.at));
                let tf = ReviewTimeframe::parse(ds.resolve(d.timeframe));
                let Some((made, review)) =
                    made.zip(tf).and_then(|(m, tf)| tf.after(m).map(|r| (m, r)))
                else {
                    continue;
                };
                let this_month = first_of_month(today);
                if review < first_of_month(months[1].start)
                    || review >= next_month_start(this_month)
                {
                    continue;
                }
                let key = e.uuid_string().map_or_else(
                    || format!("{}@{made}", ds.shown(d.category)),
                    |u| u[..8].to_owned(),
                );
                out.push(FollowUpCandidate {
                    id: format!("decision:{}:{key}", ds.tenant(e.tenant)),
                    origin: "events".into(),
                    alert_id: None,
                    tenant: ds.tenant(e.tenant).to_owned(),
                    title: format!(
                        "Outcome review: {} (decided {made}, {})",
                        ds.shown(d.category),
                        ds.shown(d.follow_up)
                    ),
                    cadence: Cadence::Monthly,
                    due: next_monthly_review(review),
                });
            }
            _ => {}
        }
    }
    for ((tenant, kind, month), n) in groups {
        let tenant = ds.tenant(tenant).to_owned();
        let label = month.format("%Y-%m");
        let (title, cadence) = match kind {
            "revenue" => (
                format!(
                    "Process review: {n} revenue signal{} ({label})",
                    if n == 1 { "" } else { "s" }
                ),
                Cadence::Monthly,
            ),
            _ => (
                format!(
                    "Strategic review: {n} cost opportunit{} ({label})",
                    if n == 1 { "y" } else { "ies" }
                ),
                Cadence::Quarterly,
            ),
        };
        out.push(FollowUpCandidate {
            id: format!("{kind}:{tenant}:{label}"),
            origin: "events".into(),
            alert_id: None,
            tenant,
            title,
            cadence,
            due: due_after(cadence, month),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_asks_for_a_manageable_number_of_follow_ups() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let ds = crate::source::demo::dataset(crate::source::demo::DemoOptions::new(today));
        let f = from_events(&ds, today, crate::domain::Zone::UTC);
        assert!(f.len() > 10 && f.len() < 150, "{}", f.len());
        let r = f
            .iter()
            .find(|f| f.id.starts_with("revenue:northwind-mail:2026-11"))
            .unwrap();
        assert_eq!(r.due, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let c = f.iter().find(|f| f.id.starts_with("cost:")).unwrap();
        assert_eq!(c.cadence, Cadence::Quarterly);
        assert!(f.iter().any(|f| f.id.starts_with("decision:")));
    }
}
