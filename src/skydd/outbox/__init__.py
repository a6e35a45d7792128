"""The Art. 19 outbox: recipients are told of rectification, erasure and restriction.

`notify_recipients` queues one notice per recipient that received the data (from
the map); `send_due` sends what is due by email (SMTP) or a signed webhook, with
backoff and a maximum number of attempts; `list_items` shows the state of each.
See docs/outbox.md.
"""

from skydd.outbox.deliver import Backoff, SendReport, send_due
from skydd.outbox.queue import (
    EVENTS,
    Notice,
    OutboxItem,
    channel_of,
    items_for_requests,
    list_items,
    notified_entries,
    notify_recipients,
    queue_notices,
    recipients_for,
)
from skydd.outbox.webhook import sign, verify

__all__ = [
    "EVENTS",
    "Backoff",
    "Notice",
    "OutboxItem",
    "SendReport",
    "channel_of",
    "items_for_requests",
    "list_items",
    "notified_entries",
    "notify_recipients",
    "queue_notices",
    "recipients_for",
    "send_due",
    "sign",
    "verify",
]
