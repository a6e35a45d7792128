"""The lifecycle of a data subject request: received → verified → in progress → done | refused
| extended, each step checked, stored and audited.

A step is one transaction: the request row changes only if it is still in the state the
step was judged on (so two staff acting at once cannot both succeed), and the step's row
in ``workflow_request_events`` is written with it.  The audit event follows the commit;
a crash between the two leaves the workflow's own history complete and the audit log one
event short, which ``events`` still shows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update

from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import LANGS
from skydd.errors import SkyddError
from skydd.requests.access import IdentityInput
from skydd.store import Store
from skydd.store.audit import format_at
from skydd.store.schema import (
    workflow_identity_hashes,
    workflow_request_events,
    workflow_requests,
)
from skydd.workflow import identities as ids
from skydd.workflow.deadlines import deadline
from skydd.workflow.events import RequestTransition
from skydd.workflow.model import (
    ENDED_STATES,
    OPEN_STATES,
    Request,
    RequestEvent,
    RequestKind,
    State,
)
from skydd.workflow.repeats import find_repeat, repeat_interval
from skydd.workflow.storage import writing

_CHANNEL = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_MAX_REASON = 2000

TRANSITIONS: Mapping[str, tuple[frozenset[State], State]] = {
    "verify": (frozenset({State.received}), State.verified),
    "start": (frozenset({State.verified}), State.in_progress),
    "complete": (frozenset({State.in_progress, State.extended}), State.done),
    "extend": (frozenset({State.verified, State.in_progress}), State.extended),
    "refuse": (frozenset(OPEN_STATES), State.refused),
}
"""Each step: the states it may start from and the state it leads to."""


class IllegalTransition(SkyddError):
    """A step that the request's current state does not allow."""


class UnknownRequest(SkyddError):
    """No request has that id."""


def _now(at: dt.datetime | None) -> dt.datetime:
    when = at or dt.datetime.now(dt.UTC)
    if when.tzinfo is None or when.utcoffset() is None:
        raise SkyddError("times in the workflow must be timezone-aware", hint="pass a UTC time")
    return when.astimezone(dt.UTC)


def _text(value: str | None, what: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise SkyddError(f"{what} is required", hint=f"say {what} in a sentence; it is recorded")
    if len(text) > _MAX_REASON:
        raise SkyddError(f"{what} is {len(text)} characters; keep it under {_MAX_REASON}")
    return text


def _kind(kind: RequestKind | str) -> RequestKind:
    try:
        return RequestKind(kind)
    except ValueError:
        raise SkyddError(
            f"unknown request kind '{kind}'",
            hint="use one of: " + ", ".join(k.value for k in RequestKind),
        ) from None


def _state(state: State | str) -> State:
    try:
        return State(state)
    except ValueError:
        raise SkyddError(
            f"unknown state '{state}'", hint="use one of: " + ", ".join(s.value for s in State)
        ) from None


def _new_id() -> str:
    return "RQ-" + secrets.token_hex(6)


def _request(m: Mapping[Any, Any], identities: ids.Identities | None = None) -> Request:
    return Request(
        id=m["request_id"],
        kind=RequestKind(m["kind"]),
        state=State(m["state"]),
        channel=m["channel"],
        lang=m["lang"],
        received_at=dt.datetime.fromisoformat(m["received_at"]),
        received_on=dt.date.fromisoformat(m["received_on"]),
        country=m["country"],
        subdivision=m["subdivision"],
        due=dt.date.fromisoformat(m["due"]),
        original_due=dt.date.fromisoformat(m["original_due"]),
        identity_kinds=tuple(k for k in m["identity_kinds"].split(",") if k),
        updated_at=dt.datetime.fromisoformat(m["updated_at"]),
        repeat_of=m["repeat_of"],
        result_ref=m["result_ref"],
        reason=m["reason"],
        told_at=dt.date.fromisoformat(m["told_at"]) if m["told_at"] else None,
        fee_amount=m["fee_amount"],
        fee_reason=m["fee_reason"],
        identities=identities,
    )


def _event_row(
    request_id: str,
    at: str,
    actor: str,
    action: str,
    from_state: State | None,
    to_state: State,
    reason: str | None,
    details: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "at": at,
        "actor": actor,
        "action": action,
        "from_state": from_state.value if from_state else None,
        "to_state": to_state.value,
        "reason": reason,
        "details": json.dumps(dict(details or {}), sort_keys=True),
    }


def _audit(
    store: Store,
    req: Request,
    action: str,
    from_state: State | None,
    actor: str,
    at: dt.datetime,
    reason: str | None,
) -> None:
    store.audit.append(
        RequestTransition(
            request_id=req.id,
            request_type=req.kind.value,
            action=action,
            from_state=from_state.value if from_state else None,
            to_state=req.state.value,
            due=req.due.isoformat(),
            identity_kinds=sorted(set(req.identity_kinds)),
            reason=reason,
            repeat_of=req.repeat_of if action == "submit" else None,
        ),
        actor=actor,
        at=at,
    )


def submit(
    store: Store,
    loaded: LoadedMap,
    *,
    kind: RequestKind | str,
    identities: IdentityInput,
    channel: str,
    lang: str,
    received_at: dt.datetime | None = None,
    actor: str,
) -> Request:
    """Record a new request (state ``received``) with its deadline and repeat flag.

    The identities are normalised as the map says (an invalid one is an error naming
    its kind); the deadline follows the controller's country (and ``subdivision``) from
    the map; a request of the same kind by the same person within the map's repeat
    interval is flagged with ``repeat_of`` (DSR-6), and nothing more happens because of it.
    """
    rkind = _kind(kind)
    if not _CHANNEL.match(channel or ""):
        raise SkyddError(
            f"'{channel[:40]}' is not a channel name",
            hint="a short lower-case word: web, email, phone, post, in-person, cli, api …",
        )
    if lang not in LANGS:
        raise SkyddError(f"unknown language '{lang}'", hint="use sv, en or da")
    when = _now(received_at)
    values = ids.normalised(loaded, identities)
    key = ids.identity_key(store)
    hashes = {ids.identity_hash(key, k, v): k for k, v in values}
    controller = loaded.datamap.controller
    subdivision = controller.subdivision
    received_on = when.date()
    due = deadline(received_on, controller.country, subdivision=subdivision).date
    request_id, stamp = _new_id(), format_at(when)
    kinds = ",".join(sorted({k for k, _ in values}))
    with writing(store) as conn:
        repeat_of = find_repeat(
            conn, list(hashes), rkind.value, received_on, repeat_interval(loaded.datamap)
        )
        row = {
            "request_id": request_id,
            "kind": rkind.value,
            "state": State.received.value,
            "channel": channel,
            "lang": lang,
            "received_at": stamp,
            "received_on": received_on.isoformat(),
            "country": controller.country,
            "subdivision": subdivision,
            "due": due.isoformat(),
            "original_due": due.isoformat(),
            "identity_kinds": kinds,
            "identities": ids.encode(values),
            "updated_at": stamp,
            "repeat_of": repeat_of,
            "result_ref": None,
            "reason": None,
            "told_at": None,
            "fee_amount": None,
            "fee_reason": None,
        }
        conn.execute(insert(workflow_requests).values(**row))
        if hashes:
            conn.execute(
                insert(workflow_identity_hashes),
                [
                    {
                        "request_id": request_id,
                        "identity_hash": h,
                        "kind": k,
                        "received_on": received_on.isoformat(),
                    }
                    for h, k in hashes.items()
                ],
            )
        details = {"channel": channel, "repeat_of": repeat_of}
        conn.execute(
            insert(workflow_request_events).values(
                **_event_row(
                    request_id, stamp, actor, "submit", None, State.received, None, details
                )
            )
        )
        req = _request(conn.execute(_by_id(request_id)).mappings().one(), values)
    _audit(store, req, "submit", None, actor, when, None)
    return req


def _by_id(request_id: str) -> Any:
    return select(workflow_requests).where(workflow_requests.c.request_id == request_id)


def _load(conn: Connection, request_id: str) -> RowMapping:
    row = conn.execute(_by_id(request_id)).mappings().one_or_none()
    if row is None:
        raise UnknownRequest(
            f"no request has the id '{request_id[:60]}'", hint="see: skydd requests list"
        )
    return row


def _step(
    store: Store,
    request_id: str,
    action: str,
    *,
    actor: str,
    at: dt.datetime | None,
    reason: str | None = None,
    values: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
    check: Any = None,
) -> Request:
    """One checked transition: load, judge, update if unchanged, record, audit."""
    when = _now(at)
    stamp = format_at(when)
    with writing(store) as conn:
        row = _load(conn, request_id)
        current = State(row["state"])
        allowed, target = _allowed(action, current, request_id)
        if check is not None:
            check(_request(row), when)
        kept = ids.decode(row["identities"])
        changes: dict[str, Any] = {"state": target.value, "updated_at": stamp, **(values or {})}
        if target in ENDED_STATES:
            changes["identities"] = None  # the values are no longer needed: clear them
        updated = conn.execute(
            update(workflow_requests)
            .where(
                workflow_requests.c.request_id == request_id,
                workflow_requests.c.state == current.value,
            )
            .values(**changes)
        ).rowcount
        if updated != 1:
            raise IllegalTransition(
                f"request {request_id} changed while it was being {action}ed",
                hint="look at it again (skydd requests show) and repeat the step if still right",
            )
        conn.execute(
            insert(workflow_request_events).values(
                **_event_row(request_id, stamp, actor, action, current, target, reason, details)
            )
        )
        req = _request(conn.execute(_by_id(request_id)).mappings().one(), kept)
    _audit(store, req, action, current, actor, when, reason)
    return req


def _allowed(action: str, current: State, request_id: str) -> tuple[frozenset[State], State]:
    allowed, target = TRANSITIONS[action]
    if current not in allowed:
        possible = sorted(a for a, (src, _) in TRANSITIONS.items() if current in src)
        raise IllegalTransition(
            f"request {request_id} is {current.value}: it cannot be {_past(action)}",
            hint=("from here it can be " + ", ".join(_past(a) for a in possible))
            if possible
            else "it has ended; a new request starts a new case",
        )
    return allowed, target


def _past(action: str) -> str:
    return {"verify": "verified", "start": "started", "complete": "completed"}.get(
        action, action + "ed" if not action.endswith("e") else action + "d"
    )


def verify(
    store: Store, request_id: str, *, actor: str, method: str, at: dt.datetime | None = None
) -> Request:
    """The person's identity is proven (``method``: ``email-code``, ``account``, ``in-person`` …).

    DSR-7: proportionate; by default no copy of an ID document is asked for or kept.
    """
    how = _text(method, "the verification method")
    return _step(store, request_id, "verify", actor=actor, at=at, reason=how)


def start(store: Store, request_id: str, *, actor: str, at: dt.datetime | None = None) -> Request:
    """Work begins on a verified request."""
    return _step(store, request_id, "start", actor=actor, at=at)


def complete(
    store: Store,
    request_id: str,
    *,
    actor: str,
    result_ref: str,
    at: dt.datetime | None = None,
) -> Request:
    """The request is answered; ``result_ref`` points at what was done (an engine's request
    id, a ticket).  The identity values are cleared; the returned Request still carries
    them in memory, so the caller can tell the person."""
    ref = _text(result_ref, "the result reference")[:200]
    return _step(
        store,
        request_id,
        "complete",
        actor=actor,
        at=at,
        values={"result_ref": ref},
        details={"result_ref": ref},
    )


def extend(
    store: Store,
    request_id: str,
    *,
    actor: str,
    reason: str,
    told_at: dt.date,
    months: int = 2,
    at: dt.datetime | None = None,
) -> Request:
    """Extend the deadline by one or two months (DSR-2): only with a reason, only within
    the first month, and only when the person was told within it (``told_at``)."""
    why = _text(reason, "the reason for the extension")
    if months not in (1, 2):
        raise SkyddError(
            f"an extension is one or two months, not {months}",
            hint="Art. 12(3) allows at most two further months",
        )

    def check(req: Request, when: dt.datetime) -> None:
        if when.date() > req.original_due:
            raise IllegalTransition(
                f"request {req.id} is past its first month (due {req.original_due}); "
                "it can no longer be extended",
                hint="answer it now, or refuse it with reasons",
            )
        if not req.received_on <= told_at <= min(req.original_due, when.date()):
            raise IllegalTransition(
                f"the person must be told of the extension within the first month "
                f"({req.received_on} to {req.original_due}), and not in the future; "
                f"told_at was {told_at}",
                hint="tell the person with the reasons first, then record the date",
            )

    with store.engine.connect() as conn:
        row = _load(conn, request_id)
    new_due = deadline(
        dt.date.fromisoformat(row["received_on"]),
        row["country"],
        months=1 + months,
        subdivision=row["subdivision"],
    )
    return _step(
        store,
        request_id,
        "extend",
        actor=actor,
        at=at,
        reason=why,
        values={"due": new_due.date.isoformat(), "reason": why, "told_at": told_at.isoformat()},
        details={"months": months, "told_at": told_at.isoformat(), "rule": new_due.rule},
        check=check,
    )


def refuse(
    store: Store, request_id: str, *, actor: str, reason: str, at: dt.datetime | None = None
) -> Request:
    """Refuse the request with reasons (DSR-3); the person's message names the supervisory
    authority and the courts (``person_message("refused", …)``)."""
    why = _text(reason, "the reason for refusing")
    return _step(
        store, request_id, "refuse", actor=actor, at=at, reason=why, values={"reason": why}
    )


def charge_fee(
    store: Store,
    request_id: str,
    *,
    actor: str,
    amount: str,
    reason: str,
    at: dt.datetime | None = None,
) -> Request:
    """Record a reasonable fee for a further copy or a manifestly unfounded or excessive
    request (DSR-6), with its reason; the state does not change."""
    why = _text(reason, "the reason for the fee")
    fee = _text(amount, "the amount")[:32]
    when = _now(at)
    stamp = format_at(when)
    with writing(store) as conn:
        current = State(_load(conn, request_id)["state"])
        if current not in OPEN_STATES:
            raise IllegalTransition(
                f"request {request_id} is {current.value}: no fee can be charged now",
                hint="a fee is decided while the request is open",
            )
        conn.execute(
            update(workflow_requests)
            .where(workflow_requests.c.request_id == request_id)
            .values(fee_amount=fee, fee_reason=why, updated_at=stamp)
        )
        conn.execute(
            insert(workflow_request_events).values(
                **_event_row(
                    request_id, stamp, actor, "charge-fee", current, current, why, {"amount": fee}
                )
            )
        )
        req = _request(conn.execute(_by_id(request_id)).mappings().one())
    _audit(store, req, "charge-fee", current, actor, when, why)
    return req


def get(store: Store, request_id: str, *, reveal: bool = False) -> Request:
    """One request; ``reveal`` also loads the identity values while they are kept (a staff
    read of personal data: record it with ``record_read``)."""
    with store.engine.connect() as conn:
        row = _load(conn, request_id)
    return _request(row, ids.decode(row["identities"]) if reveal else None)


def list_requests(
    store: Store,
    *,
    state: State | str | Sequence[State | str] | None = None,
    due_within: int | dt.timedelta | None = None,
    kind: RequestKind | str | None = None,
    limit: int = 100,
    offset: int = 0,
    today: dt.date | None = None,
) -> list[Request]:
    """The queue, soonest deadline first.

    ``due_within`` (days, or a timedelta) keeps requests due by today + N, overdue ones
    included, and only open ones unless ``state`` says otherwise.
    """
    if not 1 <= limit <= 1000 or offset < 0:
        raise SkyddError("limit is 1 to 1000 and offset at least 0")
    r = workflow_requests
    columns = [c for c in r.c if c.name != "identities"]
    query = select(*columns)
    states = [state] if isinstance(state, str | State) else list(state or [])
    if states:
        query = query.where(r.c.state.in_([_state(s).value for s in states]))
    elif due_within is not None:
        query = query.where(r.c.state.in_([s.value for s in OPEN_STATES]))
    if due_within is not None:
        days = due_within if isinstance(due_within, dt.timedelta) else dt.timedelta(due_within)
        until = (today or dt.date.today()) + days
        query = query.where(r.c.due <= until.isoformat())
    if kind is not None:
        query = query.where(r.c.kind == _kind(kind).value)
    query = query.order_by(r.c.due, r.c.received_at, r.c.request_id).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [_request(row) for row in rows]


def events(store: Store, request_id: str) -> list[RequestEvent]:
    """A request's history, oldest first."""
    e = workflow_request_events
    with store.engine.connect() as conn:
        _load(conn, request_id)
        rows = conn.execute(
            select(e).where(e.c.request_id == request_id).order_by(e.c.seq)
        ).mappings()
        return [
            RequestEvent(
                seq=m["seq"],
                request_id=m["request_id"],
                at=dt.datetime.fromisoformat(m["at"]),
                actor=m["actor"],
                action=m["action"],
                from_state=State(m["from_state"]) if m["from_state"] else None,
                to_state=State(m["to_state"]),
                reason=m["reason"],
                details=json.loads(m["details"]),
            )
            for m in rows
        ]
