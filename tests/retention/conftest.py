"""Fixtures for the retention tests: a clean environment and scenario databases on SQLite."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from retention_db import Rows, build, write_map
from scenarios import Scenario

from skydd.datamap.loader import LoadedMap

_ENV = (
    "SKYDD_AUDIT_ANCHOR",
    "SKYDD_AUDIT_KEY",
    "SKYDD_PSEUDONYM_KEY",
    "SKYDD_MAP",
    "SKYDD_RETENTION_BATCH",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A developer's own SKYDD_* settings must not leak into the tests.
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    # Skydd's store in memory, fresh for every run: the tests of the lock and of the
    # audit log ask for the real file (`file_store`); the rest need not wait for fsync.
    monkeypatch.setenv("SKYDD_DATABASE_URL", "sqlite://")


@pytest.fixture
def file_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs use the store file .skydd/store.db beside the map, as by default."""
    monkeypatch.delenv("SKYDD_DATABASE_URL")


Make = Callable[..., LoadedMap]


@pytest.fixture
def make_map(tmp_path: Path) -> Make:
    """Write a map into tmp_path and build its SQLite databases."""

    def make(
        systems: dict[str, str],
        retention: str,
        rows: dict[str, Rows],
        *,
        extra: str = "",
        directory: Path | None = None,
    ) -> LoadedMap:
        where = directory or tmp_path
        where.mkdir(parents=True, exist_ok=True)
        return build(write_map(where, systems, retention, extra=extra), rows)

    return make


@pytest.fixture
def scenario_map(make_map: Make) -> Callable[[Scenario], LoadedMap]:
    def make(s: Scenario) -> LoadedMap:
        return make_map(s.systems, s.retention, s.rows, extra=s.extra)

    return make
