"""Retention on PostgreSQL and MariaDB: the SQLite scenarios, unchanged, on real servers.

The tables are created from each scenario's map with real foreign keys (ON
DELETE as declared), so deleting a parent before its children would fail here
where SQLite would let it pass. Dates are bound as dates, keys are batched with
keyset pagination, and parents are checked with correlated EXISTS.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "retention"))

from retention_db import build, due_of, ids, rows_of, snapshot, write_map  # noqa: E402
from scenarios import (  # noqa: E402
    CRM,
    HOLDS,
    ORDERS,
    SCENARIOS,
    SUPPORT_RETENTION,
    SUPPORT_SYSTEMS,
    SURVEY_RETENTION,
    SURVEY_SYSTEMS,
    Scenario,
    many_crm,
    many_orders,
    support_rows,
    survey_rows,
)

from skydd import retention  # noqa: E402
from skydd.datamap.loader import LoadedMap  # noqa: E402
from skydd.retention.anonymise import pseudonym, scrub  # noqa: E402

pytestmark = pytest.mark.integration

Build = Callable[..., LoadedMap]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SKYDD_DATABASE_URL", "SKYDD_AUDIT_ANCHOR", "SKYDD_AUDIT_KEY", "SKYDD_MAP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SKYDD_PSEUDONYM_KEY", "server test key")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(params=["postgresql", "mariadb"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Build:
    """Builds a scenario's systems in a fresh database on the server (the store stays SQLite)."""
    url: str = request.getfixturevalue("pg_url" if request.param == "postgresql" else "mysql_url")

    def make(systems: dict[str, str], rules: str, rows: object, *, extra: str = "") -> LoadedMap:
        folder = tmp_path / "company"
        folder.mkdir(exist_ok=True)
        urls = {name: url for name in systems}
        loaded = build(write_map(folder, systems, rules, urls=urls, extra=extra), rows)  # type: ignore[arg-type]
        assert all(u.startswith(("postgresql", "mysql")) for u in loaded.urls.values())
        return loaded

    return make


def _scenario(make: Build, s: Scenario) -> LoadedMap:
    return make(s.systems, s.retention, s.rows, extra=s.extra)


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.name)
def test_plan_run_and_a_second_run(server: Build, s: Scenario) -> None:
    loaded = _scenario(server, s)
    for day, expected in s.expected.items():
        assert due_of(retention.plan(loaded, as_of=day)) == expected, day
    before = retention.plan(loaded, as_of=s.run_on)
    if s.held:
        assert {f"{r.rule}:{r.table}": r.held for r in before.rules} == s.held
        assert {f"{r.rule}:{r.table}": r.held_by for r in before.rules} == s.held_by

    report = retention.run(loaded, as_of=s.run_on, batch=2)
    assert report.done == due_of(before)
    for table, left in s.left.items():
        assert ids(loaded, table) == left, table
    assert due_of(retention.plan(loaded, as_of=s.run_on)) == {}
    state = snapshot(loaded)
    again = retention.run(loaded, as_of=s.run_on)
    assert (again.done, again.batches) == ({}, 0)
    assert snapshot(loaded) == state


def test_se1_on_the_server(server: Build) -> None:
    loaded = _scenario(server, HOLDS)
    retention.run(loaded, as_of=date(2032, 12, 31))
    assert ids(loaded, "erp.invoices") == [60, 80, 90]
    retention.run(loaded, as_of=date(2033, 1, 1))
    assert ids(loaded, "erp.invoices") == [90]
    assert ids(loaded, "erp.contacts") == [4, 8]


def test_anonymise_on_the_server(server: Build) -> None:
    loaded = server(SUPPORT_SYSTEMS, SUPPORT_RETENTION, support_rows())
    on = date(2025, 1, 1)
    plan = retention.plan(loaded, as_of=on)
    report = retention.run(loaded, as_of=on)
    expected = {"support_cases:support.cases": 2, "support_cases:support.messages": 2}
    assert report.done == due_of(plan) == expected
    cases = {r["id"]: r for r in rows_of(loaded, "support.cases")}
    assert cases[1]["requester_email"] is None and cases[1]["contact_id"] is None
    assert cases[1]["customer_ref"] == cases[4]["customer_ref"]
    assert cases[1]["customer_ref"] == pseudonym("K-1001", b"server test key")
    assert cases[4]["body"] == scrub(cases[2]["body"])
    assert due_of(retention.plan(loaded, as_of=on)) == {}
    assert retention.run(loaded, as_of=on).done == {}


def test_k_anonymity_on_the_server(server: Build) -> None:
    loaded = server(SURVEY_SYSTEMS, SURVEY_RETENTION, survey_rows(lonely=True))
    (plan,) = retention.plan(loaded, as_of=date(2021, 6, 1)).rules
    assert plan.problem is not None
    state = snapshot(loaded)
    report = retention.run(loaded, as_of=date(2021, 6, 1))
    assert report.done == {} and report.skipped[0]["reason"] == plan.problem
    assert snapshot(loaded) == state


@pytest.mark.parametrize(
    ("s", "rows", "on"),
    [(ORDERS, many_orders(60), date(2026, 1, 1)), (CRM, many_crm(120), date(2027, 6, 1))],
    ids=["orders", "crm"],
)
def test_stopped_and_resumed_on_the_server(
    server: Build, s: Scenario, rows: object, on: date
) -> None:
    loaded = server(s.systems, s.retention, rows)
    said = due_of(retention.plan(loaded, as_of=on))
    first = retention.run(loaded, as_of=on, batch=15, stop_after=2)
    assert first.batches == 2
    rest = retention.run(loaded, as_of=on, batch=15)
    done = {k: first.done.get(k, 0) + rest.done.get(k, 0) for k in said}
    assert done == said
    assert due_of(retention.plan(loaded, as_of=on)) == {}
