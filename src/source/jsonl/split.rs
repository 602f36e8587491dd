//! The reader's side of a file read: the bytes cut into chunks that end at a line end,
//! each sent to the parse workers as it is filled.

use super::{Chunk, MAX_LINE};
use crate::domain::IngestStats;
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender};

/// Reads `reader` into chunks that end at a line end and sends them to the workers.
/// Returns the statistics only the reader can know (a byte-order mark's bytes).
pub(super) fn split_chunks<R: Read>(
    mut reader: R,
    (tx, spare): (SyncSender<Chunk>, Receiver<Vec<u8>>),
    size: usize,
) -> io::Result<IngestStats> {
    let mut stats = IngestStats::default();
    let mut index = 0usize;
    let mut carry: Vec<u8> = Vec::new();
    let mut skipping_long_line = false;
    loop {
        // A parsed chunk's buffer if one is back, with the last one's unended line;
        // a line longer than a chunk grows in its own buffer, never copied again.
        let mut buf = if carry.len() >= size {
            std::mem::take(&mut carry)
        } else {
            let mut buf = spare.try_recv().unwrap_or_default();
            buf.clear();
            buf.append(&mut carry);
            buf
        };
        let start = buf.len();
        // Read into the buffer's spare room: nothing zeroed first.
        buf.reserve(size);
        let n = read_full(&mut reader, &mut buf, size)?;
        let eof = n == 0;
        // A byte-order mark before the first line would make that line unreadable.
        if index == 0 && start == 0 && buf.starts_with(crate::files::BOM) {
            buf.drain(..crate::files::BOM.len());
            stats.bytes += crate::files::BOM.len() as u64;
        }
        if skipping_long_line {
            // Drop bytes up to the end of an over-long line.
            match memchr::memchr(b'\n', &buf) {
                Some(p) => {
                    buf.drain(..=p);
                    skipping_long_line = false;
                }
                None if eof => break,
                None => continue,
            }
        }
        let cut = if eof {
            buf.len()
        } else {
            memchr::memrchr(b'\n', &buf).map_or(0, |p| p + 1)
        };
        if cut == 0 && !eof {
            if buf.len() > MAX_LINE {
                let too_long = Some(buf.len() as u64);
                let chunk = Chunk {
                    index,
                    data: Vec::new(),
                    too_long,
                };
                index += 1;
                if tx.send(chunk).is_err() {
                    break;
                }
                skipping_long_line = true;
            } else {
                carry = buf;
            }
            continue;
        }
        carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        if !buf.is_empty() {
            let chunk = Chunk {
                index,
                data: buf,
                too_long: None,
            };
            index += 1;
            if tx.send(chunk).is_err() {
                break;
            }
        }
        if eof {
            break;
        }
    }
    Ok(stats)
}

/// Appends up to `want` bytes of `reader` to `buf`; fewer only at the end of the file.
fn read_full<R: Read>(reader: &mut R, buf: &mut Vec<u8>, want: usize) -> io::Result<usize> {
    let mut filled = 0;
    while filled < want {
        // `read_to_end` on a `Take` reads into spare capacity and retries interrupts.
        match reader
            .by_ref()
            .take((want - filled) as u64)
            .read_to_end(buf)
        {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
