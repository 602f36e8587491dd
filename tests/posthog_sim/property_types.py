"""The type PostHog records for each event property, and how its printer reads a property of
that type.

Recording (PostHog's ingestion, rust/property-defs-rs/src/types.rs, detect_property_type): the
first value of a property name that gets a type fixes it (PostHog inserts the definition once;
a JSON null records nothing, so a later value decides). The rules, in their order:

* names starting utm_ / $initial_utm_ / $feature/ / $survey_response, and
  $feature_flag_response, are String;
* a name (lower-cased) containing time, timestamp, date, _at, -at, createdat or updatedat is
  DateTime when its value is a date-like string or a number no older than six months as unix
  seconds (is_likely_unix_timestamp);
* a string "true"/"false"/"TRUE"/"FALSE" (trimmed) is Boolean; any other date-like string is
  DateTime, whatever the name; other strings are String;
* a JSON number is Numeric, a JSON bool Boolean; objects and arrays record nothing.

Reading (posthog/hogql/transforms/property_types.py, PropertySwapper): an event property with a
recorded type is wrapped by type, and the wrapper is printed like any call:
DateTime -> toDateTime(x) (printed parseDateTime64BestEffortOrNull(x, 6, tz), since x is a
string), Numeric -> toFloat(x) (accurateCastOrNull(x, 'Float64')), Boolean ->
toBool(transform(toString(x), ['true', 'false'], [1, 0], NULL)); String stays as it is.
"""

import json
import re
import threading

DATETIME_NAME_KEYWORDS = ("time", "timestamp", "date", "_at", "-at", "createdat", "updatedat")
# DATETIME_PREFIX_REGEX in types.rs.
DATETIME_PREFIX = re.compile(
    r"^(([0-9]{4}[/-][0-2][0-9][/-][0-3][0-9])|([0-2][0-9][/-][0-3][0-9][/-][0-9]{4}))"
    r"([ T][0-2][0-9]:[0-6][0-9]:[0-6][0-9].*)?$"
)
# RFC 3339, which types.rs also accepts through chrono (RFC 2822 too; not needed by fixtures).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
SIX_MONTHS_S = 15_768_000
TYPES = ("DateTime", "Numeric", "Boolean", "String")


def likely_date(s):
    return bool(RFC3339.match(s) or DATETIME_PREFIX.match(s))


def detect(key, value, now_s):
    """detect_property_type: the type a first value records, or None for none."""
    k = key.lower()
    if k.startswith(("utm_", "$initial_utm_", "$feature/", "$survey_response")) or k == "$feature_flag_response":
        return "String"
    if any(w in k for w in DATETIME_NAME_KEYWORDS):
        if isinstance(value, str) and likely_date(value):
            return "DateTime"
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0 and value >= now_s - SIX_MONTHS_S:
            return "DateTime"
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, str):
        s = value.strip()
        if s in ("true", "false", "TRUE", "FALSE"):
            return "Boolean"
        return "DateTime" if likely_date(s) else "String"
    if isinstance(value, (int, float)):
        return "Numeric"
    return None


class PropertyTypes:
    """The project's property definitions: name -> type, fixed by the first typed value."""

    def __init__(self, detect_types=True, overrides=None):
        self.detect_types = detect_types
        self.types = {}
        self.overrides = dict(overrides or {})
        self.lock = threading.Lock()

    def record(self, props, now_s):
        if not self.detect_types:
            return
        with self.lock:
            for key, value in props.items():
                if key not in self.types:
                    t = detect(key, value, now_s)
                    if t is not None:
                        self.types[key] = t

    def of(self, name):
        """The recorded type, or None (String and no record both print untyped)."""
        t = self.overrides.get(name) or self.types.get(name)
        return None if t in (None, "String") else t

    def snapshot(self):
        with self.lock:
            merged = dict(self.types)
        merged.update(self.overrides)
        return merged


def load_overrides(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    bad = {k: v for k, v in data.items() if v not in TYPES}
    if bad:
        raise SystemExit(f"--property-types: unknown types {bad}; use one of {TYPES}")
    return data


def typed_read(raw, prop_type, tz):
    """What PostHog prints for a property of a recorded type, around its untyped reading `raw`."""
    if prop_type == "DateTime":
        return f"parseDateTime64BestEffortOrNull({raw}, 6, '{tz}')"
    if prop_type == "Numeric":
        return f"accurateCastOrNull({raw}, 'Float64')"
    if prop_type == "Boolean":
        return f"toBool(transform(toString({raw}), ['true', 'false'], [1, 0], NULL))"
    return raw


# The HogQL type a typed property resolves to (the CallType return_type PropertySwapper sets).
HOGQL_TYPE = {"DateTime": "DateTime", "Numeric": "Float", "Boolean": "Boolean"}
