use super::*;
use chrono::NaiveDate;

fn params() -> EngineParams {
    EngineParams::new(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap())
}

#[test]
fn dump_queries() {
    if let Ok(dir) = std::env::var("BEARING_DUMP_QUERIES") {
        let scope = Scope {
            subscriptions_table: Some("subscriptions".into()),
            page: DECISION_PAGE,
        };
        for (part, q) in all(&params(), &scope) {
            let json = serde_json::json!({"text": q.text, "values": q.values});
            std::fs::write(format!("{dir}/{part:?}.json"), json.to_string()).unwrap();
        }
    }
}
