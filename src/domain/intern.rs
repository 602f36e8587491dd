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

#[cfg(test)]
mod tests {
    use super::*;

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
