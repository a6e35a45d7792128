"""Demo databases: tables built from the map, rows written in large batches.

One `Sink` per system. Tables are SQLAlchemy Core `Table` objects made from the
map's columns (types, primary keys, foreign keys for references inside the
system); rows go in through the driver's executemany (PostgreSQL: COPY), one
transaction per table; indexes on identity and reference columns are built after
loading, which is several times faster than maintaining them row by row.

PostgreSQL and MySQL/MariaDB hold one *schema* per system (the map's ``schema:``):
on PostgreSQL a schema inside the database of the URL, on MySQL/MariaDB a
database of that name on the server (MySQL has no schemas inside databases).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from queue import Queue
from threading import Thread
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from skydd.connectors.registry import connect, scheme_of
from skydd.datamap.models import Column, DataMap, OnDelete, System
from skydd.demo.row import Encoder, encoder
from skydd.errors import SkyddError

Batch = list[tuple[object, ...]]
OnBatch = Callable[[int], None]


def _sql_type(column: Column | None, kind: str) -> sa.types.TypeEngine[Any]:
    if kind == "text" and column is not None and column.free_text:
        return sa.Text()
    types: dict[str, sa.types.TypeEngine[Any]] = {
        "integer": sa.Integer(),
        "numeric": sa.Numeric(14, 2),
        "boolean": sa.Boolean(),
        "date": sa.Date(),
        "timestamp": sa.DateTime(),
        "json": sa.JSON(),
        "blob": sa.LargeBinary(),
    }
    return types.get(kind, sa.String(255))  # VARCHAR: MySQL cannot index or key on TEXT


def column_kind(datamap: DataMap, system: str, table: str, name: str) -> str:
    """The column's declared type; a reference without one takes its target's; an
    untyped key named ``id`` or ``…_id`` is an integer; anything else untyped is text."""
    decl = datamap.systems[system].tables[table]
    column = decl.columns.get(name)
    if column is not None and column.type:
        return column.type
    for ref in datamap.systems[system].tables[table].references:
        if name in ref.columns:
            tsys, ttable, tcols = ref.target(system)
            target = datamap.systems.get(tsys)
            if target and ttable in target.tables and tcols:
                position = min(ref.columns.index(name), len(tcols) - 1)
                if (tsys, ttable, tcols[position]) != (system, table, name):
                    return column_kind(datamap, tsys, ttable, tcols[position])
    if name in decl.primary_key and (name == "id" or name.endswith("_id")):
        return "integer"
    return "text"


def build_tables(
    datamap: DataMap, system: str, metadata: sa.MetaData, schema: str | None
) -> dict[str, sa.Table]:
    """SQLAlchemy tables for one system: columns, keys and same-system foreign keys."""
    decl: System = datamap.systems[system]
    tables: dict[str, sa.Table] = {}
    for tname, table in decl.tables.items():
        names = list(table.columns)
        for ref in table.references:
            names.extend(c for c in ref.columns if c not in names)
        names.extend(c for c in table.primary_key if c not in names)
        columns = [
            sa.Column(
                name,
                _sql_type(table.columns.get(name), column_kind(datamap, system, tname, name)),
                primary_key=name in table.primary_key,
                autoincrement=False,
                nullable=name not in table.primary_key,
            )
            for name in names
        ]
        constraints: list[sa.ForeignKeyConstraint] = []
        for ref in table.references:
            tsys, ttable, tcols = ref.target(system)
            target = decl.tables.get(ttable)
            if tsys != system or target is None or tcols != target.primary_key:
                continue  # across systems (or to a non-key): valid values, but no constraint
            prefix = f"{schema}." if schema else ""
            constraints.append(
                sa.ForeignKeyConstraint(
                    ref.columns,
                    [f"{prefix}{ttable}.{c}" for c in tcols],
                    ondelete={OnDelete.cascade: "CASCADE", OnDelete.set_null: "SET NULL"}.get(
                        ref.on_delete
                    ),
                )
            )
        tables[tname] = sa.Table(tname, metadata, *columns, *constraints, schema=schema)
    return tables


def index_name(table: str, column: str) -> str:
    name = f"ix_{table}_{column}"
    if len(name) <= 60:
        return name
    return f"{name[:51]}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def _pipelined(
    write: Callable[[Batch], object], batches: Iterable[Batch], on_batch: OnBatch
) -> None:
    """Write each batch in a second thread while the next one is generated.

    SQLite lets go of the GIL while it inserts a row, so on two cores the inserting and
    the generating overlap. Batches stay in order; one thread writes; the first error
    is raised here once the writer has stopped.
    """
    queue: Queue[Batch | None] = Queue(maxsize=2)
    failed: list[BaseException] = []

    def writer() -> None:
        while (batch := queue.get()) is not None:
            if failed:
                continue  # drain, so that the generating thread never blocks
            try:
                write(batch)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                failed.append(exc)

    thread = Thread(target=writer, name="skydd-demo-writer", daemon=True)
    thread.start()
    try:
        for batch in batches:
            if failed:
                break
            queue.put(batch)
            on_batch(len(batch))
    finally:
        queue.put(None)
        thread.join()
    if failed:
        raise failed[0]


class Sink:
    """One system's database, open for the length of a build."""

    def __init__(self, system: str, url: str, schema: str | None) -> None:
        self.system = system
        self.schema = schema
        self.kind = scheme_of(url)
        if self.kind == "sqlite":
            engine_url: URL = sa.make_url(url).set(drivername="sqlite+pysqlite")
            # One connection, used by the build's writer thread while this one waits.
            options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        else:
            connector = connect(url, schema=schema)  # checks the driver, fixes the URL
            engine_url, options = connector.url, connector.engine_options()
        self.url = engine_url
        self.engine: Engine = sa.create_engine(engine_url, **options)
        self._conn: Connection | None = None

    def encoder(self, as_of: int) -> Encoder:
        return encoder(self.kind == "sqlite", as_of)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def where(self) -> str:
        """Where the data is, for people: a file, or host/database and schema; no password."""
        if self.kind == "sqlite":
            return str(self.url.database)
        place = f"{self.url.host or 'localhost'}:{self.url.port or ''}".rstrip(":")
        db = f"/{self.url.database}" if self.url.database else ""
        return f"{self.dialect}://{place}{db}" + (f" schema {self.schema}" if self.schema else "")

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            try:
                self._conn = self.engine.connect()
            except sa.exc.DBAPIError as exc:
                reason = str(exc.orig or exc).strip().splitlines()[0]
                raise SkyddError(
                    f"system '{self.system}': cannot open {self.where}: {reason}",
                    hint="check the URL, that the server runs and that the user may create "
                    "schemas or databases",
                ) from None
            if self.dialect == "sqlite":
                # A demo is rebuilt, not recovered: no journal, no waiting for the disk.
                self._conn.exec_driver_sql("PRAGMA journal_mode=OFF")
                self._conn.exec_driver_sql("PRAGMA synchronous=OFF")
                self._conn.commit()
        return self._conn

    def quote(self, name: str) -> str:
        return self.engine.dialect.identifier_preparer.quote_identifier(name)

    def prepare(self) -> None:
        """Create the system's schema (PostgreSQL) or database (MySQL/MariaDB) if missing."""
        if not self.schema or self.dialect == "sqlite":
            return
        if self.dialect == "postgresql":
            self.conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {self.quote(self.schema)}")
        else:
            self.conn.exec_driver_sql(
                f"CREATE DATABASE IF NOT EXISTS {self.quote(self.schema)} "
                "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        self.conn.commit()

    def existing(self, tables: Iterable[sa.Table]) -> list[str]:
        """The declared tables that the database already has."""
        have = set(sa.inspect(self.conn).get_table_names(schema=self.schema))
        self.conn.commit()
        return [t.name for t in tables if t.name in have]

    def create(self, metadata: sa.MetaData, replace: bool) -> None:
        tables = list(metadata.tables.values())
        found = self.existing(tables)
        if found and not replace:
            raise SkyddError(
                f"system '{self.system}' at {self.where} already has tables the demo would "
                f"create: {', '.join(sorted(found))}",
                hint="use another database or schema, or pass --force to replace them",
            )
        with self.conn.begin():
            if found:
                metadata.drop_all(self.conn, checkfirst=True)
            metadata.create_all(self.conn)

    def write(self, table: sa.Table, batches: Iterable[Batch], on_batch: OnBatch) -> None:
        """All rows of one table, in one transaction."""
        columns = ", ".join(self.quote(c.name) for c in table.columns)
        target = self.engine.dialect.identifier_preparer.format_table(table)
        conn = self.conn
        with conn.begin():
            raw = conn.connection.dbapi_connection
            assert raw is not None
            cursor = raw.cursor()
            try:
                if self.dialect == "postgresql":
                    for batch in batches:
                        with cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
                            for row in batch:
                                copy.write_row(row)
                        on_batch(len(batch))
                    return
                # The driver's own executemany: SQLAlchemy would inspect every row again.
                mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
                marks = ", ".join(mark for _ in table.columns)
                sql = f"INSERT INTO {target} ({columns}) VALUES ({marks})"
                if self.dialect == "sqlite":
                    _pipelined(lambda batch: cursor.executemany(sql, batch), batches, on_batch)
                    return
                for batch in batches:
                    cursor.executemany(sql, batch)
                    on_batch(len(batch))
            finally:
                cursor.close()

    def index(self, table: sa.Table, columns: Iterable[str], foreign: set[str]) -> None:
        """Indexes on identity and reference columns, built after the rows are in."""
        key = {c.name for c in table.primary_key.columns}
        with self.conn.begin():
            for name in dict.fromkeys(columns):
                column = table.c[name]
                if [name] == list(key) or isinstance(column.type, sa.Text | sa.LargeBinary):
                    continue
                if self.dialect == "mysql" and name in foreign:
                    continue  # InnoDB indexed the foreign key when it made it
                sa.Index(index_name(table.name, name), column).create(self.conn)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.engine.dispose()
