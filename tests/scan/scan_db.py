"""A small company database with known contents, on SQLite or a server, and its map.

What is planted, so that every finding is known in advance:
- shop.customers.notes (declared free text): phone numbers (info) and, in one row, a
  personnummer (high: a national identity number in free text);
- shop.customers.ref (declared user.unique_id): mostly personnummer (medium: mismatch);
- shop.customers.legacy_card (not in the map): card numbers, which the policy says are
  never stored (critical);
- shop.customers.email: what it declares (no finding);
- shop.old_contacts (a table the map does not name): emails (high: undeclared).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from skydd.identity import luhn_ok

ROWS = 60
CARD = "4111 1111 1111 1111"


def pnr(i: int) -> str:
    body = f"8{i % 10}0{1 + i % 9}{10 + i % 18:02d}{100 + i:03d}"[:9]
    check = next(d for d in "0123456789" if luhn_ok(body + d))
    return f"{body[:6]}-{body[6:]}{check}"


def build(url: str, rows: int = ROWS) -> None:
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    customers = sa.Table(
        "customers",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("email", sa.String(200)),
        sa.Column("ref", sa.String(20)),
        sa.Column("notes", sa.Text),
        sa.Column("legacy_card", sa.String(30)),
        sa.Column("created", sa.Date),
    )
    old = sa.Table(
        "old_contacts",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("contact", sa.String(200)),
    )
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            customers.insert(),
            [
                {
                    "id": i,
                    "email": f"kund{i}@example.se",
                    "ref": pnr(i) if i % 4 else f"K-{i:05d}",
                    "notes": (
                        f"Ring på 070-{100 + i:03d} 45 67"
                        if i % 3 == 0
                        else (f"pnr {pnr(i)}" if i == 1 else "Kunden nöjd.")
                    ),
                    "legacy_card": CARD if i % 10 == 0 else None,
                    "created": None,
                }
                for i in range(rows)
            ],
        )
        conn.execute(
            old.insert(), [{"id": i, "contact": f"gammal{i}@example.dk"} for i in range(rows)]
        )
    engine.dispose()


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
          ref: {{category: user.unique_id}}
          notes: {{category: user.content.private, free_text: true}}
          created: {{category: system.operations}}
policy:
  never_stored: [user.financial.credit_card]
"""


def write_map(directory: Path, url: str) -> Path:
    path = directory / "privacy.yaml"
    path.write_text(MAP.format(url=url), encoding="utf-8")
    return path


def sqlite_company(directory: Path, rows: int = ROWS) -> Path:
    """Build the database as a SQLite file in `directory`; the map's path."""
    db = directory / "shop.db"
    build(f"sqlite:///{db}", rows)
    return write_map(directory, "sqlite:///shop.db")
