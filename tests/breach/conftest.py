"""Fixtures for the breach tests: a fresh SQLite store per test and the example maps."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from skydd.datamap.loader import LoadedMap, load_map
from skydd.store import Store, open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _integration_fixtures() -> ModuleType:
    """tests/integration/conftest.py under its own name, for its fresh-database fixtures."""
    path = Path(__file__).resolve().parents[1] / "integration" / "conftest.py"
    spec = importlib.util.spec_from_file_location("skydd_breach_integration_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pg_url = _integration_fixtures().pg_url


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SKYDD_MAP", "SKYDD_DATABASE_URL", "SKYDD_AUDIT_KEY", "SKYDD_AUDIT_ANCHOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as st:
        yield st


@pytest.fixture(scope="session")
def maps() -> dict[str, LoadedMap]:
    return {c: load_map(EXAMPLES / c / "privacy.yaml") for c in ("axsensor", "advansor", "astrak")}
