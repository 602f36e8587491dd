use super::*;

#[test]
fn properties_read_in_place_as_before_a_later_one_replaces_an_earlier_whole() {
    fn read(line: &str) -> serde_json::Result<RawProps<'_>> {
        serde_json::from_str::<RawEvent>(line).map(|e| e.properties.0)
    }
    let p = read(r#"{"properties":{"tenant_id":"a","trend_category":"c"},"properties":{"directional_signal":"s"}}"#).unwrap();
    assert_eq!(p.tenant_id, None);
    assert_eq!(p.directional_signal, Some(Scalar::from("s")));
    let p = read(r#"{"properties":{"tenant_id":"a"},"properties":null}"#).unwrap();
    assert_eq!(p, RawProps::default());
    let p = read(r#"{"properties":"{\"tenant_id\":\"t\\u00e9\"}"}"#).unwrap();
    assert_eq!(p.tenant_id, Some(Scalar::from("té")));
    assert!(read(r#"{"properties":3}"#).is_err());
    assert!(read(r#"{"properties":"not json"}"#).is_err());
}

#[test]
fn reads_a_posthog_line_borrowing_strings() {
    let line = r#"{"uuid":"0191b6c1-3f2a-7c4e-9a10-2b3c4d5e6f70","event":"cost_optimization_trend","distinct_id":"tenant_123","timestamp":"2025-12-19T10:30:00Z","properties":{"tenant_id":"tenant-123","strategic_review_required":true,"approximate_savings_range":"500-2000","$lib":"web","nested":{"a":[1,2]}},"person_id":null}"#;
    let e: RawEvent = serde_json::from_str(line).unwrap();
    assert_eq!(e.event.as_deref(), Some("cost_optimization_trend"));
    assert!(matches!(
        e.properties.0.tenant_id,
        Some(Scalar::Str(Cow::Borrowed("tenant-123")))
    ));
    assert_eq!(
        e.properties.0.strategic_review_required,
        Some(Scalar::Bool(true))
    );
}

#[test]
fn properties_as_a_json_string() {
    let line = r#"{"event":"x","properties":"{\"tenant_id\":\"t-1\",\"review_timeframe\":1}"}"#;
    let e: RawEvent = serde_json::from_str(line).unwrap();
    assert_eq!(e.properties.0.tenant_id, Some(Scalar::from("t-1")));
    assert_eq!(e.properties.0.review_timeframe, Some(Scalar::Int(1)));
}

#[test]
fn nested_values_and_nulls() {
    let line = r#"{"event":"x","properties":{"tenant_id":null,"trend_category":[1,{"a":2}]}}"#;
    let e: RawEvent = serde_json::from_str(line).unwrap();
    assert_eq!(e.properties.0.tenant_id, None, "null is the same as absent");
    assert_eq!(e.properties.0.trend_category, Some(Scalar::Nested));
    assert_eq!(Scalar::Null.text(), None);
    assert_eq!(Scalar::from("  ").text(), None);
}

/// The fast path recognises a key by the name it is written with: each name must read
/// back as its key.
#[test]
fn every_known_key_is_named_as_it_is_read() {
    for k in EventKey::ALL {
        assert!(event_key(k.name()).is_some_and(|read| read.name() == k.name()));
    }
    assert_eq!(event_key("Uuid").map(EventKey::name), None);
    for &k in PropKey::ALL {
        assert!(prop_key(k.name()).is_some_and(|read| read.name() == k.name()));
    }
    assert_eq!(PropKey::ALL.len(), 19);
}
