"""One write transaction on the store, taking the write lock first where the database needs it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from skydd.store import Store
from skydd.store.audit import WRITE_LOCK


@contextmanager
def writing(store: Store) -> Iterator[Connection]:
    """A transaction that reads and then writes.

    On SQLite it begins with BEGIN IMMEDIATE, so two processes changing the same request
    take turns instead of one failing with "database is locked" when it upgrades its read
    lock; PostgreSQL needs nothing more than the conditional UPDATE the steps use.
    """
    with store.engine.connect() as conn:
        conn.execution_options(**{WRITE_LOCK: True})
        with conn.begin():
            yield conn
