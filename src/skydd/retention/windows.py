"""Deleting by windows of a table's keys: each window one statement the database evaluates.

Used by the runner for the two fast ways of making batches (see `skydd.retention.runner`):
a table deleted by windows of its own keys, and a whole rule carried out from its
anchor's table window by window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from skydd.retention.runner import _any, _predicates, _Run, _Table

_CHUNK = 1000  # keys per statement: far below every driver's parameter limit


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
