"""The audit log: append-only, hash-chained, verifiable.

Each event is one row whose hash covers the previous row's hash and the
event itself, so editing, removing, inserting or reordering rows breaks the
chain in a way ``verify`` can name.  The newest (seq, hash) is also kept in
the ``audit_head`` row (which doubles as the append lock) and in an anchor
file outside the database, so cutting off the newest events shows too.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from skydd.errors import SkyddError
from skydd.store.anchor import read_anchor, write_anchor
from skydd.store.chain import (
    KEYED,
    AuditHead,
    AuditProblem,
    Hasher,
    StoredRow,
    Tip,
    VerifyResult,
    canonical_json,
)
from skydd.store.events import (
    EVENT_TYPES,
    AuditEvent,
    StoreInitialised,
    event_from_payload,
)
from skydd.store.schema import GENESIS_HASH, audit_events, audit_head
from skydd.store.tamper import analyse

log = logging.getLogger(__name__)

WRITE_LOCK = "skydd_write_lock"
"""Execution option: on SQLite, begin the transaction with BEGIN IMMEDIATE (see db.py)."""

_PAGE = 1000


@dataclass(frozen=True)
class AuditRecord:
    """One stored event, as read back; ``event`` is None for unknown kinds."""

    seq: int
    event_id: str
    at: datetime
    kind: str
    actor: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    @property
    def event(self) -> AuditEvent | None:
        return event_from_payload(self.kind, self.payload)


def format_at(at: datetime) -> str:
    """The one text form of a time in the log: UTC, microseconds, sortable as text."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("audit times must be timezone-aware; pass datetime.now(UTC)")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class AuditLog:
    """Append to, read and verify the audit log of one store."""

    def __init__(
        self,
        engine: Engine,
        *,
        anchor_path: Path | None,
        key: bytes | None = None,
        store_name: str = "",
    ) -> None:
        self.engine = engine
        self.anchor_path = anchor_path
        self.hasher = Hasher(key)
        self.store_name = store_name

    def append(
        self, event: AuditEvent, actor: str = "system", at: datetime | None = None
    ) -> AuditRecord:
        """Add ``event`` as the next link of the chain and return it as stored.

        The ``audit_head`` row is locked for the transaction (FOR UPDATE on
        PostgreSQL, BEGIN IMMEDIATE on SQLite), so appends from any number
        of processes get consecutive seqs and each links to the one before.
        """
        record = self._append(event, actor, at, only_if_empty=False)
        assert record is not None
        return record

    def initialise(self) -> None:
        """Write the first event (StoreInitialised) if the log is empty; safe to race."""
        self._append(StoreInitialised(), "system", None, only_if_empty=True)

    def _append(
        self, event: AuditEvent, actor: str, at: datetime | None, *, only_if_empty: bool
    ) -> AuditRecord | None:
        if not isinstance(event, AuditEvent):
            raise TypeError(f"expected an AuditEvent, got {type(event).__name__}")
        if EVENT_TYPES.get(getattr(event, "kind", "")) is not type(event):
            raise TypeError(
                f"{type(event).__name__} is not registered; decorate it with @register_event "
                "so the log can read it back"
            )
        when = format_at(at or datetime.now(UTC))
        payload_text = canonical_json(event.to_payload())
        # Hash and return what verify() and records() will read back from
        # the stored text (tuples become lists, keys become strings).
        payload = json.loads(payload_text)
        event_id = str(uuid.uuid4())
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE_LOCK: True})
            with conn.begin():
                head = conn.execute(
                    select(audit_head.c.seq, audit_head.c.hash)
                    .where(audit_head.c.id == 1)
                    .with_for_update()
                ).one_or_none()
                if head is None:
                    raise SkyddError(
                        "the audit_head row is missing, so the audit log cannot be appended to",
                        hint="run 'skydd audit verify'; the store was edited outside Skydd",
                    )
                if only_if_empty and head.seq != 0:
                    return None
                self._refuse_downgrade(conn, head.seq)
                seq = head.seq + 1
                digest = self.hasher.row_hash(
                    head.hash,
                    seq=seq,
                    event_id=event_id,
                    at=when,
                    kind=event.kind,
                    actor=actor,
                    payload=payload,
                )
                conn.execute(
                    insert(audit_events).values(
                        seq=seq,
                        event_id=event_id,
                        at=when,
                        kind=event.kind,
                        actor=actor,
                        payload=payload_text,
                        prev_hash=head.hash,
                        hash=digest,
                        hash_alg=self.hasher.alg,
                    )
                )
                conn.execute(
                    update(audit_head).where(audit_head.c.id == 1).values(seq=seq, hash=digest)
                )
                prev_hash = head.hash
        self._write_anchor(AuditHead(seq, digest, when))
        return AuditRecord(
            seq, event_id, datetime.fromisoformat(when), event.kind, actor, payload,
            prev_hash, digest,
        )  # fmt: skip

    def _refuse_downgrade(self, conn: Connection, seq: int) -> None:
        if self.hasher.key or seq == 0:
            return
        last_alg = conn.execute(
            select(audit_events.c.hash_alg).where(audit_events.c.seq == seq)
        ).scalar_one_or_none()
        if last_alg == KEYED:
            raise SkyddError(
                "this audit log is keyed (HMAC) but SKYDD_AUDIT_KEY is not set",
                hint="set SKYDD_AUDIT_KEY to the key the log was written with",
            )

    def _write_anchor(self, head: AuditHead) -> None:
        if self.anchor_path is None:
            return
        try:
            write_anchor(self.anchor_path, head, self.store_name)
        except OSError as exc:
            # The event is committed; failing here would invite a retry that
            # appends it twice.  verify() reports the anchor falling behind.
            log.warning("could not write the audit anchor %s: %s", self.anchor_path, exc)

    def head(self) -> AuditHead:
        """The newest (seq, hash) according to the ``audit_head`` row."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
            ).one_or_none()
            at = None
            if row is not None:
                at = conn.execute(
                    select(audit_events.c.at).where(audit_events.c.seq == row.seq)
                ).scalar_one_or_none()
        if row is None:
            return AuditHead(0, GENESIS_HASH)
        return AuditHead(row.seq, row.hash, at)

    def records(
        self, since: datetime | None = None, kind: str | type[AuditEvent] | None = None
    ) -> Iterator[AuditRecord]:
        """Stored events in seq order, optionally from ``since`` on and of one kind.

        Read a page at a time on short-lived connections, so a caller that
        stops early holds no connection or lock.
        """
        kind_name = kind if isinstance(kind, str) or kind is None else kind.kind
        after = 0
        while True:
            query = select(audit_events).where(audit_events.c.seq > after)
            if since is not None:
                query = query.where(audit_events.c.at >= format_at(since))
            if kind_name is not None:
                query = query.where(audit_events.c.kind == kind_name)
            with self.engine.connect() as conn:
                rows = conn.execute(query.order_by(audit_events.c.seq).limit(_PAGE)).all()
            for row in rows:
                yield _record(row._mapping)
            if len(rows) < _PAGE:
                return
            after = rows[-1].seq

    def count(self) -> int:
        """How many events the log holds (without checking them)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(audit_events)).scalar_one())

    def verify(self, *, expected_head: AuditHead | None = None) -> VerifyResult:
        """Check the chain against itself, ``audit_head``, the anchor and ``expected_head``.

        ``expected_head`` is a head kept elsewhere (printed into a ticket,
        say); events newer than it are fine, a different or missing event
        at its seq is not.
        """
        # The anchor is read before the rows: it is written after each
        # commit, so rows read later are never older than it.
        problems: list[AuditProblem] = []
        anchor, unreadable = None, ""
        if self.anchor_path is not None:
            try:
                anchor = read_anchor(self.anchor_path)
            except SkyddError as exc:
                unreadable = exc.message
        rows, stored_head = self._read_all()
        if any(r.hash_alg == KEYED for r in rows) and not self.hasher.key:
            raise SkyddError(
                "this audit log is keyed (HMAC) and cannot be verified without its key",
                hint="set SKYDD_AUDIT_KEY to the key the log was written with",
            )
        tips: list[Tip] = []
        if anchor is not None:
            tips.append(Tip(anchor, f"the anchor {self.anchor_path}", warn_newer=True))
        elif self.anchor_path is not None and rows:
            why = unreadable or f"the anchor file {self.anchor_path} is missing"
            problems.append(
                AuditProblem(
                    None,
                    "anchor_missing",
                    f"{why}: cannot prove the newest events were not cut off",
                )
            )
        if stored_head is None:
            problems.append(AuditProblem(None, "changed", "the audit_head row was deleted"))
        elif stored_head.seq > 0:
            tips.append(Tip(stored_head, "the audit_head row"))
        if expected_head is not None:
            tips.append(Tip(expected_head, "the expected head"))
        problems.extend(analyse(rows, self.hasher, tips))
        newest = max(rows, key=lambda r: r.seq, default=None)
        return VerifyResult(
            ok=not any(not p.is_warning for p in problems),
            checked=len(rows),
            problems=problems,
            head=AuditHead(newest.seq, newest.hash, newest.at) if newest else None,
            anchor=anchor,
        )

    def _read_all(self) -> tuple[list[StoredRow], AuditHead | None]:
        # One snapshot, so a concurrent append cannot land between the rows
        # and the head and look like an inserted or cut-off event.
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                head_row = conn.execute(
                    select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
                ).one_or_none()
                columns = [audit_events.c[f.name] for f in fields(StoredRow)]
                result = conn.execute(
                    select(*columns).order_by(audit_events.c.seq, audit_events.c.event_id)
                )
                rows = [StoredRow(**dict(row._mapping)) for row in result]
        head = AuditHead(head_row.seq, head_row.hash) if head_row is not None else None
        return rows, head


def _record(row: Any) -> AuditRecord:
    try:
        at = datetime.fromisoformat(row["at"])
        payload = json.loads(row["payload"])
    except ValueError as exc:
        raise SkyddError(
            f"audit event {row['seq']} cannot be read: {exc}",
            hint="run 'skydd audit verify': the row was edited outside Skydd",
        ) from exc
    return AuditRecord(
        seq=row["seq"],
        event_id=row["event_id"],
        at=at,
        kind=row["kind"],
        actor=row["actor"],
        payload=payload,
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )
