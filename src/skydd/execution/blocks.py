"""The register of blocked rows (EN-6): what an erasure had to keep, and until when.

An erasure that keeps rows under a legal hold records each of them here (by primary
key, never by content) in the same store transaction that saves its saga. When the
hold ends the rows must go: `due_blocks` lists the rows whose `until` has passed and
`release_blocks` erases them (children first, one transaction per database) and marks
them released. Retention calls `release_blocks` at the end of each run; it is safe to
call at any time and as often as wanted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap
from skydd.execution.keys import Key, key_from_text, key_text
from skydd.planning.erasure import Kept
from skydd.store.schema import blocked_rows

if TYPE_CHECKING:
    from skydd.store import Store

_CHUNK = 500


@dataclass(frozen=True)
class BlockedRow:
    """One row kept under a hold after an erasure."""

    table: str
    key: Key
    request_id: str
    hold: str | None
    law: str | None
    ground: str | None
    until: date | None  # the last day it must be kept; None: no end known
    flag_column: str | None


def blocks_of(request_id: str, kept: Iterable[Kept]) -> list[BlockedRow]:
    """The rows a plan blocks: held, or kept because held rows reference them."""
    return [
        BlockedRow(k.table, key, request_id, k.hold, k.law, k.ground, k.until, k.flag_column)
        for k in kept
        if k.blocked
        for key in k.keys
    ]


def record_blocks(conn: sa.Connection, rows: Iterable[BlockedRow], at: str) -> int:
    """Insert the rows not yet registered (a rerun registers nothing twice)."""
    by_table: dict[str, dict[str, BlockedRow]] = defaultdict(dict)
    for row in rows:
        by_table[row.table][key_text(row.key)] = row
    added = 0
    for table, wanted in by_table.items():
        texts = list(wanted)
        existing: set[str] = set()
        for i in range(0, len(texts), _CHUNK):
            existing |= set(
                conn.execute(
                    sa.select(blocked_rows.c.row_key).where(
                        blocked_rows.c.table_key == table,
                        blocked_rows.c.row_key.in_(texts[i : i + _CHUNK]),
                    )
                ).scalars()
            )
        new = [
            {
                "table_key": table,
                "row_key": text,
                "request_id": r.request_id,
                "hold": r.hold,
                "law": r.law,
                "ground": r.ground,
                "until": r.until.isoformat() if r.until else None,
                "flag_column": r.flag_column,
                "blocked_at": at,
            }
            for text, r in wanted.items()
            if text not in existing
        ]
        if new:
            conn.execute(sa.insert(blocked_rows), new)
            added += len(new)
    return added


def _row(r: sa.Row[tuple[object, ...]]) -> BlockedRow:
    m = r._mapping
    return BlockedRow(
        str(m["table_key"]),
        key_from_text(str(m["row_key"])),
        str(m["request_id"]),
        m["hold"],
        m["law"],
        m["ground"],
        date.fromisoformat(str(m["until"])) if m["until"] else None,
        m["flag_column"],
    )


def blocked(engine: sa.Engine, request_id: str | None = None) -> list[BlockedRow]:
    """Rows still blocked, for one request or all."""
    stmt = sa.select(blocked_rows).where(blocked_rows.c.released_at.is_(None))
    if request_id is not None:
        stmt = stmt.where(blocked_rows.c.request_id == request_id)
    with engine.connect() as conn:
        return [_row(r) for r in conn.execute(stmt.order_by(blocked_rows.c.table_key))]


def due_blocks(engine: sa.Engine, as_of: date) -> list[BlockedRow]:
    """Blocked rows whose hold has ended on `as_of` (their `until` is before it)."""
    stmt = sa.select(blocked_rows).where(
        blocked_rows.c.released_at.is_(None),
        blocked_rows.c.until.is_not(None),
        blocked_rows.c.until < as_of.isoformat(),
    )
    with engine.connect() as conn:
        return [_row(r) for r in conn.execute(stmt.order_by(blocked_rows.c.table_key))]


def mark_released(engine: sa.Engine, rows: Iterable[BlockedRow], at: str) -> None:
    with engine.begin() as conn:
        for row in rows:
            conn.execute(
                sa.update(blocked_rows)
                .where(
                    blocked_rows.c.table_key == row.table,
                    blocked_rows.c.row_key == key_text(row.key),
                )
                .values(released_at=at)
            )


def tables_of(loaded: LoadedMap, rows: Iterable[BlockedRow]) -> dict[str, list[BlockedRow]]:
    """Group by table, dropping tables the map no longer declares."""
    known = {f"{s}.{t}" for s, t, _ in loaded.datamap.tables()}
    out: dict[str, list[BlockedRow]] = defaultdict(list)
    for row in rows:
        if row.table in known:
            out[row.table].append(row)
    return dict(out)


def release_blocks(
    loaded: LoadedMap, store: Store, as_of: date, *, actor: str = "retention"
) -> dict[str, int]:
    """Erase the blocked rows whose hold has ended; returns rows per table.

    Each row gets what the erasure would have done without the hold (the table's
    `delete`, or `anonymise` where the map says so), children first, one transaction
    per database; then the rows are marked released and one `blocked-rows-released`
    event per table and hold is written. Rows already gone (retention got there
    first) are simply marked released.
    """
    from skydd.execution.erase_sql import StepRunner
    from skydd.execution.erasure_events import BlockedRowsReleased
    from skydd.execution.systems import Systems
    from skydd.planning.erasure import Op, build_steps, table_action
    from skydd.planning.graph import build_graph
    from skydd.retention.anonymise import column_methods, pseudonym_key

    grouped = tables_of(loaded, due_blocks(store.engine, as_of))
    if not grouped:
        return {}
    m = loaded.datamap
    graph = build_graph(m)
    order = {key: i for i, key in enumerate(graph.children_first())}
    ops = []
    for table, rows in grouped.items():
        keys = tuple(r.key for r in rows)
        if table_action(m, table).after_hold.value == "anonymise":
            methods = tuple(sorted(column_methods(m, table).items()))
            ops.append(Op("anonymise", table, keys, methods))
        else:
            ops.append(Op("delete", table, keys))
    runner = StepRunner(graph, lambda: pseudonym_key(loaded.directory))
    done: dict[str, int] = {}
    with Systems(loaded) as systems:
        for step in build_steps(ops, order, graph):
            with systems.engine(step.system).begin() as conn:
                counts = runner.run(conn, step)
            released = [r for op in step.ops for r in grouped[op.table]]
            mark_released(store.engine, released, datetime.now(UTC).isoformat())
            for op in step.ops:
                by_hold: dict[str | None, int] = defaultdict(int)
                for r in grouped[op.table]:
                    by_hold[r.hold] += 1
                for hold, n in by_hold.items():
                    event = BlockedRowsReleased(op.table, hold, n, as_of.isoformat())
                    store.audit.append(event, actor=actor)
                done[op.table] = counts.get(op.kind, {}).get(op.table, 0)
    return done
