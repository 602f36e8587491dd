//! Turning a raw record into an [`Event`]: sanitise every string once, intern it, and
//! note which properties are missing or unreadable. Shared by the file reader and the
//! demo generator, so demo data goes through exactly the path real data does.

use super::record::{RawEvent, RawProps, RawSubscription, Scalar};
use crate::domain::event::parse_uuid;
use crate::domain::range::{RangeParse, parse_range};
use crate::domain::sanitize::sanitize;
use crate::domain::values::{Priority, ReviewTimeframe, parse_bool, parse_timestamp};
use crate::domain::{
    CostDetails, CustomEvent, DecisionDetails, Details, Event, EventKind, IngestStats, Interner,
    RevenueDetails, Subscription, Sym, intern::Recent,
};
use rustc_hash::FxHashMap;

/// The result of reading one record.
pub enum Ingested {
    Event(Event),
    /// A well-formed event that is not one of the three strategic events.
    Other,
    /// An event the config asks bearing to watch.
    Custom(CustomEvent),
    /// Not an event at all; the reason is shown in data health.
    Broken(&'static str),
}

/// Per-worker state: the strings seen so far and what their parses came to.
#[derive(Default)]
pub struct Ingestor {
    pub strings: Interner,
    pub stats: IngestStats,
    /// Custom event names to keep (the `custom_event` rule); others are only counted.
    pub watch: Vec<String>,
    /// The watched custom events read so far.
    pub custom: Vec<CustomEvent>,
    recent: Recent,
    valid_range: FxHashMap<Sym, bool>,
    valid_timeframe: FxHashMap<Sym, bool>,
}

/// A property by its name and value: read from its field, not looked up by name among
/// nineteen (a string match per property per event); the name is for its bit.
type Prop<'a> = (&'static str, Option<&'a Scalar<'a>>);

macro_rules! prop {
    ($props:expr, $name:ident) => {
        (stringify!($name), $props.$name.as_ref())
    };
}

/// Collects one event's properties, missing and invalid bits.
struct Fields<'p, 'i> {
    kind: EventKind,
    props: &'p RawProps<'p>,
    ing: &'i mut Ingestor,
    missing: u16,
    invalid: u16,
}

impl Fields<'_, '_> {
    fn text(&mut self, (name, value): Prop) -> Sym {
        match value.and_then(Scalar::text) {
            Some(t) => self.ing.clean(&t),
            None => {
                self.missing |= self.kind.bit(name);
                Sym::EMPTY
            }
        }
    }

    /// The tenant is what every pane groups by, so an object or array in its place is
    /// unreadable, never a tenant: as text they would all become one shared tenant.
    fn tenant(&mut self) -> Sym {
        if matches!(self.props.tenant_id, Some(Scalar::Nested)) {
            self.flag_invalid("tenant_id", false);
            return Sym::EMPTY;
        }
        self.text(("tenant_id", self.props.tenant_id.as_ref()))
    }

    fn range(&mut self, p: Prop) -> Sym {
        let name = p.0;
        let sym = self.text(p);
        if !sym.is_empty() {
            let strings = &self.ing.strings;
            let ok = *self
                .ing
                .valid_range
                .entry(sym)
                .or_insert_with(|| parse_range(strings.resolve(sym)) != RangeParse::Invalid);
            self.flag_invalid(name, ok);
        }
        sym
    }

    fn timeframe(&mut self, p: Prop) -> Sym {
        let name = p.0;
        let sym = self.text(p);
        if !sym.is_empty() {
            let strings = &self.ing.strings;
            let ok = *self
                .ing
                .valid_timeframe
                .entry(sym)
                .or_insert_with(|| ReviewTimeframe::parse(strings.resolve(sym)).is_some());
            self.flag_invalid(name, ok);
        }
        sym
    }

    fn priority(&mut self, (name, value): Prop) -> Option<Priority> {
        let value = value.and_then(Scalar::text);
        match value {
            None => {
                self.missing |= self.kind.bit(name);
                None
            }
            Some(t) => {
                let p = Priority::parse(&t);
                self.flag_invalid(name, p.is_some());
                p
            }
        }
    }

    fn boolean(&mut self, (name, value): Prop) -> Option<bool> {
        let value = match value {
            Some(Scalar::Bool(b)) => Some(Some(*b)),
            Some(s) => s.text().map(|t| parse_bool(&t)),
            None => None,
        };
        match value {
            None => {
                self.missing |= self.kind.bit(name);
                None
            }
            Some(b) => {
                self.flag_invalid(name, b.is_some());
                b
            }
        }
    }

    fn date(&mut self, (name, value): Prop) -> Option<i64> {
        let value = value.and_then(Scalar::text);
        match value {
            None => {
                self.missing |= self.kind.bit(name);
                None
            }
            Some(t) => {
                let ts = parse_timestamp(&t);
                self.flag_invalid(name, ts.is_some());
                ts
            }
        }
    }

    fn flag_invalid(&mut self, name: &str, ok: bool) {
        if !ok {
            self.invalid |= self.kind.bit(name);
        }
    }
}

impl Ingestor {
    /// A value's symbol. The interner holds only sanitised strings, and sanitising is
    /// idempotent (`sanitize` tests it), so a value already there is its own sanitised
    /// form: it is looked up as read, and sanitised only when new (the scan was a
    /// twentieth of reading a file, for values that repeat by the million).
    fn clean(&mut self, t: &str) -> Sym {
        if let Some(sym) = self.recent.get(&self.strings, t) {
            return sym;
        }
        let sym = match self.strings.get(t) {
            Some(sym) => sym,
            None => self.strings.intern(&sanitize(t)),
        };
        self.recent.note(t, sym);
        sym
    }

    /// Continues interning into strings already in use (a dataset's).
    pub fn with_strings(strings: Interner) -> Ingestor {
        Ingestor {
            strings,
            ..Ingestor::default()
        }
    }

    pub fn ingest(&mut self, raw: &RawEvent<'_>) -> Ingested {
        let Some(name) = raw.event.as_deref() else {
            return Ingested::Broken("no \"event\" name");
        };
        let Some(kind) = EventKind::from_event_name(name) else {
            return self.custom(name, raw);
        };
        let props = &raw.properties.0;
        let mut f = Fields {
            kind,
            props,
            ing: self,
            missing: 0,
            invalid: 0,
        };
        let tenant = f.tenant();
        let tracked = f.date(prop!(props, tracking_date));
        let details = match kind {
            EventKind::Revenue => Details::Revenue(RevenueDetails {
                category: f.text(prop!(props, trend_category)),
                signal: f.text(prop!(props, directional_signal)),
                impact: f.range(prop!(props, approximate_impact_range)),
                context: f.text(prop!(props, strategic_context)),
                follow_up: f.text(prop!(props, follow_up_action)),
                priority: f.priority(prop!(props, strategic_priority)),
            }),
            EventKind::Cost => Details::Cost(CostDetails {
                optimization: f.text(prop!(props, optimization_type)),
                savings: f.range(prop!(props, approximate_savings_range)),
                vendor: f.text(prop!(props, esp_vendor_context)),
                feasibility: f.text(prop!(props, implementation_feasibility)),
                review_required: f.boolean(prop!(props, strategic_review_required)),
            }),
            EventKind::Decision => Details::Decision(DecisionDetails {
                category: f.text(prop!(props, decision_category)),
                maker_level: f.text(prop!(props, decision_maker_level)),
                justification: f.text(prop!(props, strategic_justification)),
                outcome: f.range(prop!(props, expected_outcome_range)),
                timeframe: f.timeframe(prop!(props, review_timeframe)),
                follow_up: f.text(prop!(props, outcome_follow_up)),
            }),
        };
        let (missing, invalid) = (f.missing, f.invalid);
        let timestamp = match raw.timestamp.as_ref().and_then(Scalar::text) {
            // Trackers often send the same instant twice: read once.
            Some(t)
                if props
                    .tracking_date
                    .as_ref()
                    .and_then(Scalar::text)
                    .as_deref()
                    == Some(&*t) =>
            {
                tracked
            }
            t => t.and_then(|t| parse_timestamp(&t)),
        };
        let at = match timestamp.or(tracked) {
            Some(at) => at,
            None => {
                self.stats.untimed += 1;
                i64::MIN
            }
        };
        let uuid = raw.uuid.as_deref().and_then(parse_uuid).unwrap_or_default();
        Ingested::Event(Event {
            at,
            tracked: tracked.map_or(i32::MIN, crate::domain::event::unix_days),
            uuid,
            tenant,
            missing,
            invalid,
            details,
        })
    }

    fn custom(&mut self, name: &str, raw: &RawEvent<'_>) -> Ingested {
        if !self.watch.iter().any(|w| w == name) {
            return Ingested::Other;
        }
        let at = raw
            .timestamp
            .as_ref()
            .and_then(Scalar::text)
            .and_then(|t| parse_timestamp(&t));
        let Some(at) = at else {
            self.stats.untimed += 1;
            return Ingested::Other;
        };
        let tenant = raw
            .properties
            .0
            .tenant_id
            .as_ref()
            .or(raw.distinct_id.as_ref())
            .and_then(readable_text)
            .map_or(Sym::EMPTY, |t| self.strings.intern(&sanitize(&t)));
        let name = self.strings.intern(&sanitize(name));
        Ingested::Custom(CustomEvent { name, tenant, at })
    }

    /// A subscriptions row; rows without a tenant are skipped (and say so).
    pub fn subscription(&mut self, raw: &RawSubscription<'_>) -> Option<Subscription> {
        let mut text = |v: &Option<Scalar<'_>>| {
            v.as_ref()
                .and_then(readable_text)
                .map_or(Sym::EMPTY, |t| self.strings.intern(&sanitize(&t)))
        };
        let tenant = text(&raw.tenant_id);
        if tenant.is_empty() {
            return None;
        }
        let plan = text(&raw.plan_name);
        let status = text(&raw.status);
        let current_period_start = raw
            .current_period_start
            .as_ref()
            .and_then(Scalar::text)
            .and_then(|t| parse_timestamp(&t))
            // A billing table's date, read as written (like a tracking_date), whatever
            // the zone.
            .and_then(crate::domain::values::utc_date);
        Some(Subscription {
            tenant,
            plan,
            status,
            current_period_start,
        })
    }
}

/// A value's text where a nested value has none: used for the tenant of custom events
/// and subscriptions, which must not share a tenant named after a placeholder.
fn readable_text<'s>(v: &'s Scalar<'_>) -> Option<std::borrow::Cow<'s, str>> {
    match v {
        Scalar::Nested => None,
        v => v.text(),
    }
}

/// Remaps the symbols of a custom event read by one worker into the merged interner.
pub fn remap_custom(event: &mut CustomEvent, map: &[Sym]) {
    let m = |s: &mut Sym| *s = map.get(s.0 as usize).copied().unwrap_or(Sym::EMPTY);
    m(&mut event.name);
    m(&mut event.tenant);
}

/// Remaps the symbols of events read by one worker into the merged interner.
pub fn remap(event: &mut Event, map: &[Sym]) {
    for_each_sym(event, |s| {
        *s = map.get(s.0 as usize).copied().unwrap_or(Sym::EMPTY);
    });
}

/// Calls `m` on every symbol of the event, in a fixed order.
pub fn for_each_sym(event: &mut Event, mut m: impl FnMut(&mut Sym)) {
    m(&mut event.tenant);
    match &mut event.details {
        Details::Revenue(r) => {
            for s in [
                &mut r.category,
                &mut r.signal,
                &mut r.impact,
                &mut r.context,
                &mut r.follow_up,
            ] {
                m(s);
            }
        }
        Details::Cost(c) => {
            for s in [
                &mut c.optimization,
                &mut c.savings,
                &mut c.vendor,
                &mut c.feasibility,
            ] {
                m(s);
            }
        }
        Details::Decision(d) => {
            for s in [
                &mut d.category,
                &mut d.maker_level,
                &mut d.justification,
                &mut d.outcome,
                &mut d.timeframe,
                &mut d.follow_up,
            ] {
                m(s);
            }
        }
    }
}

/// Moves a dataset's strings onto a copy of `base` (an earlier load's), so that every
/// symbol of the earlier load keeps naming the same string: the cockpit holds rollups of
/// both while a reload's answers arrive part by part. Reloading the same file maps
/// every symbol onto itself, and nothing is rewritten.
pub fn rebase(ds: &mut crate::domain::Dataset, base: &Interner) {
    let mut strings = base.clone();
    let map = strings.absorb(std::mem::take(&mut ds.strings));
    ds.strings = strings;
    if map.iter().enumerate().all(|(i, s)| s.0 as usize == i) {
        return;
    }
    let m = |s: &mut Sym| *s = map.get(s.0 as usize).copied().unwrap_or(Sym::EMPTY);
    for e in &mut ds.events {
        remap(e, &map);
    }
    for c in &mut ds.custom {
        remap_custom(c, &map);
    }
    for sub in ds.subscriptions.iter_mut().flatten() {
        m(&mut sub.tenant);
        m(&mut sub.plan);
        m(&mut sub.status);
    }
}

#[cfg(test)]
mod attack_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn ingest(line: &str) -> (Ingestor, Option<Event>) {
        let raw: RawEvent = serde_json::from_str(line).unwrap();
        let mut ing = Ingestor::default();
        let e = match ing.ingest(&raw) {
            Ingested::Event(e) => Some(e),
            _ => None,
        };
        (ing, e)
    }

    #[test]
    fn seed_example_conforms() {
        let (ing, e) = ingest(
            r#"{"event":"revenue_protection_trend","distinct_id":"tenant_123","properties":{"tenant_id":"tenant-123","trend_category":"deliverability_directional","directional_signal":"increasing_bounce_rate","approximate_impact_range":"1000-5000","strategic_context":"monthly_campaign_performance","follow_up_action":"process_review_required","tracking_date":"2025-12-19T10:30:00Z","strategic_priority":"medium"}}"#,
        );
        let e = e.unwrap();
        assert!(
            e.conforms(),
            "missing {:b} invalid {:b}",
            e.missing,
            e.invalid
        );
        assert_eq!(
            e.at, 1_766_140_200,
            "tracking_date stands in for a missing timestamp"
        );
        assert_eq!(ing.strings.resolve(e.tenant), "tenant-123");
    }

    #[test]
    fn missing_and_invalid_are_told_apart() {
        let (_, e) = ingest(
            r#"{"event":"cost_optimization_trend","timestamp":"2026-01-02T00:00:00Z","properties":{"tenant_id":"t","optimization_type":"x","approximate_savings_range":"lots","esp_vendor_context":"","implementation_feasibility":"process_driven","strategic_review_required":"perhaps"}}"#,
        );
        let e = e.unwrap();
        let k = EventKind::Cost;
        assert_eq!(
            e.missing,
            k.bit("esp_vendor_context") | k.bit("tracking_date")
        );
        assert_eq!(
            e.invalid,
            k.bit("approximate_savings_range") | k.bit("strategic_review_required")
        );
    }

    #[test]
    fn hostile_strings_are_inert_once_stored() {
        let (ing, e) = ingest(
            r#"{"event":"strategic_decision_summary","timestamp":"2026-01-02T00:00:00Z","properties":{"tenant_id":"evil\u001b]0;PWNED\u0007","decision_category":"\u001b[2J\u202e"}}"#,
        );
        let e = e.unwrap();
        assert_eq!(ing.strings.resolve(e.tenant), "evil\\x1b]0;PWNED\\x07");
        let Details::Decision(d) = e.details else {
            panic!("not a decision")
        };
        assert_eq!(ing.strings.resolve(d.category), "\\x1b[2J\\u{202e}");
    }

    #[test]
    fn other_events_and_nameless_records() {
        assert!(ingest(r#"{"event":"$pageview"}"#).1.is_none());
        let raw: RawEvent = serde_json::from_str(r#"{"uuid":"x"}"#).unwrap();
        assert!(matches!(
            Ingestor::default().ingest(&raw),
            Ingested::Broken(_)
        ));
    }
}
