//! The HogQL executor: each pane's rollup (`crate::engine::rollup`) as one HogQL query,
//! and the reading of its answer back into the rollup. Aggregation happens in PostHog;
//! what comes back is grouped counts and the raw text of the values bearing parses
//! itself (ranges, priorities, booleans, timeframes, odd tracking dates), so the
//! answer grows with tenants and distinct values, not with events.
//!
//! Every query is a UNION ALL of parts tagged by a `part` column over a CTE of the
//! events it needs, so a pane costs one request. Each CTE keeps one row per uuid
//! (`LIMIT 1 BY uuid`): PostHog collapses an SDK's repeated event only when its table
//! merges, and until then would count it twice. Times are bound as Unix seconds
//! through `values`; so are the regular expressions, which keeps them out of HogQL's
//! string escaping.

pub mod alerts;
pub mod day;
pub mod decisions;
pub mod evidence;
pub mod groups;
pub mod health;
pub mod overview;
pub mod review;
pub mod text;

use super::client::{HogQl, QueryResult};
use crate::domain::sanitize::sanitize;
use crate::domain::{Interner, PeriodSpec, Sym, Zone};
use crate::engine::EngineParams;
use crate::engine::alerts::rollup::{AlertRollup, Windows};
use crate::engine::rollup::{DecisionRollup, GroupsRollup, HealthRollup, OverviewRollup};
use crate::engine::scan::Since;
use crate::engine::series::{MonthAxis, Window};
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// PostHog's largest page; a rollup that fills it is reported as cut short.
pub const ROW_LIMIT: usize = 50_000;

/// The panes that have a query, in the order a refresh sends them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    Overview,
    Revenue,
    Cost,
    Decisions,
    Health,
    /// The alert rollup the rules run on (the Alerts and Follow-ups panes).
    Alerts,
}

impl Part {
    pub const ALL: [Part; 6] = [
        Part::Overview,
        Part::Revenue,
        Part::Cost,
        Part::Decisions,
        Part::Health,
        Part::Alerts,
    ];

    /// The parts a report reads: every pane's figures.
    pub const PANES: [Part; 5] = [
        Part::Overview,
        Part::Revenue,
        Part::Cost,
        Part::Decisions,
        Part::Health,
    ];

    /// The query's name in PostHog's query log.
    pub fn query_name(self) -> &'static str {
        match self {
            Part::Overview => "bearing_overview",
            Part::Revenue => "bearing_revenue_trends",
            Part::Cost => "bearing_cost_opportunities",
            Part::Decisions => "bearing_decision_log",
            Part::Health => "bearing_data_health",
            Part::Alerts => alerts::NAME,
        }
    }
}

/// A pane's rollup as read from PostHog.
#[derive(Clone, Debug, PartialEq)]
pub enum PartRollup {
    Overview(OverviewRollup),
    Revenue(GroupsRollup),
    Cost(GroupsRollup),
    Decisions(Box<DecisionRollup>),
    Health(Box<HealthRollup>),
    Alerts(Box<AlertRollup>),
}

/// What the queries need to know besides the period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The data-warehouse table of subscriptions, when there is one.
    pub subscriptions_table: Option<String>,
    /// Decision-log rows per page.
    pub page: usize,
    /// Caps every part that grows with the project at this many rows instead of its
    /// own cap (tests reach the caps with small fixtures this way).
    pub cap: Option<usize>,
    /// Custom events the `custom_event` rule watches (`[alerts] custom_events`).
    pub custom_events: Vec<String>,
}

impl Scope {
    /// How many rows a growing part may bring back: its own cap unless overridden.
    pub fn cap(&self, own: usize) -> usize {
        self.cap.unwrap_or(own).max(1)
    }
}

pub const DECISION_PAGE: usize = 500;

/// The period's boundaries as Unix seconds: local midnights of the zone, computed here
/// so that PostHog compares `timestamp` with instants and its own zone plays no part.
#[derive(Clone, Debug, PartialEq)]
pub struct Bounds {
    /// 13 month boundaries of the sparkline.
    pub months: Vec<i64>,
    pub cur: (i64, i64),
    pub prev: (i64, i64),
    /// The last 90 days, for the overview.
    pub recent: (i64, i64),
    /// Nothing before this is needed by the trend panes.
    pub lo: i64,
    pub this_month: NaiveDate,
    pub today: NaiveDate,
    /// The zone the bounds are cut in, for what the queries compute per event (the
    /// decision log's event day).
    pub zone: Zone,
    /// How far back data health and the decision log read.
    pub since: Since,
}

impl Bounds {
    /// The same boundaries the local executor counts with (`MonthAxis`, `Window`).
    pub fn new(p: &EngineParams) -> Bounds {
        let axis = MonthAxis::new(p.today, p.zone);
        let w = Window::new(&p.period.resolve(p.today, p.zone));
        let recent = Window::new(&PeriodSpec::Trailing(90).resolve(p.today, p.zone));
        let months = axis.bounds().to_vec();
        let since = Since::new(p);
        Bounds {
            months,
            cur: (w.start, w.end),
            prev: (w.prev_start, w.prev_end),
            recent: (recent.start, recent.end),
            // The trend panes read what data health reads.
            lo: since.health,
            this_month: crate::domain::period::first_of_month(p.today),
            today: p.today,
            zone: p.zone,
            since,
        }
    }

    /// The period and previous period bounds as placeholders.
    pub fn period_values(&self, v: &mut Map<String, Value>) {
        v.insert("cs".into(), self.cur.0.into());
        v.insert("ce".into(), self.cur.1.into());
        v.insert("ps".into(), self.prev.0.into());
        v.insert("pe".into(), self.prev.1.into());
    }
}

/// Every pane's query for a full refresh.
pub fn all(params: &EngineParams, scope: &Scope) -> Vec<(Part, HogQl)> {
    let b = Bounds::new(params);
    Part::ALL
        .iter()
        .map(|&part| (part, query(part, &b, scope)))
        .collect()
}

pub fn query(part: Part, b: &Bounds, scope: &Scope) -> HogQl {
    match part {
        Part::Overview => overview::query(b, scope),
        Part::Revenue => groups::query(groups::REVENUE, b),
        Part::Cost => groups::query(groups::COST, b),
        Part::Decisions => decisions::query(b, scope),
        Part::Health => health::query(b, scope),
        Part::Alerts => alerts::query(b, &Windows::new(b.today, b.zone), scope),
    }
}

/// Reads a pane's answer, interning its strings.
pub fn read(
    part: Part,
    r: &QueryResult,
    strings: &mut Interner,
    params: &EngineParams,
    scope: &Scope,
) -> Result<PartRollup, String> {
    let rows = Rows::new(r)?;
    Ok(match part {
        Part::Overview => PartRollup::Overview(overview::read(&rows, strings, scope)?),
        Part::Revenue => PartRollup::Revenue(groups::read(groups::REVENUE, &rows, strings)?),
        Part::Cost => PartRollup::Cost(groups::read(groups::COST, &rows, strings)?),
        Part::Decisions => {
            PartRollup::Decisions(Box::new(decisions::read(&rows, strings, params, scope)?))
        }
        Part::Health => PartRollup::Health(Box::new(health::read(&rows)?)),
        Part::Alerts => {
            let w = Windows::new(params.today, params.zone);
            PartRollup::Alerts(Box::new(alerts::read(&rows, strings, &w)?))
        }
    })
}

/// An answer's rows with their columns found by name, so that a reordering or an
/// added column on PostHog's side cannot misread them.
pub struct Rows<'a> {
    r: &'a QueryResult,
    index: Vec<(&'a str, usize)>,
}

impl<'a> Rows<'a> {
    pub fn new(r: &'a QueryResult) -> Result<Rows<'a>, String> {
        if r.rows.len() >= ROW_LIMIT {
            return Err(format!(
                "the answer reached PostHog's limit of {ROW_LIMIT} rows and may be incomplete"
            ));
        }
        let index = r
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        Ok(Rows { r, index })
    }

    pub fn col(&self, name: &str) -> Result<usize, String> {
        self.index
            .iter()
            .find(|(c, _)| *c == name)
            .map(|(_, i)| *i)
            .ok_or_else(|| format!("the answer has no column {name}"))
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a Vec<Value>> {
        self.r.rows.iter()
    }
}

pub fn text(row: &[Value], i: usize) -> Option<&str> {
    row.get(i).and_then(Value::as_str)
}

pub fn count(row: &[Value], i: usize) -> u32 {
    row.get(i)
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

pub fn int(row: &[Value], i: usize) -> Option<i64> {
    row.get(i).and_then(|v| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
    })
}

/// A property as PostHog returns it (a string's JSON text without its quotes, escapes
/// still in; a number or boolean as its JSON text; NULL when absent) turned into the
/// text a tracker sent, as the file reader sees it: None when null or blank.
pub fn property(raw: Option<&str>) -> Option<String> {
    let raw = raw?;
    let nested = (raw.starts_with('{') || raw.starts_with('['))
        && serde_json::from_str::<Value>(raw).is_ok_and(|v| v.is_object() || v.is_array());
    let t = if nested {
        "[nested value]".to_owned()
    } else {
        serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_owned())
    };
    (!t.trim().is_empty()).then_some(t)
}

/// A property interned as the file reader interns it (sanitised; missing is EMPTY).
pub fn sym(strings: &mut Interner, raw: Option<&str>) -> Sym {
    property(raw).map_or(Sym::EMPTY, |t| strings.intern(&sanitize(&t)))
}

/// A plain column (not a property): sanitised, blank is EMPTY.
pub fn plain_sym(strings: &mut Interner, raw: Option<&str>) -> Sym {
    match raw {
        Some(t) if !t.trim().is_empty() => strings.intern(&sanitize(t)),
        _ => Sym::EMPTY,
    }
}

#[cfg(test)]
mod tests;
