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


@register_event
@dataclass(frozen=True)
class RetentionReviewed(AuditEvent):
    """Event kind: ``retention-reviewed``

    Rows under an `action: review` rule marked reviewed (AS-7). The keys are kept in
    the store's review marks, not here: a key such as a customer number is personal data.

    :ivar rule: the review rule.
    :ivar table: "system.table".
    :ivar rows: how many rows were marked.
    :ivar reviewed_on: the date of the review (ISO); they are due again one period on.
    :ivar noted: whether the reviewer left a note (the note itself stays in the store).
    """

    kind: ClassVar[str] = "retention-reviewed"

    rule: str
    table: str
    rows: int
    reviewed_on: str
    noted: bool = False


@register_event
@dataclass(frozen=True)
class PersonHoldPlaced(AuditEvent):
    """Event kind: ``person-hold-placed``

    The DPO placed a legal hold on one person (a legal claim). Only the kinds of the
    identities given and the rows found per table are recorded; the reason stays in
    the store, since it may name the person.
    """

    kind: ClassVar[str] = "person-hold-placed"

    hold_id: str
    hold: str | None
    identity_kinds: list[str]
    rows: dict[str, int]
    until: str | None = None


@register_event
@dataclass(frozen=True)
class PersonHoldReleased(AuditEvent):
    """Event kind: ``person-hold-released``

    The hold no longer keeps the person's rows from retention or erasure.
    """

    kind: ClassVar[str] = "person-hold-released"

    hold_id: str
    rows: int
