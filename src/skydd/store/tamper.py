"""Name what happened to a tampered audit log: changed, removed, inserted, reordered, truncated.

See ``chain.py`` for the facts this relies on.  The walk starts at the
newest hashes kept outside the rows (the anchor file, the ``audit_head``
row, a head the caller kept) and follows ``prev_hash`` back to the genesis.
"""

from __future__ import annotations

from collections.abc import Sequence

from skydd.store.chain import AuditProblem, Hasher, Origins, ProblemKind, StoredRow, Tip
from skydd.store.schema import GENESIS_HASH

DEFAULT_SEARCH_BUDGET = 2_000_000
"""Hash computations allowed for finding the original seq of rows cut off from the chain."""


def analyse(
    rows: Sequence[StoredRow],
    hasher: Hasher,
    tips: Sequence[Tip],
    *,
    budget: int = DEFAULT_SEARCH_BUDGET,
) -> list[AuditProblem]:
    """Every problem in ``rows`` (ordered by seq), deduplicated and ordered by seq."""
    return _Analysis(rows, Origins(rows, hasher, budget), tips).run()


class _Analysis:
    def __init__(self, rows: Sequence[StoredRow], origins: Origins, tips: Sequence[Tip]) -> None:
        self.rows = rows
        self.origins = origins
        self.tips = tips
        self.referenced = {row.prev_hash for row in rows}
        self.on_chain: set[int] = set()
        self.problems: list[AuditProblem] = []

    def add(self, seq: int | None, kind: ProblemKind, message: str) -> None:
        self.problems.append(AuditProblem(seq, kind, message))

    def run(self) -> list[AuditProblem]:
        for start in self._starts():
            self._walk(start)
        self._inserted()
        self._reordered()
        self._renumbered()
        for tip in self.tips:
            self._check_tip(tip)
        return _tidy(self.problems)

    def _describe(self, i: int) -> str:
        row = self.rows[i]
        return f"event {row.seq} ({row.kind}, {row.at})"

    def _starts(self) -> list[int]:
        starts = [
            i for tip in self.tips if (i := self.origins.by_hash.get(tip.head.hash)) is not None
        ]
        if starts or not self.rows:
            return starts
        # No trusted head is present: start from the newest row nothing follows.
        leaves = [i for i, r in enumerate(self.rows) if r.hash not in self.referenced]
        pool = leaves or list(range(len(self.rows)))
        return [max(pool, key=lambda i: (self.origins.written_at(i), -i))]

    def _walk(self, start: int) -> None:
        current: int | None = start
        while current is not None and current not in self.on_chain:
            self.on_chain.add(current)
            row = self.rows[current]
            if not self.origins.intact[current]:
                self.add(
                    row.seq,
                    "changed",
                    f"{self._describe(current)} does not match its hash: "
                    "its content was changed after it was written",
                )
            if row.prev_hash == GENESIS_HASH:
                return
            following = self.origins.by_hash.get(row.prev_hash)
            if following is None:
                following = self._bridge(current)
            current = following

    def _bridge(self, current: int) -> int | None:
        """The predecessor of ``current`` is gone: name what is missing, continue before it."""
        missing = self.origins.written_at(current) - 1
        candidates = [
            i
            for i, r in enumerate(self.rows)
            if i not in self.on_chain
            and r.hash not in self.referenced
            and self.origins.origin[i] is not None
            and self.origins.written_at(i) <= missing
        ]
        found = max(candidates, key=lambda i: (self.origins.written_at(i), -i), default=None)
        first_missing = 1 if found is None else self.origins.written_at(found) + 1
        if found is not None and first_missing > missing:
            self.add(
                self.rows[found].seq,
                "changed",
                f"{self._describe(found)} is not the event that was written as seq {missing}: "
                "it was replaced (content changed and its hash recomputed)",
            )
        elif first_missing == missing:
            self.add(missing, "removed", f"event {missing} was removed from the log")
        elif first_missing < missing:
            self.add(
                first_missing,
                "removed",
                f"events {first_missing} to {missing} were removed from the log",
            )
        return found

    def _inserted(self) -> None:
        for i, row in enumerate(self.rows):
            if i in self.on_chain:
                continue
            origin = self.origins.origin[i]
            why = (
                f"it hashes as event {origin} but no later event or head links to it"
                if origin is not None and self.origins.intact[i]
                else "no later event or head links to it and it does not match its hash"
            )
            self.add(row.seq, "inserted", f"{self._describe(i)} was inserted: {why}")

    def _reordered(self) -> None:
        chained = sorted(self.on_chain, key=lambda i: (self.rows[i].seq, self.rows[i].event_id))
        written = sorted(chained, key=lambda i: (self.origins.written_at(i), i))
        for stored_rank, i in enumerate(chained):
            if written[stored_rank] != i:
                self.add(
                    self.rows[i].seq,
                    "reordered",
                    f"{self._describe(i)} is out of order: it was written as event "
                    f"{self.origins.written_at(i)}",
                )

    def _renumbered(self) -> None:
        # Removals and insertions explain renumbered seqs; without them a
        # seq that differs from the one hashed was edited on its own.
        if any(p.kind in ("removed", "inserted", "reordered") for p in self.problems):
            return
        for i in sorted(self.on_chain):
            origin = self.origins.origin[i]
            if self.origins.intact[i] and origin is not None and origin != self.rows[i].seq:
                self.add(
                    self.rows[i].seq,
                    "changed",
                    f"{self._describe(i)} was written as seq {origin}: its seq was changed",
                )

    def _check_tip(self, tip: Tip) -> None:
        head = tip.head
        found = self.origins.by_hash.get(head.hash)
        chained = [self.origins.written_at(i) for i in self.on_chain if self.origins.intact[i]]
        if found is None:
            newest = max(chained, default=0)
            if newest < head.seq:
                span = (
                    f"event {head.seq} was"
                    if newest + 1 == head.seq
                    else f"events {newest + 1} to {head.seq} were"
                )
                ends = f"ends at event {newest}" if newest else "is empty"
                self.add(
                    newest + 1,
                    "truncated",
                    f"{tip.source} records event {head.seq} (hash {head.hash[:12]}…) but the "
                    f"log {ends}: {span} cut off",
                )
            else:
                self.add(
                    head.seq,
                    "changed",
                    f"{tip.source} records event {head.seq} with hash {head.hash[:12]}…, which "
                    "no event has: the log was rewritten up to there and its hashes recomputed",
                )
            return
        newer = sorted(seq for seq in chained if seq > head.seq)
        if newer and tip.warn_newer:
            which = (
                f"event {newer[0]} is"
                if len(newer) == 1
                else f"events {newer[0]} to {newer[-1]} are"
            )
            self.add(
                newer[0],
                "anchor_missing",
                f"{which} newer than {tip.source} (event {head.seq}): nothing outside "
                "the database proves they were not changed or cut off",
            )


_ORDER: dict[str, int] = {
    "truncated": 0,
    "removed": 1,
    "inserted": 2,
    "reordered": 3,
    "changed": 4,
    "anchor_missing": 5,
}


def _tidy(problems: list[AuditProblem]) -> list[AuditProblem]:
    seen: set[tuple[str, int | None]] = set()
    unique = []
    for problem in problems:
        if (problem.kind, problem.seq) not in seen:
            seen.add((problem.kind, problem.seq))
            unique.append(problem)
    return sorted(unique, key=lambda p: (p.seq or 0, _ORDER[p.kind]))
