"""The breach register in Skydd's store: open, update, close, list (LEGAL.md BR-3).

Every change is one store transaction followed by its audit event. The clock is
never stored: it is computed from `aware_at` whenever a breach is read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from skydd.breach.events import BreachClosed, BreachOpened, BreachUpdated
from skydd.breach.model import (
    TIMES,
    Breach,
    BreachError,
    apply_changes,
    check_closable,
    notification_deadline,
)
from skydd.store.audit import format_at
from skydd.store.schema import breaches

if TYPE_CHECKING:
    from skydd.store import Store

_COLUMNS = (
    "title",
    "status",
    "recorded_at",
    "updated_at",
    "closed_at",
    "notify_authority",
    "notify_people",
    *TIMES,
)
_TRIES = 20
_DETAILS = {f.name for f in fields(Breach)} - {"breach_id", "extra", *_COLUMNS}


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _row(b: Breach) -> dict[str, Any]:
    data = b.as_dict()
    details = {k: v for k, v in data.items() if k not in _COLUMNS and k != "breach_id"}
    row: dict[str, Any] = {
        "breach_id": b.breach_id,
        "title": b.title,
        "status": b.status,
        "notify_authority": _yes_no(b.notify_authority),
        "notify_people": _yes_no(b.notify_people),
        "details": json.dumps(details, ensure_ascii=False, sort_keys=True),
    }
    for key in (*TIMES, "recorded_at", "updated_at", "closed_at"):
        value = getattr(b, key)
        row[key] = format_at(value) if value is not None else None
    return row


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _breach(row: Mapping[Any, Any]) -> Breach:
    stored = json.loads(row["details"])
    # A field written by a newer Skydd is kept aside rather than failing the read.
    details = {k: v for k, v in stored.items() if k in _DETAILS}
    details["extra"] = {k: v for k, v in stored.items() if k not in _DETAILS}
    for key in ("data_categories", "subject_categories"):
        details[key] = tuple(details.get(key) or ())
    aware = _time(row["aware_at"])
    assert aware is not None
    return Breach(
        breach_id=row["breach_id"],
        title=row["title"],
        status=row["status"],
        aware_at=aware,
        occurred_at=_time(row["occurred_at"]),
        recorded_at=_time(row["recorded_at"]),
        updated_at=_time(row["updated_at"]),
        closed_at=_time(row["closed_at"]),
        notify_authority=None
        if row["notify_authority"] is None
        else row["notify_authority"] == "yes",
        notify_people=None if row["notify_people"] is None else row["notify_people"] == "yes",
        authority_notified_at=_time(row["authority_notified_at"]),
        people_notified_at=_time(row["people_notified_at"]),
        **details,
    )


def _next_id(conn: sa.Connection, year: int) -> str:
    prefix = f"BR-{year}-"
    ids = conn.execute(
        sa.select(breaches.c.breach_id).where(breaches.c.breach_id.like(prefix + "%"))
    ).scalars()
    numbers = [int(i[len(prefix) :]) for i in ids if i[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def open_breach(
    store: Store,
    *,
    title: str,
    aware_at: datetime,
    actor: str = "system",
    now: datetime | None = None,
    **facts: Any,
) -> Breach:
    """Record a new breach; ``facts`` are any editable field (nature, risk, …)."""
    when = (now or datetime.now(UTC)).astimezone(UTC)
    draft = apply_changes(Breach("", title, aware_at.astimezone(UTC)), facts)
    for _ in range(_TRIES):
        try:
            with store.engine.begin() as conn:
                breach_id = _next_id(conn, when.year)
                breach = Breach(
                    **{
                        **_fields(draft),
                        "breach_id": breach_id,
                        "recorded_at": when,
                        "updated_at": when,
                    }
                )
                conn.execute(sa.insert(breaches).values(**_row(breach)))
            break
        except IntegrityError:  # another process took the number: take the next
            continue
    else:
        raise BreachError("could not number the breach; try again")
    deadline = notification_deadline(breach.aware_at)
    store.audit.append(
        BreachOpened(
            breach_id,
            format_at(breach.aware_at),
            format_at(deadline),
            sorted(k for k, v in facts.items() if v not in (None, (), [])),
        ),
        actor=actor,
    )
    return breach


def _fields(b: Breach) -> dict[str, Any]:
    return {k: getattr(b, k) for k in b.__dataclass_fields__}


def get_breach(store: Store, breach_id: str) -> Breach:
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(breaches).where(breaches.c.breach_id == breach_id)
        ).one_or_none()
    if row is None:
        raise BreachError(f"no breach '{breach_id}'", hint="`skydd breach list` shows the ids")
    return _breach(row._mapping)


def list_breaches(store: Store, *, status: str | None = None) -> list[Breach]:
    """Every breach (or those open or closed), oldest awareness first."""
    query = sa.select(breaches).order_by(breaches.c.aware_at, breaches.c.breach_id)
    if status is not None:
        query = query.where(breaches.c.status == status)
    with store.engine.connect() as conn:
        return [_breach(r._mapping) for r in conn.execute(query)]


def _save(store: Store, before: Breach, after: Breach) -> None:
    with store.engine.begin() as conn:
        done = conn.execute(
            sa.update(breaches)
            .where(breaches.c.breach_id == before.breach_id)
            .where(breaches.c.updated_at == format_at(before.updated_at or before.aware_at))
            .values(**_row(after))
        ).rowcount
    if done != 1:
        raise BreachError(
            f"{before.breach_id} was changed by someone else meanwhile", hint="run it again"
        )


def update_breach(
    store: Store,
    breach_id: str,
    changes: Mapping[str, Any],
    *,
    actor: str = "system",
    now: datetime | None = None,
) -> Breach:
    """Change facts or decisions of an open breach; facts may come in phases (Art. 33(4))."""
    before = get_breach(store, breach_id)
    if before.status == "closed":
        raise BreachError(f"{breach_id} is closed", hint="a closed breach is not changed")
    given = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
    changed = {k: v for k, v in given.items() if getattr(before, k, object()) != v}
    if not changed:
        return before
    when = (now or datetime.now(UTC)).astimezone(UTC)
    after = apply_changes(before, {**changed})
    after = Breach(**{**_fields(after), "updated_at": when})
    _save(store, before, after)
    store.audit.append(
        BreachUpdated(
            breach_id,
            sorted(changed),
            _yes_no(after.notify_authority),
            _yes_no(after.notify_people),
            after.risk,
        ),
        actor=actor,
    )
    return after


def close_breach(
    store: Store, breach_id: str, *, actor: str = "system", now: datetime | None = None
) -> Breach:
    """Close a breach once every decision is recorded and carried out."""
    before = get_breach(store, breach_id)
    if before.status == "closed":
        return before
    check_closable(before)
    when = (now or datetime.now(UTC)).astimezone(UTC)
    after = Breach(**{**_fields(before), "status": "closed", "closed_at": when, "updated_at": when})
    _save(store, before, after)
    late = bool(
        after.authority_notified_at
        and after.authority_notified_at > notification_deadline(after.aware_at)
    )
    store.audit.append(
        BreachClosed(breach_id, bool(after.notify_authority), late, bool(after.notify_people)),
        actor=actor,
    )
    return after
