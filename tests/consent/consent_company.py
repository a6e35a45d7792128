"""A small Swedish company for the consent tests: a CRM and a newsletter system.

The databases are built with SQLAlchemy from one description, so the same company runs on
SQLite in the default tests and on PostgreSQL or MariaDB in the integration tests (the map
reads the URLs from CONSENT_CRM_URL and CONSENT_MAIL_URL, SQLite files beside the map by
default).
"""

from __future__ import annotations

import sqlalchemy as sa

MAP = """
version: 1
controller:
  name: Exempel Handel AB
  org_number: 556677-8899
  country: SE
  email: integritet@example.se
subjects:
  customer: {labels: {sv: Kund, en: Customer, da: Kunde}}
purposes:
  newsletter:
    labels: {sv: Nyhetsbrev, en: Newsletter, da: Nyhedsbrev}
    legal_basis: consent
    marketing: true
    subjects: [customer]
  offers:
    labels: {sv: Erbjudanden, en: Offers, da: Tilbud}
    legal_basis: legitimate_interest
    legitimate_interest: {sv: Sälja mer, en: Sell more, da: Sælge mere}
    marketing: true
    subjects: [customer]
  profiling:
    labels: {sv: Kundanalys, en: Customer analysis, da: Kundeanalyse}
    legal_basis: legitimate_interest
    legitimate_interest: {sv: Förstå kunder, en: Understand customers, da: Forstå kunder}
    subjects: [customer]
  analytics:
    labels: {sv: Statistik, en: Statistics, da: Statistik}
    legal_basis: consent
    subjects: [customer]
  service:
    labels: {sv: Avtalet, en: The contract, da: Aftalen}
    legal_basis: contract
    subjects: [customer]
  bookkeeping:
    labels: {sv: Bokföring, en: Bookkeeping, da: Bogføring}
    legal_basis: legal_obligation
    law: Bokföringslagen (1999:1078)
    subjects: [customer]
systems:
  crm:
    url: ${CONSENT_CRM_URL:-sqlite:///crm.db}
    tables:
      contacts:
        subjects: [customer]
        purposes: [service, offers, profiling, bookkeeping]
        primary_key: id
        columns:
          id: {type: integer, category: user.unique_id}
          email: {type: text, category: user.contact.email, identity: email}
          phone: {type: text, category: user.contact.phone_number, identity: phone}
          name: {type: text, category: user.name}
  mail:
    url: ${CONSENT_MAIL_URL:-sqlite:///mail.db}
    tables:
      subscribers:
        subjects: [customer]
        purposes: [newsletter]
        primary_key: id
        columns:
          id: {type: integer, category: system.operations}
          email: {type: text, category: user.contact.email, identity: email}
          first_name: {type: text, category: user.name.first}
recipients:
  mailer:
    name: Mailer Inc
    kind: processor
    country: SE
    categories: [user.contact.email]
    purposes: [newsletter]
cookies:
  - {name: _ga, category: analytics, purpose: Statistik, lifetime: 2 years}
"""

PEOPLE = [
    (1, "anna@example.se", "070-111 11 11", "Anna"),
    (2, "bo@example.se", "070-222 22 22", "Bo"),
    (3, "cissi@example.se", "070-333 33 33", "Cissi"),
    (4, "dan@example.se", "070-444 44 44", "Dan"),
    (5, "eva@example.se", None, "Eva"),
]


def build_company(crm_url: str, mail_url: str) -> None:
    """Create and fill the two databases at these URLs."""
    meta = sa.MetaData()
    contacts = sa.Table(
        "contacts", meta, sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(200)), sa.Column("phone", sa.String(40)),
        sa.Column("name", sa.String(100)),
    )  # fmt: skip
    subs = sa.MetaData()
    subscribers = sa.Table(
        "subscribers", subs, sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(200)), sa.Column("first_name", sa.String(100)),
    )  # fmt: skip
    for url, metadata, table, rows in (
        (crm_url, meta, contacts, [dict(zip(("id", "email", "phone", "name"), p, strict=True))
                                   for p in PEOPLE]),
        (mail_url, subs, subscribers, [{"id": p[0] + 100, "email": p[1].upper() if p[0] == 2
                                        else p[1], "first_name": p[3]} for p in PEOPLE]),
    ):  # fmt: skip
        engine = sa.create_engine(url)
        try:
            metadata.create_all(engine)
            with engine.begin() as conn:
                conn.execute(sa.insert(table), rows)
        finally:
            engine.dispose()
