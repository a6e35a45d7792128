"""Connectors on real SQLite files; drivers and registry as a user meets them."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from skydd.connectors import Connector, connect, known_schemes, register
from skydd.connectors import registry as reg
from skydd.connectors.mysql import MySQLConnector
from skydd.connectors.postgres import PostgresConnector
from skydd.connectors.sqlite import SQLiteConnector
from skydd.errors import MissingExtraError, SkyddError

# Column-level REFERENCES with ON DELETE, which SQLAlchemy's DDL parser does not read,
# a composite key, a self-reference and names that need quoting.
DDL = '''
CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    email TEXT,
    name TEXT NOT NULL DEFAULT '',
    company_id INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    manager_id INTEGER REFERENCES people (id) ON DELETE SET NULL
);
CREATE INDEX people_email ON people (email);
CREATE TABLE visits (person_id INTEGER, day TEXT, PRIMARY KEY (person_id, day));
CREATE TABLE notes (
    id INTEGER PRIMARY KEY, person_id INTEGER, day TEXT, "select" TEXT,
    FOREIGN KEY (person_id, day) REFERENCES visits (person_id, day)
);
CREATE TABLE "odd ""name""" (id INTEGER PRIMARY KEY, "we""ird" TEXT);
INSERT INTO people (id, email) VALUES (1, 'a@example.se'), (2, 'b@example.se'), (3, NULL);
INSERT INTO "odd ""name""" ("we""ird") VALUES ('x'), ('y');
'''


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(DDL)
    conn.close()
    return path


@pytest.fixture
def sqlite_conn(db_path: Path) -> Iterator[Connector]:
    with connect(f"sqlite:///{db_path}") as conn:
        yield conn


def test_sqlite_reflects_keys_and_on_delete(sqlite_conn: Connector) -> None:
    tables = {t.name: t for t in sqlite_conn.reflect()}
    assert set(tables) == {"companies", "people", "visits", "notes", 'odd "name"'}
    people = tables["people"]
    assert people.primary_key == ["id"]
    assert [(c.name, c.type_name, c.nullable) for c in people.columns][:3] == [
        ("id", "INTEGER", True),
        ("email", "TEXT", True),
        ("name", "TEXT", False),
    ]
    fks = {tuple(fk.columns): fk for fk in people.foreign_keys}
    assert fks[("company_id",)].referred_table == "companies"
    assert fks[("company_id",)].ondelete == "CASCADE"
    assert fks[("manager_id",)].referred_table == "people"
    assert fks[("manager_id",)].ondelete == "SET NULL"
    assert [(ix.name, ix.columns, ix.unique) for ix in people.indexes] == [
        ("people_email", ["email"], False)
    ]
    (composite,) = tables["notes"].foreign_keys
    assert (composite.columns, composite.referred_table, composite.referred_columns) == (
        ["person_id", "day"],
        "visits",
        ["person_id", "day"],
    )
    assert composite.ondelete is None
    assert tables["visits"].primary_key == ["person_id", "day"]


def test_table_is_reflected_once_and_names_are_quoted(sqlite_conn: Connector) -> None:
    odd = sqlite_conn.table('odd "name"')
    assert odd is sqlite_conn.table('odd "name"')
    assert [c.name for c in odd.columns] == ["id", 'we"ird']
    assert sqlite_conn.quote("select") == '"select"'
    assert sqlite_conn.quote('we"ird') == '"we""ird"'
    assert sorted(sqlite_conn.sample('odd "name"', 'we"ird', 10)) == ["x", "y"]
    assert sqlite_conn.dialect_name == "sqlite"


def test_sample_skips_nulls_and_respects_n(sqlite_conn: Connector) -> None:
    assert len(sqlite_conn.sample("people", "email", 1)) == 1
    assert sorted(sqlite_conn.sample("people", "email", 50)) == ["a@example.se", "b@example.se"]
    assert sqlite_conn.sample("people", "email", 0) == []


def test_unknown_table_names_the_table(sqlite_conn: Connector) -> None:
    with pytest.raises(SkyddError, match="no table 'nope'"):
        sqlite_conn.table("nope")


def test_missing_sqlite_file_is_an_error_not_a_new_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    conn = connect(f"sqlite:///{missing}")
    with pytest.raises(SkyddError, match="no SQLite database at") as info:
        conn.ping()
    assert info.value.hint and "relative" in info.value.hint
    assert not missing.exists()


def test_close_disposes_and_connector_can_be_reused(sqlite_conn: Connector) -> None:
    sqlite_conn.table("people")
    sqlite_conn.close()
    sqlite_conn.ping()
    assert sqlite_conn.sample("people", "email", 1)


@pytest.mark.parametrize(
    ("url", "cls", "driver"),
    [
        ("postgresql://u@db.example/crm", PostgresConnector, "postgresql+psycopg"),
        ("postgres://u@db.example/crm", PostgresConnector, "postgresql+psycopg"),
        ("postgresql+psycopg://u@db.example/crm", PostgresConnector, "postgresql+psycopg"),
        ("mysql://u@db.example/crm", MySQLConnector, "mysql+pymysql"),
        ("mariadb://u@db.example/crm", MySQLConnector, "mysql+pymysql"),
        ("sqlite:///crm.db", SQLiteConnector, "sqlite+pysqlite"),
    ],
)
def test_urls_pick_the_connector_and_driver(url: str, cls: type[Connector], driver: str) -> None:
    conn = connect(url)
    assert type(conn) is cls
    assert conn.url.drivername == driver
    conn.close()  # no engine was made: building a connector never connects


@pytest.mark.parametrize(
    ("module", "url", "command"),
    [
        ("psycopg", "postgresql://u@localhost/crm", 'pip install "skydd[postgres]"'),
        ("pymysql", "mariadb://u@localhost/crm", 'pip install "skydd[mysql]"'),
    ],
)
def test_missing_driver_gives_the_install_command(
    monkeypatch: pytest.MonkeyPatch, module: str, url: str, command: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # what `import` sees when it is absent
    with pytest.raises(MissingExtraError) as info:
        connect(url)
    assert command in info.value.render()
    assert module in info.value.message


def test_unknown_scheme_lists_the_known_ones() -> None:
    with pytest.raises(SkyddError) as info:
        connect("postgress://u@localhost/crm")
    assert "postgress://" in info.value.message
    assert info.value.hint is not None
    assert "did you mean 'postgres://'" in info.value.hint
    for scheme in ("sqlite://", "postgresql://", "mysql://", "mariadb://"):
        assert scheme in info.value.hint


def test_not_a_url_hides_the_password() -> None:
    with pytest.raises(SkyddError, match="not a database URL") as info:
        connect("user:hunter2@localhost")
    assert "hunter2" not in info.value.render()


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("postgresql://skydd:hunter2@127.0.0.1:1/crm", "PostgreSQL at 127.0.0.1:1"),
        ("mariadb://skydd:hunter2@127.0.0.1:1/crm", "MySQL/MariaDB at 127.0.0.1:1"),
    ],
)
def test_unreachable_server_names_host_and_port_never_the_password(url: str, where: str) -> None:
    # Port 1 on the loopback refuses at once: a real failed connection, not a mock.
    conn = connect(url)
    with pytest.raises(SkyddError) as info:
        conn.ping()
    conn.close()
    text = info.value.render()
    assert where in text
    assert "hunter2" not in text
    assert "hint:" in text


def test_runtime_registration() -> None:
    register("lite", "skydd.connectors.sqlite:SQLiteConnector")
    try:
        assert "lite" in known_schemes()
        assert reg.connector_factory("lite") is SQLiteConnector
    finally:
        reg.unregister("lite")
    assert "lite" not in known_schemes()


def test_entry_point_plugins_register_like_built_ins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real installed distribution with an entry point, as `pip install skydd-duck` leaves it.
    (tmp_path / "skydd_duck.py").write_text(
        "from skydd.connectors.sqlite import SQLiteConnector\n"
        "class DuckConnector(SQLiteConnector):\n"
        "    kind = 'Duck'\n"
        "    @classmethod\n"
        "    def normalise_url(cls, url):\n"
        "        return url.set(drivername='sqlite')\n"
    )
    info = tmp_path / "skydd_duck-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: skydd-duck\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[skydd.connectors]\nduck = skydd_duck:DuckConnector\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    reg._installed.cache_clear()
    try:
        assert "duck" in known_schemes()
        path = tmp_path / "d.db"
        sa_engine = sa.create_engine(f"sqlite:///{path}")
        with sa_engine.begin() as c:
            c.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        sa_engine.dispose()
        with connect(f"duck:///{path}") as conn:
            assert conn.kind == "Duck"
            assert [t.name for t in conn.reflect()] == ["t"]
    finally:
        monkeypatch.undo()
        reg._installed.cache_clear()
        sys.modules.pop("skydd_duck", None)
