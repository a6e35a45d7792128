"""Audit events of erasures: table names, hold names and counts, never a value or a key.

A request's trail is its saga steps (one `erasure-step` per company database, written
right after that database committed) and one `request-recorded` when it ends. A saga
that was interrupted and resumed adds one `erasure-resumed`; nothing is written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from skydd.store.events import AuditEvent, register_event


@register_event
@dataclass(frozen=True)
class ErasureStep(AuditEvent):
    """Event kind: ``erasure-step``

    One company database committed its part of an erasure.

    :ivar saga_id: the request id, or the batch id for `erase_many`.
    :ivar step: the step's number in the saga, from 1.
    :ivar system: the data map's system name.
    :ivar deleted: rows deleted per ``system.table``.
    :ivar anonymised: rows anonymised per ``system.table``.
    :ivar unlinked: other people's rows whose reference to the person was set to NULL.
    :ivar blocked: rows kept under a hold and flagged, per ``system.table``.
    :ivar holds: the hold that keeps each blocked table's rows.
    :ivar requests: how many requests the step serves (more than 1 in a batch).
    """

    kind: ClassVar[str] = "erasure-step"

    saga_id: str
    step: int
    system: str
    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    unlinked: dict[str, int] = field(default_factory=dict)
    blocked: dict[str, int] = field(default_factory=dict)
    holds: dict[str, str] = field(default_factory=dict)
    requests: int = 1


@register_event
@dataclass(frozen=True)
class ErasureResumed(AuditEvent):
    """Event kind: ``erasure-resumed``

    An interrupted erasure saga was taken up again.

    :ivar saga_id: the request id, or the batch id.
    :ivar steps_done: steps already committed before the interruption.
    :ivar steps: steps in the saga.
    """

    kind: ClassVar[str] = "erasure-resumed"

    saga_id: str
    steps_done: int
    steps: int


@register_event
@dataclass(frozen=True)
class ErasureBatch(AuditEvent):
    """Event kind: ``erasure-batch``

    The requests one `erase_many` call carries out together, so that each request's
    `request-recorded` can be tied to the batch's `erasure-step` events.

    :ivar saga_id: the batch id.
    :ivar request_ids: the requests in the batch.
    """

    kind: ClassVar[str] = "erasure-batch"

    saga_id: str
    request_ids: list[str]


@register_event
@dataclass(frozen=True)
class BlockedRowsReleased(AuditEvent):
    """Event kind: ``blocked-rows-released``

    Rows kept under a hold after an erasure reached the end of the hold and were erased.

    :ivar table: ``system.table``.
    :ivar hold: the hold that had kept them.
    :ivar rows: how many rows were erased.
    :ivar as_of: the day the hold was judged on (ISO).
    """

    kind: ClassVar[str] = "blocked-rows-released"

    table: str
    hold: str | None
    rows: int
    as_of: str


@register_event
@dataclass(frozen=True)
class ErasureBatchRecorded(AuditEvent):
    """Event kind: ``erasure-batch-recorded``

    How each request of an `erase_many` batch ended, in one event: what a
    `request-recorded` says for a single request (request id, identity kinds, counts
    per ``system.table``, status, reason), once per request.

    :ivar saga_id: the batch id.
    :ivar requests: one entry per request, in the order given.
    """

    kind: ClassVar[str] = "erasure-batch-recorded"

    saga_id: str
    requests: list[dict[str, Any]]
