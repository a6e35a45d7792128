"""Writing the consent ledger and the person's standing: append-only, one transaction per batch.

Writers take one lock per transaction (BEGIN IMMEDIATE on SQLite, an advisory lock on
PostgreSQL), so rows become visible in the order of their seq and a reader that has seen
seq N has seen everything before it: the in-memory index reloads by reading what is newer.
A batch of many choices is one transaction and one fsync, which is what makes thousands of
durable writes a second possible.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, text

from skydd.consent.index import written
from skydd.errors import SkyddError
from skydd.store.audit import WRITE_LOCK
from skydd.store.schema import (
    consent_events,
    consent_links,
    consent_standing,
    suppression,
)

_LOCK = 0x736B7964636E  # one advisory lock id for consent writes on PostgreSQL

_SKEW = timedelta(minutes=5)
DECISIONS = ("granted", "refused", "withdrawn")
CHANNELS = ("email", "phone", "sms", "post", "web")
"""The channels a decision is asked for."""
RECORD_CHANNELS = (*CHANNELS, "in_person")
"""The channels a consent or withdrawal may come in by."""


def now_text(at: datetime | None = None) -> str:
    """A time as the ledger stores it: UTC, microseconds, sortable as text."""
    when = at or datetime.now(UTC)
    if when.tzinfo is None:
        raise SkyddError("a consent time must carry its time zone", hint="e.g. 2026-11-22T10:00Z")
    return when.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Proof:
    """How a choice was made (LEGAL.md CON-3), shared by every purpose of the choice.

    ``method`` is the means (banner, form, phone, email, link, web_page, double_opt_in …);
    ``channel`` the medium it came by (web, phone, email, post, sms, in_person);
    ``recorded_by`` the staff member who took it (phone consent, AS-3); ``ip`` the
    visitor's address, stored only as a keyed hash of its network; ``evidence`` short
    facts such as a call reference or the script read out, never the person's own words.
    """

    method: str
    channel: str
    language: str | None = None
    notice_version: str | None = None
    notice_hash: str | None = None
    recorded_by: str | None = None
    ip: str | None = None
    evidence: Mapping[str, str | bool | int] = field(default_factory=dict)
    at: datetime | None = None

    def check(self) -> None:
        if not self.method or len(self.method) > 64:
            raise SkyddError(
                "say how the choice was made (1 to 64 characters)",
                hint="e.g. banner, form, phone, email, link, web_page, double_opt_in",
            )
        if self.channel not in RECORD_CHANNELS:
            raise SkyddError(
                f"unknown channel '{self.channel}'", hint="use " + ", ".join(RECORD_CHANNELS)
            )
        if self.language is not None and len(self.language) > 8:
            raise SkyddError("a language is a code such as sv, en or da")
        if self.at is not None and self.at.tzinfo and self.at > datetime.now(UTC) + _SKEW:
            raise SkyddError("a consent cannot be recorded as given in the future")
        if self.recorded_by is not None and len(self.recorded_by) > 200:
            raise SkyddError("recorded_by is a staff login name of at most 200 characters")


@dataclass
class Batch:
    """Rows for one transaction, table by table."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.rows.setdefault(table.name, []).append(row)

    def __bool__(self) -> bool:
        return any(self.rows.values())


_TABLES = {t.name: t for t in (consent_events, consent_links, consent_standing, suppression)}
_UNIQUE = {consent_links.name, suppression.name}


def event_rows(
    subject: str,
    subject_kind: str,
    decisions: Sequence[tuple[str, str]],
    proof: Proof,
    ip_hash: str | None,
    event_id: str | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """The ledger rows of one choice: (event_id, one row per purpose)."""
    eid = event_id or str(uuid.uuid4())
    at = now_text(proof.at)
    evidence = json.dumps(dict(proof.evidence), sort_keys=True) if proof.evidence else None
    rows = [
        {
            "event_id": eid,
            "at": at,
            "subject": subject,
            "subject_kind": subject_kind,
            "purpose": purpose,
            "decision": decision,
            "method": proof.method,
            "channel": proof.channel,
            "language": proof.language,
            "notice_version": proof.notice_version,
            "notice_hash": proof.notice_hash,
            "recorded_by": proof.recorded_by,
            "ip_hash": ip_hash,
            "evidence": evidence,
        }
        for purpose, decision in decisions
    ]
    return eid, rows


def write(engine: Engine, batch: Batch) -> None:
    """Append a batch in one transaction under the consent write lock."""
    if not batch:
        return
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_LOCK: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
            for name, rows in batch.rows.items():
                if rows:
                    _insert(conn, _TABLES[name], rows)
    written(engine)


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if table.name not in _UNIQUE:
        # Straight to the driver's executemany: compiling each row's parameters through
        # SQLAlchemy cost as much as the INSERT itself (bench/consent.py).
        columns = list(rows[0])
        quote = conn.dialect.identifier_preparer.quote
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join(mark for _ in columns)})"
        )
        conn.exec_driver_sql(sql, [tuple(r[c] for c in columns) for r in rows])
        return
    # A link or suppression that exists already is no error: the row says the same.
    dialect = conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(table).on_conflict_do_nothing(), rows)
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        conn.execute(sqlite_insert(table).on_conflict_do_nothing(), rows)
    else:  # pragma: no cover - the store runs on SQLite or PostgreSQL
        raise SkyddError(f"the consent ledger does not run on {dialect}")
