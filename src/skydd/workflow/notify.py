"""Reminders to the DPO before deadlines, and emails telling the person what happened.

Mail goes out through ``skydd.mail.send_mail`` (SMTP settings from ``SKYDD_SMTP_*``).
A reminder is sent once per request and threshold (7 and 2 days before the deadline by
default), whenever the job runs after the threshold is reached, so a missed day loses
nothing; each one sent is recorded in the request's history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import insert, select

from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.store import Store
from skydd.store.audit import format_at
from skydd.store.schema import workflow_request_events, workflow_requests
from skydd.workflow.events import RequestTransition
from skydd.workflow.model import OPEN_STATES, Request, State
from skydd.workflow.storage import writing
from skydd.workflow.texts import person_message

if TYPE_CHECKING:
    from skydd.mail import MailSettings

MessageKind = Literal["completed", "extended", "refused"]

__all__ = [
    "MessageKind",
    "Reminder",
    "due_reminders",
    "notify_person",
    "person_message",
    "reminder_text",
    "send_reminders",
]


@dataclass(frozen=True)
class Reminder:
    """An open request ``days_left`` days from its deadline (negative: overdue), reminded
    for the tightest ``threshold`` it has reached."""

    request_id: str
    kind: str
    state: str
    due: dt.date
    days_left: int
    threshold: int

    def as_json(self) -> dict[str, object]:
        return {
            "request_id": self.request_id,
            "kind": self.kind,
            "state": self.state,
            "due": self.due.isoformat(),
            "days_left": self.days_left,
            "threshold": self.threshold,
        }


def _sent(store: Store, request_ids: Sequence[str]) -> dict[str, set[int]]:
    e = workflow_request_events
    sent: dict[str, set[int]] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(request_ids), 500):
            rows = conn.execute(
                select(e.c.request_id, e.c.details).where(
                    e.c.request_id.in_(list(request_ids[start : start + 500])),
                    e.c.action == "remind",
                )
            )
            for rid, details in rows:
                sent.setdefault(rid, set()).add(int(json.loads(details)["threshold"]))
    return sent


def due_reminders(
    store: Store, today: dt.date, days_before: Sequence[int] = (7, 2)
) -> list[Reminder]:
    """Reminders not yet sent: each open request once per threshold it has reached (the
    tightest only, when it reached several since the last run), soonest deadline first."""
    if not days_before:
        return []
    r = workflow_requests
    until = today + dt.timedelta(days=max(days_before))
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(r.c.request_id, r.c.kind, r.c.state, r.c.due)
            .where(r.c.state.in_([s.value for s in OPEN_STATES]), r.c.due <= until.isoformat())
            .order_by(r.c.due, r.c.request_id)
        ).all()
    sent = _sent(store, [row.request_id for row in rows])
    out = []
    for row in rows:
        due = dt.date.fromisoformat(row.due)
        left = (due - today).days
        tightest = min(t for t in days_before if left <= t)
        if tightest not in sent.get(row.request_id, set()):
            out.append(Reminder(row.request_id, row.kind, row.state, due, left, tightest))
    return out


def reminder_text(reminders: Sequence[Reminder], controller: str, today: dt.date) -> str:
    """The DPO's reminder: one line per request (ids, kinds and dates; no personal data)."""
    lines = [f"Data subject requests at {controller} that need an answer soon ({today}):", ""]
    for rem in reminders:
        when = (
            f"OVERDUE by {-rem.days_left} day(s)"
            if rem.days_left < 0
            else f"due in {rem.days_left} day(s)"
        )
        lines.append(f"  {rem.request_id}  {rem.kind:<9} {rem.state:<12} {rem.due}  {when}")
    lines += ["", "See them with: skydd requests list --due-within 7d"]
    return "\n".join(lines) + "\n"


def _record(
    store: Store,
    req_id: str,
    kind: str,
    state: str,
    due: str,
    action: str,
    details: dict[str, object],
) -> None:
    now = dt.datetime.now(dt.UTC)
    with writing(store) as conn:
        conn.execute(
            insert(workflow_request_events).values(
                request_id=req_id,
                at=format_at(now),
                actor="skydd",
                action=action,
                from_state=state,
                to_state=state,
                reason=None,
                details=json.dumps(details, sort_keys=True),
            )
        )
    store.audit.append(
        RequestTransition(
            request_id=req_id,
            request_type=kind,
            action=action,
            from_state=state,
            to_state=state,
            due=due,
            identity_kinds=[],
        ),
        actor="skydd",
        at=now,
    )


def _dpo_address(loaded: LoadedMap) -> str:
    c = loaded.datamap.controller
    for person in (c.dpo, c.privacy_contact):
        if person is not None and person.email:
            return person.email
    if c.email:
        return c.email
    raise SkyddError(
        "the data map names no address for reminders",
        hint="add controller.dpo.email (or privacy_contact.email) to the data map",
    )


def send_reminders(
    store: Store,
    loaded: LoadedMap,
    today: dt.date,
    *,
    days_before: Sequence[int] = (7, 2),
    settings: MailSettings | None = None,
) -> list[Reminder]:
    """Mail the DPO one message listing the reminders due, and record each as sent."""
    reminders = due_reminders(store, today, days_before)
    if not reminders:
        return []
    from skydd.mail import MailSettings, send_mail

    controller = loaded.datamap.controller.name
    send_mail(
        settings or MailSettings.from_env(),
        to=_dpo_address(loaded),
        subject=f"{len(reminders)} data subject request(s) near their deadline",
        text=reminder_text(reminders, controller, today),
    )
    for rem in reminders:
        _record(
            store,
            rem.request_id,
            rem.kind,
            rem.state,
            rem.due.isoformat(),
            "remind",
            {"threshold": rem.threshold, "days_left": rem.days_left},
        )
    return reminders


_MESSAGE_FOR = {State.done: "completed", State.extended: "extended", State.refused: "refused"}


def notify_person(
    store: Store,
    loaded: LoadedMap,
    request: Request,
    *,
    settings: MailSettings | None = None,
    link: str | None = None,
) -> str | None:
    """Email the person that ``request`` (as a transition returned it, with its identities)
    was completed, extended or refused, in their language.  Returns the Message-ID, or
    None when the request holds no email address (tell them by the channel they used)."""
    kind = _MESSAGE_FOR.get(request.state)
    if kind is None:
        raise SkyddError(
            f"request {request.id} is {request.state.value}: there is nothing to tell yet",
            hint="the person is told when a request is done, extended or refused",
        )
    if request.identities is None:
        raise SkyddError(
            f"request {request.id} was read without its identities",
            hint="pass the Request the transition returned, or get(..., reveal=True)",
        )
    address = next((v for k, v in request.identities if k == "email"), None)
    if address is None:
        return None
    from skydd.mail import MailSettings, send_mail

    subject, text = person_message(
        kind,
        request.lang,
        request_id=request.id,
        request_kind=request.kind.value,
        controller=loaded.datamap.controller.name,
        due=request.due,
        reason=request.reason,
        country=request.country,
        link=link,
    )
    message_id = send_mail(
        settings or MailSettings.from_env(), to=address, subject=subject, text=text
    )
    _record(
        store,
        request.id,
        request.kind.value,
        request.state.value,
        request.due.isoformat(),
        "notify",
        {"message": kind},
    )
    return message_id
