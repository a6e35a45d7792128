"""One pass per value: every detector's pattern joined into one compiled regex.

The regex finds candidates; only a candidate's own detector validates it. When that
fails, the other detectors whose pattern matches at the same place are tried (a
10-digit number that is no personnummer may be an organisationsnummer or a CPR
number). When a detector's rival reads the same text and has its column hint or
context word while the first has not, the rival wins.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from skydd.scan import registry
from skydd.scan.detector import Detector, Match
from skydd.scan.validators import Ctx

CONTEXT_WINDOW = 40
"""How many characters before a candidate are searched for its context words."""
CONTEXT_GAP = 20
"""At most this many characters may stand between a context word and its candidate."""


@dataclass
class _Entry:
    detector: Detector
    context: re.Pattern[str] | None
    hints: tuple[re.Pattern[str], ...]
    simple: bool = False
    """A plain validator, no context words, no rivals: the fast path applies."""

    def __post_init__(self) -> None:
        d = self.detector
        self.simple = d.validate is not None and self.context is None and not d.rivals


_PLAIN = Ctx(False, False, None)


class Engine:
    """The compiled detectors; build once, call `detect` many times."""

    def __init__(self, detectors: Sequence[Detector]) -> None:
        self.entries = [
            _Entry(
                d,
                re.compile(f"\\b(?:{d.context})[^\\n]{{0,{CONTEXT_GAP}}}$", re.IGNORECASE)
                if d.context
                else None,
                tuple(re.compile(h, re.IGNORECASE) for h in d.hints),
            )
            for d in detectors
        ]
        self.by_name = {e.detector.name: i for i, e in enumerate(self.entries)}
        self.regex, self.group_index = _compile(detectors)
        # Where each detector stands in the alternation: the regex took the first one that
        # matched, so after it fails only those after it can match at the same place.
        self.rank = {index: rank for rank, index in enumerate(self.group_index[1:])}
        self._starts: dict[tuple[str, int], list[int]] = {}

    def _could_start(self, char: str, after: int) -> list[int]:
        """Detectors after `after` in the alternation whose matches may start with `char`."""
        key = (char, after)
        found = self._starts.get(key)
        if found is None:
            found = [
                i
                for i, e in enumerate(self.entries)
                if self.rank[i] > self.rank[after]
                and (e.detector.starts is None or re.match(e.detector.starts, char))
            ]
            self._starts[key] = found
        return found

    @property
    def detectors(self) -> list[Detector]:
        return [e.detector for e in self.entries]

    def hints_for(self, column: str) -> frozenset[str]:
        """The detectors a column's name suggests (`customer_email` -> email)."""
        name = column.strip().lower()
        return frozenset(
            e.detector.name for e in self.entries if any(h.search(name) for h in e.hints)
        )

    def _ctx(
        self, index: int, text: str, start: int, hints: Collection[str], today: date | None
    ) -> Ctx:
        entry = self.entries[index]
        context = entry.context
        if context is None:
            return Ctx(entry.detector.name in hints, False, today)

        def probe() -> bool:
            return context.search(text, max(0, start - CONTEXT_WINDOW), start) is not None

        return Ctx(entry.detector.name in hints, None, today, probe)

    def _try(
        self,
        index: int,
        text: str,
        start: int,
        end: int,
        hints: Collection[str],
        today: date | None,
    ) -> list[tuple[int, int]]:
        ctx = self._ctx(index, text, start, hints, today)
        return list(self.entries[index].detector.spans(text, start, end, ctx))

    def _rival(
        self,
        index: int,
        text: str,
        start: int,
        end: int,
        hints: Collection[str],
        today: date | None,
    ) -> int | None:
        """The detector that should report this span: `index`, a rival with more support,
        or None when the words before it name a rival that rejects it ("CPR-nr." before a
        number that is no CPR number but happens to pass as a personnummer)."""
        rivals = self.entries[index].detector.rivals
        if not rivals or self._ctx(index, text, start, hints, today).supported:
            return index
        for name in rivals:
            j = self.by_name.get(name)
            if j is None:
                continue
            rival = self.entries[j].detector
            if rival.compiled.fullmatch(text, start, end) is None:
                continue
            ctx = self._ctx(j, text, start, hints, today)
            if not ctx.supported:
                continue
            if list(rival.spans(text, start, end, ctx)) == [(start, end)]:
                return j
            if ctx.near:
                return None
        return index

    def _fallback(
        self, index: int, text: str, start: int, hints: Collection[str], today: date | None
    ) -> tuple[int, list[tuple[int, int]]] | None:
        """Another detector for a candidate its own rejected; none when the words before it
        name the rejected kind ("personnummer 030813-4944" with a wrong check digit is a
        mistyped personnummer, not a CPR number)."""
        candidates = self._could_start(text[start], index)
        if not candidates:
            return None
        named = self._ctx(index, text, start, hints, today).near
        for j in candidates:
            entry = self.entries[j]
            if named and not self._ctx(j, text, start, hints, today).supported:
                continue
            found = entry.detector.compiled.match(text, start)
            if found is None:
                continue
            spans = self._try(j, text, start, found.end(), hints, today)
            if spans:
                return j, spans
        return None

    def detect(
        self, text: str, *, hints: Collection[str] = (), today: date | None = None
    ) -> list[Match]:
        """Every span of `text` that a detector finds and its validator accepts."""
        out: list[Match] = []
        plain = _PLAIN if today is None else Ctx(False, False, today)
        for found in self.regex.finditer(text):
            index = self.group_index[found.lastindex or 1]
            start, end = found.span()
            entry = self.entries[index]
            validate = entry.detector.validate
            if entry.simple and validate is not None and entry.detector.name not in hints:
                # The common case, without context objects: validate and keep.
                if validate(found.group(), plain):
                    out.append(Match(entry.detector.name, start, end))
                    continue
                spans = []
            else:
                spans = self._try(index, text, start, end, hints, today)
            if not spans:
                fallback = self._fallback(index, text, start, hints, today)
                if fallback is None:
                    continue
                index, spans = fallback
            for s, e in spans:
                chosen = self._rival(index, text, s, e, hints, today)
                if chosen is not None:
                    out.append(Match(self.entries[chosen].detector.name, s, e))
        return out

    def detect_value(
        self, value: str, *, hints: Collection[str] = (), today: date | None = None
    ) -> list[Match]:
        """Like `detect`, but a column hinted for a detector with a `whole` check (a
        first-name column) is first asked whether the whole value is one."""
        for name in hints:
            i = self.by_name.get(name)
            if i is None:
                continue
            whole = self.entries[i].detector.whole
            if whole is not None and whole(value):
                stripped = value.strip()
                start = value.index(stripped) if stripped else 0
                return [Match(name, start, start + len(stripped))]
        found = self.detect(value, hints=hints, today=today)
        if not hints:
            return found
        return [
            m
            for m in found
            if not any(h in hints for h in self.entries[self.by_name[m.detector]].detector.muted_by)
        ]


def _gated(detectors: Sequence[tuple[int, Detector]]) -> tuple[str, list[int]]:
    """Alternatives in order; a run of detectors with one `starts` class shares one gate."""
    parts: list[str] = []
    order: list[int] = []
    run: list[str] = []
    gate: str | None = None

    def flush() -> None:
        if run:
            body = "|".join(run)
            parts.append(f"(?={gate})(?:{body})" if gate else body)
            run.clear()

    for index, d in detectors:
        if d.starts != gate:
            flush()
            gate = d.starts
        run.append(f"({d.pattern})")
        order.append(index)
    flush()
    return "|".join(parts), order


def _compile(detectors: Sequence[Detector]) -> tuple[re.Pattern[str], list[int]]:
    """One regex for all detectors, and group number -> detector index.

    Detectors that start only at word starts go behind one `(?<!\\w)`: inside a word the
    whole alternation fails at the first character instead of trying every pattern.
    """
    bounded: list[tuple[int, Detector]] = []
    loose: list[tuple[int, Detector]] = []
    for i, d in enumerate(detectors):
        (bounded if d.boundary else loose).append((i, d))
    inner, order = _gated(bounded)
    rest, order_loose = _gated(loose)
    pieces = [f"(?<!\\w)(?:{inner})"] if inner else []
    pieces += [rest] if rest else []
    return re.compile("|".join(pieces)), [-1, *order, *order_loose]


@cache
def _engine(version: int) -> Engine:
    return Engine(registry.detectors())


def default_engine() -> Engine:
    """The engine over every registered detector, rebuilt when the registry changes."""
    return _engine(registry.version())
