"""SQLite: a file next to the application; the driver ships with Python."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from skydd.connectors.base import Connector, ForeignKeyInfo
from skydd.errors import SkyddError


class SQLiteConnector(Connector):
    """A SQLite file. A missing file is an error, not a new empty database."""

    kind: ClassVar[str] = "SQLite"

    @classmethod
    def normalise_url(cls, url: URL) -> URL:
        return url.set(drivername="sqlite+pysqlite") if url.drivername == "sqlite" else url

    @property
    def path(self) -> Path | None:
        """The database file, or None for an in-memory or URI database."""
        db = self.url.database
        if not db or db == ":memory:" or db.startswith("file:") or self.url.query.get("uri"):
            return None
        return Path(db)

    @property
    def where(self) -> str:
        return str(self.path) if self.path else ":memory:"

    @property
    def engine(self) -> Engine:
        # SQLite would silently create an empty file: a typo must not look like an empty map.
        path = self.path
        if self._engine is None and path is not None and not path.is_file():
            raise SkyddError(
                f"no SQLite database at {path}",
                hint="check the path; a relative path in sqlite:///file.db is relative to the "
                "current folder (or, in privacy.yaml, to the map's folder)",
            )
        return super().engine

    def unreachable_hint(self) -> str:
        return f"check that {self.where} is a SQLite database and that you may read it"

    def foreign_keys(self, conn: Connection, insp: sa.Inspector, name: str) -> list[ForeignKeyInfo]:
        """Add ON DELETE from the pragma, which also sees keys declared on the column.

        SQLAlchemy finds ON DELETE by parsing the CREATE TABLE text and only
        understands table-level FOREIGN KEY clauses; `a_id REFERENCES a(id)
        ON DELETE CASCADE` would otherwise read as restrict.
        """
        rows = conn.execute(
            sa.text(
                'SELECT id, seq, "table", "from", on_delete '
                "FROM pragma_foreign_key_list(:name, :schema) ORDER BY id, seq"
            ),
            {"name": name, "schema": self.schema or "main"},
        ).all()
        actions: dict[tuple[str, tuple[str, ...]], str] = {}
        grouped: dict[int, tuple[str, list[str], str]] = {}
        for fk_id, _seq, table, column, on_delete in rows:
            grouped.setdefault(fk_id, (table, [], on_delete))[1].append(column)
        for table, columns, on_delete in grouped.values():
            actions[(table, tuple(columns))] = on_delete
        found = []
        for fk in super().foreign_keys(conn, insp, name):
            action = actions.get((fk.referred_table, tuple(fk.columns)))
            if fk.ondelete is None and action and action.upper() != "NO ACTION":
                fk = dataclasses.replace(fk, ondelete=action.upper())
            found.append(fk)
        return found
