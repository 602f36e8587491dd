//! PostHog-shaped event records as they appear in an export (and as the demo generator
//! writes them): `uuid, event, distinct_id, timestamp, properties`. Strings are
//! borrowed from the line where JSON allows it, so reading a large file allocates
//! little. Only the properties bearing knows are read; the rest are skipped.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

pub mod fast;
mod subscription;

pub use subscription::RawSubscription;

/// A JSON scalar as a tracker sent it: trackers send `true`, `"true"` and `1` alike.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Int(i64),
    Float(f64),
    Null,
    /// An object or array where a scalar was expected.
    Nested,
}

impl<'a> Scalar<'a> {
    /// The value as text, or None when it is null or empty.
    pub fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Scalar::Str(s) if blank(s) => None,
            Scalar::Str(s) => Some(Cow::Borrowed(s)),
            Scalar::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Scalar::Int(i) => Some(Cow::Owned(i.to_string())),
            Scalar::Float(f) => Some(Cow::Owned(f.to_string())),
            Scalar::Null => None,
            Scalar::Nested => Some(Cow::Borrowed("[nested value]")),
        }
    }

    /// The value as text, keeping a borrowed string borrowed; None when it is null,
    /// blank or nested (an object has no text a reader could use).
    pub fn into_text(self) -> Option<Cow<'a, str>> {
        match self {
            Scalar::Str(s) if blank(&s) => None,
            Scalar::Str(s) => Some(s),
            Scalar::Bool(b) => Some(Cow::Borrowed(if b { "true" } else { "false" })),
            Scalar::Int(i) => Some(Cow::Owned(i.to_string())),
            Scalar::Float(f) => Some(Cow::Owned(f.to_string())),
            Scalar::Null | Scalar::Nested => None,
        }
    }

    pub fn into_owned(self) -> Scalar<'static> {
        match self {
            Scalar::Str(s) => Scalar::Str(Cow::Owned(s.into_owned())),
            Scalar::Bool(b) => Scalar::Bool(b),
            Scalar::Int(i) => Scalar::Int(i),
            Scalar::Float(f) => Scalar::Float(f),
            Scalar::Null => Scalar::Null,
            Scalar::Nested => Scalar::Nested,
        }
    }
}

/// Empty or only whitespace. A value that starts with a printable ASCII character is
/// neither, which settles nearly every value without Unicode's whitespace table.
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b'!'..=b'~') => false,
        _ => s.trim().is_empty(),
    }
}

impl<'a> From<&'a str> for Scalar<'a> {
    fn from(s: &'a str) -> Self {
        Scalar::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Scalar<'_> {
    fn from(s: String) -> Self {
        Scalar::Str(Cow::Owned(s))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(i64::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Int))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Nested)
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Scalar<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Scalar::Str(v) => s.serialize_str(v),
            Scalar::Bool(b) => s.serialize_bool(*b),
            Scalar::Int(i) => s.serialize_i64(*i),
            Scalar::Float(f) => s.serialize_f64(*f),
            Scalar::Null | Scalar::Nested => s.serialize_unit(),
        }
    }
}

macro_rules! props {
    ($($name:ident),* $(,)?) => {
        /// Every property of the three strategic events; others are ignored.
        #[derive(Clone, Debug, Default, PartialEq, Serialize)]
        pub struct RawProps<'a> {
            $(
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $name: Option<Scalar<'a>>,
            )*
        }

        /// The properties bearing reads, as keys of an object.
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum PropKey { $($name,)* }

        impl PropKey {
            #[cfg(test)]
            const ALL: &[PropKey] = &[$(PropKey::$name,)*];

            /// The key as written.
            fn name(self) -> &'static str {
                match self {
                    $(PropKey::$name => stringify!($name),)*
                }
            }
        }

        fn prop_key(key: &str) -> Option<PropKey> {
            match key {
                $(stringify!($name) => Some(PropKey::$name),)*
                _ => None,
            }
        }

        impl<'de: 'a, 'a> Deserialize<'de> for RawProps<'a> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = RawProps<'de>;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("an object of properties")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                        let mut p = RawProps::default();
                        fill(&mut p, &mut map)?;
                        Ok(p)
                    }
                }
                d.deserialize_map(V)
            }
        }

        /// Reads the properties of `map` into `p`, in place.
        fn fill<'de, A: MapAccess<'de>>(p: &mut RawProps<'de>, map: &mut A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key_seed(Key(prop_key))? {
                match key {
                    $(Some(PropKey::$name) => p.$name = map.next_value()?,)*
                    None => skip(map)?,
                }
            }
            Ok(())
        }

        /// Sets one property, as a repeated key sets it again.
        fn fill_one<'a>(p: &mut RawProps<'a>, key: PropKey, value: Option<Scalar<'a>>) {
            match key {
                $(PropKey::$name => p.$name = value,)*
            }
        }

        impl RawProps<'_> {
            pub fn into_owned(self) -> RawProps<'static> {
                RawProps { $($name: self.$name.map(Scalar::into_owned),)* }
            }
        }
    };
}

props!(
    tenant_id,
    tracking_date,
    trend_category,
    directional_signal,
    approximate_impact_range,
    strategic_context,
    follow_up_action,
    strategic_priority,
    optimization_type,
    approximate_savings_range,
    esp_vendor_context,
    implementation_feasibility,
    strategic_review_required,
    decision_category,
    decision_maker_level,
    strategic_justification,
    expected_outcome_range,
    review_timeframe,
    outcome_follow_up,
);

/// `properties` is an object in PostHog's JSON exports but a JSON-encoded string in
/// some CSV-to-JSON conversions; both are accepted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PropsField<'a>(pub RawProps<'a>);

impl<'de: 'a, 'a> Deserialize<'de> for PropsField<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PropsField<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of properties, or a JSON string holding one")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawProps::deserialize(de::value::MapAccessDeserializer::new(map)).map(PropsField)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                serde_json::from_str::<RawProps>(v)
                    .map(|p| PropsField(p.into_owned()))
                    .map_err(|e| E::custom(format!("properties is a string but not JSON: {e}")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(PropsField::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(PropsField::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads `properties` into the event being read, as [`PropsField`] reads it: an
/// object, a string holding one, or null; a later `properties` replaces an earlier.
struct PropsSeed<'x, 'a>(&'x mut RawProps<'a>);

impl<'de> DeserializeSeed<'de> for PropsSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PropsSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of properties, or a JSON string holding one")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        *self.0 = RawProps::default();
        fill(self.0, &mut map)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        let p = serde_json::from_str::<RawProps>(v)
            .map_err(|e| E::custom(format!("properties is a string but not JSON: {e}")))?;
        *self.0 = p.into_owned();
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        *self.0 = RawProps::default();
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        *self.0 = RawProps::default();
        Ok(())
    }
}

impl Serialize for PropsField<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RawEvent<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<Cow<'a, str>>,
    pub event: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distinct_id: Option<Scalar<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Scalar<'a>>,
    pub properties: PropsField<'a>,
}

#[derive(Clone, Copy)]
enum EventKey {
    Uuid,
    Event,
    DistinctId,
    Timestamp,
    Properties,
}

impl EventKey {
    const ALL: [EventKey; 5] = [
        EventKey::Uuid,
        EventKey::Event,
        EventKey::DistinctId,
        EventKey::Timestamp,
        EventKey::Properties,
    ];

    /// The key as written.
    fn name(self) -> &'static str {
        match self {
            EventKey::Uuid => "uuid",
            EventKey::Event => "event",
            EventKey::DistinctId => "distinct_id",
            EventKey::Timestamp => "timestamp",
            EventKey::Properties => "properties",
        }
    }
}

fn event_key(key: &str) -> Option<EventKey> {
    EventKey::ALL.into_iter().find(|k| k.name() == key)
}

impl<'de: 'a, 'a> Deserialize<'de> for RawEvent<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEvent<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut e = RawEvent::default();
                while let Some(key) = map.next_key_seed(Key(event_key))? {
                    match key {
                        // Some exports write the uuid as a number; it is read as its
                        // text (and is then no uuid, rather than a lost event).
                        Some(EventKey::Uuid) => {
                            e.uuid = map
                                .next_value::<Option<Scalar>>()?
                                .and_then(Scalar::into_text);
                        }
                        Some(EventKey::Event) => {
                            e.event = match map.next_value::<Option<Scalar>>()? {
                                None => None,
                                Some(Scalar::Str(s)) => Some(s),
                                Some(_) => {
                                    return Err(de::Error::custom(
                                        "the event name is not a string",
                                    ));
                                }
                            };
                        }
                        Some(EventKey::DistinctId) => e.distinct_id = map.next_value()?,
                        Some(EventKey::Timestamp) => e.timestamp = map.next_value()?,
                        // Read straight into the event: the properties are some
                        // 600 bytes, and moving them out of each call was a tenth
                        // of reading a file.
                        Some(EventKey::Properties) => {
                            map.next_value_seed(PropsSeed(&mut e.properties.0))?;
                        }
                        None => skip(&mut map)?,
                    }
                }
                Ok(e)
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads an object key as one of the fields a record knows (None for any other key).
/// Records are read by hand rather than by serde's derive because the derive rejects
/// a repeated key, dropping the whole event, where JavaScript's `JSON.parse` and
/// PostHog's ingestion keep the last value: every field above is assigned again when
/// its key repeats.
struct Key<F>(fn(&str) -> Option<F>);

impl<'de, F> DeserializeSeed<'de> for Key<F> {
    type Value = Option<F>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, F> Visitor<'de> for Key<F> {
    type Value = Option<F>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((self.0)(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(v).ok().and_then(self.0))
    }
}

/// Skips the value of a key bearing does not read.
fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

#[cfg(test)]
mod tests;
