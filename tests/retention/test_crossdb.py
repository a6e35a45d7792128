"""Rules anchored in another database: judged there by key, carried out here, on SQLite files.

Each system of the scenario is a SQLite file of its own, so nothing can be joined
across them: the anchor's side is read as keys and applied to the other side by key.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from crossdb_scenarios import CROSSDB, RETENTION, SYSTEMS, many
from retention_db import build, counts, due_of, ids, snapshot, write_map
from scenarios import Scenario
from test_crash import _batch_events, _skydd

from skydd import retention
from skydd.checking import run_check
from skydd.datamap.loader import LoadedMap, load_map
from skydd.retention import crossdb, runner
from skydd.retention.planner import plan_retention

ScenarioMap = Callable[[Scenario], LoadedMap]


def test_each_system_is_a_database_of_its_own(scenario_map: ScenarioMap) -> None:
    loaded = scenario_map(CROSSDB)
    assert len(set(loaded.urls.values())) == 3


def test_plan_on_both_sides_of_every_boundary(scenario_map: ScenarioMap) -> None:
    loaded = scenario_map(CROSSDB)
    for day, expected in CROSSDB.expected.items():
        assert due_of(retention.plan(loaded, as_of=day)) == expected, day
    report = retention.plan(loaded, as_of=CROSSDB.run_on)
    assert not [r for r in report.rules if r.problem]
    found = counts(report)
    for label, held in CROSSDB.held.items():
        assert found[label][1] == held, label
    by = {f"{r.rule}:{r.table}": r.held_by for r in report.rules}
    for label, reasons in CROSSDB.held_by.items():
        assert by[label] == reasons, label


@pytest.mark.parametrize(
    ("batch", "keys_first"), [(1, False), (2, False), (1000, False), (1, True), (1000, True)]
)
def test_a_run_does_what_the_plan_said_and_a_second_does_nothing(
    scenario_map: ScenarioMap, monkeypatch: pytest.MonkeyPatch, batch: int, keys_first: bool
) -> None:
    if keys_first:  # the batches MySQL gets: keys read, then deleted
        monkeypatch.setattr(runner, "_deletes_with_self_reads", lambda engine: False)
    loaded = scenario_map(CROSSDB)
    on = CROSSDB.run_on
    said = due_of(retention.plan(loaded, as_of=on))
    report = retention.run(loaded, as_of=on, batch=batch)
    assert report.done == said
    assert not report.skipped
    for table, left in CROSSDB.left.items():
        assert ids(loaded, table) == left, table
    assert due_of(retention.plan(loaded, as_of=on)) == {}
    again = retention.run(loaded, as_of=on)
    assert again.done == {} and again.batches == 0


def test_the_remote_keys_are_read_a_chunk_at_a_time(
    scenario_map: ScenarioMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of one key give the same counts and the same end state as one chunk."""
    loaded = scenario_map(CROSSDB)
    whole = due_of(retention.plan(loaded, as_of=date(2026, 1, 1)))
    monkeypatch.setattr(crossdb, "CHUNK", 1)
    chunks: list[dict[str, list[object]]] = []
    seen = crossdb.Bridged.chunks

    def spy(self: crossdb.Bridged, size: int = 1) -> object:
        for params in seen(self, size):
            chunks.append(params)
            yield params

    monkeypatch.setattr(crossdb.Bridged, "chunks", spy)
    assert due_of(retention.plan(loaded, as_of=date(2026, 1, 1))) == whole
    assert chunks and all(len(v) <= 1 for p in chunks for v in p.values())


def test_the_anchor_table_is_resolved_among_the_rules_own_tables(tmp_path: Path) -> None:
    """Entrack: `customers.last_contact` for a CRM table is the ERP's customers."""
    rules = RETENTION.replace(
        "tables: [crm.activities, newsletter.subscribers, newsletter.sends]\n"
        "    anchor: erp.contacts.customer_until",
        "tables: [erp.contacts, crm.activities, newsletter.subscribers, newsletter.sends]\n"
        "    anchor: contacts.customer_until",
    )
    assert rules != RETENTION
    path = write_map(tmp_path, SYSTEMS, rules)
    plan = plan_retention(load_map(path).datamap, date(2025, 1, 1), rule="history")
    assert not plan.unenforceable
    bridged = {tp.table: tp.bridge for tp in plan.tables}
    assert bridged["erp.contacts"] is None
    bridge = bridged["crm.activities"]
    assert bridge is not None and bridge.edge.parent == "erp.contacts"


def test_lint_no_longer_reports_what_is_enforced(tmp_path: Path) -> None:
    path = write_map(tmp_path, SYSTEMS, RETENTION)
    assert "SKD111" not in {f.code for f in run_check(path).findings}


def test_lint_reports_what_truly_cannot_be_enforced(tmp_path: Path) -> None:
    """An anonymisation by a remote anchor, and a table with no reference to the anchor."""
    systems = dict(SYSTEMS)
    systems["web"] = """
    visits:
      primary_key: id
      columns:
        id: {category: system.operations, type: integer}
        note: {category: user.content.private, type: text, free_text: true}
    """
    rules = RETENTION.replace(
        "\nholds:",
        """
  loose:
    tables: [web.visits]
    anchor: erp.contacts.customer_until
    period: 1 year
  blurred:
    tables: [crm.activities]
    anchor: erp.contacts.customer_until
    period: 1 year
    action: anonymise
holds:""",
    )
    path = write_map(tmp_path, systems, rules)
    found = [f for f in run_check(path).findings if f.code == "SKD111"]
    assert sorted(f.message.split(":")[0] for f in found) == [
        "rule 'blurred' cannot be enforced on crm.activities",
        "rule 'loose' cannot be enforced on web.visits",
    ]


def _twins(tmp_path: Path, n: int) -> tuple[LoadedMap, LoadedMap]:
    data = many(n)
    out = []
    for name in ("interrupted", "uninterrupted"):
        folder = tmp_path / name
        folder.mkdir()
        out.append(build(write_map(folder, SYSTEMS, RETENTION), data))
    return out[0], out[1]


def test_stopped_mid_run_and_resumed_ends_like_an_uninterrupted_run(tmp_path: Path) -> None:
    on = date(2026, 1, 1)
    interrupted, whole = _twins(tmp_path, 80)
    said = sum(r.due for r in retention.plan(whole, as_of=on).rules)
    assert said > 150
    first = retention.run(interrupted, as_of=on, batch=7, stop_after=5)
    assert first.batches == 5
    second = retention.run(interrupted, as_of=on, batch=7, stop_after=9)
    third = retention.run(interrupted, as_of=on, batch=7)
    retention.run(whole, as_of=on, batch=7)
    assert snapshot(interrupted) == snapshot(whole)
    runs = (first, second, third)
    assert sum(sum(r.done.values()) for r in runs) == said
    assert due_of(retention.plan(interrupted, as_of=on)) == {}


@pytest.mark.usefixtures("file_store")
def test_a_run_killed_mid_batch_is_finished_by_the_next(tmp_path: Path) -> None:
    """SIGKILL in the middle of the cross-database batches, then a resumed run."""
    killed, whole = _twins(tmp_path, 80)
    on = "2026-01-01"
    due = sum(r.due for r in retention.plan(killed, as_of=date.fromisoformat(on)).rules)
    env = {**os.environ, "SKYDD_RETENTION_BATCH": "1"}
    store_db = Path(killed.directory) / ".skydd" / "store.db"
    command = [*_skydd(), "retention", "run", "--map", str(killed.path), "--as-of", on]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while _batch_events(store_db) < 8:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the run never got going"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()
    left = sum(r.due for r in retention.plan(killed, as_of=date.fromisoformat(on)).rules)
    assert 0 < left < due
    with sqlite3.connect(store_db) as conn:  # the dead run's lock, taken over once stale
        old = (datetime.now(UTC) - timedelta(minutes=11)).isoformat()
        conn.execute("update locks set heartbeat_at = ?", (old,))
    conn.close()
    resumed = retention.run(killed, as_of=date.fromisoformat(on))
    assert sum(resumed.done.values()) == left
    retention.run(whole, as_of=date.fromisoformat(on))
    assert snapshot(killed) == snapshot(whole)


@pytest.mark.parametrize("company", ["acte", "entrack", "advansor"])
def test_the_example_companies_rules_are_all_enforced(company: str) -> None:
    """ACTE's sales history, Entrack's CRM activities and Advansor's KYC records were
    reported "not enforced" while anchors had to sit in the table's own database."""
    path = Path(__file__).resolve().parents[2] / "examples" / company / "privacy.yaml"
    assert "SKD111" not in {f.code for f in run_check(path).findings}
    plan = plan_retention(load_map(path).datamap, date(2026, 11, 22))
    assert plan.unenforceable == []
    assert any(tp.bridge is not None for tp in plan.tables)
