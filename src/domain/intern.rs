//! Strings stored once. Events repeat the same tenant ids, categories and range texts
//! thousands of times; each event keeps a 4-byte [`Sym`] instead, which keeps a
//! million-event file inside a small memory budget. Every string in an interner has
//! already been sanitised.

use rustc_hash::FxHashMap;
use std::sync::Arc;

/// An index into an [`Interner`]. `Sym::EMPTY` is the empty string, used for a
/// property that is missing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

impl Sym {
    pub const EMPTY: Sym = Sym(0);

    pub fn is_empty(self) -> bool {
        self == Sym::EMPTY
    }
}

#[derive(Clone, Debug)]
pub struct Interner {
    map: FxHashMap<Arc<str>, Sym>,
    strings: Vec<Arc<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        let empty: Arc<str> = Arc::from("");
        let mut map = FxHashMap::default();
        map.insert(empty.clone(), Sym::EMPTY);
        Interner {
            map,
            strings: vec![empty],
        }
    }
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(sym) = self.map.get(s) {
            return *sym;
        }
        self.insert_new(Arc::from(s))
    }

    fn insert_new(&mut self, s: Arc<str>) -> Sym {
        // More than 4 billion distinct strings cannot be held in memory anyway; the
        // saturating cast maps an impossible overflow onto the last slot, never a panic.
        let sym = Sym(u32::try_from(self.strings.len()).unwrap_or(u32::MAX));
        self.map.insert(s.clone(), sym);
        self.strings.push(s);
        sym
    }

    /// The interner whose symbols name `strings` in order: the first must be the empty
    /// string and none may come twice (None otherwise), as in any interner built here.
    pub fn from_strings(strings: Vec<Arc<str>>) -> Option<Interner> {
        if strings.first().is_none_or(|s| !s.is_empty()) || u32::try_from(strings.len()).is_err() {
            return None;
        }
        let mut map = FxHashMap::with_capacity_and_hasher(strings.len(), Default::default());
        for (i, s) in strings.iter().enumerate() {
            if map.insert(s.clone(), Sym(i as u32)).is_some() {
                return None;
            }
        }
        Some(Interner { map, strings })
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s).copied()
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        self.strings.get(sym.0 as usize).map_or("", |s| s)
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.len() <= 1
    }

    /// Moves every string of `other` into `self` and returns, for each of `other`'s
    /// symbols, the symbol it now has here. Used to merge the interners of parallel
    /// parse workers.
    pub fn absorb(&mut self, other: Interner) -> Vec<Sym> {
        other
            .strings
            .into_iter()
            .map(|s| match self.map.get(&*s) {
                Some(sym) => *sym,
                None => self.insert_new(s),
            })
            .collect()
    }
}

/// The symbols of strings looked up lately, each in a slot chosen by its length and
/// first and last eight bytes. A file repeats a few hundred values by the million; a
/// multiply and a compare with the string held find most of them, where the map hashed
/// every byte, probed and called `memcmp` (the interning was a sixth of a line's read).
/// A slot only ever answers with a symbol whose string is exactly the one asked for.
pub struct Recent(Box<[Sym; SLOTS]>);

/// A power of two, some times the distinct values a chunk of a file holds.
const SLOTS: usize = 1024;

impl Default for Recent {
    fn default() -> Self {
        Recent(Box::new([Sym::EMPTY; SLOTS]))
    }
}

impl Recent {
    /// The symbol `strings` gives `t`, if `t` was noted lately.
    pub fn get(&self, strings: &Interner, t: &str) -> Option<Sym> {
        let sym = self.0[slot(t.as_bytes())];
        (!sym.is_empty() && same(strings.resolve(sym).as_bytes(), t.as_bytes())).then_some(sym)
    }

    /// Notes that `sym` is what was found for `t`; `get` checks the string, so a
    /// symbol noted for another string (a sanitised one) is never answered.
    pub fn note(&mut self, t: &str, sym: Sym) {
        self.0[slot(t.as_bytes())] = sym;
    }
}

fn slot(b: &[u8]) -> usize {
    let n = b.len();
    let (head, tail) = if n >= 8 {
        (word(&b[..8]), word(&b[n - 8..]))
    } else {
        (b.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x)), 0)
    };
    let h = (head ^ tail.rotate_left(29) ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> (64 - SLOTS.trailing_zeros())) as usize
}

/// Eight bytes as one number (`w` is eight long).
fn word(w: &[u8]) -> u64 {
    u64::from_le_bytes(w.try_into().unwrap_or_default())
}

/// Byte equality a word at a time, inline: the short values this compares cost less
/// than a call to `memcmp`. The last word may overlap the one before it.
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let words = a.chunks_exact(8).zip(b.chunks_exact(8));
    words.into_iter().all(|(x, y)| word(x) == word(y)) && word(&a[n - 8..]) == word(&b[n - 8..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// Strings alike but for one byte (first, middle, last), of every length
        /// around the eight-byte words, looked up in turn: the recent slots answer
        /// as the map does, or not at all.
        #[test]
        fn recent_strings_are_answered_as_the_map_answers(
            base in "[a-c]{0,20}",
            edits in prop::collection::vec((0usize..24, b'a'..=b'd'), 1..40),
        ) {
            let mut strings = Interner::default();
            let mut recent = Recent::default();
            for (at, byte) in edits {
                let mut t = base.clone().into_bytes();
                if !t.is_empty() {
                    let i = at % t.len();
                    t[i] = byte;
                }
                if at % 5 == 0 {
                    t.push(byte);
                }
                let t = String::from_utf8(t).unwrap_or_default();
                let got = recent.get(&strings, &t);
                let sym = strings.intern(&t);
                prop_assert!(got.is_none_or(|g| g == sym), "{:?}: {:?} for {:?}", t, got, sym);
                prop_assert!(got.is_none() || !t.is_empty());
                recent.note(&t, sym);
                prop_assert_eq!(recent.get(&strings, &t), (!t.is_empty()).then_some(sym));
            }
        }

        /// Of every length around the words, alike but for one byte anywhere.
        #[test]
        fn same_is_byte_equality(
            a in prop::collection::vec(0u8..3, 0..30),
            at in any::<usize>(),
            byte in 0u8..4,
        ) {
            let mut b = a.clone();
            if !b.is_empty() {
                let n = b.len();
                b[at % n] = byte;
            }
            prop_assert_eq!(same(&a, &b), a == b);
            prop_assert!(same(&a, &a.clone()));
            b.push(byte);
            prop_assert!(!same(&a, &b));
        }
    }

    #[test]
    fn interning_is_stable_and_merges() {
        let mut a = Interner::default();
        let x = a.intern("tenant-1");
        assert_eq!(a.intern("tenant-1"), x);
        assert_eq!(a.resolve(x), "tenant-1");
        assert_eq!(a.resolve(Sym::EMPTY), "");

        let mut b = Interner::default();
        let y = b.intern("tenant-2");
        let x2 = b.intern("tenant-1");
        let map = a.absorb(b);
        assert_eq!(map[x2.0 as usize], x);
        assert_eq!(a.resolve(map[y.0 as usize]), "tenant-2");
        assert_eq!(map[0], Sym::EMPTY);
    }
}
