"""Async HogQL queries as posthog/clickhouse/client/execute_async.py and api/query.py keep them.

* The status is created with complete/error false and no query_progress; the task runs the
  query with the async execution limit and stores the result (and refreshes the cache).
* A failure stores error true; error_message is the message only for errors PostHog may show
  (ExposedHogQLError, ExposedCHQueryError), else null. The simulator also marks such a status
  complete: it is final, a later GET answers the same (the stored execute_async.py leaves
  complete false on error; whether current versions set it: shape unverified).
* GET (api/query.py, retrieve): 400 for an error with a message, 500 for one without, 200
  complete, 202 running. query_progress is filled only with ?show_progress=true while running
  (QueryStatusManager.get_query_status).
* DELETE (cancel_query): stops the task and deletes the status, for unknown ids too.
"""

import threading
import time

from query_api import execute, iso

ACTIVE_CPU = "active_cpu_time"


class AsyncQueries:
    def __init__(self, state):
        self.state = state
        self.statuses = {}
        self.cancelled = set()
        self.started = {}  # id -> monotonic start
        self.lock = threading.Lock()

    def start(self, q, qid, on_done):
        """Creates the status and runs the query in the background; on_done(body) gets a 200
        answer to cache. Returns the status as created."""
        state = self.state
        status = {
            "id": qid,
            "team_id": int(state.args.project_id),
            "query_async": True,
            "complete": False,
            "error": False,
            "error_message": None,
            "results": None,
            "start_time": iso(state.clock.now()),
            "end_time": None,
            "expiration_time": None,
            "pickup_time": None,
            "task_id": qid,
            "query_progress": None,
        }
        with self.lock:
            self.statuses[qid] = status
            self.cancelled.discard(qid)
            self.started[qid] = time.monotonic()

        def work():
            time.sleep(state.args.async_ms / 1000)
            info = {}
            code, body = execute(state, q, state.args.async_max_execution_ms, info)
            with self.lock:
                if qid in self.cancelled:
                    return
                status["complete"] = True
                status["end_time"] = iso(state.clock.now())
                if code == 200:
                    status["results"] = body
                else:
                    status["error"] = True
                    status["error_message"] = body.get("detail") if code == 400 else None
            if code == 200:
                on_done(body)
            state.release(qid)
            if info.get("timed_out"):
                state.record({"kind": "query_async", "query_id": qid, "status": code, "timed_out": True})

        threading.Thread(target=work, daemon=True).start()
        return dict(status)

    def get(self, qid, show_progress):
        """The status as GET answers it, or None when there is none."""
        with self.lock:
            status = self.statuses.get(qid)
            snapshot = dict(status) if status else None
            started = self.started.get(qid)
        if snapshot is None:
            return None
        if show_progress and not snapshot["complete"]:
            total = self.state.engine.count()
            snapshot["query_progress"] = {
                "bytes_read": 0,
                "rows_read": 0,
                "estimated_rows_total": total,
                "time_elapsed": int(time.monotonic() - (started or time.monotonic())),
                ACTIVE_CPU: 0,
            }
        return snapshot

    def cancel(self, qid):
        """Deletes the status; True when there was one."""
        with self.lock:
            known = self.statuses.pop(qid, None) is not None
            if known:
                self.cancelled.add(qid)
        self.state.release(qid)
        return known


def http_code(status):
    if status["error"]:
        return 400 if status["error_message"] else 500
    return 200 if status["complete"] else 202
