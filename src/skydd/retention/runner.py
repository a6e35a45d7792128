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
    others = [p for p in plans if p.rule == tp.rule and p is not tp]
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

    def count(self) -> TableCount:
        def total(cond: Any) -> Any:
            return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)

        cols = [total(sa.not_(self.held)), total(self.held)]
        cols += [total(expr) for expr in self.held_by.values()]
        due = self.b.due(self.tp, self.t, semi=True)
        stmt = sa.select(*cols).select_from(self.t).where(due)
        taken = self.taken_earlier()
        if taken is not None:
            stmt = stmt.where(sa.not_(taken))
        with self.engine.connect() as conn:
            row = conn.execute(stmt).one()
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
    ) -> list[tuple[Any, ...]]:
        """Keys of rows to change now, in key order from `after` on (keyset batches).

        `within` narrows to rows linked to given root rows; they go with their root, so
        only the table's own holds and references count, not "kept with".
        """
        held = self.held if within is None else _any(self.base_held_by.values())
        stmt = sa.select(*(self.t.c[k] for k in self.pk)).where(self.due, sa.not_(held))
        if within is not None:
            stmt = stmt.where(within)
        if len(self.pk) == 1:
            key = self.t.c[self.pk[0]]
            if after is not None:
                stmt = stmt.where(key > after[0])
            stmt = stmt.order_by(key)
        return [tuple(r) for r in conn.execute(stmt.limit(limit))]

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


@contextmanager
def _opened(loaded: LoadedMap) -> Iterator[Systems]:
    with Systems(loaded) as systems:
        yield systems


def count_plan(loaded: LoadedMap, as_of: date, *, rule: str | None = None) -> PlanReport:
    """For every rule and table: rows due on `as_of`, rows held and by what."""
    plan = plan_retention(loaded.datamap, as_of, rule=rule)
    counts = []
    builders: dict[str, PredicateBuilder] = {}
    with _opened(loaded) as systems:
        systems.ping(sorted({tp.table.split(".", 1)[0] for tp in plan.tables}))
        for tp in plan.tables:
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
        systems.ping(sorted({tp.table.split(".", 1)[0] for tp in plan.tables}))
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


def _run_windows(run: _Run, tb: _Table) -> bool:
    """Delete in windows of the primary key, each one DELETE evaluated by the database.

    No keys travel to Python and back: each statement deletes the due rows between
    two keys. The window widens where few rows are due and narrows where many are,
    so a transaction changes about `batch` rows. True: stop the run.
    """
    due, held_by = _predicates(tb.b, tb.tp, tb.table, tb.plans)
    going = sa.and_(due, sa.not_(_any(held_by.values())))
    windows = _Windows(tb)
    stmts = windows.cached(lambda w: sa.delete(tb.table).where(w(tb.table), going))
    for params in windows.walk(run):
        with tb.engine.begin() as conn:
            n = conn.execute(stmts(params), params).rowcount
        windows.changed = n
        if n and run.committed([(tb, n)]):
            return True
    return False


class _Windows:
    """Consecutive windows of a table's keys, sized for about `batch` rows changed each.

    Statements are built once per shape (open at the start, open at the end) with the
    bounds as parameters, so the database and SQLAlchemy reuse them from window to
    window.
    """

    def __init__(self, tb: _Table) -> None:
        self.tb = tb
        self.name = tb.pk[0]
        self.changed = 0

    def bounds(self, r: Any, lo: bool, hi: bool) -> Any:
        k = r.c[self.name]
        parts = [k > sa.bindparam("lo")] if lo else []
        parts += [k <= sa.bindparam("hi")] if hi else []
        return sa.and_(sa.true(), *parts)

    def cached(
        self, build: Callable[[Callable[[Any], Any]], Any]
    ) -> Callable[[dict[str, Any]], Any]:
        """`build(window)` once per shape; returns a lookup by the window's parameters."""
        made: dict[tuple[bool, bool], Any] = {}

        def get(params: dict[str, Any]) -> Any:
            shape = ("lo" in params, "hi" in params)
            if shape not in made:
                made[shape] = build(lambda r: self.bounds(r, *shape))
            return made[shape]

        return get

    def walk(self, run: _Run) -> Iterator[dict[str, Any]]:
        """Parameters of each window in key order; set `changed` after each one.

        Progress is told in keys walked of the table's rows: counting the rows due
        first would cost nearly as much as deleting them.
        """
        key = self.tb.table.c[self.name]
        label = f"{self.tb.tp.rule}:{self.tb.tp.table}"
        total = walked = 0
        if run.progress:
            with self.tb.engine.connect() as conn:
                total = int(
                    conn.execute(sa.select(sa.func.count()).select_from(self.tb.table)).scalar_one()
                )
        width = max(1, run.batch // 8)  # rows per key are not known yet
        lo = None
        while True:
            edge = sa.select(key).order_by(key).offset(width - 1).limit(1)
            with self.tb.engine.connect() as conn:
                hi = conn.execute(edge if lo is None else edge.where(key > lo)).scalar()
            params = {} if lo is None else {"lo": lo}
            if hi is not None:
                params["hi"] = hi
            yield params
            if run.alive:
                run.alive()
            walked = total if hi is None else min(total, walked + width)
            if run.progress:
                run.progress(label, walked, total)
            if hi is None:
                return
            lo = hi
            width = _next_width(width, self.changed, run.batch)


def _next_width(width: int, changed: int, batch: int) -> int:
    """Keys in the next window, for about `batch` rows changed: narrower where each key
    brings many rows (an order's lines), at most twice as wide where little was due."""
    wanted = width * batch // changed if changed else width * 2
    return max(1, min(width * 2, wanted, batch * 64))


def _run_root_windows(run: _Run, root: _Table, children: list[_Table]) -> bool:
    """Carry out a rule from its anchor's table: per window of its keys, one transaction.

    In each window go first the children due through the window's anchor rows, as
    semi-joins (`order_id IN (SELECT id FROM orders WHERE contact_id IN (SELECT id
    FROM contacts WHERE id BETWEEN ... AND last_contact < ...))`, the plan a person
    writes by hand, run from the indexes), then the anchor rows that nothing holds.
    PostgreSQL gets the anchor keys read first, as one array: given a range it
    would hash whole tables in every window. Rows that carry part of their root's
    anchor (with_root) go with it, by the keys of the roots that go, read before
    anything is deleted. A crash leaves every window done or untouched. True: stop
    the run.
    """
    b = root.b
    name = root.pk[0]
    plain = [c for c in children if not c.tp.with_root]
    members = [c for c in children if c.tp.with_root]
    by_keys = _key_list(root)
    read_keys = root.engine.dialect.name == "postgresql"
    held = {id(c): _any(_predicates(b, c.tp, c.table, c.plans)[1].values()) for c in children}
    root_due, root_held_by = _predicates(b, root.tp, root.table, root.plans)
    going = sa.and_(root_due, sa.not_(_any(root_held_by.values())))

    def delete(c: _Table, among: Callable[[Any], Any]) -> Any:
        due = b.due(c.tp, c.table, semi=True, root=among)
        return sa.delete(c.table).where(due, sa.not_(held[id(c)]))

    def statements(window: Callable[[Any], Any]) -> list[tuple[Any, str]]:
        """Each table's DELETE, children first, and what it is given: the window's
        bounds, the keys due in it, or the keys that go."""
        among, given = (by_keys, "due") if read_keys else (window, "window")
        stmts = [(delete(c, among), given) for c in plain]
        stmts += [(delete(c, by_keys), "going") for c in members]
        # With members the anchor rows were judged before anything went, and go by the
        # keys read then; without, they are judged now, after their children went.
        if members:
            stmts.append((sa.delete(root.table).where(by_keys(root.table)), "going"))
        else:
            stmts.append((sa.delete(root.table).where(among(root.table), going), given))
        return stmts

    anchor, bound = root.tp.anchor, root.tp.bound
    assert anchor is not None and bound is not None
    windows = _Windows(root)
    cached = windows.cached(statements)
    find_due = windows.cached(
        lambda w: sa.select(root.t.c[name]).where(w(root.t), b.anchor_due(anchor, bound, root.t))
    )
    find_going = windows.cached(
        lambda w: sa.select(root.t.c[name]).where(w(root.t), root.due, sa.not_(root.held))
    )
    for params in windows.walk(run):
        with root.engine.begin() as conn:
            keys: dict[str, list[Any]] = {}
            if read_keys:
                keys["due"] = [r[0] for r in conn.execute(find_due(params), params)]
            if members:
                keys["going"] = [r[0] for r in conn.execute(find_going(params), params)]
            counts = [
                conn.execute(stmt, params).rowcount
                if given == "window"
                else _by_chunks(conn, stmt, keys[given])
                for stmt, given in cached(params)
            ]
        done = list(zip([*plain, *members, root], counts, strict=True))
        windows.changed = sum(counts)
        if windows.changed and run.committed(done):
            return True
    return False


def _key_list(root: _Table) -> Callable[[Any], Any]:
    """`key IN (:keys)` on an alias of the root; on PostgreSQL `key = ANY(:keys)`, one
    array parameter instead of one parameter per key."""
    name = root.pk[0]
    kind = root.table.c[name].type
    if root.engine.dialect.name == "postgresql" and not isinstance(kind, sa.types.NullType):
        from sqlalchemy.dialects.postgresql import ARRAY

        array: Any = sa.bindparam("keys", type_=ARRAY(kind))
        return lambda r: r.c[name] == sa.any_(array)
    keys: Any = sa.bindparam("keys", expanding=True)
    return lambda r: r.c[name].in_(keys)


def _by_chunks(conn: sa.Connection, stmt: Any, keys: list[Any]) -> int:
    """Run `stmt` for the keys, a chunk at a time: short IN lists keep every database on
    its indexes, and below the drivers' parameter limits."""
    return sum(
        conn.execute(stmt, {"keys": keys[i : i + _CHUNK]}).rowcount
        for i in range(0, len(keys), _CHUNK)
    )
