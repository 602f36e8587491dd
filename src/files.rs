//! Files bearing did not write — a config, a theme, a key file, a subscriptions table,
//! an events export — are read only through here, because a path can name anything: a
//! FIFO whose open blocks for ever, `/dev/zero` that never ends, a folder, a file of
//! gigabytes. Each is opened without blocking, refused unless it is a regular file
//! (a symlink is followed — dotfile managers link configs into place — but what it
//! points at must be a regular file), and read up to a limit for its kind. Errors say
//! what is wrong without the path: every caller names the file, made inert, already.
//!
//! The files bearing creates itself (its config template, exports, reports) are made
//! here too, private from the first byte: 0600 files in 0700 folders.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A path as a user writes it in the config file or after `file:`, where no shell
/// expands `~`: `~` and `~/…` are taken from the home folder, as a shell would (the
/// config's own example key file is `~/.config/bearing/posthog.key`). `~user` is left
/// as written, and so is everything when there is no home folder.
pub fn user_path(written: &str) -> PathBuf {
    let rest = match written.strip_prefix('~') {
        Some("") => Some(""),
        Some(r) => r.strip_prefix('/'),
        None => None,
    };
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    match (rest, home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(written),
    }
}

/// What is being read, which sets how much of it bearing will read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Config,
    Theme,
    KeyFile,
    Subscriptions,
    /// Streamed in chunks and never held whole, so no limit; it must still be a file.
    Events,
}

impl Kind {
    /// The most bytes bearing reads of this kind: far above any real file of it, far
    /// below what would hurt. None for events, which are streamed.
    pub const fn limit(self) -> Option<u64> {
        match self {
            Kind::Config | Kind::Theme => Some(1 << 20),
            Kind::KeyFile => Some(4 << 10),
            Kind::Subscriptions => Some(256 << 20),
            Kind::Events => None,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Config => "a config file",
            Kind::Theme => "a theme file",
            Kind::KeyFile => "a key file",
            Kind::Subscriptions => "a subscriptions table",
            Kind::Events => "an events file",
        }
    }
}

/// `1 MiB`, `4 KiB`: limits are powers of two, so they read exactly.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

fn too_large(kind: Kind, limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "is larger than {}, the most bearing reads of {}",
            size(limit),
            kind.noun()
        ),
    )
}

/// Why a file of this type is refused, or None for a regular file.
fn refusal(t: std::fs::FileType) -> Option<&'static str> {
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("is a folder, not a file")
    } else if t.is_fifo() {
        Some("is a FIFO, not a file")
    } else if t.is_char_device() || t.is_block_device() {
        Some("is a device, not a file")
    } else if t.is_socket() {
        Some("is a socket, not a file")
    } else {
        Some("is not a regular file")
    }
}

/// Opens `path` for reading if it is a regular file (following symlinks). The error
/// keeps `NotFound` for a missing file, so that an optional file can be told apart.
pub fn open(path: &Path) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, for ever.
    // It changes nothing for a regular file, the only kind read past the check below.
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let file = File::from(fd);
    // The open file itself, not the path again: nothing can be swapped in between.
    match refusal(file.metadata()?.file_type()) {
        None => Ok(file),
        Some(why) => Err(io::Error::new(io::ErrorKind::InvalidInput, why)),
    }
}

/// A reader that fails, naming the limit, once more than `kind`'s limit has been read —
/// also for a file that grows while it is read.
pub struct Limited<R> {
    inner: R,
    left: u64,
    kind: Kind,
}

pub fn limited<R: Read>(inner: R, kind: Kind) -> Limited<R> {
    Limited {
        inner,
        left: kind.limit().unwrap_or(u64::MAX),
        kind,
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Ask for one byte past the limit, so that a file of exactly the limit ends
        // cleanly and one byte more is seen.
        let want =
            usize::try_from(self.left.saturating_add(1)).map_or(buf.len(), |w| w.min(buf.len()));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(too_large(self.kind, self.kind.limit().unwrap_or(u64::MAX)));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// A leading UTF-8 byte-order mark, which Windows editors write and no parser wants.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The whole of an open file as text, within `kind`'s limit, without a leading BOM.
pub fn text_of(file: File, kind: Kind) -> io::Result<String> {
    if let Some(limit) = kind.limit()
        && file.metadata()?.len() > limit
    {
        return Err(too_large(kind, limit));
    }
    let mut bytes = Vec::new();
    limited(file, kind).read_to_end(&mut bytes)?;
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "is not UTF-8 text"))
}

/// [`open`] then [`text_of`].
pub fn read_text(path: &Path, kind: Kind) -> io::Result<String> {
    text_of(open(path)?, kind)
}

/// Creates (or truncates) a file bearing writes: a new one is 0600 from the start; an
/// existing one keeps the mode its owner gave it.
pub fn create_private(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

/// Creates a file of bearing's own at `path` (its config), 0600. An existing file is
/// replaced only when `replace`, keeping its mode, and never through a symbolic link,
/// which could point the write at any file the user can write.
pub fn create_own(path: &Path, replace: bool) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    // O_EXCL fails on anything already there, a link included; O_NOFOLLOW refuses a
    // link at the path; O_NONBLOCK keeps a FIFO there from blocking the open.
    let existing = if replace { OFlags::TRUNC } else { OFlags::EXCL };
    let fd = rustix::fs::open(
        path,
        OFlags::WRONLY
            | OFlags::CREATE
            | OFlags::NOFOLLOW
            | OFlags::NONBLOCK
            | OFlags::CLOEXEC
            | existing,
        Mode::from_raw_mode(0o600),
    )
    .map_err(|e| {
        if e == rustix::io::Errno::LOOP {
            io::Error::other("is a symbolic link; bearing does not write through one")
        } else {
            e.into()
        }
    })?;
    let file = File::from(fd);
    match refusal(file.metadata()?.file_type()) {
        None => Ok(file),
        Some(why) => Err(io::Error::new(io::ErrorKind::InvalidInput, why)),
    }
}

/// Creates `dir` and any missing parent 0700; folders already there keep their mode.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_written_path_starting_with_a_tilde_is_in_the_home_folder() {
        let home = directories::BaseDirs::new()
            .unwrap()
            .home_dir()
            .to_path_buf();
        assert_eq!(user_path("~"), home);
        assert_eq!(
            user_path("~/.config/bearing/posthog.key"),
            home.join(".config/bearing/posthog.key")
        );
        for kept in ["~other/k", "a/~/k", "/abs/k", "rel/k", "~~/k", ""] {
            assert_eq!(user_path(kept), PathBuf::from(kept), "{kept:?}");
        }
    }

    fn fifo(path: &Path) {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
    }

    fn err(r: io::Result<String>) -> String {
        r.map(|t| format!("read {} bytes", t.len()))
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn only_a_regular_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe");
        fifo(&pipe);
        assert_eq!(err(read_text(&pipe, Kind::Config)), "is a FIFO, not a file");
        assert_eq!(
            err(read_text(Path::new("/dev/zero"), Kind::Theme)),
            "is a device, not a file"
        );
        assert_eq!(
            err(read_text(dir.path(), Kind::Config)),
            "is a folder, not a file"
        );
        let missing = open(&dir.path().join("nothing")).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn a_symlink_is_followed_to_a_regular_file_only() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        std::fs::write(&real, "a = 1\n").unwrap();
        let link = dir.path().join("link.toml");
        symlink(&real, &link).unwrap();
        assert_eq!(read_text(&link, Kind::Config).unwrap(), "a = 1\n");
        let zero = dir.path().join("zero.toml");
        symlink("/dev/zero", &zero).unwrap();
        assert_eq!(
            err(read_text(&zero, Kind::Theme)),
            "is a device, not a file"
        );
    }

    #[test]
    fn each_kind_is_read_up_to_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "k".repeat(4096)).unwrap();
        assert_eq!(read_text(&path, Kind::KeyFile).unwrap().len(), 4096);
        std::fs::write(&path, "k".repeat(4097)).unwrap();
        assert_eq!(
            err(read_text(&path, Kind::KeyFile)),
            "is larger than 4 KiB, the most bearing reads of a key file"
        );
        assert_eq!(size(Kind::Config.limit().unwrap()), "1 MiB");
        assert_eq!(size(Kind::Subscriptions.limit().unwrap()), "256 MiB");
        // A stream that does not say how long it is (or grows) is cut at the limit too.
        let mut out = Vec::new();
        let e = limited(std::io::repeat(b'x'), Kind::Theme)
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(out.len() as u64 <= Kind::Theme.limit().unwrap());
    }

    #[test]
    fn a_bom_is_dropped_and_invalid_utf8_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, b"\xef\xbb\xbfa = 1").unwrap();
        assert_eq!(read_text(&path, Kind::Config).unwrap(), "a = 1");
        std::fs::write(&path, b"a = \xff").unwrap();
        assert_eq!(err(read_text(&path, Kind::Config)), "is not UTF-8 text");
        assert_eq!(strip_bom(b"\xef\xbb\xbf{}"), b"{}");
        assert_eq!(strip_bom(b"{}"), b"{}");
    }

    #[test]
    fn its_own_config_is_never_written_through_a_symlink() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "precious").unwrap();
        let link = dir.path().join("config.toml");
        symlink(&target, &link).unwrap();
        let e = create_own(&link, false).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        let e = create_own(&link, true).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
        let fresh = dir.path().join("new.toml");
        create_own(&fresh, false).unwrap();
        let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn what_bearing_creates_is_private_whatever_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        create_private_dir(&nested).unwrap();
        let file = nested.join("f");
        create_private(&file).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&nested), 0o700);
        assert_eq!(mode(&file), 0o600);
        // An existing file keeps the mode its owner chose.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
        create_private(&file).unwrap();
        assert_eq!(mode(&file), 0o640);
    }
}
