//! The eight rules, as functions of an [`AlertRollup`]. Each looks at the current and
//! the previous month (monthly rules) or quarter (quarterly rules); "rising" compares
//! with the same days of the period before, as everywhere in bearing. A rule says
//! which events are its evidence by a [`Key`]; the executor that made the rollup
//! fetches them (at once from a file, on demand from PostHog).

mod monthly;
mod quarterly;

use super::rollup::{AlertRollup, Win, Windows};
use super::{AlertCandidate, AlertConfig, Evidence, Rule, Severity};
use crate::domain::period::{PeriodUnit, month_label, quarter_label};
use crate::domain::{Interner, Period, Sym};
use crate::engine::impact::Impact;
use crate::engine::rollup::Counts;

/// Which events an alert stands on: the rule, its window, the tenant (none for a
/// trend across tenants) and the subject (optimization type, vendor, event name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub rule: Rule,
    pub win: Win,
    pub tenant: Option<Sym>,
    pub subject: Option<Sym>,
}

impl Key {
    /// A tenant's alert without a subject.
    pub fn tenant(rule: Rule, win: Win, tenant: Sym) -> Key {
        Key {
            rule,
            win,
            tenant: Some(tenant),
            subject: None,
        }
    }
}

/// An alert the rules raised, with the key its evidence events are found by.
#[derive(Clone, Debug, PartialEq)]
pub struct Fired {
    pub key: Key,
    pub alert: AlertCandidate,
}

pub(super) struct Ctx<'a> {
    pub r: &'a AlertRollup,
    pub strings: &'a Interner,
    pub w: &'a Windows,
    pub dead_band: f64,
    pub cfg: &'a AlertConfig,
    pub out: Vec<Fired>,
}

pub(super) fn label(p: &Period) -> String {
    match p.unit {
        PeriodUnit::Quarter => quarter_label(p.start),
        _ => month_label(p.start),
    }
}

impl Ctx<'_> {
    pub fn shown(&self, sym: Sym) -> &str {
        crate::domain::dataset::shown(self.strings, sym)
    }

    pub fn tenant(&self, sym: Sym) -> &str {
        crate::domain::dataset::tenant_name(self.strings, sym)
    }

    pub fn is_deliverability(&self, category: Sym) -> bool {
        self.strings
            .resolve(category)
            .to_ascii_lowercase()
            .contains("deliverability")
    }

    pub fn impact(&self, ranges: &Counts<Sym>) -> Impact {
        Impact::sum(self.strings, ranges)
    }

    /// Raises an alert; its evidence events are the executor's to add.
    pub fn emit(
        &mut self,
        key: Key,
        severity: Severity,
        title: String,
        figures: Vec<(&str, String)>,
        total_events: u32,
    ) {
        let tenant = key
            .tenant
            .map_or_else(|| "all".to_owned(), |t| self.tenant(t).to_owned());
        let subject = key.subject.map(|s| self.shown(s).to_owned());
        let period = label(self.w.period(key.win));
        self.out.push(Fired {
            key,
            alert: AlertCandidate {
                id: AlertCandidate::identity(key.rule, &tenant, subject.as_deref(), &period),
                rule: key.rule,
                tenant,
                subject,
                period,
                severity,
                title,
                evidence: Evidence {
                    figures: figures
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect(),
                    events: Vec::new(),
                    total_events,
                },
            },
        });
    }
}

/// Every alert the rollup supports, for this and last month and quarter.
pub fn evaluate(
    r: &AlertRollup,
    strings: &Interner,
    w: &Windows,
    dead_band: f64,
    cfg: &AlertConfig,
) -> Vec<Fired> {
    let mut ctx = Ctx {
        r,
        strings,
        w,
        dead_band,
        cfg,
        out: Vec::new(),
    };
    for m in Win::MONTHS {
        monthly::deliverability_trend(&mut ctx, m);
        monthly::cost_opportunity(&mut ctx, m);
        monthly::decision_review_due(&mut ctx, m);
        monthly::custom_event(&mut ctx, m);
    }
    for q in Win::QUARTERS {
        quarterly::revenue_pattern(&mut ctx, q);
        quarterly::cost_roi(&mut ctx, q);
        quarterly::planning_insight(&mut ctx, q);
        quarterly::vendor_trend(&mut ctx, q);
    }
    ctx.out
}
