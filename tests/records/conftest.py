"""Fixtures for the records tests: the five example maps, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from skydd.datamap.loader import LoadedMap, load_map

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COMPANIES = ("acte", "advansor", "astrak", "axsensor", "entrack")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes seconds (LibreOffice); kept in the suite")


@pytest.fixture(scope="session")
def examples() -> dict[str, LoadedMap]:
    return {c: load_map(EXAMPLES / c / "privacy.yaml") for c in COMPANIES}


@pytest.fixture(autouse=True)
def _no_map_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKYDD_MAP", raising=False)
