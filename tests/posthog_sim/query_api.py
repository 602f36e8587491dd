"""What PostHog's query endpoint does around running a HogQL query: caching by refresh mode,
execution limits, ClickHouse errors as PostHog exposes them, async statuses, HogQLMetadata.

Sources (PostHog/posthog):
* posthog/hogql_queries/hogql_query_runner.py, cache_target_age: a HogQL result is fresh for
  staleness_threshold_map[DEFAULT]["day"] = 6 hours (LAZY: 12 h) after last_refresh
  (posthog/caching/utils.py); on Cloud, stale_cache_invalidation_disabled (a feature flag)
  makes it never stale. ExecutionMode (query_runner.py): blocking/async answer from a fresh
  cache, force_* always recompute; a computed answer refreshes the cache.
* hogql_query_runner.py, _calculate: a personal-API-key query (is_query_service) gets
  max_execution_time = 10 s; async queries run with LimitContext.QUERY_ASYNC, a longer limit.
* posthog/errors.py: TIMEOUT_EXCEEDED becomes ClickHouseQueryTimeOut (posthog/exceptions.py):
  504, "Query has hit the max execution time before completing. ..."; ILLEGAL_TYPE_OF_ARGUMENT
  and the other user errors become ExposedCHQueryError, which api/query.py answers
  ValidationError(str(e), code_name): 400 with the ClickHouse message after "DB::Exception:";
  any other ClickHouse error is InternalCHQueryError: 500 "ClickHouse error while executing
  query.".
* posthog/clickhouse/client/limit.py: ConcurrencyLimitExceeded, answered by api/query.py as
  DRF Throttled(detail=str(c)) with no wait, so without Retry-After.
"""

import datetime as dt
import hashlib
import json
import re
import threading
import time

import hogql

TIMEOUT_DETAIL = (
    "Query has hit the max execution time before completing. See our docs for how to improve "
    "your query performance. You may need to materialize."
)
INTERNAL_DETAIL = "ClickHouse error while executing query."
# wrap_clickhouse_query_error (posthog/errors.py): the ClickHouse errors shown to the user.
EXPOSED = {
    "ILLEGAL_TYPE_OF_ARGUMENT",
    "NO_COMMON_TYPE",
    "NOT_AN_AGGREGATE",
    "UNKNOWN_FUNCTION",
    "TYPE_MISMATCH",
    "ILLEGAL_AGGREGATION",
    "NUMBER_OF_ARGUMENTS_DOESNT_MATCH",
    "TOO_MANY_BYTES",
    "CANNOT_PARSE_UUID",
    "CANNOT_PARSE_BOOL",
    "INVALID_JOIN_ON_EXPRESSION",
    "UNKNOWN_TABLE",
    # user_safe in CLICKHOUSE_ERROR_CODE_LOOKUP (shape unverified: the table was not read)
    "CANNOT_PARSE_TEXT",
    "CANNOT_PARSE_DATETIME",
}
ASYNC_MODES = ("async", "force_async", "lazy_async", "async_except_on_cache_miss")


def error_body(kind, code, detail, attr=None):
    return {"type": kind, "code": code, "detail": detail, "attr": attr}


class Clock:
    """The simulator's now, which a test moves forward (POST /_sim/clock) instead of waiting."""

    def __init__(self):
        self.offset = 0.0
        self.lock = threading.Lock()

    def now(self):
        with self.lock:
            offset = self.offset
        return dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=offset)

    def advance(self, seconds):
        with self.lock:
            self.offset += float(seconds)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def clickhouse_error(e):
    """(status, body) for a query ClickHouse refused, as posthog/errors.py + api/query.py."""
    text = str(e)
    names = re.findall(r"\(([A-Z][A-Z0-9_]+)\)", text.split("\n")[0])
    name = names[-1] if names else "UNKNOWN_EXCEPTION"
    if name == "TIMEOUT_EXCEEDED":
        return 504, error_body("server_error", "error", TIMEOUT_DETAIL)
    if name not in EXPOSED:
        return 500, error_body("server_error", "error", INTERNAL_DETAIL)
    # ExposedCHQueryError.__str__: the message between "DB::Exception:" and "Stack trace:".
    start = text.find("DB::Exception:")
    message = text[start + len("DB::Exception:") :] if start >= 0 else text
    message = message.split("Stack trace:")[0].strip()
    return 400, error_body("validation_error", name.lower(), message)


def context(state, q):
    args = getattr(state, "args", None)
    modifiers = q.get("modifiers") or {}
    return hogql.Context(
        timezone=getattr(args, "timezone", "UTC"),
        property_types=getattr(state, "property_types", None),
        property_groups=getattr(args, "property_groups", False),
        convert_tz=modifiers.get("convertToProjectTimezone") is not False,
    )


def execute(state, q, limit_ms=None, info=None):
    """(status, body) of running a HogQLQuery now. `info` (a dict) gets rows_read,
    emulated_ms and timed_out. The execution time is emulated from the rows ClickHouse read
    (--ms-per-1k-rows), so a limit bites the same way on every run."""
    info = {} if info is None else info
    query = q.get("query") or ""
    values = q.get("values") or {}
    ctx = context(state, q)
    started = time.monotonic()
    try:
        sql, limit = hogql.to_clickhouse(query, values, ctx=ctx)
    # posthog/api/query.py raises ValidationError(str(e), e.code_name): "hogql_syntax_error" for
    # the parser's SyntaxError, "hogql_query_error" for QueryError (posthog/hogql/errors.py).
    except hogql.HogQLSyntaxError as e:
        return 400, error_body("validation_error", "hogql_syntax_error", e.message)
    except hogql.FunctionError as e:
        return 400, error_body("validation_error", "hogql_query_error", e.message)
    except hogql.PlaceholderError as e:
        return 400, error_body("validation_error", "invalid", str(e), "query")
    except hogql.UnsupportedError as e:
        return 500, error_body("server_error", "simulator_unsupported", f"The PostHog simulator does not support {e}")
    stats = {}
    try:
        columns, types, rows = state.engine.run(sql, stats)
    except Exception as e:  # ClickHouse refused it
        return clickhouse_error(e)
    args = getattr(state, "args", None)
    info["rows_read"] = stats.get("rows_read", 0)
    info["emulated_ms"] = info["rows_read"] * getattr(args, "ms_per_1k_rows", 0.0) / 1000
    if limit_ms is not None and info["emulated_ms"] > limit_ms:
        info["timed_out"] = True
        return 504, error_body("server_error", "error", TIMEOUT_DETAIL)
    has_more = len(rows) > limit
    rows = rows[:limit]
    clock = getattr(state, "clock", None)
    now = clock.now() if clock else dt.datetime.now(dt.timezone.utc)
    stale_s = getattr(args, "cache_stale_s", 21600)
    return 200, {
        "results": rows,
        "columns": columns,
        "types": types,
        "hogql": query,
        "clickhouse": sql,
        "hasMore": has_more,
        "limit": limit,
        "offset": 0,
        "timings": [{"k": "./total", "t": time.monotonic() - started}],
        "is_cached": False,
        "cache_key": cache_key(q),
        "last_refresh": iso(now),
        # query_runner.py: last_refresh plus the runner's minimum refresh interval (one minute
        # assumed: shape unverified in the stored source).
        "next_allowed_client_refresh": iso(now + dt.timedelta(seconds=60)),
        "cache_target_age": iso(now + dt.timedelta(seconds=stale_s)),
        "timezone": ctx.timezone,
        "query_status": None,
        "error": None,
        "modifiers": q.get("modifiers") or {},
    }


def cache_key(q):
    """Query text, values and modifiers: what PostHog's cache key covers of a HogQLQuery."""
    payload = json.dumps([q.get("query") or "", q.get("values") or {}, q.get("modifiers") or {}], sort_keys=True)
    return "cache_" + hashlib.sha1(payload.encode()).hexdigest()


class Cache:
    """Computed 200 answers by cache key, with the time they were computed."""

    def __init__(self, clock, stale_s, never_stale=False):
        self.clock = clock
        self.stale_s = stale_s
        self.never_stale = never_stale
        self.entries = {}
        self.lock = threading.Lock()

    def fresh(self, key, lazy=False):
        """A copy of the cached answer marked is_cached, if still fresh."""
        with self.lock:
            entry = self.entries.get(key)
        if entry is None:
            return None
        body, at = entry
        age = (self.clock.now() - at).total_seconds()
        if not self.never_stale and age > self.stale_s * (2 if lazy else 1):
            return None
        return dict(body, is_cached=True)

    def put(self, key, body):
        with self.lock:
            self.entries[key] = (body, self.clock.now())


def metadata(query):
    """HogQLMetadata: PostHog parses and prints the query (posthog/hogql/metadata.py), so an
    unknown function or a wrong arity is an error here too; the printer's QueryError has no
    position (start and end null)."""
    try:
        hogql.check_functions(query)
        return {"isValid": True, "isValidView": True, "errors": [], "warnings": [], "notices": [], "query": query}
    except (hogql.HogQLSyntaxError, hogql.FunctionError) as e:
        start, end = getattr(e, "start", None), getattr(e, "end", None)
        return {
            "isValid": False,
            "isValidView": False,
            "errors": [{"message": e.message, "start": start, "end": end, "fix": None}],
            "warnings": [],
            "notices": [],
            "query": query,
        }


def concurrency_body(limit, task_id):
    """DRF Throttled(detail=str(ConcurrencyLimitExceeded)) (api/query.py, limit.py)."""
    detail = f"Exceeded maximum concurrency limit: {limit} for key: api:query:per-org:1 and task: {task_id}"
    return error_body("throttled_error", "throttled", detail)
