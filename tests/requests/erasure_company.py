"""The small company of conftest.py grown for erasure: three databases, every action.

crm: companies (shared), contacts (Bo's manager is Anna), notes (deleted with the
contact), visits (anonymised), newsletter (another table with an email column);
support: tickets found by phone (deleted); erp: invoices held for bookkeeping and
flagged in a `blocked` column.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import yaml

MAPS = Path(__file__).parent.parent / "datamap" / "maps"

CRM_SCHEMA = """
create table companies (id integer primary key, name text);
create table contacts (
  id integer primary key, email text, phone text, company_id integer references companies(id),
  manager_id integer references contacts(id), last_contact date);
create index contacts_email on contacts(email);
create index contacts_phone on contacts(phone);
create table notes (id integer primary key, contact_id integer references contacts(id),
  body text);
create table visits (id integer primary key, contact_id integer references contacts(id),
  ip text, page text);
create table newsletter (id integer primary key, email text, subscribed date);
"""
CRM = (
    CRM_SCHEMA
    + """
insert into companies values (1, 'Exempel Verkstad AB'), (2, 'Annat AB');
insert into contacts values
  (1, 'anna.svensson@example.se', '070-123 45 67', 1, null, '2025-05-01'),
  (2, 'bo.berg@example.se', '+46 70 765 43 21', 1, 1, '2024-01-10'),
  (3, 'Cecilia.Dahl@Example.se', '0046709998877', 2, null, '2019-03-03'),
  (4, 'dan@example.se', '+46709998877', 2, null, '2020-01-01');
insert into notes values (1, 1, 'Ringde om offert, nås på 070-123 45 67'),
  (2, 1, 'Vill ha katalog'), (3, 2, 'Bo tar över kontot');
insert into visits values (1, 1, '192.0.2.10', '/produkter'), (2, 1, '192.0.2.10', '/kontakt'),
  (3, 2, '198.51.100.7', '/produkter');
insert into newsletter values (1, 'bo.berg@example.se', '2024-02-02');
"""
)
SUPPORT_SCHEMA = """
create table tickets (id integer primary key, phone text, subject text, opened date);
"""
SUPPORT = (
    SUPPORT_SCHEMA
    + """
insert into tickets values (100, '+46701234567', 'Routern', '2025-02-01'),
  (101, '0707654321', 'Fakturan', '2024-02-02'), (103, '0701112233', 'Adress', '2023-04-04');
"""
)
ERP_SCHEMA = """
create table invoices (id integer primary key, contact_id integer, amount numeric,
  fiscal_year_end date, blocked boolean not null default 0);
"""
ERP = (
    ERP_SCHEMA
    + """
insert into invoices (id, contact_id, amount, fiscal_year_end) values (10, 1, 1200, '2024-12-31'),
  (11, 1, 900, '2025-12-31'), (12, 2, 50, '2025-12-31'), (13, 3, 75, '2019-12-31');
"""
)
SCRIPTS = {"crm": CRM, "support": SUPPORT, "erp": ERP}
SCHEMAS = {"crm": CRM_SCHEMA, "support": SUPPORT_SCHEMA, "erp": ERP_SCHEMA}

ANNA = {"email": "anna.svensson@example.se"}


def _map(directory: Path) -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load((MAPS / "small.yaml").read_text(encoding="utf-8"))
    crm = raw["systems"]["crm"]["tables"]
    crm["notes"] = {
        "subjects": ["customer"],
        "purposes": ["orders"],
        "primary_key": "id",
        "columns": {
            "id": {"category": "system.operations"},
            "contact_id": {"category": "user.unique_id"},
            "body": {"category": "user.content", "free_text": True},
        },
        "references": [{"column": "contact_id", "to": "contacts.id", "on_delete": "cascade"}],
    }
    crm["visits"] = {
        "subjects": ["customer"],
        "purposes": ["orders"],
        "primary_key": "id",
        "columns": {
            "id": {"category": "system.operations"},
            "contact_id": {"category": "user.unique_id"},
            "ip": {"category": "user.device.ip_address", "anonymise": "hash"},
            "page": {"category": "system.operations"},
        },
        "references": [{"column": "contact_id", "to": "contacts.id"}],
        "erasure": {"action": "anonymise"},
    }
    crm["newsletter"] = {
        "subjects": ["customer"],
        "purposes": ["orders"],
        "primary_key": "id",
        "columns": {
            "id": {"category": "system.operations"},
            "email": {"category": "user.contact.email", "identity": "email"},
            "subscribed": {"category": "system.operations"},
        },
    }
    raw["systems"]["support"] = {
        "url": "sqlite:///support.db",
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
    invoices = raw["systems"]["erp"]["tables"]["invoices"]
    invoices["columns"]["blocked"] = {"category": "system.operations", "type": "boolean"}
    invoices["erasure"] = {"action": "hold", "hold": "bookkeeping", "flag_column": "blocked"}
    rules = raw["retention"]["rules"]
    for name, tables in (
        ("crm_extra", ["crm.notes", "crm.visits", "crm.newsletter"]),
        ("tickets", ["support.tickets"]),
    ):
        rules[name] = {"tables": tables, "criterion": "While the customer relationship lasts"}
    return raw  # fmt: skip


def build(directory: Path, raw: dict[str, Any] | None = None) -> Path:
    """Write the three databases and the map into `directory`; return the map's path."""
    for name, script in SCRIPTS.items():
        with sqlite3.connect(directory / f"{name}.db") as conn:
            conn.executescript(script)
        conn.close()
    path = directory / "privacy.yaml"
    text = yaml.safe_dump(raw or _map(directory), allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def raw_map(directory: Path) -> dict[str, Any]:
    return _map(directory)


def dump(directory: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the three databases, sorted."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for name in SCRIPTS:
        conn = sqlite3.connect(directory / f"{name}.db")
        try:
            tables = [
                r[0] for r in conn.execute("select name from sqlite_master where type='table'")
            ]
            for t in tables:
                out[f"{name}.{t}"] = sorted(conn.execute(f"select * from {t}").fetchall())
        finally:
            conn.close()
    return out


def execute(directory: Path, system: str, sql: str, *params: Any) -> None:
    conn = sqlite3.connect(directory / f"{system}.db")
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()
