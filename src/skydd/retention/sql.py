"""Retention plans as SQL predicates: set-based, bound values, dialect-quoted names.

Each predicate is built on a SQLAlchemy alias of the table, so the same code
counts (plan), selects batches (run) and verifies (a second plan shows nothing
due). Anchors in linked tables become correlated EXISTS subqueries along the
declared references.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from skydd.datamap.models import DataMap
from skydd.planning.graph import DataGraph
from skydd.retention.planner import AnchorPlan, HoldPlan, Hop, TablePlan

Pred = ColumnElement[bool]
Alias = Any  # a SQLAlchemy alias of a TableClause

_TYPES: dict[str, Callable[[], sa.types.TypeEngine[Any]]] = {
    "integer": sa.Integer,
    "numeric": sa.Numeric,
    "boolean": sa.Boolean,
    "date": sa.Date,
    "timestamp": sa.DateTime,
    "text": sa.String,
}


def col(alias: Alias, name: str) -> ColumnElement[Any]:
    """A column of an alias, typed for mypy."""
    return cast(ColumnElement[Any], alias.c[name])


def _at_or_after(name: str, b: Any) -> Callable[[Alias], Pred]:
    return lambda a: col(a, name) >= b


def _dated(name: str) -> Callable[[Alias], Pred]:
    return lambda a: col(a, name).is_not(None)


class PredicateBuilder:
    """Builds due/held predicates for one dialect."""

    def __init__(self, datamap: DataMap, graph: DataGraph, dialect: str) -> None:
        self.m = datamap
        self.graph = graph
        self.dialect = dialect
        self._tables: dict[str, sa.TableClause] = {}
        self._n = 0
        # Per bridge group (TablePlan.group), the expanding parameter that carries a chunk
        # of the remote keys whose anchor is due, while predicates for that group are built.
        self.remote: dict[object, Any] = {}
        # Per table, the rows the DPO placed under a legal claim: label -> primary keys.
        self.person_holds: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
        # Per (review rule, table), the rows reviewed recently enough to be off the list.
        self.reviewed: dict[tuple[str, str], list[tuple[Any, ...]]] = {}

    def table(self, key: str) -> sa.TableClause:
        found = self._tables.get(key)
        if found is None:
            system, name = key.split(".", 1)
            decl = self.m.systems[system].tables[name]
            cols = [
                sa.column(c, _TYPES[col.type]() if col.type in _TYPES else sa.types.NullType())
                for c, col in decl.columns.items()
            ]
            found = sa.table(name, *cols, schema=self.m.systems[system].schema_name)
            self._tables[key] = found
        return found

    def alias(self, key: str) -> Alias:
        self._n += 1
        return self.table(key).alias(f"r{self._n}")

    def _bound(self, value: date) -> Any:
        # SQLite keeps dates as text: an ISO date compares correctly with both
        # 'YYYY-MM-DD' and 'YYYY-MM-DD HH:MM:SS' values, a datetime string would not.
        if self.dialect == "sqlite":
            return sa.literal(value.isoformat(), sa.String())
        return sa.literal(value, sa.Date())

    # -- paths -----------------------------------------------------------------------------
    def _join(self, hop: Hop, here: Alias, there: Alias) -> Pred:
        edge = hop.edge
        child, parent = (here, there) if hop.up else (there, here)
        return sa.and_(
            *(
                child.c[cc] == parent.c[pc]
                for cc, pc in zip(edge.child_columns, edge.parent_columns, strict=True)
            )
        )

    def along(
        self,
        start: Alias,
        hops: tuple[Hop, ...],
        final: Callable[[Alias], Pred],
        *,
        semi: bool = False,
    ) -> Pred:
        """EXISTS a chain of linked rows from `start` whose last row meets `final`.

        With `semi`, each step up a one-column reference is written `fk IN (SELECT
        key ...)` instead: one uncorrelated set the database builds once and probes
        (a semi-join), where a correlated EXISTS looks the parent up row by row. It is
        much faster for a whole table, and for the rows of a window of root keys; the
        row-by-row form suits a window of the table's own keys. Both are never NULL.
        """
        if not hops:
            return final(start)
        hop = hops[0]
        nxt = self.alias(hop.target)
        rest = self.along(nxt, hops[1:], final, semi=semi)
        if semi and hop.up and len(hop.edge.child_columns) == 1:
            fk = col(start, hop.edge.child_columns[0])
            keys = sa.select(col(nxt, hop.edge.parent_columns[0])).where(rest)
            return sa.and_(fk.is_not(None), fk.in_(keys))
        inner = sa.and_(self._join(hop, start, nxt), rest)
        return sa.exists(sa.select(sa.literal(1)).select_from(nxt).where(inner))

    # -- anchors ---------------------------------------------------------------------------
    def anchor_due(self, anchor: AnchorPlan, bound: date, root: Alias) -> Pred:
        """The anchor (latest of its columns, NULLs ignored) is before `bound`."""
        b = self._bound(bound)
        if len(anchor.own) == 1 and not anchor.children:
            # Never NULL, even for an undated row: these predicates are negated (a hold
            # that is not over, a child that stays), and NOT NULL would read as false.
            c = col(root, anchor.own[0])
            only: Pred = sa.and_(c.is_not(None), c < b)
            return only
        parts: list[Pred] = [sa.or_(col(root, c).is_(None), col(root, c) < b) for c in anchor.own]
        dated: list[Pred] = [col(root, c).is_not(None) for c in anchor.own]
        for path, name in anchor.children:
            parts.append(~self.along(root, path, _at_or_after(name, b)))
            dated.append(self.along(root, path, _dated(name)))
        return sa.and_(*parts, sa.or_(*dated))

    def due(
        self,
        tp: TablePlan,
        t: Alias,
        *,
        semi: bool = False,
        root: Callable[[Alias], Pred] | None = None,
    ) -> Pred:
        """Rows of this table that the rule makes due (holds not yet applied).

        `root` narrows to rows whose anchor row also meets it (a window of root keys);
        `semi` writes the path to the anchor as semi-joins (see `along`).
        """
        conds = [self._condition(t, c) for c in tp.conditions]
        if tp.action == "anonymise":
            conds.append(self.not_anonymised(tp.table, t))
        if tp.bound is None or tp.anchor is None:
            base: Pred = sa.true() if tp.action == "review" else sa.false()
            return sa.and_(base, *conds)
        if tp.bridge is not None:
            return sa.and_(self._bridged(tp, t, semi), *conds)
        anchor, bound = tp.anchor, tp.bound

        def at_root(r: Alias) -> Pred:
            due = self.anchor_due(anchor, bound, r)
            return due if root is None else sa.and_(root(r), due)

        return sa.and_(self.along(t, tp.path, at_root, semi=semi), *conds)

    def _bridged(self, tp: TablePlan, t: Alias, semi: bool) -> Pred:
        """Rows leading to a bridge row whose remote key is in the chunk being judged.

        Outside the evaluation of its own group (another rule's table referring to it),
        a bridged plan makes nothing due: its rows are judged only with their keys.
        """
        assert tp.bridge is not None
        keys = self.remote.get(tp.group)
        if keys is None:
            return sa.false()
        fk = tp.bridge.edge.child_columns[0]
        return self.along(
            t, tp.path, lambda b: sa.and_(col(b, fk).is_not(None), col(b, fk).in_(keys)), semi=semi
        )

    def _condition(self, t: Alias, cond: tuple[str, str, object, tuple[Hop, ...]]) -> Pred:
        name, op, value, path = cond
        return self.along(t, path, lambda a: self._holds(col(a, name), op, value))

    def _holds(self, c: ColumnElement[Any], op: str, value: object) -> Pred:
        if op == "is_null":
            return c.is_(None)
        if op == "not_null":
            return c.is_not(None)
        if op == "eq":
            return sa.and_(c.is_not(None), c == value)
        if op == "ne":
            return sa.or_(c.is_(None), c != value)
        values = list(value) if isinstance(value, list) else [value]
        if op == "in":
            return sa.and_(c.is_not(None), c.in_(values))
        return sa.or_(c.is_(None), c.not_in(values))

    # -- holds -----------------------------------------------------------------------------
    def hold_active(self, plan: HoldPlan, table: str, t: Alias) -> Pred:
        """The hold still keeps this row: no end, an undated row, or its time not up.

        With the anchor in linked rows (a customer held by its invoices' fiscal
        years), the row is held while any linked row is: the latest one decides, and a
        customer without invoices is not held.
        """
        if plan.bound is None or plan.anchor is None:
            return sa.true()
        if plan.bridge is not None:
            # Judged in the other database, a chunk of keys at a time: the row is held
            # unless it leads to a key whose hold is over. Outside its chunk, held.
            over = self.remote.get(plan.remote_key)
            if over is None:
                return sa.true()
            fk = plan.bridge.edge.child_columns[0]
            return sa.not_(
                self.along(
                    t, plan.path, lambda b: sa.and_(col(b, fk).is_not(None), col(b, fk).in_(over))
                )
            )
        anchor, bound = plan.anchor, plan.bound
        return self.along(t, plan.path, lambda root: sa.not_(self.anchor_due(anchor, bound, root)))

    def held_by(self, tp: TablePlan, t: Alias) -> dict[str, Pred]:
        """Per hold name, the rows it keeps (directly or through referencing rows).

        A review rule changes nothing, so nothing holds its rows back; a row reviewed
        recently is off the list until its next review date ("reviewed").
        """
        out: dict[str, Pred] = {}
        if tp.action == "review":
            keys = self.reviewed.get((tp.rule, tp.table))
            return {"reviewed": self.among(tp.table, t, keys)} if keys else {}
        for plan in tp.holds:
            out[plan.name] = self.hold_active(plan, tp.table, t)
        for label, keys in self.person_holds.get(tp.table, {}).items():
            out[label] = self.among(tp.table, t, keys)
        for edge, plan in tp.dependant_holds:
            child = self.alias(edge.child)
            join = sa.and_(
                *(
                    child.c[cc] == t.c[pc]
                    for cc, pc in zip(edge.child_columns, edge.parent_columns, strict=True)
                )
            )
            expr = sa.exists(
                sa.select(sa.literal(1))
                .select_from(child)
                .where(join, self.hold_active(plan, edge.child, child))
            )
            key = f"{plan.name} ({edge.child})"
            out[key] = sa.or_(out[key], expr) if key in out else expr
        return out

    def among(self, table: str, t: Alias, keys: list[tuple[Any, ...]]) -> Pred:
        """This table's rows with one of these primary keys (values bound)."""
        system, name = table.split(".", 1)
        pk = list(self.m.systems[system].tables[name].primary_key)
        if not keys or not pk:
            return sa.false()
        if len(pk) == 1:
            return col(t, pk[0]).in_([k[0] for k in keys])
        return sa.or_(
            *(sa.and_(*(col(t, c) == v for c, v in zip(pk, k, strict=True))) for k in keys)
        )

    # -- anonymisation state ---------------------------------------------------------------
    def not_anonymised(self, table: str, t: Alias) -> Pred:
        """Rows still holding something the anonymisation would remove."""
        from skydd.retention.anonymise import column_methods

        checks: list[Pred] = []
        for column, method in column_methods(self.m, table).items():
            c = col(t, column)
            if method == "null":
                checks.append(c.is_not(None))
            elif method.startswith("fixed:"):
                checks.append(sa.or_(c != method[6:], c.is_(None)))
            else:  # hash and scrub leave a mark at the start of the value
                from skydd.retention.anonymise import MARK

                checks.append(sa.and_(c.is_not(None), ~c.startswith(MARK)))
        return sa.or_(*checks) if checks else sa.false()
