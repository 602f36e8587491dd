//! The alert rollup and the evidence events from a dataset in memory (demo data, an
//! exported file). PostHog's executor answers the same two questions in HogQL
//! (`crate::posthog::queries::alerts`).

use super::rollup::{AlertRollup, CostCell, CostKey, Due, DueCell, RevenueCell, Win, Windows};
use super::rules::Key;
use super::{EVIDENCE_EVENTS, EvidenceEvent, Rule};
use crate::domain::period::first_of_month;
use crate::domain::values::ReviewTimeframe;
use crate::domain::{
    CustomEvent, Dataset, Details, Event, EventKind, Interner, Priority, Sym, Zone,
};
use crate::engine::rollup::bump;
use chrono::Datelike;
use rustc_hash::{FxHashMap, FxHashSet};

/// Every count the rules read, in one pass over the events.
pub fn rollup(ds: &Dataset, w: &Windows) -> AlertRollup {
    let mut fold = AlertFold::new(w);
    for e in &ds.events {
        fold.add(e, &ds.strings);
    }
    fold.finish(&ds.custom)
}

/// The rules' counts, one event at a time: over a dataset in memory, or as a file is
/// read without holding its events.
pub struct AlertFold {
    w: Windows,
    reach: i64,
    revenue: FxHashMap<(Win, Sym, Sym), RevenueCell>,
    cost: FxHashMap<CostKey, CostCell>,
    decisions: FxHashMap<(Win, Sym, Sym), u32>,
    due: FxHashMap<Due, DueCell>,
    timeframes: FxHashMap<Sym, Option<ReviewTimeframe>>,
}

impl AlertFold {
    pub fn new(w: &Windows) -> AlertFold {
        AlertFold {
            w: w.clone(),
            reach: crate::engine::scan::decision_reach(w.today, w.zone),
            revenue: FxHashMap::default(),
            cost: FxHashMap::default(),
            decisions: FxHashMap::default(),
            due: FxHashMap::default(),
            timeframes: FxHashMap::default(),
        }
    }

    pub fn add(&mut self, e: &Event, strings: &Interner) {
        let w = &self.w;
        if e.at == i64::MIN {
            return;
        }
        match &e.details {
            Details::Revenue(r) => {
                let mut wins = w.of(e.at).peekable();
                // The month once per event, and only for one in some window.
                let month = wins.peek().and_then(|_| w.zone.date_of(e.at));
                let month = month.map(|d| (d.month0() % 3) as usize);
                for win in wins {
                    let c = self.revenue.entry((win, e.tenant, r.category)).or_default();
                    c.count += 1;
                    if let Some(m) = month {
                        c.months[m] += 1;
                    }
                    if win.is_reviewed() {
                        bump(&mut c.impacts, r.impact, 1);
                        bump(&mut c.priorities, r.priority, 1);
                        bump(&mut c.follow_ups, r.follow_up, 1);
                    }
                }
            }
            Details::Cost(k) => {
                for win in w.of(e.at) {
                    let key = (win, e.tenant, k.optimization, k.review_required);
                    let c = self.cost.entry(key).or_default();
                    c.count += 1;
                    if win.is_reviewed() {
                        bump(&mut c.savings, k.savings, 1);
                    }
                    bump(&mut c.vendors, k.vendor, 1);
                }
            }
            Details::Decision(d) => {
                for win in w.of(e.at) {
                    *self
                        .decisions
                        .entry((win, e.tenant, d.category))
                        .or_default() += 1;
                }
                if e.at < self.reach {
                    return;
                }
                let tf = *self
                    .timeframes
                    .entry(d.timeframe)
                    .or_insert_with(|| ReviewTimeframe::parse(strings.resolve(d.timeframe)));
                let made = e.tracked_date().or_else(|| w.zone.date_of(e.at));
                let Some(review) = made.zip(tf).and_then(|(m, tf)| tf.after(m)) else {
                    return;
                };
                let (due_from, due_to) = w.due_span();
                if review >= due_from && review < due_to {
                    let key = Due {
                        tenant: e.tenant,
                        month: first_of_month(review),
                        category: d.category,
                        level: d.maker_level,
                        follow_up: d.follow_up,
                    };
                    let cell = DueCell::one(review, w.today);
                    self.due
                        .entry(key)
                        .and_modify(|c| c.add(cell))
                        .or_insert(cell);
                }
            }
        }
    }

    /// The rollup, with the watched custom events counted.
    pub fn finish(self, custom_events: &[CustomEvent]) -> AlertRollup {
        let mut custom: FxHashMap<(Win, Sym, Sym), u32> = FxHashMap::default();
        for c in custom_events {
            for win in self.w.of(c.at) {
                *custom.entry((win, c.tenant, c.name)).or_default() += 1;
            }
        }
        AlertRollup {
            revenue: self.revenue.into_iter().collect(),
            cost: self.cost.into_iter().collect(),
            decisions: self.decisions.into_iter().collect(),
            due: self.due.into_iter().collect(),
            due_unchecked: 0,
            custom: custom.into_iter().collect(),
            ..AlertRollup::default()
        }
    }
}

/// The evidence events of each key asked for: the newest [`EVIDENCE_EVENTS`], in one
/// pass over the events.
pub fn evidence(ds: &Dataset, w: &Windows, keys: &[Key]) -> FxHashMap<Key, Vec<EvidenceEvent>> {
    evidence_upto(ds, w, keys, EVIDENCE_EVENTS)
}

/// [`evidence`], the newest `per` events of each key (a further page of them).
pub fn evidence_upto(
    ds: &Dataset,
    w: &Windows,
    keys: &[Key],
    per: usize,
) -> FxHashMap<Key, Vec<EvidenceEvent>> {
    let wanted: FxHashSet<Key> = keys.iter().copied().collect();
    let mut fold = EvidenceFold::new(w, Some(wanted), per);
    for e in &ds.events {
        fold.add(e, &ds.strings);
    }
    fold.finish(&ds.strings, &ds.custom, keys)
}

/// The newest `per` events of every key (or of the keys wanted), one event at a time:
/// a file's evidence is gathered as it is read, for whichever alerts the rules then
/// raise, since its events are not held to be read again.
pub struct EvidenceFold {
    w: Windows,
    reach: i64,
    wanted: Option<FxHashSet<Key>>,
    per: usize,
    found: FxHashMap<Key, Vec<Event>>,
    /// Whether a trend category is about deliverability, and a timeframe's reading,
    /// once per distinct value rather than once per event.
    deliverability: FxHashMap<Sym, bool>,
    timeframes: FxHashMap<Sym, Option<ReviewTimeframe>>,
    scratch: Vec<Key>,
}

impl EvidenceFold {
    pub fn new(w: &Windows, wanted: Option<FxHashSet<Key>>, per: usize) -> EvidenceFold {
        EvidenceFold {
            w: w.clone(),
            reach: crate::engine::scan::decision_reach(w.today, w.zone),
            wanted,
            per,
            found: FxHashMap::default(),
            deliverability: FxHashMap::default(),
            timeframes: FxHashMap::default(),
            scratch: Vec::new(),
        }
    }

    pub fn add(&mut self, e: &Event, strings: &Interner) {
        if e.at == i64::MIN {
            return;
        }
        let mut keys = std::mem::take(&mut self.scratch);
        keys.clear();
        self.keys_of(e, strings, &mut keys);
        if let Some(m) = self.due_month(e, strings) {
            keys.push(Key {
                rule: Rule::DecisionReviewDue,
                win: m,
                tenant: Some(e.tenant),
                subject: None,
            });
        }
        for k in &keys {
            if self.wanted.as_ref().is_some_and(|w| !w.contains(k)) {
                continue;
            }
            let events = self.found.entry(*k).or_default();
            events.push(*e);
            // Cut back to the newest `per` now and then (a stable sort keeps file
            // order among equals, so the cut keeps what sorting all would).
            if events.len() >= self.per.saturating_mul(2).max(64) {
                newest_first(events);
                events.truncate(self.per);
            }
        }
        self.scratch = keys;
    }

    /// The keys an event is evidence for, given the rule's own filters.
    fn keys_of(&mut self, e: &Event, strings: &Interner, out: &mut Vec<Key>) {
        let key = |rule, win, tenant, subject| Key {
            rule,
            win,
            tenant,
            subject,
        };
        for win in self.w.of(e.at) {
            let month = Win::MONTHS.contains(&win);
            let quarter = Win::QUARTERS.contains(&win);
            match &e.details {
                Details::Revenue(r) => {
                    let deliverability =
                        *self.deliverability.entry(r.category).or_insert_with(|| {
                            strings
                                .resolve(r.category)
                                .to_ascii_lowercase()
                                .contains("deliverability")
                        });
                    if month && deliverability {
                        out.push(key(Rule::DeliverabilityTrend, win, Some(e.tenant), None));
                    }
                    if quarter {
                        out.push(key(Rule::RevenuePattern, win, Some(e.tenant), None));
                    }
                }
                Details::Cost(c) => {
                    if month && c.review_required == Some(true) {
                        let subject = Some(c.optimization);
                        out.push(key(Rule::CostOpportunity, win, Some(e.tenant), subject));
                    }
                    if quarter {
                        out.push(key(Rule::CostRoi, win, Some(e.tenant), None));
                        if !c.vendor.is_empty() {
                            out.push(key(Rule::VendorTrend, win, None, Some(c.vendor)));
                        }
                    }
                }
                Details::Decision(_) => {
                    if quarter {
                        out.push(key(Rule::PlanningInsight, win, Some(e.tenant), None));
                    }
                }
            }
        }
    }

    /// The month a decision's review falls due in, when it is one the rules look at.
    fn due_month(&mut self, e: &Event, strings: &Interner) -> Option<Win> {
        let Details::Decision(d) = &e.details else {
            return None;
        };
        if e.at < self.reach {
            return None;
        }
        let made = e.tracked_date().or_else(|| self.w.zone.date_of(e.at))?;
        let tf = *self
            .timeframes
            .entry(d.timeframe)
            .or_insert_with(|| ReviewTimeframe::parse(strings.resolve(d.timeframe)));
        let review = tf?.after(made)?;
        Win::MONTHS.into_iter().find(|m| {
            let start = self.w.period(*m).start;
            review >= start && review < crate::domain::values::next_month_start(start)
        })
    }

    /// The evidence of each key in `keys`, newest first, described.
    pub fn finish(
        mut self,
        strings: &Interner,
        custom: &[CustomEvent],
        keys: &[Key],
    ) -> FxHashMap<Key, Vec<EvidenceEvent>> {
        let wanted: FxHashSet<Key> = keys.iter().copied().collect();
        let mut out: FxHashMap<Key, Vec<EvidenceEvent>> = FxHashMap::default();
        for k in keys {
            let Some(mut events) = self.found.remove(k) else {
                continue;
            };
            newest_first(&mut events);
            let shown = events
                .iter()
                .take(self.per)
                .map(|e| describe(strings, self.w.zone, e))
                .collect();
            out.insert(*k, shown);
        }
        custom_evidence(strings, custom, &self.w, &wanted, self.per, &mut out);
        out
    }
}

/// Newest first; one instant's events by uuid, highest first, as PostHog orders them.
pub fn newest_first(events: &mut [Event]) {
    events.sort_by_key(|e| std::cmp::Reverse((e.at, e.uuid)));
}

fn custom_evidence(
    strings: &Interner,
    custom: &[CustomEvent],
    w: &Windows,
    wanted: &rustc_hash::FxHashSet<Key>,
    per: usize,
    out: &mut FxHashMap<Key, Vec<EvidenceEvent>>,
) {
    let mut times: FxHashMap<Key, Vec<i64>> = FxHashMap::default();
    for c in custom {
        for win in w.of(c.at) {
            let k = Key {
                rule: Rule::CustomEvent,
                win,
                tenant: Some(c.tenant),
                subject: Some(c.name),
            };
            if wanted.contains(&k) {
                times.entry(k).or_default().push(c.at);
            }
        }
    }
    for (k, mut t) in times {
        t.sort_unstable_by(|a, b| b.cmp(a));
        let name =
            crate::domain::dataset::shown(strings, k.subject.unwrap_or(Sym::EMPTY)).to_owned();
        let shown = t
            .iter()
            .take(per)
            .map(|at| EvidenceEvent {
                uuid: None,
                date: w.zone.date_of(*at),
                event: name.clone(),
                summary: String::new(),
            })
            .collect();
        out.insert(k, shown);
    }
}

/// One line of evidence: what the event said.
pub fn describe(strings: &Interner, zone: Zone, e: &Event) -> EvidenceEvent {
    let s = |sym| crate::domain::dataset::shown(strings, sym);
    let fields = match &e.details {
        Details::Revenue(r) => [
            s(r.signal),
            s(r.category),
            s(r.impact),
            r.priority.map_or("—", Priority::name),
        ],
        Details::Cost(c) => [
            s(c.optimization),
            s(c.savings),
            s(c.vendor),
            review_word(c.review_required),
        ],
        Details::Decision(d) => [
            s(d.category),
            s(d.maker_level),
            s(d.outcome),
            s(d.timeframe),
        ],
    };
    EvidenceEvent {
        uuid: e.uuid_string(),
        date: zone.date_of(e.at),
        event: e.kind().event_name().to_owned(),
        summary: summary(e.kind(), fields),
    }
}

/// `strategic_review_required` as the evidence says it.
pub fn review_word(flag: Option<bool>) -> &'static str {
    flag.map_or("—", |b| if b { "required" } else { "not required" })
}

/// An evidence line from an event's four shown fields: signal, category, impact and
/// priority; optimization, savings, vendor and review; category, level, outcome and
/// review timeframe.
pub fn summary(kind: EventKind, [a, b, c, d]: [&str; 4]) -> String {
    match kind {
        EventKind::Revenue => format!("{a} · {b} · impact {c} · priority {d}"),
        EventKind::Cost => format!("{a} · savings {b} · {c} · review {d}"),
        EventKind::Decision => format!("{a} · {b} level · outcome {c} · review {d}"),
    }
}
