//! Lines by their shape. One producer writes nearly every line of an export alike: the
//! same keys in the same order with the same spacing and the same kinds of values;
//! only the values differ. A line the scan has read is kept as a shape: its bytes
//! between values, and what each value sets. A later line with exactly those bytes
//! between its values is read by comparing them eight at a time and reading only the
//! values: no key looked at, no whitespace skipped, no dispatch on what comes next. A
//! string, what nearly every value is, is read from its first byte to its closing quote.
//!
//! It reads exactly as the scan does. Equal bytes between the values are equal keys in
//! equal places with equal punctuation. A string's opening quote is among the bytes
//! compared and its end is found by the scan's own `special`; any other value is read
//! by the scan's own `value`, at the depth the scan read it. Values are set in the
//! line's order, by the scan's own setters, so a repeated key or a second `properties`
//! does what it does there. A line whose bytes differ anywhere goes on to the next
//! shape, then to the scan.

use super::{EventKey, PropKey, RawEvent, RawProps, Scan, Value, fill_one, set_event, special};
use std::borrow::Cow;
use std::ops::Range;

/// What a value the scan read sets.
#[derive(Clone, Copy)]
pub enum Op {
    Event(EventKey),
    /// The event's name, a string: its bytes are compared with the rest, so a shape
    /// of one event stops reading a line of another at its name.
    Named,
    /// Where `properties` starts: what it held before is forgotten.
    Properties,
    Prop(PropKey),
    /// A key bearing does not read: its value is checked and passed over.
    Skip,
}

/// Where the scan read a value, at what depth, and what it set.
pub struct Mark {
    pub value: Range<usize>,
    pub op: Op,
    pub depth: u32,
}

/// After the bytes `lit` of the shape's line, what the line's next value is read as.
enum Act {
    /// The name is the last `len` bytes of `lit`, quotes included.
    Named { len: usize },
    /// `properties` starts; a first one, with no property set before it, finds the
    /// record's properties as fresh as forgetting would leave them.
    Properties { first: bool },
    /// A string: its opening quote ends `lit`.
    Str(Op),
    /// Any other value, read by the scan.
    Any(Op),
}

struct Step {
    lit: Range<usize>,
    act: Act,
    depth: u32,
}

struct Shape {
    text: Box<str>,
    steps: Vec<Step>,
    tail: Range<usize>,
    /// Where the event's name is in the shape's line, with its quotes.
    name: Option<Range<usize>>,
}

/// At most this many shapes are kept, the most recently used first: an export of the
/// three events has three main ones, and a few more for lines missing a property.
const KEPT: usize = 8;
/// The longest line whose shape is kept (an event of the three is some 500 bytes).
const MAX_LINE: usize = 4096;

/// The shapes one reader has learnt.
#[derive(Default)]
pub struct Shapes {
    known: Vec<Shape>,
    /// Lines in a row that no shape read.
    missed: u32,
}

impl Shapes {
    /// Reads `line` into `e` (a fresh record) by a shape; false, with `e` fresh, when
    /// none fits it.
    pub fn read<'a>(&mut self, line: &'a str, e: &mut RawEvent<'a>) -> bool {
        // First the shapes whose event name is where this line has one, then the
        // rest: a shape tried in vain reads a line up to its name and starts over.
        // Once no shape has read the last few lines, only the newest is tried, on
        // every eighth line: in an export whose lines each have a shape of their own,
        // every line would be read in vain up to eight times before its scan.
        let mut tries = match self.missed {
            0..8 => KEPT,
            m if m % 8 == 0 => 1,
            _ => 0,
        };
        if tries == 0 {
            self.missed = self.missed.saturating_add(1);
            return false;
        }
        for named_here in [true, false] {
            for i in 0..self.known.len() {
                if tries == 0 || self.known[i].named_at(line.as_bytes()) != named_here {
                    continue;
                }
                tries -= 1;
                if self.known[i].read(line, e).is_some() {
                    self.known[..=i].rotate_right(1);
                    self.missed = 0;
                    return true;
                }
                *e = RawEvent::default();
            }
        }
        self.missed = self.missed.saturating_add(1);
        false
    }

    /// Lines in a row that no shape read (for tests).
    #[cfg(test)]
    pub fn missed(&self) -> u32 {
        self.missed
    }

    /// Whether to learn the shape of a line that no shape read. In an export whose
    /// lines each have a shape of their own, every line would be scanned twice;
    /// learning only at the 1st, 2nd, 4th, 8th... such line in a row bounds that.
    pub fn may_learn(&self) -> bool {
        self.missed.is_power_of_two()
    }

    /// Keeps the shape of `line`, from the marks its scan notes (`scan` says whether
    /// the line was read).
    pub fn learn(&mut self, line: &str, scan: impl FnOnce(&mut Vec<Mark>) -> bool) {
        // A shape holds its line: a line of megabytes is read, not kept.
        if line.len() > MAX_LINE {
            return;
        }
        let mut marks = Vec::new();
        if !scan(&mut marks) {
            return;
        }
        if let Some(shape) = Shape::new(line, &marks) {
            self.known.insert(0, shape);
            self.known.truncate(KEPT);
        }
    }
}

impl Shape {
    fn new(line: &str, marks: &[Mark]) -> Option<Shape> {
        let b = line.as_bytes();
        let mut steps = Vec::with_capacity(marks.len());
        let mut at = 0;
        for m in marks {
            let Range { start, end } = m.value;
            if start < at || end < start {
                return None;
            }
            let (lit, act) = match m.op {
                Op::Named => (at..end, Act::Named { len: end - start }),
                // Properties are set only inside a `properties`: before the first,
                // none is.
                Op::Properties => {
                    let first = !steps
                        .iter()
                        .any(|s: &Step| matches!(s.act, Act::Properties { .. }));
                    (at..start, Act::Properties { first })
                }
                op if b.get(start) == Some(&b'"') => (at..start + 1, Act::Str(op)),
                op => (at..start, Act::Any(op)),
            };
            steps.push(Step {
                lit,
                act,
                depth: m.depth,
            });
            at = end;
        }
        let name = marks
            .iter()
            .find(|m| matches!(m.op, Op::Named))
            .map(|m| m.value.clone());
        Some(Shape {
            text: line.into(),
            steps,
            tail: at..line.len(),
            name,
        })
    }

    /// Whether `b` has this shape's event name where its line has it (values of
    /// other lengths before it would move it: the shape may fit all the same).
    fn named_at(&self, b: &[u8]) -> bool {
        self.name
            .as_ref()
            .is_some_and(|r| b.get(r.clone()) == self.text.as_bytes().get(r.clone()))
    }

    fn read<'a>(&self, line: &'a str, e: &mut RawEvent<'a>) -> Option<()> {
        let (b, t) = (line.as_bytes(), self.text.as_bytes());
        let mut s = Scan {
            text: line,
            at: 0,
            depth: 0,
            marks: None,
        };
        for step in &self.steps {
            s.at = after(b, s.at, &t[step.lit.clone()])?;
            match step.act {
                // The quotes are ASCII, so both ends are character boundaries.
                Act::Named { len } => {
                    e.event = Some(Cow::Borrowed(line.get(s.at - len + 1..s.at - 1)?));
                }
                Act::Properties { first: true } => {}
                Act::Properties { first: false } => e.properties.0 = RawProps::default(),
                Act::Str(op) => {
                    let start = s.at;
                    let len = special(b.get(start..)?)?;
                    if b[start + len] != b'"' {
                        return None;
                    }
                    s.at = start + len + 1;
                    set(e, op, Value::Str(line.get(start..start + len)?))?;
                }
                Act::Any(op) => {
                    s.depth = step.depth;
                    let value = s.value()?;
                    set(e, op, value)?;
                }
            }
        }
        (after(b, s.at, &t[self.tail.clone()])? == b.len()).then_some(())
    }
}

/// Sets a value as the scan sets it.
fn set<'a>(e: &mut RawEvent<'a>, op: Op, value: Value<'a>) -> Option<()> {
    match op {
        Op::Event(key) => set_event(e, key, value),
        Op::Prop(key) => {
            fill_one(&mut e.properties.0, key, value.scalar()?);
            Some(())
        }
        Op::Skip => Some(()),
        // Never a value of their own (`Shape::new`).
        Op::Named | Op::Properties => None,
    }
}

/// Where `lit` ends when `b` holds it at `at`: compared eight bytes at a time, the
/// last eight overlapping (a call to memcmp cost more than these short runs).
fn after(b: &[u8], at: usize, lit: &[u8]) -> Option<usize> {
    let end = at.checked_add(lit.len())?;
    let here = b.get(at..end)?;
    let word = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]));
    let n = lit.len();
    if n < 8 {
        return (here == lit).then_some(end);
    }
    let mut i = 0;
    while i + 8 < n {
        if word(here, i) != word(lit, i) {
            return None;
        }
        i += 8;
    }
    (word(here, n - 8) == word(lit, n - 8)).then_some(end)
}
