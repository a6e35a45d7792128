"""Table definitions for Skydd's own store.

The migrations in ``migrations/versions`` create these tables; the
definitions here are what the code queries through.  Keep both in step: a
test compares a migrated database with this metadata.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first event: there is nothing before it."""

audit_events = Table(
    "audit_events",
    metadata,
    # seq is assigned by AuditLog under the head lock, never by the database,
    # so that it is part of what each row's hash commits to.
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False, unique=True),
    # ISO 8601 in UTC with microseconds: text sorts in time order and reads
    # back byte for byte, which the hash needs.
    Column("at", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # "sha256", or "hmac-sha256" when SKYDD_AUDIT_KEY was set at append time.
    Column("hash_alg", String(16), nullable=False),
    Index("ix_audit_events_at", "at"),
    Index("ix_audit_events_kind", "kind"),
)

audit_head = Table(
    "audit_head",
    metadata,
    # One row (id=1): the lock that serialises appends and the newest
    # (seq, hash), updated in the same transaction as each insert.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

locks = Table(
    "locks",
    metadata,
    # A named lock held by one process at a time (retention runs); see locks.py.
    Column("name", String(100), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("acquired_at", String(32), nullable=False),
    Column("heartbeat_at", String(32), nullable=False),
)
