//! The local executor: every pane's rollup computed from a dataset in memory (demo
//! data, an exported file, an offline snapshot's events). PostHog's executor answers
//! the same questions in HogQL (`crate::posthog::queries`).

use super::EngineParams;
use super::rollup::{
    Counts, DecisionEntry, DecisionRollup, GroupRow, GroupsRollup, HealthRollup, KindCounts,
    OverviewRollup, Rollups, TenantDecisions,
};
use super::scan::Since;
use super::series::{MonthAxis, Window};
use crate::domain::values::ReviewTimeframe;
use crate::domain::{Dataset, Details, PeriodSpec, Sym, Zone};
use crate::domain::{Event, Interner};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::hash::Hash;

fn counts<K: Eq + Hash>(m: FxHashMap<K, u32>) -> Counts<K> {
    m.into_iter().collect()
}

mod parts;
#[cfg(test)]
mod parts_tests;

/// Every pane's rollup of the events held, folded in parts on a large dataset.
pub fn rollups(ds: &Dataset, params: &EngineParams) -> Rollups {
    let parts = parts::parts_for(ds.events.len());
    parts::fold_in_parts(ds, params, Keep::All, parts).finish(ds)
}

/// Which decision rows a fold keeps: all (the cockpit scrolls the whole log), or the
/// newest `n` and every one whose review is due this month (what a report prints), so
/// a file of ten million events is not held row by row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    All,
    Newest(usize),
}

/// Every pane's rollup, one event at a time: over a dataset in memory, or as a file is
/// read, without holding its events. Events must come in file order (the decision
/// log's ties keep it) and once each (retries dropped before).
pub struct PaneFold {
    today: NaiveDate,
    zone: Zone,
    axis: MonthAxis,
    window: Window,
    since: Since,
    /// The overview's 90 days, `[start, end)`.
    recent: (i64, i64),
    tenants: FxHashMap<Sym, [u32; 3]>,
    revenue_ranges: FxHashMap<Sym, u32>,
    cost_ranges: FxHashMap<Sym, u32>,
    revenue: FxHashMap<(Sym, Sym), GroupAcc>,
    cost: FxHashMap<(Sym, Sym), GroupAcc>,
    decisions: DecisionAcc,
    health: HealthRollup,
}

impl PaneFold {
    pub fn new(params: &EngineParams, keep: Keep) -> PaneFold {
        let period = params.period.resolve(params.today, params.zone);
        let recent = PeriodSpec::Trailing(90).resolve(params.today, params.zone);
        PaneFold {
            today: params.today,
            zone: params.zone,
            axis: MonthAxis::new(params.today, params.zone),
            window: Window::new(&period),
            since: Since::new(params),
            recent: (recent.start_ts(), recent.end_ts()),
            tenants: FxHashMap::default(),
            revenue_ranges: FxHashMap::default(),
            cost_ranges: FxHashMap::default(),
            revenue: FxHashMap::default(),
            cost: FxHashMap::default(),
            decisions: DecisionAcc::new(keep),
            health: HealthRollup::default(),
        }
    }

    pub fn add(&mut self, e: &Event, strings: &Interner) {
        self.overview(e);
        match &e.details {
            Details::Revenue(r) => {
                if let Some(acc) = self.group(e, r.category, true) {
                    *acc.ranges.entry(r.impact).or_default() += 1;
                    *acc.labels.entry(r.signal).or_default() += 1;
                    *acc.labels2.entry(r.follow_up).or_default() += 1;
                    *acc.priorities.entry(r.priority).or_default() += 1;
                }
            }
            Details::Cost(c) => {
                if let Some(acc) = self.group(e, c.optimization, false) {
                    *acc.ranges.entry(c.savings).or_default() += 1;
                    *acc.labels.entry(c.vendor).or_default() += 1;
                    *acc.labels2.entry(c.feasibility).or_default() += 1;
                    *acc.flags.entry(c.review_required).or_default() += 1;
                }
            }
            Details::Decision(d) => {
                let (today, zone, window) = (self.today, self.zone, self.window);
                if e.at != i64::MIN && e.at >= self.since.decisions {
                    self.decisions.add(e, d, strings, (today, zone, &window));
                }
            }
        }
        self.health(e);
    }

    fn overview(&mut self, e: &Event) {
        if e.at < self.recent.0 || e.at >= self.recent.1 {
            return;
        }
        self.tenants.entry(e.tenant).or_default()[e.kind() as usize] += 1;
        match &e.details {
            Details::Revenue(r) => *self.revenue_ranges.entry(r.impact).or_default() += 1,
            Details::Cost(c) => *self.cost_ranges.entry(c.savings).or_default() += 1,
            Details::Decision(_) => {}
        }
    }

    /// Counts the event into its (tenant, group) series; the group's facets when it
    /// falls in the period.
    fn group(&mut self, e: &Event, group: Sym, revenue: bool) -> Option<&mut GroupAcc> {
        if e.at == i64::MIN {
            return None;
        }
        let groups = if revenue {
            &mut self.revenue
        } else {
            &mut self.cost
        };
        let acc = groups.entry((e.tenant, group)).or_default();
        acc.row.last_seen = acc.row.last_seen.max(e.at);
        acc.row
            .series
            .count(e.at, &self.axis, &self.window)
            .then_some(acc)
    }

    /// Data health of the events since its cut (see `scan.rs`). An event a file gave
    /// no time is still counted: it cannot be placed before the cut, and PostHog
    /// stamps such an event with its arrival.
    fn health(&mut self, e: &Event) {
        if e.at != i64::MIN && e.at < self.since.health {
            return;
        }
        let k = &mut self.health.kinds[e.kind() as usize];
        k.total += 1;
        if e.conforms() {
            k.conforming += 1;
            return;
        }
        for bit in 0..16 {
            k.missing[bit] += u64::from(e.missing >> bit & 1);
            k.invalid[bit] += u64::from(e.invalid >> bit & 1);
        }
    }

    /// The rollups, with what the source said of its reading and its subscriptions.
    pub fn finish(self, ds: &Dataset) -> Rollups {
        Rollups {
            overview: OverviewRollup {
                tenants: self.tenants.into_iter().collect(),
                revenue_ranges: counts(self.revenue_ranges),
                cost_ranges: counts(self.cost_ranges),
                subscriptions: ds.subscriptions.clone(),
                subscriptions_left_out: 0,
            },
            revenue: groups(self.revenue),
            cost: groups(self.cost),
            decisions: self.decisions.finish(self.since.decisions),
            health: HealthRollup {
                ingest: Some(ds.ingest.clone()),
                ..self.health
            },
            // The rules' rollup is made where they run (`crate::refresh::rules`), not
            // each time the period changes.
            alerts: Default::default(),
        }
    }
}

#[derive(Default)]
struct GroupAcc {
    row: GroupRow,
    ranges: FxHashMap<Sym, u32>,
    labels: FxHashMap<Sym, u32>,
    labels2: FxHashMap<Sym, u32>,
    priorities: FxHashMap<Option<crate::domain::Priority>, u32>,
    flags: FxHashMap<Option<bool>, u32>,
}

impl GroupAcc {
    fn finish(self) -> GroupRow {
        GroupRow {
            ranges: counts(self.ranges),
            labels: counts(self.labels),
            labels2: counts(self.labels2),
            priorities: counts(self.priorities),
            flags: counts(self.flags),
            ..self.row
        }
    }
}

fn groups(groups: FxHashMap<(Sym, Sym), GroupAcc>) -> GroupsRollup {
    GroupsRollup {
        groups: groups
            .into_iter()
            .filter(|(_, a)| a.row.series.is_visible())
            .map(|((tenant, group), mut a)| {
                a.row.tenant = tenant;
                a.row.group = group;
                a.finish()
            })
            .collect(),
    }
}

/// The decision log: totals, reviews due, per-tenant counts and the rows kept.
struct DecisionAcc {
    keep: Keep,
    /// Per review timeframe, the base dates whose review falls due this month.
    timeframes: FxHashMap<Sym, Option<(NaiveDate, NaiveDate)>>,
    out: DecisionRollup,
    tenants: FxHashMap<Sym, TenantAcc>,
    /// Each row with its place among the decisions read, which breaks the log's ties.
    rows: Vec<(DecisionEntry, u64)>,
    /// Rows kept because their review is due this month, whatever their age.
    due: Vec<(DecisionEntry, u64)>,
    read: u64,
}

impl DecisionAcc {
    fn new(keep: Keep) -> DecisionAcc {
        DecisionAcc {
            keep,
            timeframes: FxHashMap::default(),
            out: DecisionRollup::default(),
            tenants: FxHashMap::default(),
            rows: Vec::new(),
            due: Vec::new(),
            read: 0,
        }
    }

    fn add(
        &mut self,
        e: &Event,
        d: &crate::domain::DecisionDetails,
        strings: &Interner,
        (today, zone, window): (NaiveDate, Zone, &Window),
    ) {
        let entry = DecisionEntry {
            at: e.at,
            uuid: e.uuid,
            tenant: e.tenant,
            category: d.category,
            maker_level: d.maker_level,
            justification: d.justification,
            outcome: d.outcome,
            timeframe: d.timeframe,
            follow_up: d.follow_up,
            tracked: e.tracked_date(),
        };
        let due_in = *self.timeframes.entry(d.timeframe).or_insert_with(|| {
            due_window(ReviewTimeframe::parse(strings.resolve(d.timeframe)), today)
        });
        let t = self.tenants.entry(e.tenant).or_default();
        self.out.total += 1;
        // As `status_of(next_review(..)) == DueThisMonth`, without the calendar sums
        // per decision (they were a fifth of the panes' time).
        let due = due_on(due_in, entry.tracked.or_else(|| zone.date_of(e.at)));
        if due {
            self.out.due_this_month += 1;
            t.due += 1;
        }
        if window.current(e.at) {
            self.out.in_period += 1;
            t.in_period += 1;
            *t.categories.entry(d.category).or_default() += 1;
            *t.levels.entry(d.maker_level).or_default() += 1;
        }
        let row = (entry, self.read);
        self.read += 1;
        match self.keep {
            Keep::All => self.rows.push(row),
            Keep::Newest(_) if due => self.due.push(row),
            Keep::Newest(n) => {
                self.rows.push(row);
                // Cut back to the newest `n` now and then: amortised, the log costs
                // twice `n` rows however many decisions the file holds.
                if self.rows.len() > n.saturating_mul(2).max(1024) {
                    newest_first(&mut self.rows);
                    self.rows.truncate(n);
                }
            }
        }
    }

    fn finish(mut self, since: i64) -> DecisionRollup {
        if let Keep::Newest(n) = self.keep {
            newest_first(&mut self.rows);
            self.rows.truncate(n);
            self.rows.append(&mut self.due);
        }
        newest_first(&mut self.rows);
        let mut out = self.out;
        out.since = since;
        out.rows = self.rows.into_iter().map(|(e, _)| e).collect();
        out.tenants = self
            .tenants
            .into_iter()
            .map(|(tenant, t)| TenantDecisions {
                tenant,
                in_period: t.in_period,
                due_this_month: t.due,
                categories: counts(t.categories),
                levels: counts(t.levels),
            })
            .collect();
        out
    }
}

/// The base dates (tracking date, else the day recorded) whose review, `tf` later,
/// falls in `today`'s month, `[lo, hi)`. Adding months moves the month by exactly that
/// many whatever the day (Jan 31 + 1 month is Feb 28), and adding days moves the
/// window by as many days.
fn due_window(tf: Option<ReviewTimeframe>, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    use chrono::{Datelike, Days, Months};
    let first = today.with_day(1)?;
    let next = first.checked_add_months(Months::new(1))?;
    match tf? {
        ReviewTimeframe::Days(n) => {
            let n = Days::new(u64::from(n));
            let lo = first.checked_sub_days(n).unwrap_or(NaiveDate::MIN);
            Some((lo, next.checked_sub_days(n)?))
        }
        ReviewTimeframe::Months(n) => {
            let hi = next.checked_sub_months(Months::new(n))?;
            let lo = first
                .checked_sub_months(Months::new(n))
                .unwrap_or(NaiveDate::MIN);
            Some((lo, hi))
        }
    }
}

/// Whether a decision of this base date is due this month, by its [`due_window`].
fn due_on(window: Option<(NaiveDate, NaiveDate)>, base: Option<NaiveDate>) -> bool {
    window
        .zip(base)
        .is_some_and(|((lo, hi), b)| lo <= b && b < hi)
}

/// In [`order`], then in the order read. The key is numbers: comparing the uuids as
/// byte arrays called `memcmp` for each pair, and this sort was a third of the panes'
/// time. A uuid's bytes read big-endian compare as the bytes do.
pub(super) fn newest_first(rows: &mut [(DecisionEntry, u64)]) {
    rows.sort_unstable_by_key(log_key);
}

/// Where a decision row, with its place among those read, goes in the log: smaller first.
fn log_key((e, i): &(DecisionEntry, u64)) -> (Reverse<i64>, Reverse<u128>, u64) {
    (Reverse(e.at), Reverse(u128::from_be_bytes(e.uuid)), *i)
}

/// The decision log's order, which PostHog's pages follow too: newest first, then the
/// highest uuid first.
pub fn order(a: &DecisionEntry, b: &DecisionEntry) -> std::cmp::Ordering {
    b.at.cmp(&a.at).then(b.uuid.cmp(&a.uuid))
}

#[derive(Default)]
struct TenantAcc {
    in_period: u32,
    due: u32,
    categories: FxHashMap<Sym, u32>,
    levels: FxHashMap<Sym, u32>,
}

impl KindCounts {
    pub fn merge(&mut self, other: &KindCounts) {
        self.total += other.total;
        self.conforming += other.conforming;
        self.unchecked += other.unchecked;
        for bit in 0..16 {
            self.missing[bit] += other.missing[bit];
            self.invalid[bit] += other.invalid[bit];
        }
    }
}

#[cfg(test)]
mod due_tests {
    use super::*;
    use crate::engine::decisions::{ReviewStatus, status_of};
    use chrono::Datelike;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// The window says "due this month" exactly when the review date, worked out
        /// as the decision log shows it, falls in today's month: month ends, leap
        /// days, long and zero timeframes.
        #[test]
        fn the_due_window_agrees_with_the_review_date(
            base in -3000i32..3000,
            today in -400i32..400,
            months in prop::option::of(0u32..40),
            days in 0u32..800,
        ) {
            let epoch = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap_or_default();
            let base = epoch + chrono::Duration::days(i64::from(base));
            let today = epoch + chrono::Duration::days(i64::from(today));
            let tf = Some(months.map_or(ReviewTimeframe::Days(days), ReviewTimeframe::Months));
            let next = tf.and_then(|tf| tf.after(base));
            let slow = status_of(next, today) == ReviewStatus::DueThisMonth;
            let fast = due_on(due_window(tf, today), Some(base));
            prop_assert_eq!(fast, slow, "{} + {:?}, today {} (day {})", base, tf, today, today.day());
        }
    }

    /// Every base day of three years against month ends, a leap day and timeframes
    /// of days and months, so each window's first and last days are met.
    #[test]
    fn every_day_around_the_window_agrees() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let tfs = [
            ReviewTimeframe::Days(0),
            ReviewTimeframe::Days(7),
            ReviewTimeframe::Days(30),
            ReviewTimeframe::Days(90),
            ReviewTimeframe::Months(0),
            ReviewTimeframe::Months(1),
            ReviewTimeframe::Months(3),
            ReviewTimeframe::Months(12),
        ];
        let mut due = 0;
        for today in [
            d(2026, 11, 28),
            d(2024, 2, 29),
            d(2026, 3, 1),
            d(2026, 12, 31),
        ] {
            for tf in tfs {
                let window = due_window(Some(tf), today);
                for offset in -800..400 {
                    let base = today + chrono::Duration::days(offset);
                    let slow = status_of(tf.after(base), today) == ReviewStatus::DueThisMonth;
                    let fast = due_on(window, Some(base));
                    assert_eq!(fast, slow, "{base} + {tf:?}, today {today}");
                    due += usize::from(slow);
                }
            }
        }
        assert!(due > 500, "the windows were met ({due} due)");
    }

    #[test]
    fn no_timeframe_is_never_due() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        assert_eq!(due_window(None, today), None);
    }
}
