"""Repeat requests (DSR-6, EN-5): flag, never charge or refuse by themselves.

Access is free; only manifestly unfounded or excessive requests, or further copies,
may cost a reasonable fee or be refused, and the controller bears the proof.  So the
map's policy only decides which requests Skydd *flags* as repeats: those of the same
kind by the same person (any identity in common) within ``policy.repeat_request_interval``.
A map that says "free once a year" (``free_copies_per_year: N``) is read as the interval
it implies (12/N months), still only for flagging; lint rule SKD302 warns about it.
The DPO decides, and charging or refusing needs a recorded reason (``charge_fee``,
``refuse``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, select

from skydd.datamap.models import DataMap, parse_period
from skydd.store.schema import workflow_identity_hashes, workflow_requests
from skydd.workflow.deadlines import add_months


def repeat_interval(datamap: DataMap) -> tuple[int, str] | None:
    """The map's repeat interval as (count, unit), or None when it sets none."""
    policy = datamap.policy
    if policy.repeat_request_interval:
        return parse_period(policy.repeat_request_interval)
    if policy.free_copies_per_year:
        return max(1, 12 // policy.free_copies_per_year), "month"
    return None


def interval_start(day: dt.date, interval: tuple[int, str]) -> dt.date:
    """The first day whose requests count as earlier ones within ``interval`` of ``day``."""
    count, unit = interval
    if unit == "day":
        return day - dt.timedelta(days=count)
    if unit == "week":
        return day - dt.timedelta(weeks=count)
    return add_months(day, -count * (12 if unit == "year" else 1))


def find_repeat(
    conn: Connection,
    hashes: Sequence[str],
    kind: str,
    received_on: dt.date,
    interval: tuple[int, str] | None,
) -> str | None:
    """The newest earlier request of ``kind`` sharing an identity hash within the interval."""
    if interval is None or not hashes:
        return None
    since = interval_start(received_on, interval).isoformat()
    h, r = workflow_identity_hashes, workflow_requests
    query = (
        select(h.c.request_id)
        .join(r, r.c.request_id == h.c.request_id)
        .where(
            h.c.identity_hash.in_(list(hashes)),
            h.c.received_on > since,
            h.c.received_on <= received_on.isoformat(),
            r.c.kind == kind,
        )
        .order_by(h.c.received_on.desc(), r.c.received_at.desc())
        .limit(1)
    )
    found = conn.execute(query).scalar_one_or_none()
    return str(found) if found is not None else None
