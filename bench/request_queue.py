"""The request queue with 10,000 requests in the store: Skydd's listing against raw SQL.

The store is filled through the workflow API (`submit`, then verify/start/complete or
refuse for the ones that have ended) for `--api` requests, and the rest with one bulk
INSERT of rows shaped the same way, received over the last 120 days (so about a quarter
are still open). Then the DPO's two queue views are timed, each the median of `--runs`:

- the first page (100) of the whole queue, soonest deadline first;
- the first page of open requests due within 7 days (`skydd requests list --due-within 7d`).

`skydd.workflow.list_requests` (SQLAlchemy Core, rows turned into `Request` objects) is
compared with the same SELECT sent as text through the bare driver (sqlite3, psycopg) in
the same run. The goal: under 200 ms on SQLite and PostgreSQL.

    .venv/bin/python bench/request_queue.py [--requests 10000] [--api 300] [--runs 25]
        [--no-postgres] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--markdown]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap, load_map
from skydd.store import Store, open_store
from skydd.store.audit import format_at
from skydd.store.schema import workflow_identity_hashes, workflow_requests
from skydd.workflow import (
    OPEN_STATES,
    complete,
    deadline,
    list_requests,
    refuse,
    start,
    submit,
    verify,
)

TODAY = dt.date.today()
KINDS = ["access"] * 5 + ["erase"] * 3 + ["export", "rectify", "object", "withdraw", "restrict"]
MAP = """\
version: 1
controller: {name: Bench AB, country: SE}
systems:
  crm:
    url: sqlite:///crm.db
    tables:
      contacts:
        primary_key: id
        columns:
          id: {category: user.unique_id, type: integer}
          email: {category: user.contact.email, type: text, identity: email}
policy:
  repeat_request_interval: 3 months
"""
COLUMNS = ", ".join(c.name for c in workflow_requests.c if c.name != "identities")
RAW = {
    "first page": f"SELECT {COLUMNS} FROM workflow_requests "
    "ORDER BY due, received_at, request_id LIMIT 100 OFFSET 0",
    "due within 7 days": f"SELECT {COLUMNS} FROM workflow_requests "
    "WHERE state IN ({states}) AND due <= {until} "
    "ORDER BY due, received_at, request_id LIMIT 100 OFFSET 0",
}


def _received(rng: random.Random) -> dt.datetime:
    day = TODAY - dt.timedelta(days=rng.randrange(0, 120))
    return dt.datetime(day.year, day.month, day.day, rng.randrange(7, 20), tzinfo=dt.UTC)


def _through_api(store: Store, loaded: LoadedMap, n: int, rng: random.Random) -> float:
    """Submit and move ``n`` requests through the API; seconds per request (median)."""
    times = []
    for i in range(n):
        when = _received(rng)
        started = time.perf_counter()
        req = submit(
            store,
            loaded,
            kind=rng.choice(KINDS),
            identities={"email": f"p{i}@example.se"},
            channel="web",
            lang=rng.choice(["sv", "en", "da"]),
            received_at=when,
            actor="bench",
        )
        times.append(time.perf_counter() - started)
        if when.date() < TODAY - dt.timedelta(days=30):
            if rng.random() < 0.9:
                verify(store, req.id, actor="bench", method="email-code", at=when)
                start(store, req.id, actor="bench", at=when)
                complete(store, req.id, actor="bench", result_ref="R-bench", at=when)
            else:
                refuse(store, req.id, actor="bench", reason="Could not verify.", at=when)
    return statistics.median(times)


def _bulk(store: Store, n: int, offset: int, rng: random.Random) -> None:
    rows, hashes = [], []
    for i in range(n):
        when = _received(rng)
        day = when.date()
        due = deadline(day, "SE").date
        ended = day < TODAY - dt.timedelta(days=30) or rng.random() < 0.3
        state = (
            rng.choice(["done"] * 9 + ["refused"])
            if ended
            else rng.choice(["received", "verified", "in_progress", "in_progress", "extended"])
        )
        if state == "extended":
            due = deadline(day, "SE", months=3).date
        rid = "RQ-" + secrets.token_hex(6)
        stamp = format_at(when)
        rows.append(
            {
                "request_id": rid,
                "kind": rng.choice(KINDS),
                "state": state,
                "channel": "web",
                "lang": "sv",
                "received_at": stamp,
                "received_on": day.isoformat(),
                "country": "SE",
                "subdivision": None,
                "due": due.isoformat(),
                "original_due": deadline(day, "SE").date.isoformat(),
                "identity_kinds": "email",
                "identities": None
                if ended
                else json.dumps([["email", f"b{offset + i}@example.se"]]),
                "updated_at": stamp,
                "repeat_of": None,
                "result_ref": "R-bench" if ended else None,
                "reason": None,
                "told_at": None,
                "fee_amount": None,
                "fee_reason": None,
            }
        )
        hashes.append(
            {
                "request_id": rid,
                "identity_hash": secrets.token_hex(32),
                "kind": "email",
                "received_on": day.isoformat(),
            }
        )
    with store.engine.begin() as conn:
        conn.execute(sa.insert(workflow_requests), rows)
        conn.execute(sa.insert(workflow_identity_hashes), hashes)


def _median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = fn()  # warm: the first call pays for statement compilation and the page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def _raw(url: sa.URL, name: str) -> Callable[[], list[Any]]:
    states = [s.value for s in OPEN_STATES]
    until = (TODAY + dt.timedelta(days=7)).isoformat()
    if url.get_backend_name() == "sqlite":
        import sqlite3

        conn = sqlite3.connect(str(url.database))
        sql = RAW[name].format(states=", ".join("?" * len(states)), until="?")
        params: tuple[Any, ...] = (*states, until) if "{states}" in RAW[name] else ()
        return lambda: conn.execute(sql, params).fetchall()
    import psycopg

    pg = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
    sql = RAW[name].format(states=", ".join(["%s"] * len(states)), until="%s")
    params = (*states, until) if "{states}" in RAW[name] else ()
    return lambda: pg.execute(sql, params).fetchall()  # type: ignore[call-overload]


def bench(url: str, loaded: LoadedMap, total: int, api: int, runs: int) -> dict[str, Any]:
    rng = random.Random(6)
    with open_store(url) as store:
        started = time.perf_counter()
        per_submit = _through_api(store, loaded, api, rng)
        api_s = time.perf_counter() - started
        started = time.perf_counter()
        _bulk(store, total - api, api, rng)
        bulk_s = time.perf_counter() - started
        with store.engine.connect() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(workflow_requests)).scalar()
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("ANALYZE workflow_requests"))
                conn.commit()
        views: dict[str, Callable[[], Any]] = {
            "first page": lambda: list_requests(store, limit=100),
            "due within 7 days": lambda: list_requests(store, due_within=7, today=TODAY),
        }
        out: dict[str, Any] = {
            "backend": store.engine.dialect.name,
            "requests": count,
            "api_requests": api,
            "api_seconds": api_s,
            "submit_ms": per_submit * 1000,
            "bulk_seconds": bulk_s,
            "views": {},
        }
        for name, fn in views.items():
            skydd_ms, found = _median_ms(fn, runs)
            raw_ms, raw_rows = _median_ms(_raw(store.url, name), runs)
            assert [r.id for r in found] == [row[0] for row in raw_rows], name
            out["views"][name] = {"rows": len(found), "skydd_ms": skydd_ms, "raw_ms": raw_ms}
    return out


def _markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| store | view | rows | Skydd ms | raw SQL ms | × raw |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        for name, v in r["views"].items():
            lines.append(
                f"| {r['backend']} ({r['requests']:,} requests) | {name} | {v['rows']} | "
                f"{v['skydd_ms']:.2f} | {v['raw_ms']:.2f} | {v['skydd_ms'] / v['raw_ms']:.1f} |"
            )
    lines.append("")
    for r in results:
        lines.append(
            f"- {r['backend']}: {r['api_requests']} requests through the API in "
            f"{r['api_seconds']:.1f} s (submit median {r['submit_ms']:.1f} ms; ended ones also "
            f"verified, started, completed or refused), the other "
            f"{r['requests'] - r['api_requests']:,} bulk-inserted in {r['bulk_seconds']:.1f} s."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--api", type=int, default=300)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="skydd-queue-") as tmp:
        folder = Path(tmp)
        (folder / "privacy.yaml").write_text(MAP, encoding="utf-8")
        loaded = load_map(folder / "privacy.yaml")
        os.environ["XDG_STATE_HOME"] = str(folder / "state")
        results = [
            bench(f"sqlite:///{folder / 'store.db'}", loaded, args.requests, args.api, args.runs)
        ]
        if not args.no_postgres:
            admin = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            name = f"skydd_bench_{secrets.token_hex(4)}"
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            try:
                url = sa.make_url(args.postgres).set(database=name)
                results.append(
                    bench(
                        url.render_as_string(hide_password=False),
                        loaded,
                        args.requests,
                        args.api,
                        args.runs,
                    )
                )
            finally:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    print(f"# {platform.python_version()}, load {os.getloadavg()[0]:.2f}, {dt.date.today()}")
    print(_markdown(results) if args.markdown else json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
