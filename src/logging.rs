//! Opt-in diagnostics: with `BEARING_LOG` set (`debug`, `trace`, or a filter such as
//! `bearing=trace,hyper=info`), events go to a file — `BEARING_LOG_FILE`, else
//! `bearing.log` in bearing's state directory — never to the terminal, which belongs
//! to the cockpit. Without it nothing is collected. The key cannot appear: it lives in
//! a type with no Display and travels only as a header marked sensitive.

use std::fs::OpenOptions;
use std::path::PathBuf;
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

pub fn default_file() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "bearing")?;
    let dir = dirs
        .state_dir()
        .map_or_else(|| dirs.data_local_dir().to_path_buf(), |d| d.to_path_buf());
    Some(dir.join("bearing.log"))
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
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let file = match OpenOptions::new().create(true).append(true).open(&path) {
        Ok(f) => f,
        Err(e) => return Some(format!("log file {}: {e}", path.display())),
    };
    let result = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
    result.err().map(|e| format!("logging: {e}"))
}
