"""`skydd scan` on PostgreSQL and MariaDB: each server's sampling SQL runs and finds what
is there (TABLESAMPLE and its fallback on PostgreSQL, key windows and RAND() on MariaDB)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from skydd.datamap.loader import load_map
from skydd.scan import sampling
from skydd.scan.runner import scan_map

pytestmark = pytest.mark.integration

ROWS = 25_000
CARD = "4111 1111 1111 1111"
MAP = """\
version: 1
controller:
  name: Exempel AB
  org_number: 556677-8899
  address: Storgatan 1, 111 22 Stockholm
  email: privacy@exempel.se
  country: SE
subjects:
  customer: {{labels: {{sv: Kund, en: Customer, da: Kunde}}}}
purposes:
  orders:
    labels: {{sv: Leverera beställningar, en: Deliver orders, da: Levere ordrer}}
    legal_basis: contract
systems:
  shop:
    url: {url}
    tables:
      customers:
        subjects: [customer]
        purposes: [orders]
        primary_key: id
        columns:
          id: {{category: system.operations}}
          email: {{category: user.contact.email, identity: email}}
policy:
  never_stored: [user.financial.credit_card]
"""


def _build(url: str, tmp_path: Path) -> Path:
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    customers = sa.Table(
        "customers",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("email", sa.String(200)),
        sa.Column("note", sa.String(200)),
    )
    tags = sa.Table("tags", meta, sa.Column("code", sa.String(20), primary_key=True))
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            customers.insert(),
            [
                {"id": i, "email": f"kund{i}@example.se", "note": f"kort {CARD}" if i % 2 else "ok"}
                for i in range(ROWS)
            ],
        )
        conn.execute(tags.insert(), [{"code": f"T{i:04d}"} for i in range(300)])
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ANALYZE customers"))
    engine.dispose()
    path = tmp_path / "privacy.yaml"
    path.write_text(MAP.format(url=url), encoding="utf-8")
    return path


def _scan(path: Path) -> dict[str, object]:
    report = scan_map(load_map(path), sample=500, seed=1)
    found = {(f.table, f.column, f.detector): f for f in report.findings}
    card = found[("shop.customers", "note", "card_number")]
    assert card.severity == "critical" and 100 <= card.matches <= 500
    assert CARD not in str(report.as_dict())
    assert report.values >= 1000
    return report.sampling  # type: ignore[return-value]


def test_postgres_tablesample_and_its_fallback(pg_url: str, tmp_path: Path) -> None:
    path = _build(pg_url, tmp_path)
    assert _scan(path)["shop.customers"] == "tablesample"
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        # The planner still counts 25,000 rows: random pages now hold almost nothing,
        # so the scan falls back to key windows and still finds what is left.
        conn.execute(sa.text("DELETE FROM customers WHERE id % 50 <> 1"))
    engine.dispose()
    assert _scan(path)["shop.customers"] == "key-windows"


def test_mariadb_key_windows_and_random_order(mysql_url: str, tmp_path: Path) -> None:
    path = _build(mysql_url, tmp_path)
    assert _scan(path)["shop.customers"] == "key-windows"
    engine = sa.create_engine(mysql_url)
    tags = sa.Table("tags", sa.MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        rows, how = sampling.sample_rows(conn, tags, ["code"], 10, random.Random(1))
    engine.dispose()
    assert how == "random" and len(rows) == 10 and len(set(rows)) == 10
