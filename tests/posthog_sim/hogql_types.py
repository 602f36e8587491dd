"""The HogQL type of an expression, as far as PostHog's resolver works one out, and the
conversions whose printing depends on it.

PostHog's resolver (posthog/hogql/resolver.py, visit_call) gives a call the return type of the
first signature its argument types match (functions/clickhouse/*.py `signatures`), and
UnknownType when the function declares none: toUnixTimestamp, addMonths, toStartOfQuarter,
toInt, toFloat, multiIf... have none. (A later type_system.py, infer_function_return_type,
lists toUnixTimestamp among integer-result functions; the stored resolver.py does not call it,
so the simulator keeps Unknown, the stricter answer.) Aliases, subquery columns and CTE columns
carry their expression's type.

The printer then picks a ClickHouse function by the first argument's type
(posthog/hogql/printer/clickhouse.py, _render_function_call, with the overloads of
functions/clickhouse/conversions.py):

* toDateTime(x[, tz]): x a DateTime, Date or integer -> toDateTime(x, tz); x a string constant
  like '2026-01-01' or '2026-01-01 10:00:00' -> toDateTime(x, tz), with microseconds ->
  toDateTime64(x, 6, tz), any other string constant -> parseDateTime64BestEffort(x, 6, tz);
  anything else (a string column, an unknown type) -> parseDateTime64BestEffortOrNull(x, 6, tz),
  which ClickHouse refuses for a number or a DateTime. tz is the project's unless given.
* toDate(x): x a DateTime or Date -> toDate(x), else toDateOrNull(x), which ClickHouse refuses
  for a DateTime.
"""

import re

from property_types import HOGQL_TYPE

# Column types of the simulator's tables (PostHog: posthog/hogql/database/schema/events.py;
# the warehouse table's DateTime column as a Stripe source declares it).
SCHEMAS = {
    "events": {
        "uuid": "UUID",
        "event": "String",
        "distinct_id": "String",
        "timestamp": "DateTime",
        "properties": "JSON",
        "person_id": "UUID",
    },
    "subscriptions": {
        "tenant_id": "String",
        "plan_name": "String",
        "status": "String",
        "current_period_start": "DateTime",
    },
}
INTEGER_FUNCTIONS = {"count", "countIf", "intDiv", "length", "toIntOrZero"}
STRING_FUNCTIONS = {"toString", "lower", "substring", "replaceAll", "replaceRegexpAll", "trim", "JSONExtractRaw", "JSONExtractString"}


class Scope:
    """One SELECT's names: its tables (name -> column types, and whether a base table) and
    the aliases of its select list."""

    def __init__(self, parent=None):
        self.parent = parent
        self.tables = {}  # reference name -> (columns dict, base table name or None)
        self.aliases = {}  # alias -> expression node


def constant_type(value):
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    return "Unknown"


def arithmetic_type(left, right):
    """plus/minus/... signatures (functions/clickhouse/arithmetic.py)."""
    if left == right == "Integer":
        return "Integer"
    if {left, right} <= {"Integer", "Float"}:
        return "Float"
    if left == "DateTime" and right in ("Integer", "Interval") or right == "DateTime" and left in ("Integer", "Interval"):
        return "DateTime"
    return "Unknown"


def call_type(name, arg_types):
    """The return type of the first matching signature (clickhouse/*.py), else Unknown."""
    first = arg_types[0] if arg_types else "Unknown"
    if name in INTEGER_FUNCTIONS:
        if name == "intDiv":
            return "Integer" if arg_types == ["Integer", "Integer"] else "Unknown"
        return "Integer"
    if name in STRING_FUNCTIONS:
        return "String"
    if name == "toDateTime":
        return "DateTime"
    if name in ("toDate", "toStartOfMonth"):
        return "Date"
    if name == "addDays" and first in ("Date", "DateTime") and arg_types[1:] in (["Integer"], ["Float"]):
        return first
    if name in ("ifNull", "ifnull", "nullIf", "nullif", "coalesce") and len(set(arg_types)) == 1:
        return first
    if name.lower() in ("now",):
        return "DateTime"
    return "Unknown"


MICROSECONDS = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{1,6}$")
SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def print_to_datetime(args, printed, first_type, tz):
    """toDateTime as printer/clickhouse.py prints it; `args` the AST arguments (placeholders
    already bound to constants), `printed` their text."""
    tz_text = printed[1] if len(printed) > 1 else f"'{tz}'"
    if first_type in ("DateTime", "Date", "Integer"):
        return f"toDateTime({printed[0]}, {tz_text})"
    first = args[0]
    if len(args) == 1 and first.get("node") == "Constant" and isinstance(first.get("value"), str):
        value = first["value"]
        if MICROSECONDS.match(value):
            return f"toDateTime64({printed[0]}, 6, {tz_text})"
        if SECONDS.match(value) or DAY.match(value):
            return f"toDateTime({printed[0]}, {tz_text})"
        return f"parseDateTime64BestEffort({printed[0]}, 6, {tz_text})"
    return f"parseDateTime64BestEffortOrNull({printed[0]}, 6, {tz_text})"


def print_to_date(printed, first_type):
    if first_type in ("DateTime", "Date"):
        return f"toDate({printed[0]})"
    return f"toDateOrNull({printed[0]})"


class Typing:
    """The resolver's part of the printer (hogql.Printer): scopes of names and the types of
    expressions. Needs self.scope, self.ctes, self.values and self.ctx."""

    def enter(self, node):
        """A scope for a SELECT: its CTEs, tables and select-list aliases, registered before
        anything is printed, as PostHog's resolver does."""
        scope = Scope(self.scope)
        for cte in node.get("ctes") or []:
            self.ctes[cte["name"]] = cte["expr"]
        join = node.get("select_from")
        while join:
            table = join["table"]
            if table.get("node") == "Field":
                name = ".".join(str(c) for c in table["chain"])
                if name in self.ctes:
                    entry = (self.columns_of(self.ctes[name]), None)
                else:
                    entry = (SCHEMAS.get(name, {}), name if name in SCHEMAS else None)
            else:
                name, entry = None, (self.columns_of(table), None)
            scope.tables[join.get("alias") or name or ""] = entry
            join = join.get("next_join")
        for e in node.get("select") or []:
            if e.get("node") == "Alias":
                scope.aliases[e["alias"]] = e["expr"]
        self.scope = scope

    def columns_of(self, node):
        """Column name -> type of a subquery."""
        if node.get("node") == "SelectSetQuery":
            node = node["initial_select_query"]
        if node.get("node") != "SelectQuery":
            return {}
        saved = self.scope
        self.enter(node)
        cols = {}
        for e in node.get("select") or []:
            if e.get("node") == "Alias":
                cols[e["alias"]] = self.type_of(e["expr"])
            elif e.get("node") == "Field":
                cols[str(e["chain"][-1])] = self.type_of(e)
        self.scope = saved
        return cols

    def resolve(self, chain):
        """(type, base table reference or None, is a select alias) of a field chain."""
        scope = self.scope
        if scope is None:
            return "Unknown", None, False
        if len(chain) == 1 and chain[0] in scope.aliases:
            return self.type_of(scope.aliases[chain[0]], chain[0]), None, True
        if len(chain) == 2 and chain[0] in scope.tables:
            cols, base = scope.tables[chain[0]]
            return cols.get(chain[1], "Unknown"), (chain[0] if base else None), False
        if len(chain) == 1:
            for ref, (cols, base) in scope.tables.items():
                if chain[0] in cols:
                    return cols[chain[0]], (ref if base else None), False
        return "Unknown", None, False

    def type_of(self, node, resolving=None):
        kind = node.get("node")
        if kind == "Constant":
            return constant_type(node.get("value"))
        if kind == "Placeholder":
            return constant_type(self.values.get(self.placeholder_name(node)))
        if kind == "Alias":
            return self.type_of(node["expr"])
        if kind == "Field":
            chain = [str(c) for c in node["chain"]]
            if len(chain) >= 2 and chain[-2] == "properties":
                return self.property_type(chain[-1]) or "String"
            if chain == [resolving]:
                return "Unknown"
            return self.resolve(chain)[0]
        if kind == "ArrayAccess":
            return "Unknown"
        if kind == "Call":
            return call_type(node["name"], [self.type_of(a) for a in node.get("args") or []])
        if kind == "ArithmeticOperation":
            return arithmetic_type(self.type_of(node["left"]), self.type_of(node["right"]))
        if kind in ("CompareOperation", "And", "Or", "Not", "BetweenExpr"):
            return "Boolean"
        return "Unknown"

    def property_type(self, name):
        pt = self.ctx.property_types.of(name) if self.ctx.property_types is not None else None
        return HOGQL_TYPE.get(pt) if pt else None

    def bound(self, node):
        """A placeholder as the constant PostHog puts in its place before printing."""
        if node.get("node") == "Placeholder":
            return {"node": "Constant", "value": self.values.get(self.placeholder_name(node))}
        return node

    @staticmethod
    def placeholder_name(node):
        return ".".join(str(c) for c in node["expr"].get("chain") or [])
