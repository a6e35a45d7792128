"""Rules whose anchor lives in another database: judged there, carried out here, by key.

SQL cannot join two databases. A table whose rows reach their anchor only through a
reference into another database (ACTE's CRM activities, dated by the ERP contact's
`customer_until`) is carried out in two steps that repeat, a chunk at a time:

1. in the anchor's database, the keys of the referenced rows whose anchor is due are
   read in key order (keyset pages: `CHUNK` keys to count, up to `MAX_CHUNK` in a run,
   sized for about a batch of rows), set-based, with the values bound;
2. in the table's database, the rows leading to one of those keys are judged as any
   other rows (the rule's conditions, holds, references from rows that stay) with the
   chunk as a bound IN-list, and deleted children first: one DELETE per table, as
   semi-joins along the references, in one transaction per database and chunk.

Every plan of one rule that crosses by the same reference into the same table shares
one set of keys (a *group*): per chunk, the group's tables go children first, so a
subscriber's sends go before the subscriber. A row leads to one remote key, so the
chunks split the rows without overlap: the plan's counts are the sums over the chunks.
Nothing is remembered between batches: a run killed at any point is finished by the
next, and a second run on the same date finds nothing due.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap
from skydd.execution.systems import Systems
from skydd.planning.graph import build_graph
from skydd.retention.planner import AnchorPlan, HoldPlan, TablePlan
from skydd.retention.sql import PredicateBuilder

if TYPE_CHECKING:
    from skydd.retention.runner import TableCount, _Run, _Table

CHUNK = 1000
"""Remote keys per IN-list when counting: far below every driver's parameter limit, and
short enough for each database to look the rows up through the reference's index."""
MAX_CHUNK = 5000
"""At most this many remote keys per IN-list in a run, where few rows hang from each key
(SQLite allows 32,766 bound values, PostgreSQL and MySQL 65,535)."""

_names = itertools.count(1)


def _systems(group: list[TablePlan]) -> list[str]:
    return sorted({p.table.split(".", 1)[0] for p in group})


def _over(rb: PredicateBuilder, anchor: AnchorPlan, bound: date) -> Callable[[Any], Any]:
    return lambda root: rb.anchor_due(anchor, bound, root)


def _bridged_holds(group: list[TablePlan]) -> dict[object, HoldPlan]:
    """The holds of the group's tables whose anchor is in the other database."""
    return {h.remote_key: h for p in group for h in p.holds if h.bridge is not None}


def builder(
    loaded: LoadedMap, systems: Systems, builders: dict[str, PredicateBuilder], system: str
) -> PredicateBuilder:
    """The predicate builder of one database (one per run and system)."""
    found = builders.get(system)
    if found is None:
        dialect = systems.engine(system).dialect.name
        found = PredicateBuilder(loaded.datamap, build_graph(loaded.datamap), dialect)
        builders[system] = found
    return found


def members(tp: TablePlan, plans: list[TablePlan]) -> list[TablePlan]:
    """The plans sharing `tp`'s set of remote keys, children first (as in `plans`)."""
    return [p for p in plans if p.group is not None and p.group == tp.group]


class Bridged:
    """One group bound to its databases: the remote key pages and the local tables."""

    def __init__(
        self,
        loaded: LoadedMap,
        systems: Systems,
        builders: dict[str, PredicateBuilder],
        plans: list[TablePlan],
        group: list[TablePlan],
    ) -> None:
        from skydd.retention.runner import _Table

        first = group[0]
        assert first.bridge is not None and first.anchor is not None and first.bound
        self.systems = systems
        self.width = CHUNK
        self.edge = first.bridge.edge
        remote_system = self.edge.parent.split(".", 1)[0]
        self.remote_engine = systems.engine(remote_system)
        rb = builder(loaded, systems, builders, remote_system)
        r = rb.alias(self.edge.parent)
        self.key = r.c[self.edge.parent_columns[0]]
        anchor, bound = first.anchor, first.bound
        due = rb.along(r, first.bridge.remote, lambda root: rb.anchor_due(anchor, bound, root))
        self.find = sa.select(self.key).where(self.key.is_not(None), due).order_by(self.key)

        # The group's tables may sit in several databases (ACTE's CRM, web shop and
        # newsletter all hang from the ERP's contacts): each gets the same parameter.
        local = [builder(loaded, systems, builders, s) for s in _systems(group)]
        self.name = f"remote_keys_{next(_names)}"
        param: Any = sa.bindparam(self.name, expanding=True)
        self.holds = _bridged_holds(group)
        hold_params: dict[object, Any] = {
            k: sa.bindparam(f"held_{next(_names)}", expanding=True) for k in self.holds
        }
        for lb in local:
            lb.remote[first.group] = param
            lb.remote.update(hold_params)
        try:
            self.tables: list[_Table] = [_Table(loaded, systems, p, builders, plans) for p in group]
            made = {id(tb): _delete(tb, plans) for tb in self.tables}
            self.deletes = {k: stmt for k, stmt in made.items() if stmt is not None}
        finally:
            # Built into this group's predicates; any other predicate built later (another
            # rule on one of these tables) judges these plans as making nothing due.
            for lb in local:
                del lb.remote[first.group]
                for k in hold_params:
                    del lb.remote[k]
        # Per hold anchored in the other database: the query for the chunk's keys whose
        # hold is over, and the name of the parameter that carries them.
        self.hold_queries = []
        for k, hp in self.holds.items():
            assert hp.bridge is not None and hp.anchor is not None and hp.bound is not None
            h = rb.alias(hp.bridge.edge.parent)
            key = h.c[hp.bridge.edge.parent_columns[0]]
            over = rb.along(h, hp.bridge.remote, _over(rb, hp.anchor, hp.bound))
            stmt = sa.select(key).where(key.in_(sa.bindparam("chunk", expanding=True)), over)
            self.hold_queries.append((hold_params[k].key, stmt))

    def chunks(self, size: int | None = None) -> Iterator[dict[str, list[Any]]]:
        """The parameters of each chunk of remote keys whose anchor is due, in key order.

        Without `size`, each chunk is `width` keys, which a run adjusts between chunks.
        """
        after: Any = None
        while True:
            stmt = self.find if after is None else self.find.where(self.key > after)
            width = size or self.width
            with self.remote_engine.connect() as conn:
                keys = [r[0] for r in conn.execute(stmt.limit(width))]
            if not keys:
                return
            params: dict[str, list[Any]] = {self.name: keys}
            if self.hold_queries:
                with self.remote_engine.connect() as conn:
                    for name, stmt in self.hold_queries:
                        params[name] = [r[0] for r in conn.execute(stmt, {"chunk": keys})]
            yield params
            if len(keys) < width:
                return
            after = keys[-1]

    def count_keys(self) -> int:
        """How many remote keys are due (for the progress bar)."""
        counted = sa.select(sa.func.count()).select_from(self.find.order_by(None).subquery())
        with self.remote_engine.connect() as conn:
            return int(conn.execute(counted).scalar_one())

    def explain(self, exc: sa.exc.DBAPIError, table: str) -> Exception:
        system, name = table.split(".", 1)
        return self.systems.explain(exc, system, name)


def count_group(bridged: Bridged) -> list[TableCount]:
    """Per table of the group: rows due and held, summed over the chunks of remote keys."""
    from skydd.retention.runner import TableCount

    totals = [
        TableCount(tb.tp.rule, tb.tp.table, tb.tp.action, 0, 0, {}, _bound(tb.tp))
        for tb in bridged.tables
    ]
    for params in bridged.chunks():
        for tb, total in zip(bridged.tables, totals, strict=True):
            try:
                found = tb.count(params)
            except sa.exc.DBAPIError as exc:
                raise bridged.explain(exc, tb.tp.table) from None
            total.due += found.due
            total.held += found.held
            for reason, n in found.held_by.items():
                total.held_by[reason] = total.held_by.get(reason, 0) + n
    return totals


def _bound(tp: TablePlan) -> str | None:
    return tp.bound.isoformat() if tp.bound else None


def _delete(tb: _Table, plans: list[TablePlan]) -> Any:
    """One DELETE of the table's due rows for a chunk, where the database evaluates it."""
    from skydd.retention.runner import _any, _deletes_with_self_reads, _predicates

    if tb.tp.action != "delete" or not _deletes_with_self_reads(tb.engine):
        return None
    _, held_by = _predicates(tb.b, tb.tp, tb.table, plans)
    # The way to the bridge as semi-joins (`activity_id IN (SELECT id FROM activities WHERE
    # contact_id IN (:chunk))`): the chunk's rows found through the indexes, where a
    # correlated EXISTS would look at every row of the table for every chunk.
    due = tb.b.due(tb.tp, tb.table, semi=True)
    return sa.delete(tb.table).where(due, sa.not_(_any(held_by.values())))


def run_group(run: _Run, bridged: Bridged) -> bool:
    """Delete the group's due rows, a chunk of remote keys at a time; True: stop the run.

    Per chunk, each database gets one transaction with one DELETE per table, children
    first (MySQL, which refuses a DELETE that reads its own table, gets the keys read
    first and deleted in batches). The chunk widens where few rows hang from each key
    and narrows where many do, so a transaction changes about `batch` rows.
    """
    from skydd.retention.runner import _unkeyed
    from skydd.retention.windows import _next_width

    tables = [tb for tb in bridged.tables if tb.tp.action == "delete"]
    if not tables or _unkeyed(tables, run.report):
        return False
    label = f"{tables[0].tp.rule}:" + ",".join(tb.tp.table for tb in tables)
    total = bridged.count_keys() if run.progress else 0
    bridged.width = min(MAX_CHUNK, max(1, run.batch // 8))
    walked = 0
    for params in bridged.chunks():
        changed = 0
        for system in _systems([tb.tp for tb in tables]):
            here = [tb for tb in tables if tb.tp.table.split(".", 1)[0] == system]
            try:
                stop, n = _chunk(run, bridged, here, params)
            except sa.exc.DBAPIError as exc:
                raise bridged.explain(exc, here[0].tp.table) from None
            if stop:
                return True
            changed += n
        walked += len(params[bridged.name])
        if run.progress:
            run.progress(label, min(walked, total), total)
        bridged.width = min(MAX_CHUNK, _next_width(bridged.width, changed, run.batch))
    return False


def _chunk(
    run: _Run, bridged: Bridged, tables: list[_Table], params: dict[str, list[Any]]
) -> tuple[bool, int]:
    """One chunk in one database: (stop the run?, rows changed)."""
    if all(id(tb) in bridged.deletes for tb in tables):
        with tables[0].engine.begin() as conn:
            done = [(tb, conn.execute(bridged.deletes[id(tb)], params).rowcount) for tb in tables]
        n = sum(k for _, k in done)
        return bool(n) and run.committed(done), n
    n = 0
    for tb in tables:
        while True:
            with tb.engine.begin() as conn:
                keys = tb.keys(conn, run.batch, params=params)
                if not keys:
                    break
                k = tb.delete(conn, keys)
            n += k
            if run.committed([(tb, k)]):
                return True, n
    return False, n
