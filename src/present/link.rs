//! The link between the shared screen (`bearing present`) and the presenter's own
//! view (`bearing present --presenter`), as presenterm links its speaker notes: a Unix
//! socket in the user's runtime folder. The folder is the user's alone (0700, owned by
//! them, checked) and the socket 0600, so no other user can connect. Lines of text:
//! the presenter sends `next`, `back`, `goto N`; the shared screen says `at N` to a
//! presenter who joins and after every move, and the presenter's view follows it.

use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;

/// The folder the socket lives in: `$XDG_RUNTIME_DIR/bearing`, else a folder of the
/// user's own under the temporary folder.
pub fn folder() -> PathBuf {
    let base = directories::BaseDirs::new()
        .and_then(|d| d.runtime_dir().map(std::path::Path::to_path_buf));
    match base {
        Some(run) => run.join("bearing"),
        None => {
            std::env::temp_dir().join(format!("bearing-{}", rustix::process::getuid().as_raw()))
        }
    }
}

pub fn socket_path() -> PathBuf {
    folder().join("present.sock")
}

/// Makes the folder (0700) and refuses one that is not the user's alone: another user
/// who could write there could put their own socket in bearing's place.
fn private_folder() -> io::Result<PathBuf> {
    let dir = folder();
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)?;
    let meta = std::fs::symlink_metadata(&dir)?;
    let mine = meta.uid() == rustix::process::getuid().as_raw();
    if !meta.is_dir() || !mine || meta.permissions().mode() & 0o077 != 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} is not a folder of yours alone (0700); bearing will not put its socket there",
                dir.display()
            ),
        ));
    }
    Ok(dir)
}

/// A move the presenter asks of the shared screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Next,
    Back,
    Goto(usize),
}

impl Move {
    fn line(self) -> String {
        match self {
            Move::Next => "next\n".into(),
            Move::Back => "back\n".into(),
            Move::Goto(n) => format!("goto {n}\n"),
        }
    }

    fn parse(line: &str) -> Option<Move> {
        match line.trim() {
            "next" => Some(Move::Next),
            "back" => Some(Move::Back),
            other => other.strip_prefix("goto ")?.parse().ok().map(Move::Goto),
        }
    }
}

/// The shared screen's end: it listens, takes moves, announces where it is.
pub struct Host {
    listener: UnixListener,
    path: PathBuf,
    peers: Vec<BufReader<UnixStream>>,
}

impl Host {
    pub fn open() -> io::Result<Host> {
        let dir = private_folder()?;
        let path = dir.join("present.sock");
        if UnixStream::connect(&path).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                "another bearing present is already sharing its screen",
            ));
        }
        // A socket left by a presentation that ended without cleaning up.
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path)?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        listener.set_nonblocking(true)?;
        Ok(Host {
            listener,
            path,
            peers: Vec::new(),
        })
    }

    /// New presenters, each told at once which slide `at` the shared screen is on
    /// (one who joins mid-meeting follows the room, never sends it back to the
    /// start), and the moves they sent since.
    pub fn moves(&mut self, at: usize) -> Vec<Move> {
        while let Ok((mut stream, _)) = self.listener.accept() {
            let told = stream.write_all(format!("at {at}\n").as_bytes());
            if told.is_ok() && stream.set_nonblocking(true).is_ok() {
                self.peers.push(BufReader::new(stream));
            }
        }
        let mut out = Vec::new();
        self.peers.retain_mut(|peer| {
            loop {
                let mut line = String::new();
                match peer.read_line(&mut line) {
                    Ok(0) => return false,
                    Ok(_) => out.extend(Move::parse(&line)),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                    Err(_) => return false,
                }
            }
        });
        out
    }

    /// Tells every presenter which slide is on the shared screen.
    pub fn announce(&mut self, at: usize) {
        let line = format!("at {at}\n");
        self.peers
            .retain_mut(|p| p.get_mut().write_all(line.as_bytes()).is_ok());
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The presenter's end.
pub struct Guest {
    stream: BufReader<UnixStream>,
}

impl Guest {
    pub fn connect() -> io::Result<Guest> {
        let path = socket_path();
        let stream = UnixStream::connect(&path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "no shared screen to follow ({}): start `bearing present` first",
                    e
                ),
            )
        })?;
        stream.set_nonblocking(true)?;
        Ok(Guest {
            stream: BufReader::new(stream),
        })
    }

    pub fn send(&mut self, m: Move) -> io::Result<()> {
        self.stream.get_mut().write_all(m.line().as_bytes())
    }

    /// Where the shared screen went since, if it moved; Err when it is gone.
    pub fn follow(&mut self) -> io::Result<Option<usize>> {
        let mut at = None;
        loop {
            let mut line = String::new();
            match self.stream.read_line(&mut line) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::BrokenPipe,
                        "the shared screen ended",
                    ));
                }
                Ok(_) => {
                    if let Some(n) = line.trim().strip_prefix("at ").and_then(|n| n.parse().ok()) {
                        at = Some(n);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(at),
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Move;

    #[test]
    fn moves_read_back_as_sent() {
        for m in [Move::Next, Move::Back, Move::Goto(7)] {
            assert_eq!(Move::parse(&m.line()), Some(m));
        }
        assert_eq!(Move::parse("goto x"), None);
        assert_eq!(Move::parse("rm -rf"), None);
    }
}
