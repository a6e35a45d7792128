"""Erasure on PostgreSQL and MariaDB, with real foreign keys, ends as it does on SQLite.

The company of tests/requests/erasure_company.py is written through SQLAlchemy Core
with its foreign keys declared (the manager self-reference, notes and visits on
contacts), so the database itself refuses a wrong order; on PostgreSQL each system
is a schema and Skydd's own store lives in the same server, on MariaDB all systems
share one database. The ERP keeps its contact references as text.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from skydd.execution import saga as sagas
from skydd.requests.erasure import erase
from skydd.retention.anonymise import KEY_ENV
from skydd.store import open_store
from skydd.store.schema import blocked_rows

pytestmark = pytest.mark.integration

_spec = importlib.util.spec_from_file_location(
    "erasure_company_for_servers", Path(__file__).parent.parent / "requests" / "erasure_company.py"
)
assert _spec and _spec.loader
company = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(company)

SYSTEMS = ("crm", "support", "erp")
ANNA = {"email": "anna.svensson@example.se"}
TODAY = dt.date(2026, 11, 22)
D = dt.date


def _tables(system: str, schema: str | None) -> sa.MetaData:
    md = sa.MetaData(schema=schema)
    p = f"{schema}." if schema else ""
    if system == "crm":
        sa.Table(
            "companies",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("name", sa.String(100)),
        )
        sa.Table(
            "contacts",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("email", sa.String(200), index=True),
            sa.Column("phone", sa.String(40), index=True),
            sa.Column("company_id", sa.Integer, sa.ForeignKey(f"{p}companies.id")),
            sa.Column("manager_id", sa.Integer, sa.ForeignKey(f"{p}contacts.id")),
            sa.Column("last_contact", sa.Date),
        )
        sa.Table(
            "notes",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("contact_id", sa.Integer, sa.ForeignKey(f"{p}contacts.id")),
            sa.Column("body", sa.String(200)),
        )
        sa.Table(
            "visits",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("contact_id", sa.Integer, sa.ForeignKey(f"{p}contacts.id")),
            sa.Column("ip", sa.String(60)),
            sa.Column("page", sa.String(60)),
        )
        sa.Table(
            "newsletter",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("email", sa.String(200), index=True),
            sa.Column("subscribed", sa.Date),
        )
    elif system == "support":
        sa.Table(
            "tickets",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("phone", sa.String(40), index=True),
            sa.Column("subject", sa.String(200)),
            sa.Column("opened", sa.Date),
        )
    else:
        sa.Table(
            "invoices",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("contact_id", sa.String(20), index=True),
            sa.Column("amount", sa.Numeric(10, 2)),
            sa.Column("fiscal_year_end", sa.Date),
            sa.Column("blocked", sa.Boolean, nullable=False, server_default=sa.false()),
        )
    return md  # fmt: skip


DATA: dict[str, list[dict[str, Any]]] = {
    "companies": [{"id": 1, "name": "Exempel Verkstad AB"}, {"id": 2, "name": "Annat AB"}],
    "contacts": [
        {"id": 1, "email": "anna.svensson@example.se", "phone": "070-123 45 67",
         "company_id": 1, "manager_id": None, "last_contact": D(2025, 5, 1)},
        {"id": 2, "email": "bo.berg@example.se", "phone": "+46 70 765 43 21",
         "company_id": 1, "manager_id": 1, "last_contact": D(2024, 1, 10)},
        {"id": 3, "email": "Cecilia.Dahl@Example.se", "phone": "0046709998877",
         "company_id": 2, "manager_id": None, "last_contact": D(2019, 3, 3)},
        {"id": 4, "email": "dan@example.se", "phone": "+46709998877",
         "company_id": 2, "manager_id": None, "last_contact": D(2020, 1, 1)},
    ],
    "notes": [{"id": 1, "contact_id": 1, "body": "Ringde om offert"},
              {"id": 2, "contact_id": 1, "body": "Vill ha katalog"},
              {"id": 3, "contact_id": 2, "body": "Bo tar över kontot"}],
    "visits": [{"id": 1, "contact_id": 1, "ip": "192.0.2.10", "page": "/produkter"},
               {"id": 2, "contact_id": 1, "ip": "192.0.2.10", "page": "/kontakt"},
               {"id": 3, "contact_id": 2, "ip": "198.51.100.7", "page": "/produkter"}],
    "newsletter": [{"id": 1, "email": "bo.berg@example.se", "subscribed": D(2024, 2, 2)}],
    "tickets": [{"id": 100, "phone": "+46701234567", "subject": "Routern", "opened": D(2025, 2, 1)},
                {"id": 101, "phone": "0707654321", "subject": "Fakturan", "opened": D(2024, 2, 2)},
                {"id": 103, "phone": "0701112233", "subject": "Adress", "opened": D(2023, 4, 4)}],
    "invoices": [
        {"id": i, "contact_id": c, "amount": Decimal(a), "fiscal_year_end": D(y, 12, 31)}
        for i, c, a, y in ((10, "1", "1200.00", 2024), (11, "1", "900.00", 2025),
                           (12, "2", "50.00", 2025), (13, "3", "75.00", 2019))
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def _same_key() -> Iterator[None]:
    old = os.environ.get(KEY_ENV)
    os.environ[KEY_ENV] = "servers-test-key"
    yield
    if old is None:
        del os.environ[KEY_ENV]
    else:
        os.environ[KEY_ENV] = old


def _fill(url: str, system: str, schema: str | None) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            if schema:
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            md = _tables(system, schema)
            md.create_all(conn)
            for table in md.sorted_tables:
                conn.execute(table.insert(), DATA[table.name])
    finally:
        engine.dispose()


def _write_map(directory: Path, urls: dict[str, str], schemas: bool) -> Path:
    raw = company.raw_map(directory)
    raw["systems"]["erp"]["tables"]["invoices"]["columns"]["contact_id"]["type"] = "text"
    for name in SYSTEMS:
        raw["systems"][name]["url"] = urls[name]
        if schemas:
            raw["systems"][name]["schema"] = name
    path = directory / "privacy.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _norm(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal | float):
        return f"{Decimal(str(value)):.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _dump(path: Path, urls: dict[str, str], schemas: bool) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for system in SYSTEMS:
        engine = sa.create_engine(urls[system])
        try:
            with engine.connect() as conn:
                for table in _tables(system, system if schemas else None).sorted_tables:
                    rows = conn.execute(sa.select(table).order_by(*table.primary_key)).all()
                    out[table.name] = [tuple(_norm(v) for v in r) for r in rows]
        finally:
            engine.dispose()
    return out


@pytest.fixture
def sqlite_setup(tmp_path: Path) -> tuple[Path, dict[str, str], bool]:
    urls = {}
    for name in SYSTEMS:
        urls[name] = f"sqlite:///{tmp_path / name}.db"
        _fill(urls[name], name, None)
    return _write_map(tmp_path, urls, False), urls, False


@pytest.fixture
def pg_setup(pg_url: str, tmp_path: Path) -> tuple[Path, dict[str, str], bool]:
    for name in SYSTEMS:
        _fill(pg_url, name, name)
    urls = dict.fromkeys(SYSTEMS, pg_url)
    return _write_map(tmp_path, urls, True), urls, True


@pytest.fixture
def mysql_setup(mysql_url: str, tmp_path: Path) -> tuple[Path, dict[str, str], bool]:
    for name in SYSTEMS:
        _fill(mysql_url, name, None)
    urls = dict.fromkeys(SYSTEMS, mysql_url)
    return _write_map(tmp_path, urls, False), urls, False


@pytest.fixture
def expected(sqlite_setup: tuple[Path, dict[str, str], bool]) -> dict[str, Any]:
    path, urls, schemas = sqlite_setup
    result = erase(path, ANNA, as_of=TODAY)
    assert result.verified
    return {"db": _dump(path, urls, schemas), "json": _comparable(result.as_json())}


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("erased", "anonymised", "unlinked", "kept", "verified")}


def test_sqlite_reference(expected: dict[str, Any]) -> None:
    db = expected["db"]
    assert [r[0] for r in db["contacts"]] == [2, 3, 4]
    assert db["contacts"][0][4] is None  # Bo's pointer to Anna, unlinked
    assert [r[0] for r in db["notes"]] == [3]
    assert [r[1] for r in db["visits"]] == [None, None, 2]
    assert [(r[0], r[4]) for r in db["invoices"]] == [(10, 1), (11, 1), (12, 0), (13, 0)]
    assert [r[0] for r in db["tickets"]] == [101, 103]


def test_postgresql_erases_the_same(
    expected: dict[str, Any], pg_setup: tuple[Path, dict[str, str], bool], pg_url: str
) -> None:
    path, urls, schemas = pg_setup
    result = erase(path, ANNA, as_of=TODAY, store=pg_url)
    assert _comparable(result.as_json()) == expected["json"]
    assert _dump(path, urls, schemas) == expected["db"]
    with open_store(pg_url) as st, st.engine.connect() as conn:
        keys = sorted(r.row_key for r in conn.execute(sa.select(blocked_rows)))
    assert keys == ["[10]", "[11]"]


def test_mariadb_erases_the_same(
    expected: dict[str, Any], mysql_setup: tuple[Path, dict[str, str], bool]
) -> None:
    path, urls, schemas = mysql_setup
    result = erase(path, ANNA, as_of=TODAY)
    assert _comparable(result.as_json()) == expected["json"]
    assert _dump(path, urls, schemas) == expected["db"]


class Crash(BaseException):
    pass


@pytest.mark.parametrize("point", ["step 2 before commit", "step 2 committed"])
def test_postgresql_crash_and_resume(
    expected: dict[str, Any],
    pg_setup: tuple[Path, dict[str, str], bool],
    pg_url: str,
    point: str,
) -> None:
    path, urls, schemas = pg_setup

    def crash(name: str) -> None:
        if name == point:
            raise Crash(name)

    sagas.HOOKS.append(crash)
    try:
        with pytest.raises(Crash):
            erase(path, ANNA, as_of=TODAY, store=pg_url)
    finally:
        sagas.HOOKS.clear()
    result = erase(path, ANNA, as_of=TODAY, store=pg_url)
    assert result.resumed and result.verified
    assert _dump(path, urls, schemas) == expected["db"]
    with open_store(pg_url) as st:
        kinds = [r.kind for r in st.audit.records()]
    assert kinds.count("erasure-step") == 3 and kinds.count("request-recorded") == 1


def test_mariadb_undeclared_copy_fails(mysql_setup: tuple[Path, dict[str, str], bool]) -> None:
    path, urls, _ = mysql_setup
    engine = sa.create_engine(urls["crm"])
    with engine.begin() as conn:
        odd = " ANNA.svensson@EXAMPLE.se "
        conn.execute(sa.text("INSERT INTO newsletter (id, email) VALUES (7, :e)"), {"e": odd})
    engine.dispose()
    result = erase(path, ANNA, as_of=TODAY)
    assert not result.verified and result.status == "failed"
    assert [x["table"] for x in result.leftovers] == ["crm.newsletter"]
