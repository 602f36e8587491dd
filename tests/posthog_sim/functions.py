"""The functions the simulator runs, each as PostHog declares it, and PostHog's answers for
every other call.

PostHog's printer (posthog/hogql/printer/base.py, visit_call) looks a call's name up in its
tables (posthog/hogql/functions/mapping.py and the files beside it), checks the number of
arguments (validate_function_args, posthog/hogql/functions/core.py) and prints the
ClickHouse name the table gives. A name in no table is refused with "Unsupported function
call". The simulator does the same with:

* SUPPORTED: the functions it runs. Every function bearing's queries use is here, with the
  ClickHouse name and arity PostHog declares (the file each comes from is named beside it);
  where the simulator prints something other than PostHog would, `gap` says so.
* posthog_function_names: every name PostHog knows, to tell "unknown to PostHog" (PostHog's
  400, FunctionError) from "known to PostHog, not run by the simulator" (UnsupportedError in
  hogql.py, never a PostHog answer).
"""

import difflib
from typing import NamedTuple, Optional

import posthog_function_names as names

# The default project time zone (server.py --timezone sets the one a query is printed in).
PROJECT_TIMEZONE = "UTC"


class Fn(NamedTuple):
    clickhouse: str
    """The ClickHouse name PostHog declares (HogQLFunctionMeta.clickhouse_name)."""
    min_args: int
    max_args: Optional[int]
    aggregate: bool = False
    suffix: tuple = ()
    """Constants PostHog appends to the arguments (suffix_args)."""
    tz_aware: bool = False
    """PostHog appends the project's time zone when the call has fewer than max_args."""
    prints: Optional[str] = None
    """What the simulator prints instead of `clickhouse`, when it differs (see gap)."""
    gap: str = ""


# Keyed by PostHog's own table key: a lower-case key is one PostHog also finds case-blind
# (names.CASE_INSENSITIVE), so isNull(x) is the key "isnull".
SUPPORTED = {
    # aggregations.py
    "count": Fn("count", 0, 1, aggregate=True),
    "countIf": Fn("countIf", 1, 2, aggregate=True),
    "min": Fn("min", 1, 1, aggregate=True),
    "max": Fn("max", 1, 1, aggregate=True),
    "sum": Fn("sum", 1, 1, aggregate=True),
    "avg": Fn("avg", 1, 1, aggregate=True),
    # mapping.py. PostHog's parser reads `NOT (x)` as a call to NOT, found as "not".
    "not": Fn("not", 1, 1),
    "if": Fn("if", 3, 3),
    "multiIf": Fn("multiIf", 3, None),
    # clickhouse/arithmetic.py
    "intDiv": Fn("intDiv", 2, 2),
    # clickhouse/conversions.py
    "toInt": Fn("accurateCastOrNull", 1, 1, suffix=("Int64",)),
    "toFloat": Fn("accurateCastOrNull", 1, 1, suffix=("Float64",)),
    "toIntOrZero": Fn("toInt64OrZero", 1, 1),
    "toString": Fn("toString", 1, 2),
    # toDate and toDateTime print by their argument's type (conversions.py, as PostHog's
    # overloads in clickhouse/conversions.py and printer/clickhouse.py do).
    "toDate": Fn("toDateOrNull", 1, 1),
    "toDateTime": Fn("parseDateTime64BestEffortOrNull", 1, 2, tz_aware=True),
    "isnull": Fn("isNull", 1, 1),
    "isNotNull": Fn("isNotNull", 1, 1),
    "coalesce": Fn("coalesce", 1, None),
    "ifnull": Fn("ifNull", 2, 2),
    "nullif": Fn("nullIf", 2, 2),
    # `bearing doctor` asks for the type PostHog gave each seed property: a typed property
    # is printed inside its conversion (property_types.py), so its type name shows it.
    "toTypeName": Fn("toTypeName", 1, 1),
    # clickhouse/arrays.py. The alert rollup counts an event once in every review window it
    # falls in: arrayJoin over the windows a lambda keeps.
    "arrayElement": Fn("arrayElement", 2, 2),
    "arrayFilter": Fn("arrayFilter", 2, None),
    "arrayJoin": Fn("arrayJoin", 1, 1),
    # clickhouse/datetime.py
    "toUnixTimestamp": Fn("toUnixTimestamp", 1, 2),
    "toStartOfMonth": Fn("toStartOfMonth", 1, 1),
    "toStartOfQuarter": Fn("toStartOfQuarter", 1, 1),
    "addDays": Fn("addDays", 2, 2),
    "addMonths": Fn("addMonths", 2, 2),
    # clickhouse/json.py. PostHog passes `properties` through as the event's JSON text.
    "JSONType": Fn("JSONType", 1, 6),
    "JSONExtractRaw": Fn("JSONExtractRaw", 1, 6),
    "JSONExtractString": Fn("JSONExtractString", 1, 6),
    # clickhouse/strings.py
    "lower": Fn("lower", 1, 1),
    "match": Fn("match", 2, 2),
    "replaceAll": Fn("replaceAll", 3, 3),
    "replaceRegexpAll": Fn("replaceRegexpAll", 3, 3),
    # PostHog makes a nullable string argument non-nullable first (ARRAY_RESULT_FUNCTION_STRING_ARG
    # in functions/config.py); in what form could not be confirmed, so the simulator does not.
    "splitByChar": Fn("splitByChar", 2, 3, gap="a nullable string argument is not coerced"),
    "substring": Fn("substring", 3, 3),
    # trim(x, chars) prints as trim(BOTH chars FROM x) (printer/clickhouse.py).
    "trim": Fn("trim", 1, 2),
}


class FunctionError(Exception):
    """PostHog's QueryError for a call: answered 400 validation_error (posthog/api/query.py)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _find(name, table):
    """PostHog's _find_function (mapping.py): the exact key, else the lower-cased one when
    that key is case-blind."""
    if name in table:
        return name
    low = name.lower()
    if low in table and low in names.CASE_INSENSITIVE:
        return low
    return None


def _arity(args, min_args, max_args, name, term):
    """validate_function_args (functions/core.py), message for message."""
    n = len(args)
    few, many = n < min_args, max_args is not None and n > max_args
    if min_args == max_args and (few or many):
        plural = "s" if min_args != 1 else ""
        raise FunctionError(f"{term} '{name}' expects {min_args} argument{plural}, found {n}")
    if few:
        plural = "s" if min_args != 1 else ""
        raise FunctionError(f"{term} '{name}' expects at least {min_args} argument{plural}, found {n}")
    if many:
        plural = "s" if max_args != 1 else ""
        raise FunctionError(f"{term} '{name}' expects at most {max_args} argument{plural}, found {n}")


def unknown(name):
    """The printer's answer for a name in none of its tables (printer/base.py visit_call)."""
    close = difflib.get_close_matches(name, names.EXPOSED, 1)
    if close:
        return FunctionError(f"Unsupported function call '{name}(...)'. Perhaps you meant '{close[0]}(...)'?")
    return FunctionError(f"Unsupported function call '{name}(...)'")


def resolve(name, args):
    """The Fn to print a call with, or None when PostHog knows the function but the simulator
    does not run it. Raises FunctionError where PostHog's printer refuses the call, checking
    in its order: comparison names, aggregations, functions, PostHog's own functions."""
    if name in names.COMPARISONS:
        if len(args) != 2:
            raise FunctionError(f"Comparison '{name}' requires exactly two arguments")
        return None
    for table, term in ((names.AGGREGATIONS, "Aggregation"), (names.CLICKHOUSE, "Function")):
        key = _find(name, table)
        if key is None:
            continue
        fn = SUPPORTED.get(key)
        if fn is None or fn.aggregate != (term == "Aggregation"):
            return None
        _arity(args, fn.min_args, fn.max_args, name, term)
        return fn
    if _find(name, names.POSTHOG) is not None:
        return None
    raise unknown(name)
