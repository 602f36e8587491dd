//! Approximate impact: the sum of the lows and the highs of the known money ranges,
//! shown the seed's way, `"$5K–15K potential impact"`, with the ranges that could not
//! be summed counted alongside rather than silently dropped.

use crate::domain::range::{RangeParse, Unit, format_range, parse_range};
use crate::domain::{Interner, Sym};
use rustc_hash::FxHashMap;
use serde::Serialize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Impact {
    pub low: f64,
    pub high: f64,
    /// Ranges summed.
    pub known: u32,
    /// Ranges that were missing, `unknown`, unreadable, or not money (a percentage).
    pub unknown: u32,
    /// Sum of midpoints of the known ranges, for averages.
    pub midpoints: f64,
}

impl Impact {
    pub fn add(&mut self, range: RangeParse) {
        match range {
            RangeParse::Known(r) if r.is_money() => {
                self.low += r.low;
                self.high += r.high;
                self.midpoints += r.midpoint();
                self.known += 1;
            }
            _ => self.unknown += 1,
        }
    }

    /// The same range `n` times.
    pub fn add_n(&mut self, range: RangeParse, n: u32) {
        match range {
            RangeParse::Known(r) if r.is_money() => {
                let k = f64::from(n);
                self.low += r.low * k;
                self.high += r.high * k;
                self.midpoints += r.midpoint() * k;
                self.known += n;
            }
            _ => self.unknown += n,
        }
    }

    /// Sums counted range texts (a missing one counts as unquantified), in the order
    /// of the texts so the sum does not depend on the order an executor returned them.
    pub fn sum(strings: &Interner, ranges: &[(Sym, u32)]) -> Impact {
        Impact::sum_with(&mut RangeCache::default(), strings, ranges)
    }

    /// [`Impact::sum`], each text parsed once across all the sums `cache` serves: the
    /// panes sum the same few dozen texts for every tenant and category, and parsing
    /// them again was half of building the panes from their rollups.
    pub fn sum_with(cache: &mut RangeCache, strings: &Interner, ranges: &[(Sym, u32)]) -> Impact {
        let mut sorted: Vec<&(Sym, u32)> = ranges.iter().collect();
        sorted.sort_by(|a, b| strings.resolve(a.0).cmp(strings.resolve(b.0)));
        let mut out = Impact::default();
        for (sym, n) in sorted {
            out.add_n(cache.get(strings, *sym), *n);
        }
        out
    }

    pub fn merge(&mut self, other: &Impact) {
        self.low += other.low;
        self.high += other.high;
        self.midpoints += other.midpoints;
        self.known += other.known;
        self.unknown += other.unknown;
    }

    pub fn is_known(&self) -> bool {
        self.known > 0
    }

    /// `$5K–15K`, or `—` when nothing could be summed.
    pub fn range(&self) -> String {
        if self.is_known() {
            format_range(self.low, self.high, Unit::Dollars)
        } else {
            "—".to_owned()
        }
    }

    /// The seed's wording, e.g. `$5K–15K potential impact`.
    pub fn phrase(&self, noun: &str) -> String {
        let base = if self.is_known() {
            format!("{} {noun}", self.range())
        } else {
            format!("no quantified {noun}")
        };
        if self.unknown > 0 {
            format!("{base} (+{} unquantified)", self.unknown)
        } else {
            base
        }
    }

    /// The mean of the known ranges' midpoints: what the seed's `avg_savings_estimate`
    /// meant to compute.
    pub fn average(&self) -> Option<f64> {
        (self.known > 0).then(|| self.midpoints / f64::from(self.known))
    }
}

/// Parses each distinct range text once; a range property has few distinct values.
/// Its symbols are those of one interner: one cache per set of strings.
#[derive(Default)]
pub struct RangeCache {
    parsed: FxHashMap<Sym, RangeParse>,
}

impl RangeCache {
    pub fn get(&mut self, strings: &Interner, sym: Sym) -> RangeParse {
        if sym.is_empty() {
            return RangeParse::Unknown;
        }
        *self
            .parsed
            .entry(sym)
            .or_insert_with(|| parse_range(strings.resolve(sym)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Sums of many lists through one cache are the sums each list gives alone,
        /// bit for bit: a text is never answered with another's parse.
        #[test]
        fn one_cache_for_many_sums_changes_no_sum(
            lists in prop::collection::vec(
                prop::collection::vec((0usize..9, 1u32..50), 0..8),
                1..12,
            ),
        ) {
            let texts = [
                "", "$5K-15K", "1000-5000", "unknown", "25-50%", "$2K-8K", "1000 - 5000",
                "$50K+", "lots",
            ];
            let mut strings = Interner::default();
            let syms: Vec<Sym> = texts.iter().map(|t| strings.intern(t)).collect();
            let mut shared = RangeCache::default();
            for list in lists {
                let ranges: Vec<(Sym, u32)> = list.iter().map(|&(i, n)| (syms[i], n)).collect();
                let alone = Impact::sum(&strings, &ranges);
                let through = Impact::sum_with(&mut shared, &strings, &ranges);
                prop_assert_eq!(
                    (alone.low.to_bits(), alone.high.to_bits(), alone.midpoints.to_bits()),
                    (through.low.to_bits(), through.high.to_bits(), through.midpoints.to_bits())
                );
                prop_assert_eq!((alone.known, alone.unknown), (through.known, through.unknown));
            }
        }
    }

    #[test]
    fn sums_lows_and_highs_and_counts_the_rest() {
        let mut i = Impact::default();
        i.add(parse_range("$5K-15K"));
        i.add(parse_range("1000-5000"));
        i.add(parse_range("unknown"));
        i.add(parse_range("25-50%"));
        assert_eq!((i.low, i.high, i.known, i.unknown), (6000.0, 20000.0, 2, 2));
        assert_eq!(
            i.phrase("potential impact"),
            "$6K–20K potential impact (+2 unquantified)"
        );
        assert_eq!(i.average(), Some(6500.0));
        assert_eq!(
            Impact::default().phrase("potential impact"),
            "no quantified potential impact"
        );
    }
}
