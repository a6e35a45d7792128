"""Count and carry out retention: set-based SQL, children first, batch by batch.

A run re-evaluates what is due before every batch, so a run killed at any
point and started again finishes the work without repeating any of it, and a
second run finds nothing left. Each batch is one transaction in the company's
database followed by one audit event with its counts.

Three ways to make batches, the fastest that fits:

- a rule whose tables all hang (up one-column references) from its anchor's
  table goes window by window of the anchor table's keys: per window the keys
  whose time is up are read, and each table's rows deleted by them through
  its indexes, children first, then the anchor rows that nothing holds;
- any other delete on a table with a one-column key: windows of the table's
  own keys, each one DELETE the database evaluates;
- otherwise (anonymising, keys of several columns, MySQL, which refuses a
  DELETE that reads its own table): the keys of a batch are read, then
  changed, in key order.

A window is as wide as makes about `batch` rows, so the cost of a transaction
and its audit event is spread over many rows without holding locks long.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap
from skydd.execution.systems import Systems
from skydd.planning.graph import build_graph
from skydd.retention.anonymise import (
    column_methods,
    pseudonym,
    pseudonym_key,
    quasi_identifiers,
    scrub,
)
from skydd.retention.planner import TablePlan, plan_retention
from skydd.retention.sql import PredicateBuilder

Progress = Callable[[str, int, int], None]
"""progress(label, done, total): rows done of those due, or, where a table is walked in
windows of its keys, keys walked of the table's rows."""
OnBatch = Callable[[str, str, str, int, dict[str, int]], None]
"""on_batch(rule, table, action, batch_no, rows per table) after each committed batch."""
BATCH = 20_000
PersonHolds = dict[str, dict[str, list[tuple[Any, ...]]]]
"""table -> hold label -> primary keys of the rows a legal claim keeps (skydd.retention.holds)."""


@dataclass
class StoreState:
    """What Skydd's store adds to the map's rules: legal claims on people, review marks."""

    person_holds: PersonHolds = field(default_factory=dict)
    reviewed: dict[tuple[str, str], list[tuple[Any, ...]]] = field(default_factory=dict)


def state_of(loaded: LoadedMap, store: Any, as_of: date) -> StoreState:
    """The holds in force and the review marks still fresh on `as_of`."""
    from skydd.retention.holds import held_rows
    from skydd.retention.review import reviewed_keys

    return StoreState(held_rows(store, as_of), reviewed_keys(loaded, store, as_of))


_CHUNK = 1000  # keys per DELETE statement: far below every driver's parameter limit


@dataclass
class TableCount:
    """What one rule means for one table on a date."""

    rule: str
    table: str
    action: str
    due: int
    held: int
    held_by: dict[str, int] = field(default_factory=dict)
    bound: str | None = None
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "table": self.table,
            "action": self.action,
            "due": self.due,
            "held": self.held,
            "held_by": self.held_by,
            "bound": self.bound,
            "problem": self.problem,
        }


@dataclass
class PlanReport:
    as_of: date
    rules: list[TableCount]

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "rules": [r.as_dict() for r in self.rules]}


@dataclass
class RunReport:
    as_of: date
    run_id: str
    done: dict[str, int] = field(default_factory=dict)  # "rule:table" -> rows
    skipped: list[dict[str, Any]] = field(default_factory=list)
    batches: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "run_id": self.run_id,
            "done": self.done,
            "skipped": self.skipped,
            "batches": self.batches,
        }


def _any(preds: Any) -> Any:
    found = list(preds)
    return sa.or_(*found) if found else sa.false()


def _predicates(
    b: PredicateBuilder,
    tp: TablePlan,
    t: Any,
    plans: list[TablePlan],
    seen: frozenset[str] = frozenset(),
) -> tuple[Any, dict[str, Any]]:
    """The rows `tp` makes due, and per reason the predicate that holds them back."""
    held_by = b.held_by(tp, t)
    held_by.update(_blocked_by_children(b, tp, t, plans, seen | {tp.table}))
    return b.due(tp, t), held_by


def _blocked_by_children(
    b: PredicateBuilder, tp: TablePlan, t: Any, plans: list[TablePlan], seen: frozenset[str]
) -> dict[str, Any]:
    """Rows still referenced (ON DELETE restrict) by rows this run will not delete.

    A child row goes when a delete rule of this run makes it due and nothing holds
    it, not even its own children that stay (followed down the references).
    """
    if tp.action != "delete":
        return {}
    out: dict[str, Any] = {}
    for edge in b.graph.incoming.get(tp.table, []):
        if edge.cross_system or edge.on_delete != "restrict" or edge.child == tp.table:
            continue
        child = b.alias(edge.child)
        going = []
        for cp in plans:
            if cp.table != edge.child or cp.action != "delete" or cp.table in seen:
                continue
            due, held_by = _predicates(b, cp, child, plans, seen)
            going.append(sa.and_(due, sa.not_(_any(held_by.values()))))
        join = sa.and_(
            *(
                child.c[cc] == t.c[pc]
                for cc, pc in zip(edge.child_columns, edge.parent_columns, strict=True)
            )
        )
        stays = sa.not_(sa.or_(*going)) if going else sa.true()
        key = f"references from {edge.child}"
        expr = sa.exists(sa.select(sa.literal(1)).select_from(child).where(join, stays))
        out[key] = sa.or_(out[key], expr) if key in out else expr
    return out


def _deletes_with_self_reads(engine: sa.Engine) -> bool:
    """MySQL (not MariaDB) refuses a DELETE whose subqueries read the table it deletes from."""
    dialect = engine.dialect
    return dialect.name != "mysql" or bool(getattr(dialect, "is_mariadb", False))


def _window_group(tp: TablePlan, plans: list[TablePlan]) -> list[TablePlan] | None:
    """The rule's other tables, when the whole rule can go window by window of root keys.

    `tp` is the anchor's own table under a delete rule; every other table of the rule
    is deleted too and reaches it up one-column references in the same system.
    """
    if tp.action != "delete" or tp.anchor is None or tp.path or tp.anchor.root != tp.table:
        return None
    system = tp.table.split(".", 1)[0]
    # Tables reached through another database go first, chunk by chunk (crossdb).
    others = [p for p in plans if p.rule == tp.rule and p is not tp and p.bridge is None]
    for p in others:
        if p.action != "delete" or p.table.split(".", 1)[0] != system or not p.path:
            return None
        if any(not h.up or len(h.edge.child_columns) != 1 for h in p.path):
            return None
    return others


def _root_of(tp: TablePlan, plans: list[TablePlan]) -> TablePlan:
    assert tp.anchor is not None
    return next(p for p in plans if p.rule == tp.rule and p.table == tp.anchor.root)


class _Table:
    """A table plan bound to its database: the predicates and the engine."""

    def __init__(
        self,
        loaded: LoadedMap,
        systems: Systems,
        tp: TablePlan,
        builders: dict[str, PredicateBuilder],
        plans: list[TablePlan],
    ) -> None:
        self.tp = tp
        system, name = tp.table.split(".", 1)
        self.engine = systems.engine(system)
        builder = builders.get(system)
        if builder is None:
            builder = PredicateBuilder(
                loaded.datamap, build_graph(loaded.datamap), self.engine.dialect.name
            )
            builders[system] = builder
        self.b = builder
        self.plans = plans
        self.t = builder.alias(tp.table)
        self.table = builder.table(tp.table)
        self.due, self.base_held_by = _predicates(builder, tp, self.t, plans)
        self.counted = builder.due(tp, self.t, semi=True)  # the same rows, as semi-joins
        self.held_by = dict(self.base_held_by)
        if tp.with_root:
            root = _root_of(tp, plans)

            def goes(r: Any) -> Any:
                due, held_by = _predicates(builder, root, r, plans)
                return sa.and_(due, sa.not_(_any(held_by.values())))

            self.held_by[f"kept with {root.table}"] = sa.not_(builder.along(self.t, tp.path, goes))
        self.held = _any(self.held_by.values())
        self.pk = list(loaded.datamap.systems[system].tables[name].primary_key)

    def taken_earlier(self) -> Any:
        """Rows an earlier rule of the same run takes first (a row due twice counts once)."""
        taken = []
        for other in self.plans:
            if other is self.tp:
                break
            if other.table != self.tp.table or other.action not in ("delete", self.tp.action):
                continue
            due, held_by = _predicates(self.b, other, self.t, self.plans)
            taken.append(sa.and_(due, sa.not_(_any(held_by.values()))))
        return sa.or_(*taken) if taken else None

    def count(self, params: dict[str, Any] | None = None) -> TableCount:
        def total(cond: Any) -> Any:
            return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)

        cols = [total(sa.not_(self.held)), total(self.held)]
        cols += [total(expr) for expr in self.held_by.values()]
        stmt = sa.select(*cols).select_from(self.t).where(self.counted)
        taken = self.taken_earlier()
        if taken is not None:
            stmt = stmt.where(sa.not_(taken))
        with self.engine.connect() as conn:
            row = conn.execute(stmt, params or {}).one()
        held_by = {name: int(n) for name, n in zip(self.held_by, row[2:], strict=True) if n}
        return TableCount(
            self.tp.rule,
            self.tp.table,
            self.tp.action,
            int(row[0]),
            int(row[1]),
            held_by,
            self.tp.bound.isoformat() if self.tp.bound else None,
        )

    def keys(
        self,
        conn: sa.Connection,
        limit: int | None,
        after: tuple[Any, ...] | None = None,
        *,
        within: Any = None,
        params: dict[str, Any] | None = None,
    ) -> list[tuple[Any, ...]]:
        """Keys of rows to change now, in key order from `after` on (keyset batches).

        `within` narrows to rows linked to given root rows; they go with their root, so
        only the table's own holds and references count, not "kept with".
        """
        held = self.held if within is None else _any(self.base_held_by.values())
        # A chunk of remote keys (params) is found through the indexes, as semi-joins.
        due = self.counted if params else self.due
        stmt = sa.select(*(self.t.c[k] for k in self.pk)).where(due, sa.not_(held))
        if within is not None:
            stmt = stmt.where(within)
        if len(self.pk) == 1:
            key = self.t.c[self.pk[0]]
            if after is not None:
                stmt = stmt.where(key > after[0])
            stmt = stmt.order_by(key)
        return [tuple(r) for r in conn.execute(stmt.limit(limit), params or {})]

    def windowed(self) -> bool:
        """Can the database delete this table's due rows by key windows on its own?

        One key column is needed, and MySQL (unlike MariaDB, PostgreSQL and SQLite)
        refuses a DELETE whose subqueries read the table it deletes from.
        """
        return len(self.pk) == 1 and _deletes_with_self_reads(self.engine)

    def linked_to(self, root: _Table, keys: list[tuple[Any, ...]]) -> Any:
        """Rows of this table that lead, along the rule's path, to one of the root's keys."""

        def among(r: Any) -> Any:
            if len(root.pk) == 1:
                return r.c[root.pk[0]].in_([k[0] for k in keys])
            return sa.tuple_(*(r.c[k] for k in root.pk)).in_(keys)

        return self.b.along(self.t, self.tp.path, among)

    def by_keys(self, keys: list[tuple[Any, ...]]) -> Any:
        if len(self.pk) == 1:
            return self.table.c[self.pk[0]].in_([k[0] for k in keys])
        return sa.tuple_(*(self.table.c[k] for k in self.pk)).in_(keys)

    def delete(self, conn: sa.Connection, keys: list[tuple[Any, ...]]) -> int:
        n = 0
        for i in range(0, len(keys), _CHUNK):
            part = keys[i : i + _CHUNK]
            n += conn.execute(sa.delete(self.table).where(self.by_keys(part))).rowcount
        return n


def with_state(
    loaded: LoadedMap,
    systems: Systems,
    builders: dict[str, PredicateBuilder],
    state: StoreState | None,
) -> None:
    """Give each database's predicates the rows held by legal claims and the rows
    reviewed, on its tables."""
    from skydd.retention.crossdb import builder

    if state is None:
        return
    for table, holds in state.person_holds.items():
        system = table.split(".", 1)[0]
        if system in loaded.datamap.systems:
            builder(loaded, systems, builders, system).person_holds[table] = holds
    for (rule, table), keys in state.reviewed.items():
        system = table.split(".", 1)[0]
        if system in loaded.datamap.systems:
            builder(loaded, systems, builders, system).reviewed[(rule, table)] = keys


@contextmanager
def _opened(loaded: LoadedMap) -> Iterator[Systems]:
    with Systems(loaded) as systems:
        yield systems


def _systems_of(plans: list[TablePlan]) -> list[str]:
    """Every database the plans read: their tables' and their remote anchors'."""
    found = {tp.table.split(".", 1)[0] for tp in plans}
    found |= {tp.bridge.edge.parent.split(".", 1)[0] for tp in plans if tp.bridge}
    return sorted(found)


def count_plan(
    loaded: LoadedMap,
    as_of: date,
    *,
    rule: str | None = None,
    state: StoreState | None = None,
) -> PlanReport:
    """For every rule and table: rows due on `as_of`, rows held and by what."""
    from skydd.retention import crossdb

    plan = plan_retention(loaded.datamap, as_of, rule=rule)
    counts = []
    builders: dict[str, PredicateBuilder] = {}
    bridged: dict[int, TableCount] = {}
    with _opened(loaded) as systems:
        systems.ping(_systems_of(plan.tables))
        with_state(loaded, systems, builders, state)
        for tp in plan.tables:
            if tp.bridge is not None:
                if id(tp) not in bridged:
                    group = crossdb.members(tp, plan.tables)
                    b = crossdb.Bridged(loaded, systems, builders, plan.tables, group)
                    bridged.update(zip(map(id, group), crossdb.count_group(b), strict=True))
                counts.append(bridged[id(tp)])
                continue
            try:
                tb = _Table(loaded, systems, tp, builders, plan.tables)
                found = tb.count()
                if tp.action == "anonymise" and found.due:
                    with tb.engine.connect() as conn:
                        found.problem = _k_problem(
                            loaded, tb, conn, loaded.datamap.policy.k_anonymity
                        )
                counts.append(found)
            except sa.exc.DBAPIError as exc:
                system, table = tp.table.split(".", 1)
                raise systems.explain(exc, system, table) from None
    counts += [
        TableCount(rule_name, table, action, 0, 0, problem=f"not enforced: {why}")
        for rule_name, table, action, why in plan.unenforceable
    ]
    return PlanReport(as_of, counts)


def _k_problem(loaded: LoadedMap, tb: _Table, conn: sa.Connection, k: int) -> str | None:
    """Would the anonymised rows (with those done before) let anyone be singled out?"""
    quasi = quasi_identifiers(loaded.datamap, tb.tp.table)
    if not quasi:
        return None
    done = sa.not_(tb.b.not_anonymised(tb.tp.table, tb.t))
    scope = sa.or_(sa.and_(tb.due, sa.not_(tb.held)), done)
    groups = (
        sa.select(sa.func.count().label("n"))
        .select_from(tb.t)
        .where(scope)
        .group_by(*(tb.t.c[q] for q in quasi))
        .subquery()
    )
    smallest = conn.execute(sa.select(sa.func.min(groups.c.n))).scalar()
    if smallest is not None and smallest < k:
        return (
            f"anonymising would leave a group of {smallest} row(s) sharing "
            f"{', '.join(quasi)} (k={k} needed, LEGAL.md SEC-3)"
        )
    return None


def _anonymise_rows(
    loaded: LoadedMap, tb: _Table, conn: sa.Connection, keys: list[tuple[Any, ...]], key: bytes
) -> int:
    methods = column_methods(loaded.datamap, tb.tp.table)
    table = tb.table
    need = [c for c, m in methods.items() if m in ("hash", "scrub")]
    current: dict[tuple[Any, ...], dict[str, Any]] = {}
    if need:
        stmt = sa.select(*(table.c[k] for k in tb.pk), *(table.c[c] for c in need)).where(
            tb.by_keys(keys)
        )
        for row in conn.execute(stmt):
            current[tuple(row[: len(tb.pk)])] = dict(zip(need, row[len(tb.pk) :], strict=True))
    changed = 0
    for pk in keys:
        values: dict[str, Any] = {}
        for col, method in methods.items():
            old = current.get(pk, {}).get(col)
            if method == "null":
                values[col] = None
            elif method.startswith("fixed:"):
                values[col] = method[6:]
            elif method == "hash":
                values[col] = None if old is None else pseudonym(old, key)
            elif method == "scrub":
                values[col] = None if old is None else scrub(str(old))
        where = sa.and_(*(table.c[k] == v for k, v in zip(tb.pk, pk, strict=True)))
        changed += conn.execute(sa.update(table).where(where).values(**values)).rowcount
    return changed


@dataclass
class _Run:
    """One run's settings and its running totals."""

    loaded: LoadedMap
    report: RunReport
    batch: int
    key: bytes
    on_batch: OnBatch | None
    progress: Progress | None
    stop_after: int | None
    alive: Callable[[], None] | None = None
    totals: dict[str, int] = field(default_factory=dict)

    def committed(self, done: list[tuple[_Table, int]]) -> bool:
        """Record one committed batch; True when the run is to stop here."""
        if self.alive:
            self.alive()
        self.report.batches += 1
        last = done[-1][0].tp
        if self.on_batch:
            rows = {tb.tp.table: n for tb, n in done if n}
            self.on_batch(last.rule, last.table, last.action, self.report.batches, rows)
        for tb, n in done:
            tp = tb.tp
            label = f"{tp.rule}:{tp.table}"
            if n:
                self.report.done[label] = self.report.done.get(label, 0) + n
            if self.progress and label in self.totals:
                so_far = self.report.done.get(label, 0)
                self.progress(label, so_far, max(self.totals[label], so_far))
        return self.stop_after is not None and self.report.batches >= self.stop_after

    def expect(self, tb: _Table) -> None:
        """Count what a table is about to get, for the progress bar."""
        if self.progress:
            self.totals[f"{tb.tp.rule}:{tb.tp.table}"] = tb.count().due


def run_retention(
    loaded: LoadedMap,
    as_of: date,
    *,
    rule: str | None = None,
    batch: int = BATCH,
    on_batch: OnBatch | None = None,
    progress: Progress | None = None,
    stop_after: int | None = None,
    on_start: Callable[[str], None] | None = None,
    alive: Callable[[], None] | None = None,
    state: StoreState | None = None,
) -> RunReport:
    """Carry out every due rule: delete or anonymise in batches, children before parents.

    `on_batch(rule, table, action, batch_no, rows)` is called after each committed
    batch, with the rows changed per table (the caller records it in the audit log);
    `table` is the one the batch was taken from: the anchor's, for a whole rule.
    `stop_after` ends the run after that many batches, for crash tests. `alive()` is
    called after every window and batch, changed or not (the caller's lock heartbeat).
    """
    import uuid

    report = RunReport(as_of, "RR-" + uuid.uuid4().hex[:12])
    plan = plan_retention(loaded.datamap, as_of, rule=rule)
    report.skipped += [
        {"rule": rule_name, "table": table, "reason": f"not enforced: {why}"}
        for rule_name, table, _action, why in plan.unenforceable
    ]
    if on_start:
        on_start(report.run_id)
    builders: dict[str, PredicateBuilder] = {}
    run = _Run(
        loaded,
        report,
        batch,
        pseudonym_key(Path(loaded.directory)),
        on_batch,
        progress,
        stop_after,
        alive,
    )
    with _opened(loaded) as systems:
        systems.ping(_systems_of(plan.tables))
        with_state(loaded, systems, builders, state)
        # Rules carried out from their anchor's table, all their tables window by window;
        # they run where the anchor's table comes, after the children of every rule.
        groups: dict[int, list[TablePlan]] = {}
        for tp in plan.tables:
            group = _window_group(tp, plan.tables)
            system, name = tp.table.split(".", 1)
            keyed = len(loaded.datamap.systems[system].tables[name].primary_key) == 1
            if group is not None and keyed and _deletes_with_self_reads(systems.engine(system)):
                groups[id(tp)] = group
        grouped = {id(p) for group in groups.values() for p in group}
        for tp in plan.tables:
            if tp.action == "review" or id(tp) in grouped:
                continue
            if tp.bridge is not None:
                from skydd.retention import crossdb

                group = crossdb.members(tp, plan.tables)
                grouped |= {id(p) for p in group}
                b = crossdb.Bridged(loaded, systems, builders, plan.tables, group)
                if crossdb.run_group(run, b):
                    return report
                continue
            try:
                if _run_plan(run, systems, builders, plan.tables, tp, groups.get(id(tp))):
                    return report
            except sa.exc.DBAPIError as exc:
                system, table = tp.table.split(".", 1)
                raise systems.explain(exc, system, table) from None
    return report


def _run_plan(
    run: _Run,
    systems: Systems,
    builders: dict[str, PredicateBuilder],
    plans: list[TablePlan],
    tp: TablePlan,
    group: list[TablePlan] | None,
) -> bool:
    """Carry out one table plan (with what goes with it); True: stop the run."""

    def bound(p: TablePlan) -> _Table:
        return _Table(run.loaded, systems, p, builders, plans)

    if group is not None:
        root, children = bound(tp), [bound(p) for p in group]
        if _unkeyed([root, *children], run.report):
            return False
        from skydd.retention.windows import _run_root_windows

        return _run_root_windows(run, root, children)
    if tp.with_root:
        return False  # rows that go with their root are deleted with it
    tables = [bound(tp)]
    tables += [
        bound(m) for m in plans if m.with_root and m.rule == tp.rule and _root_of(m, plans) is tp
    ]
    if _unkeyed(tables, run.report):
        return False
    return _run_table(run, tables[0], tables[1:])


def _unkeyed(tables: list[_Table], report: RunReport) -> bool:
    """Skip a table (and what goes with it) whose rows cannot be named by a key."""
    missing = [tb.tp.table for tb in tables if not tb.pk]
    if not missing:
        return False
    for tb in tables:
        report.skipped.append(
            {
                "rule": tb.tp.rule,
                "table": tb.tp.table,
                "reason": f"no primary key in the map for {', '.join(missing)}",
            }
        )
    return True


def _run_table(run: _Run, tb: _Table, members: list[_Table]) -> bool:
    """Carry out one table's rule (and the rows that go with it); True: stop the run."""
    tp = tb.tp
    if tp.action == "anonymise":
        # Checked only when there is something to do: a second run stays silent.
        with tb.engine.connect() as conn:
            anything = sa.select(sa.literal(1)).select_from(tb.t).where(tb.due, sa.not_(tb.held))
            problem = None
            if conn.execute(anything.limit(1)).first() is not None:
                problem = _k_problem(run.loaded, tb, conn, run.loaded.datamap.policy.k_anonymity)
        if problem:
            run.report.skipped.append({"rule": tp.rule, "table": tp.table, "reason": problem})
            return False
    if tp.action == "delete" and not members and tb.windowed():
        from skydd.retention.windows import _run_windows

        return _run_windows(run, tb)
    for t in (*members, tb):
        run.expect(t)
    after: tuple[Any, ...] | None = None
    while True:
        with tb.engine.begin() as conn:
            keys = tb.keys(conn, run.batch, after)
            if not keys:
                return False
            done = [(m, m.delete(conn, m.keys(conn, None, within=m.linked_to(tb, keys))))
                    for m in members]  # fmt: skip
            if tp.action == "delete":
                done.append((tb, tb.delete(conn, keys)))
            else:
                done.append((tb, _anonymise_rows(run.loaded, tb, conn, keys, run.key)))
        after = keys[-1]
        if run.committed(done):
            return True
