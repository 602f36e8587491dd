//! `bearing debug storm`, which the crash and concurrency tests drive: random triage on
//! the stored alerts of a scratch database. Built only with the `test-hooks` feature,
//! and it refuses to run without `--db` or on the default database, so it can never
//! touch a user's real triage state.

use super::fail;
use crate::config::Config;
use crate::store::{Store, StoreError};
use crate::triage::Command;
use chrono::{Days, NaiveDate};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// SplitMix64, as the demo uses: the same storm for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Random triage on the stored alerts. Each committed action prints
/// `committed <batch> <target> <action>` only after its transaction committed, so a
/// test that kills this process knows exactly what must have survived.
pub fn storm(
    config: &Config,
    today: NaiveDate,
    actions: usize,
    seed: u64,
    pause_ms: u64,
) -> ExitCode {
    let Some(path) = config.db.clone() else {
        return fail("storm needs a scratch database: pass --db FILE");
    };
    if is_default(&path) {
        return fail("storm never runs on the default database: pass a scratch --db FILE");
    }
    let mut store = match Store::open(&path) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    if let Err(e) = store.set_source(&config.triage_key()) {
        return fail(e);
    }
    let ids: Vec<String> = match store.alerts() {
        Ok(a) => a.into_iter().map(|a| a.id).collect(),
        Err(e) => return fail(e),
    };
    if ids.is_empty() {
        return fail("no alerts in the store: run `bearing alerts` first");
    }
    let mut rng = Rng(seed);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    // The crash test kills this process only once it is this far, so that no kill is
    // wasted on start-up.
    if writeln!(out, "ready {}", ids.len())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    for i in 0..actions {
        let id = &ids[rng.below(ids.len())];
        let until = today
            .checked_add_days(Days::new(1 + rng.below(30) as u64))
            .unwrap_or(today);
        let command = match rng.below(8) {
            0 => Command::Acknowledge,
            1 => Command::Resolve,
            2 => Command::Snooze { until },
            3 => Command::Dismiss {
                reason: format!("storm {seed}/{i}"),
            },
            4 => Command::Reopen,
            5 => Command::SetOwner {
                owner: Some(format!("owner-{}", rng.below(5))),
            },
            6 => Command::SetOwner { owner: None },
            _ => Command::Acknowledge,
        };
        let line = if rng.below(6) == 0 {
            let target = crate::store::alerts::target(id);
            store
                .note(&target, &format!("storm {seed} note {i}"))
                .map(|batch| format!("committed {batch} note {target}"))
        } else {
            store
                .triage(std::slice::from_ref(id), &command, today)
                .map(|o| {
                    format!(
                        "committed {} {} alert:{id}",
                        o.batch,
                        command.verb().replace(' ', "_")
                    )
                })
        };
        let line = match line {
            Ok(l) => l,
            Err(StoreError::Refused(r)) => format!("refused alert:{id} {r}"),
            Err(e) => {
                eprintln!("bearing: {e}");
                return ExitCode::FAILURE;
            }
        };
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            return ExitCode::FAILURE;
        }
        if pause_ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(pause_ms));
        }
    }
    ExitCode::SUCCESS
}

/// Whether `path` is the database bearing uses when none is named.
fn is_default(path: &Path) -> bool {
    let Some(default) = crate::store::default_path() else {
        return false;
    };
    let canon = |p: &Path| {
        p.parent()
            .and_then(|d| d.canonicalize().ok())
            .zip(p.file_name())
            .map(|(d, f)| d.join(f))
    };
    path == default || (canon(path).is_some() && canon(path) == canon(&default))
}
