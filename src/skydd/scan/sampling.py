"""Reading values to scan: a cheap random sample per table, or every row (`--full`).

Sampling uses the database's own way where it has one: TABLESAMPLE SYSTEM on
PostgreSQL (a few random pages, with the planner's row estimate), falling back to
plain reads when the pages held too few rows. Elsewhere a large table with one
integer primary key is read in short windows from random key values (the index
finds them, nothing is sorted); other tables are read with ORDER BY RANDOM() (RAND()
on MySQL), which reads the whole table and so is kept for tables that are small.
Values are bound and identifiers quoted by SQLAlchemy, never formatted into SQL.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

WINDOWS = 10
"""Random key windows per table when sampling by primary key."""
SMALL = 20_000
"""Up to this many rows a table is sampled with ORDER BY RANDOM()."""
FULL_BATCH = 5_000


def scannable(column: sa.Column[Any]) -> bool:
    """Text and integer columns: where identifiers, numbers and free text live."""
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return False
    return kind in (str, int)


def row_estimate(conn: Connection, table: sa.Table) -> int:
    """Rows in the table: the planner's estimate on PostgreSQL, the rowid span on SQLite
    (both ends of the b-tree, no scan), else COUNT(*)."""
    if conn.dialect.name == "sqlite":
        try:
            rowid: sa.ColumnClause[Any] = sa.literal_column("rowid")
            span = conn.execute(
                sa.select(sa.func.max(rowid) - sa.func.min(rowid) + 1).select_from(table)
            ).scalar()
        except sa.exc.OperationalError:  # a WITHOUT ROWID table
            span = None
        if span is not None:
            return int(span)
    if conn.dialect.name == "postgresql":
        name = ".".join(
            conn.dialect.identifier_preparer.quote_identifier(p)
            for p in (table.schema, table.name)
            if p
        )
        estimate = conn.execute(
            sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:name)"),
            {"name": name},
        ).scalar()
        if estimate is not None and float(estimate) >= 0:
            return int(float(estimate))
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def _random_order(conn: Connection) -> Any:
    return sa.func.rand() if conn.dialect.name in ("mysql", "mariadb") else sa.func.random()


def _tablesample(
    conn: Connection, table: sa.Table, columns: Sequence[str], n: int, estimate: int
) -> list[tuple[Any, ...]]:
    # Ask for ten times the rows wanted, to survive uneven pages.
    percent = min(100.0, max(0.001, 100.0 * 10 * n / max(estimate, 1)))
    sampled = sa.tablesample(table, sa.func.system(percent), name="skydd_sample")
    query = sa.select(*(sampled.c[c] for c in columns)).limit(n)
    return [tuple(r) for r in conn.execute(query)]


def _integer_key(conn: Connection, table: sa.Table) -> Any:
    """The table's single integer primary key; on SQLite, else its rowid (always indexed)."""
    pk = list(table.primary_key.columns)
    if len(pk) == 1:
        try:
            if pk[0].type.python_type is int:
                return pk[0]
        except NotImplementedError:
            pass
    if conn.dialect.name == "sqlite":
        try:
            conn.execute(sa.select(sa.literal_column("rowid")).select_from(table).limit(1))
        except sa.exc.OperationalError:  # a WITHOUT ROWID table
            return None
        return sa.literal_column("rowid")
    return None


def _key_windows(
    conn: Connection, table: sa.Table, columns: Sequence[str], n: int, rng: random.Random
) -> list[tuple[Any, ...]] | None:
    key = _integer_key(conn, table)
    if key is None:
        return None
    low, high = conn.execute(sa.select(sa.func.min(key), sa.func.max(key)).select_from(table)).one()
    if low is None or high is None:
        return []
    per = max(1, n // WINDOWS)
    rows: list[tuple[Any, ...]] = []
    for _ in range(WINDOWS):
        start = rng.randint(int(low), int(high))
        query = (
            sa.select(*(table.c[c] for c in columns)).where(key >= start).order_by(key).limit(per)
        )
        rows.extend(tuple(r) for r in conn.execute(query))
    return rows


def sample_rows(
    conn: Connection,
    table: sa.Table,
    columns: Sequence[str],
    n: int,
    rng: random.Random,
) -> tuple[list[tuple[Any, ...]], str]:
    """About `n` rows of `columns`, and how they were chosen (for the report)."""
    estimate = row_estimate(conn, table)
    select = sa.select(*(table.c[c] for c in columns))
    if estimate <= n:
        return [tuple(r) for r in conn.execute(select.limit(n))], "all"
    if conn.dialect.name == "postgresql":
        rows = _tablesample(conn, table, columns, n, estimate)
        if len(rows) >= n // 2:
            return rows, "tablesample"
    if estimate > SMALL:
        windows = _key_windows(conn, table, columns, n, rng)
        if windows:
            return windows, "key-windows"
    random_rows = conn.execute(select.order_by(_random_order(conn)).limit(n))
    return [tuple(r) for r in random_rows], "random"


def all_rows(
    conn: Connection, table: sa.Table, columns: Sequence[str]
) -> Iterator[list[tuple[Any, ...]]]:
    """Every row of `columns`, streamed in batches (server-side cursor where there is one)."""
    query = sa.select(*(table.c[c] for c in columns))
    result = conn.execution_options(stream_results=True, yield_per=FULL_BATCH).execute(query)
    for part in result.partitions(FULL_BATCH):
        yield [tuple(r) for r in part]
