"""A filler for every column: chosen once per column from its type, name and category.

A filler turns a batch of rows (`Rows`) into that column's values. The choice (slow:
dictionaries, prefixes, categories) is made once per column; the work per batch is a
list comprehension over the population's lists and the table's random generator.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Sequence
from datetime import date

from skydd.datamap.models import Column
from skydd.demo.row import FillContext, Filler, Rows
from skydd.demo.text_values import text_filler

DAY = 86_400
OFFICE_HOURS = (7 * 3600, 19 * 3600)
VAT = {"SE": 25, "DK": 25, "GB": 20}

# --- predicates that several columns of one row must agree on --------------------------


def is_closed(t: int, u: float, as_of: int) -> bool:
    """A case or session is still open only if it started in the last three weeks."""
    return not (t > as_of - 21 and u < 0.6)


def is_paid(t: int, u: float, as_of: int) -> bool:
    return t < as_of - 45 or u < 0.5


def is_withdrawn(u: float) -> bool:
    return u > 0.88


@functools.cache
def fiscal_year_end(ordinal: int, month: int) -> int:
    """The last day of the fiscal year (ending in `month`) that contains the day."""
    day = date.fromordinal(ordinal)
    year = day.year if day.month <= month else day.year + 1
    return date(year, month, calendar.monthrange(year, month)[1]).toordinal()


# --- dates -------------------------------------------------------------------------------

Days = Callable[[Rows], Sequence[int | None]]


def _days(ctx: FillContext, name: str) -> Days:  # noqa: C901 - a table of cases
    as_of, pop = ctx.as_of, ctx.pop
    fy_month = pop.companies.fy_month

    def capped(value: int) -> int:
        return value if value <= as_of else as_of

    if name.startswith("last_") or name in ("updated_at", "last_reviewed"):
        return lambda b: b.e
    if name in ("closed_at", "ended_at", "resolved_at"):  # the row's last date, if closed
        return lambda b: [
            e if is_closed(t, u, as_of) else None for t, e, u in zip(b.t, b.e, b.u, strict=True)
        ]
    if name == "fiscal_year_end":
        return lambda b: [fiscal_year_end(t, fy_month[c]) for t, c in zip(b.t, b.c, strict=True)]
    if name == "due_date":
        return lambda b: [t + 30 for t in b.t]
    if name == "valid_until":  # a quote: 30 to 90 days
        return lambda b: [t + 30 + int(u * 60) for t, u in zip(b.t, b.u, strict=True)]
    if name in ("valid_to", "warranty_until"):  # an agreement, a warranty: years
        fixed = name == "warranty_until"
        return lambda b: [
            t + 365 * (2 if fixed else 1 + int(u * 3)) for t, u in zip(b.t, b.u, strict=True)
        ]
    if name == "paid_at":
        return lambda b: [
            capped(t + 5 + int(u * 35)) if is_paid(t, u, as_of) else None
            for t, u in zip(b.t, b.u, strict=True)
        ]
    if name in ("customer_until", "relationship_ended"):
        return lambda b: [e + 30 if e < as_of - 540 else None for e in b.e]
    if name in ("unsubscribed_at", "withdrawn_at"):  # then nothing happened afterwards
        return lambda b: [e if is_withdrawn(u) else None for e, u in zip(b.e, b.u, strict=True)]
    if name in ("opened_at", "clicked_at") and "clicked_at" in ctx.columns:
        rate = 0.45 if name == "opened_at" else 0.12
        return lambda b: [
            capped(t + 1) if u < rate else None for t, u in zip(b.t, b.u, strict=True)
        ]
    if name == "date_of_birth":
        birth = pop.birth
        return lambda b: [birth[p] for p in b.p]
    if name in ("notified_at", "confirmed_at", "decided_at", "verified_at") or name.endswith(
        ("_checked_at", "_checked_on")
    ):
        return lambda b: [capped(t + int(u * 10)) for t, u in zip(b.t, b.u, strict=True)]
    return lambda b: b.t


def date_filler(ctx: FillContext, name: str, stamp: bool) -> Filler:
    days_of, enc, rand = _days(ctx, name), ctx.enc, ctx.rng.random
    days, base = enc.days, enc.base
    if not stamp:
        return lambda b: [None if d is None else days[d - base] for d in days_of(b)]
    times, join = enc.times, enc.join
    low, high = OFFICE_HOURS
    if ctx.table.endswith(("log", "events", "views", "sessions", "traffic", "sightings")):
        low, high = 0, DAY  # machines and visitors keep no office hours
    span = high - low
    if enc.text:  # SQLite: the day's text and the time's text, joined without a call
        return lambda b: [
            None if d is None else f"{days[d - base]}{times[low + int(rand() * span)]}"
            for d in days_of(b)
        ]
    return lambda b: [
        None if d is None else join(days[d - base], times[low + int(rand() * span)])
        for d in days_of(b)
    ]


# --- booleans ----------------------------------------------------------------------------

_TRUE_RATE = {
    "marketing_blocked": 0.08,
    "communication_opt_out": 0.1,
    "newsletter_opt_out": 0.15,
    "is_pep": 0.01,
    "blocked": 0.0,
    "attended": 0.8,
    "mfa_used": 0.6,
    "tps_listed": 0.12,
    "mps_listed": 0.05,
    "under_warranty": 0.4,
}


def bool_filler(ctx: FillContext, name: str) -> Filler:
    rand, as_of = ctx.rng.random, ctx.as_of
    if name == "paid":
        return lambda b: [is_paid(t, u, as_of) for t, u in zip(b.t, b.u, strict=True)]
    rate = _TRUE_RATE.get(name, 0.85 if name.endswith("_allowed") else 0.3)
    return lambda b: [rand() < rate for _ in b.p]


# --- numbers -----------------------------------------------------------------------------

_INT_RANGES: dict[str, tuple[int, int]] = {
    "quantity": (1, 12),
    "risk_class": (1, 6),
    "rating": (1, 6),
    "score": (0, 11),
    "bytes_sent": (300, 250_000),
    "bytes_transferred": (64, 4096),
    "size_bytes": (20_000, 4_000_000),
    "duration_seconds": (5, 3600),
    "duration_ms": (200, 600_000),
    "operating_hours": (0, 12_000),
    "pages_viewed": (1, 25),
    "page_views": (1, 25),
    "rssi": (-95, -40),
}
_STATUS_CODES = (200, 200, 200, 200, 200, 304, 301, 404, 500)


def int_filler(ctx: FillContext, name: str) -> Filler:
    rand = ctx.rng.random
    if name == "payment_remarks":
        return lambda b: [0 if u < 0.93 else 1 + int(u * 100) % 3 for u in b.u]
    if name == "status_code":
        return lambda b: ctx.pick(_STATUS_CODES, len(b))
    if name == "year_built":
        return lambda b: [date.fromordinal(t).year - int(rand() * 12) for t in b.t]
    if name == "sequence_number":
        return lambda b: [i + 1 for i in b.i]
    if name == "quantity":  # mostly one or two of a thing
        return lambda b: [1 + int(rand() ** 3 * 11) for _ in b.p]
    low, high = _INT_RANGES.get(name, (0, 1000))
    span = high - low
    return lambda b: [low + int(rand() * span) for _ in b.p]


_MONEY_RANGES: dict[str, tuple[int, int]] = {
    "credit_limit": (10_000, 500_000),
    "credit_limit_granted": (10_000, 500_000),
    "declared_income": (250_000, 1_200_000),
    "existing_credits": (0, 500_000),
    "unit_price": (50, 5000),
    "cash_amount": (500, 15_000),
}
_LAT_LON = {
    "SE": ((55.4, 65.0), (11.9, 20.5)),
    "DK": ((54.9, 57.6), (8.2, 12.6)),
    "GB": ((50.5, 56.0), (-4.5, 1.5)),
}


def numeric_filler(ctx: FillContext, name: str) -> Filler:
    rand, money = ctx.rng.random, ctx.enc.money
    vat = VAT.get(ctx.country, 25)
    if name == "vat_amount":
        return lambda b: [money(a * vat // 100) for a in b.amount]
    if name == "amount_gross":
        return lambda b: [money(a + a * vat // 100) for a in b.amount]
    if name == "refund_amount":
        return lambda b: [money(a // 2) for a in b.amount]
    if name in ("ownership_share", "match_score"):
        return lambda b: [money(500 + int(rand() * 9500)) for _ in b.p]
    if name in ("latitude", "longitude"):
        lat, lon = _LAT_LON.get(ctx.country, _LAT_LON["GB"])
        low, high = lat if name == "latitude" else lon
        return lambda b: [money(int((low + (high - low) * rand()) * 100)) for _ in b.p]
    if name == "unit_price" and ctx.products:
        prices = [money(p.price) for p in ctx.products]
        return lambda b: [prices[i % len(prices)] for i in b.i]
    if name in _MONEY_RANGES:
        low, high = _MONEY_RANGES[name]
        return lambda b: [money((low + int(rand() * (high - low))) * 100) for _ in b.p]
    return lambda b: [money(a) for a in b.amount]


# --- dispatch ----------------------------------------------------------------------------


def _json(ctx: FillContext) -> Filler:
    rand = ctx.rng.random
    return lambda b: [
        f'{{"theme": "{"dark" if rand() < 0.4 else "light"}", "units": "metric", '
        f'"notifications": {"true" if rand() < 0.7 else "false"}}}'
        for _ in b.p
    ]


def guess_type(name: str) -> str:
    """The kind of value an untyped column holds, from its name (stored as text)."""
    if name.endswith(("_at", "_date", "_until", "_on", "_end")) or name.startswith("last_"):
        return "date"
    if "amount" in name or "price" in name:
        return "numeric"
    return "text"


def column_filler(ctx: FillContext, name: str, column: Column, kind: str | None) -> Filler:
    """The filler for one column; `kind` is the built-in identity kind it holds, if any."""
    lowered = name.lower()
    sql_type = column.type or guess_type(lowered)
    if sql_type in ("date", "timestamp"):
        return date_filler(ctx, lowered, sql_type == "timestamp")
    if sql_type == "boolean":
        return bool_filler(ctx, lowered)
    if sql_type == "integer":
        return int_filler(ctx, lowered)
    if sql_type == "numeric":
        return numeric_filler(ctx, lowered)
    if sql_type == "json":
        return _json(ctx)
    if sql_type == "blob":
        return lambda b: [
            b"%PDF-1.4\n% skydd demo attachment " + str(i).encode() + b"\n%%EOF\n" for i in b.i
        ]
    return text_filler(ctx, lowered, column, kind)
