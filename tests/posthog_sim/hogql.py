"""HogQL -> ClickHouse SQL, the simulator's small and explicit version of PostHog's
printer (posthog/hogql/printer/clickhouse.py), over PostHog's own parser
(hogql_parser.parse_select_json), which rejects what PostHog rejects for syntax:

* ``properties.x`` / ``properties['x']`` read the property's text as PostHog prints an untyped
  property, ``replaceRegexpAll(nullIf(nullIf(JSONExtractRaw(properties, 'x'), ''), 'null'),
  '^"|"$', '')`` (absent is NULL, escapes stay), or from the property-group map on Cloud
  (group_access); a property with a recorded type is then converted (property_types.py);
* DateTime columns are read in the project's zone, toTimeZone(col, tz); toDateTime and toDate
  print by their argument's type (hogql_types.py);
* comparisons are null-safe, ``ifNull(a = b, 0)``; ``{placeholders}`` take their ``values``
  as escaped constants; ``events`` and ``subscriptions`` are the loaded tables;
* a call is printed only when functions.SUPPORTED has it, under PostHog's ClickHouse name and
  arity; an unknown name or a wrong arity raises FunctionError with PostHog's message.

Anything the printer does not know is refused with UnsupportedError, so a test never passes
on SQL the simulator silently got wrong.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import engine as E  # noqa: E402
import functions  # noqa: E402
import hogql_types as T  # noqa: E402
import property_types as PT  # noqa: E402
import hogql_parser  # noqa: E402  (needs the posthog.hogql.errors stub on the path)

TABLES = {"events": "events", "subscriptions": "subscriptions"}


class HogQLSyntaxError(Exception):
    def __init__(self, message, start=None, end=None):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


class UnsupportedError(Exception):
    """Valid HogQL the simulator cannot run; never a PostHog answer."""


def parse(query):
    """The AST of a SELECT, or HogQLSyntaxError with the parser's message."""
    tree = json.loads(hogql_parser.parse_select_json(query))
    if tree.get("error"):
        start = (tree.get("start") or {}).get("offset")
        end = (tree.get("end") or {}).get("offset")
        raise HogQLSyntaxError(tree.get("message", "syntax error"), start, end)
    return tree


def quote_string(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def quote_ident(name):
    if name.replace("_", "").isalnum() and not name[:1].isdigit():
        return name
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def constant(value):
    if value is None:
        return "NULL"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return quote_string(value)
    if isinstance(value, list):
        # PostHog binds a list value as an array (posthog/hogql/escape_sql.py).
        return "[" + ", ".join(constant(v) for v in value) + "]"
    raise UnsupportedError(f"constant of type {type(value).__name__}")


def property_access(source, name):
    raw = f"JSONExtractRaw({source}, {quote_string(name)})"
    return f"replaceRegexpAll(nullIf(nullIf({raw}, ''), 'null'), '^\"|\"$', '')"


def group_access(table, name):
    """A property read from the property-group map (printer/types.py,
    PrintableMaterializedPropertyGroupItem): absent from the map is NULL."""
    col = f"{table}.properties_group_custom" if table else "properties_group_custom"
    return f"(has({col}, {quote_string(name)}) ? {col}[{quote_string(name)}] : NULL)"


class Context:
    """What a project adds to printing: its time zone, its property definitions, Cloud's
    property groups, and the request's convertToProjectTimezone modifier."""

    def __init__(self, timezone="UTC", property_types=None, property_groups=False, convert_tz=True):
        self.timezone = timezone
        self.property_types = property_types
        self.property_groups = property_groups
        self.convert_tz = convert_tz


COMPARE = {
    "==": "=",
    "!=": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
    "like": "LIKE",
    "ilike": "ILIKE",
    "not like": "NOT LIKE",
    "not ilike": "NOT ILIKE",
    "in": "IN",
    "not in": "NOT IN",
}


class Printer(T.Typing):
    def __init__(self, values, ctx=None):
        self.values = values or {}
        self.ctx = ctx or Context()
        self.scope = None
        self.ctes = {}

    # ---- selects -------------------------------------------------------------------
    def select(self, node):
        kind = node.get("node")
        if kind == "SelectSetQuery":
            parts = [self.select(node["initial_select_query"])]
            for sub in node.get("subsequent_select_queries") or []:
                parts.append(sub.get("set_operator", "UNION ALL"))
                parts.append(self.select(sub["select_query"]))
            return " ".join(parts)
        if kind != "SelectQuery":
            raise UnsupportedError(f"query node {kind}")
        saved = self.scope
        self.enter(node)
        try:
            return self.select_body(node)
        finally:
            self.scope = saved

    def select_body(self, node):
        out = []
        if node.get("ctes"):
            ctes = []
            for cte in node["ctes"]:
                if cte.get("cte_type") != "subquery":
                    raise UnsupportedError("a non-subquery CTE")
                ctes.append(f"{quote_ident(cte['name'])} AS ({self.select(cte['expr'])})")
            out.append("WITH " + ", ".join(ctes))
        self.check_asterisk(node)
        distinct = "DISTINCT " if node.get("distinct") else ""
        out.append("SELECT " + distinct + ", ".join(self.column(e) for e in node["select"]))
        if node.get("select_from"):
            out.append("FROM " + self.join(node["select_from"]))
        for key, word in (("prewhere", "PREWHERE"), ("where", "WHERE")):
            if node.get(key):
                out.append(f"{word} {self.expr(node[key])}")
        if node.get("group_by"):
            out.append("GROUP BY " + ", ".join(self.expr(e) for e in node["group_by"]))
        if node.get("having"):
            out.append("HAVING " + self.expr(node["having"]))
        if node.get("order_by"):
            out.append("ORDER BY " + ", ".join(self.expr(e) for e in node["order_by"]))
        if node.get("limit_by"):
            # printer.py prints LIMIT n [OFFSET m] BY exprs before the LIMIT.
            lb = node["limit_by"]
            text = "LIMIT " + self.expr(lb["n"])
            if lb.get("offset_value") is not None:
                text += " OFFSET " + self.expr(lb["offset_value"])
            out.append(text + " BY " + ", ".join(self.expr(e) for e in lb["exprs"]))
        if node.get("limit") is not None:
            out.append("LIMIT " + self.expr(node["limit"]))
        if node.get("offset") is not None:
            out.append("OFFSET " + self.expr(node["offset"]))
        return " ".join(out)

    def check_asterisk(self, node):
        """PostHog's resolver (resolver.py, _asterisk_columns) expands `*` over a subquery or
        a CTE to the columns that subquery names: aliases, fields, and calls (named by their
        printed text); a constant or an operation without an alias is left out, and a UNION
        of such subqueries then no longer lines up. ClickHouse would expand `*` to every
        column, so the simulator refuses such a query rather than run it kindly."""
        if not any(e.get("node") == "Field" and e["chain"] == ["*"] for e in node.get("select") or []):
            return
        join = node.get("select_from")
        while join:
            table = join["table"]
            if table.get("node") == "Field":
                sub = self.ctes.get(".".join(str(c) for c in table["chain"]))
            else:
                sub = table
            if sub is not None and sub.get("node") == "SelectSetQuery":
                sub = sub["initial_select_query"]
            for e in (sub or {}).get("select") or []:
                if e.get("node") not in ("Alias", "Field", "Call"):
                    raise UnsupportedError(
                        "SELECT * over a subquery with a column it does not name: PostHog's "
                        "resolver expands * to named columns only and leaves this one out"
                    )
            join = join.get("next_join")

    def column(self, node):
        """A select-list entry. PostHog's resolver wraps a bare field in a hidden alias of its
        own name, so `properties.x` and `timestamp` keep their names as columns whatever they
        print as (unless the name is a column of a table here, which ClickHouse would read
        the alias for)."""
        text = self.expr(node)
        if node.get("node") == "Field" and node["chain"] != ["*"]:
            name = str(node["chain"][-1])
            taken = any(name in cols for cols, _ in self.scope.tables.values()) if self.scope else False
            is_property = len(node["chain"]) >= 2 and node["chain"][-2] == "properties"
            if text != quote_ident(name) and not (is_property and taken) and name not in self.scope.aliases:
                text += " AS " + quote_ident(name)
        return text

    def join(self, node):
        out = []
        while node:
            table = node["table"]
            if table.get("node") == "Field":
                name = ".".join(table["chain"])
                text = TABLES.get(name, quote_ident(name))
            else:
                text = "(" + self.select(table) + ")"
            if node.get("alias"):
                text += " AS " + quote_ident(node["alias"])
            if node.get("join_type"):
                text = node["join_type"] + " " + text
            constraint = node.get("constraint")
            if constraint:
                word = constraint.get("constraint_type", "ON")
                text += f" {word} {self.expr(constraint['expr'])}"
            out.append(text)
            node = node.get("next_join")
        return " ".join(out)

    # ---- expressions ---------------------------------------------------------------
    def expr(self, node):
        kind = node.get("node")
        method = getattr(self, "node_" + kind, None)
        if method is None:
            raise UnsupportedError(f"expression node {kind}")
        return method(node)

    def node_Constant(self, node):
        return constant(node.get("value"))

    def node_Placeholder(self, node):
        name = self.placeholder_name(node)
        if name not in self.values:
            raise PlaceholderError(f"Placeholder {{{name}}} is not allowed in this context")
        return constant(self.values[name])

    def node_Field(self, node):
        chain = [str(c) for c in node["chain"]]
        if chain == ["*"]:
            return "*"
        # [table alias.]properties.x
        if len(chain) >= 2 and chain[-2] == "properties":
            return self.property(chain[:-2], chain[-1])
        if len(chain) >= 3 and chain[0] == "properties":
            raise UnsupportedError("nested property access")
        text = ".".join(quote_ident(c) for c in chain)
        col_type, base, _ = self.resolve(chain)
        # PropertySwapper.visit_field: a DateTime column of a table is read in the project's
        # zone, toTimeZone(col, tz); a warehouse table's only unless convertToProjectTimezone
        # is false (shape of that modifier's reach: unverified beyond the warehouse table).
        if col_type == "DateTime" and base is not None:
            table = self.scope.tables[base][1]
            if table == "events" or self.ctx.convert_tz:
                qualified = text if len(chain) == 2 else f"{quote_ident(base)}.{text}"
                return f"toTimeZone({qualified}, {quote_string(self.ctx.timezone)})"
        return text

    def property(self, table_chain, name):
        source = ".".join(quote_ident(c) for c in table_chain + ["properties"])
        table = ".".join(quote_ident(c) for c in table_chain)
        if self.ctx.property_groups and E.in_custom_group(name):
            raw = group_access(table or "events", name)
        else:
            raw = property_access(source, name)
        pt = self.ctx.property_types.of(name) if self.ctx.property_types is not None else None
        return PT.typed_read(raw, pt, self.ctx.timezone) if pt else raw

    def node_ArrayAccess(self, node):
        array, prop = node["array"], node["property"]
        if array.get("node") == "Field" and array["chain"][-1] == "properties" and prop.get("node") == "Constant":
            return self.property([str(c) for c in array["chain"][:-1]], str(prop["value"]))
        return f"{self.expr(array)}[{self.expr(prop)}]"

    def node_Alias(self, node):
        return f"{self.expr(node['expr'])} AS {quote_ident(node['alias'])}"

    def node_Call(self, node):
        name = node["name"]
        args = node.get("args") or []
        # PostHog checks the name and the number of arguments before it prints the
        # arguments (printer/base.py visit_call), so an outer call's error comes first.
        fn = functions.resolve(name, args)
        if fn is None:
            raise UnsupportedError(f"function '{name}' (PostHog knows it; the simulator does not run it)")
        arg_list = [self.expr(a) for a in args]
        if fn.clickhouse == "parseDateTime64BestEffortOrNull":
            first = self.type_of(args[0])
            return T.print_to_datetime([self.bound(a) for a in args], arg_list, first, self.ctx.timezone)
        if fn.clickhouse == "toDateOrNull":
            return T.print_to_date(arg_list, self.type_of(args[0]))
        arg_list += [constant(s) for s in fn.suffix]
        if fn.tz_aware and len(args) < fn.max_args:
            arg_list.append(constant(self.ctx.timezone))
        target = fn.prints or fn.clickhouse
        if target == "trim" and len(arg_list) == 2:
            return f"trim(BOTH {arg_list[1]} FROM {arg_list[0]})"
        text = ", ".join(arg_list)
        if node.get("distinct"):
            text = "DISTINCT " + text
        params = node.get("params")
        if params:
            return f"{target}({', '.join(self.expr(p) for p in params)})({text})"
        return f"{target}({text})"

    def node_CompareOperation(self, node):
        op = node["op"]
        left, right = node["left"], node["right"]
        if node.get("is_null_comparison_style") or (right.get("node") == "Constant" and right.get("value") is None):
            if op == "==":
                return f"({self.expr(left)} IS NULL)"
            if op == "!=":
                return f"({self.expr(left)} IS NOT NULL)"
        if op not in COMPARE:
            raise UnsupportedError(f"comparison {op}")
        if op in ("in", "not in") and right.get("node") in ("SelectQuery", "SelectSetQuery"):
            rhs = "(" + self.select(right) + ")"
        else:
            rhs = self.expr(right)
        lhs = self.expr(left)
        # PostHog prints IN and NOT IN as they are (posthog/hogql/printer.py).
        if op in ("in", "not in"):
            return f"({lhs} {COMPARE[op]} {rhs})"
        # Other comparisons are null-safe: against a constant a NULL side compares as
        # false (true for !=); between two expressions NULL equals NULL.
        if right.get("node") == "Constant":
            default = 1 if op in ("!=", "not like", "not ilike") else 0
            return f"ifNull({lhs} {COMPARE[op]} {rhs}, {default})"
        if op == "==":
            return f"ifNull({lhs} = {rhs}, isNull({lhs}) AND isNull({rhs}))"
        if op == "!=":
            return f"ifNull({lhs} != {rhs}, isNotNull({lhs}) OR isNotNull({rhs}))"
        return f"ifNull({lhs} {COMPARE[op]} {rhs}, 0)"

    def node_And(self, node):
        return "(" + " AND ".join(self.expr(e) for e in node["exprs"]) + ")"

    def node_Or(self, node):
        return "(" + " OR ".join(self.expr(e) for e in node["exprs"]) + ")"

    def node_Not(self, node):
        return f"NOT ({self.expr(node['expr'])})"

    def node_ArithmeticOperation(self, node):
        return f"({self.expr(node['left'])} {node['op']} {self.expr(node['right'])})"

    def node_BetweenExpr(self, node):
        word = "NOT BETWEEN" if node.get("negated") else "BETWEEN"
        return f"({self.expr(node['expr'])} {word} {self.expr(node['low'])} AND {self.expr(node['high'])})"

    def node_Tuple(self, node):
        return "(" + ", ".join(self.expr(e) for e in node["exprs"]) + ("," if len(node["exprs"]) == 1 else "") + ")"

    def node_Array(self, node):
        return "[" + ", ".join(self.expr(e) for e in node["exprs"]) + "]"

    def node_OrderExpr(self, node):
        return f"{self.expr(node['expr'])} {node.get('order', 'ASC')}"

    def node_Lambda(self, node):
        args = ", ".join(quote_ident(a) for a in node["args"])
        return f"(({args}) -> {self.expr(node['expr'])})"

    def node_SelectQuery(self, node):
        return "(" + self.select(node) + ")"

    def node_SelectSetQuery(self, node):
        return "(" + self.select(node) + ")"


class PlaceholderError(Exception):
    pass


FunctionError = functions.FunctionError


def check_functions(query):
    """Raises FunctionError for the first call PostHog would refuse, without printing (for
    HogQLMetadata, whose queries may hold placeholders with no values)."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("node") == "Call":
                functions.resolve(node["name"], node.get("args") or [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(parse(query))


def to_clickhouse(query, values=None, default_limit=100, max_limit=50000, ctx=None):
    """(ClickHouse SQL, the limit applied). The outermost query gets LIMIT 100 when it
    has none and at most 50,000, and one row more is asked for to tell hasMore."""
    tree = parse(query)
    printer = Printer(values, ctx)
    limit = default_limit
    if tree.get("node") == "SelectQuery" and tree.get("limit") is not None:
        lim = tree["limit"]
        if lim.get("node") == "Constant" and isinstance(lim.get("value"), int):
            limit = min(lim["value"], max_limit)
        elif lim.get("node") == "Placeholder":
            limit = min(int(printer.node_Placeholder(lim)), max_limit)
        tree = dict(tree, limit=None)
    if tree.get("node") == "SelectQuery" and tree.get("offset") is not None:
        offset = printer.expr(tree["offset"])
        tree = dict(tree, offset=None)
        sql = printer.select(tree) + f" LIMIT {limit + 1} OFFSET {offset}"
    else:
        body = printer.select(tree)
        if tree.get("node") == "SelectSetQuery":
            body = f"SELECT * FROM ({body})"
        sql = body + f" LIMIT {limit + 1}"
    return sql, limit
