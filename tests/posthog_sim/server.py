#!/usr/bin/env python3
"""A local PostHog for bearing's tests: PostHog's own HogQL parser, real ClickHouse
(chdb), PostHog's HTTP contract (see ../../../shared/posthog-api.md), and faults on
demand.

    python tests/posthog_sim/server.py --events FILE.jsonl [--subscriptions FILE.jsonl]
        [--port 0] [--personal-api-key phx_...] [--project-token phc_...] [--project-id 1]

Prints `listening on 127.0.0.1:PORT` once ready. Endpoints:

    GET  /_health                                   200 "ok"
    POST /api/{projects|environments}/{id}/query[/] HogQLQuery, HogQLMetadata
    GET|DELETE .../query/{query_id}[/]              async status, cancel
    POST /batch/, /i/v0/e/, /capture/               capture
    POST /_sim/faults  {"mode": ..., "count": n, "paths": "query|capture|any",
                        "latency_ms": n, "retry_after": s}   DELETE clears
    GET  /_sim/requests                             the request log; DELETE clears it

Fault modes: latency, 500, 503, 429 (with Retry-After), drop (connection closed with
no answer), truncate (half the body of a complete answer), malformed (a 200 whose
body is not JSON), 400 (a validation error), 401.
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sys
import threading
import time
import uuid as uuidlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hogql  # noqa: E402
from engine import Engine  # noqa: E402

MAX_BATCH = 20 * 1024 * 1024
MAX_EVENT = 1024 * 1024
QUERY_PATH = re.compile(r"^/api/(projects|environments)/([^/]+)/query/?$")
STATUS_PATH = re.compile(r"^/api/(projects|environments)/([^/]+)/query/([0-9a-zA-Z_-]+)/?$")


def now_iso():
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def error_body(kind, code, detail, attr=None):
    return {"type": kind, "code": code, "detail": detail, "attr": attr}


class State:
    def __init__(self, args):
        self.args = args
        self.engine = Engine()
        self.faults = []  # [{"mode", "count", "paths", ...}]
        self.log = []
        self.lock = threading.Lock()
        self.async_queries = {}

    def take_fault(self, kind):
        """The fault for a request of `kind` (query or capture), counting it down."""
        with self.lock:
            for f in self.faults:
                if f.get("paths", "any") not in ("any", kind):
                    continue
                if f.get("count") is not None:
                    if f["count"] <= 0:
                        continue
                    f["count"] -= 1
                return dict(f)
        return None

    def record(self, entry):
        with self.lock:
            self.log.append(entry)


class Handler(BaseHTTPRequestHandler):
    server_version = "posthog-sim/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # the request log replaces stderr noise
        pass

    @property
    def state(self):
        return self.server.state

    # ---- plumbing --------------------------------------------------------------------
    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, status, payload, content_type="application/json", headers=None, fault=None):
        data = payload if isinstance(payload, bytes) else (
            json.dumps(payload).encode() if content_type == "application/json" else str(payload).encode()
        )
        mode = (fault or {}).get("mode")
        if mode == "drop":
            self.close_connection = True
            self.connection.close()
            return 0
        if mode == "malformed" and status < 300:
            data = data[: max(1, len(data) // 2)] + b"\x00}{ not json"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        if mode == "truncate":
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.close()
            return len(data) // 2
        self.wfile.write(data)
        return len(data)

    def logged(self, kind, status, sent, received, name=None, fault=None, extra=None):
        entry = {
            "method": self.command,
            "path": self.path,
            "kind": kind,
            "name": name,
            "status": status,
            "bytes_out": sent,
            "bytes_in": received,
            "fault": (fault or {}).get("mode"),
            "at": now_iso(),
        }
        entry.update(extra or {})
        self.state.record(entry)

    def apply_fault(self, kind, received):
        """Serves a fault in place of the answer; returns (fault, handled)."""
        fault = self.state.take_fault(kind)
        if not fault:
            return None, False
        mode = fault.get("mode")
        if mode == "latency":
            time.sleep(fault.get("latency_ms", 3000) / 1000)
            return fault, False
        if mode == "drop":
            # The connection dies before any answer is computed, as when a proxy or
            # load balancer resets it: nothing is run, nothing is sent.
            self.close_connection = True
            self.connection.close()
            self.logged(kind, 0, 0, received, fault=fault)
            return fault, True
        if mode in ("truncate", "malformed"):
            return fault, False  # applied to the real answer in send()
        status, body, headers = {
            "500": (500, error_body("server_error", "error", "A server error occurred."), {}),
            "503": (503, error_body("server_error", "service_unavailable", "Service temporarily unavailable."), {}),
            "429": (
                429,
                error_body(
                    "throttled_error",
                    "throttled",
                    f"Request was throttled. Expected available in {fault.get('retry_after', 1)} seconds.",
                ),
                {"Retry-After": fault.get("retry_after", 1)},
            ),
            "400": (
                400,
                error_body("validation_error", "invalid_input", "Unknown table `evnts`.", "query"),
                {},
            ),
            "401": (
                401,
                error_body("authentication_error", "authentication_failed", "Personal API key found in request Authorization header is invalid."),
                {},
            ),
        }.get(mode, (None, None, None))
        if status is None:
            return None, False
        if kind == "capture":
            body = body["detail"]
            sent = self.send(status, body, "text/plain", headers)
        else:
            sent = self.send(status, body, headers=headers)
        self.logged(kind, status, sent, received, fault=fault)
        return fault, True

    # ---- routes ----------------------------------------------------------------------
    def do_GET(self):
        if self.path == "/_health":
            self.send(200, "ok", "text/plain")
            return
        if self.path == "/_sim/requests":
            with self.state.lock:
                log = list(self.state.log)
            self.send(200, log)
            return
        m = STATUS_PATH.match(self.path.split("?")[0])
        if m:
            self.query_status(m.group(2), m.group(3), cancel=False)
            return
        self.send(404, error_body("invalid_request", "not_found", "Not found."))

    def do_DELETE(self):
        if self.path == "/_sim/faults":
            with self.state.lock:
                self.state.faults.clear()
            self.send(204, b"")
            return
        if self.path == "/_sim/requests":
            with self.state.lock:
                self.state.log.clear()
            self.send(204, b"")
            return
        m = STATUS_PATH.match(self.path.split("?")[0])
        if m:
            self.query_status(m.group(2), m.group(3), cancel=True)
            return
        self.send(404, error_body("invalid_request", "not_found", "Not found."))

    def do_POST(self):
        raw = self.body()
        path = self.path.split("?")[0]
        if path == "/_sim/faults":
            spec = json.loads(raw or b"{}")
            with self.state.lock:
                self.state.faults.append(spec)
            self.send(201, {"ok": True})
            return
        if QUERY_PATH.match(path):
            self.query(QUERY_PATH.match(path).group(2), raw)
            return
        if path in ("/batch", "/batch/", "/i/v0/e", "/i/v0/e/", "/capture", "/capture/", "/e", "/e/"):
            self.capture(path, raw)
            return
        self.send(404, error_body("invalid_request", "not_found", "Not found."))

    # ---- query API ---------------------------------------------------------------------
    def authorized(self, project, received, kind):
        auth = self.headers.get("Authorization") or ""
        if not auth:
            body = error_body("authentication_error", "not_authenticated", "Authentication credentials were not provided.")
            self.logged(kind, 401, self.send(401, body), received)
            return False
        if auth != f"Bearer {self.state.args.personal_api_key}":
            body = error_body(
                "authentication_error", "authentication_failed", "Personal API key found in request Authorization header is invalid."
            )
            self.logged(kind, 401, self.send(401, body), received)
            return False
        if str(project) != str(self.state.args.project_id):
            body = error_body("authentication_error", "permission_denied", "You don't have access to the project.")
            self.logged(kind, 403, self.send(403, body), received)
            return False
        return True

    def query(self, project, raw):
        received = len(raw)
        fault, handled = self.apply_fault("query", received)
        if handled:
            return
        if not self.authorized(project, received, "query"):
            return
        try:
            payload = json.loads(raw or b"{}")
            q = payload["query"]
            kind = q.get("kind")
        except (ValueError, KeyError, TypeError, AttributeError):
            body = error_body("validation_error", "parse_error", "JSON parse error - the request body is not a query.")
            self.logged("query", 400, self.send(400, body, fault=fault), received)
            return
        name = payload.get("name")
        if kind == "HogQLMetadata":
            status, body = 200, metadata(q.get("query", ""))
            self.logged("metadata", status, self.send(status, body, fault=fault), received, name, fault)
            return
        if kind != "HogQLQuery":
            body = error_body("validation_error", "invalid_input", f"Unsupported query kind: {kind}", "query")
            self.logged("query", 400, self.send(400, body, fault=fault), received, name, fault)
            return
        refresh = payload.get("refresh") or "blocking"
        if refresh in ("async", "force_async", "lazy_async", "async_except_on_cache_miss"):
            # PostHog (api/query.py, _process_query_request): the query runs under the
            # client's id when it sends one, `client_query_id or uuid7().hex`.
            qid = payload.get("client_query_id") or uuidlib.uuid4().hex
            status_body = self.start_async(q, str(qid))
            sent = self.send(202, {"query_status": status_body}, fault=fault)
            self.logged("query", 202, sent, received, name, fault, {"query_id": status_body["id"]})
            return
        status, body = execute(self.state, q)
        sent = self.send(status, body, fault=fault)
        rows = len(body.get("results", [])) if isinstance(body, dict) else 0
        self.logged("query", status, sent, received, name, fault, {"rows": rows})

    def start_async(self, q, qid):
        status = {
            "id": qid,
            "team_id": int(self.state.args.project_id),
            "query_async": True,
            "complete": False,
            "error": False,
            "error_message": None,
            "results": None,
            "start_time": now_iso(),
            "end_time": None,
            "expiration_time": None,
            "query_progress": {"rows_read": 0, "bytes_read": 0, "estimated_rows_total": 0, "time_elapsed": 0},
            "cancelled": False,
        }
        with self.state.lock:
            self.state.async_queries[qid] = status

        def work():
            started = time.monotonic()
            time.sleep(self.state.args.async_ms / 1000)
            code, body = execute(self.state, q)
            with self.state.lock:
                if status["cancelled"]:
                    return
                status["complete"] = True
                status["end_time"] = now_iso()
                status["query_progress"] = {
                    "rows_read": self.state.engine.count(),
                    "bytes_read": 0,
                    "estimated_rows_total": self.state.engine.count(),
                    "time_elapsed": int((time.monotonic() - started) * 1000),
                }
                if code == 200:
                    status["results"] = body
                else:
                    status["error"] = True
                    status["error_message"] = body.get("detail")

        threading.Thread(target=work, daemon=True).start()
        return dict(status)

    def query_status(self, project, qid, cancel):
        received = 0
        fault, handled = self.apply_fault("query", received)
        if handled:
            return
        if not self.authorized(project, received, "query_status"):
            return
        with self.state.lock:
            if cancel:
                # PostHog (execute_async.py, cancel_query): stops the task and the
                # ClickHouse query, deletes the status (a later GET is "not found"),
                # and does all this for an id it does not know as well.
                status = self.state.async_queries.pop(qid, None)
                if status is not None:
                    status["cancelled"] = True
            else:
                status = self.state.async_queries.get(qid)
            snapshot = dict(status) if status else None
        if cancel:
            # api/query.py, destroy: 200 and a message on current versions (its text
            # is not relied on).
            sent = self.send(200, {"message": "Query cancelled"})
            self.logged("query_cancel", 200, sent, received, None, None, {"query_id": qid, "known": snapshot is not None})
            return
        if snapshot is None:
            # QueryStatusManager.get_query_status raises QueryNotFoundError (a NotFound).
            body = error_body("invalid_request", "not_found", f"Query {qid} not found for team {self.state.args.project_id}")
            self.logged("query_status", 404, self.send(404, body, fault=fault), received)
            return
        code = 202 if not snapshot["complete"] else (400 if snapshot["error"] else 200)
        self.logged("query_status", code, self.send(code, {"query_status": snapshot}, fault=fault), received)

    # ---- capture API ---------------------------------------------------------------------
    def capture(self, path, raw):
        received = len(raw)
        fault, handled = self.apply_fault("capture", received)
        if handled:
            return
        if received > MAX_BATCH:
            self.logged("capture", 413, self.send(413, "Payload too large", "text/plain"), received)
            return
        try:
            payload = json.loads(raw)
        except ValueError:
            self.logged("capture", 400, self.send(400, "Failed to decode the request body as JSON", "text/plain", fault=fault), received)
            return
        if not isinstance(payload, dict):
            self.logged("capture", 400, self.send(400, "Request body is not a JSON object", "text/plain"), received)
            return
        if path.startswith("/batch"):
            events = payload.get("batch")
            if not isinstance(events, list):
                self.logged("capture", 400, self.send(400, "batch is not a list", "text/plain"), received)
                return
        else:
            events = [payload]
        token = payload.get("api_key") or payload.get("token")
        if token is None and events and isinstance(events[0], dict):
            token = events[0].get("api_key") or (events[0].get("properties") or {}).get("token")
        if not token:
            self.logged("capture", 401, self.send(401, "API key is missing", "text/plain"), received)
            return
        if token != self.state.args.project_token:
            self.logged("capture", 401, self.send(401, "API key is not valid", "text/plain"), received)
            return
        if not events:
            self.logged("capture", 400, self.send(400, "Empty batch", "text/plain"), received)
            return
        if any(len(json.dumps(e)) > MAX_EVENT for e in events):
            self.logged("capture", 413, self.send(413, "Event too large", "text/plain"), received)
            return
        stored = self.state.engine.add_events(events)
        sent = self.send(200, {"status": "Ok"}, fault=fault)
        self.logged("capture", 200, sent, received, extra={"events": len(events), "stored": stored})


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


def execute(state, q):
    """(status, body) of a HogQLQuery, shaped like PostHog's."""
    query = q.get("query") or ""
    values = q.get("values") or {}
    started = time.monotonic()
    try:
        sql, limit = hogql.to_clickhouse(query, values)
    # posthog/api/query.py raises ValidationError(str(e), e.code_name); drf-exceptions-hog
    # answers it with that code and "attr": null. code_name is "hogql_syntax_error" for the
    # parser's SyntaxError and "hogql_query_error" for QueryError (posthog/hogql/errors.py at
    # 02a0c75c); a PostHog from before code_name existed answers "invalid_input" for both.
    except hogql.HogQLSyntaxError as e:
        return 400, error_body("validation_error", "hogql_syntax_error", e.message)
    except hogql.FunctionError as e:
        return 400, error_body("validation_error", "hogql_query_error", e.message)
    except hogql.PlaceholderError as e:
        return 400, error_body("validation_error", "invalid", str(e), "query")
    except hogql.UnsupportedError as e:
        return 500, error_body("server_error", "simulator_unsupported", f"The PostHog simulator does not support {e}")
    try:
        columns, types, rows = state.engine.run(sql)
    except Exception as e:  # ClickHouse refused it: PostHog answers 400 with the reason
        message = str(e).split("\n")[0][:500]
        return 400, error_body("validation_error", "query_error", message, "query")
    has_more = len(rows) > limit
    rows = rows[:limit]
    cache_key = hashlib.sha1((query + json.dumps(values, sort_keys=True)).encode()).hexdigest()
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
        "cache_key": cache_key,
        "last_refresh": now_iso(),
        "next_allowed_client_refresh": now_iso(),
        "timezone": "UTC",
        "query_status": None,
        "error": None,
        "modifiers": {},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", required=True)
    ap.add_argument("--subscriptions")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--personal-api-key", default="phx_simulator_personal_key")
    ap.add_argument("--project-token", default="phc_simulator_project_token")
    ap.add_argument("--project-id", default="1")
    ap.add_argument("--async-ms", type=int, default=300, help="how long an async query runs")
    args = ap.parse_args()
    state = State(args)
    state.engine.load_events(args.events)
    subs = args.subscriptions
    if subs is None:
        base = args.events[: -len(".jsonl")] if args.events.endswith(".jsonl") else args.events
        candidate = base + ".subscriptions.jsonl"
        subs = candidate if os.path.exists(candidate) else None
    if subs:
        state.engine.load_subscriptions(subs)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = state
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
