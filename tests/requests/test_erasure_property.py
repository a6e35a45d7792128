"""Property: erasing one person never changes a row that is only someone else's.

Hypothesis builds small companies where ownership is known by construction: a
contact is its own person's, an invoice or a note belongs to its contact, a ticket to
every contact with its phone number (two people may share one), companies to
everyone. After erasing one person, every row owned only by others is unchanged,
except that a reference to the erased person (Bo's `manager_id` pointing at Anna)
may be set to NULL, and the erasure verifies.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from erasure_company import SCHEMAS, dump, raw_map
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skydd.requests.erasure import erase
from skydd.retention.anonymise import KEY_ENV
from skydd.store import Store, open_store

PHONES = ["070-111 11 11", "070-222 22 22", "070-333 33 33", "+46 70 444 44 44"]
YEARS = [2015, 2019, 2023, 2025]


@dataclass
class World:
    contacts: list[tuple[int, str, str, int, int | None]]  # id, email, phone, company, manager
    invoices: list[tuple[int, int, int]]  # id, contact, fiscal year
    notes: list[tuple[int, int]]  # id, contact
    tickets: list[tuple[int, str]]  # id, phone
    target: int
    with_phone: bool  # the request gives the phone number too (maybe shared with others)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    n = draw(st.integers(2, 6))
    contacts: list[tuple[int, str, str, int, int | None]] = []
    for i in range(1, n + 1):
        phone = draw(st.sampled_from(PHONES))
        others = [m for m in range(1, n + 1) if m != i]
        manager = draw(st.one_of(st.none(), st.sampled_from(others)))
        contacts.append((i, f"person{i}@example.se", phone, draw(st.integers(1, 2)), manager))
    invoices = [
        (100 + j, draw(st.integers(1, n)), draw(st.sampled_from(YEARS)))
        for j in range(draw(st.integers(0, 6)))
    ]
    notes = [(200 + j, draw(st.integers(1, n))) for j in range(draw(st.integers(0, 4)))]
    tickets = [(300 + j, draw(st.sampled_from(PHONES))) for j in range(draw(st.integers(0, 4)))]
    return World(contacts, invoices, notes, tickets, draw(st.integers(1, n)), draw(st.booleans()))


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with open_store("sqlite://") as opened:
        yield opened


@pytest.fixture(scope="module")
def map_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    import yaml

    raw = raw_map(tmp_path_factory.mktemp("map"))
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def _fill(directory: Path, world: World) -> None:
    for name, script in SCHEMAS.items():
        conn = sqlite3.connect(directory / f"{name}.db")
        with conn:
            conn.executescript(script)
            if name == "crm":
                conn.executemany("insert into companies values (?, ?)", [(1, "A"), (2, "B")])
                conn.executemany(
                    "insert into contacts values (?, ?, ?, ?, ?, '2025-01-01')", world.contacts
                )
                conn.executemany("insert into notes values (?, ?, 'text')", world.notes)
            if name == "support":
                conn.executemany(
                    "insert into tickets values (?, ?, 'subject', '2025-01-01')", world.tickets
                )
            if name == "erp":
                conn.executemany(
                    "insert into invoices (id, contact_id, amount, fiscal_year_end) "
                    "values (?, ?, 1, ?)",
                    [(i, c, f"{y}-12-31") for i, c, y in world.invoices],
                )
        conn.close()


def _owners(world: World) -> dict[str, dict[Any, set[int]]]:
    phone_owners: dict[str, set[int]] = {}
    for cid, _e, phone, _c, _m in world.contacts:
        phone_owners.setdefault(phone, set()).add(cid)
    return {
        "crm.contacts": {cid: {cid} for cid, *_ in world.contacts},
        "crm.notes": {nid: {c} for nid, c in world.notes},
        "erp.invoices": {iid: {c} for iid, c, _ in world.invoices},
        "support.tickets": {tid: phone_owners.get(p, set()) for tid, p in world.tickets},
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=worlds())
def test_erasing_one_person_leaves_others_alone(
    world: World, store: Store, map_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One store for every example, each with its own map folder: one pseudonym key for all,
    # as the consent ledger in the store (EN-6 blocks) refuses a second key.
    monkeypatch.setenv(KEY_ENV, "property-test-key-" + "0" * 32)
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        directory = Path(tmp)
        (directory / "privacy.yaml").write_text(map_text, encoding="utf-8")
        _fill(directory, world)
        before = dump(directory)
        target = world.target
        identities = {"email": f"person{target}@example.se"}
        if world.with_phone:
            identities["phone"] = world.contacts[target - 1][2]
        result = erase(
            directory / "privacy.yaml",
            identities,
            as_of=date(2026, 11, 22),
            store=store,
        )
        assert result.verified, result.leftovers
        after = dump(directory)
    assert after["crm.companies"] == before["crm.companies"]
    owners = _owners(world)
    for table, owned in owners.items():
        rows_after = {r[0]: r for r in after[table]}
        for row in before[table]:
            who = owned.get(row[0], set())
            if not who or target in who:
                continue
            assert row[0] in rows_after, f"{table} {row[0]} (only {who}'s) was erased"
            new = rows_after[row[0]]
            if table == "crm.contacts" and row[4] == target:
                assert new[:4] + new[5:] == row[:4] + row[5:] and new[4] is None
            else:
                assert new == row, f"{table} {row[0]} (only {who}'s) changed"
    # and the person's own contact, notes and unshared tickets are gone
    assert target not in {r[0] for r in after["crm.contacts"]}
    assert not [n for n in after["crm.notes"] if n[1] == target]
