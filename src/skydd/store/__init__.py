"""Skydd's own store: its state, its migrations and the hash-chained audit log.

Open it with ``open_store``; everything else hangs off the returned Store.
"""

from skydd.store.audit import AuditLog, AuditRecord
from skydd.store.chain import AuditHead, AuditProblem, VerifyResult
from skydd.store.db import Store, open_store
from skydd.store.events import (
    EVENT_TYPES,
    AuditEvent,
    MapChecked,
    RequestRecorded,
    StaffAction,
    StoreInitialised,
    register_event,
)

__all__ = [
    "EVENT_TYPES",
    "AuditEvent",
    "AuditHead",
    "AuditLog",
    "AuditProblem",
    "AuditRecord",
    "MapChecked",
    "RequestRecorded",
    "StaffAction",
    "Store",
    "StoreInitialised",
    "VerifyResult",
    "open_store",
    "register_event",
]
