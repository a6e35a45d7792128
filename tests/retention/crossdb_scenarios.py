"""A company whose retention anchor lives in another database than the rows it governs.

The ERP knows when someone stopped being a customer; the CRM and the newsletter
tool, each a database of its own, only hold the ERP's contact id. Their rows are
due when the ERP says so (ACTE's sales history, Entrack's CRM activities, Advansor's
KYC records held five years after the CRM's relationship ended).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from retention_db import Rows
from scenarios import Scenario

D = date

SYSTEMS = {
    "erp": """
    contacts:
      primary_key: id
      columns:
        id: {category: user.unique_id, type: integer, identity: customer_number}
        email: {category: user.contact.email, type: text, identity: email}
        customer_until: {category: system.operations, type: date}
    """,
    "crm": """
    activities:
      primary_key: id
      columns:
        id: {category: system.operations, type: integer}
        contact_id: {category: user.unique_id, type: integer}
        occurred_at: {category: system.operations, type: date}
      references:
        - {column: contact_id, to: erp.contacts.id, on_delete: cascade}
    disputes:
      primary_key: id
      columns:
        id: {category: system.operations, type: integer}
        activity_id: {category: system.operations, type: integer}
        opened_at: {category: system.operations, type: date}
      references:
        - {column: activity_id, to: activities.id}
    screenings:
      primary_key: id
      columns:
        id: {category: system.operations, type: integer}
        contact_id: {category: user.unique_id, type: integer}
        result: {category: system.operations, type: text}
      references:
        - {column: contact_id, to: erp.contacts.id}
    """,
    "newsletter": """
    subscribers:
      primary_key: id
      columns:
        id: {category: system.operations, type: integer}
        erp_contact_id: {category: user.unique_id, type: integer}
        email: {category: user.contact.email, type: text, identity: email}
      references:
        - {column: erp_contact_id, to: erp.contacts.id, on_delete: cascade}
    sends:
      primary_key: id
      columns:
        id: {category: system.operations, type: integer}
        subscriber_id: {category: system.operations, type: integer}
        sent_at: {category: system.operations, type: date}
      references:
        - {column: subscriber_id, to: subscribers.id}
    """,
}

RETENTION = """
rules:
  customers:
    tables: [erp.contacts]
    anchor: customer_until
    period: 2 years
    align: end_of_year
  history:                  # ACTE's sales history: dated by the ERP
    tables: [crm.activities, newsletter.subscribers, newsletter.sends]
    anchor: erp.contacts.customer_until
    period: 2 years
    align: end_of_year
  screening:                # Advansor's KYC: due after a year, held for three
    tables: [crm.screenings]
    anchor: erp.contacts.customer_until
    period: 1 year
    holds: [aml]
holds:
  claims:
    labels: {sv: Tvist, en: Dispute, da: Tvist}
    law: Rättegångsbalken
    ground: 17(3)(e)
    tables: [crm.disputes]
  aml:
    labels: {sv: Penningtvättslagen, en: AML Act, da: Hvidvaskloven}
    law: Lag (2017:630) 5 kap. 3 §
    tables: [crm.screenings]
    anchor: erp.contacts.customer_until
    period: 3 years
"""


def rows() -> dict[str, Rows]:
    return {
        "erp": {
            "contacts": [
                {"id": 1, "email": "a@x.se", "customer_until": D(2022, 12, 31)},
                {"id": 2, "email": "b@x.se", "customer_until": D(2023, 1, 1)},
                {"id": 3, "email": "c@x.se", "customer_until": None},  # still a customer
                {"id": 4, "email": "d@x.se", "customer_until": D(2020, 5, 5)},
                {"id": 5, "email": "e@x.se", "customer_until": D(2022, 6, 1)},
            ]
        },
        "crm": {
            "activities": [
                {"id": 10, "contact_id": 1, "occurred_at": D(2022, 1, 1)},
                {"id": 11, "contact_id": 1, "occurred_at": D(2022, 2, 1)},
                {"id": 20, "contact_id": 2, "occurred_at": D(2022, 3, 1)},
                {"id": 30, "contact_id": 3, "occurred_at": D(2015, 1, 1)},
                {"id": 40, "contact_id": 4, "occurred_at": D(2019, 1, 1)},
                {"id": 41, "contact_id": 4, "occurred_at": D(2019, 2, 1)},  # disputed
                {"id": 50, "contact_id": None, "occurred_at": D(2010, 1, 1)},  # nobody's
                {"id": 60, "contact_id": 99, "occurred_at": D(2010, 1, 1)},  # not in the ERP
            ],
            "disputes": [{"id": 400, "activity_id": 41, "opened_at": D(2020, 1, 1)}],
            "screenings": [
                {"id": 70, "contact_id": 1, "result": "clear"},
                {"id": 71, "contact_id": 4, "result": "clear"},
            ],
        },
        "newsletter": {
            "subscribers": [
                {"id": 100, "erp_contact_id": 1, "email": "a@x.se"},
                {"id": 200, "erp_contact_id": 2, "email": "b@x.se"},
                {"id": 300, "erp_contact_id": 3, "email": "c@x.se"},
                {"id": 600, "erp_contact_id": None, "email": "f@x.se"},
            ],
            "sends": [
                {"id": 1000, "subscriber_id": 100, "sent_at": D(2022, 1, 1)},
                {"id": 1001, "subscriber_id": 100, "sent_at": D(2022, 2, 1)},
                {"id": 2000, "subscriber_id": 200, "sent_at": D(2022, 3, 1)},
            ],
        },
    }


CROSSDB = Scenario(
    name="crossdb",
    systems=SYSTEMS,
    retention=RETENTION,
    rows=rows(),
    expected={
        # the AML hold on contact 4's screening ends on 5 May 2023
        D(2023, 5, 4): {"customers:erp.contacts": 1, "history:crm.activities": 1},
        D(2023, 5, 5): {
            "customers:erp.contacts": 1,
            "history:crm.activities": 1,
            "screening:crm.screenings": 1,
        },
        D(2024, 12, 31): {
            "customers:erp.contacts": 1,
            "history:crm.activities": 1,
            "screening:crm.screenings": 1,
        },
        # two years after the end of 2022: contacts 1 and 5 too
        D(2025, 1, 1): {
            "customers:erp.contacts": 3,
            "history:crm.activities": 3,
            "history:newsletter.subscribers": 1,
            "history:newsletter.sends": 2,
            "screening:crm.screenings": 1,
        },
        # contact 1's screening is free of the AML hold from 31 December 2025
        D(2025, 12, 31): {
            "customers:erp.contacts": 3,
            "history:crm.activities": 3,
            "history:newsletter.subscribers": 1,
            "history:newsletter.sends": 2,
            "screening:crm.screenings": 2,
        },
        D(2026, 1, 1): {
            "customers:erp.contacts": 4,
            "history:crm.activities": 4,
            "history:newsletter.subscribers": 2,
            "history:newsletter.sends": 3,
            "screening:crm.screenings": 2,
        },
    },
    run_on=D(2025, 1, 1),
    left={
        "erp.contacts": [2, 3],
        "crm.activities": [20, 30, 41, 50, 60],
        "crm.disputes": [400],
        "crm.screenings": [70],
        "newsletter.subscribers": [200, 300, 600],
        "newsletter.sends": [2000],
    },
    held={
        "history:crm.activities": 1,
        "screening:crm.screenings": 1,
        "history:newsletter.subscribers": 0,
    },
    held_by={
        "history:crm.activities": {"claims (crm.disputes)": 1, "references from crm.disputes": 1},
        "screening:crm.screenings": {"aml": 1},
    },
)


def many(n: int) -> dict[str, Rows]:
    """`n` contacts, half of them former customers, each with CRM and newsletter rows."""
    contacts: list[dict[str, Any]] = []
    activities: list[dict[str, Any]] = []
    subscribers: list[dict[str, Any]] = []
    sends: list[dict[str, Any]] = []
    for i in range(1, n + 1):
        until = D(2018 + i % 8, 1 + i % 12, 1 + i % 28) if i % 2 else None
        contacts.append({"id": i, "email": f"{i}@x.se", "customer_until": until})
        for j in range(3):
            activities.append({"id": i * 10 + j, "contact_id": i, "occurred_at": D(2017, 1, 1)})
        subscribers.append({"id": i, "erp_contact_id": i, "email": f"{i}@x.se"})
        for j in range(2):
            sends.append({"id": i * 10 + j, "subscriber_id": i, "sent_at": D(2017, 1, 1)})
    return {
        "erp": {"contacts": contacts},
        "crm": {"activities": activities},
        "newsletter": {"subscribers": subscribers, "sends": sends},
    }
