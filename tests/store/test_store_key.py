"""SKYDD_AUDIT_KEY: HMAC-keyed hashes, which an attacker without the key cannot recompute."""

from __future__ import annotations

from pathlib import Path

import pytest
from tampering import Attacker

from skydd.errors import SkyddError
from skydd.store import StaffAction, Store, open_store

KEY = "correct horse battery staple 42"


@pytest.fixture
def keyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("SKYDD_AUDIT_KEY", KEY)
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    for i in range(2, 6):
        store.audit.append(StaffAction(actor="anna", action="approve", target=f"r:{i}"))
    return store


def kinds(store: Store) -> list[tuple[str, int | None]]:
    return [(p.kind, p.seq) for p in store.audit.verify().problems]


def test_a_keyed_log_verifies_with_its_key(keyed: Store) -> None:
    with keyed:
        assert keyed.audit.verify().ok
        with keyed.engine.connect() as conn:
            algs = {row[0] for row in conn.exec_driver_sql("SELECT hash_alg FROM audit_events")}
        assert algs == {"hmac-sha256"}


def test_an_attacker_without_the_key_cannot_rehash(keyed: Store) -> None:
    with keyed:
        attacker = Attacker(keyed.engine, key=b"guessed key, not the real one")
        attacker.sql("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
        attacker.rehash(3)
        assert kinds(keyed) == [("changed", 3)]


def test_downgrading_to_plain_hashes_is_caught(keyed: Store) -> None:
    with keyed:
        attacker = Attacker(keyed.engine)  # no key: plain sha256
        attacker.sql("UPDATE audit_events SET actor = 'mallory', hash_alg = 'sha256' WHERE seq = 5")
        attacker.rehash(5)
        attacker.set_head(5)
        assert ("changed", 5) in kinds(keyed)


def test_without_the_key_a_keyed_log_is_not_verified_or_appended_to(
    keyed: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyed.close()
    monkeypatch.delenv("SKYDD_AUDIT_KEY")
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        with pytest.raises(SkyddError, match="keyed") as verifying:
            store.audit.verify()
        assert "SKYDD_AUDIT_KEY" in verifying.value.render()
        with pytest.raises(SkyddError, match="SKYDD_AUDIT_KEY is not set"):
            store.audit.append(StaffAction(actor="a", action="b", target="c"))


def test_a_short_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKYDD_AUDIT_KEY", "secret")
    with pytest.raises(SkyddError, match="too short"):
        open_store(f"sqlite:///{tmp_path / 'store.db'}")


def test_a_key_can_be_added_to_an_existing_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        store.audit.append(StaffAction(actor="a", action="before", target="key"))
    monkeypatch.setenv("SKYDD_AUDIT_KEY", KEY)
    with open_store(url) as store:
        store.audit.append(StaffAction(actor="a", action="after", target="key"))
        assert store.audit.verify().ok
        with store.engine.connect() as conn:
            algs = [row[0] for row in conn.exec_driver_sql("SELECT hash_alg FROM audit_events")]
    assert algs == ["sha256", "sha256", "hmac-sha256"]
