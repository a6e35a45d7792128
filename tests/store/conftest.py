"""Fixtures for the store tests: a fresh SQLite store per test, and an attacker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tampering import Attacker

from skydd.store import Store, open_store

_ENV = ("SKYDD_DATABASE_URL", "SKYDD_AUDIT_ANCHOR", "SKYDD_AUDIT_KEY")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A developer's own SKYDD_* settings must not leak into the tests.
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


@pytest.fixture
def attacker(store: Store) -> Attacker:
    return Attacker(store.engine)
