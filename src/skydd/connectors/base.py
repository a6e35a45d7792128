"""The one interface Skydd uses to reach a company's SQL database.

Every backend is a small subclass that names its driver, its install extra and
how to fix its URL; everything else (reflection, sampling, quoting, error
translation) is SQLAlchemy Core and shared. Values are always bound and
identifiers always quoted by the dialect, never formatted into SQL text.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchTableError

from skydd.errors import MissingExtraError, SkyddError


@dataclass(frozen=True)
class ColumnInfo:
    """A reflected column: its name, SQL type and whether it may be NULL."""

    name: str
    type: sa.types.TypeEngine[Any]
    type_name: str
    nullable: bool


@dataclass(frozen=True)
class ForeignKeyInfo:
    """A foreign key: these columns point at `referred_table`'s columns."""

    columns: list[str]
    referred_table: str
    referred_columns: list[str]
    referred_schema: str | None = None
    ondelete: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class IndexInfo:
    name: str | None
    columns: list[str]
    unique: bool


@dataclass(frozen=True)
class TableInfo:
    """What reflection tells about one table, independent of the backend."""

    name: str
    schema: str | None
    columns: list[ColumnInfo]
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[ForeignKeyInfo] = field(default_factory=list)
    indexes: list[IndexInfo] = field(default_factory=list)

    def column(self, name: str) -> ColumnInfo:
        return next(c for c in self.columns if c.name == name)


class Connector:
    """A database reached through SQLAlchemy Core, built from a URL.

    The engine is created on first use so that building a connector (and
    checking its driver) never opens a connection. Call `close()` when done:
    it disposes the pool.
    """

    kind: ClassVar[str] = "database"
    """The backend's name as people know it, for messages."""
    driver_module: ClassVar[str | None] = None
    """The Python module of the driver; None when it ships with Python."""
    extra: ClassVar[str | None] = None
    """The `skydd[...]` extra that installs the driver."""
    default_port: ClassVar[int | None] = None

    def __init__(self, url: str | URL, *, schema: str | None = None) -> None:
        self._require_driver()
        try:
            parsed = sa.make_url(url)
        except ArgumentError:
            raise SkyddError(
                "this is not a database URL", hint="write it like postgresql://user@host/db"
            ) from None
        self.url: URL = self.normalise_url(parsed)
        self.schema = schema
        self._engine: Engine | None = None
        self._metadata = sa.MetaData()
        self._tables: dict[tuple[str | None, str], sa.Table] = {}

    @classmethod
    def _require_driver(cls) -> None:
        if cls.driver_module is None:
            return
        try:
            importlib.import_module(cls.driver_module)
        except ImportError:
            raise MissingExtraError(
                cls.driver_module, cls.extra or cls.driver_module, f"Connecting to {cls.kind}"
            ) from None

    @classmethod
    def normalise_url(cls, url: URL) -> URL:
        """Point the URL at the driver Skydd ships support for."""
        return url

    def engine_options(self) -> dict[str, Any]:
        """Extra keyword arguments for `create_engine`."""
        return {}

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = sa.create_engine(self.url, **self.engine_options())
        return self._engine

    @property
    def dialect_name(self) -> str:
        return self.engine.dialect.name

    @property
    def where(self) -> str:
        """Where the database is, for messages; never shows the password."""
        host = self.url.host or "localhost"
        port = self.url.port or self.default_port
        return f"{host}:{port}" if port else host

    def quote(self, identifier: str) -> str:
        """The identifier quoted by the dialect, always, so that any name is safe."""
        return self.engine.dialect.identifier_preparer.quote_identifier(identifier)

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection; failing to open one becomes a SkyddError with a hint."""
        try:
            conn = self.engine.connect()
        except DBAPIError as exc:
            raise self.unreachable(exc) from None
        with conn:
            yield conn

    def unreachable(self, exc: DBAPIError) -> SkyddError:
        """The error shown when the database cannot be opened."""
        cause = str(exc.orig or exc).strip().splitlines()
        reason = self._scrub(cause[0]) if cause else type(exc).__name__
        who = f" as '{self.url.username}'" if self.url.username else ""
        db = f", database '{self.url.database}'" if self.url.database else ""
        return SkyddError(
            f"cannot connect to {self.kind} at {self.where}{who}{db}: {reason}",
            hint=self.unreachable_hint(),
        )

    def unreachable_hint(self) -> str:
        return (
            f"check that the server runs and accepts connections on {self.where}, "
            "and the host, port, user, password and database name in the URL"
        )

    def _scrub(self, text: str) -> str:
        password = self.url.password
        return text.replace(str(password), "***") if password else text

    def ping(self) -> None:
        """Open a connection and run a trivial query; raise SkyddError if that fails."""
        with self.connection() as conn:
            conn.execute(sa.select(sa.literal(1)))

    def close(self) -> None:
        """Dispose the engine's pool; the connector can be used again afterwards."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self._metadata.clear()
        self._tables.clear()

    def __enter__(self) -> Connector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def table(self, name: str, schema: str | None = None) -> sa.Table:
        """The table reflected from the database, cached for the connector's life."""
        schema = schema if schema is not None else self.schema
        key = (schema, name)
        if key not in self._tables:
            with self.connection() as conn:
                try:
                    self._tables[key] = sa.Table(
                        name, self._metadata, schema=schema, autoload_with=conn
                    )
                except NoSuchTableError:
                    where = f"{schema}.{name}" if schema else name
                    raise SkyddError(
                        f"{self.kind} at {self.where} has no table '{where}'",
                        hint="check the table name in the data map against the database",
                    ) from None
        return self._tables[key]

    def reflect(self) -> list[TableInfo]:
        """Every table of the schema (views excluded) with its columns and keys."""
        with self.connection() as conn:
            insp = sa.inspect(conn)
            return [
                self._table_info(conn, insp, name)
                for name in insp.get_table_names(schema=self.schema)
            ]

    def _table_info(self, conn: Connection, insp: sa.Inspector, name: str) -> TableInfo:
        schema = self.schema
        columns = [
            ColumnInfo(c["name"], c["type"], self._type_name(c["type"]), bool(c["nullable"]))
            for c in insp.get_columns(name, schema=schema)
        ]
        pk = insp.get_pk_constraint(name, schema=schema)
        indexes = [
            IndexInfo(ix.get("name"), [c for c in ix["column_names"] if c], bool(ix["unique"]))
            for ix in insp.get_indexes(name, schema=schema)
        ]
        return TableInfo(
            name,
            schema,
            columns,
            list(pk.get("constrained_columns") or []),
            self.foreign_keys(conn, insp, name),
            indexes,
        )

    def foreign_keys(self, conn: Connection, insp: sa.Inspector, name: str) -> list[ForeignKeyInfo]:
        """The table's foreign keys as the dialect reflects them."""
        return [
            ForeignKeyInfo(
                columns=list(fk["constrained_columns"]),
                referred_table=fk["referred_table"],
                referred_columns=list(fk["referred_columns"]),
                referred_schema=fk.get("referred_schema"),
                ondelete=(fk.get("options") or {}).get("ondelete"),
                name=fk.get("name"),
            )
            for fk in insp.get_foreign_keys(name, schema=self.schema)
        ]

    def _type_name(self, type_: sa.types.TypeEngine[Any]) -> str:
        try:
            return str(type_.compile(dialect=self.engine.dialect))
        except Exception:  # noqa: BLE001 - a type the dialect cannot render is still a type
            return type(type_).__name__

    def sample(self, table: str, column: str, n: int, schema: str | None = None) -> list[Any]:
        """Up to `n` non-NULL values of a column, cheaply: enough to guess what it holds."""
        if n <= 0:
            return []
        t = self.table(table, schema)
        with self.connection() as conn:
            return list(conn.execute(self.sample_query(conn, t, t.c[column], n)).scalars())

    def sample_query(
        self, conn: Connection, table: sa.Table, column: sa.Column[Any], n: int
    ) -> sa.Select[Any]:
        """The first `n` non-NULL values; backends with real sampling override this.

        ORDER BY RANDOM() would read the whole table, which is too slow on the
        tables that matter most, so the default takes what comes first.
        """
        return sa.select(column).where(column.is_not(None)).limit(n)
