"""An attacker for the tamper tests: edits the store with plain SQL.

It works the way someone with database access (but not Skydd's code paths)
would, and recomputes hashes because an unkeyed chain has no secret in it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, text

from skydd.store.chain import Hasher, canonical_json


class Attacker:
    """Someone editing the audit tables directly, append-only triggers removed first."""

    def __init__(self, engine: Engine, key: bytes | None = None) -> None:
        self.engine = engine
        self.hasher = Hasher(key)
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
                conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
            else:
                conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))

    def sql(self, statement: str, **params: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(statement), params)

    def row(self, seq: int) -> dict[str, Any]:
        with self.engine.connect() as conn:
            found = conn.execute(
                text("SELECT * FROM audit_events WHERE seq = :seq"), {"seq": seq}
            ).one()
        return dict(found._mapping)

    def hash_of(self, row: dict[str, Any]) -> str:
        return self.hasher.row_hash(
            row["prev_hash"],
            seq=row["seq"],
            event_id=row["event_id"],
            at=row["at"],
            kind=row["kind"],
            actor=row["actor"],
            payload=json.loads(row["payload"]),
        )

    def rehash(self, seq: int) -> str:
        """Give the row at ``seq`` a hash that matches its (edited) content."""
        digest = self.hash_of(self.row(seq))
        self.sql("UPDATE audit_events SET hash = :h WHERE seq = :seq", h=digest, seq=seq)
        return digest

    def forge(self, seq: int, prev_hash: str, **payload: Any) -> str:
        """Insert a made-up staff action at ``seq`` with a hash that checks out."""
        row = {
            "seq": seq,
            "event_id": f"00000000-0000-4000-8000-{seq:012d}",
            "at": "2024-01-01T00:00:00.000000+00:00",
            "kind": "staff-action",
            "actor": "mallory",
            "payload": canonical_json(
                payload or {"actor": "mallory", "action": "approve-erasure", "target": "r:1"}
            ),
            "prev_hash": prev_hash,
            "hash_alg": self.hasher.alg,
        }
        row["hash"] = self.hash_of(row)
        self.sql(
            "INSERT INTO audit_events (seq, event_id, at, kind, actor, payload, prev_hash,"
            " hash, hash_alg) VALUES (:seq, :event_id, :at, :kind, :actor, :payload,"
            " :prev_hash, :hash, :hash_alg)",
            **row,
        )
        return str(row["hash"])

    def set_head(self, seq: int) -> None:
        """Make ``audit_head`` agree with the row at ``seq``, as a careful attacker would."""
        self.sql(
            "UPDATE audit_head SET seq = :seq, hash = (SELECT hash FROM audit_events"
            " WHERE seq = :seq) WHERE id = 1",
            seq=seq,
        )
