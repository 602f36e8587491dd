//! The bytes of a copy, read a block at a time into one small buffer (never the
//! whole copy at once: its pages would cost as much as decoding it) and checked as
//! they come, with a sum that depends on the bytes alone, not on how reads split them.

use std::hash::Hasher;
use std::io::Read;

/// The unit of the sum, and of reads.
pub const BLOCK: usize = 64 << 10;

/// The sum of `body` as [`Stream`] works it out.
pub fn sum(body: &[u8]) -> u64 {
    body.chunks(BLOCK).fold(0, add_block)
}

fn add_block(sum: u64, block: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(block);
    (sum.rotate_left(5) ^ h.finish()).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// `len` bytes of `src`, read in order.
pub struct Stream<R> {
    src: R,
    buf: Vec<u8>,
    at: usize,
    /// Bytes of the body not read from `src` yet.
    unread: u64,
    sum: u64,
}

impl<R: Read> Stream<R> {
    pub fn new(src: R, len: u64) -> Stream<R> {
        Stream {
            src,
            buf: Vec::with_capacity(2 * BLOCK),
            at: 0,
            unread: len,
            sum: 0,
        }
    }

    /// Bytes not taken yet.
    pub fn left(&self) -> u64 {
        self.unread + (self.buf.len() - self.at) as u64
    }

    /// The sum of every byte, once all are taken; None before, or if bytes are left.
    pub fn finish(self) -> Option<u64> {
        (self.left() == 0).then_some(self.sum)
    }

    /// The next `n` bytes; None if fewer are left or the source fails.
    pub fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        if self.buf.len() - self.at < n {
            if n as u64 > self.left() {
                return None;
            }
            self.buf.drain(..self.at);
            self.at = 0;
            while self.buf.len() < n {
                let block = usize::try_from(self.unread.min(BLOCK as u64)).ok()?;
                let from = self.buf.len();
                self.buf.resize(from + block, 0);
                self.src.read_exact(&mut self.buf[from..]).ok()?;
                self.sum = add_block(self.sum, &self.buf[from..]);
                self.unread -= block as u64;
            }
        }
        let out = self.buf.get(self.at..self.at + n)?;
        self.at += n;
        Some(out)
    }

    pub fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.bytes(N)?.first_chunk::<N>().copied()
    }
}
