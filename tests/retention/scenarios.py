"""Purpose-built small companies, each showing one retention feature.

Each scenario is a data map (systems and retention in YAML), its rows, and the
expected plan on dates on both sides of its boundaries. They run on SQLite in
tests/retention and on PostgreSQL and MariaDB in tests/integration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from retention_db import Rows

D = date
T = datetime


@dataclass(frozen=True)
class Scenario:
    name: str
    systems: dict[str, str]
    retention: str
    rows: dict[str, Rows]
    # as_of -> {"rule:table": due} (entries not listed are 0)
    expected: dict[date, dict[str, int]]
    run_on: date  # the date the run tests use
    # after running on `run_on`: "system.table" -> the ids left
    left: dict[str, list[int]]
    held: dict[str, int] = field(default_factory=dict)  # on run_on: "rule:table" -> held
    held_by: dict[str, dict[str, int]] = field(default_factory=dict)
    extra: str = ""


# -- one column of the table (AX-6: web server logs kept six months) -----------------------

WEB_LOGS = Scenario(
    name="web_logs",
    systems={
        "web": """
        access_log:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            requested_at: {category: user.behavior.browsing_history, type: timestamp}
            client_ip: {category: user.device.ip_address, type: text, identity: ip}
        """
    },
    retention="""
    rules:
      web_logs:
        tables: [web.access_log]
        anchor: requested_at
        period: 6 months
    """,
    rows={
        "web": {
            "access_log": [
                {"id": 1, "requested_at": T(2025, 1, 31, 23, 59, 59), "client_ip": "192.0.2.1"},
                {"id": 2, "requested_at": T(2025, 2, 28, 12, 0), "client_ip": "192.0.2.2"},
                # 31 March + 6 months = 30 September (clamped)
                {"id": 3, "requested_at": T(2025, 3, 31, 8, 0), "client_ip": "192.0.2.3"},
                {"id": 4, "requested_at": None, "client_ip": "192.0.2.4"},  # never due
                {"id": 5, "requested_at": T(2025, 8, 31, 0, 0), "client_ip": "192.0.2.5"},
            ]
        }
    },
    expected={
        D(2025, 7, 30): {},
        D(2025, 7, 31): {"web_logs:web.access_log": 1},
        D(2025, 8, 27): {"web_logs:web.access_log": 1},
        D(2025, 8, 28): {"web_logs:web.access_log": 2},
        D(2025, 9, 29): {"web_logs:web.access_log": 2},
        D(2025, 9, 30): {"web_logs:web.access_log": 3},
        D(2026, 2, 27): {"web_logs:web.access_log": 3},
        D(2026, 2, 28): {"web_logs:web.access_log": 4},
    },
    run_on=D(2025, 9, 30),
    left={"web.access_log": [4, 5]},
)

# -- the anchor two references away (AX-1: order data, 7 years, end of that year) ---------

ORDERS = Scenario(
    name="orders",
    systems={
        "erp": """
        contacts:
          primary_key: id
          columns:
            id: {category: user.unique_id, type: integer, identity: customer_number}
            email: {category: user.contact.email, type: text, identity: email}
            last_contact: {category: system.operations, type: date}
        orders:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            contact_id: {category: user.unique_id, type: integer}
            ordered_at: {category: system.operations, type: timestamp}
            ip_address: {category: user.device.ip_address, type: text}
          references:
            - {column: contact_id, to: contacts.id, on_delete: cascade}
        order_lines:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            order_id: {category: system.operations, type: integer}
            product: {category: user.behavior.purchase_history, type: text}
          references:
            - {column: order_id, to: orders.id, on_delete: cascade}
        """
    },
    retention="""
    rules:
      order_data:
        tables: [erp.contacts, erp.orders, erp.order_lines]
        anchor: contacts.last_contact
        period: 7 years
        align: end_of_year
        promise: AX-1
    """,
    rows={
        "erp": {
            "contacts": [
                {"id": 1, "email": "a@example.se", "last_contact": D(2018, 12, 31)},
                {"id": 2, "email": "b@example.se", "last_contact": D(2019, 1, 1)},
                {"id": 3, "email": "c@example.se", "last_contact": None},
                {"id": 4, "email": "d@example.se", "last_contact": D(2018, 3, 15)},
            ],
            "orders": [
                {"id": 10, "contact_id": 1, "ordered_at": T(2018, 1, 2, 10), "ip_address": "x"},
                {"id": 11, "contact_id": 1, "ordered_at": T(2018, 12, 30, 9), "ip_address": "x"},
                {"id": 20, "contact_id": 2, "ordered_at": T(2018, 12, 31, 9), "ip_address": "y"},
                {"id": 30, "contact_id": 3, "ordered_at": T(2010, 1, 1, 9), "ip_address": "z"},
                {"id": 40, "contact_id": 4, "ordered_at": T(2017, 6, 1, 9), "ip_address": "w"},
            ],
            "order_lines": [
                {"id": 100, "order_id": 10, "product": "AX-100"},
                {"id": 101, "order_id": 10, "product": "AX-200"},
                {"id": 110, "order_id": 11, "product": "AX-100"},
                {"id": 200, "order_id": 20, "product": "AX-300"},
                {"id": 300, "order_id": 30, "product": "AX-300"},
                {"id": 400, "order_id": 40, "product": "AX-100"},
                {"id": 401, "order_id": 40, "product": "AX-200"},
                {"id": 402, "order_id": 40, "product": "AX-300"},
            ],
        }
    },
    expected={
        D(2025, 12, 31): {},
        D(2026, 1, 1): {
            "order_data:erp.contacts": 2,
            "order_data:erp.orders": 3,
            "order_data:erp.order_lines": 6,
        },
        D(2026, 12, 31): {
            "order_data:erp.contacts": 2,
            "order_data:erp.orders": 3,
            "order_data:erp.order_lines": 6,
        },
        D(2027, 1, 1): {
            "order_data:erp.contacts": 3,
            "order_data:erp.orders": 4,
            "order_data:erp.order_lines": 7,
        },
    },
    run_on=D(2026, 1, 1),
    left={"erp.contacts": [2, 3], "erp.orders": [20, 30], "erp.order_lines": [200, 300]},
)

# -- the latest activity, in the contact and in a linked table (AX-4) ----------------------

CRM = Scenario(
    name="crm",
    systems={
        "crm": """
        contacts:
          primary_key: id
          columns:
            id: {category: user.unique_id, type: integer}
            email: {category: user.contact.email, type: text, identity: email}
            last_contact: {category: system.operations, type: date}
        activities:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            contact_id: {category: user.unique_id, type: integer}
            occurred_at: {category: system.operations, type: timestamp}
            notes: {category: user.content.private, type: text, free_text: true}
          references:
            - {column: contact_id, to: contacts.id, on_delete: cascade}
        """
    },
    retention="""
    rules:
      crm_contacts:
        tables: [crm.contacts, crm.activities]
        anchor:
          latest_of: [crm.contacts.last_contact, crm.activities.occurred_at]
        period: 7 years
        promise: AX-4
    """,
    rows={
        "crm": {
            "contacts": [
                {"id": 1, "email": "a@x.se", "last_contact": D(2018, 5, 1)},  # 2018-06-01
                {"id": 2, "email": "b@x.se", "last_contact": D(2018, 5, 1)},  # 2020-01-01
                {"id": 3, "email": "c@x.se", "last_contact": None},  # 2018-01-10
                {"id": 4, "email": "d@x.se", "last_contact": None},  # nothing: never
                {"id": 5, "email": "e@x.se", "last_contact": D(2017, 1, 1)},  # no activity
                {"id": 6, "email": "f@x.se", "last_contact": D(2018, 5, 1)},  # undated activity
            ],
            "activities": [
                {"id": 10, "contact_id": 1, "occurred_at": T(2018, 6, 1, 15), "notes": "call"},
                {"id": 11, "contact_id": 1, "occurred_at": T(2016, 1, 1, 9), "notes": "mail"},
                {"id": 20, "contact_id": 2, "occurred_at": T(2020, 1, 1, 9), "notes": "visit"},
                {"id": 21, "contact_id": 2, "occurred_at": T(2015, 1, 1, 9), "notes": "old"},
                {"id": 30, "contact_id": 3, "occurred_at": T(2018, 1, 10, 9), "notes": "call"},
                {"id": 60, "contact_id": 6, "occurred_at": None, "notes": "undated"},
            ],
        }
    },
    expected={
        D(2024, 1, 1): {"crm_contacts:crm.contacts": 1},
        D(2025, 1, 9): {"crm_contacts:crm.contacts": 1},
        D(2025, 1, 10): {"crm_contacts:crm.contacts": 2, "crm_contacts:crm.activities": 1},
        D(2025, 4, 30): {"crm_contacts:crm.contacts": 2, "crm_contacts:crm.activities": 1},
        D(2025, 5, 1): {"crm_contacts:crm.contacts": 3, "crm_contacts:crm.activities": 2},
        D(2025, 5, 31): {"crm_contacts:crm.contacts": 3, "crm_contacts:crm.activities": 2},
        D(2025, 6, 1): {"crm_contacts:crm.contacts": 4, "crm_contacts:crm.activities": 4},
        D(2027, 1, 1): {"crm_contacts:crm.contacts": 5, "crm_contacts:crm.activities": 6},
    },
    run_on=D(2025, 6, 1),
    left={"crm.contacts": [2, 4], "crm.activities": [20, 21]},
)

# -- a condition on the row (AS-6: F24_autoID after 6 months unless linked to a person) ----

VISITORS = Scenario(
    name="visitors",
    systems={
        "web": """
        visitors:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            auto_id: {category: user.device.cookie_id, type: text}
            person_id: {category: user.unique_id, type: integer}
            first_seen: {category: system.operations, type: timestamp}
        """
    },
    retention="""
    rules:
      f24_auto_id:
        tables: [web.visitors]
        anchor: first_seen
        period: 6 months
        where:
          - {column: person_id, op: is_null}
        promise: AS-6
    """,
    rows={
        "web": {
            "visitors": [
                {"id": 1, "auto_id": "a1", "person_id": None, "first_seen": T(2025, 1, 1, 8)},
                {"id": 2, "auto_id": "a2", "person_id": 7, "first_seen": T(2025, 1, 1, 8)},
                {"id": 3, "auto_id": "a3", "person_id": None, "first_seen": T(2025, 6, 15, 8)},
                {"id": 4, "auto_id": "a4", "person_id": 8, "first_seen": T(2020, 1, 1, 8)},
            ]
        }
    },
    expected={
        D(2025, 6, 30): {},
        D(2025, 7, 1): {"f24_auto_id:web.visitors": 1},
        D(2025, 12, 14): {"f24_auto_id:web.visitors": 1},
        D(2025, 12, 15): {"f24_auto_id:web.visitors": 2},
        D(2040, 1, 1): {"f24_auto_id:web.visitors": 2},
    },
    run_on=D(2025, 7, 1),
    left={"web.visitors": [2, 3, 4]},
)

# -- holds: bookkeeping (SE-1) wins; parents wait for the rows that reference them ---------

HOLDS = Scenario(
    name="holds",
    systems={
        "erp": """
        contacts:
          primary_key: id
          columns:
            id: {category: user.unique_id, type: integer}
            email: {category: user.contact.email, type: text, identity: email}
            last_contact: {category: system.operations, type: date}
        orders:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            contact_id: {category: user.unique_id, type: integer}
            ordered_at: {category: system.operations, type: date}
          references:
            - {column: contact_id, to: contacts.id}
        tickets:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            contact_id: {category: user.unique_id, type: integer}
            opened: {category: system.operations, type: date}
          references:
            - {column: contact_id, to: contacts.id}
        invoices:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            contact_id: {category: user.unique_id, type: integer}
            invoice_date: {category: system.operations, type: date}
            fiscal_year_end: {category: system.operations, type: date}
          references:
            - {column: contact_id, to: contacts.id}
        """
    },
    retention="""
    rules:
      contacts:
        tables: [erp.contacts]
        anchor: last_contact
        period: 2 years
      orders:
        tables: [erp.orders]
        anchor: ordered_at
        period: 2 years
      invoices:
        tables: [erp.invoices]
        anchor: invoice_date
        period: 1 year
        holds: [bookkeeping]
    holds:
      bookkeeping:
        labels: {sv: Bokföringsskyldighet, en: Bookkeeping duty, da: Bogføringspligt}
        law: Bokföringslagen (1999:1078) 7 kap. 2 §
        tables: [erp.invoices]
        anchor: fiscal_year_end
        period: 7 years
        align: end_of_year
    """,
    rows={
        "erp": {
            "contacts": [
                {"id": i, "email": f"{i}@x.se", "last_contact": D(2020, 1, 1)} for i in range(1, 7)
            ]
            + [
                {"id": 7, "email": "7@x.se", "last_contact": D(2029, 12, 1)},
                {"id": 8, "email": "8@x.se", "last_contact": D(2020, 1, 1)},
            ],
            "orders": [
                {"id": 20, "contact_id": 2, "ordered_at": D(2020, 1, 1)},  # due: goes first
                {"id": 30, "contact_id": 3, "ordered_at": D(2029, 1, 1)},  # stays: 3 waits
                {"id": 81, "contact_id": 8, "ordered_at": None},  # undated: stays, 8 waits
            ],
            "tickets": [{"id": 40, "contact_id": 4, "opened": D(2019, 1, 1)}],  # no rule
            "invoices": [
                # bookkeeping ended 2028-01-01: due, and contact 5 goes after it
                {
                    "id": 50,
                    "contact_id": 5,
                    "invoice_date": D(2020, 1, 1),
                    "fiscal_year_end": D(2020, 12, 31),
                },
                # fiscal year ending 30 June 2025: kept through 31 December 2032 (SE-1)
                {
                    "id": 60,
                    "contact_id": 6,
                    "invoice_date": D(2025, 3, 1),
                    "fiscal_year_end": D(2025, 6, 30),
                },
                {
                    "id": 70,
                    "contact_id": 7,
                    "invoice_date": D(2020, 1, 1),
                    "fiscal_year_end": D(2020, 12, 31),
                },
                {
                    "id": 80,
                    "contact_id": None,
                    "invoice_date": D(2025, 6, 30),
                    "fiscal_year_end": D(2025, 6, 30),
                },
                # no fiscal year: the hold cannot tell when it ends, so it keeps it
                {
                    "id": 90,
                    "contact_id": None,
                    "invoice_date": D(2020, 1, 1),
                    "fiscal_year_end": None,
                },
            ],
        }
    },  # fmt: skip
    expected={
        D(2030, 6, 1): {
            "contacts:erp.contacts": 3,
            "orders:erp.orders": 1,
            "invoices:erp.invoices": 2,
        },
        # order 30 and contact 7 are due by now; invoice 60 still holds contact 6
        D(2032, 12, 31): {
            "contacts:erp.contacts": 5,
            "orders:erp.orders": 2,
            "invoices:erp.invoices": 2,
        },
        # SE-1: the fiscal year that ended 30 June 2025 may go from 1 January 2033
        D(2033, 1, 1): {
            "contacts:erp.contacts": 6,
            "orders:erp.orders": 2,
            "invoices:erp.invoices": 4,
        },
    },
    run_on=D(2030, 6, 1),
    left={
        "erp.contacts": [3, 4, 6, 7, 8],
        "erp.orders": [30, 81],
        "erp.tickets": [40],
        "erp.invoices": [60, 80, 90],
    },
    held={"contacts:erp.contacts": 4, "invoices:erp.invoices": 3, "orders:erp.orders": 0},
    held_by={
        "contacts:erp.contacts": {
            "bookkeeping (erp.invoices)": 1,
            "references from erp.orders": 2,
            "references from erp.tickets": 1,
            "references from erp.invoices": 1,
        },
        "invoices:erp.invoices": {"bookkeeping": 3},
        "orders:erp.orders": {},
    },
)

# -- two rules on one table: a row due under both is counted (and deleted) once -----------

NEWSLETTER = Scenario(
    name="newsletter",
    systems={
        "newsletter": """
        subscribers:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            email: {category: user.contact.email, type: text, identity: email}
            subscribed_at: {category: system.operations, type: timestamp}
            last_opened_at: {category: user.behavior, type: timestamp}
            unsubscribed_at: {category: system.operations, type: timestamp}
        """
    },
    retention="""
    rules:
      inactive:
        tables: [newsletter.subscribers]
        anchor: {latest_of: [subscribed_at, last_opened_at]}
        period: 7 years
      unsubscribed:
        tables: [newsletter.subscribers]
        anchor: unsubscribed_at
        period: 1 month
    """,
    rows={
        "newsletter": {
            "subscribers": [
                # inactive and unsubscribed: counted under 'inactive' only
                {
                    "id": 1,
                    "email": "a@x.se",
                    "subscribed_at": T(2015, 1, 1),
                    "last_opened_at": T(2016, 1, 1),
                    "unsubscribed_at": T(2016, 2, 1),
                },
                # only inactive
                {
                    "id": 2,
                    "email": "b@x.se",
                    "subscribed_at": T(2015, 1, 1),
                    "last_opened_at": None,
                    "unsubscribed_at": None,
                },
                # only unsubscribed (31 Jan + 1 month = 28 Feb)
                {
                    "id": 3,
                    "email": "c@x.se",
                    "subscribed_at": T(2024, 1, 1),
                    "last_opened_at": T(2025, 1, 20),
                    "unsubscribed_at": T(2025, 1, 31, 10),
                },
                # neither
                {
                    "id": 4,
                    "email": "d@x.se",
                    "subscribed_at": T(2024, 1, 1),
                    "last_opened_at": None,
                    "unsubscribed_at": None,
                },
            ]
        }
    },  # fmt: skip
    expected={
        D(2025, 2, 27): {"inactive:newsletter.subscribers": 2},
        D(2025, 2, 28): {
            "inactive:newsletter.subscribers": 2,
            "unsubscribed:newsletter.subscribers": 1,
        },
    },
    run_on=D(2025, 2, 28),
    left={"newsletter.subscribers": [4]},
)

# -- keys of two columns, and a reference of two columns ----------------------------------

SHIPMENTS = Scenario(
    name="shipments",
    systems={
        "wms": """
        shipments:
          primary_key: [order_no, line_no]
          columns:
            order_no: {category: system.operations, type: text}
            line_no: {category: system.operations, type: integer}
            id: {category: system.operations, type: integer}
            recipient: {category: user.name, type: text}
            shipped: {category: system.operations, type: date}
        shipment_events:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            order_no: {category: system.operations, type: text}
            line_no: {category: system.operations, type: integer}
            status: {category: system.operations, type: text}
          references:
            - {columns: [order_no, line_no], to: "shipments(order_no, line_no)"}
        """
    },
    retention="""
    rules:
      shipping:
        tables: [wms.shipments, wms.shipment_events]
        anchor: shipments.shipped
        period: 1 year
        where:
          - {column: shipments.line_no, op: in, value: [1, 2, 3]}
    """,
    rows={
        "wms": {
            "shipments": [
                {
                    "order_no": "A",
                    "line_no": 1,
                    "id": 1,
                    "recipient": "Anna",
                    "shipped": D(2020, 1, 1),
                },
                {
                    "order_no": "A",
                    "line_no": 2,
                    "id": 2,
                    "recipient": "Anna",
                    "shipped": D(2024, 6, 1),
                },
                {
                    "order_no": "B",
                    "line_no": 1,
                    "id": 3,
                    "recipient": "Bo",
                    "shipped": D(2020, 5, 5),
                },
                {"order_no": "B", "line_no": 2, "id": 4, "recipient": "Bo", "shipped": None},
                {
                    "order_no": "C",
                    "line_no": 9,
                    "id": 5,
                    "recipient": "Cia",
                    "shipped": D(2020, 5, 5),
                },
            ],
            "shipment_events": [
                {"id": 1, "order_no": "A", "line_no": 1, "status": "sent"},
                {"id": 2, "order_no": "A", "line_no": 2, "status": "sent"},
                {"id": 3, "order_no": "B", "line_no": 1, "status": "sent"},
                {"id": 4, "order_no": "B", "line_no": 1, "status": "delivered"},
                # its shipment is outside the rule ('where'), so the event is too
                {"id": 5, "order_no": "C", "line_no": 9, "status": "sent"},
            ],
        }
    },  # fmt: skip
    expected={
        D(2021, 1, 1): {"shipping:wms.shipments": 1, "shipping:wms.shipment_events": 1},
        D(2021, 5, 4): {"shipping:wms.shipments": 1, "shipping:wms.shipment_events": 1},
        D(2021, 5, 5): {"shipping:wms.shipments": 2, "shipping:wms.shipment_events": 3},
        D(2025, 5, 31): {"shipping:wms.shipments": 2, "shipping:wms.shipment_events": 3},
        D(2025, 6, 1): {"shipping:wms.shipments": 3, "shipping:wms.shipment_events": 4},
    },
    run_on=D(2025, 1, 1),
    left={"wms.shipments": [2, 4, 5], "wms.shipment_events": [2, 5]},
)

# -- an anchor below the table: a customer is as old as its latest order ---------------------

LATEST_ORDER = Scenario(
    name="latest_order",
    systems={
        "shop": """
        customers:
          primary_key: id
          columns:
            id: {category: user.unique_id, type: integer}
            email: {category: user.contact.email, type: text, identity: email}
        orders:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            customer_id: {category: user.unique_id, type: integer}
            ordered_at: {category: system.operations, type: date}
          references:
            - {column: customer_id, to: customers.id, on_delete: cascade}
        invoices:
          primary_key: id
          columns:
            id: {category: system.operations, type: integer}
            customer_id: {category: user.unique_id, type: integer}
            fiscal_year_end: {category: system.operations, type: date}
          references:
            - {column: customer_id, to: customers.id, on_delete: set_null}
        """
    },
    retention="""
    rules:
      inactive_customers:
        tables: [shop.customers, shop.orders]
        anchor: orders.ordered_at
        period: 2 years
    holds:
      customer_books:
        labels: Bokföring per kund
        law: Bokföringslagen (1999:1078) 7 kap. 2 §
        tables: [shop.customers]
        anchor: invoices.fiscal_year_end
        period: 7 years
        align: end_of_year
    """,
    rows={
        "shop": {
            "customers": [{"id": i, "email": f"{i}@x.se"} for i in (1, 2, 3, 4)],
            "orders": [
                # customer 1: an old order and a recent one: not due until the recent
                # one is (an old order alone would have deleted it, and by cascade both)
                {"id": 10, "customer_id": 1, "ordered_at": D(2019, 1, 1)},
                {"id": 11, "customer_id": 1, "ordered_at": D(2024, 6, 1)},
                {"id": 20, "customer_id": 2, "ordered_at": D(2019, 1, 1)},
                {"id": 21, "customer_id": 2, "ordered_at": D(2020, 1, 1)},
                {"id": 40, "customer_id": 4, "ordered_at": D(2019, 6, 1)},
            ],
            "invoices": [
                {"id": 200, "customer_id": 2, "fiscal_year_end": D(2012, 12, 31)},
                {"id": 201, "customer_id": 2, "fiscal_year_end": D(2013, 12, 31)},
                # customer 4: held to the end of 2027 by its latest invoice, not freed
                # in 2020 by its oldest
                {"id": 400, "customer_id": 4, "fiscal_year_end": D(2012, 12, 31)},
                {"id": 401, "customer_id": 4, "fiscal_year_end": D(2020, 12, 31)},
            ],
        }
    },
    expected={
        D(2023, 1, 1): {
            "inactive_customers:shop.customers": 1,
            "inactive_customers:shop.orders": 2,
        },
        D(2026, 5, 31): {
            "inactive_customers:shop.customers": 1,
            "inactive_customers:shop.orders": 2,
        },
        D(2026, 6, 1): {
            "inactive_customers:shop.customers": 2,
            "inactive_customers:shop.orders": 4,
        },
        D(2027, 12, 31): {
            "inactive_customers:shop.customers": 2,
            "inactive_customers:shop.orders": 4,
        },
        D(2028, 1, 1): {
            "inactive_customers:shop.customers": 3,
            "inactive_customers:shop.orders": 5,
        },
    },
    run_on=D(2023, 1, 1),
    left={
        "shop.customers": [1, 3, 4],
        "shop.orders": [10, 11, 40],
        "shop.invoices": [200, 201, 400, 401],
    },
    held={"inactive_customers:shop.customers": 1, "inactive_customers:shop.orders": 1},
    held_by={
        "inactive_customers:shop.customers": {"customer_books": 1},
        "inactive_customers:shop.orders": {"kept with shop.customers": 1},
    },
)

SCENARIOS = [WEB_LOGS, ORDERS, CRM, VISITORS, HOLDS, NEWSLETTER, SHIPMENTS, LATEST_ORDER]


# -- anonymisation (AX-5: support cases keep general information) -------------------------

SUPPORT_SYSTEMS = {
    "support": """
    contacts:
      primary_key: id
      columns:
        id: {category: user.unique_id, type: integer}
        email: {category: user.contact.email, type: text, identity: email}
    cases:
      primary_key: id
      columns:
        id: {category: system.operations, type: integer}
        case_number: {category: system.operations, type: text}
        requester_name: {category: user.name, type: text}
        requester_email: {category: user.contact.email, type: text, identity: email}
        contact_id: {category: user.unique_id, type: integer}
        customer_ref: {category: user.unique_id, type: text, anonymise: hash}
        body: {category: user.content.private, type: text, free_text: true}
        product: {category: system.operations, type: text}
        last_contact: {category: system.operations, type: date}
      references:
        - {column: contact_id, to: contacts.id, on_delete: set_null}
    messages:
      primary_key: id
      columns:
        id: {category: system.operations, type: integer}
        case_id: {category: system.operations, type: integer}
        author_email: {category: user.contact.email, type: text}
        body: {category: user.content.private, type: text, free_text: true}
      references:
        - {column: case_id, to: cases.id, on_delete: cascade}
    """
}
SUPPORT_RETENTION = """
rules:
  support_cases:
    tables: [support.cases, support.messages]
    anchor: cases.last_contact
    period: 7 years
    action: anonymise
    promise: AX-5
"""
BODY = "Ring mig på 070-123 45 67 eller mejla anna.svensson@example.se, pnr 850101-1234."


def support_rows() -> dict[str, Rows]:
    def case(i: int, last: date | None, ref: str) -> dict[str, Any]:
        return {
            "id": i, "case_number": f"SC-{i}", "requester_name": f"Anna {i}",
            "requester_email": f"anna{i}@example.se", "contact_id": i, "customer_ref": ref,
            "body": BODY, "product": "AX-Cloud", "last_contact": last,
        }  # fmt: skip

    return {
        "support": {
            "contacts": [{"id": i, "email": f"anna{i}@example.se"} for i in (1, 2, 3, 4)],
            "cases": [
                case(1, D(2017, 5, 1), "K-1001"),  # due from 2024-05-01
                case(2, D(2020, 1, 1), "K-1002"),  # due from 2027-01-01
                case(3, None, "K-1003"),  # never
                case(4, D(2017, 2, 1), "K-1001"),  # due; the same customer as case 1
            ],
            "messages": [
                {"id": 10, "case_id": 1, "author_email": "anna1@example.se", "body": BODY},
                {"id": 11, "case_id": 1, "author_email": "support@axsensor.com",
                 "body": "Vi har bytt sensorn. Hälsningar, Support"},
                {"id": 20, "case_id": 2, "author_email": "anna2@example.se", "body": BODY},
                {"id": 40, "case_id": 4, "author_email": None, "body": None},
            ],
        }
    }  # fmt: skip


# -- k-anonymity (SEC-3): quasi-identifiers that would single someone out -----------------

SURVEY_SYSTEMS = {
    "survey": """
    answers:
      primary_key: id
      columns:
        id: {category: system.operations, type: integer}
        name: {category: user.name, type: text}
        birth_year: {category: user.demographic.date_of_birth, type: integer}
        postcode: {category: user.contact.address.postal_code, type: text}
        score: {category: system.operations, type: integer}
        answered: {category: system.operations, type: date}
    """
}
SURVEY_RETENTION = """
rules:
  survey:
    tables: [survey.answers]
    anchor: answered
    period: 1 year
    action: anonymise
"""


def survey_rows(lonely: bool) -> dict[str, Rows]:
    """Ten answers due in two groups of five; with `lonely`, one more that stands alone."""
    rows = [
        {"id": i, "name": f"Person {i}", "birth_year": 1980 if i <= 5 else 1990,
         "postcode": "411 25" if i <= 5 else "111 22", "score": i, "answered": D(2020, 1, 1)}
        for i in range(1, 11)
    ]  # fmt: skip
    if lonely:
        rows.append(
            {"id": 11, "name": "Person 11", "birth_year": 1951, "postcode": "981 31",
             "score": 3, "answered": D(2020, 1, 1)}
        )  # fmt: skip
    # not yet due: not part of the anonymised set
    rows.append(
        {"id": 12, "name": "Person 12", "birth_year": 1951, "postcode": "981 31", "score": 1,
         "answered": D(2030, 1, 1)}
    )  # fmt: skip
    return {"survey": {"answers": rows}}


# -- bigger data for the crash tests --------------------------------------------------------


def many_orders(n: int) -> dict[str, Rows]:
    """`n` contacts of the ORDERS map, a third undated or recent, three orders of two lines."""
    contacts, orders, lines = [], [], []
    for i in range(1, n + 1):
        last = None if i % 7 == 0 else D(2012 + i % 12, 1 + i % 12, 1 + i % 28)
        contacts.append({"id": i, "email": f"p{i}@example.se", "last_contact": last})
        for j in range(3):
            o = i * 10 + j
            orders.append(
                {"id": o, "contact_id": i, "ordered_at": T(2012, 1, 1), "ip_address": "x"}
            )
            lines += [{"id": o * 10 + k, "order_id": o, "product": "AX"} for k in range(2)]
    return {"erp": {"contacts": contacts, "orders": orders, "order_lines": lines}}


def many_crm(n: int) -> dict[str, Rows]:
    """`n` contacts of the CRM map; every other one is dated only by its activities."""
    contacts, activities = [], []
    for i in range(1, n + 1):
        last = None if i % 2 else D(2014 + i % 10, 1 + i % 12, 1)
        contacts.append({"id": i, "email": f"p{i}@x.se", "last_contact": last})
        for j in range(i % 4):
            activities.append(
                {"id": i * 10 + j, "contact_id": i, "occurred_at": T(2013 + (i + j) % 12, 3, 1),
                 "notes": "call"}
            )  # fmt: skip
    return {"crm": {"contacts": contacts, "activities": activities}}


def many_support(n: int) -> dict[str, Rows]:
    """`n` support cases with two messages each, for the anonymise crash test."""
    cases, messages = [], []
    for i in range(1, n + 1):
        cases.append(
            {"id": i, "case_number": f"SC-{i}", "requester_name": f"Namn {i}",
             "requester_email": f"p{i}@example.se", "contact_id": None,
             "customer_ref": f"K-{i % 50}", "body": BODY, "product": "AX",
             "last_contact": D(2012 + i % 12, 6, 1)}
        )  # fmt: skip
        messages += [
            {"id": i * 10 + k, "case_id": i, "author_email": f"p{i}@example.se", "body": BODY}
            for k in range(2)
        ]
    return {"support": {"contacts": [], "cases": cases, "messages": messages}}
