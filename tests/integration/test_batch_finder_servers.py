"""The batch search on MariaDB (case-insensitive collations) and PostgreSQL equals `find`."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from skydd.datamap.loader import load_map
from skydd.requests.access import _searching, normalise_identities

pytestmark = pytest.mark.integration

_spec = importlib.util.spec_from_file_location(
    "rectify_company_for_batch", Path(__file__).parent.parent / "requests" / "rectify_company.py"
)
assert _spec and _spec.loader
company = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(company)

PEOPLE: list[dict[str, Any]] = [
    {"email": "anna.svensson@example.se"},
    {"email": "ANNA.SVENSSON@EXAMPLE.SE"},
    {"email": "bo.berg@example.se"},
    {"personnummer": "19121212-1212"},
    {"phone": "070-765 43 21"},
    {"email": "nobody@example.se"},
]


def _same(path: Path) -> None:
    loaded = load_map(path)
    given = [normalise_identities(loaded, p) for p in PEOPLE]
    with _searching(loaded, loaded) as finder:
        alone = [finder.find(g) for g in given]
        together = finder.find_many(given)
    for a, b in zip(alone, together, strict=True):
        assert {t: dict(r) for t, r in a.rows.items() if r} == {
            t: dict(r) for t, r in b.rows.items() if r
        }
        assert a.identities == b.identities and a.ambiguous == b.ambiguous
    assert sum(len(r) for r in together[0].rows.values()) == 2  # Anna in both systems


def test_batch_search_on_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _same(company.build(tmp_path, {"crm": mysql_url, "erp": mysql_url}))


def test_batch_search_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    _same(company.build(tmp_path, {"crm": pg_url, "erp": pg_url}, schemas=True))
