"""Appends from several processes at once still form one unbroken chain."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from skydd.store import StaffAction, open_store

PROCESSES = 2
APPENDS = 25


def append_many(url: str, name: str, start: Any, appends: int) -> None:
    """Run in a child process: wait for the others, then append as fast as possible."""
    with open_store(url) as store:
        start.wait()
        for i in range(appends):
            store.audit.append(StaffAction(actor=name, action="approve", target=f"r:{i}"), name)


def run_in_processes(url: str, appends: int = APPENDS) -> None:
    # spawn, not fork: each child starts clean, as separate `skydd` commands would.
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    children = [
        context.Process(target=append_many, args=(url, f"worker-{n}", start, appends))
        for n in range(PROCESSES)
    ]
    for child in children:
        child.start()
    start.set()
    for child in children:
        child.join(timeout=120)
    assert [child.exitcode for child in children] == [0] * PROCESSES


def test_concurrent_appends_on_sqlite_form_one_chain(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url):
        pass  # created and migrated before the race
    run_in_processes(url)

    with open_store(url) as store:
        records = list(store.audit.records())
        result = store.audit.verify()
    total = 1 + PROCESSES * APPENDS
    assert [r.seq for r in records] == list(range(1, total + 1))
    assert result.ok and result.problems == []
    assert result.anchor == result.head
    per_worker = {f"worker-{n}": 0 for n in range(PROCESSES)}
    for record in records[1:]:
        per_worker[record.actor] += 1
    assert per_worker == {name: APPENDS for name in per_worker}


def test_racing_opens_of_a_new_store_initialise_it_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    run_in_processes(url, appends=1)
    with open_store(url) as store:
        kinds = [r.kind for r in store.audit.records()]
        assert store.audit.verify().ok
    assert kinds.count("store-initialised") == 1
    assert len(kinds) == 1 + PROCESSES
