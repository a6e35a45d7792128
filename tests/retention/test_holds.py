"""Legal holds the DPO places on one person: honoured by retention, found by erasure."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from retention_db import ids
from scenarios import ORDERS, Scenario
from typer.testing import CliRunner

from skydd import retention
from skydd.cli import app
from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.retention.holds import add_hold, list_holds, person_holds_for, release_hold
from skydd.store import open_store

ON = ORDERS.run_on  # 2026-01-01: contacts 1 and 4 are due, with their orders and lines


@pytest.fixture
def erp(scenario_map: Callable[[Scenario], LoadedMap], tmp_path: Path) -> tuple[LoadedMap, str]:
    return scenario_map(ORDERS), f"sqlite:///{tmp_path / 'store.db'}"


def _held(loaded: LoadedMap, store: str) -> str:
    hold = add_hold(
        loaded,
        [("email", "A@Example.se")],
        reason="Tvist T-2025-17",
        by="Dina DPO",
        store=store,
    )
    assert hold.rows == {"erp.contacts": 1, "erp.orders": 2, "erp.order_lines": 3}
    return hold.hold_id


def test_the_persons_rows_are_held_from_retention_with_the_reason(
    erp: tuple[LoadedMap, str],
) -> None:
    loaded, store = erp
    hold_id = _held(loaded, store)
    plan = {r.table: r for r in retention.plan(loaded, as_of=ON, store=store).rules}
    label = f"legal claim {hold_id}: Tvist T-2025-17"
    assert (plan["erp.contacts"].due, plan["erp.contacts"].held) == (1, 1)
    assert plan["erp.contacts"].held_by == {label: 1}
    assert plan["erp.orders"].held_by == {label: 2}
    assert plan["erp.order_lines"].held_by == {label: 3}

    report = retention.run(loaded, as_of=ON, store=store)
    assert report.done == {
        "order_data:erp.order_lines": 3,
        "order_data:erp.orders": 1,
        "order_data:erp.contacts": 1,
    }
    assert ids(loaded, "erp.contacts") == [1, 2, 3]
    assert ids(loaded, "erp.orders") == [10, 11, 20, 30]

    released = release_hold(loaded, hold_id, by="Dina DPO", store=store)
    assert released.released_by == "Dina DPO"
    assert list_holds(loaded, store=store) == []
    retention.run(loaded, as_of=ON, store=store)
    assert ids(loaded, "erp.contacts") == [2, 3]
    with pytest.raises(SkyddError, match="was released"):
        release_hold(loaded, hold_id, by="Dina DPO", store=store)


def test_a_hold_ends_after_its_until_date(erp: tuple[LoadedMap, str]) -> None:
    loaded, store = erp
    add_hold(
        loaded, {"email": "a@example.se"}, reason="claim", by="D", until=date(2025, 12, 31),
        store=store,
    )  # fmt: skip
    assert len(list_holds(loaded, store=store, as_of=date(2025, 12, 31))) == 1
    assert list_holds(loaded, store=store, as_of=ON) == []
    plan = {r.table: r for r in retention.plan(loaded, as_of=ON, store=store).rules}
    assert plan["erp.contacts"].due == 2 and not plan["erp.contacts"].held_by


def test_erasure_finds_the_hold_by_identity_or_by_rows(erp: tuple[LoadedMap, str]) -> None:
    loaded, store = erp
    hold_id = _held(loaded, store)
    with open_store(store) as st:
        by_identity = person_holds_for(st, loaded, [("email", "a@example.se")], as_of=ON)
        assert [m.hold.hold_id for m in by_identity] == [hold_id]
        assert sorted(by_identity[0].rows["erp.orders"]) == [(10,), (11,)]
        assert by_identity[0].ground == "17(3)(e)"
        by_rows = person_holds_for(st, loaded, {"erp.orders": [(11,), (20,)]}, as_of=ON)
        assert [(m.hold.hold_id, m.rows) for m in by_rows] == [(hold_id, {"erp.orders": [(11,)]})]
        assert person_holds_for(st, loaded, [("email", "b@example.se")], as_of=ON) == []
        assert person_holds_for(st, loaded, {"erp.orders": [(20,)]}, as_of=ON) == []


def test_no_identity_and_no_reason_is_kept_in_the_audit_log(erp: tuple[LoadedMap, str]) -> None:
    loaded, store = erp
    hold_id = _held(loaded, store)
    release_hold(loaded, hold_id, by="Dina DPO", store=store)
    with open_store(store) as st:
        events = [r for r in st.audit.records() if r.kind.startswith("person-hold")]
        with st.engine.connect() as conn:
            stored = [
                tuple(r) for r in conn.exec_driver_sql("select * from person_hold_identities")
            ]
    text = json.dumps([e.payload for e in events])
    assert [e.kind for e in events] == ["person-hold-placed", "person-hold-released"]
    assert events[0].payload["identity_kinds"] == ["email"]
    assert "example.se" not in text and "Tvist" not in text
    assert stored and all("example" not in str(v) for row in stored for v in row)


def test_the_cli_adds_lists_and_releases(erp: tuple[LoadedMap, str]) -> None:
    loaded, store = erp
    base = ["--map", str(loaded.path), "--store", store]
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["hold", "add", *base, "--identity", "email=a@example.se", "--reason", "Tvist",
         "--by", "Dina DPO", "--until", "2027-01-01", "--format", "json"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    hold_id = json.loads(added.stdout)["hold_id"]
    listed = runner.invoke(app, ["hold", "list", *base, "--format", "json"])
    assert [h["hold_id"] for h in json.loads(listed.stdout)["holds"]] == [hold_id]
    plan = runner.invoke(
        app, ["retention", "plan", *base, "--as-of", ON.isoformat(), "--format", "json"]
    )
    contacts = next(r for r in json.loads(plan.stdout)["rules"] if r["table"] == "erp.contacts")
    assert contacts["held_by"] == {f"legal claim {hold_id}: Tvist": 1}
    as_text = runner.invoke(app, ["hold", "list", *base])
    assert as_text.exit_code == 0 and hold_id in as_text.stdout and "Tvist" in as_text.stdout
    plan_text = runner.invoke(app, ["retention", "plan", *base, "--as-of", ON.isoformat()])
    assert plan_text.exit_code == 0 and "legal" in plan_text.stdout  # the column wraps
    gone = runner.invoke(app, ["hold", "release", hold_id, *base, "--by", "Dina DPO"])
    assert gone.exit_code == 0 and f"{hold_id} released" in gone.stdout
    unknown = runner.invoke(app, ["hold", "release", "LH-nope", *base, "--by", "D"])
    assert unknown.exit_code == 2 and "no legal hold 'LH-nope'" in unknown.output
    bad = runner.invoke(app, ["hold", "add", *base, "--identity", "email=a@example.se",
                              "--reason", " ", "--by", "D"])  # fmt: skip
    assert bad.exit_code == 2 and "needs a reason" in bad.output
