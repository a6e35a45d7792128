"""Property: an access report holds exactly the person's rows, up to what it calls ambiguous.

Hypothesis builds small companies on SQLite: people with look-alike emails
(differing by dots, plus-tags or domain) stored in other cases, phone numbers
stored in other formats and reused between people, shared companies with
several contacts, a manager reference between people, orders per person in
another system, support tickets that only know a phone number (with replies
that only know their ticket), and newsletter rows that only know an email.
Every row has a known owner (companies are shared). For a random person,
searched by email:

- the report never holds a row that is someone else's; products that many
  people order, which the map does not declare shared, are shown with the
  person's orders, but other people's orders of the same product never;
- every row of theirs is in the report, or listed in `result.ambiguous`, or
  reachable only through a listed row (a reply to a listed ticket);
- ambiguity is reported exactly when the person's phone number is also
  another person's, and only rows that phone number matched are listed.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skydd.requests.access import access

MAP = """
version: 1
controller:
  name: Exempel AB
  org_number: 556677-8899
  address: Storgatan 1, 111 22 Stockholm
  email: privacy@exempel.se
  country: SE
subjects:
  customer: {labels: {sv: Kund, en: Customer, da: Kunde}}
purposes:
  orders:
    labels: {sv: Leverera beställningar, en: Deliver orders, da: Levere ordrer}
    legal_basis: contract
systems:
  crm:
    url: sqlite:///crm.db
    tables:
      companies:
        shared: true
        purposes: [orders]
        primary_key: id
        columns:
          id: {category: system.operations}
          name: {category: user.contact.organization}
      people:
        subjects: [customer]
        purposes: [orders]
        primary_key: id
        columns:
          id: {category: user.unique_id, identity: customer_number}
          email: {category: user.contact.email, identity: email}
          phone: {category: user.contact.phone_number, identity: phone}
          company_id: {category: system.operations}
          manager_id: {category: system.operations}
        references:
          - {column: company_id, to: companies.id, shared: true}
          - {column: manager_id, to: people.id}
  shop:
    url: sqlite:///shop.db
    tables:
      orders:
        subjects: [customer]
        purposes: [orders]
        primary_key: id
        columns:
          id: {category: system.operations}
          person_id: {category: user.unique_id}
          product_id: {category: system.operations}
          amount: {category: user.financial}
        references:
          - {column: person_id, to: crm.people.id}
          - {column: product_id, to: products.id}
      products:
        purposes: [orders]
        primary_key: id
        columns:
          id: {category: system.operations}
          name: {category: system.operations}
      tickets:
        subjects: [customer]
        purposes: [orders]
        primary_key: id
        columns:
          id: {category: system.operations}
          phone: {category: user.contact.phone_number, identity: phone}
          note: {category: user.content}
      replies:
        subjects: [customer]
        purposes: [orders]
        primary_key: id
        columns:
          id: {category: system.operations}
          ticket_id: {category: system.operations}
          body: {category: user.content}
        references:
          - {column: ticket_id, to: tickets.id}
      newsletter:
        subjects: [customer]
        purposes: [orders]
        primary_key: id
        columns:
          id: {category: system.operations}
          email: {category: user.contact.email, identity: email}
"""

LOCALS = [
    "anna.svensson",
    "annasvensson",
    "anna.svensson+shop",
    "anna_svensson",
    "bo.berg",
    "boberg",
    "bo.berg+1",
    "cecilia.dahl",
    "ceciliadahl",
    "dan",
]
DOMAINS = ["example.se", "exempel.se"]
# Swedish mobile numbers as national significant numbers (without the leading 0).
PHONES = ["701234567", "707654321", "709998877", "731112233"]


def _title(text: str) -> str:
    return ".".join(p.capitalize() for p in text.split("."))


# The written forms a lookup is expected to hit through the index ...
EMAIL_FORMS = [
    lambda local, dom: f"{local}@{dom}",
    lambda local, dom: f"{local}@{dom}".upper(),
    lambda local, dom: f"{_title(local)}@{dom}",
    lambda local, dom: f"{_title(local)}@{dom.capitalize()}",
    lambda local, dom: f"{local}@{dom.capitalize()}",
]
PHONE_FORMS = [
    lambda n: f"+46{n}",
    lambda n: f"0{n}",
    lambda n: f"0046{n}",
    lambda n: f"+46 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
    lambda n: f"0{n[:2]}-{n[2:5]} {n[5:7]} {n[7:]}",
    lambda n: f"0{n[:2]}-{n[2:]}",
    lambda n: f"0{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
    lambda n: f"(0{n[:2]}) {n[2:5]} {n[5:7]} {n[7:]}",
    lambda n: f"+46 (0){n[:2]}-{n[2:5]} {n[5:7]} {n[7:]}",
]
# ... and, with thorough=True, anything that normalises to the same value.
ODD_PHONE_FORMS = [
    lambda n: f"0{n[:2]}/{n[2:5]} {n[5:7]} {n[7:]}",
    lambda n: f"+46-{n[:2]}-{n[2:5]}.{n[5:7]}.{n[7:]}",
]


@dataclass
class World:
    """A generated company: rows per table, each with its owner (None: shared)."""

    thorough: bool
    people: list[dict[str, Any]] = field(default_factory=list)
    companies: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    tickets: list[dict[str, Any]] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)
    newsletter: list[dict[str, Any]] = field(default_factory=list)
    owner: dict[tuple[str, int], int] = field(default_factory=dict)  # (table, id) → person
    email: dict[int, str] = field(default_factory=dict)  # person → normalised email
    phone: dict[int, str | None] = field(default_factory=dict)  # person → national number


def _random_case(rng: random.Random, text: str) -> str:
    return "".join(c.upper() if rng.random() < 0.5 else c for c in text)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    thorough = draw(st.booleans())
    world = World(thorough)
    rng = random.Random(draw(st.integers(0, 2**32)))
    emails = draw(
        st.lists(
            st.tuples(st.sampled_from(LOCALS), st.sampled_from(DOMAINS)),
            min_size=2,
            max_size=7,
            unique=True,
        )
    )
    n_companies = draw(st.integers(1, 3))
    world.companies = [{"id": c, "name": f"Bolag {c} AB"} for c in range(1, n_companies + 1)]
    # Products many people order, which the map does not declare shared.
    world.products = [
        {"id": p, "name": f"Sensor {p}"} for p in range(1, draw(st.integers(1, 3)) + 1)
    ]
    phone_forms = PHONE_FORMS + (ODD_PHONE_FORMS if thorough else [])

    def stored_email(local: str, dom: str) -> str:
        if thorough and rng.random() < 0.5:
            return _random_case(rng, f"{local}@{dom}")
        return rng.choice(EMAIL_FORMS)(local, dom)

    def stored_phone(n: str) -> str:
        return rng.choice(phone_forms)(n)

    ids = list(range(1, len(emails) + 1))
    for pid, (local, dom) in zip(ids, emails, strict=True):
        phone = draw(st.one_of(st.none(), st.sampled_from(PHONES)))
        world.email[pid] = f"{local}@{dom}"
        world.phone[pid] = phone
        world.people.append(
            {
                "id": pid,
                "email": stored_email(local, dom),
                "phone": stored_phone(phone) if phone else None,
                "company_id": draw(st.one_of(st.none(), st.integers(1, n_companies))),
                "manager_id": draw(
                    st.one_of(st.none(), st.sampled_from([i for i in ids if i != pid]))
                ),
            }
        )
        world.owner[("crm.people", pid)] = pid
        for _ in range(draw(st.integers(0, 3))):
            oid = len(world.orders) + 1
            product = rng.randint(1, len(world.products))
            world.orders.append(
                {"id": oid, "person_id": pid, "product_id": product, "amount": rng.randint(1, 99)}
            )
            world.owner[("shop.orders", oid)] = pid
        for _ in range(draw(st.integers(0, 2)) if phone else 0):
            tid = len(world.tickets) + 1
            world.tickets.append({"id": tid, "phone": stored_phone(phone), "note": f"ärende {tid}"})
            world.owner[("shop.tickets", tid)] = pid
            for _ in range(draw(st.integers(0, 2))):
                rid = len(world.replies) + 1
                world.replies.append({"id": rid, "ticket_id": tid, "body": f"svar {rid}"})
                world.owner[("shop.replies", rid)] = pid
        for _ in range(draw(st.integers(0, 2))):
            nid = len(world.newsletter) + 1
            world.newsletter.append({"id": nid, "email": stored_email(local, dom)})
            world.owner[("shop.newsletter", nid)] = pid
    return world


def _write(world: World, directory: Path) -> Path:
    (directory / "privacy.yaml").write_text(MAP, encoding="utf-8")
    schemas = {
        "crm": {
            "companies": "id integer primary key, name text",
            "people": "id integer primary key, email text, phone text, "
            "company_id integer references companies(id), "
            "manager_id integer references people(id)",
        },
        "shop": {
            "orders": "id integer primary key, person_id integer, product_id integer, "
            "amount integer",
            "products": "id integer primary key, name text",
            "tickets": "id integer primary key, phone text, note text",
            "replies": "id integer primary key, ticket_id integer references tickets(id), "
            "body text",
            "newsletter": "id integer primary key, email text",
        },
    }
    for system, tables in schemas.items():
        conn = sqlite3.connect(directory / f"{system}.db")
        with conn:
            for table, columns in tables.items():
                conn.execute(f"create table {table} ({columns})")
                rows: list[dict[str, Any]] = getattr(world, table)
                if rows:
                    names = list(rows[0])
                    conn.executemany(
                        f"insert into {table} ({', '.join(names)}) values "
                        f"({', '.join('?' for _ in names)})",
                        [tuple(r[n] for n in names) for r in rows],
                    )
            for index in (
                "people(email)",
                "people(phone)",
                "tickets(phone)",
                "newsletter(email)",
                "orders(person_id)",
                "orders(product_id)",
                "replies(ticket_id)",
            ):
                table = index.split("(", 1)[0]
                if table in tables:
                    conn.execute(f"create index ix_{table}_{index[len(table) + 1 : -1]} on {index}")
        conn.close()
    return directory / "privacy.yaml"


def _products(world: World, person: int) -> set[tuple[str, int]]:
    """The products a person's orders refer to: theirs to see, though not only theirs."""
    return {("shop.products", o["product_id"]) for o in world.orders if o["person_id"] == person}


def _keys(sections: list[dict[str, Any]]) -> set[tuple[str, int]]:
    return {(s["key"], row["id"]) for s in sections for row in s["rows"]}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds(), data=st.data())
def test_report_holds_exactly_the_persons_rows(world: World, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(sorted(world.email)), label="person")
    asked = _random_case(random.Random(target), world.email[target])
    with tempfile.TemporaryDirectory() as tmp:
        result = access(
            _write(world, Path(tmp)), {"email": asked}, record=False, thorough=world.thorough
        )

    mine = {key for key, owner in world.owner.items() if owner == target}
    products = _products(world, target)
    reported = _keys(result.report["tables"])
    ambiguous = {(a["table"], a["key"][0]) for a in result.ambiguous}

    # Never someone else's row, and shared rows only as shared.
    assert reported <= mine | products, f"rows of others: {reported - mine - products}"
    # The products the person ordered are in their report; others' orders of them are not.
    assert products <= reported
    # Never a miss, unless left for a human.
    withheld = ambiguous | {
        ("shop.replies", r["id"])
        for r in world.replies
        if ("shop.tickets", r["ticket_id"]) in ambiguous
    }
    assert mine - reported <= withheld, f"missed: {mine - reported - withheld}"
    assert not reported & ambiguous

    # Ambiguity exactly when the phone number is also someone else's ...
    phone = world.phone[target]
    sharers = {p for p, n in world.phone.items() if phone and n == phone and p != target}
    assert bool(ambiguous) == bool(sharers), (phone, sharers, result.ambiguous)
    # ... and only over rows that number matched.
    matched = {("crm.people", p) for p, n in world.phone.items() if phone and n == phone}
    matched |= {
        ("shop.tickets", t["id"])
        for t in world.tickets
        if phone and world.owner[("shop.tickets", t["id"])] in sharers | {target}
    }
    assert ambiguous <= matched
    assert {("crm.people", p) for p in sharers} <= ambiguous
    assert {a["identity"] for a in result.ambiguous} <= {"phone"}

    # The person's company is shown as shared; the manager is not followed.
    company = next(p["company_id"] for p in world.people if p["id"] == target)
    shared = _keys(result.report["shared"])
    assert shared == ({("crm.companies", company)} if company else set())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds(), data=st.data())
def test_search_by_phone_alone_never_merges_people(world: World, data: st.DataObject) -> None:
    with_phone = sorted(p for p, n in world.phone.items() if n)
    if not with_phone:
        return
    target = data.draw(st.sampled_from(with_phone), label="person")
    phone = world.phone[target]
    assert phone is not None
    with tempfile.TemporaryDirectory() as tmp:
        result = access(
            _write(world, Path(tmp)),
            {"phone": f"+46{phone}"},
            record=False,
            thorough=world.thorough,
        )
    holders = {p for p, n in world.phone.items() if n == phone}
    reported = _keys(result.report["tables"])
    if len(holders) == 1:
        # One person: everything of theirs, found through the phone, the email it leads
        # to and the references.
        mine = {key for key, owner in world.owner.items() if owner == target}
        assert reported == mine | _products(world, target)
        assert result.ambiguous == []
    else:
        # Several people: nothing is theirs for sure; each holder's record is listed.
        assert reported == set()
        listed = {(a["table"], a["key"][0]) for a in result.ambiguous}
        assert {("crm.people", p) for p in holders} <= listed


def test_thorough_finds_forms_no_index_lookup_would(tmp_path: Path) -> None:
    """--thorough reads whole columns: odd case, display names, odd phone punctuation."""
    world = World(thorough=True)
    world.companies = [{"id": 1, "name": "Bolag 1 AB"}]
    world.products = [{"id": 1, "name": "Sensor 1"}]
    world.email = {1: "anna.svensson@example.se", 2: "annasvensson@example.se"}
    world.phone = {1: "701234567", 2: "707654321"}
    world.people = [
        {
            "id": 1,
            "email": "Anna Svensson <aNNa.SVensson@Example.SE>",
            "phone": "070/123.45.67",
            "company_id": 1,
            "manager_id": None,
        },
        {
            "id": 2,
            "email": "mailto:AnnaSvensson@example.se",
            "phone": "+46 (0)70-765 43 21",
            "company_id": 1,
            "manager_id": 1,
        },
    ]
    world.tickets = [
        {"id": 1, "phone": "+46-70-123.45.67", "note": "x"},
        {"id": 2, "phone": "0707-65 43 21", "note": "y"},
    ]
    map_path = _write(world, tmp_path)
    quick = access(map_path, {"email": "anna.svensson@example.se"}, record=False)
    assert quick.counts == {}  # no stored form an index lookup would try
    result = access(map_path, {"email": "anna.svensson@example.se"}, record=False, thorough=True)
    assert _keys(result.report["tables"]) == {("crm.people", 1), ("shop.tickets", 1)}
