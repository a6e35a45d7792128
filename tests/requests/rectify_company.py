"""A company for rectification: the same email in a CRM and an ERP, built on any database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

ANNA = {"email": "anna.svensson@example.se"}
NEW_EMAIL = "anna.berg@example.se"

MAP: dict[str, Any] = {
    "version": 1,
    "controller": {"name": "Exempel AB", "country": "SE", "email": "privacy@exempel.se"},
    "subjects": {"customer": {"labels": {"sv": "Kund", "en": "Customer", "da": "Kunde"}}},
    "purposes": {
        "orders": {
            "labels": {"sv": "Leverera beställningar", "en": "Deliver orders",
                       "da": "Levere ordrer"},
            "legal_basis": "contract",
        }
    },
    "systems": {
        "crm": {"url": "", "tables": {"contacts": {
            "subjects": ["customer"], "purposes": ["orders"], "primary_key": "id",
            "columns": {
                "id": {"category": "system.operations"},
                "email": {"category": "user.contact.email", "identity": "email"},
                "phone": {"category": "user.contact.phone_number", "identity": "phone"},
                "name": {"category": "user.name", "type": "text"},
                "born": {"category": "user.demographic.date_of_birth", "type": "date"},
            },
        }}},
        "erp": {"url": "", "tables": {"customers": {
            "subjects": ["customer"], "purposes": ["orders"], "primary_key": "id",
            "columns": {
                "id": {"category": "system.operations"},
                "email": {"category": "user.contact.email", "identity": "email"},
                "personnummer": {"category": "user.government_id.national_identification_number",
                                 "identity": "personnummer",
                                 "justification": "Kreditprövning"},
                "credit_limit": {"category": "user.financial", "type": "integer"},
            },
        }}},
    },
    "retention": {"rules": {"all": {"tables": ["crm.contacts", "erp.customers"],
                                     "criterion": "While the customer relationship lasts"}}},
    "recipients": {
        "mailchimp": {"name": "Mailchimp", "kind": "processor", "country": "US",
                      "categories": ["user.contact.email"],
                      "notify": "mailto:privacy@mailchimp.example"},
        "credit_bureau": {"name": "UC AB", "kind": "controller", "country": "SE",
                          "categories": ["user.government_id"]},
    },
}  # fmt: skip

ROWS: dict[str, list[dict[str, Any]]] = {
    "contacts": [
        {"id": 1, "email": "anna.svensson@example.se", "phone": "070-123 45 67",
         "name": "Anna Svensson", "born": dt.date(1981, 12, 18)},
        {"id": 2, "email": "bo.berg@example.se", "phone": "+46707654321",
         "name": "Bo Berg", "born": dt.date(1912, 12, 12)},
    ],
    "customers": [
        {"id": 10, "email": "Anna.Svensson@Example.se", "personnummer": "19811218-9876",
         "credit_limit": 5000},
        {"id": 11, "email": "bo.berg@example.se", "personnummer": "19121212-1212",
         "credit_limit": 100},
    ],
}  # fmt: skip


def tables(system: str, schema: str | None) -> sa.MetaData:
    md = sa.MetaData(schema=schema)
    if system == "crm":
        sa.Table(
            "contacts", md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("email", sa.String(200), index=True),
            sa.Column("phone", sa.String(40), index=True),
            sa.Column("name", sa.String(100)),
            sa.Column("born", sa.Date),
        )  # fmt: skip
    else:
        sa.Table(
            "customers", md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("email", sa.String(200), index=True),
            sa.Column("personnummer", sa.String(20), index=True),
            sa.Column("credit_limit", sa.Integer),
        )  # fmt: skip
    return md


def build(directory: Path, urls: dict[str, str], schemas: bool = False) -> Path:
    """Create and fill both systems at `urls`; write the map; return its path."""
    raw = yaml.safe_load(yaml.safe_dump(MAP))
    for system in ("crm", "erp"):
        schema = system if schemas else None
        engine = sa.create_engine(urls[system])
        try:
            with engine.begin() as conn:
                if schema:
                    conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
                md = tables(system, schema)
                md.create_all(conn)
                for table in md.sorted_tables:
                    conn.execute(table.insert(), ROWS[table.name])
        finally:
            engine.dispose()
        raw["systems"][system]["url"] = urls[system]
        if schema:
            raw["systems"][system]["schema"] = schema
    path = directory / "privacy.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def dump(urls: dict[str, str], schemas: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for system in ("crm", "erp"):
        engine = sa.create_engine(urls[system])
        try:
            with engine.connect() as conn:
                for table in tables(system, system if schemas else None).sorted_tables:
                    rows = conn.execute(sa.select(table).order_by(*table.primary_key)).all()
                    out[table.name] = [
                        tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r)
                        for r in rows
                    ]
        finally:
            engine.dispose()
    return out


def scenario(path: Path, urls: dict[str, str], store: Any, schemas: bool = False) -> None:
    """The same email in two systems is rectified in both; audit holds hashes only."""
    import json

    from skydd.outbox import list_items
    from skydd.requests.rectify import rectify

    before = dump(urls, schemas)
    result = rectify(
        path, ANNA, {"crm.contacts.email": NEW_EMAIL, "crm.contacts.born": "1981-12-19"},
        store=store,
    )  # fmt: skip
    assert result.changed == {
        "crm.contacts.born": 1,
        "crm.contacts.email": 1,
        "erp.customers.email": 1,  # the same old address, written differently, in the ERP
    }
    after = dump(urls, schemas)
    assert after["contacts"][0][1] == NEW_EMAIL and after["contacts"][0][4] == "1981-12-19"
    assert after["customers"][0][1] == NEW_EMAIL
    # Nobody else's row changed, nor any other column of Anna's.
    assert after["contacts"][1:] == before["contacts"][1:]
    assert after["customers"][1:] == before["customers"][1:]
    assert after["contacts"][0][2:4] == before["contacts"][0][2:4]
    assert after["customers"][0][2:] == before["customers"][0][2:]
    # Audit: hashes, never the values.
    records = list(store.audit.records())
    [applied] = [r for r in records if r.kind == "rectification-applied"]
    text = json.dumps([r.payload for r in records]).lower()
    for secret in ("anna.svensson", "anna.berg", "1981-12-1", "example.se"):
        assert secret not in text
    columns = applied.payload["columns"]
    assert columns["erp.customers.email"]["rows"] == 1
    assert len(columns["crm.contacts.email"]["new"]) == 64
    # The same old address hashes alike in both systems' canonical form, per column.
    assert columns["crm.contacts.email"]["old"] != columns["erp.customers.email"]["old"]
    [recorded] = [r for r in records if r.kind == "request-recorded"]
    assert recorded.payload["request_type"] == "rectification"
    assert recorded.payload["status"] == "done"
    # Art. 19: Mailchimp received email addresses and is told; UC never received them.
    assert [n["recipient"] for n in result.notified] == ["mailchimp"]
    [item] = list_items(store, request_id=result.request_id)
    assert item.status == "pending" and item.tables == ["crm.contacts", "erp.customers"]
    # A rerun changes nothing: the old address is gone everywhere.
    again = rectify(path, {"email": NEW_EMAIL}, {"crm.contacts.email": NEW_EMAIL}, store=store)
    assert again.changed == {}
