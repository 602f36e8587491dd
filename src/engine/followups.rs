//! Follow-ups that events ask for (the process tasks of the review cycles): revenue signals whose
//! `follow_up_action` asks for a process or strategic review, cost opportunities with
//! `strategic_review_required`, and decisions with an `outcome_follow_up` whose review
//! falls in the month. One process task per tenant, kind and month, due at the next
//! review of its cadence (the decisions' outcome reviews are listed by the
//! `decision_review_due` alert of the same month).

use crate::domain::values::Cadence;
use crate::domain::{Dataset, Interner, Sym, Zone};
use crate::engine::alerts::rollup::{AlertRollup, Win, Windows};
use crate::engine::trends::FOLLOW_UP_ACTIONS;
use crate::triage::snooze::{next_monthly_review, next_quarterly_review};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// Follow-ups for the current and the previous month, from the alert rollup (so a
/// file and PostHog ask for the same ones).
pub fn from_rollup(r: &AlertRollup, strings: &Interner, w: &Windows) -> Vec<FollowUpCandidate> {
    // (tenant, kind, month start) → count
    let mut groups: BTreeMap<(Sym, &'static str, NaiveDate), u32> = BTreeMap::new();
    for win in Win::MONTHS {
        let month = w.period(win).start;
        for ((cw, tenant, _), cell) in &r.revenue {
            let n: u32 = cell
                .follow_ups
                .iter()
                .filter(|(s, _)| FOLLOW_UP_ACTIONS.contains(&strings.resolve(*s)))
                .map(|(_, n)| n)
                .sum();
            if *cw == win && n > 0 {
                *groups.entry((*tenant, "revenue", month)).or_default() += n;
            }
        }
        for ((cw, tenant, _, review), cell) in &r.cost {
            if *cw == win && *review == Some(true) && cell.count > 0 {
                *groups.entry((*tenant, "cost", month)).or_default() += cell.count;
            }
        }
    }
    // Decisions whose outcome review falls due last month or this one and that ask for
    // a follow-up: one task per tenant and month, as for signals.
    for (due, cell) in &r.due {
        if cell.count > 0 && !no_follow_up(strings.resolve(due.follow_up)) {
            *groups
                .entry((due.tenant, "decision", due.month))
                .or_default() += cell.count;
        }
    }
    let tenant_name = |t: Sym| crate::domain::dataset::tenant_name(strings, t).to_owned();
    let mut out: Vec<FollowUpCandidate> = groups
        .into_iter()
        .map(|((tenant, kind, month), n)| {
            let tenant = tenant_name(tenant);
            let label = month.format("%Y-%m");
            let s = if n == 1 { "" } else { "s" };
            let (title, cadence) = match kind {
                "revenue" => (
                    format!("Process review: {n} revenue signal{s} ({label})"),
                    Cadence::Monthly,
                ),
                "decision" => (
                    format!("Outcome review: {n} decision{s} due ({label})"),
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
            FollowUpCandidate {
                id: format!("{kind}:{tenant}:{label}"),
                origin: "events".into(),
                alert_id: None,
                tenant,
                title,
                cadence,
                due: due_after(cadence, month),
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// Follow-ups from a dataset in memory.
pub fn from_events(ds: &Dataset, today: NaiveDate, zone: Zone) -> Vec<FollowUpCandidate> {
    let w = Windows::new(today, zone);
    from_rollup(
        &crate::engine::alerts::local::rollup(ds, &w),
        &ds.strings,
        &w,
    )
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
