"""The daily schedule: when it runs (clock changes in Stockholm included), and the lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from retention_db import ids
from scenarios import ORDERS, Scenario

from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.retention.schedule import DailySchedule, next_run, parse_at, retention_job, zone
from skydd.store import open_store
from skydd.store.locks import hold_lock

STHLM = ZoneInfo("Europe/Stockholm")
AT = time(2, 30)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_later_today_or_tomorrow() -> None:
    now = datetime(2026, 11, 22, 1, 0, tzinfo=STHLM)
    assert next_run(now, AT, "Europe/Stockholm") == datetime(2026, 11, 22, 2, 30, tzinfo=STHLM)
    exactly = datetime(2026, 11, 22, 2, 30, tzinfo=STHLM)
    assert next_run(exactly, AT, STHLM) == datetime(2026, 11, 23, 2, 30, tzinfo=STHLM)
    # `now` in any zone: 23:00 UTC on the 21st is already 00:00 on the 22nd in Stockholm
    assert next_run(utc(2026, 11, 21, 23, 0), AT, STHLM).date() == date(2026, 11, 22)
    assert next_run(utc(2026, 11, 22, 1, 30), AT, STHLM).date() == date(2026, 11, 23)


def test_spring_forward_a_skipped_time_runs_an_hour_later_by_the_new_clock() -> None:
    """29 March 2026: at 02:00 the clock jumps to 03:00; 02:30 does not exist."""
    first = next_run(datetime(2026, 3, 28, 12, 0, tzinfo=STHLM), AT, STHLM)
    assert first.astimezone(UTC) == utc(2026, 3, 29, 1, 30)  # 03:30 summer time
    assert first.astimezone(STHLM).hour == 3
    second = next_run(first, AT, STHLM)
    assert second.astimezone(UTC) == utc(2026, 3, 30, 0, 30)  # 02:30 summer time
    before = next_run(datetime(2026, 3, 27, 12, 0, tzinfo=STHLM), AT, STHLM)
    assert before.astimezone(UTC) == utc(2026, 3, 28, 1, 30)  # 02:30 winter time
    # an existing time on the day of the change moves with the clock
    three = next_run(datetime(2026, 3, 28, 12, 0, tzinfo=STHLM), time(3, 0), STHLM)
    assert three.astimezone(UTC) == utc(2026, 3, 29, 1, 0)


def test_fall_back_a_time_shown_twice_runs_once() -> None:
    """25 October 2026: at 03:00 the clock goes back to 02:00; 02:30 comes twice."""
    first = next_run(datetime(2026, 10, 24, 12, 0, tzinfo=STHLM), AT, STHLM)
    assert first.astimezone(UTC) == utc(2026, 10, 25, 0, 30)  # the first 02:30 (+02:00)
    after = first + timedelta(minutes=1)
    second = next_run(after, AT, STHLM)
    assert second.astimezone(UTC) == utc(2026, 10, 26, 1, 30)  # not the second 02:30
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=25)


def test_times_and_zones_are_checked() -> None:
    assert parse_at("02:30") == AT and parse_at(" 23:05 ") == time(23, 5)
    for bad in ("2.30", "25:00", "noon", "02:30:00"):
        with pytest.raises(SkyddError):
            parse_at(bad)
    with pytest.raises(SkyddError, match="not a time zone"):
        zone("Europe/Stockholmm")
    with pytest.raises(ValueError):
        next_run(datetime(2026, 1, 1), AT, STHLM)


def test_the_schedule_runs_once_a_day_with_the_local_date() -> None:
    now = [datetime(2026, 3, 27, 12, 0, tzinfo=STHLM).astimezone(UTC)]
    days: list[tuple[date, datetime]] = []

    def wait(seconds: float) -> bool:
        now[0] += timedelta(seconds=seconds)
        return schedule.stopped

    def job(day: date) -> None:
        days.append((day, now[0]))
        if len(days) == 4:
            schedule.stop()

    schedule = DailySchedule(job, AT, "Europe/Stockholm", clock=lambda: now[0], wait=wait)
    schedule.run()
    assert [d for d, _ in days] == [date(2026, 3, d) for d in (28, 29, 30, 31)]
    assert [at.astimezone(UTC).hour for _, at in days] == [1, 1, 0, 0]
    assert schedule.runs == 4


def test_a_failing_day_is_logged_and_the_next_day_runs(caplog: pytest.LogCaptureFixture) -> None:
    now = [utc(2026, 6, 1, 12, 0)]
    days: list[date] = []

    def wait(seconds: float) -> bool:
        now[0] += timedelta(seconds=seconds)
        return schedule.stopped

    def job(day: date) -> None:
        days.append(day)
        if len(days) == 1:
            raise SkyddError("the ERP is unreachable", hint="start it")
        if len(days) == 2:
            raise ValueError("duplicate key anna@example.se")  # a driver's words
        schedule.stop()

    schedule = DailySchedule(job, AT, "UTC", clock=lambda: now[0], wait=wait)
    schedule.run()
    assert days == [date(2026, 6, 2), date(2026, 6, 3), date(2026, 6, 4)]
    assert "scheduled retention failed: SkyddError: the ERP is unreachable" in caplog.text
    assert "ValueError: an internal error" in caplog.text
    assert "anna@example.se" not in caplog.text


def test_a_started_schedule_stops_promptly() -> None:
    schedule = DailySchedule(lambda day: None, AT, "UTC").start()
    schedule.stop(timeout=5)
    assert schedule.stopped and schedule.runs == 0
    assert schedule._thread is not None and not schedule._thread.is_alive()


def test_the_job_runs_retention_and_steps_aside_for_a_run_holding_the_lock(
    scenario_map: Callable[[Scenario], LoadedMap], tmp_path: Path
) -> None:
    s = ORDERS
    loaded = scenario_map(s)
    store = f"sqlite:///{tmp_path / 'store.db'}"
    job = retention_job(loaded.path, store)
    with open_store(store) as st, hold_lock(st.engine, "retention"):
        assert job(s.run_on) is None  # a cron job is running: the server leaves it the day
    assert ids(loaded, "erp.contacts") == [1, 2, 3, 4]
    report = job(s.run_on)
    assert report is not None
    for table, left in s.left.items():
        assert ids(loaded, table) == left
