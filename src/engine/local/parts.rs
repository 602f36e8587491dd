//! The panes' rollups of a large dataset folded in parts, one thread each, then merged.
//! Folding is the one pass over every event held that the first screen of a file and
//! every period change wait for (about 10 ms at 100,000 events, 100 ms at a million):
//! on two cores it takes about half as long. A merge gives what one fold over all the
//! events gives (`parts_tests`): counts add, the latest time is the later, and the
//! decision rows of a later part are read after the earlier part's.

use super::{DecisionAcc, GroupAcc, Keep, PaneFold, TenantAcc, log_key, newest_first};
use crate::domain::{Dataset, Event, Sym};
use crate::engine::EngineParams;
use crate::engine::rollup::DecisionEntry;
use rustc_hash::FxHashMap;
use std::hash::Hash;

/// Below this many events one thread folds them all: starting threads would cost
/// more than they save.
pub const PARALLEL_FROM: usize = 20_000;

/// How many parts to fold `events` events in: one per core, at most four.
pub fn parts_for(events: usize) -> usize {
    if events < PARALLEL_FROM {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// The fold of every event of `ds`, in `parts` parts folded side by side.
pub fn fold_in_parts(ds: &Dataset, params: &EngineParams, keep: Keep, parts: usize) -> PaneFold {
    let fold = |events: &[Event]| {
        let mut f = PaneFold::new(params, keep);
        for e in events {
            f.add(e, &ds.strings);
        }
        // Each part's rows sorted on its own thread, merged in order below: sorting
        // them all after the merge was a quarter of the panes' time, on one core.
        newest_first(&mut f.decisions.rows);
        f
    };
    let size = ds.events.len().div_ceil(parts.max(1)).max(1);
    let mut chunks = ds.events.chunks(size);
    let first = chunks.next().unwrap_or_default();
    std::thread::scope(|s| {
        // Each later part on a thread of its own, or here if none can be started.
        let later: Vec<_> = chunks
            .map(|part| {
                std::thread::Builder::new()
                    .spawn_scoped(s, move || fold(part))
                    .map_err(|_| part)
            })
            .collect();
        let mut whole = fold(first);
        for part in later {
            let folded = match part {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                Err(part) => fold(part),
            };
            whole.merge(folded);
        }
        whole
    })
}

fn add_counts<K: Eq + Hash>(into: &mut FxHashMap<K, u32>, from: FxHashMap<K, u32>) {
    for (k, n) in from {
        *into.entry(k).or_default() += n;
    }
}

impl PaneFold {
    /// Adds the fold of the events that follow this one's in the dataset.
    fn merge(&mut self, later: PaneFold) {
        for (tenant, counts) in later.tenants {
            let into = self.tenants.entry(tenant).or_default();
            for (a, b) in into.iter_mut().zip(counts) {
                *a += b;
            }
        }
        add_counts(&mut self.revenue_ranges, later.revenue_ranges);
        add_counts(&mut self.cost_ranges, later.cost_ranges);
        merge_groups(&mut self.revenue, later.revenue);
        merge_groups(&mut self.cost, later.cost);
        self.decisions.merge(later.decisions);
        for (into, from) in self.health.kinds.iter_mut().zip(&later.health.kinds) {
            into.merge(from);
        }
    }
}

fn merge_groups(into: &mut FxHashMap<(Sym, Sym), GroupAcc>, from: FxHashMap<(Sym, Sym), GroupAcc>) {
    for (key, g) in from {
        let acc = into.entry(key).or_default();
        let (row, later) = (&mut acc.row, g.row);
        row.last_seen = row.last_seen.max(later.last_seen);
        for (a, b) in row.series.monthly.iter_mut().zip(later.series.monthly) {
            *a += b;
        }
        row.series.current += later.series.current;
        row.series.previous += later.series.previous;
        add_counts(&mut acc.ranges, g.ranges);
        add_counts(&mut acc.labels, g.labels);
        add_counts(&mut acc.labels2, g.labels2);
        add_counts(&mut acc.priorities, g.priorities);
        add_counts(&mut acc.flags, g.flags);
    }
}

impl DecisionAcc {
    fn merge(&mut self, later: DecisionAcc) {
        self.timeframes.extend(later.timeframes);
        self.out.total += later.out.total;
        self.out.in_period += later.out.in_period;
        self.out.due_this_month += later.out.due_this_month;
        for (tenant, t) in later.tenants {
            let into: &mut TenantAcc = self.tenants.entry(tenant).or_default();
            into.in_period += t.in_period;
            into.due += t.due;
            add_counts(&mut into.categories, t.categories);
            add_counts(&mut into.levels, t.levels);
        }
        // Read after every decision of this part: their places in the order read
        // come after this part's, which breaks the log's ties as one fold would.
        let offset = self.read;
        let placed = |(row, read): (_, u64)| (row, read + offset);
        let rows = std::mem::take(&mut self.rows);
        self.rows = merged(rows, later.rows.into_iter().map(placed));
        self.due.extend(later.due.into_iter().map(placed));
        self.read += later.read;
    }
}

type Row = (DecisionEntry, u64);

/// Two lists of rows in the log's order as one, in that order (so the sort that
/// finishes the log finds it sorted, in one pass).
fn merged(earlier: Vec<Row>, later: impl Iterator<Item = Row>) -> Vec<Row> {
    let mut out = Vec::with_capacity(earlier.len() + later.size_hint().0);
    let (mut a, mut b) = (earlier.into_iter().peekable(), later.peekable());
    loop {
        let from_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => log_key(x) <= log_key(y),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        out.extend(if from_a { a.next() } else { b.next() });
    }
}
