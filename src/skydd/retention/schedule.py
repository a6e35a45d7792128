"""Running retention once a day at a set time, in a server, beside cron, never twice at once.

`next_run` says when the local clock next shows the time; `DailySchedule` waits
for it in a thread (or under asyncio, through `asyncio.to_thread`), runs the job
and waits for the next day, until stopped. The retention job takes the store's
`retention` lock like `skydd retention run` does, so a server and a cron job never
overlap: whichever comes second finds the lock held and leaves the day's work to
the first.

Clock changes: a time the clock skips (02:30 on the last Sunday of March in
Stockholm) runs when the clock would have shown it, an hour later by the new time
(03:30); a time the clock shows twice (02:30 on the last Sunday of October) runs
the first time only. Either way one run a day.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skydd.errors import SkyddError

log = logging.getLogger("skydd.retention")

DEFAULT_TZ = "Europe/Stockholm"


def zone(tz: str | tzinfo) -> tzinfo:
    """A time zone by its IANA name ("Europe/Stockholm"), or the one given."""
    if not isinstance(tz, str):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise SkyddError(
            f"'{tz}' is not a time zone Skydd knows",
            hint="give an IANA name such as Europe/Stockholm, Europe/Copenhagen or UTC",
        ) from None


def parse_at(text: str) -> time:
    """'HH:MM' (24-hour clock) as a time of day."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise SkyddError(
            f"'{text}' is not a time of day", hint="write it as HH:MM, e.g. 02:30"
        ) from None


def next_run(now: datetime, at: time, tz: str | tzinfo) -> datetime:
    """The first moment after `now` when the clock in `tz` shows `at` (in `tz`).

    Compared in UTC throughout: Python compares two times of one zone by their wall
    clock, which would take the second 02:30 of an October night for the first.
    """
    if now.tzinfo is None:
        raise ValueError("now must carry its time zone")
    where = zone(tz)
    now_utc = now.astimezone(UTC)
    day = now_utc.astimezone(where).date()
    for ahead in range(3):
        # fold=0: a skipped time is read with the offset before the change, so it lands
        # as far after the change as it was meant to be after its start.
        wall = datetime.combine(day + timedelta(days=ahead), at.replace(tzinfo=None), where)
        moment = wall.astimezone(UTC)
        if moment > now_utc:
            return moment.astimezone(where)
    raise AssertionError("a day always has the time once")  # pragma: no cover


Job = Callable[[date], object]


class DailySchedule:
    """Runs `job(day)` once a day when the clock in `tz` shows `at`, until `stop()`.

    `job` gets the local date of the run (the retention rules' `as_of`). An exception
    from it is logged (its type and message, which Skydd keeps free of personal
    data; for other exceptions only their type) and the schedule goes on with the next
    day. `clock` and `wait` are for tests.
    """

    def __init__(
        self,
        job: Job,
        at: time,
        tz: str | tzinfo = DEFAULT_TZ,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        wait: Callable[[float], bool] | None = None,
    ) -> None:
        self.job = job
        self.at = at
        self.tz = zone(tz)
        self.clock = clock
        self.runs = 0
        self._stop = threading.Event()
        # wait(seconds) -> True when stopped meanwhile; tests pass one that moves `clock`.
        self._wait = wait or self._stop.wait
        self._thread: threading.Thread | None = None

    def next(self) -> datetime:
        return next_run(self.clock(), self.at, self.tz)

    def run(self) -> None:
        """Wait for each run and do it, until stopped (blocking: call it in a thread)."""
        while not self._stop.is_set():
            when = self.next().astimezone(UTC)
            wait = (when - self.clock()).total_seconds()
            if wait > 0 and self._wait(min(wait, 3600.0)):
                return
            if self._stop.is_set():
                return
            if self.clock() < when:
                continue  # woke early (at most an hour at a time): look again
            try:
                self.job(when.astimezone(self.tz).date())
            except Exception as exc:  # a failed day must not end the schedule
                # A SkyddError's message is written free of personal data; another
                # exception's (a driver's, with its parameters) might not be.
                said = str(exc) if isinstance(exc, SkyddError) else "an internal error"
                log.error("scheduled retention failed: %s: %s", type(exc).__name__, said)
            self.runs += 1

    def start(self) -> DailySchedule:
        """Run in a daemon thread; returns self."""
        self._thread = threading.Thread(target=self.run, name="skydd-retention", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop waiting for the next run. A run in progress is not cut short (it would be
        finished by the next one anyway): this waits up to `timeout` seconds for it."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()


def retention_job(map_path: str | Path | None = None, store: str | None = None) -> Job:
    """The daily job: `skydd retention run` for the day; skipped when another run holds
    the lock (a cron job at the same time), since that run does the same work."""

    def job(day: date) -> object:
        from skydd import retention
        from skydd.store.locks import LockHeld

        try:
            report = retention.run(map_path, as_of=day, store=store, actor="retention-schedule")
        except LockHeld:
            log.info("scheduled retention for %s skipped: another run holds the lock", day)
            return None
        log.info(
            "scheduled retention for %s: %s rows in %s batches (%s)",
            day,
            sum(report.done.values()),
            report.batches,
            report.run_id,
        )
        return report

    return job
