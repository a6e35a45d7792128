"""`run`: access, export and erase carried out inside the lifecycle by the existing engines."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.store import RequestRecorded, Store
from skydd.workflow import IllegalTransition, State, events, get, run, submit, verify

ANNA = {"email": "anna.svensson@example.se"}


def _verified(store: Store, loaded: LoadedMap, kind: str) -> str:
    rid = submit(store, loaded, kind=kind, identities=ANNA, channel="web", lang="en",
                 actor="web").id  # fmt: skip
    verify(store, rid, actor="dpo", method="email-code")
    return rid


def test_an_access_request_is_answered_and_done(
    store: Store, loaded: LoadedMap, tmp_path: Path
) -> None:
    rid = _verified(store, loaded, "access")
    result = run(store, loaded, rid, actor="dpo", out_dir=tmp_path / "out")
    assert result.completed and result.request.state == State.done
    assert result.request.result_ref == result.engine_request_id
    assert result.summary["counts"] == {"crm.contacts": 1, "erp.invoices": 1}
    assert (tmp_path / "out" / "data.json").exists()
    assert [e.action for e in events(store, rid)] == ["submit", "verify", "start", "complete"]
    engine = [r.payload for r in store.audit.records(kind=RequestRecorded)]
    assert [(e["request_id"], e["status"]) for e in engine] == [(result.engine_request_id, "done")]
    assert get(store, rid, reveal=True).identities is None


def test_an_export_needs_a_folder(store: Store, loaded: LoadedMap, tmp_path: Path) -> None:
    rid = _verified(store, loaded, "export")
    with pytest.raises(SkyddError, match="needs a folder"):
        run(store, loaded, rid, actor="dpo")
    assert get(store, rid).state == State.verified  # checked before anything started
    result = run(store, loaded, rid, actor="dpo", out_dir=tmp_path / "export")
    assert result.completed and (tmp_path / "export" / "export.json") in result.files


def test_an_erasure_erases_and_is_done(store: Store, loaded: LoadedMap) -> None:
    rid = _verified(store, loaded, "erase")
    result = run(store, loaded, rid, actor="dpo")
    assert result.completed and result.summary["verified"] is True
    crm = loaded.directory / "crm.db"
    with sqlite3.connect(crm) as conn:
        left = conn.execute(
            "select count(*) from contacts where email = 'anna.svensson@example.se'"
        ).fetchone()[0]
    conn.close()
    assert left == 0


def test_only_a_verified_request_of_a_runnable_kind_runs(store: Store, loaded: LoadedMap) -> None:
    unverified = submit(store, loaded, kind="access", identities=ANNA, channel="web", lang="sv",
                        actor="web").id  # fmt: skip
    with pytest.raises(IllegalTransition, match="only a verified request can be run"):
        run(store, loaded, unverified, actor="dpo")
    rectify = _verified(store, loaded, "rectify")
    with pytest.raises(SkyddError, match="does not carry out by itself"):
        run(store, loaded, rectify, actor="dpo")
    done = _verified(store, loaded, "access")
    run(store, loaded, done, actor="dpo")
    with pytest.raises(SkyddError, match="no identities any more"):
        run(store, loaded, done, actor="dpo")
