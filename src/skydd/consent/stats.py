"""Accept and refuse rates per purpose (or cookie category) over time, for the dashboard."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from skydd.consent.ledger import now_text
from skydd.errors import SkyddError
from skydd.store.schema import consent_events

PERIODS = {"day": 10, "month": 7}


@dataclass(frozen=True)
class Rate:
    """One period and purpose: how many choices granted, refused or withdrew it."""

    period: str
    purpose: str
    granted: int
    refused: int
    withdrawn: int

    @property
    def accept_rate(self) -> float | None:
        """Granted out of granted and refused; None without a choice."""
        choices = self.granted + self.refused
        return round(self.granted / choices, 4) if choices else None

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "accept_rate": self.accept_rate}


def consent_rates(
    engine: Engine,
    *,
    by: str = "day",
    since: date | None = None,
    until: date | None = None,
    subject_kind: str | None = None,
) -> list[Rate]:
    """Counts per period (``day`` or ``month``, UTC) and purpose, grouped in the database."""
    if by not in PERIODS:
        raise SkyddError(f"unknown period '{by}'", hint="use day or month")
    period = func.substr(consent_events.c.at, 1, PERIODS[by]).label("period")
    query = select(
        period,
        consent_events.c.purpose,
        consent_events.c.decision,
        func.count().label("n"),
    ).group_by(period, consent_events.c.purpose, consent_events.c.decision)
    if since is not None:
        query = query.where(consent_events.c.at >= now_text(_start(since)))
    if until is not None:
        query = query.where(consent_events.c.at < now_text(_start(until + timedelta(days=1))))
    if subject_kind is not None:
        query = query.where(consent_events.c.subject_kind == subject_kind)
    counts: dict[tuple[str, str], dict[str, int]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            slot = counts.setdefault((row.period, row.purpose), {})
            slot[row.decision] = int(row.n)
    return [
        Rate(p, purpose, c.get("granted", 0), c.get("refused", 0), c.get("withdrawn", 0))
        for (p, purpose), c in sorted(counts.items())
    ]


def _start(day: date) -> datetime:
    from datetime import UTC

    return datetime.combine(day, time(0, 0), tzinfo=UTC)
