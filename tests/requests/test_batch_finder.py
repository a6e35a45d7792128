"""The batch search (`Finder.find_many`) gives every person exactly what `find` gives them."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from erasure_company import build

from skydd.datamap.loader import load_map
from skydd.demo import build_demo
from skydd.execution.finder import Found
from skydd.identity import try_normalise
from skydd.requests.access import _searching, normalise_identities

PEOPLE: list[dict[str, Any]] = [
    {"email": "anna.svensson@example.se"},
    {"phone": "070-123 45 67"},
    {"email": "BO.BERG@example.se"},
    {"phone": "+46709998877"},  # Cecilia's and Dan's: contested
    {"email": "cecilia.dahl@example.se", "phone": "0709998877"},
    {"email": "dan@example.se"},
    {"email": "nobody@example.se"},
    {"phone": "0707654321"},
    {"customer_number": "2"},
]


def _plain(found: Found) -> dict[str, Any]:
    return {
        "rows": {t: dict(r) for t, r in found.rows.items() if r},
        "shared": {t: dict(r) for t, r in found.shared.items() if r},
        "identities": sorted(found.identities),
        "ambiguous": sorted(found.ambiguous, key=repr),
    }


def _compare(path: Path, people: list[dict[str, Any]]) -> int:
    loaded = load_map(path)
    given = [normalise_identities(loaded, p) for p in people]
    with _searching(path, loaded) as finder:
        alone = [_plain(finder.find(g)) for g in given]
    with _searching(path, loaded) as finder:
        together = finder.find_many(given)
        queries = sum(f.queries for f in together)
    assert [_plain(f) for f in together] == alone
    return queries


def test_small_company_every_rule(tmp_path: Path) -> None:
    _compare(build(tmp_path), PEOPLE)
    # The same person twice in one batch: both get the full result.
    _compare(tmp_path / "privacy.yaml", [PEOPLE[0], PEOPLE[0], PEOPLE[1]])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("axsensor")
    return build_demo("axsensor", folder, people=300, seed=11).map_path


def test_demo_company_many_people_fewer_queries(demo: Path) -> None:
    conn = sqlite3.connect(demo.parent / "crm.db")
    try:
        emails = [r[0] for r in conn.execute("select email from contacts where email is not null")]
        phones = [r[0] for r in conn.execute("select phone from contacts where phone is not null")]
    finally:
        conn.close()
    people: list[dict[str, Any]] = [{"email": e} for e in emails[:120]]
    people += [{"phone": p} for p in phones[120:180] if try_normalise("phone", p)][:40]
    queries = _compare(demo, people)
    loaded = load_map(demo)
    with _searching(demo, loaded) as finder:
        alone = sum(finder.find(normalise_identities(loaded, p)).queries for p in people)
    assert queries * 5 < alone
