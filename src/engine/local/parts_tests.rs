//! Folding in parts gives what one fold over every event gives: the same rollups (in
//! any order within a count list, which the builders sort) and the same panes, to
//! the last decision row and its place among ties.

use super::parts::fold_in_parts;
use super::{Keep, PaneFold};
use crate::domain::{Dataset, PeriodSpec};
use crate::engine::decisions::DecisionLog;
use crate::engine::rollup::{Counts, Rollups};
use crate::engine::{EngineParams, build};
use crate::source::demo::{DemoOptions, dataset};
use chrono::NaiveDate;
use proptest::prelude::*;

fn sorted<K: Ord + Copy>(c: &mut Counts<K>) {
    c.sort_unstable_by_key(|&(k, _)| k);
}

/// The rollups with every count list in one order.
fn normalised(mut r: Rollups) -> Rollups {
    r.overview.tenants.sort_unstable_by_key(|&(t, _)| t);
    sorted(&mut r.overview.revenue_ranges);
    sorted(&mut r.overview.cost_ranges);
    for groups in [&mut r.revenue.groups, &mut r.cost.groups] {
        groups.sort_unstable_by_key(|g| (g.tenant, g.group));
        for g in groups {
            sorted(&mut g.ranges);
            sorted(&mut g.labels);
            sorted(&mut g.labels2);
            sorted(&mut g.priorities);
            sorted(&mut g.flags);
        }
    }
    r.decisions.tenants.sort_unstable_by_key(|t| t.tenant);
    for t in &mut r.decisions.tenants {
        sorted(&mut t.categories);
        sorted(&mut t.levels);
    }
    r
}

/// The decision log as shown: its rows in their order; its tenants, which are looked
/// up by tenant, in one order.
fn log(mut d: DecisionLog) -> String {
    d.tenants.sort_unstable_by_key(|t| t.tenant);
    for t in &mut d.tenants {
        sorted(&mut t.categories);
        sorted(&mut t.levels);
    }
    format!("{d:?}")
}

fn one_fold(ds: &Dataset, params: &EngineParams, keep: Keep) -> PaneFold {
    let mut f = PaneFold::new(params, keep);
    for e in &ds.events {
        f.add(e, &ds.strings);
    }
    f
}

/// Demo data with some decisions at one instant under one uuid, so that only the
/// order read can break their ties in the log.
fn demo(events: usize, seed: u64, today: NaiveDate) -> Dataset {
    let mut ds = dataset(DemoOptions {
        today,
        events,
        seed,
    });
    let tied = ds.events.iter().position(|e| e.kind() as usize == 2);
    if let Some(first) = tied {
        let (at, uuid) = (ds.events[first].at, ds.events[first].uuid);
        for e in ds.events.iter_mut().skip(first).step_by(7) {
            (e.at, e.uuid) = (at, uuid);
        }
    }
    ds
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn parts_fold_as_one(
        events in 0usize..3000,
        seed in any::<u64>(),
        parts in 1usize..6,
        day in 0u64..400,
        period in prop::sample::select(vec![
            PeriodSpec::ThisMonth,
            PeriodSpec::Trailing(90),
            PeriodSpec::LastQuarter,
        ]),
        newest in prop::option::of(1usize..40),
    ) {
        let today = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap() + chrono::Days::new(day);
        let ds = demo(events, seed, today);
        let params = EngineParams { period, ..EngineParams::new(today) };
        let keep = newest.map_or(Keep::All, Keep::Newest);
        let whole = one_fold(&ds, &params, keep).finish(&ds);
        let in_parts = fold_in_parts(&ds, &params, keep, parts).finish(&ds);
        let (a, b) = (build(&in_parts, &ds.strings, &params), build(&whole, &ds.strings, &params));
        prop_assert_eq!(format!("{:?}", a.overview), format!("{:?}", b.overview));
        prop_assert_eq!(format!("{:?}", a.revenue), format!("{:?}", b.revenue));
        prop_assert_eq!(format!("{:?}", a.cost), format!("{:?}", b.cost));
        prop_assert_eq!(log(a.decisions), log(b.decisions));
        prop_assert_eq!(format!("{:?}", a.health), format!("{:?}", b.health));
        prop_assert_eq!(normalised(in_parts), normalised(whole));
    }
}

/// The cockpit's own call folds a large dataset in parts, and gets what one fold gets.
#[test]
fn the_cockpits_rollups_of_a_large_dataset() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let ds = demo(super::parts::PARALLEL_FROM + 5000, 3, today);
    let params = EngineParams::new(today);
    let whole = one_fold(&ds, &params, Keep::All).finish(&ds);
    assert!(whole.decisions.rows.len() > 5000);
    assert_eq!(normalised(super::rollups(&ds, &params)), normalised(whole));
}
