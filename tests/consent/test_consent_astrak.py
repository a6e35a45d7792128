"""On the Astrak demo: phone consents from the CRM recorded with their proof (AS-3), and
`skydd.may` as applications call it."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import skydd
from skydd.consent import Choice, Proof, open_book
from skydd.datamap.loader import load_map


@pytest.fixture(scope="module")
def astrak(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from skydd.demo import build_demo

    directory = tmp_path_factory.mktemp("astrak") / "demo"
    build_demo("astrak", directory, people=60, seed=42)
    return directory / "privacy.yaml"


def test_phone_consents_keep_who_called_and_when(astrak: Path) -> None:
    loaded = load_map(astrak)
    rows = [
        r
        for r in _query(
            astrak.parent / "crm.db",
            "select k.*, c.email from marketing_consents k join contacts c "
            "on c.id = k.contact_id where c.email is not null and k.channel = 'phone' "
            "and k.withdrawn_at is null",
        )  # fmt: skip
    ]
    assert rows
    with open_book(loaded) as book:
        for r in rows:
            at = datetime.fromisoformat(r["given_at"]).replace(tzinfo=UTC)
            proof = Proof("phone", "phone", recorded_by=r["recorded_by"], at=at,
                          evidence={"reference": r["call_reference"]})  # fmt: skip
            book.record({"email": r["email"]}, Choice(proof, granted=["marketing"]))
        first = rows[0]
        shown = book.standing({"email": first["email"]})["consents"]["marketing"]
    assert shown["recorded_by"] == first["recorded_by"] and shown["method"] == "phone"
    decision = skydd.may({"email": first["email"]}, "marketing", "email", map_=loaded)
    assert decision and decision.basis == "consent"
    assert not skydd.may({"email": "nobody@example.com"}, "marketing", "email", map_=loaded)
    # by path as well as by LoadedMap
    assert skydd.may({"email": first["email"]}, "marketing", "email", map_=str(astrak))


def test_import_skydd_does_not_load_the_consent_engine() -> None:
    code = "import sys, skydd; print('skydd.consent' in sys.modules, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def _query(path: Path, sql: str) -> list[dict[str, str]]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql)]
