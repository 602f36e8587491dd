"""The simulator's own tests: each one reproduces one thing PostHog does, named with the
PostHog source file it comes from, by printing HogQL (hogql.to_clickhouse), answering it as
the HTTP server does (server.execute / server.metadata) and, where the result matters,
running the SQL in ClickHouse (engine.Engine) over a tiny inline fixture.

    cd tests/posthog_sim && .venv/bin/python -m unittest test_simulator -v

`cargo test --test posthog_sim` runs this module too
(the_simulators_own_python_tests_pass in tests/posthog_sim.rs).
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import functions  # noqa: E402
import hogql  # noqa: E402
import posthog_function_names as names  # noqa: E402
import server  # noqa: E402
from engine import Engine  # noqa: E402

EVENTS = [
    {
        "uuid": "00000000-0000-4000-8000-000000000001",
        "event": "e",
        "distinct_id": "d1",
        "timestamp": "2026-11-01T10:00:00Z",
        "properties": {"tenant": "acme", "flag": True, "n": 42, "f": 2.5, "s": 'say "hi"\tnow\\'},
    },
    {
        "uuid": "00000000-0000-4000-8000-000000000002",
        "event": "e",
        "distinct_id": "d2",
        "timestamp": "2026-11-02T10:00:00Z",
        "properties": {"tenant": "", "flag": False, "o": {"k": "v"}, "a": [1, 2]},
    },
    {
        "uuid": "00000000-0000-4000-8000-000000000003",
        "event": "e",
        "distinct_id": "d3",
        "timestamp": "2026-11-03T10:00:00Z",
        "properties": {},
    },
]


class State:
    """What server.execute needs of the server's state."""

    def __init__(self, engine):
        self.engine = engine


class SimulatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = Engine()
        cls.engine.add_events(EVENTS)
        cls.state = State(cls.engine)

    def rows(self, query, values=None):
        sql, _ = hogql.to_clickhouse(query, values)
        return self.engine.run(sql)[2]

    def answer(self, query, values=None):
        return server.execute(self.state, {"kind": "HogQLQuery", "query": query, "values": values or {}})

    def refused(self, query):
        """The FunctionError message, after checking the HTTP answer carries it as PostHog does."""
        with self.assertRaises(hogql.FunctionError) as caught:
            hogql.to_clickhouse(query)
        status, body = self.answer(query)
        self.assertEqual(status, 400)
        self.assertEqual(
            body,
            {"type": "validation_error", "code": "hogql_query_error", "detail": caught.exception.message, "attr": None},
        )
        return caught.exception.message

    # ---- functions ---------------------------------------------------------------------
    def test_unknown_function_is_a_400_unsupported_function_call__printer_base_py(self):
        """PostHog's printer (posthog/hogql/printer/base.py, visit_call) refuses a name in none
        of its tables with "Unsupported function call 'name(...)'", adding the closest exposed
        name (difflib.get_close_matches over ALL_EXPOSED_FUNCTION_NAMES, mapping.py) when there
        is one; posthog/api/query.py answers it 400 validation_error."""
        self.assertEqual(self.refused("SELECT zqxv(1)"), "Unsupported function call 'zqxv(...)'")
        self.assertEqual(
            self.refused("SELECT countIff(event = 'e') FROM events"),
            "Unsupported function call 'countIff(...)'. Perhaps you meant 'countIf(...)'?",
        )
        # A ClickHouse function PostHog does not expose is unknown too, however valid in ClickHouse.
        self.assertEqual(
            self.refused("SELECT JSONExtractRawNotAThing(properties, 'x') FROM events"),
            "Unsupported function call 'JSONExtractRawNotAThing(...)'. Perhaps you meant 'JSONExtractRaw(...)'?",
        )
        # Inside a subquery, as deep as it is.
        self.refused("SELECT * FROM (SELECT lower(zqxv(event)) FROM events)")

    def test_names_match_case_only_where_posthog_declares_them_case_blind__mapping_py(self):
        """_find_function (posthog/hogql/functions/mapping.py) takes the exact key, else the
        lower-cased name when that key is case_sensitive=False: IF and isNull work, REPLACEALL
        does not. The ClickHouse name PostHog declares is what gets printed."""
        sql, _ = hogql.to_clickhouse("SELECT IF(1, 2, 3), isNull(1), IFNULL(NULL, 2), toInt('7')")
        self.assertIn("if(1, 2, 3), isNull(1), ifNull(NULL, 2), accurateCastOrNull('7', 'Int64')", sql)
        # The parser reads `NOT (…)` as a call to NOT (bearing's decision log does this).
        self.assertEqual(self.rows("SELECT count() FROM events WHERE NOT (distinct_id = 'd1')"), [[2]])
        self.assertEqual(self.refused("SELECT REPLACEALL('a', 'b', 'c')"), "Unsupported function call 'REPLACEALL(...)'")

    def test_wrong_number_of_arguments_is_posthogs_message__functions_core_py(self):
        """validate_function_args (posthog/hogql/functions/core.py) checks min_args/max_args
        before anything is printed: "Function 'if' expects 3 arguments, found 2", "... at
        least ...", "... at most ...", and "Aggregation ..." for aggregations."""
        self.assertEqual(self.refused("SELECT if(1, 2)"), "Function 'if' expects 3 arguments, found 2")
        self.assertEqual(self.refused("SELECT multiIf(1)"), "Function 'multiIf' expects at least 3 arguments, found 1")
        self.assertEqual(self.refused("SELECT toString(1, 'UTC', 3)"), "Function 'toString' expects at most 2 arguments, found 3")
        self.assertEqual(self.refused("SELECT lower()"), "Function 'lower' expects 1 argument, found 0")
        self.assertEqual(
            self.refused("SELECT count(event, event) FROM events"), "Aggregation 'count' expects at most 1 argument, found 2"
        )
        # The outer call is checked before its arguments are printed.
        self.assertEqual(self.refused("SELECT if(zqxv(1), 2)"), "Function 'if' expects 3 arguments, found 2")

    def test_metadata_reports_a_refused_call_as_an_error__metadata_py(self):
        """HogQLMetadata prints the query (posthog/hogql/metadata.py), so the printer's
        QueryError comes back as an error, without a position; placeholders are fine there."""
        bad = server.metadata("SELECT zqxv(event) FROM events WHERE timestamp > {since}")
        self.assertEqual(bad["isValid"], False)
        self.assertEqual(bad["errors"], [{"message": "Unsupported function call 'zqxv(...)'", "start": None, "end": None, "fix": None}])
        self.assertEqual(server.metadata("SELECT lower(event) FROM events WHERE timestamp > {since}")["isValid"], True)

    def test_a_function_posthog_knows_is_never_called_unknown__mapping_py(self):
        """A function in PostHog's tables (posthog/hogql/functions/mapping.py) that the
        simulator does not run is the simulator's 500, never PostHog's 400 "unknown"."""
        for query in ("SELECT arrayMap(x -> x, [1])", "SELECT sparkline(1)", "SELECT equals(1, 1)", "SELECT quantile(0.5)(1)"):
            with self.assertRaises(hogql.UnsupportedError, msg=query):
                hogql.to_clickhouse(query)
            status, body = self.answer(query)
            self.assertEqual((status, body["type"], body["code"]), (500, "server_error", "simulator_unsupported"), query)

    def test_every_function_the_simulator_runs_is_one_posthog_declares__mapping_py(self):
        """Each entry of functions.SUPPORTED is a key of HOGQL_CLICKHOUSE_FUNCTIONS or
        HOGQL_AGGREGATIONS (posthog/hogql/functions/mapping.py), in the right table, and a
        lower-case key is one PostHog declares case-blind."""
        for key, fn in functions.SUPPORTED.items():
            table = names.AGGREGATIONS if fn.aggregate else names.CLICKHOUSE
            self.assertIn(key, table, key)
            if key != fn.clickhouse and key.lower() == fn.clickhouse.lower():
                self.assertIn(key, names.CASE_INSENSITIVE, key)

    def test_to_date_time_adds_the_project_time_zone__printer_clickhouse_py(self):
        """toDateTime is tz_aware (clickhouse/conversions.py): the ClickHouse printer appends the
        project's time zone unless the caller gave it (printer/clickhouse.py)."""
        self.assertIn("toDateTime(1767225600, 'UTC')", hogql.to_clickhouse("SELECT toDateTime(1767225600)")[0])
        self.assertIn("toDateTime(1767225600, 'Europe/Paris')", hogql.to_clickhouse("SELECT toDateTime(1767225600, 'Europe/Paris')")[0])

    def test_array_join_over_a_lambdas_filter_repeats_a_row_per_element__arrays_py(self):
        """arrayJoin, arrayFilter and arrayElement (functions/clickhouse/arrays.py) print as
        themselves; a lambda (`i -> …`, posthog/hogql/printer.py visit_lambda) may read the
        row's columns, and a list value binds as an array (escape_sql.py). An event in two
        overlapping windows comes back twice, once per window."""
        q = (
            "SELECT distinct_id, arrayJoin(arrayFilter(i -> toUnixTimestamp(timestamp) >= arrayElement({s}, i) "
            "AND toUnixTimestamp(timestamp) < arrayElement({e}, i), [1, 2, 3])) AS w FROM events ORDER BY distinct_id, w"
        )
        # Windows Nov 1-2, Nov 2 and Nov 4 of 2026; d1 is on the 1st, d2 the 2nd, d3 the 3rd.
        values = {"s": [1793491200, 1793577600, 1793750400], "e": [1793664000, 1793664000, 1793836800]}
        self.assertEqual(self.rows(q, values), [["d1", 1], ["d2", 1], ["d2", 2]])
        status, _ = self.answer(q, values)
        self.assertEqual(status, 200)

    # ---- properties and comparisons ----------------------------------------------------
    def test_a_missing_property_is_null_not_empty__printer_py(self):
        """An untyped property is printed as JSONExtractRaw with '' and 'null' turned into
        NULL (posthog/hogql/printer.py): absent is NULL, an empty string stays ''."""
        got = self.rows("SELECT distinct_id, properties.tenant FROM events ORDER BY distinct_id")
        self.assertEqual(got, [["d1", "acme"], ["d2", ""], ["d3", None]])

    def test_comparisons_are_null_safe__printer_py(self):
        """PostHog wraps comparisons in ifNull(…, 0) (ifNull(…, 1) for !=) so a NULL side is a
        definite answer (posthog/hogql/printer.py)."""
        sql, _ = hogql.to_clickhouse("SELECT count() FROM events WHERE properties.tenant = 'acme'")
        self.assertIn("ifNull(", sql)
        self.assertEqual(self.rows("SELECT count() FROM events WHERE properties.tenant = 'acme'"), [[1]])
        self.assertEqual(self.rows("SELECT count() FROM events WHERE properties.tenant != 'acme'"), [[2]])
        self.assertEqual(self.rows("SELECT count() FROM events WHERE properties.tenant < 'b'"), [[2]])

    def test_untyped_true_is_the_text_true_and_a_number_its_json_text__printer_py(self):
        """With no recorded type a property is its raw JSON text (posthog/hogql/printer.py):
        true is 'true', 42 is '42', 2.5 is '2.5', all strings."""
        got = self.rows("SELECT properties.flag, properties.n, properties.f FROM events WHERE distinct_id = 'd1'")
        self.assertEqual(got, [["true", "42", "2.5"]])
        self.assertEqual(self.rows("SELECT properties.flag FROM events WHERE distinct_id = 'd2'"), [["false"]])

    def test_a_string_keeps_its_json_escapes__printer_py(self):
        """Only the quotes around a JSON string are cut (replaceRegexpAll(…, '^"|"$', ''),
        posthog/hogql/printer.py); its escapes stay: \\" \\t \\\\ come back as typed in JSON."""
        got = self.rows("SELECT properties['s'] FROM events WHERE distinct_id = 'd1'")
        self.assertEqual(got, [['say \\"hi\\"\\tnow\\\\']])

    def test_a_nested_property_is_its_json_text_and_json_type_tells_it__printer_py(self):
        """An object or array property comes back as its JSON text, like a string holding
        the same text (posthog/hogql/printer.py); JSONType(properties, 'x')
        (functions/clickhouse/json.py, passed through) is how a query tells them apart."""
        got = self.rows(
            "SELECT properties.o, JSONType(properties, 'o'), JSONType(properties, 'a'), "
            "JSONType(properties, 'tenant'), JSONType(properties, 'absent') IN ('Object', 'Array') "
            "FROM events WHERE distinct_id = 'd2'"
        )
        self.assertEqual(got, [['{"k":"v"}', "Object", "Array", "String", 0]])

    # ---- placeholders, limits, syntax --------------------------------------------------
    def test_placeholders_bind_from_values_and_are_escaped__escape_sql_py(self):
        """{name} takes values[name] as a constant, escaped as PostHog escapes strings
        (posthog/hogql/escape_sql.py); a list is an array; text never becomes SQL."""
        hostile = "x' OR 1=1 -- \\"
        sql, _ = hogql.to_clickhouse("SELECT {v}, {xs}", {"v": hostile, "xs": ["a", 1]})
        self.assertIn("'x\\' OR 1=1 -- \\\\', ['a', 1]", sql)
        self.assertEqual(self.rows("SELECT {v}", {"v": hostile}), [[hostile]])
        self.assertEqual(self.rows("SELECT count() FROM events WHERE properties.tenant = {v}", {"v": hostile}), [[0]])
        with self.assertRaises(hogql.PlaceholderError):
            hogql.to_clickhouse("SELECT {missing}", {})

    def test_the_100_row_default_limit_and_50000_cap__constants_py(self):
        """MAX_SELECT_RETURNED_ROWS (posthog/hogql/constants.py): no LIMIT gives 100 rows, a
        LIMIT above 50,000 gives 50,000; one row more is fetched to tell hasMore."""
        self.assertEqual(hogql.to_clickhouse("SELECT 1")[1], 100)
        self.assertTrue(hogql.to_clickhouse("SELECT 1")[0].endswith("LIMIT 101"))
        self.assertEqual(hogql.to_clickhouse("SELECT 1 LIMIT 100000")[1], 50000)
        self.assertEqual(hogql.to_clickhouse("SELECT 1 LIMIT 7")[1], 7)
        # 3 events joined five times over: 243 rows, of which 100 come back.
        joins = " ".join(f"CROSS JOIN events AS {t}" for t in "fghi")
        status, body = self.answer(f"SELECT e.uuid FROM events AS e {joins}")
        self.assertEqual((status, len(body["results"]), body["hasMore"], body["limit"]), (200, 100, True, 100))

    def test_a_syntax_error_is_the_parsers_message_as_validation_error__parser_cpp(self):
        """PostHog's own parser (hogql_parser, common/hogql_parser/parser.cpp) gives the
        message; posthog/api/query.py answers 400 validation_error with it."""
        with self.assertRaises(hogql.HogQLSyntaxError) as caught:
            hogql.parse("SELEC count( FROM events")
        message = "mismatched input 'SELEC' expecting {SELECT, WITH, '{', '(', '<'}"
        self.assertEqual(caught.exception.message, message)
        self.assertEqual(
            self.answer("SELEC count( FROM events"),
            (400, {"type": "validation_error", "code": "hogql_syntax_error", "detail": message, "attr": None}),
        )


if __name__ == "__main__":
    unittest.main()
