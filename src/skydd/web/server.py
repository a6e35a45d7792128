"""Running the web service: uvicorn in the foreground, and the daily jobs beside it.

Delivered files past their period are deleted every day; with ``retention_at`` the
data map's retention rules that are due are carried out once a day at that time
(``skydd.retention.schedule``: the retention lock keeps it apart from a cron run).
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import Any

from skydd.errors import MissingExtraError
from skydd.retention.schedule import DailySchedule, parse_at, retention_job
from skydd.web.settings import WebSettings

_COUNTRY_TZ = {"SE": "Europe/Stockholm", "DK": "Europe/Copenhagen", "GB": "Europe/London"}
_PURGE_AT = dt.time(3, 0)


def schedules(
    app: Any, map_path: Path, store_url: str | None, retention_at: str | None
) -> list[DailySchedule]:
    """The daily jobs (not started): purge old deliveries, and retention if asked for.

    Times are read on the controller's clock (its country's time zone, else UTC).
    """
    at = parse_at(retention_at) if retention_at else None
    tz = _COUNTRY_TZ.get(app.state.controller_country, "UTC")
    vault = app.state.vault
    jobs = [DailySchedule(lambda _day: vault.purge(), at or _PURGE_AT, tz)]
    if at is not None:
        jobs.append(DailySchedule(retention_job(map_path, store_url), at, tz))
    return jobs


def serve(
    map_path: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    store_url: str | None = None,
    base_url: str | None = None,
    retention_at: str | None = None,
) -> None:
    """Build the app for ``map_path`` and serve it until interrupted."""
    for module in ("uvicorn", "python_multipart", "cryptography"):
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingExtraError(module, "web", "skydd serve") from None
    import uvicorn

    from skydd.web.app import create_app

    if retention_at:
        parse_at(retention_at)  # a mistyped time fails before the server starts
    settings = WebSettings.load(
        map_path, store_url=store_url, base_url=base_url or f"http://{host}:{port}"
    )
    app = create_app(map_path, settings=settings)
    daily = [job.start() for job in schedules(app, map_path, store_url, retention_at)]
    try:
        # No access log: paths hold signed references and download tokens.
        uvicorn.run(app, host=host, port=port, access_log=False, proxy_headers=True)
    finally:
        for job in daily:
            job.stop(timeout=1.0)
