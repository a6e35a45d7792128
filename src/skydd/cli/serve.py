"""`skydd serve`: the web service (public request form and API, admin API)."""

from __future__ import annotations

from typing import Annotated

import typer

from skydd.cli.common import MapOpt, StoreOpt, app, friendly
from skydd.errors import MissingExtraError

_WEB_EXTRA = ("fastapi", "starlette", "uvicorn", "python_multipart", "cryptography")


@app.command("serve")
@friendly
def serve(
    map_path: MapOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    store: StoreOpt = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar="SKYDD_BASE_URL",
            help="The public address people reach, used in mailed links (https in "
            "production). Default: http://HOST:PORT.",
        ),
    ] = None,
    retention_at: Annotated[
        str | None,
        typer.Option(
            "--retention-at",
            help="Run the retention rules that are due every day at HH:MM (server time). "
            "Default: off.",
        ),
    ] = None,
) -> None:
    """Serve the public request form (sv/en/da), its JSON API and the admin API.

    People submit requests and prove their email address with a mailed code or link;
    staff work the queue through /api/admin/ with a token from `skydd staff add`.

    The OpenAPI document is at /openapi.json. Mail goes out through SKYDD_SMTP_HOST.

    Links and cookies are signed with SKYDD_SECRET_KEY, or a key kept beside the store.
    """
    from skydd.datamap.loader import resolve_map_path

    try:
        from skydd.web.server import serve as run_server
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in _WEB_EXTRA:
            raise
        raise MissingExtraError(str(exc.name), "web", "skydd serve") from None
    run_server(
        resolve_map_path(map_path),
        host=host,
        port=port,
        store_url=store,
        base_url=base_url,
        retention_at=retention_at,
    )
