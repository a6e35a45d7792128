"""The in-memory index the decision API answers from, reloaded as the ledger grows.

Every consent table is append-only with an increasing seq (see ledger.py), so a reload
reads only what is newer than the seq already seen. The index is checked for news at most
every ``max_age`` seconds (1 s by default) and at once after a write in the same process.
Rows are never removed by the ledger itself; whoever removes some (an erasure) calls
``reload(full=True)``, and ``full_every`` can make that periodic for other processes.

Of several rows on one question the newest by time wins (then by seq), so records brought
in later with their original times (a CRM's phone consents) sort where they belong.

Anonymous visitors (the banner's choices, by far the most rows) are not held in memory:
their consents are read from the store when asked for, by an indexed query, and kept until
the next reload.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from sqlalchemy import Engine, Table, select

from skydd.store.schema import consent_events, consent_links, consent_standing, suppression


class ConsentState(NamedTuple):
    """The newest consent decision of one subject for one purpose."""

    seq: int
    decision: str
    at: str
    method: str
    channel: str
    notice_version: str | None
    recorded_by: str | None


class StandingState(NamedTuple):
    """The newest standing row of one subject for one (kind, scope)."""

    seq: int
    state: str
    at: str
    checked_on: str | None
    told_at: str | None
    method: str | None
    recorded_by: str | None
    request_id: str | None
    event_id: str


def _nothing(subject: str) -> dict[str, ConsentState]:
    return {}


class State:
    """One consistent picture of the ledger: what a decision reads."""

    def __init__(self) -> None:
        self.subjects: dict[str, set[str]] = defaultdict(set)
        self.consent: dict[tuple[str, str], ConsentState] = {}
        self.standing: dict[tuple[str, str, str], StandingState] = {}
        self.by_subject: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.suppressed: dict[str, set[str]] = defaultdict(set)
        self.seen: dict[str, int] = {}
        self.person_subjects: set[str] = set()
        self.link_targets: set[str] = set()
        self.fetch: Callable[[str], dict[str, ConsentState]] = _nothing

    def apply(self, batches: dict[str, list[Any]]) -> None:
        """Fold rows (tuples in the order of ``COLUMNS``) into the state."""
        subjects = self.subjects
        for _, identity_hash, subject in batches.get(consent_links.name, ()):
            subjects[identity_hash].add(subject)
            self.link_targets.add(subject)
        consent = self.consent
        people = self.person_subjects
        for seq, at, subject, kind, purpose, *rest in batches.get(consent_events.name, ()):
            if kind == "visitor":
                continue  # read on demand (Index.visitor_consents): the banner's millions
            people.add(subject)
            key = (subject, purpose)
            old = consent.get(key)
            if old is None or (old.at, old.seq) < (at, seq):
                consent[key] = ConsentState(seq, rest[0], at, rest[1], rest[2], rest[3], rest[4])
        standing = self.standing
        for seq, at, subject, kind, scope, *rest in batches.get(consent_standing.name, ()):
            skey = (subject, kind, scope)
            current = standing.get(skey)
            if current is None or (current.at, current.seq) < (at, seq):
                standing[skey] = StandingState(seq, rest[0], at, *rest[1:])
                self.by_subject[subject].add((kind, scope))
                people.add(subject)
        for _, identity_hash, scope in batches.get(suppression.name, ()):
            self.suppressed[identity_hash].add(scope)
        for name, rows in batches.items():
            if rows:
                self.seen[name] = max(self.seen.get(name, 0), rows[-1][0])

    def subjects_of(self, hashes: Iterable[str]) -> set[str]:
        """Every subject linked to any of these identity hashes (each hash names one too)."""
        out: set[str] = set()
        for h in hashes:
            out.add(h)
            found = self.subjects.get(h)
            if found:
                out |= found
        return out

    def lazy_subjects(self, subjects: Iterable[str], visitors: Iterable[str] = ()) -> list[str]:
        """The subjects among these whose consents are read on demand: visitors given
        directly, and visitors a person was linked to."""
        wanted = set(visitors)
        return [
            s
            for s in subjects
            if s not in self.person_subjects and (s in wanted or s in self.link_targets)
        ]

    def newest_consent(
        self, subjects: Iterable[str], purpose: str, lazy: Iterable[str] = ()
    ) -> ConsentState | None:
        best: ConsentState | None = None
        for subject in subjects:
            state = self.consent.get((subject, purpose))
            if state is not None and (best is None or (state.at, state.seq) > (best.at, best.seq)):
                best = state
        for subject in lazy:
            state = self.fetch(subject).get(purpose)
            if state is not None and (best is None or (state.at, state.seq) > (best.at, best.seq)):
                best = state
        return best

    def newest_standing(
        self, subjects: Iterable[str], kind: str, scope: str
    ) -> StandingState | None:
        best: StandingState | None = None
        for subject in subjects:
            state = self.standing.get((subject, kind, scope))
            if state is not None and (best is None or (state.at, state.seq) > (best.at, best.seq)):
                best = state
        return best

    def scopes(self, subjects: Iterable[str], kind: str) -> set[str]:
        return {
            s
            for subject in subjects
            for k, s in list(self.by_subject.get(subject, ()))
            if k == kind
        }

    def purposes(self, subjects: Iterable[str], lazy: Iterable[str] = ()) -> set[str]:
        wanted = set(subjects)
        found = {p for (s, p) in list(self.consent) if s in wanted}
        for subject in lazy:
            found |= set(self.fetch(subject))
        return found

    def suppression_scopes(self, hashes: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for h in hashes:
            found = self.suppressed.get(h)
            if found:
                out |= found
        return out


COLUMNS: dict[Table, tuple[str, ...]] = {
    consent_links: ("seq", "identity_hash", "subject"),
    consent_events: (
        "seq", "at", "subject", "subject_kind", "purpose", "decision", "method", "channel",
        "notice_version", "recorded_by",
    ),
    consent_standing: (
        "seq", "at", "subject", "kind", "scope", "state", "checked_on", "told_at", "method",
        "recorded_by", "request_id", "event_id",
    ),
    suppression: ("seq", "identity_hash", "scope"),
}  # fmt: skip
"""What the index reads of each table, in the order ``State.apply`` unpacks."""
_SIBLINGS: dict[str, weakref.WeakSet[Index]] = {}
_SIBLINGS_LOCK = threading.Lock()


def written(engine: Engine) -> None:
    """Tell every index of this store in this process that the ledger changed."""
    with _SIBLINGS_LOCK:
        found = list(_SIBLINGS.get(_store_key(engine), ()))
    for index in found:
        index.invalidate()


def _store_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


class Index:
    """The ledger of one store in memory; ``fresh()`` gives the current State."""

    def __init__(
        self, engine: Engine, *, max_age: float = 1.0, full_every: float | None = None
    ) -> None:
        self.engine = engine
        self.max_age = max_age
        self.full_every = full_every
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._full = float("-inf")
        self.state = State()
        self.state.fetch = self.visitor_consents
        self._visitors: dict[str, dict[str, ConsentState]] = {}
        with _SIBLINGS_LOCK:
            _SIBLINGS.setdefault(_store_key(engine), weakref.WeakSet()).add(self)

    def invalidate(self) -> None:
        """Make the next ``fresh()`` read what was written meanwhile."""
        self._checked = float("-inf")
        self._visitors = {}

    def visitor_consents(self, subject: str) -> dict[str, ConsentState]:
        """The newest consent per purpose of one visitor, read from the store (indexed) and
        kept until the next write: visitors are not held in memory."""
        found = self._visitors.get(subject)
        if found is not None:
            return found
        columns = COLUMNS[consent_events]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(*(consent_events.c[c] for c in columns)).where(
                    consent_events.c.subject == subject
                )
            ).all()
        found = {}
        for seq, at, _, _, purpose, *rest in rows:
            old = found.get(purpose)
            if old is None or (old.at, old.seq) < (at, seq):
                found[purpose] = ConsentState(seq, rest[0], at, rest[1], rest[2], rest[3], rest[4])
        if len(self._visitors) > 100_000:
            self._visitors = {}
        self._visitors[subject] = found
        return found

    def fresh(self) -> State:
        """The state, reloaded first if it is older than ``max_age``."""
        now = time.monotonic()
        if now - self._checked >= self.max_age:
            full = self._full < 0 or (
                self.full_every is not None and now - self._full >= self.full_every
            )
            self.reload(full=full)
        return self.state

    def reload(self, *, full: bool = False) -> None:
        """Read what was appended since the last reload (everything when ``full``).

        A full reload builds a new State and swaps it in, so a decision taken meanwhile
        reads the old, complete picture rather than a half-built one.
        """
        with self._lock:
            started = time.monotonic()
            state = State() if full else self.state
            state.fetch = self.visitor_consents
            with self.engine.connect() as conn:
                batches: dict[str, list[Any]] = {}
                for table, columns in COLUMNS.items():
                    query = select(*(table.c[c] for c in columns)).where(
                        table.c.seq > state.seen.get(table.name, 0)
                    )
                    if table is consent_events:  # visitors are read on demand
                        query = query.where(consent_events.c.subject_kind != "visitor")
                    batches[table.name] = list(conn.execute(query.order_by(table.c.seq)).all())
            state.apply(batches)
            self._visitors = {}
            self.state = state
            self._checked = started
            if full:
                self._full = started
