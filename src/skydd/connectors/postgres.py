"""PostgreSQL through psycopg 3 (`pip install "skydd[postgres]"`)."""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from skydd.connectors.base import Connector

LARGE_TABLE = 100_000
"""Above this many rows (planner's estimate) sampling reads random pages instead."""


class PostgresConnector(Connector):
    """PostgreSQL; `postgresql://` and `postgres://` URLs use psycopg 3."""

    kind: ClassVar[str] = "PostgreSQL"
    driver_module: ClassVar[str | None] = "psycopg"
    extra: ClassVar[str | None] = "postgres"
    default_port: ClassVar[int | None] = 5432

    @classmethod
    def normalise_url(cls, url: URL) -> URL:
        return url.set(drivername="postgresql+psycopg")

    def engine_options(self) -> dict[str, Any]:
        # Fail within seconds on a wrong host instead of hanging for minutes.
        if "connect_timeout" in self.url.query:
            return {}
        return {"connect_args": {"connect_timeout": 10}}

    def sample_query(
        self, conn: Connection, table: sa.Table, column: sa.Column[Any], n: int
    ) -> sa.Select[Any]:
        """TABLESAMPLE SYSTEM on large tables: a few random pages, not a full scan."""
        qualified = ".".join(self.quote(p) for p in (table.schema, table.name) if p)
        estimate = conn.execute(
            sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:name)"),
            {"name": qualified},
        ).scalar()
        if estimate is None or float(estimate) < LARGE_TABLE:
            return super().sample_query(conn, table, column, n)
        # Ask for twenty times the rows wanted, to survive NULLs and uneven pages.
        percent = min(100.0, max(0.001, 100.0 * 20 * n / float(estimate)))
        sampled = sa.tablesample(table, sa.func.system(percent), name="skydd_sample")
        value = sampled.c[column.name]
        return sa.select(value).where(value.is_not(None)).limit(n)
