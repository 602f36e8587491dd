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

/// Each byte's value as a hex digit, or 0xFF: what `char::to_digit(16)` answers, by one
/// load instead of its range checks (the uuid was a twentieth of reading a file).
const HEX: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 16 {
        t[b"0123456789abcdef"[i] as usize] = i as u8;
        t[b"0123456789ABCDEF"[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Parses the canonical 36-character text form, or 32 hex digits (dashes anywhere are
/// passed over).
pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let b = s.as_bytes();
    if b.len() == 36 && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-') {
        return canonical(b);
    }
    let mut out = [0u8; 16];
    let mut nibbles = 0usize;
    for &c in s.as_bytes() {
        if c == b'-' {
            continue;
        }
        let v = HEX[usize::from(c)];
        if v > 15 {
            return None;
        }
        let byte = out.get_mut(nibbles / 2)?;
        *byte = *byte << 4 | v;
        nibbles += 1;
    }
    (nibbles == 32).then_some(out)
}

/// Where each byte's two digits start in the canonical form.
const PAIRS: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/// The canonical form, its dashes checked: the digits read from known places, any
/// non-digit caught once at the end (a digit is below 16, so or-ing them all is).
fn canonical(b: &[u8]) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    let mut any = 0u8;
    for (o, &at) in out.iter_mut().zip(&PAIRS) {
        let (hi, lo) = (HEX[usize::from(b[at])], HEX[usize::from(b[at + 1])]);
        any |= hi | lo;
        *o = hi << 4 | lo;
    }
    (any <= 15).then_some(out)
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

    /// The reading by `char::to_digit` that the table replaced.
    fn by_to_digit(s: &str) -> Option<[u8; 16]> {
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Near-uuids (dashes anywhere, 30 to 34 digits, a wrong or non-ASCII
        /// character) read as `to_digit` reads them.
        #[test]
        fn uuids_read_as_to_digit_reads_them(s in "[0-9a-fA-F-]{28,38}[g G\\-é0-9]{0,2}") {
            proptest::prop_assert_eq!(parse_uuid(&s), by_to_digit(&s));
        }

        /// The canonical form, with one character put in its place: a wrong one, a
        /// digit, or a dash out of place.
        #[test]
        fn canonical_uuids_read_as_to_digit_reads_them(
            s in "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            at in 0usize..36,
            c in "[-gG/:@`é0-9a-fA-F]",
        ) {
            proptest::prop_assert!(parse_uuid(&s).is_some());
            proptest::prop_assert_eq!(parse_uuid(&s), by_to_digit(&s));
            let mut t = s.clone();
            t.replace_range(at..=at, &c);
            proptest::prop_assert_eq!(parse_uuid(&t), by_to_digit(&t), "{}", t);
        }
    }

    #[test]
    fn every_byte_reads_as_to_digit_reads_it() {
        for c in 0..=255u8 {
            let expect = (c as char).to_digit(16).map_or(0xFF, |v| v as u8);
            assert_eq!(HEX[usize::from(c)], expect, "byte {c}");
        }
    }
}
