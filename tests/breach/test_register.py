"""The breach register in a real store: every breach recorded, each change audited (BR-3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from skydd.breach import (
    BreachError,
    close_breach,
    get_breach,
    list_breaches,
    open_breach,
    update_breach,
)
from skydd.breach.events import BreachClosed, BreachOpened, BreachUpdated
from skydd.store import Store

AWARE = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
NOW = AWARE + timedelta(hours=2)
SECRET = "Anna Andersson's file was emailed to the wrong address"


def _events(store: Store) -> list[tuple[str, dict[str, object]]]:
    return [(r.kind, r.payload) for r in store.audit.records() if r.kind.startswith("breach-")]


def test_open_update_close_with_audit_events(store: Store) -> None:
    b = open_breach(
        store,
        title="Misdirected email",
        aware_at=AWARE,
        now=NOW,
        nature=SECRET,
        data_categories=["user.contact.email"],
        people_affected=1,
    )
    assert b.breach_id == "BR-2026-001" and b.status == "open"
    assert get_breach(store, b.breach_id) == b
    b = update_breach(
        store,
        b.breach_id,
        {
            "risk": "unlikely",
            "notify_authority": False,
            "authority_reason": "one recipient, deleted unread",
        },
        now=NOW,
    )
    b = update_breach(
        store, b.breach_id, {"notify_people": False, "people_reason": "risk unlikely"}, now=NOW
    )
    same = update_breach(store, b.breach_id, {"data_categories": ["user.contact.email"]})
    assert same == b  # nothing changed: no event
    closed = close_breach(store, b.breach_id, now=NOW + timedelta(hours=1))
    assert closed.status == "closed" and closed.closed_at == NOW + timedelta(hours=1)
    assert get_breach(store, b.breach_id) == closed
    kinds = [k for k, _ in _events(store)]
    assert kinds == [BreachOpened.kind, BreachUpdated.kind, BreachUpdated.kind, BreachClosed.kind]
    events = _events(store)
    assert events[0][1]["deadline"] == "2026-03-30T09:00:00.000000+00:00"
    assert events[1][1]["fields"] == ["authority_reason", "notify_authority", "risk"]
    assert events[1][1]["notify_authority"] == "no"
    assert events[3][1] == {
        "breach_id": "BR-2026-001",
        "notified_authority": False,
        "notified_late": False,
        "notified_people": False,
    }
    # The facts stay in the register; the permanent log names fields only.
    assert not any(SECRET in str(p) or "deleted unread" in str(p) for _, p in events)
    assert store.audit.verify().ok


def test_every_breach_is_listed_notified_or_not(store: Store) -> None:
    first = open_breach(store, title="A", aware_at=AWARE, now=NOW)
    second = open_breach(store, title="B", aware_at=AWARE - timedelta(days=1), now=NOW)
    assert second.breach_id == "BR-2026-002"
    update_breach(
        store,
        first.breach_id,
        {
            "notify_authority": False,
            "authority_reason": "r",
            "notify_people": False,
            "people_reason": "r",
        },
    )
    close_breach(store, first.breach_id)
    assert [b.breach_id for b in list_breaches(store)] == ["BR-2026-002", "BR-2026-001"]
    assert [b.breach_id for b in list_breaches(store, status="open")] == ["BR-2026-002"]
    assert [b.title for b in list_breaches(store, status="closed")] == ["A"]


def test_decisions_need_reasons(store: Store) -> None:
    b = open_breach(store, title="A", aware_at=AWARE, now=NOW)
    with pytest.raises(BreachError, match="reason recorded"):
        update_breach(store, b.breach_id, {"notify_authority": False})
    with pytest.raises(BreachError, match="needs a reason"):
        update_breach(store, b.breach_id, {"notify_people": False})
    update_breach(store, b.breach_id, {"notify_people": False, "people_exception": "encrypted"})
    with pytest.raises(BreachError, match="unknown risk"):
        update_breach(store, b.breach_id, {"risk": "medium"})
    with pytest.raises(BreachError, match="after the company became aware"):
        update_breach(store, b.breach_id, {"occurred_at": AWARE + timedelta(hours=1)})
    with pytest.raises(BreachError, match="no field"):
        update_breach(store, b.breach_id, {"status": "closed"})
    assert get_breach(store, b.breach_id).notify_authority is None


def test_closing_needs_the_decisions_carried_out(store: Store) -> None:
    b = open_breach(store, title="A", aware_at=AWARE, now=NOW, risk="high")
    with pytest.raises(BreachError, match="decide whether to notify the authority"):
        close_breach(store, b.breach_id)
    update_breach(store, b.breach_id, {"notify_authority": True})
    with pytest.raises(BreachError, match="no notification is recorded"):
        close_breach(store, b.breach_id)
    late = AWARE + timedelta(hours=73)
    update_breach(store, b.breach_id, {"authority_notified_at": late})
    with pytest.raises(BreachError, match="reasons for the delay"):
        close_breach(store, b.breach_id)
    update_breach(store, b.breach_id, {"late_reason": "scope unknown until forensics ended"})
    with pytest.raises(BreachError, match="tell the people"):
        close_breach(store, b.breach_id)
    update_breach(store, b.breach_id, {"people_notified_at": late + timedelta(hours=1)})
    closed = close_breach(store, b.breach_id)
    assert closed.notify_people is True
    assert _events(store)[-1][1]["notified_late"] is True
    with pytest.raises(BreachError, match="is closed"):
        update_breach(store, b.breach_id, {"risk": "risk"})


def test_unknown_breach(store: Store) -> None:
    with pytest.raises(BreachError, match="no breach 'BR-1999-001'") as info:
        get_breach(store, "BR-1999-001")
    assert info.value.hint and "breach list" in info.value.hint
