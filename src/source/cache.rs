//! The parsed copy of an events file the cockpit has read, so that opening the same
//! file again starts at once instead of parsing it again (DESIGN §6, "instant start").
//! It is the dataset itself, not the panes' answers, so every pane, period change and
//! drill-down reads from it exactly as from a fresh parse.
//!
//! A copy is used only while nothing it was made from has changed: the file and its
//! subscriptions table (path, device, inode, size, modification and change times) and
//! this very build of bearing (its executable's size and time), which is how a new
//! parser never reads an old parser's copy. It lives in the XDG cache folder (0700,
//! files 0600), one per file read, the least recently written dropped past
//! [`KEEP`]; it is a cache, so any doubt about it (unreadable, changed, damaged, from
//! elsewhere) means reading the file as if it were not there.

mod codec;
mod stream;
pub mod survey;
#[cfg(test)]
mod tests;

use crate::domain::{Dataset, Origin};
use crate::files;
use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The first bytes of a copy; the number changes with the layout of the bytes.
const MAGIC: &[u8; 16] = b"bearing-parsed1\n";
/// Copies kept, one per file read.
pub const KEEP: usize = 8;
/// The largest copy written or read: a million events take about 64 MB.
const MAX_BYTES: u64 = 512 << 20;
/// A file changed this recently may be written again within the same tick of its
/// file system's clock, leaving its times as they were (git's "racily clean" index
/// entries): it is read, but no copy is kept. Three seconds covers FAT's two.
const SETTLE: Duration = Duration::from_secs(3);

/// Where copies are kept.
#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
    settle: Duration,
}

/// What a copy was made from, and whether it may be kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Stamp {
    entry: PathBuf,
    identity: Vec<u8>,
    /// Nothing it names changed in the last [`SETTLE`].
    settled: bool,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache {
            dir,
            settle: SETTLE,
        }
    }

    /// A cache that keeps a copy of a file however recently it changed, for tests,
    /// whose files are all new.
    #[cfg(test)]
    pub fn keeping_new_files(dir: PathBuf) -> Cache {
        Cache {
            dir,
            settle: Duration::ZERO,
        }
    }

    /// `~/.cache/bearing/files` (or `$XDG_CACHE_HOME/bearing/files`).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "bearing").map(|d| d.cache_dir().join("files"))
    }

    /// What `events` (with `subscriptions`, and the custom events watched) is now;
    /// None when the file cannot be looked at, and then it is simply read.
    pub fn stamp(&self, events: &Path, subscriptions: &Path, watch: &[String]) -> Option<Stamp> {
        let now = SystemTime::now();
        let mut identity = MAGIC.to_vec();
        let mut settled = true;
        // This build: a copy made by another one is never read. (Two builds within
        // one tick of the clock and of one size are not worth waiting for.)
        let exe = std::env::current_exe().ok()?;
        stat(&mut identity, &exe, now, self.settle).ok()?;
        let events = std::fs::canonicalize(events).ok()?;
        settled &= stat(&mut identity, &events, now, self.settle).ok()?;
        match stat(&mut identity, subscriptions, now, self.settle) {
            Ok(quiet) => settled &= quiet,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => identity.push(0),
            Err(_) => return None,
        }
        identity.extend_from_slice(&(watch.len() as u64).to_le_bytes());
        for w in watch {
            codec::put_bytes(&mut identity, w.as_bytes());
        }
        let entry = self.dir.join(format!(
            "{:016x}.parsed",
            stream::sum(events.as_os_str().as_encoded_bytes())
        ));
        Some(Stamp {
            entry,
            identity,
            settled,
        })
    }

    /// The copy kept for `stamp`, if there is one and it is whole.
    pub fn load(&self, stamp: &Stamp, origin: Origin) -> Option<Dataset> {
        let mut file = files::open(&stamp.entry).ok()?;
        let len = file.metadata().ok()?.len();
        let body = len.checked_sub(stamp.identity.len() as u64 + 8)?;
        if len > MAX_BYTES {
            return None;
        }
        let mut head = vec![0; stamp.identity.len() + 8];
        file.read_exact(&mut head).ok()?;
        let sum = head.strip_prefix(stamp.identity.as_slice())?;
        let (ds, got) = codec::decode_from(file.take(body), body, origin)?;
        if got.to_le_bytes() != sum {
            tracing::debug!(entry = %stamp.entry.display(), "parsed copy damaged; reading the file");
            return None;
        }
        Some(ds)
    }

    /// Whether a copy of what was read between the stamps `before` and `after` may be
    /// kept: only when nothing changed while it was read and its file had settled.
    /// Decided as the read ends; the copy is made later ([`Keep::make`]).
    pub fn may_keep(&self, before: &Stamp, after: Option<&Stamp>) -> Option<Keep> {
        (before.settled && after == Some(before)).then(|| Keep {
            dir: self.dir.clone(),
            stamp: before.clone(),
        })
    }
}

/// A copy that may be kept of a dataset just read.
#[derive(Debug)]
pub struct Keep {
    dir: PathBuf,
    stamp: Stamp,
}

impl Keep {
    /// Encodes `ds` and writes it, on a thread of its own at background priority:
    /// encoding 100,000 events took some 6 ms that the first screen waited for when
    /// it was done as the read ended. A process that ends first leaves no copy, never
    /// half of one.
    pub fn make(self, ds: std::sync::Arc<Dataset>) {
        let started = std::thread::Builder::new()
            .name("bearing-cache".into())
            .spawn(move || {
                crate::background::lower_this_thread();
                let written = match self.bytes(&ds) {
                    Some(bytes) => write(&self.dir, &self.stamp.entry, &bytes),
                    None => Err(std::io::Error::other("too large")),
                };
                if let Err(e) = written {
                    tracing::debug!(error = %e, "parsed copy not kept");
                }
            });
        if let Err(e) = started {
            tracing::debug!(error = %e, "parsed copy not kept");
        }
    }

    /// The copy's bytes: the identity, the sum's place, then the body encoded in place
    /// after them. None past [`MAX_BYTES`].
    fn bytes(&self, ds: &Dataset) -> Option<Vec<u8>> {
        let head = self.stamp.identity.len() + 8;
        let mut bytes = self.stamp.identity.clone();
        bytes.resize(head, 0);
        codec::encode(ds, &mut bytes);
        if bytes.len() as u64 > MAX_BYTES {
            return None;
        }
        let sum = stream::sum(&bytes[head..]).to_le_bytes();
        bytes[head - 8..head].copy_from_slice(&sum);
        Some(bytes)
    }
}

/// Writes a copy whole or not at all (a temporary file renamed over the entry), then
/// drops the oldest past [`KEEP`] and temporary files a killed process left.
fn write(dir: &Path, entry: &Path, bytes: &[u8]) -> std::io::Result<()> {
    files::create_private_dir(dir)?;
    let tmp = entry.with_extension(format!("tmp{}", std::process::id()));
    let mut f = files::create_own(&tmp, false)?;
    let done = f
        .write_all(bytes)
        .and_then(|()| std::fs::rename(&tmp, entry));
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done?;
    prune(dir);
    Ok(())
}

fn prune(dir: &Path) {
    let Ok(list) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    let mut kept = Vec::new();
    for e in list.flatten() {
        let path = e.path();
        let Ok(meta) = e.metadata() else { continue };
        let written = meta.modified().unwrap_or(UNIX_EPOCH);
        let ext = path
            .extension()
            .and_then(|x| x.to_str())
            .unwrap_or_default();
        if ext == "parsed" {
            kept.push((written, path));
        } else if ext.starts_with("tmp")
            && now.duration_since(written).unwrap_or_default() > Duration::from_secs(3600)
        {
            let _ = std::fs::remove_file(&path);
        }
    }
    kept.sort_by_key(|k| std::cmp::Reverse(k.0));
    for (_, path) in kept.into_iter().skip(KEEP) {
        let _ = std::fs::remove_file(path);
    }
}

/// Adds a file's path and what would change with its bytes to `identity`; true when
/// it has not changed for [`SETTLE`].
fn stat(
    identity: &mut Vec<u8>,
    path: &Path,
    now: SystemTime,
    settle: Duration,
) -> std::io::Result<bool> {
    let m = std::fs::metadata(path)?;
    identity.push(1);
    codec::put_bytes(identity, path.as_os_str().as_encoded_bytes());
    for n in [m.dev(), m.ino(), m.size()] {
        identity.extend_from_slice(&n.to_le_bytes());
    }
    for n in [m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()] {
        identity.extend_from_slice(&n.to_le_bytes());
    }
    let newest = m.mtime().max(m.ctime());
    let cutoff = now.checked_sub(settle).unwrap_or(UNIX_EPOCH);
    let cutoff = cutoff
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Ok(newest < cutoff || settle.is_zero())
}
