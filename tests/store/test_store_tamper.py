"""verify() names each kind of tampering someone with SQL access can do.

Each test starts from a log of ten events (seq 1..10), edits it the way an
attacker would, and checks that verify() reports exactly what happened.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tampering import Attacker

from skydd.store import AuditLog, StaffAction, Store, VerifyResult, open_store


@pytest.fixture
def log(store: Store) -> AuditLog:
    for i in range(2, 11):
        store.audit.append(StaffAction(actor="anna", action="approve", target=f"r:{i}"))
    return store.audit


def found(result: VerifyResult) -> list[tuple[str, int | None]]:
    return [(p.kind, p.seq) for p in result.problems]


def test_changed_content(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 4")
    result = log.verify()
    assert not result.ok
    assert found(result) == [("changed", 4)]
    assert "event 4 (staff-action" in result.problems[0].message


def test_changed_payload_with_recomputed_hash(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql(
        "UPDATE audit_events SET payload = :p WHERE seq = 6",
        p='{"action":"refuse","actor":"anna","target":"r:6"}',
    )
    attacker.rehash(6)
    result = log.verify()
    assert found(result) == [("changed", 6)]
    assert "replaced" in result.problems[0].message


def test_changed_last_event_with_recomputed_hash_and_head(
    log: AuditLog, attacker: Attacker
) -> None:
    attacker.sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 10")
    attacker.rehash(10)
    attacker.set_head(10)
    assert found(log.verify()) == [("changed", 10)]


def test_removed_event(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("DELETE FROM audit_events WHERE seq = 5")
    result = log.verify()
    assert found(result) == [("removed", 5)]
    assert result.problems[0].message == "event 5 was removed from the log"


def test_removed_events_with_renumbering(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("DELETE FROM audit_events WHERE seq IN (4, 5)")
    for seq in range(6, 11):
        attacker.sql("UPDATE audit_events SET seq = :new WHERE seq = :old", new=seq - 2, old=seq)
    attacker.set_head(8)
    result = log.verify()
    assert found(result) == [("removed", 4)]
    assert "events 4 to 5 were removed" in result.problems[0].message


def test_removed_first_event(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("DELETE FROM audit_events WHERE seq = 1")
    assert found(log.verify()) == [("removed", 1)]


def test_inserted_event_with_renumbering(log: AuditLog, attacker: Attacker) -> None:
    for seq in range(10, 6, -1):
        attacker.sql("UPDATE audit_events SET seq = :new WHERE seq = :old", new=seq + 1, old=seq)
    attacker.forge(7, prev_hash=attacker.row(6)["hash"])
    attacker.set_head(11)
    result = log.verify()
    assert found(result) == [("inserted", 7)]
    assert "inserted" in result.problems[0].message


def test_inserted_event_at_the_end(log: AuditLog, attacker: Attacker) -> None:
    attacker.forge(11, prev_hash=attacker.row(10)["hash"])
    assert found(log.verify()) == [("inserted", 11)]


def test_inserted_events_at_the_end_with_head_moved(log: AuditLog, attacker: Attacker) -> None:
    # audit_head is fooled; the anchor file is not.
    attacker.forge(11, prev_hash=attacker.row(10)["hash"])
    attacker.set_head(11)
    result = log.verify()
    assert result.ok  # only the anchor can tell, and it may lag a crashed append
    assert found(result) == [("anchor_missing", 11)]


def test_inserted_row_with_a_made_up_hash(log: AuditLog, attacker: Attacker) -> None:
    for seq in range(10, 2, -1):
        attacker.sql("UPDATE audit_events SET seq = :new WHERE seq = :old", new=seq + 1, old=seq)
    attacker.forge(3, prev_hash="f" * 64)
    attacker.set_head(11)
    assert found(log.verify()) == [("inserted", 3)]


def test_inserted_row_with_garbage_hashes(log: AuditLog, attacker: Attacker) -> None:
    attacker.forge(11, prev_hash="f" * 64)
    attacker.sql("UPDATE audit_events SET hash = :h WHERE seq = 11", h="e" * 64)
    attacker.set_head(10)
    result = log.verify()
    assert found(result) == [("inserted", 11)]
    assert "does not match its hash" in result.problems[0].message


def test_reordered_events(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("UPDATE audit_events SET seq = -1 WHERE seq = 3")
    attacker.sql("UPDATE audit_events SET seq = 3 WHERE seq = 7")
    attacker.sql("UPDATE audit_events SET seq = 7 WHERE seq = -1")
    result = log.verify()
    assert found(result) == [("reordered", 3), ("reordered", 7)]
    assert "written as event 7" in result.problems[0].message


def test_reordered_neighbours(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("UPDATE audit_events SET seq = -1 WHERE seq = 4")
    attacker.sql("UPDATE audit_events SET seq = 4 WHERE seq = 5")
    attacker.sql("UPDATE audit_events SET seq = 5 WHERE seq = -1")
    assert found(log.verify()) == [("reordered", 4), ("reordered", 5)]


def test_truncated_with_head_moved_back(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("DELETE FROM audit_events WHERE seq > 8")
    attacker.set_head(8)
    result = log.verify()
    assert found(result) == [("truncated", 9)]
    assert "events 9 to 10 were cut off" in result.problems[0].message
    assert "anchor" in result.problems[0].message


def test_truncated_without_touching_the_head(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("DELETE FROM audit_events WHERE seq = 10")
    assert found(log.verify()) == [("truncated", 10)]


def test_truncated_to_nothing(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("DELETE FROM audit_events")
    attacker.sql("UPDATE audit_head SET seq = 0, hash = :h WHERE id = 1", h="0" * 64)
    result = log.verify()
    assert found(result) == [("truncated", 1)]
    assert result.checked == 0


def test_whole_chain_rewritten_is_caught_by_the_anchor(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
    for seq in range(2, 11):
        if seq > 2:
            previous = attacker.row(seq - 1)["hash"]
            attacker.sql("UPDATE audit_events SET prev_hash = :h WHERE seq = :s", h=previous, s=seq)
        attacker.rehash(seq)
    attacker.set_head(10)
    result = log.verify()
    assert found(result) == [("changed", 10)]
    assert "rewritten" in result.problems[0].message


def test_whole_chain_and_anchor_rewritten_is_not_caught(log: AuditLog, attacker: Attacker) -> None:
    # The documented limit: with no key and no copy of the head elsewhere,
    # someone who controls both the database and the anchor file wins.
    attacker.sql("DELETE FROM audit_events WHERE seq > 8")
    attacker.set_head(8)
    assert log.anchor_path is not None
    log.anchor_path.unlink()
    result = log.verify()
    assert result.ok
    assert found(result) == [("anchor_missing", None)]


def test_seq_edited_alone(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("UPDATE audit_events SET seq = 15 WHERE seq = 10")
    assert found(log.verify()) == [("changed", 15)]


def test_several_kinds_at_once_are_each_named(log: AuditLog, attacker: Attacker) -> None:
    attacker.sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
    attacker.sql("DELETE FROM audit_events WHERE seq = 4")
    attacker.sql("DELETE FROM audit_events WHERE seq = 10")
    attacker.set_head(9)
    attacker.sql("UPDATE audit_events SET seq = -1 WHERE seq = 6")
    attacker.sql("UPDATE audit_events SET seq = 6 WHERE seq = 7")
    attacker.sql("UPDATE audit_events SET seq = 7 WHERE seq = -1")
    assert found(log.verify()) == [
        ("changed", 2),
        ("removed", 4),
        ("reordered", 6),
        ("reordered", 7),
        ("truncated", 10),
    ]


def test_swapped_rows_with_recomputed_hashes_show_as_changed(
    log: AuditLog, attacker: Attacker
) -> None:
    # Documented: once the swapped rows are rehashed, what is left to see is
    # that the content at those seqs is not what was written there.
    third, seventh = attacker.row(3), attacker.row(7)
    for seq, source in ((3, seventh), (7, third)):
        attacker.sql(
            "UPDATE audit_events SET payload = :p, event_id = :e WHERE seq = :s",
            p=source["payload"],
            e=f"swap-{seq}",
            s=seq,
        )
        attacker.rehash(seq)
    assert found(log.verify()) == [("changed", 3), ("changed", 7)]


def test_a_deleted_database_is_reported_against_the_old_anchor(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        store.audit.append(StaffAction(actor="a", action="b", target="c"))
    (tmp_path / "store.db").unlink()
    with open_store(url) as store:
        result = store.audit.verify()
    assert [(p.kind, p.seq) for p in result.problems] == [("truncated", 2)]
