"""Typed audit events: registry, payloads, and the guard against personal data."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass
from typing import ClassVar

import pytest

from skydd.store import (
    EVENT_TYPES,
    AuditEvent,
    MapChecked,
    RequestRecorded,
    StaffAction,
    StoreInitialised,
    register_event,
)
from skydd.store.events import event_from_payload


def test_built_in_events_are_registered_by_kind() -> None:
    assert EVENT_TYPES["store-initialised"] is StoreInitialised
    assert EVENT_TYPES["map-checked"] is MapChecked
    assert EVENT_TYPES["request-recorded"] is RequestRecorded
    assert EVENT_TYPES["staff-action"] is StaffAction
    for cls in EVENT_TYPES.values():
        assert cls.__doc__ and f"``{cls.kind}``" in cls.__doc__


def test_events_round_trip_through_their_payload() -> None:
    event = RequestRecorded(
        request_id="R-7",
        request_type="erasure",
        identity_kinds=["email"],
        systems_searched=["crm"],
        counts={"crm.customers": 1},
        status="refused",
        reason="Art. 17(3)(b): bookkeeping",
    )
    payload = event.to_payload()
    assert payload["identity_kinds"] == ["email"]
    assert event_from_payload("request-recorded", payload) == event
    assert MapChecked.from_payload({"map_hash": "x", "findings": 0, "errors": 0}).errors == 0


def test_events_are_frozen() -> None:
    event = StaffAction(actor="anna", action="approve", target="r:1")
    with pytest.raises(FrozenInstanceError):
        event.actor = "mallory"  # type: ignore[misc]


@pytest.mark.parametrize(
    "value", ["anna@example.com", "+46701234567", "19800101-1234", "070-123 45 67", ""]
)
def test_identity_values_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="never put identity values"):
        RequestRecorded(
            request_id="R-1",
            request_type="access",
            identity_kinds=[value],
            systems_searched=[],
            counts={},
            status="received",
        )


def test_unknown_kinds_and_payloads_read_back_as_none() -> None:
    assert event_from_payload("from-a-newer-skydd", {"x": 1}) is None
    assert event_from_payload("map-checked", {"map_hash": "x"}) is None
    assert event_from_payload("map-checked", {"surprise": 1}) is None


def test_plugins_register_their_own_events() -> None:
    @register_event
    @dataclass(frozen=True)
    class ConsentExported(AuditEvent):
        """Event kind: ``test-consent-exported``"""

        kind: ClassVar[str] = "test-consent-exported"
        rows: int

    try:
        assert event_from_payload("test-consent-exported", {"rows": 3}) == ConsentExported(3)
        with pytest.raises(ValueError, match="already taken"):

            @register_event
            @dataclass(frozen=True)
            class Clash(AuditEvent):
                kind: ClassVar[str] = "test-consent-exported"

        with pytest.raises(ValueError, match="lower-case name"):

            @register_event
            @dataclass(frozen=True)
            class Bad(AuditEvent):
                kind: ClassVar[str] = "Not A Name"
    finally:
        del EVENT_TYPES["test-consent-exported"]
