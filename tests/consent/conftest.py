"""A small Swedish company for the consent tests: a CRM and a newsletter system.

The databases are built with SQLAlchemy from one description, so the same company runs on
SQLite here and on PostgreSQL or MariaDB in the integration tests (the map reads the URLs
from CONSENT_CRM_URL and CONSENT_MAIL_URL, SQLite files beside the map by default).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from consent_company import MAP, build_company

from skydd.consent import ConsentBook
from skydd.consent.default import close_all
from skydd.datamap.loader import LoadedMap, load_map
from skydd.store import Store, open_store


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ("SKYDD_DATABASE_URL", "SKYDD_AUDIT_KEY", "SKYDD_MAP", "SKYDD_PSEUDONYM_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CONSENT_CRM_URL", raising=False)
    monkeypatch.delenv("CONSENT_MAIL_URL", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield
    close_all()


@pytest.fixture
def company(tmp_path: Path) -> Path:
    """The map (privacy.yaml) with its SQLite databases beside it."""
    (tmp_path / "privacy.yaml").write_text(MAP, encoding="utf-8")
    build_company(f"sqlite:///{tmp_path / 'crm.db'}", f"sqlite:///{tmp_path / 'mail.db'}")
    return tmp_path / "privacy.yaml"


@pytest.fixture
def loaded(company: Path) -> LoadedMap:
    return load_map(company)


@pytest.fixture
def store(loaded: LoadedMap) -> Iterator[Store]:
    with open_store(None, default_dir=loaded.directory) as opened:
        yield opened


@pytest.fixture
def book(store: Store, loaded: LoadedMap) -> ConsentBook:
    return ConsentBook(store, loaded)
