"""Legal deadlines for data subject requests (LEGAL.md DSR-1, DSR-2).

One month after receipt, counted by Regulation 1182/71 Art. 3: the day of receipt
is not counted, the period ends on the same day number in the month it reaches
(or that month's last day when it has no such day), and an end on a Saturday,
Sunday or public holiday moves to the next working day of the controller's
country (the ``holidays`` package; a subdivision such as ``SCT`` where the
country's holidays differ by region).  Pure functions: no clock, no I/O.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

import holidays

from skydd.errors import SkyddError
from skydd.workflow.model import Deadline

_MONTH_WORDS = {1: "one month", 2: "two months", 3: "three months"}


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day number ``months`` later, or that month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = start.year * 12 + start.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(start.day, last))


@lru_cache(maxsize=64)
def _calendar(country: str, subdivision: str | None) -> holidays.HolidayBase:
    try:
        whole = holidays.country_holidays(country)
    except NotImplementedError:
        raise SkyddError(
            f"no public holiday calendar is known for country '{country}'",
            hint="use an ISO 3166 code such as SE, DK or GB",
        ) from None
    if subdivision is None:
        return whole
    known = tuple(whole.subdivisions)
    if subdivision not in known:
        raise SkyddError(
            f"'{subdivision}' is not a subdivision of {country} in the holiday calendar",
            hint="use one of: " + (", ".join(known) if known else "none; leave it out"),
        )
    return holidays.country_holidays(country, subdiv=subdivision)


def non_working_reason(day: dt.date, country: str, subdivision: str | None = None) -> str | None:
    """Why ``day`` is not a working day ('a Saturday', 'Easter Monday'), or None if it is one."""
    if day.weekday() == 5:
        return "a Saturday"
    if day.weekday() == 6:
        return "a Sunday"
    name = _calendar(_country(country), subdivision).get(day)
    return str(name) if name else None


def is_working_day(day: dt.date, country: str, subdivision: str | None = None) -> bool:
    return non_working_reason(day, country, subdivision) is None


def next_working_day(
    day: dt.date, country: str, subdivision: str | None = None
) -> tuple[dt.date, list[str]]:
    """``day`` itself if it is a working day, else the next one, with what was skipped."""
    skipped: list[str] = []
    while (why := non_working_reason(day, country, subdivision)) is not None:
        skipped.append(f"{day.isoformat()} is {why}" if why.startswith("a ") else f"{day} is {why}")
        day += dt.timedelta(days=1)
    return day, skipped


def _country(country: str) -> str:
    code = country.strip().upper()
    return {"UK": "GB", "EL": "GR"}.get(code, code)


def deadline(
    received: dt.date, country: str, *, months: int = 1, subdivision: str | None = None
) -> Deadline:
    """When a request received on ``received`` must be answered, and the rule in words.

    ``months=1`` is Art. 12(3)'s month; ``months=3`` is that month plus the two more
    an extension allows (DSR-2), counted the same way from the day of receipt.
    """
    if not 1 <= months <= 3:
        raise SkyddError(
            f"a deadline is 1 to 3 months after receipt, not {months}",
            hint="one month (Art. 12(3)), up to two more when extended",
        )
    code = _country(country)
    sub = subdivision.strip().upper() if subdivision else None
    end = add_months(received, months)
    due, skipped = next_working_day(end, code, sub)
    where = f"{code}-{sub}" if sub else code
    rule = (
        f"{_MONTH_WORDS[months]} after receipt on {received.isoformat()} "
        f"(Art. 12(3) GDPR; counted by Reg. 1182/71 Art. 3): {end.isoformat()}"
    )
    if end.day != received.day:
        rule += f", the last day of a month with no day {received.day}"
    if skipped:
        rule += f"; {'; '.join(skipped)} in {where}, so the next working day, {due.isoformat()}"
    return Deadline(due, rule)
