#!/usr/bin/env python3
"""Adds N stored alerts to a bearing database, as years of triage would leave them:
every tenant, rule and period, some with follow-ups, owners and notes. For .ci/bench,
which times how long bearing takes to load them (the load must stay linear in N).

    .ci/many_alerts.py DB N
"""
import json
import sqlite3
import sys

db, n = sys.argv[1], int(sys.argv[2])
rules = ["deliverability_trend", "cost_opportunity", "decision_review_due", "revenue_pattern",
         "cost_roi", "planning_insight", "vendor_trend"]
c = sqlite3.connect(db)
# Triage belongs to a source (schema 5): the rows are the demo's, the source bearing
# opens by default; they carry its key, and their ids its suffix unless the demo is the
# database's legacy "bare" source.
SOURCE = "demo"
bare = c.execute("SELECT value FROM meta WHERE key = 'bare_source'").fetchone()
suffix = "" if bare and bare[0] == SOURCE else f" @{SOURCE}"
c.execute("BEGIN")
alerts, followups, notes = [], [], []
for i in range(n):
    rule = rules[i % len(rules)]
    tenant = f"tenant-{i % 5000:04d}"
    period = f"{2015 + (i // 60000)}-{1 + (i // 5000) % 12:02d}"
    aid = f"{rule}:{tenant}:{period}:{i}"
    stored = aid + suffix
    evidence = json.dumps({"figures": [["signals", str(i % 7)]], "events": []})
    status = ["new", "acknowledged", "resolved", "dismissed"][i % 4]
    owner = f"owner-{i % 40}" if i % 3 == 0 else None
    alerts.append((stored, rule, tenant, None, period, "high", f"Alert {i} at {tenant}", evidence,
                   "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", status, owner, SOURCE))
    if i % 10 == 0:
        followups.append((f"alert:{aid}{suffix}", "alert", aid, tenant, f"Follow up: alert {i}",
                          "monthly", "2026-01-01T00:00:00.000Z", "open", "2026-02-01", owner,
                          SOURCE))
    if i % 7 == 0:
        notes.append((f"alert:{stored}", "2026-01-01T00:00:00.000Z", "ana", f"note {i}"))
c.executemany("INSERT INTO alerts (id, rule, tenant, subject, period, severity, title, evidence,"
              " first_seen, last_seen, status, owner, source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", alerts)
c.executemany("INSERT INTO followups (id, origin, alert_id, tenant, title, cadence, created,"
              " status, due, owner, source) VALUES (?,?,?,?,?,?,?,?,?,?,?)", followups)
c.executemany("INSERT INTO notes (target, at, who, text) VALUES (?,?,?,?)", notes)
c.commit()
print(f"{n} alerts, {len(followups)} follow-ups, {len(notes)} notes added")
