"""Audit events of the breach register: ids, field names and decisions, never the facts.

A breach description can name people or quote what leaked, and the audit log is kept
for ever; so the events say *which* fields changed and what was decided, and the
facts stay in the register, where they can be corrected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from skydd.store.events import AuditEvent, register_event


@register_event
@dataclass(frozen=True)
class BreachOpened(AuditEvent):
    """Event kind: ``breach-opened``

    :ivar breach_id: the register's id.
    :ivar aware_at: when the company became aware (UTC, ISO); the 72 hours run from it.
    :ivar deadline: aware_at + 72 hours (UTC, ISO).
    :ivar fields: the fields given.
    """

    kind: ClassVar[str] = "breach-opened"

    breach_id: str
    aware_at: str
    deadline: str
    fields: list[str] = field(default_factory=list)


@register_event
@dataclass(frozen=True)
class BreachUpdated(AuditEvent):
    """Event kind: ``breach-updated``

    :ivar fields: the fields changed.
    :ivar notify_authority: the decision after the change: yes, no or None (undecided).
    :ivar notify_people: likewise for telling the people affected (Art. 34).
    :ivar risk: the risk assessment after the change.
    """

    kind: ClassVar[str] = "breach-updated"

    breach_id: str
    fields: list[str]
    notify_authority: str | None = None
    notify_people: str | None = None
    risk: str | None = None


@register_event
@dataclass(frozen=True)
class BreachClosed(AuditEvent):
    """Event kind: ``breach-closed``

    :ivar notified_authority: the authority was notified.
    :ivar notified_late: it was notified after the 72 hours (with reasons recorded).
    :ivar notified_people: the people affected were told.
    """

    kind: ClassVar[str] = "breach-closed"

    breach_id: str
    notified_authority: bool
    notified_late: bool
    notified_people: bool


@register_event
@dataclass(frozen=True)
class BreachDraftWritten(AuditEvent):
    """Event kind: ``breach-draft-written``

    A notification draft was produced (to the authority or to the people affected).
    """

    kind: ClassVar[str] = "breach-draft-written"

    breach_id: str
    to: str
    lang: str
