"""Fresh databases on real servers, for tests marked ``integration``.

``pg_url`` and ``mysql_url`` each create an empty database with a random
name, yield its SQLAlchemy URL and drop it afterwards.  Without a server
(or driver) the test is skipped with the reason; with
``SKYDD_REQUIRE_SERVICES=1`` (CI) it fails instead, so a broken service
cannot turn the suite green by skipping.

The admin URLs default to the local development servers and can be
pointed elsewhere with ``SKYDD_TEST_POSTGRES_URL`` and ``SKYDD_TEST_MYSQL_URL``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from typing import NoReturn

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

POSTGRES_ADMIN_URL = os.environ.get(
    "SKYDD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
MYSQL_ADMIN_URL = os.environ.get("SKYDD_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/")


def _unavailable(service: str, reason: str) -> NoReturn:
    if os.environ.get("SKYDD_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{service} is required (SKYDD_REQUIRE_SERVICES=1) but {reason}")
    pytest.skip(f"{service} is not available: {reason}")


def _fresh_database(
    service: str,
    admin_url: str,
    driver: str,
    create: Callable[[Connection, str], None],
    drop: Callable[[Connection, str], None],
    query: dict[str, str] | None = None,
) -> Iterator[str]:
    try:
        __import__(driver)
    except ImportError:
        _unavailable(service, f"the driver {driver!r} is not installed")
    admin = create_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"skydd_test_{secrets.token_hex(6)}"
    where = make_url(admin_url).render_as_string(hide_password=True)
    try:
        with admin.connect() as conn:
            create(conn, name)
    except DBAPIError as exc:
        admin.dispose()
        _unavailable(f"{service} at {where}", " ".join(str(exc.orig).split()))
    try:
        url = make_url(admin_url).set(database=name, query=query or {})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            drop(conn, name)
        admin.dispose()


def _pg_create(conn: Connection, name: str) -> None:
    conn.execute(text(f'CREATE DATABASE "{name}"'))


def _pg_drop(conn: Connection, name: str) -> None:
    # Connections a test forgot to close would block the drop.
    conn.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = :name AND pid <> pg_backend_pid()"
        ),
        {"name": name},
    )
    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


def _mysql_create(conn: Connection, name: str) -> None:
    conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))


def _mysql_drop(conn: Connection, name: str) -> None:
    conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL (``postgresql+psycopg://``) of a new, empty PostgreSQL database, dropped afterwards."""
    yield from _fresh_database("PostgreSQL", POSTGRES_ADMIN_URL, "psycopg", _pg_create, _pg_drop)


@pytest.fixture
def mysql_url() -> Iterator[str]:
    """URL (``mysql+pymysql://``) of a new, empty MariaDB/MySQL database, dropped afterwards."""
    yield from _fresh_database(
        "MariaDB", MYSQL_ADMIN_URL, "pymysql", _mysql_create, _mysql_drop, {"charset": "utf8mb4"}
    )
