"""The 72-hour clock (BR-1): clock hours from awareness, across daylight saving and weekends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skydd.breach import (
    Breach,
    breach_clock,
    controller_zone,
    notification_deadline,
    parse_time,
)
from skydd.breach.model import BreachError
from skydd.datamap.loader import LoadedMap

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HOURS_72 = timedelta(hours=72)


def _local(text: str) -> datetime:
    return parse_time(text, STOCKHOLM, "--aware")


def test_across_the_spring_change() -> None:
    """Summer time starts on the last Sunday of March (29 March 2026, 02:00 → 03:00)."""
    aware = _local("2026-03-27 10:00")  # Friday, CET
    deadline = notification_deadline(aware)
    assert deadline - aware == HOURS_72
    assert deadline == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    local = deadline.astimezone(STOCKHOLM)
    assert (local.hour, local.minute, local.utcoffset()) == (11, 0, timedelta(hours=2))
    # The wall clock shows 73 hours, the world has had 72.
    naive_gap = local.replace(tzinfo=None) - datetime(2026, 3, 27, 10, 0)
    assert naive_gap == timedelta(hours=73)


def test_across_the_autumn_change() -> None:
    """Summer time ends on the last Sunday of October (25 October 2026, 03:00 → 02:00)."""
    aware = _local("2026-10-23 10:00")  # Friday, CEST
    deadline = notification_deadline(aware)
    assert deadline - aware == HOURS_72
    local = deadline.astimezone(STOCKHOLM)
    assert local.replace(tzinfo=None) == datetime(2026, 10, 26, 9, 0)
    assert local.utcoffset() == timedelta(hours=1)


def test_across_a_weekend_clock_hours_not_working_days() -> None:
    aware = _local("2026-11-20 16:00")  # Friday afternoon
    local = notification_deadline(aware).astimezone(STOCKHOLM)
    assert local.replace(tzinfo=None) == datetime(2026, 11, 23, 16, 0)  # Monday, not Wednesday
    assert local.strftime("%A") == "Monday"


def test_aware_during_the_repeated_hour_with_an_offset() -> None:
    first = parse_time("2026-10-25 02:30+02:00", STOCKHOLM, "--aware")
    second = parse_time("2026-10-25 02:30+01:00", STOCKHOLM, "--aware")
    assert second - first == timedelta(hours=1)
    assert notification_deadline(second) - notification_deadline(first) == timedelta(hours=1)


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from(
            [UTC, STOCKHOLM, ZoneInfo("Europe/London"), ZoneInfo("Europe/Copenhagen")]
        ),
    ),
)
def test_always_exactly_72_hours(aware: datetime) -> None:
    deadline = notification_deadline(aware)
    assert deadline.tzinfo is UTC
    assert deadline.timestamp() - aware.timestamp() == 72 * 3600


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        notification_deadline(datetime(2026, 3, 27, 10, 0))
    with pytest.raises(BreachError, match="is not a time"):
        parse_time("Friday morning", STOCKHOLM, "--aware")


def test_clock_states() -> None:
    aware = _local("2026-03-27 10:00")
    b = Breach("BR-2026-001", "t", aware)
    soon = breach_clock(b, aware + timedelta(hours=71), STOCKHOLM)
    assert soon.running and not soon.overdue and soon.hours_left == pytest.approx(1.0)
    assert soon.deadline_local.isoformat() == "2026-03-30T11:00:00+02:00"
    late = breach_clock(b, aware + timedelta(hours=73, minutes=30), STOCKHOLM)
    assert late.overdue and late.hours_left == pytest.approx(-1.5)
    notified = Breach(
        "BR-2026-001",
        "t",
        aware,
        notify_authority=True,
        authority_notified_at=aware + timedelta(hours=80),
    )
    stopped = breach_clock(notified, aware + timedelta(hours=100), STOCKHOLM)
    assert not stopped.running and not stopped.overdue and stopped.notified_late is True
    declined = Breach("BR-2026-001", "t", aware, notify_authority=False, authority_reason="r")
    assert not breach_clock(declined, aware + timedelta(hours=100), STOCKHOLM).overdue


def test_the_controllers_zone(maps: dict[str, LoadedMap]) -> None:
    zones = {c: controller_zone(m.datamap).key for c, m in maps.items()}
    assert zones == {
        "axsensor": "Europe/Stockholm",
        "advansor": "Europe/Copenhagen",
        "astrak": "Europe/London",
    }
    m = maps["axsensor"].datamap
    moved = m.model_copy(
        update={"controller": m.controller.model_copy(update={"timezone": "Europe/Helsinki"})}
    )
    assert controller_zone(moved).key == "Europe/Helsinki"
