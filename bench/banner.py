"""The consent endpoint under load, and the banner's size beside vanilla-cookieconsent's.

Starts `skydd serve`'s app (uvicorn, one process) on loopback for the Astrak data map,
with its store on SQLite and then on PostgreSQL (a fresh database), and fires
--requests choices at POST /consent/choice from --concurrency connections (httpx,
asyncio, in this process: the load generator shares the 2-core machine). Prints the
acknowledged writes per second, then counts the ledger's events: every 201 must be
one durable event, no more and no fewer.

Then it measures the banner: script + styles gzipped (level 9) for sv/en/da, and the
same for vanilla-cookieconsent 3.1.0, fetched from the npm registry with `npm pack`
in the same run (its dist/cookieconsent.umd.js + dist/cookieconsent.css, without
translations).

    .venv/bin/python bench/banner.py [--requests 20000] [--concurrency 64] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
SERVER = """
import sys, uvicorn
from skydd.web import create_app
app = create_app(sys.argv[1], store_url=sys.argv[2])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(map_path: Path, store: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "SKYDD_CONSENT_RATE": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(map_path), store, str(port)], env=env
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/consent/config", timeout=1)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


async def load(url: str, requests: int, concurrency: int) -> tuple[int, int, float]:
    """(acknowledged, failed, seconds)."""
    bodies = iter(range(requests))
    acked = failed = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal acked, failed
        for i in bodies:
            body = (
                f'{{"visitor": "{secrets.token_hex(16)}", "granted": ["analytics"], '
                f'"refused": ["marketing", "preferences"], "method": "banner", '
                f'"lang": "{("sv", "en", "da")[i % 3]}"}}'
            )
            try:
                answer = await client.post(url + "/consent/choice", content=body)
            except httpx.HTTPError:
                failed += 1
                continue
            if answer.status_code == 201:
                acked += 1
            else:
                failed += 1

    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        return acked, failed, time.perf_counter() - started


def ledger_events(store: str) -> int:
    engine = sa.create_engine(store)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT COUNT(DISTINCT event_id) FROM consent_events")).scalar()
    engine.dispose()
    return int(n or 0)


def run(label: str, map_path: Path, store: str, requests: int, concurrency: int) -> None:
    proc, url = start(map_path, store)
    try:
        asyncio.run(load(url, 200, 8))  # warm up: connections, compiled SQL
        before = ledger_events(store)
        acked, failed, seconds = asyncio.run(load(url, requests, concurrency))
        time.sleep(0.5)
        events = ledger_events(store) - before
    finally:
        proc.terminate()
        proc.wait(10)
    print(
        f"  {label:<11} {acked:>6} acknowledged, {failed} failed in {seconds:.2f} s = "
        f"{acked / seconds:,.0f} durable writes/s; ledger gained {events} events "
        f"({'equal' if events == acked else 'NOT EQUAL'})"
    )


def postgres_store() -> tuple[str, str] | None:
    admin = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    name = f"skydd_bench_{secrets.token_hex(4)}"
    try:
        engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - reported, the SQLite run still counts
        print(f"  postgresql: not measured ({type(exc).__name__})")
        return None
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", name


def drop_postgres(name: str) -> None:
    admin = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def gz(*parts: bytes) -> int:
    return sum(len(gzip.compress(p, 9)) for p in parts)


def sizes(map_path: Path, work: Path) -> None:
    from fastapi.testclient import TestClient

    from skydd.web import create_app

    app = create_app(map_path, store_url=f"sqlite:///{work / 'size.db'}")
    with TestClient(app) as client:
        css = client.get("/consent/banner.css").content
        for lang in ("sv", "en", "da"):
            js = client.get(f"/consent/banner.js?lang={lang}").content
            print(
                f"  skydd banner ({lang}, Astrak's 4 categories and its cookies inlined): "
                f"{gz(js, css):,} bytes gzipped (script {gz(js):,} + styles {gz(css):,})"
            )
    npm = shutil.which("npm")
    if not npm:
        print("  vanilla-cookieconsent: not measured (npm is missing)")
        return
    done = subprocess.run(
        [npm, "pack", "vanilla-cookieconsent@3.1.0", "--silent"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        print(f"  vanilla-cookieconsent: not measured (npm pack failed: {done.stderr[:200]})")
        return
    with tarfile.open(work / done.stdout.strip().splitlines()[-1]) as tar:
        js = tar.extractfile("package/dist/cookieconsent.umd.js")
        style = tar.extractfile("package/dist/cookieconsent.css")
        assert js and style
        vjs, vcss = js.read(), style.read()
    print(
        f"  vanilla-cookieconsent 3.1.0 (npm, no translations, no configuration): "
        f"{gz(vjs, vcss):,} bytes gzipped (script {gz(vjs):,} + styles {gz(vcss):,})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}; python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        map_path = work / "privacy.yaml"
        shutil.copy(ROOT / "examples" / "astrak" / "privacy.yaml", map_path)
        print(
            f"POST /consent/choice, {args.requests:,} choices from {args.concurrency} connections:"
        )
        run("sqlite", map_path, f"sqlite:///{work / 'store.db'}", args.requests, args.concurrency)
        if not args.no_postgres:
            pg = postgres_store()
            if pg:
                try:
                    run("postgresql", map_path, pg[0], args.requests, args.concurrency)
                finally:
                    drop_postgres(pg[1])
        print("banner size:")
        sizes(map_path, work)


if __name__ == "__main__":
    main()
