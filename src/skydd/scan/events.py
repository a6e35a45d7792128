"""Audit events of scans: counts and names from the map, never a value found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from skydd.store.events import AuditEvent, register_event


@register_event
@dataclass(frozen=True)
class ScanCompleted(AuditEvent):
    """Event kind: ``scan-completed``

    A scan of the map's databases ran to its end.

    :ivar run_id: Skydd's id for the run (its findings are in the store's scan tables).
    :ivar map_hash: sha256 of the data map as read.
    :ivar mode: ``sample`` or ``full``.
    :ivar tables: tables read.
    :ivar columns: columns scanned.
    :ivar values: values scanned.
    :ivar severities: findings per severity.
    :ivar detectors: findings per detector.
    """

    kind: ClassVar[str] = "scan-completed"

    run_id: str
    map_hash: str
    mode: str
    tables: int
    columns: int
    values: int
    severities: dict[str, int] = field(default_factory=dict)
    detectors: dict[str, int] = field(default_factory=dict)
