"""Typed audit events.

Every entry in the audit log is one of these frozen dataclasses.  The class
names the event (``kind``) and documents it; the fields are its payload.
Reading the log back turns each payload into its class again through
``EVENT_TYPES``, so code that consumes the log works with types, not dicts.

Built-in events register through ``register_event``, the same decorator a
plugin uses for its own events.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, Self, TypeVar

EVENT_TYPES: dict[str, type[AuditEvent]] = {}
"""Every known event class by its ``kind``."""

_KIND = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")
_IDENTITY_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")

E = TypeVar("E", bound="type[AuditEvent]")


@dataclass(frozen=True)
class AuditEvent:
    """Base of every audit event.

    The payload (the dataclass fields) is stored in the audit log for as long
    as the log is kept, and the log is append-only: nothing in it can be
    erased when a data subject asks for erasure.  So a payload must never
    contain personal data: no names, email addresses, phone numbers,
    personnummer, customer numbers or free text typed by a data subject.
    Record *kinds* of identity, counts, ids Skydd generated itself and names
    from the data map instead.
    """

    kind: ClassVar[str]

    def to_payload(self) -> dict[str, Any]:
        """The fields as plain JSON-ready values, in a fresh dict."""
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """Rebuild the event from a stored payload; unknown keys are an error."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(payload) - names)
        if unknown:
            raise ValueError(f"{cls.__name__} has no field(s) {', '.join(unknown)}")
        return cls(**payload)


def register_event(cls: E) -> E:
    """Make an event class known by its ``kind``, so the log reads it back typed."""
    kind = cls.__dict__.get("kind")
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise ValueError(f"{cls.__name__}.kind must be a lower-case name, got {kind!r}")
    existing = EVENT_TYPES.get(kind)
    if existing is not None and existing is not cls:
        raise ValueError(f"audit event kind {kind!r} is already taken by {existing.__name__}")
    EVENT_TYPES[kind] = cls
    return cls


def event_from_payload(kind: str, payload: Mapping[str, Any]) -> AuditEvent | None:
    """The typed event for a stored row, or None if the kind or payload is unknown.

    None rather than an exception: a log written by a newer Skydd or by a
    plugin that is not installed must still be listable and verifiable.
    """
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        return None
    try:
        return cls.from_payload(payload)
    except (TypeError, ValueError):
        return None


@register_event
@dataclass(frozen=True)
class StoreInitialised(AuditEvent):
    """Event kind: ``store-initialised``

    The store was created and migrated.  It is the first event of every log,
    so an empty log is never normal.
    """

    kind: ClassVar[str] = "store-initialised"


@register_event
@dataclass(frozen=True)
class MapChecked(AuditEvent):
    """Event kind: ``map-checked``

    A data map was validated and linted.

    :ivar map_hash: sha256 of the data map file as read, so the exact
        declaration that was checked can be identified later.
    :ivar findings: how many lint findings were reported.
    :ivar errors: how many of them were errors.
    """

    kind: ClassVar[str] = "map-checked"

    map_hash: str
    findings: int
    errors: int


@register_event
@dataclass(frozen=True)
class RequestRecorded(AuditEvent):
    """Event kind: ``request-recorded``

    A data subject request reached a state worth proving later: received,
    done, refused, extended.  Identity *values* are never recorded, only
    which kinds of identity were used; the request itself (in the requests
    table) can be erased while this proof of handling stays.

    :ivar request_id: Skydd's id for the request.
    :ivar request_type: access, erasure, rectification, ...
    :ivar identity_kinds: which identities were matched, e.g. ``["email"]``.
    :ivar systems_searched: data map system names searched.
    :ivar counts: rows found or changed per ``system.table``.
    :ivar status: the request's state after this step.
    :ivar reason: why, for refusals and extensions (legal ground, not prose
        from the data subject).
    """

    kind: ClassVar[str] = "request-recorded"

    request_id: str
    request_type: str
    identity_kinds: list[str]
    systems_searched: list[str]
    counts: dict[str, int]
    status: str
    reason: str | None = None

    def __post_init__(self) -> None:
        # A cheap guard against the one mistake that would be unfixable:
        # an email address or phone number ending up in the permanent log.
        for name in self.identity_kinds:
            if not _IDENTITY_KIND.match(name):
                raise ValueError(
                    f"identity_kinds holds {name!r}, which is not an identity kind name "
                    "such as 'email' or 'phone'; never put identity values in the audit log"
                )


@register_event
@dataclass(frozen=True)
class StaffAction(AuditEvent):
    """Event kind: ``staff-action``

    A person working for the controller did something the log should prove,
    such as approving an erasure or lifting a legal hold.

    :ivar actor: the staff member's login name (staff, not data subjects).
    :ivar action: what was done, e.g. ``approve-erasure``.
    :ivar target: what it was done to, e.g. ``request:R-2024-0042``.
    """

    kind: ClassVar[str] = "staff-action"

    actor: str
    action: str
    target: str
