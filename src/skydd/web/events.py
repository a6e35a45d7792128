"""Audit events of the web service: rejected codes, identities for a human, deliveries.

They live in the audit log because it is shared by every process of a deployment
and append-only: counting a request's rejected codes there holds across workers
and restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from skydd.store.events import AuditEvent, register_event


@register_event
@dataclass(frozen=True)
class WebCodeRejected(AuditEvent):
    """Event kind: ``web-code-rejected``

    A wrong one-time code was entered for a request; after the configured number
    the code is spent and the person must ask again.

    :ivar request_id: the workflow's id for the request.
    """

    kind: ClassVar[str] = "web-code-rejected"

    request_id: str


@register_event
@dataclass(frozen=True)
class WebIdentityReview(AuditEvent):
    """Event kind: ``web-identity-review``

    A verified web request names other identities (a phone number, a personnummer)
    that were not found on the record holding the verified email address, so the
    request goes to a human before anything is run (DSR-7).

    :ivar request_id: the workflow's id for the request.
    :ivar unmatched_kinds: the kinds of identity not matched, never their values.
    """

    kind: ClassVar[str] = "web-identity-review"

    request_id: str
    unmatched_kinds: list[str]


@register_event
@dataclass(frozen=True)
class WebDelivery(AuditEvent):
    """Event kind: ``web-delivery``

    The files answering a request were encrypted and a signed download link was
    mailed to the verified address.

    :ivar request_id: the workflow's id for the request.
    :ivar files: how many files the delivery holds.
    :ivar expires: the last day the link works (ISO date).
    """

    kind: ClassVar[str] = "web-delivery"

    request_id: str
    files: int
    expires: str
