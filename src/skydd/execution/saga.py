"""An erasure across several databases as a saga that survives a crash at any point.

No transaction spans two company databases, so an erasure is a sequence of steps,
one transaction in one database each, recorded in Skydd's store:

1. `save`: the plan (every step with the primary keys it changes), the request's
   identities and the rows to block are written in one store transaction before
   any company database is touched. A crash before this commit leaves nothing.
2. `run`: per step, the company database commits its changes, then an
   `erasure-step` event is appended to the audit log. The event is the step's
   "done" mark. A crash between the two is harmless: on resume the step runs again
   and, being idempotent (see `erase_sql`), changes nothing the second time before
   its event is written once.
3. `finish`: the end state and the receipt's figures are stored, and the identities
   and keys the saga held are dropped, in one store transaction.

A resumed saga (`--resume`, or a rerun with the same identities) reads which steps
are done from the audit log and appends each event only if it is not there yet, so
the trail ends up as that of an uninterrupted run plus one `erasure-resumed`.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from skydd.errors import SkyddError
from skydd.execution.erasure_events import ErasureStep
from skydd.execution.keys import decode_key, encode_key
from skydd.planning.erasure import Op, Step
from skydd.store.audit import AuditLog
from skydd.store.events import AuditEvent
from skydd.store.schema import erasure_sagas, erasure_steps

CRASH_ENV = "SKYDD_ERASURE_CRASH_AT"
"""For crash tests: the process exits hard at this checkpoint number (1, 2, …)."""
STALE = timedelta(minutes=10)

Hook = Callable[[str], None]
HOOKS: list[Hook] = []
"""Called with the name of every checkpoint; a test raises from one to simulate a crash."""
_passed = [0]


def checkpoint(name: str) -> None:
    """A point where a crash must be survivable."""
    _passed[0] += 1
    crash_at = os.environ.get(CRASH_ENV)
    if crash_at and _passed[0] == int(crash_at):
        os._exit(86)
    for hook in HOOKS:
        hook(name)


class SagaBusy(SkyddError):
    """Another process is carrying out this erasure right now."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(owner: str) -> bool:
    """Whether the owner process still runs; only knowable on this host."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    if int(pid) == os.getpid():
        return False  # this process: the earlier attempt died inside it (a test)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def step_summary(step: Step, holds: dict[str, str], requests: int) -> dict[str, Any]:
    """What the step's audit event says: counts and names, never keys."""
    blocked = step.counts("flag")
    return {
        "deleted": step.counts("delete"),
        "anonymised": step.counts("anonymise"),
        "unlinked": step.counts("unlink"),
        "blocked": blocked,
        "holds": {t: holds[t] for t in blocked if t in holds},
        "requests": requests,
    }


def _ops_json(step: Step) -> str:
    return json.dumps(
        [
            {
                "kind": op.kind,
                "table": op.table,
                "columns": [list(c) for c in op.columns],
                "keys": [encode_key(k) for k in op.keys],
                "redact": [[encode_key(k), list(w)] for k, w in op.redact],
            }
            for op in step.ops
        ],
        separators=(",", ":"),
    )


def _ops_from(system: str, text: str) -> Step:
    ops = tuple(
        Op(
            o["kind"],
            o["table"],
            tuple(decode_key(k) for k in o["keys"]),
            tuple((c, m) for c, m in o["columns"]),
            tuple((decode_key(k), tuple(w)) for k, w in o.get("redact", ())),
        )
        for o in json.loads(text)
    )
    return Step(system, ops)


@dataclass
class Saga:
    """A saga as stored: its steps, its requests (`members`) and its options."""

    saga_id: str
    created_at: str
    actor: str
    members: list[dict[str, Any]]
    options: dict[str, Any]
    steps: list[tuple[int, Step, dict[str, Any]]] = field(default_factory=list)
    status: str = "running"
    result: dict[str, Any] | None = None
    resumed: bool = False
    done: set[int] = field(default_factory=set)

    @property
    def since(self) -> datetime:
        """From when on the audit log can hold this saga's events (with a margin)."""
        return datetime.fromisoformat(self.created_at) - timedelta(minutes=5)


def save(
    engine: sa.Engine,
    saga: Saga,
    subject_hash: str | None,
    extra: Callable[[sa.Connection], object] | None = None,
) -> None:
    """Store the saga and its steps (and, through `extra`, the rows to block) at once."""
    at = now()
    with engine.begin() as conn:
        conn.execute(
            sa.insert(erasure_sagas).values(
                saga_id=saga.saga_id,
                status="running",
                created_at=saga.created_at,
                updated_at=at,
                actor=saga.actor,
                owner=_owner(),
                heartbeat_at=at,
                subject_hash=subject_hash,
                members=json.dumps(saga.members, separators=(",", ":")),
                options=json.dumps(saga.options),
            )
        )
        if saga.steps:
            conn.execute(
                sa.insert(erasure_steps),
                [
                    {
                        "saga_id": saga.saga_id,
                        "seq": seq,
                        "system": step.system,
                        "status": "pending",
                        "ops": _ops_json(step),
                        "summary": json.dumps(summary),
                    }
                    for seq, step, summary in saga.steps
                ],
            )
        if extra is not None:
            extra(conn)
    checkpoint("saved")


def load(engine: sa.Engine, saga_id: str) -> Saga | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(erasure_sagas).where(erasure_sagas.c.saga_id == saga_id)
        ).first()
        if row is None:
            return None
        steps = conn.execute(
            sa.select(erasure_steps)
            .where(erasure_steps.c.saga_id == saga_id)
            .order_by(erasure_steps.c.seq)
        ).all()
    saga = Saga(
        row.saga_id,
        row.created_at,
        row.actor,
        json.loads(row.members),
        json.loads(row.options),
        status=row.status,
        result=json.loads(row.result) if row.result else None,
        resumed=True,
    )
    for s in steps:
        step = _ops_from(s.system, s.ops) if s.ops else Step(s.system, ())
        saga.steps.append((s.seq, step, json.loads(s.summary)))
        if s.status == "done":
            saga.done.add(s.seq)
    return saga


def unfinished(engine: sa.Engine, subject_hash: str) -> str | None:
    """The id of a running saga for the same identities, if one was left behind."""
    with engine.connect() as conn:
        return conn.execute(
            sa.select(erasure_sagas.c.saga_id)
            .where(erasure_sagas.c.subject_hash == subject_hash)
            .where(erasure_sagas.c.status == "running")
            .order_by(erasure_sagas.c.created_at)
            .limit(1)
        ).scalar_one_or_none()


def claim(engine: sa.Engine, saga_id: str) -> None:
    """Take the saga over from a process that died; SagaBusy while its owner runs."""
    me, at = _owner(), now()
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(erasure_sagas.c.owner, erasure_sagas.c.heartbeat_at).where(
                erasure_sagas.c.saga_id == saga_id
            )
        ).one()
        if row.owner and row.owner != me and _alive(row.owner):
            beat = datetime.fromisoformat(row.heartbeat_at)
            if datetime.now(UTC) - beat < STALE:
                raise SagaBusy(
                    f"the erasure {saga_id} is being carried out by {row.owner} "
                    f"(last seen {beat:%Y-%m-%d %H:%M:%S} UTC)",
                    hint="wait for it to finish; a process that died is taken over after "
                    f"{int(STALE.total_seconds() // 60)} minutes",
                )
        conn.execute(
            sa.update(erasure_sagas)
            .where(erasure_sagas.c.saga_id == saga_id)
            .values(owner=me, heartbeat_at=at, updated_at=at)
        )


def beat(engine: sa.Engine, saga_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.update(erasure_sagas)
            .where(erasure_sagas.c.saga_id == saga_id)
            .values(heartbeat_at=now())
        )


def recorded(audit: AuditLog, saga: Saga, event: AuditEvent) -> bool:
    """Whether the log already holds this exact event (only asked of resumed sagas)."""
    payload = json.loads(json.dumps(event.to_payload()))
    return any(r.payload == payload for r in audit.records(since=saga.since, kind=event.kind))


def append_once(audit: AuditLog, saga: Saga, event: AuditEvent, actor: str) -> None:
    if saga.resumed and recorded(audit, saga, event):
        return
    audit.append(event, actor=actor)


def done_steps(audit: AuditLog, saga: Saga) -> set[int]:
    """Steps whose event is in the log: they committed, whatever the store says."""
    done = set(saga.done)
    for r in audit.records(since=saga.since, kind=ErasureStep):
        if r.payload.get("saga_id") == saga.saga_id:
            done.add(int(r.payload["step"]))
    return done


def step_event(saga: Saga, seq: int, step: Step, summary: dict[str, Any]) -> ErasureStep:
    return ErasureStep(saga_id=saga.saga_id, step=seq, system=step.system, **summary)


def finish(engine: sa.Engine, saga: Saga, status: str, members: list[dict[str, Any]]) -> None:
    """The end: status and figures kept, identities and keys dropped, steps marked done."""
    at = now()
    with engine.begin() as conn:
        conn.execute(
            sa.update(erasure_sagas)
            .where(erasure_sagas.c.saga_id == saga.saga_id)
            .values(
                status=status,
                updated_at=at,
                owner=None,
                heartbeat_at=None,
                subject_hash=None,
                members=json.dumps(members, separators=(",", ":")),
                result=json.dumps(saga.result) if saga.result is not None else None,
            )
        )
        conn.execute(
            sa.update(erasure_steps)
            .where(erasure_steps.c.saga_id == saga.saga_id)
            .values(status="done", ops=None, done_at=at)
        )
    saga.status = status
    checkpoint("finished")


class StepFailed(SkyddError):
    """A company database refused a step; it was rolled back and can be resumed."""


def run_steps(
    saga: Saga,
    audit: AuditLog,
    store_engine: sa.Engine,
    engine_for: Callable[[str], sa.Engine],
    apply: Callable[[sa.Connection, Step], object],
    actor: str,
) -> None:
    """Carry out the steps not yet done, each committed and then recorded."""
    done = done_steps(audit, saga) if saga.resumed else set()
    last_beat = datetime.now(UTC)
    for seq, step, summary in saga.steps:
        if seq in done:
            continue
        checkpoint(f"step {seq} begins")
        try:
            with engine_for(step.system).begin() as conn:
                apply(conn, step)
                checkpoint(f"step {seq} before commit")
        except sa.exc.DBAPIError as exc:
            text = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc) else ""
            raise StepFailed(
                f"step {seq} of the erasure {saga.saga_id} failed in {step.system}: {text}",
                hint=f"nothing of this step was changed in {step.system} (it was rolled back); "
                f"fix the cause, then resume: skydd request erase --resume {saga.saga_id}",
            ) from None
        checkpoint(f"step {seq} committed")
        append_once(audit, saga, step_event(saga, seq, step, summary), actor)
        checkpoint(f"step {seq} recorded")
        if datetime.now(UTC) - last_beat > timedelta(minutes=1):
            beat(store_engine, saga.saga_id)
            last_beat = datetime.now(UTC)
