//! The fast path for the lines nearly every export is made of: an object of plain
//! strings, small whole numbers, booleans and nulls, read straight into a
//! [`RawEvent`] by one forward scan that borrows every string from the line.
//!
//! It answers only when it is sure: the moment a line holds anything it does not read
//! exactly as serde_json would (an escape, a fraction, a negative number, properties as
//! a string, deep nesting, a syntax error), it gives up and the line goes to serde_json
//! (`super::RawEvent`'s `Deserialize`), so every messy spelling and every broken line's
//! reason stays as it was. serde_json spent most of a read scanning strings byte by
//! byte for quotes, escapes and control characters; this scans eight bytes at a time.
//!
//! A line shaped like one read before (the same keys, spacing and kinds of values) is
//! read by that shape instead (`shape`): only its values are read, the bytes between
//! them compared; the scan reads the rest, and teaches the shapes.

use super::{EventKey, PropKey, RawEvent, RawProps, Scalar, event_key, fill_one, prop_key};
use crate::domain::EventKind;
use std::borrow::Cow;

/// The event on `line`, or None when serde_json must read it.
pub fn parse(line: &str) -> Option<RawEvent<'_>> {
    let mut e = RawEvent::default();
    parse_into(line, &mut e, &mut Keys::default()).then_some(e)
}

/// Reads the event on `line` into `e` (a fresh record) and says whether it could;
/// when it could not, `e` holds a part and serde_json must read the line. `keys` is
/// what the lines read before it taught (one per reader, kept from line to line).
pub fn parse_into<'a>(line: &'a str, e: &mut RawEvent<'a>, keys: &mut Keys) -> bool {
    if keys.shapes.read(line, e) {
        return true;
    }
    if !scan(line, e, keys, None) {
        return false;
    }
    if keys.shapes.may_learn() {
        keys.shapes.learn(line, |marks| {
            scan(
                line,
                &mut RawEvent::default(),
                &mut Keys::default(),
                Some(marks),
            )
        });
    }
    true
}

/// The forward scan of a whole line, noting where each value is in `marks` if given.
fn scan<'a>(
    line: &'a str,
    e: &mut RawEvent<'a>,
    keys: &mut Keys,
    marks: Option<&mut Vec<shape::Mark>>,
) -> bool {
    let mut p = Scan {
        text: line,
        at: 0,
        depth: 0,
        marks,
    };
    if p.event(e, keys).is_none() {
        return false;
    }
    p.ws();
    p.at == line.len()
}

/// The known keys met at each place of the last line's event and properties. One
/// producer writes every line's keys in one order, so the key at a place is nearly
/// always the one met there before: it is then recognised by comparing its bytes with
/// that key's, not by scanning for its end and looking its name up (keys are a third
/// of a line). Any other key is read as before, and is what the place expects next.
#[derive(Default)]
pub struct Keys {
    event: [Option<EventKey>; 8],
    /// Each event's properties have their own order: one table per strategic event
    /// and one for any other.
    props: [[Option<PropKey>; 24]; 4],
    /// Whole lines' shapes, for lines that repeat one (`shape`).
    shapes: shape::Shapes,
}

impl Keys {
    fn props_of(&mut self, event: Option<&str>) -> &mut [Option<PropKey>] {
        let i = event
            .and_then(EventKind::from_event_name)
            .map_or(3, |k| k as usize);
        &mut self.props[i]
    }
}

/// Sets the value of `key` (not `properties`, which holds values of its own) as the
/// event's; None leaves the line to serde_json.
#[inline]
fn set_event<'a>(e: &mut RawEvent<'a>, key: EventKey, value: Value<'a>) -> Option<()> {
    match key {
        EventKey::Uuid => e.uuid = value.scalar()?.and_then(Scalar::into_text),
        EventKey::Event => {
            e.event = match value {
                Value::Str(name) => Some(Cow::Borrowed(name)),
                Value::Null => None,
                // serde_json refuses the line, with its reason.
                _ => return None,
            }
        }
        EventKey::DistinctId => e.distinct_id = value.scalar()?,
        EventKey::Timestamp => e.timestamp = value.scalar()?,
        EventKey::Properties => return None,
    }
    Some(())
}

/// serde_json stops at 128 levels; far fewer are left to it.
const MAX_DEPTH: u32 = 64;

struct Scan<'a, 'm> {
    text: &'a str,
    at: usize,
    depth: u32,
    /// Where each value was, when a line's shape is being learnt.
    marks: Option<&'m mut Vec<shape::Mark>>,
}

/// A value as the fast path reads it.
enum Value<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
    Null,
    Nested,
    /// A number this path does not read (a sign, fraction or exponent, or over 18
    /// digits): skipped where the value is ignored, else left to serde_json.
    Number,
}

impl<'a> Value<'a> {
    /// As `Option<Scalar>` deserialises (null is None); the outer None leaves the
    /// line to serde_json.
    fn scalar(self) -> Option<Option<Scalar<'a>>> {
        Some(match self {
            Value::Str(s) => Some(Scalar::Str(Cow::Borrowed(s))),
            Value::Int(i) => Some(Scalar::Int(i)),
            Value::Bool(b) => Some(Scalar::Bool(b)),
            Value::Null => None,
            Value::Nested => Some(Scalar::Nested),
            Value::Number => return None,
        })
    }
}

impl<'a> Scan<'a, '_> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// Skips JSON whitespace (a line holds no `\n`; a `\r` was cut off its end).
    fn ws(&mut self) {
        let b = self.bytes();
        while matches!(b.get(self.at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes().get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.at += 1)
    }

    fn event(&mut self, e: &mut RawEvent<'a>, keys: &mut Keys) -> Option<()> {
        let mut place = 0;
        self.items((b'{', b'}'), |s| {
            let key = s.key(keys.event.get_mut(place), event_key, EventKey::name)?;
            place += 1;
            s.eat(b':')?;
            let start = s.value_start();
            match key {
                Some(EventKey::Properties) => {
                    // A later `properties` replaces an earlier one whole. What it
                    // holds is marked value by value.
                    s.mark(start, shape::Op::Properties);
                    e.properties.0 = RawProps::default();
                    match s.peek()? {
                        b'{' => {
                            let keys = keys.props_of(e.event.as_deref());
                            s.properties(&mut e.properties.0, keys)?;
                        }
                        b'n' => s.literal(b"null")?,
                        // A string holding JSON, or no object at all.
                        _ => return None,
                    }
                }
                Some(key) => {
                    let value = s.value()?;
                    let named = matches!((&value, key), (Value::Str(_), EventKey::Event));
                    set_event(e, key, value)?;
                    s.mark(
                        start,
                        if named {
                            shape::Op::Named
                        } else {
                            shape::Op::Event(key)
                        },
                    );
                }
                None => {
                    s.value()?;
                    s.mark(start, shape::Op::Skip);
                }
            }
            Some(())
        })
    }

    /// Where the value after a key's colon starts, when learning a shape (a value's
    /// own reading skips the whitespace before it otherwise).
    #[inline]
    fn value_start(&mut self) -> usize {
        if self.marks.is_some() {
            self.ws();
        }
        self.at
    }

    /// Notes that the value read from `start` is set by `op`, when learning a shape.
    #[inline]
    fn mark(&mut self, start: usize, op: shape::Op) {
        let (end, depth) = (self.at, self.depth);
        if let Some(marks) = self.marks.as_deref_mut() {
            marks.push(shape::Mark {
                value: start..end,
                op,
                depth,
            });
        }
    }

    fn properties(&mut self, p: &mut RawProps<'a>, keys: &mut [Option<PropKey>]) -> Option<()> {
        let mut place = 0;
        self.items((b'{', b'}'), |s| {
            let key = s.key(keys.get_mut(place), prop_key, PropKey::name)?;
            place += 1;
            s.eat(b':')?;
            let start = s.value_start();
            match key {
                Some(k) => {
                    fill_one(p, k, s.value()?.scalar()?);
                    s.mark(start, shape::Op::Prop(k));
                }
                None => {
                    s.value()?;
                    s.mark(start, shape::Op::Skip);
                }
            }
            Some(())
        })
    }

    /// An object's next key, as `known` reads it (None for a key bearing ignores).
    /// The key `expected` names is tried first, by its bytes; the key read is what
    /// `expected` names next time.
    fn key<K: Copy>(
        &mut self,
        expected: Option<&mut Option<K>>,
        known: fn(&str) -> Option<K>,
        name: fn(K) -> &'static str,
    ) -> Option<Option<K>> {
        self.ws();
        let b = self.bytes();
        if let Some(&Some(k)) = expected.as_deref() {
            // `"name"` exactly: a known name has no character that needs escaping, so
            // these bytes are that string and no other.
            let n = name(k).as_bytes();
            let end = self.at + 1 + n.len();
            if b.get(self.at) == Some(&b'"')
                && b.get(self.at + 1..end) == Some(n)
                && b.get(end) == Some(&b'"')
            {
                self.at = end + 1;
                return Some(Some(k));
            }
        }
        let key = known(self.string()?);
        if let Some(slot) = expected {
            *slot = key;
        }
        Some(key)
    }

    /// An object, each key handed to `entry` to read its value.
    fn object(&mut self, mut entry: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.items((b'{', b'}'), |s| {
            let key = s.string()?;
            s.eat(b':')?;
            entry(s, key)
        })
    }

    fn array(&mut self) -> Option<()> {
        self.items((b'[', b']'), |s| s.value().map(drop))
    }

    /// The items of an object or array between `open` and `close`, comma separated,
    /// each read by `item`.
    fn items(
        &mut self,
        (open, close): (u8, u8),
        mut item: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        self.eat(open)?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        if self.peek()? != close {
            loop {
                item(self)?;
                match self.peek()? {
                    b',' => self.at += 1,
                    c if c == close => break,
                    _ => return None,
                }
            }
        }
        self.at += 1;
        self.depth -= 1;
        Some(())
    }

    fn value(&mut self) -> Option<Value<'a>> {
        match self.peek()? {
            b'"' => self.string().map(Value::Str),
            b'{' => self
                .object(|s, _| s.value().map(drop))
                .map(|()| Value::Nested),
            b'[' => self.array().map(|()| Value::Nested),
            b't' => self.literal(b"true").map(|()| Value::Bool(true)),
            b'f' => self.literal(b"false").map(|()| Value::Bool(false)),
            b'n' => self.literal(b"null").map(|()| Value::Null),
            b'0'..=b'9' | b'-' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes().get(self.at..end)? == word).then(|| self.at = end)
    }

    /// A number, checked against JSON's grammar as serde_json checks it. A whole
    /// number of up to 18 digits is read (serde_json reads it as the same `u64`); any
    /// other is only skipped (`-0` is a float there, a large one a float or an error).
    fn number(&mut self) -> Option<Value<'a>> {
        let b = self.bytes();
        let start = self.at;
        let negative = b.get(self.at) == Some(&b'-');
        self.at += usize::from(negative);
        let int = self.digits();
        let first = *b.get(self.at - int)?;
        if int == 0 || (first == b'0' && int > 1) {
            return None;
        }
        let mut whole = true;
        if b.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
            whole = false;
        }
        if matches!(b.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(b.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
            whole = false;
        }
        if negative || !whole || int > 18 {
            return Some(Value::Number);
        }
        let n = b[start..self.at]
            .iter()
            .fold(0i64, |n, c| n * 10 + i64::from(c - b'0'));
        Some(Value::Int(n))
    }

    /// Skips ASCII digits; how many.
    fn digits(&mut self) -> usize {
        let n = self.bytes()[self.at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        self.at += n;
        n
    }

    /// A string with no escape, borrowed from the line; None for any other.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let len = special(&self.bytes()[start..])?;
        if self.bytes()[start + len] != b'"' {
            return None;
        }
        self.at = start + len + 1;
        // Both ends are ASCII quotes, so both are character boundaries.
        self.text.get(start..start + len)
    }
}

/// Where the first `"`, `\` or control character is, eight bytes at a time: in each
/// mask only bytes at or above the first true match can be set, so the lowest set bit
/// of their union is the first byte that is any of the three.
fn special(b: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut i = 0;
    while let Some(word) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(word.try_into().ok()?);
        let found = zero_in(x ^ (ONES * u64::from(b'"')))
            | zero_in(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|p| i + p)
}

mod shape;

#[cfg(test)]
mod tests;
