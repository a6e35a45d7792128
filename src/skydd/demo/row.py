"""What a value filler sees: a batch of rows (column-wise), the encoder for the target
database, and the context of the table (people, products, language, format style).

Fillers work on whole columns of a batch (a list comprehension per column, rows
zipped together in C at the end): a function call per value would cost more than
the value itself, and a demo of a million people has tens of millions of values.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal

from skydd.demo.population import Population


class Rows:
    """A batch of rows being generated, one list per property.

    ``p`` is the person each row is about (or a stand-in for company and log rows),
    ``c`` their company, ``t`` and ``e`` the ordinals of the row's first and latest
    date, ``u`` a uniform draw shared by fillers that must agree (a closed case has a
    closing date and the status 'closed'), ``amount`` the row's amount in cents,
    ``parent`` the parent row's index, ``start`` the index of the batch's first row.
    """

    __slots__ = ("start", "p", "c", "t", "e", "u", "amount", "parent", "person")

    def __init__(self, start: int) -> None:
        self.start = start
        self.p: list[int] = []
        self.c: list[int] = []
        self.t: list[int] = []
        self.e: list[int] = []
        self.u: list[float] = []
        self.amount: list[int] = []
        self.parent: list[int] = []
        self.person: list[bool] = []  # the row is about person p (not a stand-in)

    def __len__(self) -> int:
        return len(self.p)

    @property
    def i(self) -> range:
        return range(self.start, self.start + len(self.p))


Filler = Callable[[Rows], Sequence[object]]
PAST_DAYS = 80 * 365
FUTURE_DAYS = 10 * 365


@dataclass(frozen=True)
class Encoder:
    """How dates, timestamps and amounts are handed to the database's driver.

    SQLite gets ISO text (what SQLAlchemy writes for Date and DateTime columns) and
    floats; servers get date, datetime and Decimal objects. The values are the same,
    so a build on SQLite and one on PostgreSQL hold the same data. Dates and times of
    day are looked up in tables made once, not formatted per value.
    """

    base: int  # the ordinal of days[0]
    days: list[object]
    times: list[object]  # per second of the day
    join: Callable[[object, object], object]  # (day, time) → timestamp
    money: Callable[[int], object]  # cents → amount
    text: bool = False  # dates and times are ISO text (SQLite)

    def date(self, ordinal: int) -> object:
        return self.days[ordinal - self.base]

    def stamp(self, ordinal: int, seconds: int) -> object:
        return self.join(self.days[ordinal - self.base], self.times[seconds])


def _sqlite_join(day: object, moment: object) -> object:
    return f"{day}{moment}"


def _server_join(day: object, moment: object) -> object:
    assert isinstance(day, date) and isinstance(moment, time)
    return datetime.combine(day, moment)


@functools.cache
def encoder(sqlite: bool, as_of: int) -> Encoder:
    """The encoder for SQLite (text) or a server (objects), around the demo's today."""
    base = as_of - PAST_DAYS
    ordinals = range(base, as_of + FUTURE_DAYS)
    if sqlite:
        days: list[object] = [date.fromordinal(o).isoformat() for o in ordinals]
        times: list[object] = [
            f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)
        ]
        return Encoder(base, days, times, _sqlite_join, lambda cents: cents / 100, text=True)
    days = [date.fromordinal(o) for o in ordinals]
    times = [time(s // 3600, s // 60 % 60, s % 60) for s in range(86_400)]
    return Encoder(base, days, times, _server_join, lambda cents: Decimal(cents).scaleb(-2))


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: int  # cents


@dataclass
class FillContext:
    """Everything a table's fillers share."""

    pop: Population
    rng: random.Random
    enc: Encoder
    lang: str
    style: int  # the system's format style: phone layout, personnummer layout
    table: str
    columns: frozenset[str]
    site: str  # the controller's web host, e.g. www.axsensor.com
    products: tuple[Product, ...]
    staff: tuple[str, ...]
    person_table: bool = True  # rows are about a person, not a company or a product
    planted: frozenset[int] = frozenset()  # people stored in each system's own format
    name: str = ""  # the column being filled, lower case
    category: str = ""
    kind_name: str = ""  # the identity kind as the map names it

    def for_column(self, name: str, category: str, kind_name: str) -> FillContext:
        return replace(self, name=name, category=category, kind_name=kind_name)

    @property
    def country(self) -> str:
        return self.pop.country

    @property
    def as_of(self) -> int:
        return self.pop.as_of

    def pick(self, values: Sequence[object], n: int) -> list[object]:
        """n values drawn uniformly (int(random() * k) is five times randrange's speed)."""
        rand, k = self.rng.random, len(values)
        return [values[int(rand() * k)] for _ in range(n)]
