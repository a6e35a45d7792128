"""Retention rules as plans: for a date, the bound below which an anchor is due.

Pure: the data map and a date in, a plan out; no database. The executor turns
each `TablePlan` into set-based SQL.

A row is due when its anchor plus the period has passed, aligned as the rule
says. Every case reduces to one strict bound: `anchor < bound`.

- no alignment: due from the day anchor + period is reached, so
  `anchor < (as_of + 1 day) - period` (with month ends clamped: 31 January +
  1 month is 28 February 2025, so on that day every January anchor is due);
- `end_of_year`: kept to the end of the year in which anchor + period falls
  ("seven years after the last contact, deleted at the end of that year"), so
  due when that year is over: `anchor < 1 January(as_of.year) - period`. A
  fiscal year ending 30 June 2025 under SE-1 is kept through 31 December 2032;
- `end_of_month`: the same with months.

Rows whose anchor is NULL are never due: Skydd does not delete what it cannot
date. Holds win over rules; rows of a table whose rows are referenced by held
rows are held too, since deleting them would take held data with them.
"""

from __future__ import annotations

import calendar
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta

from skydd.datamap.models import Anchor, Condition, DataMap, Hold, RetentionRule, parse_period
from skydd.errors import SkyddError
from skydd.planning.graph import DataGraph, Edge, build_graph


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def subtract_period(day: date, period: str) -> date:
    n, unit = parse_period(period)
    if unit == "day":
        return day - timedelta(days=n)
    if unit == "week":
        return day - timedelta(weeks=n)
    return add_months(day, -n * (12 if unit == "year" else 1))


def _first_reaching(day: date, period: str) -> date:
    """The earliest anchor whose anchor + period falls on or after `day`.

    Months clamp (31 Jan + 1 month = 28 Feb), so subtracting does not invert
    adding when the day does not exist in the earlier month: every anchor of that
    month reaches a date before `day`, and the first one to reach it is the 1st of
    the next month.
    """
    back = subtract_period(day, period)
    if parse_period(period)[1] in ("month", "year") and back.day != day.day:
        return add_months(date(back.year, back.month, 1), 1)
    return back


def due_bound(as_of: date, period: str, align: str) -> date:
    """The date such that a row is due on `as_of` exactly when anchor < bound."""
    if align == "end_of_year":
        return _first_reaching(date(as_of.year, 1, 1), period)
    if align == "end_of_month":
        return _first_reaching(date(as_of.year, as_of.month, 1), period)
    return _first_reaching(as_of + timedelta(days=1), period)


def purge_date(anchor: date, period: str, align: str) -> date:
    """The first day on which a row with this anchor is due (for people, and tests)."""
    n, unit = parse_period(period)
    if unit in ("day", "week"):
        end = anchor + timedelta(days=n * (7 if unit == "week" else 1))
    else:
        end = add_months(anchor, n * (12 if unit == "year" else 1))
    if align == "end_of_year":
        return date(end.year + 1, 1, 1)
    if align == "end_of_month":
        return add_months(date(end.year, end.month, 1), 1)
    return end


@dataclass(frozen=True)
class Hop:
    """One step along references: from `table` to `to` through `edge`."""

    edge: Edge
    up: bool  # True: from child to parent (table holds the foreign key)

    @property
    def source(self) -> str:
        return self.edge.child if self.up else self.edge.parent

    @property
    def target(self) -> str:
        return self.edge.parent if self.up else self.edge.child


@dataclass(frozen=True)
class AnchorPlan:
    """Where the anchor lives: its root table, the root's columns, and child columns."""

    root: str  # "system.table"
    own: tuple[str, ...]  # columns of the root
    children: tuple[tuple[tuple[Hop, ...], str], ...]  # (path from root, column) of linked rows


@dataclass(frozen=True)
class HoldPlan:
    name: str
    hold: Hold
    bound: date | None  # rows are held while anchor >= bound; None: held as long as it exists
    anchor: AnchorPlan | None
    # The anchor lives in another database (AD: KYC records held five years after the
    # CRM's company relationship ended): judged there by key, like a bridged rule.
    path: tuple[Hop, ...] = ()
    bridge: Bridge | None = None

    @property
    def remote_key(self) -> tuple[str, str, tuple[str, str, tuple[str, ...]]] | None:
        return None if self.bridge is None else ("hold", self.name, self.bridge.key)


@dataclass(frozen=True)
class Bridge:
    """The one reference by which a table reaches an anchor kept in another database.

    The table's rows lead (along `TablePlan.path`, within their own database) to rows
    whose `edge.child_columns` name a row of `edge.parent` in the anchor's database;
    from there `remote` leads to the anchor's root. SQL cannot join the two, so the
    anchor's side is read as a set of keys and applied to the table's side by key.
    """

    edge: Edge
    remote: tuple[Hop, ...]  # from edge.parent to the anchor's root, in the anchor's database

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """Bridges with the same key read the same set of remote keys for one rule."""
        hops = tuple(f"{h.edge.child}>{h.edge.parent}:{int(h.up)}" for h in self.remote)
        return self.edge.parent, self.edge.parent_columns[0], hops


@dataclass(frozen=True)
class TablePlan:
    """One table under one rule: which rows are due, and what holds them back."""

    rule: str
    table: str
    action: str
    bound: date | None
    anchor: AnchorPlan | None
    path: tuple[Hop, ...]  # from this table to the anchor's root
    # (column, op, value, path from this table to the column's table)
    conditions: tuple[tuple[str, str, object, tuple[Hop, ...]], ...]
    holds: tuple[HoldPlan, ...]
    dependant_holds: tuple[tuple[Edge, HoldPlan], ...]
    # The table holds part of the anchor of its own root, which the same rule deletes:
    # its rows go in one transaction with their root row, never before it (deleting
    # them first would leave the root undated, and so never due).
    with_root: bool = False
    # The anchor lives in another database, reached through this reference; `path` then
    # leads from the table to the bridge's child table.
    bridge: Bridge | None = None

    @property
    def group(self) -> tuple[str, tuple[str, str, tuple[str, ...]]] | None:
        """Plans of one rule with the same bridge share one set of remote keys."""
        return None if self.bridge is None else (self.rule, self.bridge.key)


@dataclass
class RetentionPlan:
    as_of: date
    tables: list[TablePlan] = field(default_factory=list)
    # (rule, table, action, why) for tables a rule names but SQL cannot reach from its anchor
    # (lint SKD111): reported in the plan and skipped by a run, never silently dropped.
    unenforceable: list[tuple[str, str, str, str]] = field(default_factory=list)


def _split(ref: str, default_table: str, scope: tuple[str, ...] = ()) -> tuple[str, str]:
    """'col' / 'table.col' / 'system.table.col' -> ('system.table', 'col').

    A bare table name is looked up among the rule's own tables first (`scope`): a rule
    on `[erp.customers, crm.activities]` anchored on `customers.last_contact` means the
    ERP's customers for the CRM's activities too. Otherwise it is in the same system.
    """
    system = default_table.split(".", 1)[0]
    parts = ref.split(".")
    if len(parts) == 1:
        return default_table, parts[0]
    if len(parts) == 2:
        named = [t for t in scope if t.split(".", 1)[1] == parts[0]]
        if len(named) == 1 and f"{system}.{parts[0]}" not in scope:
            return named[0], parts[1]
        return f"{system}.{parts[0]}", parts[1]
    return f"{parts[0]}.{parts[1]}", parts[2]


def find_path(graph: DataGraph, start: str, goal: str) -> tuple[Hop, ...] | None:
    """The shortest chain of references from `start` to `goal` within one system."""
    if start == goal:
        return ()
    queue: deque[tuple[str, tuple[Hop, ...]]] = deque([(start, ())])
    seen = {start}
    while queue:
        node, path = queue.popleft()
        hops = [Hop(e, True) for e in graph.outgoing.get(node, [])]
        hops += [Hop(e, False) for e in graph.incoming.get(node, [])]
        for hop in hops:
            if hop.edge.cross_system or hop.edge.other_person or hop.target in seen:
                continue
            if hop.target == goal:
                return (*path, hop)
            seen.add(hop.target)
            queue.append((hop.target, (*path, hop)))
    return None


def find_bridge(graph: DataGraph, start: str, goal: str) -> tuple[tuple[Hop, ...], Bridge] | None:
    """The shortest way from `start` to `goal` in another database: references within
    `start`'s database, then one reference of one column up into `goal`'s database, then
    references within it. None when there is no such way."""
    system = start.split(".", 1)[0]
    best: tuple[tuple[Hop, ...], Bridge] | None = None
    for node in graph.nodes:
        if node.split(".", 1)[0] != system:
            continue
        local = find_path(graph, start, node)
        if local is None:
            continue
        for edge in graph.outgoing.get(node, []):
            usable = edge.cross_system and not edge.other_person and len(edge.child_columns) == 1
            if not usable or edge.parent.split(".", 1)[0] != goal.split(".", 1)[0]:
                continue
            remote = find_path(graph, edge.parent, goal)
            if remote is None:
                continue
            if best is None or len(local) + len(remote) < len(best[0]) + len(best[1].remote):
                best = (local, Bridge(edge, remote))
    return best


def plan_anchor(
    graph: DataGraph, anchor: Anchor, scope_table: str, where: str, scope: tuple[str, ...] = ()
) -> AnchorPlan:
    refs = [anchor.column] if anchor.column else list(anchor.latest_of or [])
    if anchor.expression or not refs:
        raise SkyddError(
            f"{where}: anchors given as expressions are not supported yet",
            hint="use 'column' or 'latest_of'",
        )
    located = [_split(r, scope_table, scope) for r in refs if r]
    root = located[0][0]
    own = tuple(col for table, col in located if table == root)
    children = []
    for table, col in located:
        if table == root:
            continue
        path = find_path(graph, root, table)
        if path is None:
            raise SkyddError(
                f"{where}: {table} is not linked to {root} by references",
                hint="anchor columns must sit in tables linked by declared "
                "references within one system",
            )
        children.append((path, col))
    return AnchorPlan(root, own, tuple(children))


def _condition(
    graph: DataGraph, cond: Condition, table: str, where: str
) -> tuple[str, str, object, tuple[Hop, ...]]:
    """A condition on this table's rows: 'col' is its own column; 'table.col' is a column
    of that table, met by the rows linked to a row that meets it (AS-6: a visitor's
    rows follow the visitor)."""
    target, column = _split(cond.column, table)
    path = find_path(graph, table, target)
    if path is None:
        raise SkyddError(
            f"{where}: {target} is not linked to {table} by references",
            hint="a condition names a column of a table in scope or linked to it",
        )
    return column, cond.op, cond.value, path


def _hold_plans(m: DataMap, graph: DataGraph, table: str, as_of: date) -> list[HoldPlan]:
    plans = []
    for name, hold in m.retention.holds.items():
        if hold.scope != "tables" or table not in hold.tables:
            continue
        if not (hold.period and hold.anchor):
            plans.append(HoldPlan(name, hold, None, None))
            continue
        where = f"retention.holds.{name}"
        bound = due_bound(as_of, hold.period, hold.align)
        anchor = plan_anchor(graph, hold.anchor, table, where, tuple(hold.tables))
        path = find_path(graph, table, anchor.root)
        if path is not None:
            plans.append(HoldPlan(name, hold, bound, anchor, path))
            continue
        found = find_bridge(graph, table, anchor.root)
        if found is None:
            raise SkyddError(
                f"{where}: {table} is not linked to the hold's anchor {anchor.root}",
                hint="declare the reference between them",
            )
        plans.append(HoldPlan(name, hold, bound, anchor, found[0], found[1]))
    return plans


def _anchor_for(
    graph: DataGraph, decl: Anchor, scope: list[str], table: str, where: str
) -> AnchorPlan:
    """The anchor of one table of a rule, rooted where the rule's tables hang from.

    An anchor in a table below one in scope (a customer's orders, for a rule on
    customers and orders) is that table's latest activity: it is re-rooted there,
    with the anchor's columns as linked columns, so the customer is due when its
    latest order is, and its orders go with it. Judging the customer by any one old
    order would delete it (and, by cascade, its recent orders too).
    """
    anchor = plan_anchor(graph, decl, table, where, tuple(scope))
    refs = [decl.column] if decl.column else list(decl.latest_of or [])
    if not all(ref and "." in ref for ref in refs):
        return anchor  # 'column': each table's own column
    tops = []
    for other in scope:
        path = find_path(graph, other, anchor.root)
        if path and not any(hop.up for hop in path):
            tops.append(other)
    if not tops:
        return anchor
    if len(tops) > 1:
        raise SkyddError(
            f"{where}: the anchor {anchor.root} lies below several tables in scope "
            f"({', '.join(tops)}), so it is not clear whose latest activity it is",
            hint="split the rule, or anchor it in the table the others hang from "
            "(latest_of: [that_table.column, ...])",
        )
    top = tops[0]
    columns = [(anchor.root, c) for c in anchor.own]
    columns += [(path[-1].target if path else anchor.root, c) for path, c in anchor.children]
    own = tuple(c for t, c in columns if t == top)
    linked = []
    for t, c in columns:
        if t != top:
            found = find_path(graph, top, t)
            assert found is not None  # t is linked to the old root, which is linked to top
            linked.append((found, c))
    return AnchorPlan(top, own, tuple(linked))


def _table_plan(
    m: DataMap, graph: DataGraph, name: str, rule: RetentionRule, table: str, as_of: date
) -> TablePlan:
    where = f"retention.rules.{name}"
    bound = due_bound(as_of, rule.period, rule.align) if rule.period else None
    anchor = _anchor_for(graph, rule.anchor, rule.tables, table, where) if rule.anchor else None
    path: tuple[Hop, ...] = ()
    bridge = None
    if anchor is not None and anchor.root != table:
        found = find_path(graph, table, anchor.root)
        if found is None:
            path, bridge = _bridged(graph, rule, table, anchor.root, where)
        else:
            path = found
    conditions = tuple(_condition(graph, c, table, f"{where}.where") for c in rule.where)
    holds = _hold_plans(m, graph, table, as_of)
    for hp in holds:
        if hp.bridge is not None and (bridge is None or hp.bridge.key != bridge.key):
            raise SkyddError(
                f"{where}: {table} is held by '{hp.name}', whose anchor is in another "
                "database, and the rule does not reach that database the same way",
                hint="anchor the hold on a column in the table's own database",
            )
    with_root = (
        rule.action == "delete"
        and anchor is not None
        and anchor.root in rule.tables
        and any(table == hop.target for path, _ in anchor.children for hop in path)
    )
    dependant = tuple(
        (edge, plan)
        for edge in graph.incoming.get(table, [])
        if not edge.cross_system and edge.child != table
        for plan in _hold_plans(m, graph, edge.child, as_of)
    )
    return TablePlan(
        name,
        table,
        rule.action,
        bound,
        anchor,
        path,
        conditions,
        tuple(holds),
        dependant,
        with_root and bridge is None,
        bridge,
    )


def _bridged(
    graph: DataGraph, rule: RetentionRule, table: str, root: str, where: str
) -> tuple[tuple[Hop, ...], Bridge]:
    """The way to an anchor in another database, for the rules that can go that way."""
    found = find_bridge(graph, table, root)
    if found is None:
        raise SkyddError(
            f"{where}: {table} is not linked to the anchor's table {root}",
            hint="declare the reference between them: within one database, or one "
            "reference of one column from this table's database to the anchor's",
        )
    if rule.period is None:
        raise SkyddError(
            f"{where}: {table} is dated in another database ({root}) but the rule has no period",
            hint="give the rule a 'period'",
        )
    if rule.action == "anonymise":
        raise SkyddError(
            f"{where}: {table} would be anonymised by an anchor in another database "
            f"({root}); Skydd deletes by such anchors but does not anonymise by them yet",
            hint="anchor the rule on a column in the table's own database, or delete",
        )
    return found


def plan_retention(datamap: DataMap, as_of: date, *, rule: str | None = None) -> RetentionPlan:
    """Every (rule, table) with its bound for `as_of`, children before parents."""
    if rule is not None and rule not in datamap.retention.rules:
        known = ", ".join(datamap.retention.rules) or "none"
        raise SkyddError(f"no retention rule '{rule}'", hint=f"rules in the map: {known}")
    graph = build_graph(datamap)
    order = {key: i for i, key in enumerate(graph.children_first())}
    plan = RetentionPlan(as_of)
    for name, r in datamap.retention.rules.items():
        if rule is not None and name != rule:
            continue
        for table in r.tables:
            try:
                plan.tables.append(_table_plan(datamap, graph, name, r, table, as_of))
            except SkyddError as exc:
                plan.unenforceable.append((name, table, r.action, exc.message))
    plan.tables.sort(key=lambda t: order.get(t.table, 0))
    return plan
