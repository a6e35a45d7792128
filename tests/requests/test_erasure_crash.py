"""Crash tests: an erasure across three databases killed at every checkpoint, then resumed.

Whatever the point of death, the resumed erasure ends in the same database state as an
uninterrupted run, with the same blocked rows and one audit trail: the same events,
none twice, plus one `erasure-resumed` when there was a saga to resume.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from erasure_company import ANNA, build, dump, execute

from skydd.execution import saga as sagas
from skydd.execution.saga import StepFailed
from skydd.requests.erasure import erase
from skydd.retention.anonymise import KEY_ENV
from skydd.store import open_store
from skydd.store.schema import blocked_rows, erasure_sagas

TODAY = date(2026, 11, 22)
CHECKPOINTS = 16  # saved; 4 per step (3 databases); verifying, recorded, finished


class Crash(BaseException):
    """A process dying: no `except Exception` handler sees it."""


@pytest.fixture(autouse=True, scope="module")
def same_pseudonym_key() -> Iterator[None]:
    """Every run hashes with the same key, so anonymised values compare across runs."""
    old = os.environ.get(KEY_ENV)
    os.environ[KEY_ENV] = "crash-test-key"
    yield
    if old is None:
        del os.environ[KEY_ENV]
    else:
        os.environ[KEY_ENV] = old


@pytest.fixture
def hooks() -> Iterator[list[sagas.Hook]]:
    yield sagas.HOOKS
    sagas.HOOKS.clear()


def _state(directory: Path) -> dict[str, Any]:
    """Company databases, blocked rows and the audit trail, with ids made comparable."""
    with open_store(None, default_dir=directory) as st:
        with st.engine.connect() as conn:
            blocks = sorted(
                (r.table_key, r.row_key, r.hold, r.until)
                for r in conn.execute(sa.select(blocked_rows))
            )
            ids = [r.saga_id for r in conn.execute(sa.select(erasure_sagas.c.saga_id))]
            status = [r.status for r in conn.execute(sa.select(erasure_sagas.c.status))]
        trail = []
        resumed = 0
        for r in st.audit.records():
            if r.kind == "erasure-resumed":
                resumed += 1
                continue
            if r.kind == "store-initialised":
                continue
            payload = {
                k: ("ID" if k in ("saga_id", "request_id") else v) for k, v in r.payload.items()
            }
            trail.append((r.kind, payload))
    return {"db": dump(directory), "blocks": blocks, "trail": trail, "sagas": len(ids),
            "status": status, "resumed": resumed}  # fmt: skip


def _saga_id(directory: Path) -> str | None:
    with open_store(None, default_dir=directory) as st, st.engine.connect() as conn:
        return conn.execute(sa.select(erasure_sagas.c.saga_id)).scalar_one_or_none()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    directory = tmp_path_factory.mktemp("reference")
    path = build(directory)
    names: list[str] = []
    sagas.HOOKS.append(names.append)
    try:
        result = erase(path, ANNA, as_of=TODAY)
    finally:
        sagas.HOOKS.clear()
    assert result.verified and len(result.steps) == 3
    return {"state": _state(directory), "checkpoints": names}


def test_reference_run_passes_every_checkpoint(reference: dict[str, Any]) -> None:
    names = reference["checkpoints"]
    assert len(names) == CHECKPOINTS
    assert names[0] == "saved" and names[-1] == "finished"
    assert len([n for n in names if n.endswith("before commit")]) == 3
    assert reference["state"]["status"] == ["done"]


def _crash_at(k: int) -> sagas.Hook:
    count = [0]

    def hook(name: str) -> None:
        count[0] += 1
        if count[0] == k:
            raise Crash(name)

    return hook


def _resume(path: Path, k: int) -> None:
    """Take the erasure up again: by id, or (every other time) by running it again."""
    saga_id = _saga_id(path.parent)
    if saga_id is None or k % 2 == 0:
        with open_store(None, default_dir=path.parent) as st, st.engine.connect() as conn:
            running = conn.execute(
                sa.select(erasure_sagas.c.status).where(erasure_sagas.c.status == "running")
            ).first()
        if saga_id is None or running is not None:
            result = erase(path, ANNA, as_of=TODAY)
            assert result.verified
            return
    assert saga_id is not None
    result = erase(path, resume=saga_id)
    assert result.verified and result.resumed


def _check(path: Path, reference: dict[str, Any]) -> None:
    state = _state(path.parent)
    expected = reference["state"]
    assert state["db"] == expected["db"]
    assert state["blocks"] == expected["blocks"]
    assert state["trail"] == expected["trail"]
    assert state["sagas"] == 1 and state["status"] == ["done"]


@pytest.mark.parametrize("k", range(1, CHECKPOINTS + 1))
def test_crash_at_every_checkpoint(
    k: int, reference: dict[str, Any], tmp_path: Path, hooks: list[sagas.Hook]
) -> None:
    names = reference["checkpoints"]
    path = build(tmp_path)
    hooks.append(_crash_at(k))
    with pytest.raises(Crash):
        erase(path, ANNA, as_of=TODAY)
    hooks.clear()
    _resume(path, k)
    _check(path, reference)
    saved = names.index("saved") < k
    assert _state(tmp_path)["resumed"] == (1 if saved and names[k - 1] != "finished" else 0)


@pytest.mark.parametrize("point", ["step 2 before commit", "recorded"])
def test_a_killed_process_is_resumed(point: str, reference: dict[str, Any], tmp_path: Path) -> None:
    """A real process death (os._exit, no cleanup at all) at a checkpoint, then a rerun."""
    path = build(tmp_path)
    k = reference["checkpoints"].index(point) + 1
    code = (
        "import datetime, sys; from skydd.requests.erasure import erase; "
        f"erase(sys.argv[1], {ANNA!r}, as_of=datetime.date(2026, 11, 22))"
    )
    env = {**os.environ, sagas.CRASH_ENV: str(k)}
    done = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True)
    assert done.returncode == 86, done.stderr.decode()
    result = erase(path, ANNA, as_of=TODAY)
    assert result.verified and result.resumed
    _check(path, reference)


def test_a_failing_step_is_recorded_and_can_be_resumed(
    reference: dict[str, Any], tmp_path: Path, hooks: list[sagas.Hook]
) -> None:
    path = build(tmp_path)

    def break_support(name: str) -> None:
        if name == "saved":
            execute(tmp_path, "support", "alter table tickets rename to tickets_away")

    hooks.append(break_support)
    with pytest.raises(StepFailed, match="support") as failed:
        erase(path, ANNA, as_of=TODAY)
    hooks.clear()
    assert "resume" in (failed.value.hint or "")
    execute(tmp_path, "support", "alter table tickets_away rename to tickets")
    trail = _state(tmp_path)["trail"]
    assert trail[-1][0] == "request-recorded" and trail[-1][1]["status"] == "interrupted"
    saga_id = _saga_id(tmp_path)
    assert saga_id is not None
    result = erase(path, resume=saga_id)
    assert result.verified
    state = _state(tmp_path)
    assert state["db"] == reference["state"]["db"]
    without = [e for e in state["trail"] if e[1].get("status") != "interrupted"]
    assert without == reference["state"]["trail"]


def test_a_running_saga_is_not_taken_over(tmp_path: Path, hooks: list[sagas.Hook]) -> None:
    path = build(tmp_path)
    hooks.append(_crash_at(2))
    with pytest.raises(Crash):
        erase(path, ANNA, as_of=TODAY)
    hooks.clear()
    with open_store(None, default_dir=tmp_path) as st, st.engine.begin() as conn:
        conn.execute(sa.update(erasure_sagas).values(owner="another-host:1234"))
    with pytest.raises(sagas.SagaBusy, match="another-host"):
        erase(path, ANNA, as_of=TODAY)
