//! A row of the subscriptions table, read as the events are: by hand, the last of a
//! repeated key kept.

use super::{Key, Scalar, skip};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A row of the subscriptions table (in PostHog a data-warehouse table; in files a
/// JSON Lines file next to the events).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RawSubscription<'a> {
    pub tenant_id: Option<Scalar<'a>>,
    pub plan_name: Option<Scalar<'a>>,
    pub status: Option<Scalar<'a>>,
    pub current_period_start: Option<Scalar<'a>>,
}

enum SubscriptionKey {
    TenantId,
    PlanName,
    Status,
    CurrentPeriodStart,
}

fn subscription_key(key: &str) -> Option<SubscriptionKey> {
    match key {
        "tenant_id" => Some(SubscriptionKey::TenantId),
        "plan_name" => Some(SubscriptionKey::PlanName),
        "status" => Some(SubscriptionKey::Status),
        "current_period_start" => Some(SubscriptionKey::CurrentPeriodStart),
        _ => None,
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawSubscription<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSubscription<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a subscription object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut s = RawSubscription::default();
                while let Some(key) = map.next_key_seed(Key(subscription_key))? {
                    match key {
                        Some(SubscriptionKey::TenantId) => s.tenant_id = map.next_value()?,
                        Some(SubscriptionKey::PlanName) => s.plan_name = map.next_value()?,
                        Some(SubscriptionKey::Status) => s.status = map.next_value()?,
                        Some(SubscriptionKey::CurrentPeriodStart) => {
                            s.current_period_start = map.next_value()?;
                        }
                        None => skip(&mut map)?,
                    }
                }
                Ok(s)
            }
        }
        d.deserialize_map(V)
    }
}
