#!/usr/bin/env python3
"""A local PostHog for bearing's tests: PostHog's own HogQL parser, real ClickHouse
(chdb), PostHog's HTTP contract (see ../../../shared/posthog-api.md), and faults on
demand.

    python tests/posthog_sim/server.py --events FILE.jsonl [--subscriptions FILE.jsonl]
        [--port 0] [--personal-api-key phx_...] [--project-token phc_...] [--project-id 1]
        [--timezone UTC] [--property-types FILE.json | --untyped-properties]
        [--property-groups] [--cache-stale-s 21600 | --cache-never-stale]
        [--max-execution-ms 10000] [--async-max-execution-ms 600000]
        [--ms-per-1k-rows 0.05] [--max-concurrent 0] [--async-ms 300]

By default it is as strict as PostHog Cloud: property types recorded from the first values
ingested and printed by type, results cached for 6 hours, blocking queries limited to 10 s of
(emulated) execution, the project's zone UTC unless --timezone says otherwise.

Prints `listening on 127.0.0.1:PORT` once ready. Endpoints:

    GET  /_health                                   200 "ok"
    POST /api/{projects|environments}/{id}/query[/] HogQLQuery, HogQLMetadata
    GET|DELETE .../query/{query_id}[/]              async status, cancel
    POST /batch/, /i/v0/e/, /capture/               capture
    POST /_sim/faults  {"mode": ..., "count": n, "paths": "query|capture|any",
                        "latency_ms": n, "retry_after": s}   DELETE clears
    GET  /_sim/requests                             the request log; DELETE clears it
    POST /_sim/clock   {"advance_s": n}             moves the simulator's now forward
    POST /_sim/merge                                collapses repeated events (a ClickHouse merge)

Fault modes: latency, 500, 503, 429 (a DRF throttle: with Retry-After), 429-concurrency
(the concurrency limiter: no Retry-After), drop (connection closed with no answer), truncate
(half the body of a complete answer), malformed (a 200 whose body is not JSON), 400 (a
validation error), 401.
"""

import argparse
import json
import os
import re
import sys
import threading
import time
import uuid as uuidlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import property_types as PT  # noqa: E402
import query_api as Q  # noqa: E402
from async_queries import AsyncQueries, http_code  # noqa: E402
from engine import Engine  # noqa: E402
from query_api import error_body, execute, metadata  # noqa: E402,F401  (tests use them from here)

MAX_BATCH = 20 * 1024 * 1024
MAX_EVENT = 1024 * 1024
QUERY_PATH = re.compile(r"^/api/(projects|environments)/([^/]+)/query/?$")
STATUS_PATH = re.compile(r"^/api/(projects|environments)/([^/]+)/query/([0-9a-zA-Z_-]+)/?$")


class State:
    def __init__(self, args):
        self.args = args
        self.clock = Q.Clock()
        overrides = PT.load_overrides(args.property_types) if args.property_types else None
        self.property_types = PT.PropertyTypes(not args.untyped_properties, overrides)
        self.engine = Engine(self.property_types, lambda: self.clock.now().timestamp())
        self.cache = Q.Cache(self.clock, args.cache_stale_s, args.cache_never_stale)
        self.async_queries = AsyncQueries(self)
        self.faults = []  # [{"mode", "count", "paths", ...}]
        self.log = []
        self.lock = threading.Lock()
        self.running = set()  # ids of queries holding a concurrency slot

    def acquire(self, token):
        """A concurrency slot (--max-concurrent; 0 is no limit), or False."""
        with self.lock:
            if self.args.max_concurrent and len(self.running) >= self.args.max_concurrent:
                return False
            self.running.add(token)
            return True

    def release(self, token):
        with self.lock:
            self.running.discard(token)

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
            "at": Q.iso(self.state.clock.now()),
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
            "429-concurrency": (429, Q.concurrency_body(3, uuidlib.uuid4().hex), {}),
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
        if path == "/_sim/clock":
            self.state.clock.advance((json.loads(raw or b"{}")).get("advance_s", 0))
            self.send(200, {"now": Q.iso(self.state.clock.now())})
            return
        if path == "/_sim/merge":
            self.state.engine.merge()
            self.send(200, {"events": self.state.engine.count()})
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
        status, body, extra = self.answer(q, payload, refresh)
        sent = self.send(status, body, fault=fault)
        self.logged("query", status, sent, received, name, fault, extra)

    def answer(self, q, payload, refresh):
        """(status, body, log fields) of a HogQLQuery by refresh mode (query_runner.py,
        ExecutionMode): a fresh cached answer unless forced, else a computation, blocking or
        async; a computed 200 refreshes the cache."""
        state = self.state
        key = Q.cache_key(q)
        if not refresh.startswith("force_"):
            cached = state.cache.fresh(key, lazy=refresh == "lazy_async")
            if cached is not None:
                return 200, cached, {"rows": len(cached["results"]), "is_cached": True}
        in_async = refresh in Q.ASYNC_MODES and not (refresh == "async_except_on_cache_miss" and key not in state.cache.entries)
        # PostHog (api/query.py, _process_query_request): the query runs under the client's
        # id when it sends one, `client_query_id or uuid7().hex`.
        qid = str(payload.get("client_query_id") or uuidlib.uuid4().hex)
        if not state.acquire(qid):
            return 429, Q.concurrency_body(state.args.max_concurrent, qid), {"throttled": "concurrency"}
        if in_async:
            status = state.async_queries.start(q, qid, lambda body: state.cache.put(key, body))
            return 202, {"query_status": status}, {"query_id": qid}
        info = {}
        try:
            status, body = execute(state, q, state.args.max_execution_ms, info)
        finally:
            state.release(qid)
        if status == 200:
            state.cache.put(key, body)
        extra = {"rows": len(body.get("results", [])) if status == 200 else 0}
        if info.get("timed_out"):
            extra.update(timed_out=True, emulated_ms=info["emulated_ms"])
        return status, body, extra

    def query_status(self, project, qid, cancel):
        received = 0
        fault, handled = self.apply_fault("query", received)
        if handled:
            return
        if not self.authorized(project, received, "query_status"):
            return
        if cancel:
            # api/query.py, destroy: 200 and a message on current versions (its text is not
            # relied on); cancel_query deletes the status, known or not.
            known = self.state.async_queries.cancel(qid)
            sent = self.send(200, {"message": "Query cancelled"})
            self.logged("query_cancel", 200, sent, received, None, None, {"query_id": qid, "known": known})
            return
        show = "show_progress=true" in self.path or "showProgress=true" in self.path
        snapshot = self.state.async_queries.get(qid, show)
        if snapshot is None:
            # QueryStatusManager.get_query_status raises QueryNotFoundError (a NotFound).
            body = error_body("invalid_request", "not_found", f"Query {qid} not found for team {self.state.args.project_id}")
            self.logged("query_status", 404, self.send(404, body, fault=fault), received)
            return
        code = http_code(snapshot)
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


def parser():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", required=True)
    ap.add_argument("--subscriptions")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--personal-api-key", default="phx_simulator_personal_key")
    ap.add_argument("--project-token", default="phc_simulator_project_token")
    ap.add_argument("--project-id", default="1")
    ap.add_argument("--async-ms", type=int, default=300, help="how long an async query runs")
    ap.add_argument("--timezone", default="UTC", help="the project's time zone")
    ap.add_argument("--property-types", help="JSON object: property name -> DateTime|Numeric|Boolean|String")
    ap.add_argument("--untyped-properties", action="store_true", help="record no property types")
    ap.add_argument("--property-groups", action="store_true", help="read custom properties from the group map")
    ap.add_argument("--cache-stale-s", type=float, default=21600, help="how long a HogQL result stays fresh")
    ap.add_argument("--cache-never-stale", action="store_true", help="cached results never go stale")
    ap.add_argument("--max-execution-ms", type=float, default=10000, help="blocking queries' limit")
    ap.add_argument("--async-max-execution-ms", type=float, default=600000, help="async queries' limit")
    ap.add_argument("--ms-per-1k-rows", type=float, default=0.05, help="emulated execution time per 1,000 rows read")
    ap.add_argument("--max-concurrent", type=int, default=0, help="concurrent queries before a 429 (0: no limit)")
    return ap


def build(argv=None):
    """The server for command-line arguments, loaded and bound, not yet serving."""
    args = parser().parse_args(argv)
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
    return server


def main():
    server = build()
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
