"""A small shop's database, built the same way on SQLite, PostgreSQL and MariaDB.

It has what reflection must get right: single and composite foreign keys, a
self-reference, ON DELETE CASCADE and SET NULL, chains across tables (order
line → order → customer → company), columns named in Swedish, and columns
whose names say nothing but whose values are emails or personnummer. The
introspection tests on every backend load it from here.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
fk = sa.ForeignKey

companies = sa.Table(
    "companies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200)),
    sa.Column("orgnr", sa.String(20)),
)
customers = sa.Table(
    "customers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kundnummer", sa.String(20), unique=True),
    sa.Column("fornamn", sa.String(100)),
    sa.Column("efternamn", sa.String(100)),
    sa.Column("e_post", sa.String(200)),
    sa.Column("telefon", sa.String(40)),
    sa.Column("personnummer", sa.String(13)),
    sa.Column("contact", sa.String(200)),  # values are emails
    sa.Column("ident", sa.String(13)),  # values are personnummer
    sa.Column("notes", sa.Text),
    sa.Column("company_id", sa.Integer, fk("companies.id", ondelete="SET NULL")),
    sa.Column("created_at", sa.DateTime),
)
employees = sa.Table(
    "employees",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("namn", sa.String(200)),
    sa.Column("email", sa.String(200)),
    sa.Column("manager_id", sa.Integer, fk("employees.id", ondelete="SET NULL")),
)
orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.Integer, fk("customers.id", ondelete="CASCADE"), nullable=False),
    sa.Column("handled_by", sa.Integer, fk("employees.id")),
    sa.Column("total", sa.Numeric(10, 2)),
)
shipments = sa.Table(
    "shipments",
    metadata,
    sa.Column("order_id", sa.Integer, fk("orders.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("shipment_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("carrier", sa.String(50)),
)
shipment_events = sa.Table(
    "shipment_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("order_id", sa.Integer, nullable=False),
    sa.Column("shipment_no", sa.Integer, nullable=False),
    sa.Column("happened_at", sa.DateTime),
    sa.Column("status", sa.String(40)),
    sa.ForeignKeyConstraint(
        ["order_id", "shipment_no"],
        ["shipments.order_id", "shipments.shipment_no"],
        ondelete="CASCADE",
    ),
)
products = sa.Table(
    "products",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200)),
    sa.Column("price", sa.Numeric(10, 2)),
)
order_lines = sa.Table(
    "order_lines",
    metadata,
    sa.Column("order_id", sa.Integer, fk("orders.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("product_id", sa.Integer, fk("products.id")),
    sa.Column("quantity", sa.Integer),
)

# (table, columns, to, on_delete): every foreign key above, as the data map writes it.
REFERENCES = {
    ("customers", ("company_id",), "companies.id", "set_null"),
    ("employees", ("manager_id",), "employees.id", "set_null"),
    ("orders", ("customer_id",), "customers.id", "cascade"),
    ("orders", ("handled_by",), "employees.id", "restrict"),
    ("shipments", ("order_id",), "orders.id", "cascade"),
    ("shipment_events", ("order_id", "shipment_no"), "shipments(order_id, shipment_no)", "cascade"),
    ("order_lines", ("order_id",), "orders.id", "cascade"),
    ("order_lines", ("product_id",), "products.id", "restrict"),
}

# Valid personnummer (Luhn check digit, real dates), as shops store them.
PERSONNUMMER = ["19121212-1212", "198001011231", "19900101-1239", "20010203-1234"]


def build(engine: sa.Engine) -> None:
    """Create the tables and a few rows, so that sampling has values to look at."""
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(companies.insert(), [{"id": 1, "name": "Exempel AB", "orgnr": "556677-8899"}])
        conn.execute(
            customers.insert(),
            [
                {
                    "id": i + 1,
                    "kundnummer": f"K{i + 1:04d}",
                    "fornamn": "Anna",
                    "efternamn": "Berg",
                    "e_post": f"anna{i}@example.se",
                    "telefon": "070-123 45 6" + str(i),
                    "personnummer": pnr,
                    "contact": f"Anna.Berg{i}@Example.se",
                    "ident": pnr,
                    "notes": "ringer efter lunch",
                    "company_id": 1 if i % 2 else None,
                }
                for i, pnr in enumerate(PERSONNUMMER)
            ],
        )
        conn.execute(
            employees.insert(),
            [
                {"id": 1, "namn": "Chef Chefsson", "email": "chef@exempel.se", "manager_id": None},
                {"id": 2, "namn": "Sam Säljare", "email": "sam@exempel.se", "manager_id": 1},
            ],
        )
        conn.execute(products.insert(), [{"id": 1, "name": "Kaffe", "price": 49}])
        conn.execute(orders.insert(), [{"id": 1, "customer_id": 1, "handled_by": 2, "total": 49}])
        conn.execute(shipments.insert(), [{"order_id": 1, "shipment_no": 1, "carrier": "PN"}])
        conn.execute(
            shipment_events.insert(),
            [
                {"id": 1, "order_id": 1, "shipment_no": 1, "status": "sent"},
            ],
        )
        conn.execute(
            order_lines.insert(),
            [
                {"order_id": 1, "line_no": 1, "product_id": 1, "quantity": 1},
            ],
        )
