"""Named locks in the store, so that two long jobs never run at once.

A lock is a row. Taking it is an INSERT, which the primary key makes atomic
on every database. A holder that died leaves its row behind; once its
heartbeat is older than the time-out the row may be taken over, so a crashed
run never blocks the next one for long.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from skydd.errors import SkyddError
from skydd.store.schema import locks as _locks


class LockHeld(SkyddError):
    """Another process holds the lock."""


def _now() -> datetime:
    return datetime.now(UTC)


class Lock:
    """A held lock; `beat()` keeps it alive during long work."""

    def __init__(self, engine: Engine, name: str, owner: str) -> None:
        self.engine = engine
        self.name = name
        self.owner = owner

    def beat(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(_locks)
                .where(_locks.c.name == self.name, _locks.c.owner == self.owner)
                .values(heartbeat_at=_now().isoformat())
            )

    def release(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sa.delete(_locks).where(_locks.c.name == self.name, _locks.c.owner == self.owner)
            )


def _take(engine: Engine, name: str, owner: str, stale: timedelta) -> None:
    now = _now()
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(_locks).values(
                    name=name,
                    owner=owner,
                    acquired_at=now.isoformat(),
                    heartbeat_at=now.isoformat(),
                )
            )
        return
    except IntegrityError:
        pass
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(_locks.c.owner, _locks.c.heartbeat_at).where(_locks.c.name == name)
        ).first()
        if row is None:
            raise LockHeld(
                f"the lock '{name}' changed hands while taking it", hint="try again in a moment"
            )
        beat = datetime.fromisoformat(row.heartbeat_at)
        if now - beat < stale:
            raise LockHeld(
                f"another run holds the lock '{name}' ({row.owner}, last seen "
                f"{beat:%Y-%m-%d %H:%M:%S} UTC)",
                hint=f"wait for it to finish; a run that died frees the lock after "
                f"{int(stale.total_seconds() // 60)} minutes",
            )
        taken = conn.execute(
            sa.update(_locks)
            .where(_locks.c.name == name, _locks.c.heartbeat_at == row.heartbeat_at)
            .values(owner=owner, acquired_at=now.isoformat(), heartbeat_at=now.isoformat())
        ).rowcount
    if taken != 1:
        raise LockHeld(f"another run took the lock '{name}' first", hint="try again later")


@contextmanager
def hold_lock(
    engine: Engine, name: str, *, stale: timedelta = timedelta(minutes=10)
) -> Iterator[Lock]:
    """Hold the named lock for the block; LockHeld if someone else has it."""
    owner = f"{socket.gethostname()}:{os.getpid()}:{id(engine)}"
    _take(engine, name, owner, stale)
    lock = Lock(engine, name, owner)
    try:
        yield lock
    finally:
        lock.release()
