"""`skydd retention plan` and `skydd retention run`: the JSON contract, text, errors, the lock."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from retention_db import ids
from scenarios import HOLDS, ORDERS, Scenario
from typer.testing import CliRunner

from skydd import retention
from skydd.cli import app
from skydd.datamap.loader import LoadedMap
from skydd.store import open_store
from skydd.store.locks import LockHeld, hold_lock
from skydd.store.schema import locks

ScenarioMap = Callable[[Scenario], LoadedMap]
runner = CliRunner()


def _cli(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _json(*args: str) -> Any:
    result = _cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_plan_json_follows_the_contract(scenario_map: ScenarioMap) -> None:
    loaded = scenario_map(HOLDS)
    data = _json("retention", "plan", "--map", str(loaded.path), "--as-of", "2030-06-01")
    assert data["as_of"] == "2030-06-01"
    for entry in data["rules"]:
        assert {"rule", "table", "action", "due", "held"} <= set(entry)
        assert isinstance(entry["due"], int) and isinstance(entry["held"], int)
    by = {(e["rule"], e["table"]): e for e in data["rules"]}
    assert by["contacts", "erp.contacts"]["due"] == 3
    assert by["contacts", "erp.contacts"]["held"] == 4
    assert by["invoices", "erp.invoices"]["held_by"] == {"bookkeeping": 3}
    assert by["invoices", "erp.invoices"]["action"] == "delete"
    # children come before the tables they reference
    tables = [e["table"] for e in data["rules"]]
    assert tables.index("erp.invoices") < tables.index("erp.contacts")
    assert tables.index("erp.orders") < tables.index("erp.contacts")


@pytest.mark.parametrize("s", [ORDERS, HOLDS], ids=lambda s: s.name)
def test_run_json_deletes_what_plan_json_said(scenario_map: ScenarioMap, s: Scenario) -> None:
    loaded = scenario_map(s)
    args = ("--map", str(loaded.path), "--as-of", s.run_on.isoformat())
    plan = _json("retention", "plan", *args)
    said = {f"{e['rule']}:{e['table']}": e["due"] for e in plan["rules"] if e["due"]}
    done = _json("retention", "run", *args)
    assert done["as_of"] == s.run_on.isoformat()
    assert done["run_id"].startswith("RR-")
    assert done["done"] == said
    assert done["skipped"] == []
    after = _json("retention", "plan", *args)
    assert [e["due"] for e in after["rules"]] == [0] * len(after["rules"])
    again = _json("retention", "run", *args)
    assert (again["done"], again["batches"]) == ({}, 0)
    for table, left in s.left.items():
        assert ids(loaded, table) == left


def test_plan_and_run_as_text(scenario_map: ScenarioMap) -> None:
    loaded = scenario_map(HOLDS)
    args = ("--map", str(loaded.path), "--as-of", "2030-06-01")
    plan = _cli("retention", "plan", *args)
    assert plan.exit_code == 0, plan.output
    assert "Retention as of 2030-06-01" in plan.stdout
    assert "bookkeeping: 3" in plan.stdout
    assert "6 rows due" in plan.stdout
    run = _cli("retention", "run", *args)
    assert run.exit_code == 0, run.output
    assert "contacts:erp.contacts" in run.stdout
    assert "6 rows in" in run.stdout


def test_mistakes_are_told_plainly(scenario_map: ScenarioMap) -> None:
    loaded = scenario_map(ORDERS)
    bad_date = _cli("retention", "plan", "--map", str(loaded.path), "--as-of", "31/12/2025")
    assert bad_date.exit_code == 2
    assert "--as-of: '31/12/2025' is not a date" in bad_date.output
    no_rule = _cli("retention", "run", "--map", str(loaded.path), "--rule", "nope")
    assert no_rule.exit_code == 2
    assert "no retention rule 'nope'" in no_rule.output
    assert "order_data" in no_rule.output


def test_a_bad_batch_size_in_the_environment_is_refused(
    scenario_map: ScenarioMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = scenario_map(ORDERS)
    monkeypatch.setenv("SKYDD_RETENTION_BATCH", "lots")
    result = _cli("retention", "run", "--map", str(loaded.path), "--as-of", "2026-01-01")
    assert result.exit_code == 2
    assert "SKYDD_RETENTION_BATCH is 'lots'" in result.output
    assert ids(loaded, "erp.contacts") == [1, 2, 3, 4]
    monkeypatch.setenv("SKYDD_RETENTION_BATCH", "1")
    report = retention.run(loaded, as_of=ORDERS.run_on)
    # one contact per batch, with its orders and their lines: contacts 1 and 4
    assert report.batches == 2
    assert sum(report.done.values()) == 11


# -- the lock ------------------------------------------------------------------------------


@pytest.mark.usefixtures("file_store")
def test_a_second_run_while_one_is_running_fails_with_lock_held(
    scenario_map: ScenarioMap,
) -> None:
    loaded = scenario_map(ORDERS)
    seen: list[Any] = []

    def meanwhile(label: str, done: int, total: int) -> None:
        if not seen:  # during the first run's first batch
            seen.append(
                _cli("retention", "run", "--map", str(loaded.path), "--as-of", "2026-01-01")
            )

    report = retention.run(loaded, as_of=ORDERS.run_on, progress=meanwhile, batch=1)
    (second,) = seen
    assert second.exit_code == 2
    assert "another run holds the lock 'retention'" in second.output
    assert "hint: wait for it to finish" in second.output
    # the first run was not disturbed, and let go of the lock at the end
    assert sum(report.done.values()) == 11
    assert _json("retention", "run", "--map", str(loaded.path))["done"] == {}


def _store_url(loaded: LoadedMap) -> str:
    """The store a run uses by default: .skydd/store.db beside the map."""
    folder = Path(loaded.directory) / ".skydd"
    folder.mkdir(exist_ok=True)
    return f"sqlite:///{folder / 'store.db'}"


def _plant_lock(loaded: LoadedMap, age: timedelta) -> None:
    """A lock row left by a run on another host that was last seen `age` ago."""
    with open_store(_store_url(loaded)) as st, st.engine.begin() as conn:
        beat = (datetime.now(UTC) - age).isoformat()
        conn.execute(
            sa.insert(locks).values(
                name="retention", owner="elsewhere:4242:1", acquired_at=beat, heartbeat_at=beat
            )
        )


@pytest.mark.usefixtures("file_store")
def test_a_live_lock_of_another_host_is_respected(scenario_map: ScenarioMap) -> None:
    loaded = scenario_map(ORDERS)
    _plant_lock(loaded, timedelta(minutes=2))
    result = _cli("retention", "run", "--map", str(loaded.path), "--as-of", "2026-01-01")
    assert result.exit_code == 2
    assert "elsewhere:4242:1" in result.output
    assert ids(loaded, "erp.contacts") == [1, 2, 3, 4]


@pytest.mark.usefixtures("file_store")
def test_a_stale_lock_is_taken_over(scenario_map: ScenarioMap) -> None:
    loaded = scenario_map(ORDERS)
    _plant_lock(loaded, timedelta(minutes=11))  # older than the ten-minute time-out
    done = _json("retention", "run", "--map", str(loaded.path), "--as-of", "2026-01-01")
    assert sum(done["done"].values()) == 11
    with open_store(_store_url(loaded)) as st, st.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(locks)).scalar() == 0


@pytest.mark.usefixtures("file_store")
def test_the_lock_is_a_store_row(scenario_map: ScenarioMap) -> None:
    loaded = scenario_map(ORDERS)
    with open_store(_store_url(loaded)) as st, hold_lock(st.engine, "retention"):
        with pytest.raises(LockHeld):
            retention.run(loaded, as_of=ORDERS.run_on)
    assert sum(retention.run(loaded, as_of=ORDERS.run_on).done.values()) == 11


def test_the_heartbeat_is_kept_even_where_nothing_is_due(
    scenario_map: ScenarioMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long walk through rows that are not due still tells the lock the run is alive."""
    from skydd.store.locks import Lock

    loaded = scenario_map(ORDERS)
    beats: list[str] = []
    monkeypatch.setattr(Lock, "beat", lambda self: beats.append(self.name))
    retention.run(loaded, as_of=date(2020, 1, 1), batch=1)  # nothing due yet
    assert beats == []  # a quick run: no heartbeat needed within the minute
    monkeypatch.setattr(retention, "HEARTBEAT", -1.0)
    report = retention.run(loaded, as_of=date(2020, 1, 1), batch=1)
    assert report.batches == 0
    assert len(beats) == 3  # one per window: contacts 1, 2-3, then 4 (wider where none is due)
