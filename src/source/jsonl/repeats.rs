//! Events sent twice under one uuid (an SDK that retried) count once, as in PostHog
//! once its table merges: the later copies are dropped. Events without a uuid cannot
//! be told apart and all count. An event is known by a 64-bit hash of uuid and kind
//! (two uuids sharing one: about 3 in 10^8 at a million events).

use crate::domain::Event;
use rustc_hash::FxHashSet;
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
    radix_sort(&mut halves);
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

/// Sorts numbers by their bytes, lowest byte first (an LSD radix sort): four passes
/// over the list where a comparison sort made some seventeen. This runs on one thread
/// after a file's last line is read, while the first screen waits (a fifth of the
/// panes' time at 100k events). The second list it needs is 4 bytes an event, beside
/// the 64 of each event held.
fn radix_sort(v: &mut Vec<u32>) {
    let mut other = vec![0u32; v.len()];
    for shift in [0u32, 8, 16, 24] {
        let byte = |x: u32| (x >> shift & 0xff) as usize;
        let mut at = [0usize; 256];
        for &x in v.iter() {
            at[byte(x)] += 1;
        }
        let mut start = 0;
        for slot in &mut at {
            (*slot, start) = (start, start + *slot);
        }
        for &x in v.iter() {
            let b = byte(x);
            other[at[b]] = x;
            at[b] += 1;
        }
        std::mem::swap(v, &mut other);
    }
}

/// How a read that holds no event tells retries apart. Checking each event against
/// every hash seen before was a cache miss or two per event on the merger's one thread
/// (a fifth of the read); instead a first read notes every hash in a list (8 bytes an
/// event, written in order) and drops nothing, and the list sorted at the end says
/// which hashes came twice. Only then, and only for those, is the file read again
/// dropping the later copies: exports seldom hold a retry, so most are read once.
pub enum Repeats<'d> {
    Noting(Vec<u64>),
    Dropping {
        twice: &'d FxHashSet<u64>,
        seen: FxHashSet<u64>,
        dropped: u64,
    },
}

impl<'d> Repeats<'d> {
    /// A first read, with room for `room` hashes asked for (room never written takes
    /// no memory).
    pub fn noting(room: usize) -> Repeats<'d> {
        let mut hashes = Vec::new();
        let _ = hashes.try_reserve_exact(room);
        Repeats::Noting(hashes)
    }

    /// A second read, dropping the later copies of the hashes seen `twice`.
    pub fn dropping(twice: &'d FxHashSet<u64>) -> Repeats<'d> {
        Repeats::Dropping {
            twice,
            seen: FxHashSet::default(),
            dropped: 0,
        }
    }

    /// Whether to hand this event on (events come in file order).
    pub fn keep(&mut self, e: &Event) -> bool {
        let Some(h) = key(e) else { return true };
        match self {
            Repeats::Noting(hashes) => {
                hashes.push(h);
                true
            }
            Repeats::Dropping {
                twice,
                seen,
                dropped,
            } => {
                if !twice.contains(&h) || seen.insert(h) {
                    return true;
                }
                *dropped += 1;
                false
            }
        }
    }

    /// After a first read, the hashes it met more than once (None: no retries, and
    /// what was handed on stands); after a second, how many copies it dropped.
    pub fn finish(self) -> Result<u64, FxHashSet<u64>> {
        match self {
            Repeats::Noting(mut hashes) => {
                let twice = met_twice(&mut hashes);
                if twice.is_empty() { Ok(0) } else { Err(twice) }
            }
            Repeats::Dropping { dropped, .. } => Ok(dropped),
        }
    }
}

/// The hashes `hashes` holds more than once. Sorting them was the last step of a read,
/// with every worker done and one core idle: each half is sorted on its own core and
/// the halves are walked together.
fn met_twice(hashes: &mut [u64]) -> FxHashSet<u64> {
    let (a, b) = hashes.split_at_mut(hashes.len() / 2);
    let sorted_apart = std::thread::scope(|s| {
        let other = std::thread::Builder::new().spawn_scoped(s, || a.sort_unstable());
        b.sort_unstable();
        other.is_ok_and(|t| t.join().is_ok())
    });
    // No thread to be had (or, impossibly, a sort of numbers that panicked): that half
    // is sorted here.
    if !sorted_apart {
        a.sort_unstable();
    }
    let mut twice = FxHashSet::default();
    let within = |half: &[u64], twice: &mut FxHashSet<u64>| {
        twice.extend(half.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]));
    };
    within(a, &mut twice);
    within(b, &mut twice);
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                twice.insert(x);
                i += 1;
                j += 1;
            }
        }
    }
    twice
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_radix_sort_sorts_as_a_comparison_sort_does(
            mut v in prop::collection::vec(
                prop_oneof![any::<u32>(), 0u32..4, Just(u32::MAX), (0u32..4).prop_map(|x| x << 24)],
                0..300,
            ),
        ) {
            let mut want = v.clone();
            want.sort_unstable();
            radix_sort(&mut v);
            prop_assert_eq!(v, want);
        }
    }

    fn event(uuid: u8, at: i64) -> Event {
        Event {
            uuid: [uuid; 16],
            ..Event::bare(at)
        }
    }

    #[test]
    fn a_second_read_keeps_the_first_copies_as_dropping_repeats_does() {
        let events: Vec<Event> = [1, 2, 1, 0, 0, 3, 2, 1]
            .iter()
            .enumerate()
            .map(|(i, u)| event(*u, i as i64))
            .collect();
        let mut first = Repeats::noting(0);
        assert!(
            events.iter().all(|e| first.keep(e)),
            "a first read drops none"
        );
        let twice = first.finish().unwrap_err();
        assert_eq!(twice.len(), 2, "uuids 1 and 2");
        let mut again = Repeats::dropping(&twice);
        let kept: Vec<i64> = events
            .iter()
            .filter(|e| again.keep(e))
            .map(|e| e.at)
            .collect();
        assert_eq!(again.finish(), Ok(3));
        let mut held = events.clone();
        assert_eq!(drop_repeats(&mut held), 3);
        assert_eq!(kept, held.iter().map(|e| e.at).collect::<Vec<_>>());
        assert_eq!(kept, [0, 1, 3, 4, 5], "no uuid: every one counts");
        // Copies on either side of the halves sorted apart, within one, and none.
        for (hashes, want) in [
            (vec![5, 1, 9, 3, 5, 7], vec![5]),
            (vec![4, 4, 1, 2, 3, 8], vec![4]),
            (vec![1, 2, 3, 3, 2, 6, 6], vec![2, 3, 6]),
            (vec![1, 2, 3], vec![]),
            (vec![], vec![]),
            (vec![7, 7], vec![7]),
        ] {
            let mut twice: Vec<u64> = met_twice(&mut hashes.clone()).into_iter().collect();
            twice.sort_unstable();
            assert_eq!(twice, want, "{hashes:?}");
        }
        let mut once = Repeats::noting(0);
        assert!(events[..2].iter().all(|e| once.keep(e)));
        assert_eq!(once.finish(), Ok(0), "no retry: read once");
    }
}
