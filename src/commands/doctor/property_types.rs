//! Whether PostHog has typed the seed's properties. PostHog records a type for each
//! event property from the first value it ingests (a JSON number: Numeric; a date-like
//! text: DateTime; true/false: Boolean; else String) and rewrites every `properties.x`
//! in HogQL by that type. bearing reads the raw JSON text itself, so its own numbers
//! stay right; an analyst's PostHog insights on a typed property read something else,
//! which is worth a warning, never a failure.
//!
//! PostHog documents no API for its property definitions that bearing may rely on, so
//! the type is read the way HogQL sees it: `toTypeName(properties.x)` prints the
//! property after PostHog's rewrite (`Nullable(String)` untyped, `Nullable(Float64)`
//! for Numeric, and so on).

use super::{Report, query};
use crate::domain::EventKind;
use crate::posthog::client::Client;
use crate::posthog::error::shorten;
use serde_json::Map;

const WHAT: &str = "properties";

/// How PostHog reads a property, from the ClickHouse type name of `properties.x`.
#[derive(Debug, PartialEq, Eq)]
enum Typed {
    String,
    Numeric,
    DateTime,
    Boolean,
    /// A type none of the above, as PostHog named it (sanitised, cut short).
    Other(String),
}

fn classify(type_name: &str) -> Typed {
    // The wrappers say whether a value may be absent or how it is stored, not how it is
    // read: Nullable(Float64) is read as a number like Float64.
    let mut inner = type_name.trim();
    while let Some(rest) = ["Nullable(", "LowCardinality("].iter().find_map(|w| {
        inner
            .strip_prefix(w)
            .and_then(|r| r.strip_suffix(')'))
            .map(str::trim)
    }) {
        inner = rest;
    }
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| inner.starts_with(p));
    if starts(&["DateTime", "Date"]) {
        Typed::DateTime
    // toBool is Bool; an older ClickHouse gave it as UInt8.
    } else if inner == "Bool" || inner == "UInt8" {
        Typed::Boolean
    } else if starts(&["Float", "Int", "UInt", "Decimal"]) {
        Typed::Numeric
    } else if starts(&["String", "FixedString"]) {
        Typed::String
    } else {
        Typed::Other(shorten(type_name))
    }
}

/// What a property's type means for the analyst, and what to do about it; None when
/// PostHog reads it as text, as bearing does.
fn advice(property: &str, typed: &Typed) -> Option<(String, String)> {
    let to_string =
        format!("set its type to String (PostHog: Data management → Properties → {property})");
    let text = match typed {
        Typed::String => return None,
        Typed::Numeric => {
            let loses = if property == "tenant_id" {
                "will merge tenants like 0042 and 42 and drop those that are not numbers"
            } else if property.ends_with("_range") {
                "drop ranges like $5K-15K, which are not numbers"
            } else {
                "drop every value that is not a number"
            };
            format!(
                "{property} is typed Numeric in PostHog: bearing reads the text as sent, but PostHog insights on it {loses}"
            )
        }
        Typed::DateTime => format!(
            "{property} is typed DateTime in PostHog: insights drop dates PostHog cannot parse; bearing reads them itself"
        ),
        Typed::Boolean => {
            // PostHog's Boolean reading is toBool(transform(toString(x), ['true', 'false'],
            // [1, 0], NULL)): only those two spellings survive it.
            let text = format!(
                "{property} is typed Boolean in PostHog: insights see only true and false and drop yes, TRUE, 1 and the like, which bearing reads"
            );
            let try_this =
                format!("nothing, if it is only ever sent as true or false; else {to_string}");
            return Some((text, try_this));
        }
        Typed::Other(name) => format!(
            "{property} has the type {name} in PostHog, not String: PostHog insights on it may read other values than bearing, which reads the text as sent"
        ),
    };
    Some((text, to_string))
}

/// Every property of the three seed events, each once, in the order the seed defines them.
fn seed_properties() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    for p in EventKind::ALL.iter().flat_map(|k| k.properties()) {
        if !all.contains(p) {
            all.push(p);
        }
    }
    all
}

pub(super) async fn check(r: &mut Report, client: &Client) {
    let properties = seed_properties();
    // The names are the seed's own plain identifiers, so they can stand in the text.
    let columns = properties
        .iter()
        .map(|p| format!("toTypeName(properties.{p}) AS {p}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut v = Map::new();
    v.insert("events".into(), super::event_names());
    // A type is the project's, the same on every row: one row is enough.
    let q = query(
        "bearing_doctor_property_types",
        &format!("SELECT {columns} FROM events WHERE event IN {{events}} LIMIT 1"),
        v,
    );
    let answer = match client.query(&q, &|_| {}).await {
        Ok(a) => a,
        // A check that can only warn does not fail doctor when it cannot run.
        Err(e) => {
            r.skip(WHAT, &format!("PostHog did not give the types ({e})"));
            return;
        }
    };
    let Some(row) = answer.rows.first() else {
        r.skip(WHAT, "needs seed events in PostHog");
        return;
    };
    if row.len() != properties.len() {
        let (n, s) = (row.len(), if row.len() == 1 { "" } else { "s" });
        r.skip(
            WHAT,
            &format!(
                "PostHog's answer held {n} type{s} for {} properties",
                properties.len()
            ),
        );
        return;
    }
    let mut warned = false;
    for (property, value) in properties.iter().zip(row) {
        let typed = match value.as_str() {
            Some(name) => classify(name),
            None => Typed::Other(shorten(&value.to_string())),
        };
        if let Some((text, try_this)) = advice(property, &typed) {
            r.warn(WHAT, text, try_this);
            warned = true;
        }
    }
    if !warned {
        r.ok(
            WHAT,
            "seed properties untyped (String) in PostHog: insights and bearing read the same text",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_as_clickhouse_prints_them() {
        for (name, want) in [
            ("Nullable(String)", Typed::String),
            ("LowCardinality(Nullable(String))", Typed::String),
            ("String", Typed::String),
            ("Nullable(Float64)", Typed::Numeric),
            ("Nullable(Int64)", Typed::Numeric),
            ("Nullable(Decimal(18, 2))", Typed::Numeric),
            ("Nullable(DateTime64(6, 'UTC'))", Typed::DateTime),
            ("Nullable(DateTime64(6, 'Asia/Kolkata'))", Typed::DateTime),
            ("DateTime('UTC')", Typed::DateTime),
            ("Nullable(Bool)", Typed::Boolean),
            ("Nullable(UInt8)", Typed::Boolean),
            ("Nullable(UInt64)", Typed::Numeric),
        ] {
            assert_eq!(classify(name), want, "{name}");
        }
    }

    #[test]
    fn an_unknown_type_is_shown_inert() {
        let Typed::Other(shown) = classify("Nullable(\u{1b}[31mUUID)") else {
            panic!("not Other");
        };
        assert!(!shown.contains('\u{1b}'), "{shown}");
        assert!(shown.contains("UUID"), "{shown}");
    }

    #[test]
    fn every_seed_property_once() {
        let all = seed_properties();
        assert_eq!(all.first(), Some(&"tenant_id"));
        assert_eq!(all.iter().filter(|p| **p == "tracking_date").count(), 1);
        for kind in EventKind::ALL {
            assert!(kind.properties().iter().all(|p| all.contains(p)));
        }
    }

    #[test]
    fn only_a_typed_property_is_warned_about() {
        assert_eq!(advice("tenant_id", &Typed::String), None);
        let (text, try_this) = advice("tenant_id", &Typed::Numeric).unwrap_or_default();
        assert!(text.contains("0042 and 42"), "{text}");
        assert!(
            try_this.contains("set its type to String") && try_this.contains("→ tenant_id)"),
            "{try_this}"
        );
        let (text, _) = advice("approximate_impact_range", &Typed::Numeric).unwrap_or_default();
        assert!(text.contains("$5K-15K"), "{text}");
    }
}
