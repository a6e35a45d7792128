"""The breach register on PostgreSQL: the same answers, and numbering under concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from skydd.breach import close_breach, get_breach, list_breaches, open_breach, update_breach
from skydd.store import open_store

pytestmark = pytest.mark.integration
AWARE = datetime(2026, 10, 23, 8, 0, tzinfo=UTC)


def test_round_trip_and_concurrent_numbering(pg_url: str) -> None:
    with open_store(pg_url) as st:
        b = open_breach(
            st,
            title="Lost USB",
            aware_at=AWARE,
            now=AWARE,
            risk="risk",
            data_categories=["user.name"],
            people_affected=3,
        )
        assert get_breach(st, b.breach_id) == b
        with ThreadPoolExecutor(max_workers=4) as pool:
            opened = list(
                pool.map(
                    lambda i: open_breach(st, title=f"T{i}", aware_at=AWARE, now=AWARE).breach_id,
                    range(8),
                )
            )
        assert len(set(opened)) == 8
        assert sorted(x.breach_id for x in list_breaches(st)) == [
            f"BR-2026-{n:03d}" for n in range(1, 10)
        ]
        update_breach(
            st,
            b.breach_id,
            {
                "notify_authority": True,
                "authority_notified_at": AWARE + timedelta(hours=70),
                "notify_people": False,
                "people_exception": "encrypted",
            },
        )
        closed = close_breach(st, b.breach_id)
        assert get_breach(st, b.breach_id) == closed and closed.status == "closed"
        assert st.audit.verify().ok
