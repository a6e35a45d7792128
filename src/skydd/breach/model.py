"""A personal data breach as the register keeps it, and the 72-hour clock (LEGAL.md BR-1).

Pure: no store, no clock of its own. The deadline to notify the supervisory
authority is 72 clock hours after the controller became aware (Art. 33(1)),
computed in UTC so that a daylight-saving change or a weekend neither adds nor
removes an hour; it is shown in the controller's local time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skydd.datamap.models import DataMap
from skydd.errors import SkyddError

NOTIFY_WITHIN = timedelta(hours=72)
RISKS = ("unlikely", "risk", "high")
"""Art. 33(1): notify unless risk is unlikely; Art. 34(1): tell the people when it is high."""
EXCEPTIONS = ("encrypted", "mitigated", "disproportionate")
"""Art. 34(3)(a)-(c): why the people need not be told individually."""

# Where the country has one time zone (or one that its capital uses for deadlines).
_ZONES = {
    "SE": "Europe/Stockholm",
    "DK": "Europe/Copenhagen",
    "NO": "Europe/Oslo",
    "FI": "Europe/Helsinki",
    "IS": "Atlantic/Reykjavik",
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "DE": "Europe/Berlin",
    "NL": "Europe/Amsterdam",
    "BE": "Europe/Brussels",
    "FR": "Europe/Paris",
    "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon",
    "IT": "Europe/Rome",
    "AT": "Europe/Vienna",
    "CH": "Europe/Zurich",
    "PL": "Europe/Warsaw",
    "CZ": "Europe/Prague",
    "EE": "Europe/Tallinn",
    "LV": "Europe/Riga",
    "LT": "Europe/Vilnius",
    "LU": "Europe/Luxembourg",
}


class BreachError(SkyddError):
    """A breach command that cannot be carried out as asked."""


@dataclass(frozen=True)
class Breach:
    """One entry of the breach register (Art. 33(5)): facts, effects, remedies, decisions."""

    breach_id: str
    title: str
    aware_at: datetime
    status: str = "open"
    occurred_at: datetime | None = None
    recorded_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    # Art. 33(3)(a)
    nature: str | None = None
    data_categories: tuple[str, ...] = ()
    subject_categories: tuple[str, ...] = ()
    people_affected: int | None = None
    records_affected: int | None = None
    # Art. 33(3)(b)-(d)
    contact: str | None = None
    consequences: str | None = None
    measures_taken: str | None = None
    measures_proposed: str | None = None
    advice: str | None = None
    # The risk assessment and the decisions (Art. 33(1), 33(5), 34)
    risk: str | None = None
    notify_authority: bool | None = None
    authority_reason: str | None = None
    authority_notified_at: datetime | None = None
    authority_reference: str | None = None
    late_reason: str | None = None
    notify_people: bool | None = None
    people_reason: str | None = None
    people_exception: str | None = None
    people_notified_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            data[f.name] = value
        data.pop("extra")
        return data


TIMES = ("occurred_at", "aware_at", "authority_notified_at", "people_notified_at")
EDITABLE = tuple(
    f.name
    for f in fields(Breach)
    if f.name not in ("breach_id", "status", "recorded_at", "updated_at", "closed_at", "extra")
)


def notification_deadline(aware_at: datetime) -> datetime:
    """The latest time to notify the authority: awareness + 72 clock hours, in UTC."""
    if aware_at.tzinfo is None or aware_at.utcoffset() is None:
        raise ValueError("aware_at must be timezone-aware")
    return aware_at.astimezone(UTC) + NOTIFY_WITHIN


@dataclass(frozen=True)
class Clock:
    """Where a breach stands against the 72 hours."""

    deadline: datetime  # UTC
    deadline_local: datetime
    hours_left: float  # negative once overdue
    running: bool  # still waiting for a notification (or a decision)
    overdue: bool
    notified_late: bool | None  # None until the authority is notified

    def as_dict(self) -> dict[str, Any]:
        return {
            "deadline": self.deadline.isoformat(),
            "deadline_local": self.deadline_local.isoformat(),
            "hours_left": round(self.hours_left, 2),
            "running": self.running,
            "overdue": self.overdue,
            "notified_late": self.notified_late,
        }


def breach_clock(breach: Breach, now: datetime, zone: ZoneInfo) -> Clock:
    """The clock as of ``now``: it stops when the authority is notified or not to be notified."""
    deadline = notification_deadline(breach.aware_at)
    left = (deadline - now.astimezone(UTC)).total_seconds() / 3600
    notified = breach.authority_notified_at
    running = notified is None and breach.notify_authority is not False
    return Clock(
        deadline=deadline,
        deadline_local=deadline.astimezone(zone),
        hours_left=left,
        running=running,
        overdue=running and left < 0,
        notified_late=None if notified is None else notified.astimezone(UTC) > deadline,
    )


def controller_zone(m: DataMap) -> ZoneInfo:
    """The controller's time zone: the map's `controller.timezone`, else its country's."""
    name = m.controller.timezone or _ZONES.get(m.controller.country, "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BreachError(
            f"unknown time zone '{name}'", hint="set controller.timezone, e.g. Europe/Stockholm"
        ) from None


def parse_time(text: str, zone: ZoneInfo, option: str) -> datetime:
    """'2026-03-27 10:00' in the controller's zone, or with an offset ('…+01:00', '…Z')."""
    raw = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise BreachError(
            f"{option}: '{text}' is not a time",
            hint="write YYYY-MM-DD HH:MM (the controller's local time) or add an offset",
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def apply_changes(breach: Breach, changes: dict[str, Any]) -> Breach:
    """The breach with ``changes`` applied and checked; unknown fields are an error."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise BreachError(f"a breach has no field(s) {', '.join(unknown)}")
    values = dict(changes)
    for key in ("data_categories", "subject_categories"):
        if key in values:
            values[key] = tuple(values[key] or ())
    for key in TIMES:
        value = values.get(key)
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise BreachError(f"{key} must carry a time zone")
    updated = replace(breach, **values)
    if updated.authority_notified_at is not None and updated.notify_authority is None:
        updated = replace(updated, notify_authority=True)
    if updated.people_notified_at is not None and updated.notify_people is None:
        updated = replace(updated, notify_people=True)
    check(updated)
    return updated


def check(b: Breach) -> None:
    """What must hold of every stored breach."""
    if not b.title.strip():
        raise BreachError("a breach needs a title", hint="give --title, a few words")
    if b.risk is not None and b.risk not in RISKS:
        raise BreachError(f"unknown risk '{b.risk}'", hint="use " + ", ".join(RISKS))
    if b.people_exception is not None and b.people_exception not in EXCEPTIONS:
        raise BreachError(
            f"unknown exception '{b.people_exception}'", hint="use " + ", ".join(EXCEPTIONS)
        )
    for key in ("people_affected", "records_affected"):
        value = getattr(b, key)
        if value is not None and value < 0:
            raise BreachError(f"{key} cannot be negative")
    if b.occurred_at and b.occurred_at > b.aware_at:
        raise BreachError(
            "the breach cannot have happened after the company became aware of it",
            hint="check --occurred and --aware",
        )
    if b.notify_authority is False and not b.authority_reason:
        raise BreachError(
            "deciding not to notify the authority needs the reason recorded (Art. 33(5))",
            hint="add --authority-reason, e.g. why the risk is unlikely",
        )
    if b.notify_authority is False and b.authority_notified_at is not None:
        raise BreachError("the authority was notified, so the decision cannot be 'no'")
    if b.notify_people is False and not (b.people_reason or b.people_exception):
        raise BreachError(
            "deciding not to tell the people affected needs a reason (Art. 34)",
            hint="add --people-reason, or --people-exception encrypted|mitigated|disproportionate",
        )


def check_closable(b: Breach) -> None:
    """A breach is closed only once every decision is made and carried out (BR-1, BR-4)."""
    if b.notify_authority is None:
        raise BreachError(
            f"{b.breach_id}: decide whether to notify the authority before closing",
            hint="update with --notify-authority yes|no (and --authority-reason for no)",
        )
    if b.notify_authority and b.authority_notified_at is None:
        raise BreachError(
            f"{b.breach_id}: the authority is to be notified but no notification is recorded",
            hint="update with --authority-notified TIME once it is sent",
        )
    deadline = notification_deadline(b.aware_at)
    late = b.authority_notified_at is not None and b.authority_notified_at > deadline
    if late and not b.late_reason:
        raise BreachError(
            f"{b.breach_id}: notified after the 72 hours; the reasons for the delay are required",
            hint="update with --late-reason (Art. 33(1))",
        )
    if b.notify_people is None:
        raise BreachError(
            f"{b.breach_id}: decide whether to tell the people affected before closing",
            hint="update with --notify-people yes|no (Art. 34)",
        )
    if b.notify_people and b.people_notified_at is None:
        raise BreachError(
            f"{b.breach_id}: the people affected are to be told but no message is recorded",
            hint="update with --people-notified TIME once it is sent",
        )
