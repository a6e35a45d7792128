"""Any data map gets a demo: the generator knows no company."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from skydd.datamap.loader import load_map
from skydd.demo.generate import generate
from skydd.errors import MissingExtraError

MAPS = Path(__file__).parents[1] / "datamap" / "maps"


def test_a_map_of_no_example_company(tmp_path: Path) -> None:
    shutil.copy(MAPS / "small.yaml", tmp_path / "privacy.yaml")
    rows, facts = generate(
        load_map(tmp_path / "privacy.yaml"), people=50, seed=1, as_of=date(2026, 1, 15)
    )
    assert set(rows) == {"crm.companies", "crm.contacts", "erp.invoices"}
    assert all(rows.values())
    assert facts.company == tmp_path.name and facts.customer_and_supplier is None
    assert facts.showcase.tables and facts.extra == {}
    with closing(sqlite3.connect(tmp_path / "crm.db")) as conn:
        managers = conn.execute(
            "SELECT count(*) FROM contacts WHERE manager_id IS NOT NULL"
        ).fetchone()[0]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert managers > 0  # a self-reference points at an earlier row


def test_without_faker_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from skydd.demo.pools import locale_pool

    monkeypatch.setitem(sys.modules, "faker", None)  # what an install without the extra is
    with pytest.raises(MissingExtraError) as caught:
        locale_pool("SE", seed=-1)  # a seed no other test used: not in the cache
    assert caught.value.command == 'pip install "skydd[demo]"'
