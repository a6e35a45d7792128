"""Retention: rules from the data map enforced as set-based SQL, with holds that win.

`plan()` counts what is due on a date; `run()` carries it out under a lock,
recording every batch in the audit log.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from skydd.datamap.loader import LoadedMap, load_map
from skydd.errors import SkyddError
from skydd.retention.runner import (
    BATCH,
    PlanReport,
    RunReport,
    StoreState,
    count_plan,
    run_retention,
    state_of,
)

__all__ = ["BATCH_ENV", "PlanReport", "RunReport", "plan", "run"]

HEARTBEAT = 60.0  # seconds between the lock's heartbeats during a run
BATCH_ENV = "SKYDD_RETENTION_BATCH"
"""Rows per batch (one transaction each) when `run` is not given `batch`; default 20,000."""


def _batch_size(batch: int | None) -> int:
    if batch is None:
        raw = os.environ.get(BATCH_ENV, "").strip()
        if not raw:
            return BATCH
        try:
            batch = int(raw)
        except ValueError:
            batch = 0
        if batch < 1:
            raise SkyddError(
                f"{BATCH_ENV} is '{raw}', not a number of rows",
                hint=f"set it to a whole number above 0 (the default is {BATCH})",
            )
    if batch < 1:
        raise SkyddError(f"a batch of {batch} rows is not possible", hint="use 1 or more")
    return batch


def _loaded(map_: LoadedMap | str | Path | None) -> LoadedMap:
    return map_ if isinstance(map_, LoadedMap) else load_map(map_)


def _state(loaded: LoadedMap, store: str | None, day: date) -> StoreState | None:
    """Legal claims and review marks from the store, if there is one: a plan never creates
    a store (it changes nothing), so without one nothing is held by the DPO or reviewed."""
    from skydd.store import open_store
    from skydd.store.db import DATABASE_URL_ENV

    if store is None and not os.environ.get(DATABASE_URL_ENV):
        if not (Path(loaded.directory) / ".skydd" / "store.db").exists():
            return None
    with open_store(store, default_dir=loaded.directory) as st:
        return state_of(loaded, st, day)


def plan(
    map_: LoadedMap | str | Path | None = None,
    *,
    as_of: date | None = None,
    rule: str | None = None,
    store: str | None = None,
) -> PlanReport:
    """Per rule and table: how many rows are due on `as_of`, how many held and by what."""
    loaded = _loaded(map_)
    day = as_of or date.today()
    return count_plan(loaded, day, rule=rule, state=_state(loaded, store, day))


def run(
    map_: LoadedMap | str | Path | None = None,
    *,
    as_of: date | None = None,
    rule: str | None = None,
    store: str | None = None,
    actor: str = "retention",
    progress: Callable[[str, int, int], None] | None = None,
    stop_after: int | None = None,
    batch: int | None = None,
) -> RunReport:
    """Delete or anonymise what is due, children first, in audited batches, under a lock.

    Safe to run again at any time: a second run on the same date does nothing, and
    a run that died part-way is finished by the next one. About `batch` rows change
    per transaction (counting the rows that go with their parent in the same one);
    without it SKYDD_RETENTION_BATCH, else 20,000.
    """
    from skydd.retention.events import RetentionBatch, RetentionRunFinished, RetentionRunStarted
    from skydd.store import open_store
    from skydd.store.locks import hold_lock

    loaded = _loaded(map_)
    day = as_of or date.today()
    size = _batch_size(batch)
    with (
        open_store(store, default_dir=loaded.directory) as st,
        hold_lock(st.engine, "retention") as lock,
    ):
        run_id: list[str] = []
        beaten = [time.monotonic()]

        def alive() -> None:
            # A heartbeat is a commit in the store: once a minute is enough for a
            # lock that others take over only after ten.
            if time.monotonic() - beaten[0] > HEARTBEAT:
                lock.beat()
                beaten[0] = time.monotonic()

        def on_batch(rule_name: str, table: str, action: str, n: int, rows: dict[str, int]) -> None:
            total = sum(rows.values())
            event = RetentionBatch(run_id[0], rule_name, table, action, total, n, rows)
            st.audit.append(event, actor=actor)

        def start(rid: str) -> None:
            run_id.append(rid)
            st.audit.append(RetentionRunStarted(rid, day.isoformat(), rule), actor=actor)

        report = run_retention(
            loaded,
            day,
            rule=rule,
            on_batch=on_batch,
            progress=progress,
            stop_after=stop_after,
            batch=size,
            on_start=start,
            alive=alive,
            state=state_of(loaded, st, day),
        )
        complete = stop_after is None or report.batches < stop_after
        if complete and rule is None:
            # EN-6: rows an erasure blocked under a hold are erased once the hold ends.
            from skydd.requests.erasure import release_blocks

            for table, n in release_blocks(loaded, store=st, as_of=day, actor=actor).items():
                if n:
                    report.done[f"released blocks:{table}"] = n
        st.audit.append(
            RetentionRunFinished(
                report.run_id,
                day.isoformat(),
                report.done,
                {f"{s['rule']}:{s['table']}": s["reason"] for s in report.skipped},
                complete,
            ),
            actor=actor,
        )
        return report
