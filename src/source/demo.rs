//! The built-in demo: a deterministic generator (fixed seed, dates relative to today)
//! over the world in `assets/demo-world.toml`, as messy as real tracking: odd range
//! formats, priorities in any case, booleans as `"yes"` and `1`, a few missing or
//! unreadable properties. Its records go through the same ingestion as a file's.

use super::ingest::{Ingested, Ingestor};
use super::record::{PropsField, RawEvent, RawProps, RawSubscription, Scalar};
use crate::domain::{Dataset, IngestStats, Origin};
use chrono::{Datelike, Days, NaiveDate};
use std::borrow::Cow;

mod text;
pub mod world;
pub use world::{World, world};

/// Enough for ~25 tenants over 18 months to spread across all three activity levels.
pub const DEFAULT_EVENTS: usize = 1_400;
pub const DEFAULT_SEED: u64 = 0x00be_a121_6000;
/// How far back the demo reaches.
pub const MONTHS: u32 = 18;

/// SplitMix64: tiny, fast and, unlike a library RNG, guaranteed to give the same
/// stream forever, which the snapshot tests rely on.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Index into cumulative weights.
fn weighted(rng: &mut Rng, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = rng.unit() * total;
    cumulative
        .partition_point(|c| *c <= x)
        .min(cumulative.len().saturating_sub(1))
}

fn cumulate(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    weights
        .scan(0.0, |acc, w| {
            *acc += w.max(0.0);
            Some(*acc)
        })
        .collect()
}

#[derive(Clone, Copy, Debug)]
pub struct DemoOptions {
    pub today: NaiveDate,
    pub events: usize,
    pub seed: u64,
}

impl DemoOptions {
    pub fn new(today: NaiveDate) -> DemoOptions {
        DemoOptions {
            today,
            events: DEFAULT_EVENTS,
            seed: DEFAULT_SEED,
        }
    }
}

/// Generates the demo's events lazily, so `bearing demo-data` can write millions.
pub struct Generator {
    world: &'static World,
    rng: Rng,
    remaining: usize,
    /// First day of each month, oldest first, ending with today's month.
    months: Vec<NaiveDate>,
    today: NaiveDate,
    tenant_weights: Vec<f64>,
    /// Per tenant: cumulative month weights for revenue events (trend applied) and others.
    revenue_months: Vec<Vec<f64>>,
    other_months: Vec<f64>,
    /// Per tenant, the distinct id its events carry (its id with `_` for `-`).
    distinct_ids: Vec<String>,
}

impl Generator {
    pub fn new(opts: DemoOptions) -> Generator {
        let world = world();
        let months = crate::domain::period::month_starts(opts.today, MONTHS);
        // Today's month has only happened in part.
        let days_in_month = days_in_month(opts.today);
        let elapsed = f64::from(opts.today.day()) / f64::from(days_in_month);
        let month_weight = |i: usize| if i + 1 == months.len() { elapsed } else { 1.0 };
        let last = months.len().saturating_sub(1);
        let revenue_months = world
            .tenant
            .iter()
            .map(|t| {
                cumulate((0..months.len()).map(|i| {
                    let age = (last - i).min(6) as f64;
                    month_weight(i) * t.trend.powf((6.0 - age) / 3.0)
                }))
            })
            .collect();
        let other_months = cumulate((0..months.len()).map(month_weight));
        Generator {
            world,
            rng: Rng::new(opts.seed),
            remaining: opts.events,
            tenant_weights: cumulate(world.tenant.iter().map(|t| t.weight)),
            months,
            today: opts.today,
            revenue_months,
            other_months,
            distinct_ids: world
                .tenant
                .iter()
                .map(|t| t.id.replace('-', "_"))
                .collect(),
        }
    }

    fn timestamp(&mut self, month_index: usize) -> NaiveDate {
        let start = self.months.get(month_index).copied().unwrap_or(self.today);
        let last_day = if start.year() == self.today.year() && start.month() == self.today.month() {
            self.today.day()
        } else {
            days_in_month(start)
        };
        let day = self.rng.below(last_day as usize) as u64;
        start.checked_add_days(Days::new(day)).unwrap_or(start)
    }

    fn text(&mut self, items: &'static [String]) -> Option<Scalar<'static>> {
        self.rng
            .pick(items)
            .map(|s| Scalar::Str(Cow::Borrowed(s.as_str())))
    }

    fn make(&mut self) -> RawEvent<'static> {
        let w = self.world;
        let t_index = weighted(&mut self.rng, &self.tenant_weights);
        let Some(tenant) = w.tenant.get(t_index) else {
            return RawEvent::default();
        };
        let roll = self.rng.unit();
        let kind = if roll < 0.45 {
            0
        } else if roll < 0.78 {
            1
        } else {
            2
        };
        let month = if kind == 0 {
            weighted(&mut self.rng, &self.revenue_months[t_index])
        } else {
            weighted(&mut self.rng, &self.other_months)
        };
        let recent = month + 3 >= self.months.len();
        let date = self.timestamp(month);
        let secs = self.rng.below(86_400) as u32;
        let time = text::timestamp(date, secs, self.rng.below(1000) as u32);
        let tracking = if self.rng.chance(0.1) {
            text::day(date)
        } else {
            time.clone()
        };
        let mut p = RawProps {
            tenant_id: Some(Scalar::Str(Cow::Borrowed(tenant.id.as_str()))),
            tracking_date: Some(Scalar::from(tracking)),
            ..RawProps::default()
        };
        let event = match kind {
            0 => {
                let cat = self.rng.pick(&w.revenue.categories);
                p.trend_category = cat.map(|c| Scalar::from(c.name.as_str()));
                p.directional_signal = cat
                    .and_then(|c| self.rng.pick(&c.signals))
                    .map(|s| Scalar::from(s.as_str()));
                p.approximate_impact_range = self.text(&w.revenue.impact_ranges);
                p.strategic_context = self.text(&w.revenue.contexts);
                p.follow_up_action = self.text(&w.revenue.follow_ups);
                // Rising tenants raise more urgent signals lately.
                p.strategic_priority = if recent && tenant.trend >= 1.5 && self.rng.chance(0.4) {
                    Some(Scalar::from(if self.rng.chance(0.3) {
                        "critical"
                    } else {
                        "high"
                    }))
                } else {
                    self.text(&w.revenue.priorities)
                };
                "revenue_protection_trend"
            }
            1 => {
                p.optimization_type = self.text(&w.cost.optimization_types);
                p.approximate_savings_range = self.text(&w.cost.savings_ranges);
                p.esp_vendor_context = self.text(&w.cost.vendor_contexts);
                p.implementation_feasibility = self.text(&w.cost.feasibility);
                p.strategic_review_required = Some(match self.rng.below(8) {
                    0..=2 => Scalar::Bool(true),
                    3 => Scalar::from("yes"),
                    4 => Scalar::Int(1),
                    5 => Scalar::from("true"),
                    6 => Scalar::Bool(false),
                    _ => Scalar::from("no"),
                });
                "cost_optimization_trend"
            }
            _ => {
                p.decision_category = self.text(&w.decision.categories);
                p.decision_maker_level = self.text(&w.decision.maker_levels);
                p.strategic_justification = self.text(&w.decision.justifications);
                p.expected_outcome_range = self.text(&w.decision.outcome_ranges);
                p.review_timeframe = self.text(&w.decision.timeframes);
                p.outcome_follow_up = self.text(&w.decision.follow_ups);
                // Decision tracking is the sloppiest: it misses the 95% target.
                if self.rng.chance(0.06) {
                    p.review_timeframe = None;
                }
                "strategic_decision_summary"
            }
        };
        self.mess_up(&mut p, event);
        RawEvent {
            uuid: Some(Cow::Owned(self.uuid())),
            event: Some(Cow::Borrowed(event)),
            distinct_id: self.distinct_ids.get(t_index).cloned().map(Scalar::from),
            timestamp: Some(Scalar::from(time)),
            properties: PropsField(p),
        }
    }

    /// Real tracking drops a property now and then, or sends one nobody can read.
    fn mess_up(&mut self, p: &mut RawProps<'static>, event: &str) {
        let Some(kind) = crate::domain::EventKind::from_event_name(event) else {
            return;
        };
        let names = kind.properties();
        if self.rng.chance(0.02) {
            let victim = names
                .get(self.rng.below(names.len()))
                .copied()
                .unwrap_or("");
            // Trackers drop a property, or send it empty; both count as missing.
            let empty = self.rng.chance(0.5).then(|| Scalar::from(""));
            set_prop(p, victim, empty);
        }
        if self.rng.chance(0.01) {
            let junk = match kind {
                crate::domain::EventKind::Revenue => ("strategic_priority", "asap?"),
                crate::domain::EventKind::Cost => ("approximate_savings_range", "significant"),
                crate::domain::EventKind::Decision => ("review_timeframe", "when_possible"),
            };
            set_prop(p, junk.0, Some(Scalar::from(junk.1)));
        }
    }

    fn uuid(&mut self) -> String {
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        text::uuid(a, b)
    }
}

fn set_prop(p: &mut RawProps<'static>, name: &str, value: Option<Scalar<'static>>) {
    let slot = match name {
        "tenant_id" => &mut p.tenant_id,
        "tracking_date" => &mut p.tracking_date,
        "trend_category" => &mut p.trend_category,
        "directional_signal" => &mut p.directional_signal,
        "approximate_impact_range" => &mut p.approximate_impact_range,
        "strategic_context" => &mut p.strategic_context,
        "follow_up_action" => &mut p.follow_up_action,
        "strategic_priority" => &mut p.strategic_priority,
        "optimization_type" => &mut p.optimization_type,
        "approximate_savings_range" => &mut p.approximate_savings_range,
        "esp_vendor_context" => &mut p.esp_vendor_context,
        "implementation_feasibility" => &mut p.implementation_feasibility,
        "strategic_review_required" => &mut p.strategic_review_required,
        "decision_category" => &mut p.decision_category,
        "decision_maker_level" => &mut p.decision_maker_level,
        "strategic_justification" => &mut p.strategic_justification,
        "expected_outcome_range" => &mut p.expected_outcome_range,
        "review_timeframe" => &mut p.review_timeframe,
        "outcome_follow_up" => &mut p.outcome_follow_up,
        _ => return,
    };
    *slot = value;
}

impl Iterator for Generator {
    type Item = RawEvent<'static>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        Some(self.make())
    }
}

fn days_in_month(d: NaiveDate) -> u32 {
    let first = d.with_day(1).unwrap_or(d);
    let next = crate::domain::values::next_month_start(first);
    u32::try_from((next - first).num_days()).unwrap_or(30)
}

/// The demo's subscriptions table, with billing periods relative to today.
pub fn subscriptions(today: NaiveDate) -> Vec<RawSubscription<'static>> {
    world()
        .tenant
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let day = (i as u32 * 7) % 28 + 1;
            let this_month = today.with_day(day).unwrap_or(today);
            let start = if this_month > today {
                crate::domain::period::sub_months(this_month, 1)
            } else {
                this_month
            };
            RawSubscription {
                tenant_id: Some(Scalar::from(t.id.as_str())),
                plan_name: Some(Scalar::from(t.plan.as_str())),
                status: Some(Scalar::from(t.status.as_str())),
                current_period_start: Some(Scalar::from(start.format("%Y-%m-%d").to_string())),
            }
        })
        .collect()
}

/// The demo dataset the cockpit starts on.
pub fn dataset(opts: DemoOptions) -> Dataset {
    let mut ing = Ingestor::default();
    let mut events = Vec::with_capacity(opts.events);
    let mut stats = IngestStats::default();
    for raw in Generator::new(opts) {
        stats.lines += 1;
        match ing.ingest(&raw) {
            Ingested::Event(e) => events.push(e),
            Ingested::Other | Ingested::Custom(_) => stats.other_events += 1,
            Ingested::Broken(reason) => stats.add_broken(stats.lines, reason),
        }
    }
    let subscriptions = subscriptions(opts.today)
        .iter()
        .filter_map(|s| ing.subscription(s))
        .collect();
    stats.untimed += ing.stats.untimed;
    Dataset {
        origin: Origin::Demo,
        events,
        strings: ing.strings,
        subscriptions: Some(subscriptions),
        ingest: stats,
        custom: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn the_embedded_world_parses() {
        let w: World = toml::from_str(world::WORLD_TOML).unwrap();
        assert_eq!(w.tenant.len(), 25);
        assert!(w.tenant.iter().all(|t| t.weight > 0.0));
    }

    #[test]
    fn deterministic_for_a_seed_and_date() {
        let a: Vec<_> = Generator::new(DemoOptions::new(today())).take(50).collect();
        let b: Vec<_> = Generator::new(DemoOptions::new(today())).take(50).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn spans_eighteen_months_up_to_today_and_is_messy() {
        let d = dataset(DemoOptions::new(today()));
        assert_eq!(d.events.len(), DEFAULT_EVENTS);
        let min = d.events.iter().map(|e| e.at).min().unwrap();
        let max = d.events.iter().map(|e| e.at).max().unwrap();
        let end = crate::domain::values::utc_midnight(today().succ_opt().unwrap());
        assert!(max < end, "no event after today");
        assert!(
            min >= crate::domain::values::utc_midnight(
                NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
            )
        );
        let bad = d.events.iter().filter(|e| !e.conforms()).count();
        assert!(bad > 0 && bad < d.events.len() / 10, "{bad} non-conforming");
        let tenants: std::collections::HashSet<_> = d.events.iter().map(|e| e.tenant).collect();
        assert!(tenants.len() >= 24);
    }
}
