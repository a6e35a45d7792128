"""Audit events of the consent ledger and the person's standing: kinds, counts and names
from the map, never an identity.

Staff-recorded consents, channel preferences, register checks and unsubscribes are audited
here; restriction, objection and withdrawal as requests (``request-recorded``). The
banner's anonymous choices are not: the ledger itself is their proof, and thousands a
second would serialise on the audit chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from skydd.store.events import AuditEvent, register_event


@register_event
@dataclass(frozen=True)
class ConsentRecorded(AuditEvent):
    """Event kind: ``consent-recorded``

    Choices of known people were added to the consent ledger in one transaction.

    :ivar events: how many choices.
    :ivar decisions: rows per decision (granted, refused, withdrawn).
    :ivar purposes: the purposes concerned.
    :ivar methods: how they were given (phone, form, link …).
    :ivar identity_kinds: the kinds of identity they were recorded by.
    """

    kind: ClassVar[str] = "consent-recorded"

    events: int
    decisions: dict[str, int]
    purposes: list[str]
    methods: list[str]
    identity_kinds: list[str]


@register_event
@dataclass(frozen=True)
class PreferenceRecorded(AuditEvent):
    """Event kind: ``preference-recorded``

    A channel preference, a preference-register check or an unsubscribe was recorded.

    :ivar event_id: the standing or ledger row's event id.
    :ivar what: ``channel``, ``register`` or ``unsubscribe``.
    :ivar scope: the channel, the register, or what was unsubscribed from.
    :ivar state: ``allowed``/``opted_out``, ``listed``/``clear``, ``withdrawn``/``objected``.
    :ivar identity_kinds: the kinds of identity it was recorded by.
    """

    kind: ClassVar[str] = "preference-recorded"

    event_id: str
    what: str
    scope: str
    state: str
    identity_kinds: list[str]
