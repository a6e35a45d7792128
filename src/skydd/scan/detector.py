"""What a detector is, and what it finds.

A detector is a pattern (which finds candidates cheaply, in one pass shared with all
other detectors) and a validator (which decides, only for candidates: check digits,
real dates, numbering plans). Built-ins and plugins are both `Detector` objects,
registered through the entry-point group `skydd.detectors` (see `registry`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from skydd.scan.validators import Ctx

Validator = Callable[[str, Ctx], bool]
Refiner = Callable[[str, int, int, Ctx], Iterator[tuple[int, int]]]
"""(text, start, end, ctx) -> the spans inside a candidate that really are one."""


@dataclass(frozen=True)
class Detector:
    """One kind of personal (or telling) data the scanner recognises.

    :ivar name: short and stable, e.g. ``card_number``; it is what reports show.
    :ivar category: the data category (fideslang name) a column holding it has.
    :ivar also: other categories that declare it correctly (a MAC address is also a
        ``user.device.device_id``).
    :ivar pattern: a regular expression for candidates, without capturing groups
        (use ``(?:...)``; flags inline, ``(?i:...)``); it is joined with every other
        detector's into one pass.
    :ivar validate: decides whether a candidate is one (check digit, date, plan).
    :ivar refine: instead of `validate`, yields the spans inside a candidate that
        are one (person names inside a run of capitalised words).
    :ivar context: words (a regex, case-insensitive) that, just before a candidate,
        make it likelier (``bankgiro``); validators see it as ``ctx.near``.
    :ivar hints: regexes on column names that suggest this detector.
    :ivar whole: for a hinted column, a check on the whole value instead of the
        pattern (a column of first names holds single words).
    :ivar personal: False for data that is not about a person (organisationsnummer).
    :ivar rivals: detectors that may read the same text differently; when one of them
        has its column hint or context word and this one does not, it wins.
    :ivar muted_by: in a column named for one of these detectors, this one's matches do
        not count (a street named after a person is a street).
    :ivar starts: a character class every match starts with (``[0-9]``), so the
        engine skips the pattern elsewhere; None: any character.
    :ivar boundary: matches never start right after a letter or digit, so the engine
        tries the pattern only at the start of words (the main speed-up).
    """

    name: str
    category: str
    pattern: str
    validate: Validator | None = None
    also: tuple[str, ...] = ()
    refine: Refiner | None = None
    context: str | None = None
    hints: tuple[str, ...] = ()
    whole: Callable[[str], bool] | None = None
    personal: bool = True
    rivals: tuple[str, ...] = ()
    muted_by: tuple[str, ...] = ()
    description: str = ""
    starts: str | None = None
    boundary: bool = True
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = re.compile(self.pattern)
        if compiled.groups:
            raise ValueError(
                f"detector {self.name!r}: its pattern has capturing groups; use (?:...)"
            )
        if (self.validate is None) == (self.refine is None):
            raise ValueError(f"detector {self.name!r}: give exactly one of validate or refine")
        object.__setattr__(self, "compiled", compiled)

    def spans(self, text: str, start: int, end: int, ctx: Ctx) -> Iterator[tuple[int, int]]:
        """The valid spans of a candidate at text[start:end]."""
        if self.refine is not None:
            yield from self.refine(text, start, end, ctx)
        elif self.validate is not None and self.validate(text[start:end], ctx):
            yield start, end


@dataclass(frozen=True)
class Match:
    """A detector found something at text[start:end]. The text itself is not kept."""

    detector: str
    start: int
    end: int

    def value(self, text: str) -> str:
        return text[self.start : self.end]
