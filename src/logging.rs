//! Opt-in diagnostics: with `BEARING_LOG` set (`debug`, `trace`, or a filter such as
//! `bearing=trace,hyper=info`), events go to a file — `BEARING_LOG_FILE`, else
//! `bearing.log` in bearing's state directory — never to the terminal, which belongs
//! to the cockpit. Without it nothing is collected. The key cannot appear: it lives in
//! a type with no Display and travels only as a header marked sensitive.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

pub fn default_file() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "bearing")?;
    let dir = dirs
        .state_dir()
        .map_or_else(|| dirs.data_local_dir().to_path_buf(), |d| d.to_path_buf());
    Some(dir.join("bearing.log"))
}

/// Opens the log for appending. It may hold what bearing saw of a user's data, so a new
/// log is 0600 in a folder made 0700; a symlink put at its path is refused rather than
/// followed (it could point the log at any file the user can write), and so is anything
/// that is not a regular file (a FIFO would block the open).
fn open(path: &Path) -> std::io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::files::create_private_dir(dir)?;
    }
    let fd = rustix::fs::open(
        path,
        OFlags::WRONLY
            | OFlags::APPEND
            | OFlags::CREATE
            | OFlags::NOFOLLOW
            | OFlags::NONBLOCK
            | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o600),
    )
    .map_err(|e| {
        if e == rustix::io::Errno::LOOP {
            std::io::Error::other("is a symbolic link; bearing does not follow one for its log")
        } else {
            e.into()
        }
    })?;
    let file = File::from(fd);
    // O_NONBLOCK changes nothing for a regular file, the only kind kept.
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("is not a regular file"));
    }
    Ok(file)
}

/// Starts logging if asked to; returns a problem to tell the user, if any.
pub fn init(get: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let filter = get("BEARING_LOG").filter(|f| !f.trim().is_empty())?;
    let filter = match EnvFilter::try_new(&filter) {
        Ok(f) => f,
        Err(e) => return Some(format!("BEARING_LOG={filter:?}: {e}")),
    };
    let path = get("BEARING_LOG_FILE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(default_file)?;
    let file = match open(&path) {
        Ok(f) => f,
        Err(e) => {
            let shown = crate::domain::sanitize::sanitize(&path.display().to_string()).into_owned();
            return Some(format!("log file {shown}: {e}"));
        }
    };
    let result = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
    result.err().map(|e| format!("logging: {e}"))
}
