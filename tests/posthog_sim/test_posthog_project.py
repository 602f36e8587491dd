"""The simulator's tests of what a PostHog project adds to a query: property types, conversions
by type, property groups, the project's zone, caching, execution limits, async statuses, the
concurrency limiter and duplicate events. Each is named after the PostHog source it reproduces.

    cd tests/posthog_sim && .venv/bin/python -B -m unittest test_posthog_project -v
"""

import json
import os
import sys
import tempfile
import threading
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hogql  # noqa: E402
import property_types as PT  # noqa: E402
import query_api as Q  # noqa: E402
import server  # noqa: E402
from engine import Engine  # noqa: E402

KEY = "phx_test"
EVENTS = [
    {
        "uuid": "00000000-0000-4000-8000-00000000000a",
        "event": "e",
        "distinct_id": "d1",
        "timestamp": "2026-10-31T20:00:00Z",
        "properties": {"n": 42, "flag": True, "renewal_date": "2026-12-01", "s": 'say "hi"', "$lib": "web", "tenant": "acme"},
    },
    {
        "uuid": "00000000-0000-4000-8000-00000000000b",
        "event": "e",
        "distinct_id": "d2",
        "timestamp": "2026-11-02T10:00:00Z",
        "properties": {"n": "not a number", "flag": "maybe", "renewal_date": "soon", "tenant": None},
    },
]


class Args:
    timezone = "UTC"
    property_groups = False
    ms_per_1k_rows = 0.0
    cache_stale_s = 21600


class State:
    def __init__(self, engine, **args):
        self.engine = engine
        self.property_types = engine.property_types
        self.args = Args()
        for k, v in args.items():
            setattr(self.args, k, v)


def typed_engine(overrides=None):
    engine = Engine(PT.PropertyTypes(True, overrides))
    engine.add_events(EVENTS)
    return engine


class Served:
    """The HTTP server in-process, over EVENTS, with extra command-line flags."""

    def __init__(self, *flags):
        self.dir = tempfile.mkdtemp()
        path = os.path.join(self.dir, "events.jsonl")
        with open(path, "w") as f:
            f.writelines(json.dumps(e) + "\n" for e in EVENTS)
        self.server = server.build(["--events", path, "--personal-api-key", KEY, "--async-ms", "50", *flags])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={"Authorization": f"Bearer {KEY}"})
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, dict(r.headers), json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), json.loads(e.read() or b"null")

    def query(self, text, refresh="blocking", **extra):
        return self.call("POST", "/api/projects/1/query/", {"query": {"kind": "HogQLQuery", "query": text}, "refresh": refresh, **extra})

    def capture(self, event):
        self.call("POST", "/batch/", {"api_key": "phc_simulator_project_token", "batch": [event]})

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class ProjectTest(unittest.TestCase):
    def rows(self, engine, query, values=None, **args):
        sql, _ = hogql.to_clickhouse(query, values, ctx=Q.context(State(engine, **args), {}))
        return engine.run(sql)[2]

    def test_a_property_is_typed_by_its_first_value__property_defs_rs_types_rs(self):
        """detect_property_type (rust/property-defs-rs/src/types.rs): numbers Numeric, bools
        and "true"/"false" Boolean, date-like strings DateTime whatever the name, a recent
        unix time under a time-like name DateTime, utm_ always String; the first typed value
        wins and a null records nothing."""
        now = 1_800_000_000
        cases = [("n", 1.5, "Numeric"), ("ok", "TRUE", "Boolean"), ("ok", False, "Boolean"), ("x", "2026-01-01", "DateTime"),
                 ("x", "2026-01-01T10:00:00Z", "DateTime"), ("created_at", now - 10, "DateTime"), ("count", now, "Numeric"),
                 ("utm_source", 5, "String"), ("x", "hello", "String"), ("x", None, None), ("x", {"a": 1}, None)]
        for key, value, want in cases:
            self.assertEqual(PT.detect(key, value, now), want, (key, value))
        types = PT.PropertyTypes()
        types.record({"a": None, "b": "x"}, now)
        types.record({"a": 3, "b": 4}, now)
        self.assertEqual((types.of("a"), types.of("b")), ("Numeric", None))
        self.assertEqual(typed_engine().property_types.snapshot()["renewal_date"], "DateTime")

    def test_typed_properties_print_as_the_property_swapper_does__property_types_py(self):
        """PropertySwapper (posthog/hogql/transforms/property_types.py): Numeric -> toFloat
        (accurateCastOrNull(x, 'Float64')), Boolean -> toBool(transform(toString(x), ...)),
        DateTime -> toDateTime(x), printed parseDateTime64BestEffortOrNull(x, 6, tz); a value
        that does not convert is NULL. JSONExtractRaw(properties, ...) is not rewritten."""
        engine = typed_engine()
        sql, _ = hogql.to_clickhouse("SELECT properties.n, properties.flag, properties.renewal_date FROM events", ctx=Q.context(State(engine), {}))
        self.assertIn("accurateCastOrNull(replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(properties, 'n')", sql)
        self.assertIn("toBool(transform(toString(replaceRegexpAll(", sql)
        self.assertIn("parseDateTime64BestEffortOrNull(replaceRegexpAll(", sql)
        got = self.rows(engine, "SELECT properties.n, properties.flag, properties.renewal_date, JSONExtractRaw(properties, 'n') FROM events ORDER BY distinct_id")
        self.assertEqual(got, [[42, True, "2026-12-01T00:00:00Z", "42"], [None, None, None, '"not a number"']])
        # The explicit raw form bearing's queries will use reads the text whatever the type.
        raw = "replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(properties, 'n'), ''), 'null'), '^\"|\"$', '')"
        self.assertEqual(self.rows(engine, f"SELECT {raw} FROM events ORDER BY distinct_id"), [["42"], ["not a number"]])

    def test_to_type_name_of_a_typed_property_is_its_conversions_type__conversions_py(self):
        """toTypeName (functions/clickhouse/conversions.py, toTypeName, 1 argument) of
        properties.x sees the property after PropertySwapper's rewrite: Numeric (toFloat) is
        Nullable(Float64), Boolean (toBool) Nullable(Bool), DateTime (toDateTime)
        Nullable(DateTime64(6, zone)) in the project's zone; an untyped property is
        Nullable(String), from the JSON or from Cloud's property-group map alike."""
        q = "SELECT toTypeName(properties.n), toTypeName(properties.flag), toTypeName(properties.renewal_date), toTypeName(properties.s) FROM events LIMIT 1"
        want = ["Nullable(Float64)", "Nullable(Bool)", "Nullable(DateTime64(6, 'UTC'))", "Nullable(String)"]
        # (rows() is the printed SQL's answer, one row past the LIMIT, as hasMore needs.)
        self.assertEqual(self.rows(typed_engine(), q)[0], want)
        self.assertEqual(self.rows(typed_engine(), q, timezone="Asia/Kolkata")[0][2], "Nullable(DateTime64(6, 'Asia/Kolkata'))")
        untyped = Engine(PT.PropertyTypes(False))
        untyped.add_events(EVENTS)
        for groups in (False, True):
            self.assertEqual(self.rows(untyped, q, property_groups=groups)[0], ["Nullable(String)"] * 4, groups)

    def test_string_functions_on_a_typed_property_are_clickhouses_illegal_type_error__errors_py(self):
        """match()/substring() of a Numeric or DateTime property fail in ClickHouse with
        ILLEGAL_TYPE_OF_ARGUMENT; posthog/errors.py makes it an ExposedCHQueryError and
        api/query.py answers 400 validation_error, code illegal_type_of_argument."""
        state = State(typed_engine())
        for query in ("SELECT match(properties.n, '^4') FROM events", "SELECT substring(properties.renewal_date, 1, 4) FROM events"):
            status, body = Q.execute(state, {"query": query})
            self.assertEqual((status, body["type"], body["code"]), (400, "validation_error", "illegal_type_of_argument"), query)
            self.assertNotIn("DB::Exception", body["detail"])

    def test_conversions_print_by_their_argument_type__printer_clickhouse_py(self):
        """toDateTime of a DateTime, Date or integer prints toDateTime(x, tz), of a string
        constant toDateTime/toDateTime64/parseDateTime64BestEffort, of anything else
        parseDateTime64BestEffortOrNull(x, 6, tz); toDate of a DateTime/Date prints toDate,
        else toDateOrNull. toUnixTimestamp declares no return type, so toDateTime and toDate of
        it are refused by ClickHouse, while intDiv/addDays arithmetic needs no types."""
        state = State(typed_engine())

        def sql(q, values=None):
            return hogql.to_clickhouse(q, values, ctx=Q.context(state, {}))[0]

        self.assertIn("toDateTime(1767225600, 'UTC')", sql("SELECT toDateTime({t})", {"t": 1767225600}))
        self.assertIn("toDateTime('2026-01-01', 'UTC')", sql("SELECT toDateTime('2026-01-01')"))
        self.assertIn("toDateTime64('2026-01-01 10:00:00.5', 6, 'UTC')", sql("SELECT toDateTime('2026-01-01 10:00:00.5')"))
        self.assertIn("parseDateTime64BestEffort('2026-01-01T10:00:00Z', 6, 'UTC')", sql("SELECT toDateTime('2026-01-01T10:00:00Z')"))
        self.assertIn("parseDateTime64BestEffortOrNull(toUnixTimestamp(", sql("SELECT toDateTime(toUnixTimestamp(timestamp), 'UTC') FROM events"))
        self.assertIn("toDate(toTimeZone(events.timestamp, 'UTC'))", sql("SELECT toDate(timestamp) FROM events"))
        self.assertIn("toDateOrNull('2026-01-01')", sql("SELECT toDate('2026-01-01')"))
        # An alias or subquery column carries its expression's type.
        nested = "SELECT toDate(toDateTime(ts, 'UTC')) FROM (SELECT toUnixTimestamp(timestamp) AS ts FROM events)"
        self.assertIn("(parseDateTime64BestEffortOrNull(ts, 6, 'UTC'))", sql(nested))
        status, body = Q.execute(state, {"query": nested})
        self.assertEqual((status, body["code"]), (400, "illegal_type_of_argument"))
        # The day arithmetic bearing's queries will use, and the zone-free timestamp bound.
        days = (
            "SELECT addDays(toDate('1970-01-01'), intDiv(ts, 86400)) AS day FROM (SELECT toUnixTimestamp(timestamp) AS ts "
            "FROM events WHERE timestamp >= toDateTime({lo})) ORDER BY day"
        )
        self.assertEqual(self.rows(state.engine, days, {"lo": 1793400000}), [["2026-10-31"], ["2026-11-02"]])
        self.assertEqual(self.rows(state.engine, days, {"lo": 1793491200}, timezone="Asia/Kolkata"), [["2026-11-02"]])

    def test_custom_properties_come_from_the_property_group_map__printer_types_py(self):
        """With propertyGroupsMode optimized, a custom property is read from properties_group_custom
        (posthog/clickhouse/property_groups.py: JSONExtractKeysAndValues(properties, 'String')),
        printed `has(map, 'x') ? map['x'] : null` (printer/types.py): strings unescaped, numbers
        and bools as text, absent or null NULL; `$` properties still come from the JSON."""
        engine = Engine(PT.PropertyTypes(False))
        engine.add_events(EVENTS)
        q = "SELECT properties.s, properties.n, properties.flag, properties.tenant, properties.absent, properties.$lib FROM events ORDER BY distinct_id"
        got = self.rows(engine, q, property_groups=True)
        self.assertEqual(got, [['say "hi"', "42", "true", "acme", None, "web"], [None, "not a number", "maybe", None, None, None]])
        # Typed properties convert on top, as PostHog does.
        self.assertEqual(self.rows(typed_engine(), "SELECT properties.n FROM events ORDER BY distinct_id", property_groups=True), [[42], [None]])

    def test_datetimes_are_in_the_project_time_zone__property_types_py(self):
        """PropertySwapper reads DateTime columns as toTimeZone(col, tz); toDateTime appends the
        project's zone (printer/clickhouse.py). The first event (20:00 UTC on 31 Oct) is on
        1 Nov in Kolkata; comparing timestamp with toDateTime(unix seconds) is the same instant
        in any zone; the answer names the zone."""
        engine = typed_engine()
        q = "SELECT toStartOfMonth(timestamp), toDate(timestamp) FROM events ORDER BY timestamp LIMIT 1"
        self.assertEqual(self.rows(engine, q)[0], ["2026-10-01", "2026-10-31"])
        self.assertEqual(self.rows(engine, q, timezone="Asia/Kolkata")[0], ["2026-11-01", "2026-11-01"])
        status, body = Q.execute(State(engine, timezone="Asia/Kolkata"), {"query": "SELECT 1"})
        self.assertEqual(body["timezone"], "Asia/Kolkata")
        engine.load_subscriptions_rows([{"tenant_id": "t", "plan_name": "p", "status": "active", "current_period_start": "2026-10-31T20:00:00Z"}])
        state = State(engine, timezone="Asia/Kolkata")
        for modifiers, want in (({}, "2026-11-01T01:30:00Z"), ({"convertToProjectTimezone": False}, "2026-10-31T20:00:00Z")):
            status, body = Q.execute(state, {"query": "SELECT current_period_start FROM subscriptions", "modifiers": modifiers})
            self.assertEqual(body["results"], [[want]], modifiers)

    def test_results_are_cached_until_stale_or_forced__hogql_query_runner_py(self):
        """HogQLQueryRunner.cache_target_age: 6 h (staleness_threshold_map, caching/utils.py);
        blocking and async answer from a fresh cache (is_cached, the first last_refresh), so a
        captured event is not seen; force_blocking recomputes; past the staleness it recomputes."""
        sim = Served("--cache-stale-s", "300")
        self.addCleanup(sim.close)
        q = "SELECT count() FROM events"
        first = sim.query(q)[2]
        sim.capture({"event": "e", "distinct_id": "d9", "uuid": "00000000-0000-4000-8000-0000000000ff"})
        again = sim.query(q)[2]
        self.assertEqual((again["results"], again["is_cached"], again["last_refresh"]), ([[2]], True, first["last_refresh"]))
        status, _, cached = sim.query(q, "async")
        self.assertEqual((status, cached["is_cached"], cached["results"]), (200, True, [[2]]))
        self.assertEqual(sim.query(q, "force_blocking")[2]["results"], [[3]])
        sim.capture({"event": "e", "distinct_id": "d8", "uuid": "00000000-0000-4000-8000-0000000000fe"})
        self.assertEqual(sim.query(q)[2]["results"], [[3]])
        sim.call("POST", "/_sim/clock", {"advance_s": 301})
        fresh = sim.query(q)[2]
        self.assertEqual((fresh["results"], fresh["is_cached"]), ([[4]], False))
        never = Served("--cache-never-stale")
        self.addCleanup(never.close)
        never.query(q)
        never.call("POST", "/_sim/clock", {"advance_s": 10**7})
        self.assertEqual(never.query(q)[2]["is_cached"], True)

    def test_a_blocking_query_over_the_limit_is_posthogs_504__errors_py(self):
        """TIMEOUT_EXCEEDED is ClickHouseQueryTimeOut (posthog/errors.py, exceptions.py): 504
        with its detail; async queries have a longer limit (LimitContext.QUERY_ASYNC)."""
        sim = Served("--max-execution-ms", "1", "--ms-per-1k-rows", "1000")
        self.addCleanup(sim.close)
        q = "SELECT count() FROM events WHERE event = 'e'"
        status, _, body = sim.query(q)
        self.assertEqual((status, body), (504, Q.error_body("server_error", "error", Q.TIMEOUT_DETAIL)))
        log = sim.call("GET", "/_sim/requests")[2]
        self.assertTrue(log[-1].get("timed_out"))
        status, _, created = sim.query(q, "async")
        done = self.wait(sim, created["query_status"]["id"])
        self.assertEqual(done[2]["query_status"]["results"]["results"], [[2]])

    def wait(self, sim, qid, show=""):
        while True:
            r = sim.call("GET", f"/api/projects/1/query/{qid}/{show}")
            if r[0] != 202:
                return r

    def test_async_statuses_progress_and_final_errors__execute_async_py(self):
        """query_progress only with ?show_progress=true while running (get_query_status); a
        failed query's status is final, GET answers 400 with error_message (api/query.py)."""
        sim = Served()
        self.addCleanup(sim.close)
        # q1 runs until cancelled, so "still running" holds however loaded the machine is.
        sim.server.state.args.async_ms = 600_000
        created = sim.query("SELECT count() FROM events", "async", client_query_id="q1")[2]["query_status"]
        self.addCleanup(sim.call, "DELETE", "/api/projects/1/query/q1/")
        self.assertIsNone(created["query_progress"])
        self.assertIsNone(sim.call("GET", "/api/projects/1/query/q1/")[2]["query_status"]["query_progress"])
        running = sim.call("GET", "/api/projects/1/query/q1/?show_progress=true")
        self.assertEqual((running[0], sorted(running[2]["query_status"]["query_progress"])), (202, ["active_cpu_time", "bytes_read", "estimated_rows_total", "rows_read", "time_elapsed"]))
        sim.server.state.args.async_ms = 50
        sim.query("SELECT toDate(toDateTime(toUnixTimestamp(timestamp))) FROM events", "async", client_query_id="q2")
        for _ in range(2):
            status, _, body = self.wait(sim, "q2")
            st = body["query_status"]
            self.assertEqual((status, st["complete"], st["error"], st["results"]), (400, True, True, None))
            self.assertIn("parseDateTime64BestEffortOrNull", st["error_message"])

    def test_the_concurrency_limiters_429_has_no_retry_after__limit_py(self):
        """ConcurrencyLimitExceeded -> DRF Throttled(detail) with no wait (api/query.py), so no
        Retry-After; the DRF rate throttles keep sending it (the "429" fault)."""
        sim = Served("--max-concurrent", "1")
        self.addCleanup(sim.close)
        # The first query holds the only slot until cancelled, however slow the machine.
        sim.server.state.args.async_ms = 600_000
        self.assertEqual(sim.query("SELECT 1", "async", client_query_id="held")[0], 202)
        self.addCleanup(sim.call, "DELETE", "/api/projects/1/query/held/")
        status, headers, body = sim.query("SELECT 2")
        self.assertEqual((status, body["type"], body["code"]), (429, "throttled_error", "throttled"))
        self.assertTrue(body["detail"].startswith("Exceeded maximum concurrency limit: 1 for key: "))
        self.assertNotIn("Retry-After", headers)
        sim.call("POST", "/_sim/faults", {"mode": "429-concurrency", "count": 1})
        sim.server.state.args.max_concurrent = 0
        status, headers, body = sim.query("SELECT 3")
        self.assertEqual((status, "Retry-After" in headers), (429, False))

    def test_repeated_events_count_twice_until_a_merge__replacing_merge_tree(self):
        """PostHog's events table collapses rows with the same uuid, event, distinct_id and date
        only when ClickHouse merges it; until then a repeated capture is counted twice."""
        engine = Engine(PT.PropertyTypes())
        engine.add_events(EVENTS + EVENTS[:1])
        engine.add_events(EVENTS[:1])
        self.assertEqual(engine.count(), 4)
        engine.merge()
        self.assertEqual(engine.count(), 2)

    def test_limit_by_prints_before_the_limit__printer_py(self):
        """printer.py prints `LIMIT n [OFFSET m] BY exprs` before the LIMIT; a query can
        count a repeated capture once before the table merges."""
        engine = Engine(PT.PropertyTypes())
        engine.add_events(EVENTS + EVENTS[:1])
        rows = self.rows(engine, "SELECT count() FROM (SELECT uuid FROM events LIMIT 1 BY uuid LIMIT 10)")
        self.assertEqual(rows, [[2]])


    def test_an_asterisk_over_a_subquery_expands_to_its_named_columns__resolver_py(self):
        """resolver.py (_asterisk_columns) expands `*` over a subquery or CTE to the columns
        the subquery names (aliases, fields, calls by their text); an unaliased constant or
        operation is left out, so a UNION member written `SELECT * FROM (SELECT 'x', ...)`
        would have fewer columns than the first. Refused."""
        engine = typed_engine()
        with self.assertRaisesRegex(hogql.UnsupportedError, "named columns only"):
            self.rows(engine, "SELECT * FROM (SELECT 'x', event FROM events)")
        with self.assertRaisesRegex(hogql.UnsupportedError, "named columns only"):
            self.rows(engine, "WITH c AS (SELECT event, count() * 2 FROM events GROUP BY event) SELECT * FROM c")
        rows = self.rows(engine, "WITH c AS (SELECT event, count() FROM events GROUP BY event) SELECT * FROM c")
        self.assertEqual(rows, [["e", 2]])
        rows = self.rows(engine, "SELECT * FROM (SELECT 'x' AS k, event FROM events LIMIT 1)")
        self.assertEqual(rows, [["x", "e"]])
        rows = self.rows(engine, "SELECT 'a', * FROM (SELECT count() AS n FROM events)")
        self.assertEqual(rows, [["a", 2]])


if __name__ == "__main__":
    unittest.main()
