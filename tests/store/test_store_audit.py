"""The audit log: appending, reading back, and verify() on an untouched chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from tampering import Attacker

from skydd.store import (
    AuditEvent,
    MapChecked,
    RequestRecorded,
    StaffAction,
    Store,
    StoreInitialised,
    audit,
    open_store,
)
from skydd.store.schema import GENESIS_HASH


def test_a_new_store_starts_with_store_initialised(store: Store) -> None:
    records = list(store.audit.records())
    assert [r.kind for r in records] == ["store-initialised"]
    assert records[0].seq == 1
    assert records[0].prev_hash == GENESIS_HASH
    assert records[0].event == StoreInitialised()


def test_appended_events_read_back_typed_and_linked(store: Store) -> None:
    event = RequestRecorded(
        request_id="R-1",
        request_type="access",
        identity_kinds=["email", "personnummer"],
        systems_searched=["crm", "shop"],
        counts={"crm.customers": 1, "shop.orders": 4},
        status="done",
        reason=None,
    )
    appended = store.audit.append(event, actor="anna")
    store.audit.append(MapChecked(map_hash="ab" * 32, findings=2, errors=0))

    records = list(store.audit.records())
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[1] == appended
    assert records[1].event == event
    assert records[1].actor == "anna"
    assert records[1].at.tzinfo is not None
    for before, after in zip(records, records[1:], strict=False):
        assert after.prev_hash == before.hash
    assert store.audit.head().seq == 3
    assert store.audit.head().hash == records[2].hash


def test_records_filter_by_kind_and_time(store: Store) -> None:
    start = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    for day in range(3):
        store.audit.append(
            StaffAction(actor="anna", action="approve", target=f"r:{day}"),
            at=start + timedelta(days=day),
        )
    assert [r.payload["target"] for r in store.audit.records(kind=StaffAction)] == [
        "r:0",
        "r:1",
        "r:2",
    ]
    later = store.audit.records(since=start + timedelta(days=1), kind=StaffAction)
    assert [r.payload["target"] for r in later] == ["r:1", "r:2"]
    assert [r.kind for r in store.audit.records(kind="map-checked")] == []


def test_naive_times_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.audit.append(StoreInitialised(), at=datetime(2024, 1, 1))


def test_records_pages_through_long_logs(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "_PAGE", 4)
    for i in range(10):
        store.audit.append(StaffAction(actor="a", action="x", target=str(i)))
    assert [r.seq for r in store.audit.records()] == list(range(1, 12))
    assert [r.seq for r in store.audit.records(kind=StaffAction)] == list(range(2, 12))


def test_an_untouched_log_verifies(store: Store) -> None:
    for i in range(5):
        store.audit.append(StaffAction(actor="anna", action="approve", target=f"r:{i}"))
    result = store.audit.verify()
    assert result.ok
    assert result.problems == []
    assert result.checked == 6
    assert result.head is not None and result.head.seq == 6
    assert result.anchor == result.head
    assert result.as_dict()["version"] == 1
    assert result.as_dict()["head"]["seq"] == 6


def test_the_database_refuses_updates_and_deletes(store: Store) -> None:
    with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'x'"))
    with pytest.raises(DatabaseError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))


def test_the_anchor_is_written_beside_a_sqlite_store(store: Store, tmp_path: Path) -> None:
    record = store.audit.append(StaffAction(actor="a", action="b", target="c"))
    assert store.audit.anchor_path == tmp_path / "store.db.head"
    assert f'"hash": "{record.hash}"' in (tmp_path / "store.db.head").read_text()


def test_anchor_location_can_be_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "other-disk" / "skydd.head"
    monkeypatch.setenv("SKYDD_AUDIT_ANCHOR", str(elsewhere))
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        assert store.audit.anchor_path == elsewhere
        anchor = store.audit.verify().anchor
        assert anchor is not None and anchor.hash == store.audit.head().hash
    assert elsewhere.exists()
    assert not (tmp_path / "store.db.head").exists()


def test_missing_anchor_is_a_warning(store: Store) -> None:
    assert store.audit.anchor_path is not None
    store.audit.anchor_path.unlink()
    result = store.audit.verify()
    assert result.ok
    assert [(p.kind, p.seq) for p in result.problems] == [("anchor_missing", None)]
    assert "cannot prove the newest events were not cut off" in result.problems[0].message


def test_events_newer_than_the_anchor_are_a_warning(store: Store) -> None:
    assert store.audit.anchor_path is not None
    old_anchor = store.audit.anchor_path.read_text()
    store.audit.append(StaffAction(actor="a", action="b", target="c"))
    store.audit.anchor_path.write_text(old_anchor)
    result = store.audit.verify()
    assert result.ok
    assert [(p.kind, p.seq) for p in result.problems] == [("anchor_missing", 2)]


def test_verify_against_a_head_kept_elsewhere(store: Store, attacker: Attacker) -> None:
    for i in range(4):
        store.audit.append(StaffAction(actor="a", action="b", target=str(i)))
    ticket = store.audit.head()
    store.audit.append(StaffAction(actor="a", action="b", target="later"))
    assert store.audit.verify(expected_head=ticket).ok

    # Rewrite event 5 and everything after it, head and anchor included.
    attacker.sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5")
    attacker.rehash(5)
    attacker.sql("UPDATE audit_events SET prev_hash = :h WHERE seq = 6", h=attacker.row(5)["hash"])
    attacker.rehash(6)
    attacker.set_head(6)
    assert store.audit.anchor_path is not None
    store.audit.anchor_path.unlink()

    result = store.audit.verify(expected_head=ticket)
    assert not result.ok
    assert ("changed", 5) in [(p.kind, p.seq) for p in result.problems]


def test_an_anchor_that_cannot_be_written_does_not_lose_the_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        store.audit.append(StaffAction(actor="a", action="b", target="c"))
    monkeypatch.setenv("SKYDD_AUDIT_ANCHOR", str(tmp_path / "a-file" / "anchor.head"))
    with open_store(url) as store:
        record = store.audit.append(StaffAction(actor="a", action="b", target="d"))
        result = store.audit.verify()
    assert record.seq == 3
    assert "could not write the audit anchor" in caplog.text
    assert result.ok
    assert [p.kind for p in result.problems] == ["anchor_missing"]


def test_a_damaged_anchor_is_reported_and_then_replaced(store: Store) -> None:
    assert store.audit.anchor_path is not None
    store.audit.anchor_path.write_text("{not json")
    result = store.audit.verify()
    assert [p.kind for p in result.problems] == ["anchor_missing"]
    assert "not readable" in result.problems[0].message
    store.audit.append(StaffAction(actor="a", action="b", target="c"))
    assert store.audit.verify().problems == []


def test_only_registered_events_can_be_appended(store: Store) -> None:
    @dataclass(frozen=True)
    class Unregistered(AuditEvent):
        kind: ClassVar[str] = "test-unregistered"

    with pytest.raises(TypeError, match="register_event"):
        store.audit.append(Unregistered())
    with pytest.raises(TypeError, match="expected an AuditEvent"):
        store.audit.append({"kind": "staff-action"})  # type: ignore[arg-type]
    assert store.audit.count() == 1
