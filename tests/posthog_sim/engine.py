"""ClickHouse in-process (chdb) holding the simulator's tables: `events`, loaded from a
JSON Lines fixture of PostHog-shaped events and appended to by the capture API, and
`subscriptions`, loaded from a JSON Lines table.

`events` is a ReplacingMergeTree keyed like PostHog's (toDate(timestamp), event, distinct_id,
uuid), with background merges stopped: a repeated event is stored and counted twice, as in
PostHog, until merge() collapses it (PostHog's table collapses duplicates only when ClickHouse
merges parts, at a time nobody controls). It also carries PostHog's `properties_group_custom`
map column (posthog/clickhouse/property_groups.py), read when --property-groups is on."""

import datetime as dt
import json
import os
import re
import tempfile
import threading

from chdb import session as chs

EVENT_COLUMNS = (
    "uuid String, event String, distinct_id String, "
    "timestamp DateTime64(6, 'UTC'), properties String, person_id String"
)
# posthog/clickhouse/property_groups.py: the "custom" group of event properties, its keys
# filtered as PostHog filters them.
IGNORED_CUSTOM = (
    "token distinct_id utm_source utm_medium utm_campaign utm_content utm_term gclid gad_source "
    "gclsrc dclid gbraid wbraid fbclid msclkid twclid li_fat_id mc_cid igshid ttclid rdt_cid epik "
    "qclid sccid irclid _kx"
).split()
GROUP_FILTER = "key NOT LIKE '$%' AND key NOT IN (" + ", ".join(f"'{k}'" for k in IGNORED_CUSTOM) + ")"
GROUP_COLUMN = (
    "properties_group_custom Map(String, String) MATERIALIZED mapSort(mapFilter((key, _) -> "
    + GROUP_FILTER
    + ", CAST(JSONExtractKeysAndValues(properties, 'String'), 'Map(String, String)')))"
)


def in_custom_group(key):
    return not key.startswith("$") and key not in IGNORED_CUSTOM


SUBSCRIPTION_COLUMNS = "tenant_id String, plan_name String, status String, current_period_start DateTime64(6, 'UTC')"

# PostHog returns 64-bit integers as numbers, not quoted strings.
SETTINGS = " SETTINGS output_format_json_quote_64bit_integers=0, output_format_json_quote_decimals=0"


def parse_time(value):
    """PostHog-style timestamps to ClickHouse's text form, or None."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    text = str(value).strip().replace("Z", "+00:00")
    for parse in (dt.datetime.fromisoformat,):
        try:
            t = parse(text)
        except ValueError:
            continue
        if t.tzinfo is not None:
            t = t.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return t.strftime("%Y-%m-%d %H:%M:%S.%f")
    return None


# chdb runs one embedded ClickHouse per process, at one path: every Engine shares it, each in a
# database of its own, and one lock serializes them (a query runs in the engine's database).
_SHARED = {"session": None, "count": 0}
_LOCK = threading.RLock()


class _Session:
    def __init__(self, database):
        self.database = database

    def query(self, sql, fmt="CSV"):
        with _LOCK:
            sess = _SHARED["session"]
            sess.query(f"USE {self.database}")
            return sess.query(sql, fmt)


class Engine:
    def __init__(self, property_types=None, now_s=None):
        self.lock = _LOCK
        self.property_types = property_types
        self.now_s = now_s or (lambda: dt.datetime.now(dt.timezone.utc).timestamp())
        self.dir = tempfile.mkdtemp(prefix="posthog-sim-")
        with _LOCK:
            if _SHARED["session"] is None:
                _SHARED["session"] = chs.Session(os.path.join(tempfile.mkdtemp(prefix="posthog-sim-db-"), "db"))
            _SHARED["count"] += 1
            database = f"sim{_SHARED['count']}"
            _SHARED["session"].query(f"CREATE DATABASE {database}")
        self.sess = _Session(database)
        self.sess.query(
            f"CREATE TABLE events ({EVENT_COLUMNS}, {GROUP_COLUMN}) ENGINE = ReplacingMergeTree "
            "ORDER BY (toDate(timestamp), event, distinct_id, uuid)"
        )
        self.sess.query("SYSTEM STOP MERGES events")
        self.sess.query(f"CREATE TABLE subscriptions ({SUBSCRIPTION_COLUMNS}) ENGINE = Memory")
        self.counter = 0

    def _insert(self, table, columns, rows):
        if not rows:
            return
        self.counter += 1
        path = os.path.join(self.dir, f"insert-{self.counter}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False))
                f.write("\n")
        cols = columns.replace("'", "''")
        names = ", ".join(re.findall(r"(?:^|, )(\w+) [A-Z]", columns))
        # optimize_on_insert=0: ClickHouse would collapse repeats within one insert; PostHog's
        # batches are not the fixture's, so the simulator collapses only on merge().
        self.sess.query(
            f"INSERT INTO {table} ({names}) SELECT * FROM file('{path}', 'JSONEachRow', '{cols}') "
            "SETTINGS optimize_on_insert = 0"
        )
        os.remove(path)

    def event_row(self, e):
        """A stored row for an event dict, or None when PostHog would drop it."""
        if not isinstance(e, dict):
            return None
        name = e.get("event")
        distinct = e.get("distinct_id")
        if not isinstance(name, str) or not name or distinct in (None, ""):
            return None
        props = e.get("properties")
        if isinstance(props, str):
            try:
                props = json.loads(props)
            except ValueError:
                props = {}
        if not isinstance(props, dict):
            props = {}
        ts = parse_time(e.get("timestamp")) or parse_time(props.get("tracking_date"))
        if ts is None:
            ts = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        uuid = str(e.get("uuid") or "")
        if self.property_types is not None:
            self.property_types.record(props, self.now_s())
        return {
            "uuid": uuid,
            "event": name,
            "distinct_id": str(distinct),
            "timestamp": ts,
            "properties": json.dumps(props, ensure_ascii=False, separators=(",", ":")),
            "person_id": "",
        }

    def add_events(self, events):
        """Stores events, a repeated one too (see merge)."""
        rows = []
        with self.lock:
            for e in events:
                row = self.event_row(e)
                if row is not None:
                    rows.append(row)
            self._insert("events", EVENT_COLUMNS, rows)
        return len(rows)

    def merge(self):
        """What a ClickHouse merge of PostHog's events table does: rows with the same uuid,
        event, distinct_id and date collapse to the last one stored."""
        with self.lock:
            self.sess.query("SYSTEM START MERGES events")
            self.sess.query("OPTIMIZE TABLE events FINAL")
            self.sess.query("SYSTEM STOP MERGES events")

    def load_events(self, path):
        events = []
        with open(path, "rb") as f:
            for line in f:
                try:
                    events.append(json.loads(line))
                except ValueError:
                    continue  # a broken export line never reached PostHog
        return self.add_events(events)

    def load_subscriptions(self, path):
        subs = []
        with open(path, "rb") as f:
            for line in f:
                try:
                    subs.append(json.loads(line))
                except ValueError:
                    continue
        return self.load_subscriptions_rows(subs)

    def load_subscriptions_rows(self, subs):
        rows = [
            {
                "tenant_id": str(s.get("tenant_id") or ""),
                "plan_name": str(s.get("plan_name") or ""),
                "status": str(s.get("status") or ""),
                "current_period_start": parse_time(s.get("current_period_start")) or "1970-01-01 00:00:00",
            }
            for s in subs
        ]
        with self.lock:
            self._insert("subscriptions", SUBSCRIPTION_COLUMNS, rows)
        return len(rows)

    def run(self, sql, stats=None):
        """(columns, types, rows) of a query, values as PostHog's JSON has them; `stats`, a
        dict, gets the rows the query scans (see scanned)."""
        with self.lock:
            res = self.sess.query(sql + SETTINGS, "JSONCompact")
            if stats is not None:
                stats["rows_read"] = self.scanned(sql)
        data = json.loads(res.bytes() or b"{}")
        meta = data.get("meta", [])
        columns = [m["name"] for m in meta]
        types = [[m["name"], m["type"]] for m in meta]
        rows = [[convert(v, m["type"]) for v, m in zip(row, meta)] for row in data.get("data", [])]
        return columns, types, rows

    def scanned(self, sql):
        """Rows a query reads, counted as a full scan of each table each time it is read (chdb
        reports only the rows returned): deterministic, so an execution limit bites alike on
        every run."""
        total = 0
        for table in ("events", "subscriptions"):
            reads = len(re.findall(rf"\b(?:FROM|JOIN) {table}\b", sql))
            if reads:
                res = self.sess.query(f"SELECT count() FROM {table}", "CSV")
                total += reads * int(res.bytes().strip() or 0)
        return total

    def count(self):
        with self.lock:
            res = self.sess.query("SELECT count() FROM events", "CSV")
        return int(res.bytes().strip() or 0)


def convert(value, ch_type):
    """ClickHouse JSON values to what PostHog's API returns: ISO datetimes with Z."""
    if value is None:
        return None
    base = ch_type
    for wrapper in ("Nullable(", "LowCardinality("):
        if base.startswith(wrapper):
            base = base[len(wrapper) : -1]
    if base.startswith("DateTime") and isinstance(value, str):
        text = value.replace(" ", "T")
        if "." in text:
            head, frac = text.split(".", 1)
            frac = frac.rstrip("0")
            text = head + ("." + frac if frac else "")
        return text + "Z"
    return value
