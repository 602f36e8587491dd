//! Alerts in the store: each fired once (audited), its evidence refreshed with the data,
//! its triage state changed only through `triage` (audited) or a due snooze (audited).

use super::audit::{self, Change};
use super::{Store, StoreError, now_text};
use crate::domain::sanitize::sanitize;
use crate::engine::alerts::{AlertCandidate, Evidence, Rule, Severity};
use crate::triage::{self, Command, Status, TriageState};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Note {
    pub id: i64,
    pub at: String,
    pub who: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertRow {
    pub id: String,
    pub rule: Rule,
    pub tenant: String,
    pub subject: Option<String>,
    pub period: String,
    pub severity: Severity,
    pub title: String,
    pub evidence: Evidence,
    pub first_seen: String,
    pub last_seen: String,
    pub triage: TriageState,
    pub notes: Vec<Note>,
    /// The follow-up created from this alert, if any.
    pub followup: Option<String>,
}

impl AlertRow {
    /// An alert the data supports but the store does not hold (read-only, no store).
    pub fn unsaved(c: &AlertCandidate) -> AlertRow {
        AlertRow {
            id: c.id.clone(),
            rule: c.rule,
            tenant: c.tenant.clone(),
            subject: c.subject.clone(),
            period: c.period.clone(),
            severity: c.severity,
            title: c.title.clone(),
            evidence: c.evidence.clone(),
            first_seen: String::new(),
            last_seen: String::new(),
            triage: TriageState::default(),
            notes: Vec::new(),
            followup: None,
        }
    }
}

pub fn target(id: &str) -> String {
    format!("alert:{id}")
}

/// Text read back from the database, made inert for the terminal. The database is
/// outside input too: a shared or copied file can hold anything, written by anything.
pub(super) fn inert(s: String) -> String {
    match sanitize(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(clean) => clean,
    }
}

pub(super) fn inert_opt(s: Option<String>) -> Option<String> {
    s.map(inert)
}

fn inert_evidence(e: Evidence) -> Evidence {
    Evidence {
        figures: e
            .figures
            .into_iter()
            .map(|(name, value)| (inert(name), inert(value)))
            .collect(),
        events: e
            .events
            .into_iter()
            .map(|ev| crate::engine::alerts::EvidenceEvent {
                uuid: inert_opt(ev.uuid),
                event: inert(ev.event),
                summary: inert(ev.summary),
                ..ev
            })
            .collect(),
        ..e
    }
}

fn read_note(r: &rusqlite::Row) -> rusqlite::Result<Note> {
    Ok(Note {
        id: r.get(0)?,
        at: inert(r.get(1)?),
        who: inert(r.get(2)?),
        text: inert(r.get(3)?),
    })
}

pub fn state_json(s: &TriageState) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// What happened when the store met a fresh evaluation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub fired: usize,
    pub woken: usize,
    pub followups: usize,
    /// Open alerts the data no longer shows, marked cleared.
    pub cleared: usize,
}

/// What a triage command did to a selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub batch: i64,
    pub changed: Vec<String>,
    pub refused: Vec<(String, String)>,
}

pub(super) fn read_state(tx: &Transaction, id: &str) -> Result<Option<TriageState>, StoreError> {
    let row = tx
        .query_row(
            "SELECT status, snoozed_until, snoozed_from, dismiss_reason, owner FROM alerts WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            },
        )
        .optional()?;
    Ok(row.map(|(status, until, from, reason, owner)| TriageState {
        status: Status::parse(&status).unwrap_or_default(),
        snoozed_until: until.and_then(|u| u.parse().ok()),
        snoozed_from: from.and_then(|f| Status::parse(&f)),
        dismiss_reason: reason,
        owner,
    }))
}

pub(super) fn write_state(tx: &Transaction, id: &str, s: &TriageState) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE alerts SET status = ?2, snoozed_until = ?3, snoozed_from = ?4, dismiss_reason = ?5, owner = ?6 WHERE id = ?1",
        params![
            id,
            s.status.name(),
            s.snoozed_until.map(|d| d.to_string()),
            s.snoozed_from.map(|f| f.name()),
            s.dismiss_reason,
            s.owner
        ],
    )?;
    Ok(())
}

impl Store {
    /// Inserts newly fired alerts (audited as `fire`), refreshes the evidence of known
    /// ones, wakes snoozes that are due (audited as `wake`) and adds follow-ups that
    /// events ask for. Triage state is never touched otherwise, so it survives every
    /// refresh.
    pub fn sync(
        &mut self,
        candidates: &[AlertCandidate],
        followups: &[crate::engine::followups::FollowUpCandidate],
        today: NaiveDate,
        complete: bool,
    ) -> Result<SyncReport, StoreError> {
        let scope = self.scope.clone();
        self.write(|tx, actor| {
            let batch = audit::next_batch(tx)?;
            let mut report = SyncReport::default();
            let now = now_text();
            for c in candidates {
                let id = scope.stored(&c.id);
                let evidence = serde_json::to_string(&c.evidence).unwrap_or_default();
                let known: Option<String> = tx
                    .query_row(
                        "UPDATE alerts SET severity = ?2, title = ?3, evidence = ?4, last_seen = ?5 WHERE id = ?1 RETURNING status",
                        params![id, c.severity.name(), c.title, evidence, now],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(status) = known {
                    if status == Status::Cleared.name() {
                        let why = "the data shows it again";
                        super::lifecycle::step(tx, (actor, batch), &id, Command::Recur, (why, today))?;
                    }
                    continue;
                }
                tx.execute(
                    "INSERT INTO alerts (id, rule, tenant, subject, period, severity, title, evidence, first_seen, last_seen, status, source)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 'new', ?10)",
                    params![id, c.rule.id(), c.tenant, c.subject, c.period, c.severity.name(), c.title, evidence, now, scope.key],
                )?;
                let change = Change {
                    action: "fire",
                    target: &target(&id),
                    before: None,
                    after: Some(state_json(&TriageState::default())),
                    note: Some(c.title.clone()),
                };
                audit::append(tx, actor, batch, change)?;
                report.fired += 1;
            }
            let due: Vec<String> = {
                let mut stmt = tx.prepare(&format!("SELECT id FROM alerts WHERE {} AND status = 'snoozed' AND (snoozed_until IS NULL OR snoozed_until <= ?1)", scope.filter("source", 2)))?;
                stmt.query_map(params![today.to_string(), scope.key], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
            };
            for id in due {
                let Some(before) = read_state(tx, &id)? else { continue };
                let Ok(after) = triage::apply(&before, &Command::Wake, today) else { continue };
                write_state(tx, &id, &after)?;
                let change = Change {
                    action: "wake",
                    target: &target(&id),
                    before: Some(state_json(&before)),
                    after: Some(state_json(&after)),
                    note: Some("the snooze ended".into()),
                };
                audit::append(tx, actor, batch, change)?;
                report.woken += 1;
            }
            if complete {
                report.cleared = super::lifecycle::clear_missing(tx, (actor, batch), &scope, candidates, today)?;
            }
            report.followups =
                super::followups::insert_missing(tx, actor, batch, &scope, followups)?;
            Ok(report)
        })
    }

    /// Applies a command to each alert of a selection, in one transaction. Alerts for
    /// which the command is illegal are left as they are and reported; if it is legal
    /// for none, nothing is written and the first refusal is the error.
    pub fn triage(
        &mut self,
        ids: &[String],
        command: &Command,
        today: NaiveDate,
    ) -> Result<Outcome, StoreError> {
        let scope = self.scope.clone();
        self.write(|tx, actor| {
            let batch = audit::next_batch(tx)?;
            let mut out = Outcome {
                batch,
                ..Outcome::default()
            };
            for shown in ids {
                let id = &*scope.stored(shown);
                let Some(before) = read_state(tx, id)? else {
                    out.refused.push((shown.clone(), "no such alert".into()));
                    continue;
                };
                match triage::apply(&before, command, today) {
                    Ok(after) => {
                        write_state(tx, id, &after)?;
                        let note = match command {
                            Command::Dismiss { reason } => Some(reason.clone()),
                            _ => None,
                        };
                        let change = Change {
                            action: command.verb(),
                            target: &target(id),
                            before: Some(state_json(&before)),
                            after: Some(state_json(&after)),
                            note,
                        };
                        audit::append(tx, actor, batch, change)?;
                        out.changed.push(shown.clone());
                    }
                    Err(r) => out.refused.push((shown.clone(), r.0)),
                }
            }
            match (out.changed.is_empty(), out.refused.first()) {
                // Rolls the (empty) transaction back; nothing to undo later.
                (true, Some((_, why))) => Err(StoreError::Refused(triage::Refusal(why.clone()))),
                _ => Ok(out),
            }
        })
    }

    /// Adds a note to an alert or a follow-up (`target` is `alert:…` or `followup:…`).
    pub fn note(&mut self, target: &str, text: &str) -> Result<i64, StoreError> {
        let text = triage::clean_text(text, 2000);
        if text.is_empty() {
            return Err(StoreError::Refused(triage::Refusal("an empty note".into())));
        }
        let target = &self.scope.stored_target(target);
        self.write(|tx, actor| {
            let batch = audit::next_batch(tx)?;
            tx.execute(
                "INSERT INTO notes (target, at, who, text) VALUES (?1, ?2, ?3, ?4)",
                params![target, now_text(), actor.user, text],
            )?;
            let id = tx.last_insert_rowid();
            let change = Change {
                action: "note",
                target: &format!("note:{id}"),
                before: None,
                after: Some(super::undo::note_json(target, &text)),
                note: Some(text.clone()),
            };
            audit::append(tx, actor, batch, change)?;
            Ok(batch)
        })
    }

    /// Every alert, open ones first, then by severity and period.
    pub fn alerts(&self) -> Result<Vec<AlertRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT a.id, a.rule, a.tenant, a.subject, a.period, a.severity, a.title, a.evidence, a.first_seen, a.last_seen,
                    a.status, a.snoozed_until, a.snoozed_from, a.dismiss_reason, a.owner
             FROM alerts a WHERE {}",
            self.scope.filter("a.source", 1)
        ))?;
        let mut rows: Vec<AlertRow> = stmt
            .query_map([&self.scope.key], |r| {
                // Every text made inert here, as it leaves the database; the id once its
                // notes are found by it, below.
                Ok(AlertRow {
                    id: r.get(0)?,
                    rule: Rule::parse(&r.get::<_, String>(1)?).unwrap_or(Rule::CustomEvent),
                    tenant: inert(r.get(2)?),
                    subject: inert_opt(r.get(3)?),
                    period: inert(r.get(4)?),
                    severity: Severity::parse(&r.get::<_, String>(5)?).unwrap_or(Severity::Low),
                    title: inert(r.get(6)?),
                    evidence: inert_evidence(
                        serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
                    ),
                    first_seen: inert(r.get(8)?),
                    last_seen: inert(r.get(9)?),
                    triage: TriageState {
                        status: Status::parse(&r.get::<_, String>(10)?).unwrap_or_default(),
                        snoozed_until: r.get::<_, Option<String>>(11)?.and_then(|u| u.parse().ok()),
                        snoozed_from: r
                            .get::<_, Option<String>>(12)?
                            .and_then(|f| Status::parse(&f)),
                        dismiss_reason: inert_opt(r.get(13)?),
                        owner: inert_opt(r.get(14)?),
                    },
                    notes: Vec::new(),
                    followup: None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut notes = self.all_notes("alert:")?;
        let mut followups = self.followup_ids()?;
        for row in &mut rows {
            row.notes = notes.remove(row.id.as_str()).unwrap_or_default();
            row.followup = followups
                .remove(row.id.as_str())
                .map(|f| inert(self.scope.shown(f)));
            row.id = inert(self.scope.shown(std::mem::take(&mut row.id)));
        }
        sort_alerts(&mut rows);
        Ok(rows)
    }

    /// Each alert's follow-up, by alert id: one scan of the follow-ups rather than a
    /// lookup per alert (a seek per row was a sixth of loading 300,000 alerts).
    fn followup_ids(&self) -> Result<rustc_hash::FxHashMap<String, String>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT alert_id, id FROM followups WHERE alert_id IS NOT NULL AND {}",
            self.scope.filter("source", 1)
        ))?;
        let ids = stmt
            .query_map([&self.scope.key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Notes of every target with the prefix, by the target's id (the target without
    /// the prefix), so rows find theirs without building a key each.
    pub(super) fn all_notes(
        &self,
        prefix: &str,
    ) -> Result<rustc_hash::FxHashMap<String, Vec<Note>>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at, who, text, target FROM notes WHERE target LIKE ?1 || '%' ORDER BY id",
        )?;
        let mut out: rustc_hash::FxHashMap<String, Vec<Note>> = Default::default();
        // The target stays as stored: it is the key rows find their notes by.
        let rows = stmt.query_map([prefix], |r| Ok((r.get::<_, String>(4)?, read_note(r)?)))?;
        for row in rows {
            let (target, note) = row?;
            let id = target.strip_prefix(prefix).unwrap_or(&target).to_owned();
            out.entry(id).or_default().push(note);
        }
        Ok(out)
    }
}

/// Open alerts first, then the most severe, the most recent period, and by identity.
///
/// Rows are large and many (300,000 after years of triage): moving them while sorting,
/// and comparing their long identities, cost more than reading them from the database.
/// So positions are sorted by one number per row (open, severity, the period's rank
/// among the periods present) and the rows moved once; rows that arrive in identity
/// order keep it through the stable sort, so identities are compared only when they do
/// not. The store reads rows in table order: asking SQLite for identity order cost a
/// seek into the table per row, through the identity's index (a sixth of the load).
pub fn sort_alerts(rows: &mut Vec<AlertRow>) {
    // The few distinct periods, ranked: sorting 300,000 copies of a dozen strings was a
    // tenth of the load.
    let distinct: rustc_hash::FxHashSet<&str> = rows.iter().map(|a| a.period.as_str()).collect();
    let mut periods: Vec<&str> = distinct.into_iter().collect();
    periods.sort_unstable();
    let rank = |p: &str| periods.binary_search(&p).unwrap_or(0) as u64;
    // Descending in all three: larger is earlier.
    let keys: Vec<u64> = rows
        .iter()
        .map(|a| {
            let open = u64::from(a.triage.status.is_open());
            (open << 40) | ((a.severity as u64) << 32) | rank(&a.period)
        })
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    if rows.windows(2).all(|w| w[0].id <= w[1].id) {
        order.sort_by(|&i, &j| keys[j].cmp(&keys[i]));
    } else {
        order.sort_by(|&i, &j| {
            keys[j]
                .cmp(&keys[i])
                .then_with(|| rows[i].id.cmp(&rows[j].id))
        });
    }
    if order.iter().enumerate().all(|(at, &i)| at == i) {
        return;
    }
    let mut taken: Vec<Option<AlertRow>> = std::mem::take(rows).into_iter().map(Some).collect();
    rows.extend(order.into_iter().filter_map(|i| taken[i].take()));
}
