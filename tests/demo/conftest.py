"""Demos of the five example companies, built once per test session with 200 people."""

from __future__ import annotations

import pytest
from demo_helpers import AS_OF, PEOPLE, SEED, require_example

from skydd.demo import COMPANIES, DemoResult, build_demo


@pytest.fixture(scope="session", params=COMPANIES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """One company's demo (SQLite), shared by the tests that only read it."""
    company: str = request.param
    require_example(company)
    directory = tmp_path_factory.mktemp(company) / "demo"
    return build_demo(company, directory, people=PEOPLE, seed=SEED, as_of=AS_OF)
