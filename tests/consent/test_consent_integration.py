"""The consent store on PostgreSQL; the company's databases on PostgreSQL and MariaDB."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import pytest
from consent_company import MAP, build_company
from sqlalchemy import func, select

from skydd.consent import Choice, ConsentBook, Proof, object_to, restrict
from skydd.consent.marketing import audience
from skydd.consent.stats import consent_rates
from skydd.datamap.loader import load_map
from skydd.store import open_store
from skydd.store.schema import consent_events

_spec = importlib.util.spec_from_file_location(
    "skydd_integration_fixtures", Path(__file__).parents[1] / "integration" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
pg_url = _fixtures.pg_url
mysql_url = _fixtures.mysql_url

pytestmark = pytest.mark.integration


def _company(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "privacy.yaml").write_text(MAP, encoding="utf-8")
    build_company(url, url)  # both systems' tables in one database
    monkeypatch.setenv("CONSENT_CRM_URL", url)
    monkeypatch.setenv("CONSENT_MAIL_URL", url)
    return tmp_path / "privacy.yaml"


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_on_servers(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    store_url = request.getfixturevalue("pg_url")
    company_url = store_url if backend == "postgresql" else request.getfixturevalue("mysql_url")
    loaded = load_map(_company(tmp_path, company_url, monkeypatch))
    with open_store(store_url) as store:
        book = ConsentBook(store, loaded)
        book.record_many(
            [
                ({"email": f"{n}@example.se"}, Choice(Proof("form", "web"), ["newsletter"]))
                for n in ("anna", "bo", "cissi", "dan", "eva")
            ]
        )
        restrict(loaded, {"phone": "070-222 22 22"}, store=book)  # Bo, found in the CRM
        object_to(loaded, {"email": "cissi@example.se"}, channel="email", store=book)
        assert book.may({"email": "bo@example.se"}, "newsletter", "email").reason == "restricted"
        result = audience(loaded, tool="mailer", store=book)
        assert {r["email"].lower() for r in result.rows} == {
            "anna@example.se",
            "dan@example.se",
            "eva@example.se",
        }
        assert result.left_out == {"restricted": 1, "suppressed": 1}
        rates = consent_rates(store.engine, by="month")
        assert [(r.purpose, r.granted) for r in rates] == [("newsletter", 5)]


def test_concurrent_writers_on_postgresql(pg_url: str, company: Path) -> None:
    """Writers in parallel: every acknowledged event is in the ledger and every visitor's
    choice is found by a reader that reloaded while they wrote."""
    loaded = load_map(company)
    with open_store(pg_url) as store:
        book = ConsentBook(store, loaded)
        reader = ConsentBook(store, loaded, max_age=0.0)

        def write(worker: int) -> None:
            for n in range(20):
                book.record_visitors(
                    [(f"v{worker}-{n}-{k}", Choice(Proof("banner", "web"), ["analytics"]))
                     for k in range(5)]
                )  # fmt: skip
                who = {"email": f"w{worker}-{n}@example.se"}
                book.record(who, Choice(Proof("form", "web"), ["newsletter"]))
                reader.index.fresh()

        threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with store.engine.connect() as conn:
            stored = conn.execute(select(func.count(func.distinct(consent_events.c.event_id))))
            assert stored.scalar_one() == 4 * 20 * 6
        # the reader's index reloaded only new rows while they were written: none was missed
        assert all(
            reader.may({"email": f"w{w}-{n}@example.se"}, "newsletter", "email")
            for w in range(4)
            for n in range(20)
        )
        assert all(
            reader.may({"visitor": f"v{w}-{n}-4"}, "analytics", "web")
            for w in range(4)
            for n in range(20)
        )
