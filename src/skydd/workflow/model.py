"""The request workflow's types: kinds, states, the request as stored, its events.

Plain frozen dataclasses, so the CLI, the web and tests share one shape; ``as_json``
is what ``--format json`` and the admin API print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RequestKind(StrEnum):
    """What the person asks for (Art. 15-21 GDPR, and consent withdrawal, Art. 7(3))."""

    access = "access"
    export = "export"
    erase = "erase"
    rectify = "rectify"
    restrict = "restrict"
    object = "object"
    withdraw = "withdraw"


class State(StrEnum):
    """Where a request is in its lifecycle.

    ``extended`` is worked on like ``in_progress``, with the later deadline.
    """

    received = "received"
    verified = "verified"
    in_progress = "in_progress"
    extended = "extended"
    done = "done"
    refused = "refused"


OPEN_STATES: tuple[State, ...] = (State.received, State.verified, State.in_progress, State.extended)
"""States in which the deadline still runs."""
ENDED_STATES: tuple[State, ...] = (State.done, State.refused)


@dataclass(frozen=True)
class Deadline:
    """A legal deadline and, in words, the rule that produced it (for the record and the CLI)."""

    date: dt.date
    rule: str

    def as_json(self) -> dict[str, str]:
        return {"date": self.date.isoformat(), "rule": self.rule}


@dataclass(frozen=True)
class Request:
    """One data subject request as the store holds it.

    ``identities`` (normalised ``(kind, value)`` pairs) is filled only by
    ``get(..., reveal=True)`` and on the object a transition returns; the store
    clears the values when the request ends, keeping only keyed hashes.
    """

    id: str
    kind: RequestKind
    state: State
    channel: str
    lang: str
    received_at: dt.datetime
    received_on: dt.date
    country: str
    subdivision: str | None
    due: dt.date
    original_due: dt.date
    identity_kinds: tuple[str, ...]
    updated_at: dt.datetime
    repeat_of: str | None = None
    result_ref: str | None = None
    reason: str | None = None
    told_at: dt.date | None = None
    fee_amount: str | None = None
    fee_reason: str | None = None
    identities: tuple[tuple[str, str], ...] | None = field(default=None, repr=False)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def days_left(self, today: dt.date) -> int:
        """Days until the deadline (negative when overdue)."""
        return (self.due - today).days

    def as_json(self) -> dict[str, Any]:
        """Everything but the identity values (never printed by default)."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "state": self.state.value,
            "channel": self.channel,
            "lang": self.lang,
            "received_at": self.received_at.isoformat(),
            "received_on": self.received_on.isoformat(),
            "country": self.country,
            "subdivision": self.subdivision,
            "due": self.due.isoformat(),
            "original_due": self.original_due.isoformat(),
            "identity_kinds": list(self.identity_kinds),
            "updated_at": self.updated_at.isoformat(),
            "repeat_of": self.repeat_of,
            "result_ref": self.result_ref,
            "reason": self.reason,
            "told_at": self.told_at.isoformat() if self.told_at else None,
            "fee_amount": self.fee_amount,
            "fee_reason": self.fee_reason,
        }


@dataclass(frozen=True)
class RequestEvent:
    """One step in a request's history: who did what, from which state to which, and why."""

    seq: int
    request_id: str
    at: dt.datetime
    actor: str
    action: str
    from_state: State | None
    to_state: State
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "request_id": self.request_id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "from_state": self.from_state.value if self.from_state else None,
            "to_state": self.to_state.value,
            "reason": self.reason,
            "details": self.details,
        }
