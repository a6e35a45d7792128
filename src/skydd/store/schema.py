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

erasure_sagas = Table(
    "erasure_sagas",
    metadata,
    # One erasure (or a batch of them) carried out as a saga across the company's
    # databases; see skydd.execution.saga. `members` holds each request's id and, while
    # the saga runs, the identities it searches by; they are cleared when it ends.
    Column("saga_id", String(40), primary_key=True),
    Column("status", String(16), nullable=False),  # running | done | failed
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    # The process carrying it out, so two never resume the same saga at once.
    Column("owner", String(200), nullable=True),
    Column("heartbeat_at", String(32), nullable=True),
    # sha256 of the identities given, to resume an unfinished saga on a rerun.
    Column("subject_hash", String(64), nullable=True),
    Column("members", Text, nullable=False),
    Column("options", Text, nullable=False),
    Column("result", Text, nullable=True),
    Index("ix_erasure_sagas_subject_hash", "subject_hash"),
    Index("ix_erasure_sagas_status", "status"),
)

erasure_steps = Table(
    "erasure_steps",
    metadata,
    # One transaction in one company database. `ops` holds the primary keys it
    # changes until the saga ends; `summary` its counts (what the audit event says).
    Column("saga_id", String(40), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("system", String(128), nullable=False),
    Column("status", String(16), nullable=False),  # pending | done
    Column("ops", Text, nullable=True),
    Column("summary", Text, nullable=False),
    Column("done_at", String(32), nullable=True),
)

blocked_rows = Table(
    "blocked_rows",
    metadata,
    # Rows an erasure had to keep under a legal hold (EN-6): blocked from every
    # other use until `until` (the last day they must be kept; NULL: no end known),
    # then released and erased (skydd.execution.blocks).
    Column("table_key", String(300), primary_key=True),
    Column("row_key", String(500), primary_key=True),  # the primary key, as tagged JSON
    Column("request_id", String(40), nullable=False),
    Column("hold", String(128), nullable=True),
    Column("law", String(500), nullable=True),
    Column("ground", String(16), nullable=True),
    Column("until", String(10), nullable=True),
    Column("flag_column", String(128), nullable=True),
    Column("blocked_at", String(32), nullable=False),
    Column("released_at", String(32), nullable=True),
    Index("ix_blocked_rows_until", "released_at", "until"),
    Index("ix_blocked_rows_request", "request_id"),
)

# --- workflow (migration 0004) ---
# (end of workflow)

# --- consent (migration 0005) ---
# (end of consent)

# --- outbox (migration 0006) ---
# (end of outbox)

# --- notices (migration 0007) ---
# (end of notices)

# --- breaches (migration 0008) ---
# (end of breaches)

# --- scans (migration 0009) ---
# (end of scans)
