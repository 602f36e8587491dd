//! Where the database lives, checked before SQLite touches it. bearing opens and
//! changes only a regular file that its user owns, reached without a symbolic link;
//! it creates the file 0600 (and any folder it makes 0700); and it tightens the mode of
//! an existing file only once SQLite has shown the file to be a bearing database. So a
//! `bearing.db` that is a symlink, a folder, a device or FIFO, someone else's file or
//! someone else's SQLite database is refused with the reason, and left as it was.

use std::fs::{DirBuilder, File, Permissions};
use std::io::{ErrorKind, Read};
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

/// The first bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Why the database path cannot be used, in words that name what was found there.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{path} {why}")]
pub struct PathRefused {
    /// The path, made inert for the terminal.
    pub path: String,
    pub why: String,
}

fn refuse(path: &Path, why: impl Into<String>) -> PathRefused {
    PathRefused {
        path: crate::domain::sanitize::sanitize(&path.display().to_string()).into_owned(),
        why: why.into(),
    }
}

/// The database file, open, checked to be a regular file of this user's.
pub struct Checked {
    pub file: File,
    /// bearing created it just now, empty.
    pub created: bool,
}

impl Checked {
    /// Makes the file private again if something loosened it. Only for a file SQLite
    /// has shown to be a bearing database; through the open file, so no path (and no
    /// symlink swapped in since) is followed.
    pub fn make_private(&self) -> std::io::Result<bool> {
        let mode = self.file.metadata()?.permissions().mode();
        if mode & 0o077 == 0 {
            return Ok(false);
        }
        self.file.set_permissions(Permissions::from_mode(0o600))?;
        Ok(true)
    }
}

/// Checks what is at `path` (creating it, empty and 0600, when nothing is) and holds it
/// open. `create`: false when only reading, which never creates anything.
pub fn check(path: &Path, create: bool) -> Result<Checked, PathRefused> {
    let io = |e: std::io::Error| refuse(path, format!("cannot be opened: {e}"));
    let mut created = false;
    if create {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && std::fs::symlink_metadata(dir).is_err()
        {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| refuse(dir, format!("cannot be created: {e}")))?;
        }
        // O_CREAT|O_EXCL never follows a symlink, dangling or not.
        match rustix::fs::open(
            path,
            rustix::fs::OFlags::RDWR
                | rustix::fs::OFlags::CREATE
                | rustix::fs::OFlags::EXCL
                | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::from_raw_mode(0o600),
        ) {
            Ok(_) => created = true,
            Err(e) if e == rustix::io::Errno::EXIST => {}
            Err(e) => return Err(io(e.into())),
        }
    }
    let meta = std::fs::symlink_metadata(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => refuse(path, "does not exist yet"),
        _ => io(e),
    })?;
    describe_refusal(&meta).map_or(Ok(()), |why| Err(refuse(path, why)))?;
    // Open without following a link and without blocking (a FIFO swapped in since the
    // look above would otherwise hang here), then look again at what was opened.
    let flags = if create {
        rustix::fs::OFlags::RDWR
    } else {
        rustix::fs::OFlags::RDONLY
    } | rustix::fs::OFlags::NOFOLLOW
        | rustix::fs::OFlags::NONBLOCK
        | rustix::fs::OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, rustix::fs::Mode::empty()).map_err(|e| {
        if e == rustix::io::Errno::LOOP {
            refuse(
                path,
                "is a symbolic link; bearing opens its database only at its real path",
            )
        } else {
            io(e.into())
        }
    })?;
    let mut file = File::from(fd);
    let opened = file.metadata().map_err(io)?;
    if opened.ino() != meta.ino() || opened.dev() != meta.dev() {
        return Err(refuse(path, "changed while bearing was opening it"));
    }
    describe_refusal(&opened).map_or(Ok(()), |why| Err(refuse(path, why)))?;
    if opened.len() > 0 {
        let mut head = [0u8; 16];
        let n = file.read(&mut head).map_err(io)?;
        if n < head.len() || &head != SQLITE_MAGIC {
            return Err(refuse(
                path,
                "is damaged or is not a SQLite database; bearing will not write over it",
            ));
        }
    }
    Ok(Checked { file, created })
}

/// Why a file with this metadata is not one bearing may use as its database.
fn describe_refusal(meta: &std::fs::Metadata) -> Option<String> {
    let t = meta.file_type();
    let what = if t.is_symlink() {
        "is a symbolic link; bearing opens its database only at its real path"
    } else if t.is_dir() {
        "is a folder, not a database file"
    } else if t.is_fifo() {
        "is a FIFO, not a database file"
    } else if t.is_char_device() || t.is_block_device() {
        "is a device, not a database file"
    } else if t.is_socket() {
        "is a socket, not a database file"
    } else if !t.is_file() {
        "is not a regular file"
    } else if meta.uid() != rustix::process::geteuid().as_raw() {
        return Some(format!(
            "belongs to another user (uid {}); bearing uses only a database of its own user's",
            meta.uid()
        ));
    } else if meta.nlink() > 1 {
        "has other hard links; bearing uses only a database file with one name"
    } else {
        return None;
    };
    Some(what.to_owned())
}
