"""Fixtures for the document tests: reports in a language (see access_people.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from access_people import ANNA_ROWS, ANNA_SHARED, Report, load, person, report_for

from skydd.datamap.models import DataMap


@pytest.fixture(scope="session")
def anna() -> Callable[[str], Report]:
    """Anna's report in a language."""
    m = load("small")
    return lambda lang: report_for(m, ANNA_ROWS, ANNA_SHARED, lang)


@pytest.fixture(scope="session")
def everyone() -> Callable[[str, str], Report]:
    """A person with rows in every table of an example company, in a language."""
    maps: dict[str, DataMap] = {}

    def build(example: str, lang: str) -> Report:
        m = maps.setdefault(example, load(example))
        rows, shared = person(m)
        return report_for(m, rows, shared, lang)

    return build
