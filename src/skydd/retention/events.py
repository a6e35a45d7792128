"""Audit events of retention runs: counts and names from the map, never row contents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from skydd.store.events import AuditEvent, register_event


@register_event
@dataclass(frozen=True)
class RetentionRunStarted(AuditEvent):
    """Event kind: ``retention-run-started``

    :ivar run_id: Skydd's id for the run.
    :ivar as_of: the date the rules were judged on (ISO).
    :ivar rule: the one rule run, or None for all.
    """

    kind: ClassVar[str] = "retention-run-started"

    run_id: str
    as_of: str
    rule: str | None = None


@register_event
@dataclass(frozen=True)
class RetentionBatch(AuditEvent):
    """Event kind: ``retention-batch``

    One committed batch (one transaction): `rows` rows deleted or anonymised under
    `rule`. `table` is the table the batch was taken from; when a rule is carried out
    from its anchor's table, the batch also changed rows of the tables that hang from
    it, and `tables` gives the rows per table.
    """

    kind: ClassVar[str] = "retention-batch"

    run_id: str
    rule: str
    table: str
    action: str
    rows: int
    batch: int
    tables: dict[str, int] = field(default_factory=dict)


@register_event
@dataclass(frozen=True)
class RetentionRunFinished(AuditEvent):
    """Event kind: ``retention-run-finished``

    :ivar done: rows per "rule:table".
    :ivar skipped: "rule:table" -> why it was not carried out (k-anonymity, no key).
    :ivar complete: False when the run stopped early.
    """

    kind: ClassVar[str] = "retention-run-finished"

    run_id: str
    as_of: str
    done: dict[str, int]
    skipped: dict[str, str]
    complete: bool
