"""The audit event every workflow transition appends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from skydd.store.events import AuditEvent, register_event


@register_event
@dataclass(frozen=True)
class RequestTransition(AuditEvent):
    """Event kind: ``request-transition``

    A data subject request moved in its lifecycle (or had a fee or a reminder
    recorded).  The actor of the audit record is who did it.

    :ivar request_id: the workflow's id for the request.
    :ivar request_type: access, export, erase, rectify, restrict, object, withdraw.
    :ivar action: submit, verify, start, complete, extend, refuse, charge-fee, remind.
    :ivar from_state: the state before (None for a new request).
    :ivar to_state: the state after.
    :ivar due: the deadline after the step (ISO date).
    :ivar identity_kinds: which kinds of identity the request holds, never values.
    :ivar reason: why, in the controller's words (a legal ground, a method of
        verification); never text the data subject wrote.
    :ivar repeat_of: an earlier request by the same person within the map's
        repeat interval (DSR-6), when the new one was flagged as a repeat.
    """

    kind: ClassVar[str] = "request-transition"

    request_id: str
    request_type: str
    action: str
    from_state: str | None
    to_state: str
    due: str
    identity_kinds: list[str]
    reason: str | None = None
    repeat_of: str | None = None
