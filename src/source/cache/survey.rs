//! The folder of parsed copies as `bearing doctor` reports it: how many copies it
//! holds and their size, whether bearing can keep copies there, and whether other
//! users can look in (the copies hold a file's tenants and values).

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// The folder of parsed copies as it is now.
#[derive(Debug, PartialEq, Eq)]
pub struct Survey {
    /// Parsed copies in it.
    pub copies: usize,
    /// Their bytes together.
    pub bytes: u64,
    /// Bearing can make and remove copies there.
    pub writable: bool,
    /// The mode of the folder or of a copy in it that lets group or others in, if
    /// any (bearing makes the folder 0700 and each copy 0600).
    pub open_mode: Option<u32>,
}

/// The folder at `dir`, or None when there is none yet (bearing makes it when it
/// first keeps a copy).
pub fn survey(dir: &Path) -> io::Result<Option<Survey>> {
    let meta = match std::fs::metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Err(io::Error::other("is not a folder"));
    }
    let shared = |mode: u32| (mode & 0o077 != 0).then_some(mode & 0o7777);
    let mut open_mode = shared(meta.permissions().mode());
    let (mut copies, mut bytes) = (0, 0);
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.path().extension().is_some_and(|x| x == "parsed") {
            let meta = entry.metadata()?;
            copies += 1;
            bytes += meta.len();
            open_mode = open_mode.or_else(|| shared(meta.permissions().mode()));
        }
    }
    // Making a copy is creating a file in the folder and renaming it there.
    let writable = rustix::fs::access(
        dir,
        rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK,
    )
    .is_ok();
    Ok(Some(Survey {
        copies,
        bytes,
        writable,
        open_mode,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::Permissions;

    #[test]
    fn no_folder_yet_is_none() {
        let home = tempfile::tempdir().unwrap();
        assert_eq!(survey(&home.path().join("files")).unwrap(), None);
    }

    #[test]
    fn counts_only_parsed_copies_and_sees_a_mode_open_to_others() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("files");
        crate::files::create_private_dir(&dir).unwrap();
        std::fs::write(dir.join("a.parsed"), [0; 1000]).unwrap();
        std::fs::write(dir.join("b.parsed"), [0; 24]).unwrap();
        std::fs::write(dir.join("a.tmp123"), [0; 5000]).unwrap();
        for f in ["a.parsed", "b.parsed", "a.tmp123"] {
            std::fs::set_permissions(dir.join(f), Permissions::from_mode(0o600)).unwrap();
        }
        let private = Survey {
            copies: 2,
            bytes: 1024,
            writable: true,
            open_mode: None,
        };
        assert_eq!(survey(&dir).unwrap(), Some(private));
        // Group alone is enough to be open.
        std::fs::set_permissions(dir.join("b.parsed"), Permissions::from_mode(0o640)).unwrap();
        assert_eq!(survey(&dir).unwrap().unwrap().open_mode, Some(0o640));
        std::fs::set_permissions(&dir, Permissions::from_mode(0o750)).unwrap();
        assert_eq!(survey(&dir).unwrap().unwrap().open_mode, Some(0o750));
    }

    #[test]
    fn a_file_where_the_folder_should_be_is_an_error() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("files");
        std::fs::write(&dir, "x").unwrap();
        assert_eq!(survey(&dir).unwrap_err().to_string(), "is not a folder");
    }
}
