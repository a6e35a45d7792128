"""The same company on SQLite, PostgreSQL and MariaDB gives the same access results.

One small company (three systems: CRM, support, ERP) is written through
SQLAlchemy Core into each backend: on PostgreSQL each system gets its own
schema, on MariaDB all share one database with its case-insensitive collation,
and the ERP keeps its customer references as text, so every cross-system join
compares an integer with a string.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from skydd.datamap.loader import load_map
from skydd.requests.access import access, close_connections

pytestmark = pytest.mark.integration

MAPS = Path(__file__).parent.parent / "datamap" / "maps"
SYSTEMS = ("crm", "support", "erp")


def _tables(system: str, schema: str | None) -> sa.MetaData:
    md = sa.MetaData(schema=schema)
    if system == "crm":
        sa.Table(
            "companies",
            md,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(100)),
        )
        prefix = f"{schema}." if schema else ""
        sa.Table(
            "contacts",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("email", sa.String(200), index=True),
            sa.Column("phone", sa.String(40), index=True),
            sa.Column("company_id", sa.Integer, sa.ForeignKey(f"{prefix}companies.id")),
            sa.Column("manager_id", sa.Integer, sa.ForeignKey(f"{prefix}contacts.id")),
            sa.Column("last_contact", sa.Date),
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
        )
    return md


D = dt.date
DATA: dict[str, list[dict[str, Any]]] = {
    "companies": [{"id": 1, "name": "Exempel Verkstad AB"}, {"id": 2, "name": "Annat AB"}],
    "contacts": [
        # Anna: phone in national format; Bo: Anna is his manager (a self-reference).
        {
            "id": 1,
            "email": "anna.svensson@example.se",
            "phone": "070-123 45 67",
            "company_id": 1,
            "manager_id": None,
            "last_contact": D(2025, 5, 1),
        },
        {
            "id": 2,
            "email": "bo.berg@example.se",
            "phone": "+46 70 765 43 21",
            "company_id": 1,
            "manager_id": 1,
            "last_contact": D(2024, 1, 10),
        },
        # Cecilia (mixed-case email) and Dan share one phone number, stored two ways.
        {
            "id": 3,
            "email": "Cecilia.Dahl@Example.se",
            "phone": "0046709998877",
            "company_id": 2,
            "manager_id": None,
            "last_contact": D(2019, 3, 3),
        },
        {
            "id": 4,
            "email": "dan@example.se",
            "phone": "+46709998877",
            "company_id": 2,
            "manager_id": None,
            "last_contact": D(2020, 1, 1),
        },
        # Anna's look-alike: another person.
        {
            "id": 5,
            "email": "annasvensson@example.se",
            "phone": "+46 70 111 22 33",
            "company_id": 2,
            "manager_id": 1,
            "last_contact": D(2023, 6, 6),
        },
    ],
    "tickets": [
        {"id": 100, "phone": "+46701234567", "subject": "Routern", "opened": D(2025, 2, 1)},
        {"id": 101, "phone": "0707654321", "subject": "Fakturan", "opened": D(2024, 2, 2)},
        {"id": 102, "phone": "070-999 88 77", "subject": "Leverans", "opened": D(2024, 3, 3)},
        {"id": 103, "phone": "0701112233", "subject": "Adress", "opened": D(2023, 4, 4)},
    ],
    "invoices": [
        {
            "id": 10,
            "contact_id": "1",
            "amount": Decimal("1200.00"),
            "fiscal_year_end": D(2024, 12, 31),
        },
        {
            "id": 11,
            "contact_id": "1",
            "amount": Decimal("900.50"),
            "fiscal_year_end": D(2025, 12, 31),
        },
        {
            "id": 12,
            "contact_id": "2",
            "amount": Decimal("50.00"),
            "fiscal_year_end": D(2025, 12, 31),
        },
        {
            "id": 13,
            "contact_id": "3",
            "amount": Decimal("75.25"),
            "fiscal_year_end": D(2019, 12, 31),
        },
        {
            "id": 14,
            "contact_id": "4",
            "amount": Decimal("20.00"),
            "fiscal_year_end": D(2020, 12, 31),
        },
        {
            "id": 15,
            "contact_id": "5",
            "amount": Decimal("10.00"),
            "fiscal_year_end": D(2023, 12, 31),
        },
    ],
}


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
    """small.yaml with a support system added, pointed at the given databases."""
    raw = yaml.safe_load((MAPS / "small.yaml").read_text(encoding="utf-8"))
    raw["systems"]["support"] = {
        "url": "",
        "tables": {
            "tickets": {
                "subjects": ["customer"],
                "purposes": ["orders"],
                "primary_key": "id",
                "columns": {
                    "id": {"category": "system.operations"},
                    "phone": {"category": "user.contact.phone_number", "identity": "phone"},
                    "subject": {"category": "user.content"},
                    "opened": {"category": "system.operations"},
                },
            }
        },
    }
    raw["retention"]["rules"]["tickets"] = {
        "tables": ["support.tickets"],
        "anchor": "opened",
        "period": "2 years",
    }
    contacts = raw["systems"]["crm"]["tables"]["contacts"]["columns"]
    contacts["last_contact"]["category"] = "system.operations"
    for name in SYSTEMS:
        raw["systems"][name]["url"] = urls[name]
        if schemas:
            raw["systems"][name]["schema"] = name
    path = directory / "privacy.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def sqlite_map(tmp_path: Path) -> Path:
    urls = {}
    for name in SYSTEMS:
        urls[name] = f"sqlite:///{tmp_path / name}.db"
        _fill(urls[name], name, None)
    return _write_map(tmp_path, urls, schemas=False)


@pytest.fixture
def pg_map(pg_url: str, tmp_path: Path) -> Path:
    for name in SYSTEMS:
        _fill(pg_url, name, name)
    return _write_map(tmp_path, dict.fromkeys(SYSTEMS, pg_url), schemas=True)


@pytest.fixture
def mysql_map(mysql_url: str, tmp_path: Path) -> Path:
    for name in SYSTEMS:
        _fill(mysql_url, name, None)
    return _write_map(tmp_path, dict.fromkeys(SYSTEMS, mysql_url), schemas=False)


REQUESTS: dict[str, dict[str, str]] = {
    "other-format phone": {"phone": "+46701234567"},
    "mixed-case email": {"email": "CECILIA.DAHL@example.se"},
    "manager self-reference": {"email": "Bo.Berg@Example.se"},
    "look-alike email": {"email": "annasvensson@example.se"},
    "shared phone alone": {"phone": "070-999 88 77"},
    "shared phone with email": {"email": "dan@example.se", "phone": "0709998877"},
    "customer number": {"customer_number": "1"},
    "nobody": {"email": "nobody@example.se"},
    # Whole identity columns read and normalised, on each backend's driver.
    "mixed-case email (thorough)": {"email": "cecilia.dahl@EXAMPLE.se"},
    "other-format phone (thorough)": {"phone": "+46701234567"},
}


def _norm(value: Any, column: str) -> Any:
    if column == "amount" and value is not None:
        return f"{Decimal(str(value)):.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _summary(map_path: Path, tmp_path: Path) -> dict[str, Any]:
    loaded = load_map(map_path)
    out: dict[str, Any] = {}
    try:
        for name, idents in REQUESTS.items():
            result = access(
                loaded,
                idents,
                out=tmp_path / "out" / name.replace(" ", "-"),
                lang="en",
                pdf=False,
                record=False,
                thorough=name.endswith("(thorough)"),
            )

            def rows(sections: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
                return {
                    s["key"]: sorted(
                        ({k: _norm(v, k) for k, v in r.items()} for r in s["rows"]),
                        key=lambda r: r["id"],
                    )
                    for s in sections
                }

            out[name] = {
                "counts": result.counts,
                "rows": rows(result.report["tables"]),
                "shared": rows(result.report["shared"]),
                "ambiguous": sorted((a["table"], tuple(a["key"])) for a in result.ambiguous),
            }
    finally:
        close_connections(loaded)
    return out


@pytest.fixture
def expected(sqlite_map: Path, tmp_path: Path) -> dict[str, Any]:
    return _summary(sqlite_map, tmp_path / "sqlite")


def _ids(summary: dict[str, Any], request: str, table: str) -> list[int]:
    return [r["id"] for r in summary[request]["rows"].get(table, [])]


def test_sqlite_reference_results(expected: dict[str, Any]) -> None:
    """What all three backends must agree on, checked once by hand."""
    e = expected
    assert e["other-format phone"]["counts"] == {
        "crm.contacts": 1,
        "support.tickets": 1,
        "erp.invoices": 2,
    }
    assert _ids(e, "other-format phone", "crm.contacts") == [1]
    assert e["other-format phone"]["shared"]["crm.companies"][0]["id"] == 1
    assert e["other-format phone"]["ambiguous"] == []
    # Cecilia is found in any case; the ticket under her shared phone is left to a human.
    assert _ids(e, "mixed-case email", "crm.contacts") == [3]
    assert _ids(e, "mixed-case email", "erp.invoices") == [13]
    assert e["mixed-case email"]["ambiguous"] == [
        ("crm.contacts", (4,)),
        ("support.tickets", (102,)),
    ]
    # Bo's manager (Anna) and the contacts Anna manages are other people.
    assert _ids(e, "manager self-reference", "crm.contacts") == [2]
    assert _ids(e, "manager self-reference", "support.tickets") == [101]
    assert _ids(e, "look-alike email", "crm.contacts") == [5]
    assert _ids(e, "look-alike email", "support.tickets") == [103]
    assert e["shared phone alone"]["counts"] == {}
    assert e["shared phone alone"]["ambiguous"] == [
        ("crm.contacts", (3,)),
        ("crm.contacts", (4,)),
        ("support.tickets", (102,)),
    ]
    assert _ids(e, "shared phone with email", "crm.contacts") == [4]
    assert ("crm.contacts", (3,)) in e["shared phone with email"]["ambiguous"]
    assert _ids(e, "customer number", "crm.contacts") == [1]
    assert e["nobody"]["counts"] == {}
    assert e["mixed-case email (thorough)"] == e["mixed-case email"]
    assert e["other-format phone (thorough)"] == e["other-format phone"]


def test_postgresql_gives_the_same_results(
    expected: dict[str, Any], pg_map: Path, tmp_path: Path
) -> None:
    assert _summary(pg_map, tmp_path / "pg") == expected


def test_mariadb_gives_the_same_results(
    expected: dict[str, Any], mysql_map: Path, tmp_path: Path
) -> None:
    assert _summary(mysql_map, tmp_path / "mysql") == expected


def test_postgresql_wrong_schema_is_a_clear_error(pg_map: Path, tmp_path: Path) -> None:
    from skydd.errors import SkyddError

    text = pg_map.read_text(encoding="utf-8").replace("schema: erp", "schema: bokforing")
    pg_map.write_text(text, encoding="utf-8")
    with pytest.raises(SkyddError, match=r"erp\.invoices.*bokforing\.invoices"):
        access(pg_map, {"email": "anna.svensson@example.se"}, record=False)


# -- the demo company on all three ------------------------------------------------------
DEMO_PEOPLE = 300
_WHEN = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _same(value: Any) -> Any:
    """One form per value whatever the backend returned: dates, decimals, booleans."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float) or (isinstance(value, str) and _DECIMAL.match(value)):
        return str(Decimal(str(value)).normalize())
    if isinstance(value, str) and _WHEN.match(value):
        return dt.datetime.fromisoformat(value.replace(" ", "T")).isoformat()
    return value


def _demo_requests(facts: dict[str, Any]) -> dict[str, dict[str, str]]:
    show, shared = facts["showcase"], facts["shared_phone"]
    return {
        "showcase by email": {"email": show["email"].upper()},
        "showcase by phone": {"phone": show["phones"]["erp.contacts.phone"]},
        "colleague": {"email": facts["colleagues"][0]["email"]},
        "shared phone, by email": {"email": shared[0]["email"]},
        "shared phone alone": {"phone": shared[0]["phone"]},
        "due for deletion": {"email": facts["due_for_deletion"]["email"]},
        "held invoices": {"email": facts["held_invoices"]["email"]},
    }


def _demo_summary(map_path: Path, out: Path, requests: dict[str, dict[str, str]]) -> dict[str, Any]:
    loaded = load_map(map_path)
    summary: dict[str, Any] = {}
    try:
        for name, idents in requests.items():
            result = access(
                loaded, idents, out=out / name.replace(" ", "-"), lang="en", pdf=False, record=False
            )
            summary[name] = {
                "counts": result.counts,
                "rows": {
                    s["key"]: sorted(
                        json.dumps({k: _same(v) for k, v in r.items()}, sort_keys=True)
                        for r in s["rows"]
                    )
                    for s in result.report["tables"] + result.report["shared"]
                },
                "ambiguous": sorted(json.dumps([a["table"], a["key"]]) for a in result.ambiguous),
            }
    finally:
        close_connections(loaded)
    return summary


@pytest.fixture
def demo_expected(tmp_path: Path) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """The requests (planted people and five ordinary ones) and their results on SQLite."""
    from skydd.demo import build_demo

    built = build_demo("axsensor", tmp_path / "sqlite-demo", people=DEMO_PEOPLE)
    facts = json.loads(built.facts_path.read_text(encoding="utf-8"))
    requests = _demo_requests(facts)
    with sqlite3.connect(built.directory / "crm.db") as conn:
        for (email,) in conn.execute(
            "SELECT email FROM contacts WHERE email IS NOT NULL ORDER BY id LIMIT 5"
        ):
            requests[f"contact {email}"] = {"email": email}
    conn.close()
    summary = _demo_summary(built.map_path, tmp_path / "sqlite-out", requests)
    assert summary["showcase by email"]["counts"], "the showcase person has rows"
    assert summary["shared phone alone"]["counts"] == {}
    assert summary["shared phone alone"]["ambiguous"]
    return requests, summary


DemoExpected = tuple[dict[str, dict[str, str]], dict[str, Any]]


def test_demo_company_same_on_postgresql(
    demo_expected: DemoExpected, pg_url: str, tmp_path: Path
) -> None:
    from skydd.demo import build_demo

    requests, expected = demo_expected
    built = build_demo("axsensor", tmp_path / "pg-demo", people=DEMO_PEOPLE, postgres=pg_url)
    assert _demo_summary(built.map_path, tmp_path / "pg-out", requests) == expected


def test_demo_company_same_on_mariadb(
    demo_expected: DemoExpected, mysql_url: str, tmp_path: Path
) -> None:
    from skydd.demo import build_demo, example_map
    from skydd.demo.build import server_targets

    url = sa.make_url(mysql_url)
    systems = list(yaml.safe_load(example_map("axsensor").read_text(encoding="utf-8"))["systems"])
    try:
        built = build_demo("axsensor", tmp_path / "my-demo", people=DEMO_PEOPLE, mysql=mysql_url)
        requests, expected = demo_expected
        assert _demo_summary(built.map_path, tmp_path / "my-out", requests) == expected
    finally:
        # On MariaDB each system is a database of its own beside the fixture's: drop them.
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            for database in server_targets(url, systems).values():
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{database}`"))
        engine.dispose()
