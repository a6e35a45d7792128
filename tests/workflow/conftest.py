"""The workflow's fixtures: a fresh SQLite store, the small test company, a real SMTP server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from workflow_company import Smtp, company, smtp_server

from skydd.datamap.loader import LoadedMap, load_map
from skydd.store import Store, open_store

_ENV = (
    "SKYDD_DATABASE_URL",
    "SKYDD_AUDIT_ANCHOR",
    "SKYDD_AUDIT_KEY",
    "SKYDD_IDENTITY_KEY",
    "SKYDD_MAP",
    "SKYDD_ACTOR",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A developer's own SKYDD_* settings must not leak into the tests.
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def map_path(tmp_path: Path) -> Path:
    return company(tmp_path / "company", "repeat_request_interval: 3 months")


@pytest.fixture
def loaded(map_path: Path) -> LoadedMap:
    return load_map(map_path)


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One freshly migrated store, copied for each test: migrating per test costs seconds."""
    folder = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as env:
        for name in _ENV:
            env.delenv(name, raising=False)
        open_store(f"sqlite:///{folder / 'store.db'}").close()
    return folder


@pytest.fixture
def store(tmp_path: Path, migrated: Path) -> Iterator[Store]:
    for name in ("store.db", "store.db.head"):
        shutil.copy(migrated / name, tmp_path / name)
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    with smtp_server() as server:
        yield server
