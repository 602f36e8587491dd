//! The personal API key: held in a type that cannot be printed, logged or serialised,
//! read from a key file only when the file is private to its owner (as ssh insists for
//! private keys), and sent only as a sensitive header.

use reqwest::header::HeaderValue;
use std::fmt;
use std::path::Path;

/// A PostHog personal API key (`phx_…`). Deliberately has no `Display`, no
/// `Serialize`, and a `Debug` that prints nothing of the key, so it cannot reach a log,
/// the screen, the database or a panic message by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Box<str>);

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(redacted)")
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the personal API key is empty")]
    Empty,
    /// The key itself is never part of the message.
    #[error("the personal API key contains spaces or control characters")]
    Malformed,
    #[error(
        "key file {path} is readable by group or others (mode {mode:03o}); run `chmod 600 {path}`"
    )]
    TooOpen { path: String, mode: u32 },
    #[error("cannot read key file {path}: {message}")]
    Io { path: String, message: String },
}

impl ApiKey {
    /// Trims surrounding whitespace (a trailing newline in a key file is normal) and
    /// refuses what could not be a header value.
    pub fn new(text: &str) -> Result<ApiKey, KeyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(KeyError::Empty);
        }
        if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(KeyError::Malformed);
        }
        Ok(ApiKey(t.into()))
    }

    /// `Bearer phx_…`, marked sensitive so that reqwest and hyper never print it.
    pub fn bearer(&self) -> Result<HeaderValue, KeyError> {
        let mut v = HeaderValue::from_str(&format!("Bearer {}", self.0))
            .map_err(|_| KeyError::Malformed)?;
        v.set_sensitive(true);
        Ok(v)
    }

    /// The key's kind, safe to show: `phx_…` for a personal API key.
    pub fn hint(&self) -> &'static str {
        if self.0.starts_with("phx_") {
            "phx_…"
        } else if self.0.starts_with("phc_") {
            "phc_… (a project token, not a personal API key)"
        } else {
            "a key without the phx_ prefix"
        }
    }

    /// What cuts this key out of what a server sends back.
    pub fn redactor(&self) -> super::redact::Redactor {
        super::redact::Redactor::for_key(&self.0)
    }

    /// For tests that must prove the key is nowhere: the only way to see it.
    #[cfg(test)]
    pub fn expose_for_test(&self) -> &str {
        &self.0
    }
}

/// Reads a key file, refusing one that group or others can read or write.
pub fn read_key_file(path: &Path) -> Result<ApiKey, KeyError> {
    let shown = crate::domain::sanitize::sanitize(&path.display().to_string()).into_owned();
    let io = |e: std::io::Error| KeyError::Io {
        path: shown.clone(),
        message: e.to_string(),
    };
    // Opened first and checked through the open file: a FIFO never blocks the open,
    // and the mode checked is that of the very file then read (at most 4 KiB of it).
    let file = crate::files::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    check_mode(&meta, &shown)?;
    let text = crate::files::text_of(file, crate::files::Kind::KeyFile).map_err(io)?;
    ApiKey::new(&text)
}

#[cfg(unix)]
fn check_mode(meta: &std::fs::Metadata, path: &str) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyError::TooOpen {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_meta: &std::fs::Metadata, _path: &str) -> Result<(), KeyError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_prints() {
        let k = ApiKey::new(" phx_secret_canary_123\n").unwrap();
        assert_eq!(k.expose_for_test(), "phx_secret_canary_123");
        let shown = format!("{k:?} {:?}", Some(&k));
        assert!(!shown.contains("canary"), "{shown}");
        let h = k.bearer().unwrap();
        assert!(h.is_sensitive());
        assert!(!format!("{h:?}").contains("canary"));
        assert_eq!(k.hint(), "phx_…");
    }

    #[test]
    fn bad_keys_are_refused_without_echoing_them() {
        assert_eq!(ApiKey::new("  \n"), Err(KeyError::Empty));
        let e = ApiKey::new("phx_a b").unwrap_err();
        assert!(!e.to_string().contains("phx_a"));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("bearing-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key");
        std::fs::write(&path, "phx_file_key\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = read_key_file(&path).unwrap_err();
        assert!(matches!(e, KeyError::TooOpen { mode: 0o644, .. }), "{e}");
        assert!(e.to_string().contains("chmod 600"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            read_key_file(&path).unwrap().expose_for_test(),
            "phx_file_key"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[cfg(unix)]
    #[test]
    fn a_utf8_bom_in_the_key_file_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "\u{feff}phx_bom_key\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let key = read_key_file(&path).unwrap();
        assert_eq!(key.expose_for_test(), "phx_bom_key");
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_over_4_kib_is_refused_naming_the_limit() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, format!("phx_{}", "k".repeat(5000))).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let e = read_key_file(&path).unwrap_err().to_string();
        assert!(e.contains("larger than 4 KiB"), "{e}");
        assert!(!e.contains("kkkk"), "the key is never shown: {e}");
    }
}
