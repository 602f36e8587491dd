//! The eight rules. Each looks at the current and the previous month (monthly rules)
//! or quarter (quarterly rules); "rising" compares with the period of the same length
//! before, as everywhere in bearing.

mod monthly;
mod quarterly;

use super::{
    AlertCandidate, AlertConfig, EVIDENCE_EVENTS, Evidence, EvidenceEvent, Rule, Severity,
};
use crate::domain::period::{PeriodUnit, month_label, quarter_label};
use crate::domain::{Dataset, Details, Event, Period, PeriodSpec, Priority, Sym, Zone};
use crate::engine::impact::RangeCache;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

/// Which alert: rule, tenant, subject and period make its identity.
pub(super) struct Where<'p> {
    pub rule: Rule,
    pub tenant: Sym,
    pub subject: Option<&'p str>,
    pub period: &'p Period,
}

pub(super) struct Ctx<'a> {
    pub ds: &'a Dataset,
    pub today: NaiveDate,
    /// The zone an event's day and a period's bounds are in.
    pub zone: Zone,
    pub dead_band: f64,
    pub cfg: &'a AlertConfig,
    pub cache: RangeCache,
    pub deliverability: FxHashMap<Sym, bool>,
    pub out: Vec<AlertCandidate>,
}

pub(super) fn label(p: &Period) -> String {
    match p.unit {
        PeriodUnit::Quarter => quarter_label(p.start),
        _ => month_label(p.start),
    }
}

pub(super) fn in_period(e: &Event, p: &Period) -> bool {
    e.at != i64::MIN && p.contains(e.at)
}

impl Ctx<'_> {
    pub fn emit(&mut self, at: Where, severity: Severity, title: String, evidence: Evidence) {
        let Where {
            rule,
            tenant,
            subject,
            period,
        } = at;
        let tenant = self.ds.tenant(tenant).to_owned();
        let period = label(period);
        self.out.push(AlertCandidate {
            id: AlertCandidate::identity(rule, &tenant, subject, &period),
            rule,
            tenant,
            subject: subject.map(str::to_owned),
            period,
            severity,
            title,
            evidence,
        });
    }

    pub fn evidence(&self, mut events: Vec<&Event>, figures: Vec<(&str, String)>) -> Evidence {
        events.sort_by_key(|e| std::cmp::Reverse(e.at));
        let total = u32::try_from(events.len()).unwrap_or(u32::MAX);
        Evidence {
            figures: figures
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            events: events
                .into_iter()
                .take(EVIDENCE_EVENTS)
                .map(|e| describe(self.ds, self.zone, e))
                .collect(),
            total_events: total,
        }
    }

    pub fn is_deliverability(&mut self, category: Sym) -> bool {
        let ds = self.ds;
        *self.deliverability.entry(category).or_insert_with(|| {
            ds.resolve(category)
                .to_ascii_lowercase()
                .contains("deliverability")
        })
    }

    pub fn impact(&mut self, sym: Sym) -> crate::domain::RangeParse {
        self.cache.get(&self.ds.strings, sym)
    }
}

/// One line of evidence: what the event said.
fn describe(ds: &Dataset, zone: Zone, e: &Event) -> EvidenceEvent {
    let s = |sym| ds.shown(sym);
    let summary = match &e.details {
        Details::Revenue(r) => format!(
            "{} · {} · impact {} · priority {}",
            s(r.signal),
            s(r.category),
            s(r.impact),
            r.priority.map_or("—", Priority::name)
        ),
        Details::Cost(c) => format!(
            "{} · savings {} · {} · review {}",
            s(c.optimization),
            s(c.savings),
            s(c.vendor),
            c.review_required
                .map_or("—", |b| if b { "required" } else { "not required" })
        ),
        Details::Decision(d) => format!(
            "{} · {} level · outcome {} · review {}",
            s(d.category),
            s(d.maker_level),
            s(d.outcome),
            s(d.timeframe)
        ),
    };
    EvidenceEvent {
        uuid: e.uuid_string(),
        date: zone.date_of(e.at),
        event: e.kind().event_name().to_owned(),
        summary,
    }
}

pub fn evaluate(
    ds: &Dataset,
    today: NaiveDate,
    zone: Zone,
    dead_band: f64,
    cfg: &AlertConfig,
) -> Vec<AlertCandidate> {
    let mut ctx = Ctx {
        ds,
        today,
        zone,
        dead_band,
        cfg,
        cache: RangeCache::default(),
        deliverability: FxHashMap::default(),
        out: Vec::new(),
    };
    let months = [
        PeriodSpec::ThisMonth.resolve(today, zone),
        PeriodSpec::LastMonth.resolve(today, zone),
    ];
    let quarters = [
        PeriodSpec::ThisQuarter.resolve(today, zone),
        PeriodSpec::LastQuarter.resolve(today, zone),
    ];
    for m in &months {
        monthly::deliverability_trend(&mut ctx, m);
        monthly::cost_opportunity(&mut ctx, m);
        monthly::decision_review_due(&mut ctx, m);
        monthly::custom_event(&mut ctx, m);
    }
    for q in &quarters {
        quarterly::revenue_pattern(&mut ctx, q);
        quarterly::cost_roi(&mut ctx, q);
        quarterly::planning_insight(&mut ctx, q);
        quarterly::vendor_trend(&mut ctx, q);
    }
    ctx.out
}
