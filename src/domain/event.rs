//! The three strategic events, held compactly once ingested.

use super::intern::Sym;
use super::values::Priority;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Revenue,
    Cost,
    Decision,
}

impl EventKind {
    pub const ALL: [EventKind; 3] = [EventKind::Revenue, EventKind::Cost, EventKind::Decision];

    /// The PostHog event name.
    pub fn event_name(self) -> &'static str {
        match self {
            EventKind::Revenue => "revenue_protection_trend",
            EventKind::Cost => "cost_optimization_trend",
            EventKind::Decision => "strategic_decision_summary",
        }
    }

    pub fn from_event_name(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.event_name() == name)
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::Revenue => "Revenue protection",
            EventKind::Cost => "Cost optimization",
            EventKind::Decision => "Strategic decisions",
        }
    }

    /// The properties the seed defines for this event, in the bit order of
    /// [`Event::missing`] and [`Event::invalid`].
    pub fn properties(self) -> &'static [&'static str] {
        match self {
            EventKind::Revenue => &[
                "tenant_id",
                "trend_category",
                "directional_signal",
                "approximate_impact_range",
                "strategic_context",
                "follow_up_action",
                "strategic_priority",
                "tracking_date",
            ],
            EventKind::Cost => &[
                "tenant_id",
                "optimization_type",
                "approximate_savings_range",
                "esp_vendor_context",
                "implementation_feasibility",
                "strategic_review_required",
                "tracking_date",
            ],
            EventKind::Decision => &[
                "tenant_id",
                "decision_category",
                "decision_maker_level",
                "strategic_justification",
                "expected_outcome_range",
                "review_timeframe",
                "outcome_follow_up",
                "tracking_date",
            ],
        }
    }

    /// The bit of a property in the missing/invalid masks.
    pub fn bit(self, property: &str) -> u16 {
        self.properties()
            .iter()
            .position(|p| *p == property)
            .map_or(0, |i| 1 << i)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RevenueDetails {
    pub category: Sym,
    pub signal: Sym,
    pub impact: Sym,
    pub context: Sym,
    pub follow_up: Sym,
    pub priority: Option<Priority>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostDetails {
    pub optimization: Sym,
    pub savings: Sym,
    pub vendor: Sym,
    pub feasibility: Sym,
    pub review_required: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DecisionDetails {
    pub category: Sym,
    pub maker_level: Sym,
    pub justification: Sym,
    pub outcome: Sym,
    pub timeframe: Sym,
    pub follow_up: Sym,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Details {
    Revenue(RevenueDetails),
    Cost(CostDetails),
    Decision(DecisionDetails),
}

/// One ingested event. Range properties are kept as their raw (sanitised) text and
/// parsed where they are summed, so that every executor (local or HogQL) reads them
/// with the same tolerant parser.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    /// Event time, Unix seconds: PostHog's `timestamp`, else `tracking_date`.
    pub at: i64,
    /// `tracking_date` as days since 1970-01-01, or `i32::MIN` when absent or
    /// unreadable. Days, not seconds: review dates need no more, and it keeps an
    /// event at 64 bytes.
    pub tracked: i32,
    /// The event's uuid as 16 bytes; all zero when absent or not a uuid.
    pub uuid: [u8; 16],
    pub tenant: Sym,
    /// A bit per property of [`EventKind::properties`] that was absent, null or empty.
    pub missing: u16,
    /// A bit per property that was present but unreadable (a range with no figure,
    /// a priority or boolean bearing does not know, a date it cannot parse).
    pub invalid: u16,
    pub details: Details,
}

impl Event {
    /// A cost event at `at` with nothing else said, for tests to fill in.
    #[cfg(test)]
    pub fn bare(at: i64) -> Event {
        Event {
            at,
            tracked: i32::MIN,
            uuid: [0; 16],
            tenant: Sym::EMPTY,
            missing: 0,
            invalid: 0,
            details: Details::Cost(CostDetails {
                optimization: Sym::EMPTY,
                savings: Sym::EMPTY,
                vendor: Sym::EMPTY,
                feasibility: Sym::EMPTY,
                review_required: None,
            }),
        }
    }

    pub fn kind(&self) -> EventKind {
        match self.details {
            Details::Revenue(_) => EventKind::Revenue,
            Details::Cost(_) => EventKind::Cost,
            Details::Decision(_) => EventKind::Decision,
        }
    }

    pub fn conforms(&self) -> bool {
        self.missing == 0 && self.invalid == 0
    }

    pub fn tracked_date(&self) -> Option<chrono::NaiveDate> {
        if self.tracked == i32::MIN {
            return None;
        }
        chrono::NaiveDate::from_num_days_from_ce_opt(self.tracked.checked_add(EPOCH_DAYS_FROM_CE)?)
    }

    pub fn uuid_string(&self) -> Option<String> {
        uuid_text(&self.uuid)
    }
}

/// The canonical text form of a uuid; None for the all-zero "no uuid".
pub fn uuid_text(uuid: &[u8; 16]) -> Option<String> {
    if *uuid == [0; 16] {
        return None;
    }
    let h: String = uuid.iter().map(|b| format!("{b:02x}")).collect();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// Days from 0001-01-01 to 1970-01-01, to convert between chrono's day count and Unix days.
pub const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// Unix seconds to days since 1970-01-01 (`i32::MIN` when out of range).
pub fn unix_days(ts: i64) -> i32 {
    i32::try_from(ts.div_euclid(86_400)).unwrap_or(i32::MIN)
}

/// Parses the canonical 36-character text form, or 32 hex digits.
pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    let mut n = 0usize;
    let mut hi: Option<u8> = None;
    for c in s.bytes() {
        if c == b'-' {
            continue;
        }
        let v = (c as char).to_digit(16)? as u8;
        match hi.take() {
            None => hi = Some(v),
            Some(h) => {
                *out.get_mut(n)? = (h << 4) | v;
                n += 1;
            }
        }
    }
    (n == 16 && hi.is_none()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_event_name(k.event_name()), Some(k));
        }
        assert_eq!(EventKind::from_event_name("$pageview"), None);
    }

    #[test]
    fn uuid_round_trip() {
        let s = "0191b6c1-3f2a-7c4e-9a10-2b3c4d5e6f70";
        let u = parse_uuid(s);
        assert!(u.is_some());
        let e = Event {
            uuid: u.unwrap_or_default(),
            ..Event::bare(0)
        };
        assert_eq!(e.uuid_string().as_deref(), Some(s));
        assert_eq!(parse_uuid("not-a-uuid"), None);
        assert_eq!(parse_uuid("0191b6c13f2a7c4e9a102b3c4d5e6f70ff"), None);
        assert_eq!(
            std::mem::size_of::<Event>(),
            64,
            "a million events fit in 64 MB"
        );
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let e = Event {
            tracked: unix_days(crate::domain::values::utc_midnight(d) + 3600),
            ..e
        };
        assert_eq!(e.tracked_date(), Some(d));
    }
}
