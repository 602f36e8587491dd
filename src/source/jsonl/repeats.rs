//! Events sent twice under one uuid (an SDK that retried) count once, as in PostHog
//! once its table merges: the later copies are dropped. Events without a uuid cannot
//! be told apart and all count. An event is known by a 64-bit hash of uuid and kind
//! (two uuids sharing one: about 3 in 10^8 at a million events).

use crate::domain::Event;
use std::hash::BuildHasher;

/// The hash an event is known by, None without a uuid.
pub fn key(e: &Event) -> Option<u64> {
    (e.uuid != [0; 16]).then(|| rustc_hash::FxBuildHasher.hash_one((e.uuid, e.kind() as u8)))
}

/// Drops the later copies of an event sent twice under one uuid (an SDK that retried),
/// as PostHog does once its table merges; returns how many. Events without a uuid
/// cannot be told apart and all count. An event is known by a 64-bit hash of uuid and
/// kind (two uuids sharing one: about 3 in 10^8 at a million events).
///
/// Memory is what this is about: it runs when every event is held, so it is the peak
/// of a read. A set of every hash took 18 MB at a million events; instead the hashes'
/// low 32 bits are sorted (4 MB), and only hashes whose low half is seen twice, a
/// repeat or one of some hundred chance pairs, are told apart with a set.
pub fn drop_repeats(events: &mut Vec<Event>) -> u64 {
    let mut halves: Vec<u32> = events
        .iter()
        .filter_map(|e| key(e).map(|h| h as u32))
        .collect();
    halves.sort_unstable();
    let suspects: rustc_hash::FxHashSet<u32> = halves
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    drop(halves);
    if suspects.is_empty() {
        return 0;
    }
    let mut seen = rustc_hash::FxHashSet::default();
    let before = events.len();
    events.retain(|e| match key(e) {
        Some(h) if suspects.contains(&(h as u32)) => seen.insert(h),
        _ => true,
    });
    (before - events.len()) as u64
}

/// The events seen so far, as a read that keeps none of them checks each new one:
/// their hashes in 65,536 sorted buckets (by the top 16 bits), 8 bytes an event and a
/// short search within one bucket, where a hash set of ten million took 150 MB.
pub struct Seen {
    buckets: Vec<Vec<u64>>,
}

impl Default for Seen {
    fn default() -> Seen {
        Seen {
            buckets: vec![Vec::new(); 1 << 16],
        }
    }
}

impl Seen {
    /// Whether this event is the first with its uuid and kind; notes it either way.
    pub fn first(&mut self, e: &Event) -> bool {
        let Some(h) = key(e) else { return true };
        let bucket = &mut self.buckets[(h >> 48) as usize];
        match bucket.binary_search(&h) {
            Ok(_) => false,
            Err(at) => {
                // Grown by a quarter, not doubled: the buckets are most of the memory
                // a long read holds.
                if bucket.len() == bucket.capacity() {
                    bucket.reserve_exact((bucket.len() / 4).max(4));
                }
                bucket.insert(at, h);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CostDetails, Details, Sym};

    fn event(uuid: u8, at: i64) -> Event {
        Event {
            at,
            tracked: i32::MIN,
            uuid: [uuid; 16],
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

    #[test]
    fn seen_keeps_the_first_copy_as_dropping_repeats_does() {
        let events: Vec<Event> = [1, 2, 1, 0, 0, 3, 2, 1]
            .iter()
            .enumerate()
            .map(|(i, u)| event(*u, i as i64))
            .collect();
        let mut seen = Seen::default();
        let kept: Vec<i64> = events
            .iter()
            .filter(|e| seen.first(e))
            .map(|e| e.at)
            .collect();
        let mut held = events.clone();
        assert_eq!(drop_repeats(&mut held), 3);
        assert_eq!(kept, held.iter().map(|e| e.at).collect::<Vec<_>>());
        assert_eq!(kept, [0, 1, 3, 4, 5], "no uuid: every one counts");
    }
}
