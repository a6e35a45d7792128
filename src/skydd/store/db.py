"""Open Skydd's own store: find its URL, connect, migrate to the newest schema.

SQLite is the default (a file under ``.skydd/``, nothing to install);
PostgreSQL (psycopg 3) is for several processes or hosts.  Alembic runs on
every open, so an upgraded Skydd brings its store along without a separate
step and no ``alembic.ini`` is needed.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, ProgrammingError
from sqlalchemy.pool import StaticPool

from skydd.errors import MissingExtraError, SkyddError
from skydd.store.anchor import anchor_path_for
from skydd.store.audit import WRITE_LOCK, AuditLog

DATABASE_URL_ENV = "SKYDD_DATABASE_URL"
AUDIT_KEY_ENV = "SKYDD_AUDIT_KEY"
MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_LOCK = 0x736B796464  # "skydd": one advisory lock id for all Skydd migrations
_URL_EXAMPLES = "sqlite:///path/to/store.db or postgresql://user@host:5432/skydd"


class Store:
    """An open store: its engine, its URL (password masked when printed) and its audit log."""

    def __init__(self, engine: Engine, url: URL, audit: AuditLog) -> None:
        self.engine = engine
        self.url = url
        self.audit = audit

    def close(self) -> None:
        """Close every pooled connection; the store cannot be used afterwards."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url})"


def open_store(url: str | None = None, *, default_dir: Path | None = None) -> Store:
    """Open (creating and migrating if needed) the store at ``url``.

    Without ``url``, ``SKYDD_DATABASE_URL`` is used, else the SQLite file
    ``<default_dir or cwd>/.skydd/store.db``.
    """
    raw = url or os.environ.get(DATABASE_URL_ENV) or None
    if raw is None:
        path = (default_dir or Path.cwd()) / ".skydd" / "store.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        sa_url = URL.create("sqlite", database=str(path.resolve()))
    else:
        sa_url = normalise_url(raw, source="the store URL" if url else DATABASE_URL_ENV)
    key = _audit_key()
    engine = _create_engine(sa_url)
    try:
        migrate(engine)
        audit = AuditLog(
            engine, anchor_path=anchor_path_for(sa_url), key=key, store_name=str(sa_url)
        )
        audit.initialise()
    except (OperationalError, InterfaceError) as exc:
        engine.dispose()
        raise _unreachable(sa_url, exc) from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, sa_url, audit)


def normalise_url(raw: str, *, source: str = "the store URL") -> URL:
    """Parse a store URL, pick the psycopg 3 driver for PostgreSQL, check the driver is there.

    A plain file path (no colon) means a SQLite store at that path.
    """
    if ":" not in raw and raw.strip():
        raw = "sqlite:///" + str(Path(raw).expanduser().resolve())
    try:
        url = make_url(raw)
    except ArgumentError:
        # Not echoed back: a malformed URL may still hold a password.
        raise SkyddError(f"{source} is not a database URL", hint=f"use {_URL_EXAMPLES}") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        elif url.drivername != "postgresql+psycopg":
            raise SkyddError(
                f"{source} asks for the driver {url.drivername!r}; Skydd's store uses psycopg 3",
                hint="write the URL as postgresql://... or postgresql+psycopg://...",
            )
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise MissingExtraError("psycopg", "postgres", "A PostgreSQL store") from None
        return url
    if backend == "sqlite":
        if url.drivername not in ("sqlite", "sqlite+pysqlite"):
            raise SkyddError(f"{source} asks for the unsupported driver {url.drivername!r}")
        if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
            return url
        path = Path(url.database).expanduser().resolve()
        if not path.parent.is_dir():
            raise SkyddError(
                f"cannot create the store {path}: the directory {path.parent} does not exist",
                hint="create the directory first, or leave the URL out to use ./.skydd/store.db",
            )
        return url.set(database=str(path))
    raise SkyddError(
        f"{source} points at {backend}, but Skydd's store runs on SQLite or PostgreSQL",
        hint=f"use {_URL_EXAMPLES}",
    )


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


@cache
def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def _up_to_date(engine: Engine) -> bool:
    """A cheap look at the version table, so opening a current store runs no Alembic."""
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM skydd_alembic_version")).scalar()
    except (OperationalError, ProgrammingError):
        return False
    return version is not None and version == _head_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration, holding a lock so racing opens take turns."""
    if _up_to_date(engine):
        return
    config = _config()
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_LOCK: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    memory = not url.database or url.database == ":memory:" or url.query.get("mode") == "memory"
    if memory:
        # One shared connection, or every checkout would see its own empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = create_engine(url, connect_args={"timeout": 30})
    _take_over_sqlite_transactions(engine)
    return engine


def _take_over_sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy emit BEGIN itself, so appends can use BEGIN IMMEDIATE.

    Python's sqlite3 starts transactions lazily, at the first write, so two
    processes could both read the same audit head before either locks the
    file.  BEGIN IMMEDIATE takes the write lock before the head is read; the
    second process waits (up to the 30 s timeout) and then reads the new
    head.  This also makes migrations transactional on SQLite.
    """

    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # WAL: readers never wait for the writer, and a commit is one append to the
        # log instead of a rewrite of the journal; synchronous stays FULL (durable).
        if engine.url.database and engine.url.database != ":memory:":
            dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_LOCK, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _audit_key() -> bytes | None:
    value = os.environ.get(AUDIT_KEY_ENV)
    if not value:
        return None
    if len(value) < 16:
        raise SkyddError(
            f"{AUDIT_KEY_ENV} is too short ({len(value)} characters) to protect the audit log",
            hint="use at least 32 random characters, e.g. from: python -c "
            "'import secrets; print(secrets.token_urlsafe(32))'",
        )
    return value.encode("utf-8")


def _unreachable(url: URL, exc: OperationalError | InterfaceError) -> SkyddError:
    if url.get_backend_name() == "sqlite":
        where = f"the SQLite file {url.database}"
        hint = "check that the file is readable and writable and not locked by another program"
    else:
        where = f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"
        hint = f"check that PostgreSQL is running there and that {DATABASE_URL_ENV} is right"
    reason = " ".join(str(exc.orig).split()) or type(exc.orig).__name__
    if url.password:
        reason = reason.replace(str(url.password), "***")
    return SkyddError(f"cannot open the Skydd store at {where}: {reason}", hint=hint)
