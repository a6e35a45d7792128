"""The web service under load: 1,000 requests submitted through the API, then the admin
queue listing with 10,000 requests in the store, each against its baseline.

For each store (SQLite, and PostgreSQL in a fresh database unless `--no-postgres`):

1. `skydd.web.create_app` is served by uvicorn in a thread on a loopback port, with a real
   SMTP server (aiosmtpd) taking the verification mails. `--submit` requests are POSTed
   one after another to /api/requests with httpx (what a browser or a client does; the
   mail goes out after each response). Baseline: the same number of `workflow.submit`
   calls in-process on the same kind of store, no HTTP.
2. The store is filled to `--requests` with rows shaped like real ones (bench/request_queue.py's
   bulk insert), then GET /api/admin/requests (first page of 100, and open requests due
   within 7 days) is timed over HTTP with a DPO's token, median of `--runs`. Baseline:
   the same SELECT as text through the bare driver (bench/request_queue.py). Goal: under 200 ms.

    .venv/bin/python bench/web.py [--submit 1000] [--requests 10000] [--runs 25]
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
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import request_queue as queue  # bench/request_queue.py: store filling, raw SQL baseline
import sqlalchemy as sa
import uvicorn
from aiosmtpd.controller import Controller

from skydd import workflow
from skydd.datamap.loader import load_map
from skydd.mail import MailSettings
from skydd.store import open_store
from skydd.store.schema import workflow_requests
from skydd.web import WebSettings, create_app

KINDS = ["access", "erase", "export", "rectify", "object"]


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _served(folder: Path, store_url: str, smtp_port: int) -> Iterator[tuple[str, Any]]:
    settings = WebSettings(
        map_path=folder / "privacy.yaml",
        secret_key=secrets.token_bytes(48),
        state_dir=folder,
        store_url=store_url,
        mail=MailSettings(host="127.0.0.1", port=smtp_port, sender="bench@example.se"),
        rate_burst=1_000_000,
        rate_per_minute=1_000_000.0,
        code_ttl=timedelta(minutes=30),
    )
    app = create_app(folder / "privacy.yaml", settings=settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(10)


def _submit_over_http(base: str, n: int, sink: _Sink) -> dict[str, float]:
    times = []
    with httpx.Client(base_url=base) as client:
        started = time.perf_counter()
        for i in range(n):
            body = {"kind": KINDS[i % len(KINDS)], "email": f"web{i}@example.se", "lang": "sv"}
            t0 = time.perf_counter()
            reply = client.post("/api/requests", json=body)
            times.append(time.perf_counter() - t0)
            assert reply.status_code == 202, reply.text
        wall = time.perf_counter() - started
    deadline = time.monotonic() + 60
    while sink.count < n and time.monotonic() < deadline:
        time.sleep(0.05)
    times.sort()
    return {
        "wall_s": wall,
        "per_s": n / wall,
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95)] * 1000,
        "mails": sink.count,
    }


def _submit_in_process(folder: Path, store_url: str, n: int) -> float:
    loaded = load_map(folder / "privacy.yaml")
    times = []
    with open_store(store_url) as store:
        for i in range(n):
            t0 = time.perf_counter()
            workflow.submit(
                store,
                loaded,
                kind=KINDS[i % len(KINDS)],
                identities={"email": f"base{i}@example.se"},
                channel="web",
                lang="sv",
                actor="bench",
            )
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _listing(base: str, token: str, runs: int) -> dict[str, dict[str, float]]:
    headers = {"Authorization": f"Bearer {token}"}
    views = {
        "first page": "/api/admin/requests?limit=100",
        "due within 7 days": "/api/admin/requests?due_within=7&limit=100",
    }
    out = {}
    with httpx.Client(base_url=base, headers=headers) as client:
        for name, path in views.items():
            ms, reply = queue._median_ms(lambda p=path: client.get(p), runs)
            assert reply.status_code == 200, reply.text
            out[name] = {"http_ms": ms, "rows": len(reply.json()["requests"])}
    return out


def bench(folder: Path, store_url: str, baseline_url: str, args: argparse.Namespace) -> Any:
    sink = _Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        with _served(folder, store_url, smtp.port) as (base, app):
            store = app.state.store
            submitted = _submit_over_http(base, args.submit, sink)
            queue._bulk(store, args.requests - args.submit, args.submit, random.Random(6))
            with store.engine.connect() as conn:
                count = conn.execute(
                    sa.select(sa.func.count()).select_from(workflow_requests)
                ).scalar()
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("ANALYZE workflow_requests"))
                    conn.commit()
            _, token = workflow.add_staff(store, "bench-dpo", "dpo", actor="bench")
            views = _listing(base, token, args.runs)
            for name, view in views.items():
                view["raw_ms"] = queue._median_ms(queue._raw(store.url, name), args.runs)[0]
            backend = store.engine.dialect.name
    finally:
        smtp.stop()
    baseline_ms = _submit_in_process(folder, baseline_url, args.submit)
    return {
        "backend": backend,
        "requests": count,
        "submit": submitted | {"baseline_p50_ms": baseline_ms},
        "views": views,
    }


@contextmanager
def _postgres(admin_url: str) -> Iterator[tuple[str, str]]:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    names = [f"skydd_bench_{secrets.token_hex(4)}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = sa.make_url(admin_url)
        yield tuple(  # type: ignore[misc]
            url.set(database=n).render_as_string(hide_password=False) for n in names
        )
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| store | requests/s over HTTP | p50 ms | p95 ms | submit in-process p50 ms | mails |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        s = r["submit"]
        lines.append(
            f"| {r['backend']} | {s['per_s']:.0f} ({s['wall_s']:.1f} s) | {s['p50_ms']:.1f} | "
            f"{s['p95_ms']:.1f} | {s['baseline_p50_ms']:.1f} | {s['mails']} |"
        )
    lines += [
        "",
        "| store | view | rows | GET /api/admin/requests ms | raw SQL ms |",
        "|---|---|---:|---:|---:|",
    ]
    for r in results:
        for name, v in r["views"].items():
            lines.append(
                f"| {r['backend']} ({r['requests']:,} requests) | {name} | {v['rows']} | "
                f"{v['http_ms']:.1f} | {v['raw_ms']:.2f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submit", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="skydd-web-") as tmp:
        folder = Path(tmp)
        (folder / "privacy.yaml").write_text(queue.MAP, encoding="utf-8")
        os.environ["XDG_STATE_HOME"] = str(folder / "state")
        results = [
            bench(
                folder,
                f"sqlite:///{folder / 'store.db'}",
                f"sqlite:///{folder / 'baseline.db'}",
                args,
            )
        ]
        if not args.no_postgres:
            with _postgres(args.postgres) as (store_url, baseline_url):
                results.append(bench(folder, store_url, baseline_url, args))
    print(f"# {platform.python_version()}, load {os.getloadavg()[0]:.2f}, {dt.date.today()}")
    print(_markdown(results) if args.markdown else json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
