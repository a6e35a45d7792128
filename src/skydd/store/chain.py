"""The hash chain of the audit log: hashing, and finding what was tampered with.

Everything here is pure (rows in, problems out), so each tampering can be
tested row by row and the rules read in one place.  ``audit.py`` does the
I/O around it.

Each row's hash commits to its predecessor's hash and to its own seq,
event id, time, kind, actor and payload.  ``analyse`` uses two facts that
survive most edits an attacker can make with SQL:

* a row whose content is untouched still hashes correctly *at the seq it
  was written with* (its origin), even after its seq column was changed;
* ``prev_hash`` still names the row that really came before it.

Walking ``prev_hash`` back from the newest known hash (the anchor file, the
``audit_head`` row) recovers the order events were written in.  Rows the
walk never reaches were inserted; rows it reaches whose content no longer
matches were changed; breaks in the walk are removals (or replacements);
rows whose stored order differs from the walk were reordered; a newest
known hash that no row has means the end was cut off or rewritten.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from skydd.store.schema import GENESIS_HASH

ProblemKind = Literal["changed", "removed", "inserted", "reordered", "truncated", "anchor_missing"]

PLAIN = "sha256"
KEYED = "hmac-sha256"


@dataclass(frozen=True)
class AuditHead:
    """The newest event of a log as (seq, hash): what an anchor keeps."""

    seq: int
    hash: str
    at: str | None = None


@dataclass(frozen=True)
class AuditProblem:
    """One thing ``verify`` found wrong, named by kind and (original) seq."""

    seq: int | None
    kind: ProblemKind
    message: str

    @property
    def is_warning(self) -> bool:
        """Warnings weaken the proof but are not evidence of tampering."""
        return self.kind == "anchor_missing"

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "message": self.message,
            "warning": self.is_warning,
        }


@dataclass
class VerifyResult:
    """The outcome of ``AuditLog.verify``: ``ok`` unless a non-warning problem was found."""

    ok: bool
    checked: int
    problems: list[AuditProblem] = field(default_factory=list)
    head: AuditHead | None = None
    anchor: AuditHead | None = None

    def as_dict(self) -> dict[str, Any]:
        """Versioned JSON for ``skydd audit verify --format json``."""
        return {
            "version": 1,
            "ok": self.ok,
            "checked": self.checked,
            "problems": [p.as_dict() for p in self.problems],
            "head": asdict(self.head) if self.head else None,
            "anchor": asdict(self.anchor) if self.anchor else None,
        }


@dataclass(frozen=True)
class StoredRow:
    """One ``audit_events`` row exactly as read, before any trust is placed in it."""

    seq: int
    event_id: str
    at: str
    kind: str
    actor: str
    payload: str
    prev_hash: str
    hash: str
    hash_alg: str


@dataclass(frozen=True)
class Tip:
    """A claim about the newest event, from somewhere other than the rows."""

    head: AuditHead
    source: str
    warn_newer: bool = False
    """Report chained events newer than this head (for an anchor that should be current)."""


def canonical_json(value: Any) -> str:
    """The one JSON text a value hashes as: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Hasher:
    """Computes row hashes, keyed with HMAC when SKYDD_AUDIT_KEY is set."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key

    @property
    def alg(self) -> str:
        return KEYED if self.key else PLAIN

    def row_hash(
        self,
        prev_hash: str,
        *,
        seq: int,
        event_id: str,
        at: str,
        kind: str,
        actor: str,
        payload: Any,
        alg: str | None = None,
    ) -> str:
        """The hash of one entry: over prev_hash + canonical JSON of its fields."""
        entry = {
            "seq": seq,
            "event_id": event_id,
            "at": at,
            "kind": kind,
            "actor": actor,
            "payload": payload,
        }
        return self.hex_digest(prev_hash + canonical_json(entry), alg or self.alg)

    def hex_digest(self, text: str, alg: str) -> str:
        if alg == PLAIN:
            return hashlib.sha256(text.encode("utf-8")).hexdigest()
        if alg == KEYED and self.key:
            return hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).hexdigest()
        raise ValueError(f"cannot compute a {alg!r} hash")


class Origins:
    """For each row: the seq it was written with (if it can be told) and whether it is intact."""

    def __init__(self, rows: Sequence[StoredRow], hasher: Hasher, budget: int) -> None:
        self.rows = rows
        self.hasher = hasher
        self.budget = budget
        self.by_hash: dict[str, int] = {}
        for i, row in enumerate(rows):
            self.by_hash.setdefault(row.hash, i)
        self.origin: list[int | None] = [None] * len(rows)
        self.intact = [False] * len(rows)
        self.limit = max((r.seq for r in rows), default=0) + len(rows) + 1
        self._prefixes = [self._prefix(row) for row in rows]
        self._downgraded = self._find_downgrades()
        self._resolve_all()

    def _prefix(self, row: StoredRow) -> str | None:
        # seq sorts last among the entry keys, so the canonical text of an
        # entry is this prefix + str(seq) + "}": searching seqs stays cheap.
        try:
            payload = json.loads(row.payload)
        except ValueError:
            return None
        entry = {
            "seq": 0,
            "event_id": row.event_id,
            "at": row.at,
            "kind": row.kind,
            "actor": row.actor,
            "payload": payload,
        }
        return row.prev_hash + canonical_json(entry)[: -len("0}")]

    def _find_downgrades(self) -> set[int]:
        # Once a log is keyed, an unkeyed row after it is an attacker's
        # recomputation, since nobody else can skip the key.
        keyed_from = next((i for i, r in enumerate(self.rows) if r.hash_alg == KEYED), None)
        if keyed_from is None:
            return set()
        return {i for i in range(keyed_from, len(self.rows)) if self.rows[i].hash_alg != KEYED}

    def fits(self, i: int, seq: int) -> bool:
        prefix = self._prefixes[i]
        row = self.rows[i]
        if prefix is None or i in self._downgraded:
            return False
        try:
            return self.hasher.hex_digest(f"{prefix}{seq}}}", row.hash_alg) == row.hash
        except ValueError:
            return False

    def _search(self, i: int) -> int | None:
        # Only rows whose predecessor is gone get here; try the stored seq
        # first, then ever further away (renumbering shifts seqs by the
        # number of rows removed or inserted before).
        stored = self.rows[i].seq
        for distance in range(self.limit + 1):
            for seq in {stored - distance, stored + distance}:
                if seq < 1 or seq > self.limit:
                    continue
                if self.budget <= 0:
                    return None
                self.budget -= 1
                if self.fits(i, seq):
                    return seq
            if stored - distance < 1 and stored + distance > self.limit:
                break
        return None

    def _resolve_all(self) -> None:
        done = [False] * len(self.rows)
        active = [False] * len(self.rows)
        for start in range(len(self.rows)):
            stack = [start]
            while stack:
                j = stack[-1]
                if done[j]:
                    stack.pop()
                    continue
                prev = self.rows[j].prev_hash
                k = self.by_hash.get(prev) if prev != GENESIS_HASH else None
                if k is not None and k != j and not done[k] and not active[k]:
                    active[j] = True
                    stack.append(k)
                    continue
                candidate: int | None = None
                if prev == GENESIS_HASH:
                    candidate = 1
                elif k is not None and done[k] and (pk := self.origin[k]) is not None:
                    candidate = pk + 1
                if candidate is not None:
                    self.origin[j] = candidate
                    self.intact[j] = self.fits(j, candidate)
                else:
                    self.origin[j] = self._search(j)
                    self.intact[j] = self.origin[j] is not None
                done[j] = True
                active[j] = False
                stack.pop()

    def written_at(self, i: int) -> int:
        found = self.origin[i]
        return found if found is not None else self.rows[i].seq
