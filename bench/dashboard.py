"""Every dashboard page with 10,000 requests and 1,000,000 consent events in the store.

Fills a fresh store (SQLite, and PostgreSQL with --postgres): 10,000 requests in every
state, bulk-inserted as bench/request_queue.py does; 1,000,000 consent events (banner
choices over twelve months, each with its purposes: about 2.5 million ledger rows),
inserted with executemany in large transactions. Builds the small Astrak demo for the
company databases (the retention page counts its plan there). Then times each page
through the app in-process (Starlette's TestClient: no network), with a DPO token,
--runs times, and prints the median and the worst. Goal (issue 11): every page under
200 ms. The baseline in the same run is the page's own main query in raw SQL.

The consent page's first view reads the whole ledger once to start its running tally;
that first view is printed on its own line, the median is over the views after it.

    .venv/bin/python bench/dashboard.py [--runs 20] [--events 1000000] [--postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from request_queue import _bulk  # noqa: E402 - bench/ is not a package

from skydd.store import open_store  # noqa: E402
from skydd.store.schema import consent_events  # noqa: E402

PAGES = (
    "/admin/",
    "/admin/requests",
    "/admin/requests?due=7",
    "/admin/retention",
    "/admin/consent",
    "/admin/scans",
    "/admin/breaches",
    "/admin/audit",
    "/admin/inventory",
)
RAW = {
    "/admin/": "SELECT state, COUNT(*) FROM workflow_requests GROUP BY state",
    "/admin/consent": "SELECT substr(at, 1, 7), purpose, decision, COUNT(*) "
    "FROM consent_events GROUP BY 1, 2, 3",
    "/admin/audit": "SELECT * FROM audit_events ORDER BY seq DESC LIMIT 50",
}


def fill_consent(engine: sa.Engine, events: int) -> float:
    """``events`` banner choices over the last twelve months, each with 2-3 purposes."""
    rng = random.Random(11)
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    batch: list[dict[str, object]] = []
    for i in range(events):
        at = (now - dt.timedelta(seconds=rng.randrange(365 * 86400))).isoformat()
        event_id, subject = str(uuid.uuid4()), secrets.token_hex(32)
        accept = rng.random() < 0.55
        for purpose in ("analytics", "marketing", "preferences")[: 2 + i % 2]:
            batch.append(
                {
                    "event_id": event_id,
                    "at": at,
                    "subject": subject,
                    "subject_kind": "visitor",
                    "purpose": purpose,
                    "decision": "granted" if accept else "refused",
                    "method": "banner",
                    "channel": "web",
                    "language": "sv",
                    "notice_version": "v1",
                    "notice_hash": None,
                    "recorded_by": None,
                    "ip_hash": None,
                    "evidence": "{}",
                }
            )
        if len(batch) >= 50_000:
            with engine.begin() as conn:
                conn.execute(sa.insert(consent_events), batch)
            batch = []
    if batch:
        with engine.begin() as conn:
            conn.execute(sa.insert(consent_events), batch)
    return time.perf_counter() - started


def time_pages(map_path: Path, store_url: str, runs: int) -> list[tuple[str, float, float, float]]:
    from fastapi.testclient import TestClient

    from skydd import workflow
    from skydd.web import create_app

    app = create_app(map_path, store_url=store_url)
    results = []
    with TestClient(app) as client:
        _, token = workflow.add_staff(
            app.state.store, f"bench-{secrets.token_hex(3)}", "dpo", actor="bench"
        )
        headers = {"Authorization": f"Bearer {token}"}
        for path in PAGES:
            started = time.perf_counter()
            answer = client.get(path, headers=headers)
            first = time.perf_counter() - started
            assert answer.status_code == 200, (path, answer.status_code)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(path, headers=headers)
                times.append(time.perf_counter() - started)
            results.append((path, first, statistics.median(times), max(times)))
    return results


def raw(store_url: str, runs: int) -> dict[str, float]:
    engine = sa.create_engine(store_url)
    out = {}
    with engine.connect() as conn:
        for path, sql in RAW.items():
            times = []
            for _ in range(max(3, runs // 4)):
                started = time.perf_counter()
                conn.execute(sa.text(sql)).all()
                times.append(time.perf_counter() - started)
            out[path] = statistics.median(times)
    engine.dispose()
    return out


def run(label: str, map_path: Path, store_url: str, args: argparse.Namespace) -> None:
    with open_store(store_url) as store:
        started = time.perf_counter()
        _bulk(store, 10_000, 0, random.Random(5))
        requests_s = time.perf_counter() - started
        consent_s = fill_consent(store.engine, args.events)
    print(
        f"{label}: 10,000 requests in {requests_s:.1f} s, {args.events:,} consent events "
        f"in {consent_s:.0f} s"
    )
    baseline = raw(store_url, args.runs)
    for path, first, median, worst in time_pages(map_path, store_url, args.runs):
        base = baseline.get(path)
        extra = f"   raw main query {base * 1000:7.1f} ms" if base is not None else ""
        mark = "ok" if median < 0.2 else "SLOW"
        print(
            f"  {path:<24} first {first * 1000:7.1f} ms   median {median * 1000:6.1f} ms   "
            f"worst {worst * 1000:6.1f} ms  {mark}{extra}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
        f"date {dt.date.today().isoformat()}"
    )
    from skydd.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = build_demo("astrak", work / "astrak", people=2000, seed=3)
        run("sqlite", demo.map_path, f"sqlite:///{work / 'store.db'}", args)
        if args.postgres:
            name = f"skydd_bench_{secrets.token_hex(4)}"
            admin = sa.create_engine(
                "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                isolation_level="AUTOCOMMIT",
            )
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            try:
                url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
                run("postgresql", demo.map_path, url, args)
            finally:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
