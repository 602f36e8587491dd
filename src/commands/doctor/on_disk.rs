//! Doctor's checks of what bearing keeps on this machine: the store (triage, audit)
//! and the folder of parsed copies.

use super::Report;
use crate::domain::sanitize::sanitize;
use crate::source::cache::survey::{Survey, survey};
use crate::source::cache::{Cache, KEEP};
use crate::store::Store;

pub(super) fn store(r: &mut Report, db: Option<std::path::PathBuf>) {
    let Some(path) = db.or_else(crate::store::default_path) else {
        r.fix("store", "no data directory", "pass --db FILE");
        return;
    };
    if !path.exists() {
        r.ok(
            "store",
            format!(
                "no database yet at {}; bearing creates it on first start",
                path.display()
            ),
        );
        return;
    }
    let store = match Store::open_read_only(&path, "doctor".into()) {
        Ok(s) => s,
        Err(e) => {
            r.fix(
                "store",
                e.to_string(),
                "move the damaged file aside; bearing starts a new one",
            );
            return;
        }
    };
    match crate::store::audit::verify(store.conn()) {
        Ok(v) => r.ok(
            "store",
            format!(
                "{}: audit chain intact ({} records)",
                path.display(),
                v.records
            ),
        ),
        Err(e) => r.fix(
            "store",
            format!("{}: {e}", path.display()),
            "bearing audit verify names the first row that does not fit",
        ),
    }
}

/// The folder where the cockpit keeps each file's parsed copy. Only ever a warning:
/// without copies every file is parsed at each open, and nothing else changes.
pub(super) fn cache(r: &mut Report) {
    let Some(dir) = Cache::default_dir() else {
        r.skip("cache", "no home folder, so no parsed copies are kept");
        return;
    };
    let shown = sanitize(&dir.display().to_string()).into_owned();
    let remade = "remove it; bearing makes it again when it next keeps a copy";
    match survey(&dir) {
        Ok(None) => r.ok(
            "cache",
            format!("no parsed copies yet at {shown}; the cockpit keeps one for each of the last {KEEP} files it opens"),
        ),
        Ok(Some(s)) if !s.writable => r.warn(
            "cache",
            format!("{shown}: bearing cannot write there, so each file is parsed at every open"),
            format!("give your user write access to it (chmod u+rwx), or {remade}"),
        ),
        Ok(Some(Survey { open_mode: Some(mode), .. })) => r.warn(
            "cache",
            format!("{shown}: open to other users (mode {mode:o}); the copies hold your files' events"),
            format!("chmod -R go-rwx {shown}"),
        ),
        Ok(Some(s)) => r.ok(
            "cache",
            format!(
                "{shown}: {} parsed {}, {:.1} MB (the last {KEEP} files opened start from them)",
                s.copies,
                if s.copies == 1 { "copy" } else { "copies" },
                s.bytes as f64 / 1e6
            ),
        ),
        Err(e) => r.warn("cache", format!("{shown}: {e}"), remade),
    }
}
