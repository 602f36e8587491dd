//! A decision's review date in HogQL: its tracking date (else its local day) plus its
//! review timeframe, for the decisions whose spelling the query can read exactly (see
//! `text.rs`). The decision log counts the reviews due this month with it, the alert
//! rollup the reviews due last month and this one; decisions spelled any other way go
//! back raw for bearing's own readers.

use super::Bounds;
use super::text::{
    blank, canonical_date, normalized_timeframe, plain, regex_values, timeframe, timeframe_n,
};
use serde_json::{Map, Value};

/// The review date of a row of [`Review::dated`] (NULL when its timeframe is unreadable).
pub const REVIEW: &str = "if(isNotNull(tmonths), addMonths(base, tmonths), addDays(base, tdays))";

pub struct Review {
    /// Whether a row of the source is one the query reads itself, as 1 or 0.
    pub readable: String,
    /// The readable rows with `ts`, the kept columns, `base`, `tdays` and `tmonths`.
    pub dated: String,
    /// A row's local day, in whole days since 1970-01-01 (`day.rs`).
    pub day: String,
}

/// Review dates for the rows of `src` (a CTE with `ts`, `td` and `tf`), keeping the
/// columns `keep` (a comma-separated list).
pub fn dates(src: &str, keep: &str, b: &Bounds, v: &mut Map<String, Value>) -> Review {
    regex_values(v);
    let (days, months) = timeframe("tfn", "tn", v);
    // Tracking date readable or missing, and a plain-worded (or missing) timeframe.
    let readable = format!(
        "(({} OR {} = 1) AND ({} OR {} = 1))",
        canonical_date("td"),
        blank("td"),
        plain("tf"),
        blank("tf")
    );
    // The date is cut out only where the pattern guarantees a valid one; ClickHouse
    // evaluates both branches of an if.
    let day = super::day::local_day_number("ts", b, v);
    let base = format!(
        "if({c}, toDate(if({c}, substring(td, 1, 10), '1970-01-01')), \
         addDays(toDate('1970-01-01'), {day}))",
        c = canonical_date("td")
    );
    // Each step in its own subquery, so no expression is spelled (and evaluated)
    // more than once.
    let normalized = format!(
        "SELECT ts, {keep}, td, {} AS tfn FROM {src} WHERE {readable}",
        normalized_timeframe("tf")
    );
    let numbered = format!(
        "SELECT ts, {keep}, td, tfn, {} AS tn FROM ({normalized})",
        timeframe_n("tfn")
    );
    let dated = format!(
        "SELECT ts, {keep}, {base} AS base, {days} AS tdays, {months} AS tmonths FROM ({numbered})"
    );
    Review {
        readable,
        dated,
        day,
    }
}
