"""A run stopped part-way and started again ends where an uninterrupted run ends.

Stopped in-process after a few batches (`stop_after`) and, for real, a
`skydd retention run` process killed with SIGKILL in the middle of its batches.
Either way the audit log still verifies and tells each run's batches.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from retention_db import Rows, build, snapshot, write_map
from scenarios import (
    CRM,
    ORDERS,
    SUPPORT_RETENTION,
    SUPPORT_SYSTEMS,
    WEB_LOGS,
    many_crm,
    many_orders,
    many_support,
)
from typer.testing import CliRunner

from skydd import retention
from skydd.cli import app
from skydd.datamap.loader import LoadedMap
from skydd.retention import runner
from skydd.store import open_store

pytestmark = pytest.mark.usefixtures("file_store")

Case = tuple[dict[str, str], str, Callable[[], dict[str, Rows]], date, int]
CASES: dict[str, Case] = {
    # map, rules, rows, as_of, batch size: each about ten batches
    "orders": (ORDERS.systems, ORDERS.retention, lambda: many_orders(150), date(2026, 1, 1), 60),
    "crm": (CRM.systems, CRM.retention, lambda: many_crm(300), date(2027, 6, 1), 20),
    "support": (SUPPORT_SYSTEMS, SUPPORT_RETENTION, lambda: many_support(80), date(2026, 1, 1), 20),
}


def _twins(tmp_path: Path, case: str) -> tuple[LoadedMap, LoadedMap]:
    """The same company twice, in two folders (each with its own store)."""
    systems, rules, rows, _, _ = CASES[case]
    data = rows()
    out = []
    for name in ("interrupted", "uninterrupted"):
        folder = tmp_path / name
        folder.mkdir()
        out.append(build(write_map(folder, systems, rules), data))
    return out[0], out[1]


def _store(loaded: LoadedMap) -> str:
    return f"sqlite:///{Path(loaded.directory) / '.skydd' / 'store.db'}"


def _events(loaded: LoadedMap) -> list[tuple[str, dict[str, Any]]]:
    with open_store(_store(loaded)) as st:
        return [(r.kind, r.payload) for r in st.audit.records() if r.kind.startswith("retention")]


def _verify(loaded: LoadedMap) -> None:
    result = CliRunner().invoke(app, ["audit", "verify", "--store", _store(loaded)])
    assert result.exit_code == 0, result.output
    assert "audit chain intact" in result.output


@pytest.mark.parametrize("case", [*CASES, "orders, keys read first"])
def test_stopped_and_resumed_ends_like_an_uninterrupted_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    monkeypatch.setenv("SKYDD_PSEUDONYM_KEY", "the same key for both twins")
    if case.endswith("keys read first"):  # the batches MySQL gets
        monkeypatch.setattr(runner, "_deletes_with_self_reads", lambda engine: False)
        case = case.split(",")[0]
    on, size = CASES[case][3:]
    interrupted, whole = _twins(tmp_path, case)
    said = sum(r.due for r in retention.plan(whole, as_of=on).rules)
    assert said > 100, said

    first = retention.run(interrupted, as_of=on, batch=size, stop_after=3)
    assert first.batches == 3
    assert retention.plan(interrupted, as_of=on).rules != retention.plan(whole, as_of=on).rules
    second = retention.run(interrupted, as_of=on, batch=size, stop_after=2)
    assert second.batches == 2
    third = retention.run(interrupted, as_of=on, batch=size)
    report = retention.run(whole, as_of=on, batch=size)

    assert snapshot(interrupted) == snapshot(whole)
    runs = (first, second, third)
    assert sum(sum(r.done.values()) for r in runs) == sum(report.done.values()) == said
    assert sum(r.due for r in retention.plan(interrupted, as_of=on).rules) == 0

    # one started/finished pair per run, and a batch event per committed batch
    _verify(interrupted)
    events = _events(interrupted)
    kinds = Counter(kind for kind, _ in events)
    assert kinds["retention-run-started"] == kinds["retention-run-finished"] == 3
    finished = [p for kind, p in events if kind == "retention-run-finished"]
    assert [p["complete"] for p in finished] == [False, False, True]
    batches: dict[str, set[int]] = defaultdict(set)
    rows: Counter[str] = Counter()
    for kind, p in events:
        if kind == "retention-batch":
            batches[p["run_id"]].add(p["batch"])
            rows[p["run_id"]] += p["rows"]
    for run in runs:
        assert batches[run.run_id] == set(range(1, run.batches + 1))
        assert rows[run.run_id] == sum(run.done.values())


# -- a real kill --------------------------------------------------------------------------


def _skydd() -> list[str]:
    script = Path(sys.executable).with_name("skydd")
    return [str(script)] if script.exists() else [sys.executable, "-m", "skydd.cli"]


def _batch_events(store_db: Path) -> int:
    if not store_db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{store_db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute(
                "select count(*) from audit_events where kind = 'retention-batch'"
            ).fetchone()
        conn.close()
    except sqlite3.OperationalError:  # the store is still being created
        return 0
    return int(row[0])


def _web_logs(folder: Path, n: int) -> LoadedMap:
    folder.mkdir()
    start = datetime(2024, 1, 1)
    rows = [
        {
            "id": i,
            "requested_at": start + timedelta(minutes=37 * i),
            "client_ip": f"10.0.{i % 250}.1",
        }
        for i in range(1, n + 1)
    ]
    return build(
        write_map(folder, WEB_LOGS.systems, WEB_LOGS.retention), {"web": {"access_log": rows}}
    )


def test_a_killed_run_is_finished_by_the_next(tmp_path: Path) -> None:
    on = "2025-06-01"
    killed = _web_logs(tmp_path / "killed", 6_000)
    (tmp_path / "whole").mkdir()
    whole = build(write_map(tmp_path / "whole", WEB_LOGS.systems, WEB_LOGS.retention), {})
    shutil.copy(Path(killed.directory) / "web.db", Path(whole.directory) / "web.db")
    due = sum(r.due for r in retention.plan(killed, as_of=date.fromisoformat(on)).rules)
    assert due > 3_000

    env = {**os.environ, "SKYDD_RETENTION_BATCH": "5"}
    store_db = Path(killed.directory) / ".skydd" / "store.db"
    command = [*_skydd(), "retention", "run", "--map", str(killed.path), "--as-of", on]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while _batch_events(store_db) < 5:
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
    assert 0 < left < due  # it died in the middle

    # the dead run's lock is still fresh: a run right now is refused ...
    again = CliRunner().invoke(app, ["retention", "run", "--map", str(killed.path), "--as-of", on])
    assert again.exit_code == 2
    assert "another run holds the lock 'retention'" in again.output
    # ... and once its heartbeat is older than the time-out, the next run takes over
    with sqlite3.connect(store_db) as conn:
        old = (datetime.now(UTC) - timedelta(minutes=11)).isoformat()
        conn.execute("update locks set heartbeat_at = ?", (old,))
    conn.close()
    resumed = retention.run(killed, as_of=date.fromisoformat(on))
    assert sum(resumed.done.values()) == left
    retention.run(whole, as_of=date.fromisoformat(on))
    assert snapshot(killed) == snapshot(whole)

    _verify(killed)
    events = _events(killed)
    started = [p["run_id"] for kind, p in events if kind == "retention-run-started"]
    finished = [p["run_id"] for kind, p in events if kind == "retention-run-finished"]
    assert len(started) == 2 and finished == [resumed.run_id] == started[1:]
    batch_rows = Counter[str]()
    for kind, p in events:
        if kind == "retention-batch":
            batch_rows[p["run_id"]] += p["rows"]
    assert batch_rows[resumed.run_id] == left
    # The kill may fall between a batch's commit and its audit event: at most that one
    # batch of the dead run is missing from the log.
    assert 0 <= (due - left) - batch_rows[started[0]] <= 20  # a window of at most 4 x 5
