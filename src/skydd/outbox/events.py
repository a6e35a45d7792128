"""Audit events of the Art. 19 outbox: what was queued, sent or given up; no personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from skydd.store.events import AuditEvent, register_event


@register_event
@dataclass(frozen=True)
class NotificationsQueued(AuditEvent):
    """Event kind: ``notifications-queued``

    A request changed data that recipients had received; Art. 19 notices were queued.

    :ivar request_id: the request that changed the data (for a batch: the batch id).
    :ivar event: rectification, erasure or restriction.
    :ivar recipients: the data map's recipient keys, one notice each (per request).
    :ivar unreachable: recipients without a ``notify`` address (to be told another way).
    :ivar requests: for a batch, the requests whose notices were queued.
    """

    kind: ClassVar[str] = "notifications-queued"

    request_id: str
    event: str
    recipients: list[str]
    unreachable: list[str]
    requests: list[str] = field(default_factory=list)


@register_event
@dataclass(frozen=True)
class NotificationDelivered(AuditEvent):
    """Event kind: ``notification-delivered``

    One notice reached its recipient (the mail server or the webhook accepted it),
    or was given up after its last attempt.

    :ivar item_id: the outbox item.
    :ivar request_id: the request it tells of.
    :ivar recipient: the data map's recipient key.
    :ivar channel: email or webhook.
    :ivar status: sent or failed.
    :ivar attempts: how many attempts it took.
    """

    kind: ClassVar[str] = "notification-delivered"

    item_id: str
    request_id: str
    recipient: str
    channel: str
    status: str
    attempts: int
