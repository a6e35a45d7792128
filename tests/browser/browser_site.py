"""A real `skydd serve` app on loopback (uvicorn in a thread), for the browser tests."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    store: str
    map_path: Path

    def events(self) -> list[dict[str, Any]]:
        """The ledger's events, one per choice, with their purposes gathered."""
        engine = sa.create_engine(self.store)
        try:
            with engine.connect() as conn:
                rows = conn.execute(sa.text("SELECT * FROM consent_events ORDER BY seq")).mappings()
                events: dict[str, dict[str, Any]] = {}
                for r in rows:
                    e = events.setdefault(
                        r["event_id"], {**dict(r), "granted": [], "refused": [], "withdrawn": []}
                    )
                    e[r["decision"]].append(r["purpose"])
        finally:
            engine.dispose()
        for e in events.values():
            e["evidence"] = json.loads(e["evidence"] or "{}")
        return list(events.values())


def serve(map_path: Path, store: str) -> Iterator[Server]:
    import uvicorn

    from skydd.web import create_app

    port = free_port()
    app = create_app(map_path, store_url=store)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{port}", store, map_path)
    finally:
        server.should_exit = True
        thread.join(10)


GPC_SCRIPT = "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true});"
