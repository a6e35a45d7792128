"""`skydd outbox`: Art. 19 notices to recipients: what is queued, and sending what is due."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skydd.cli.common import (
    FormatOpt,
    MapOpt,
    StoreOpt,
    app,
    check_format,
    friendly,
    out,
    print_json,
)

if TYPE_CHECKING:
    from skydd.store import Store


def _open(store: str | None, map_path: Path | None) -> Store:
    """The store named, else the one beside the map (as `skydd request` uses), else ./.skydd."""
    from skydd.datamap.loader import resolve_map_path
    from skydd.store import open_store

    path = resolve_map_path(map_path)
    return open_store(store, default_dir=path.parent if path.is_file() else None)


outbox_app = typer.Typer(
    help="Art. 19 notices to recipients of rectification, erasure and restriction.",
    no_args_is_help=True,
)
app.add_typer(outbox_app, name="outbox")


@outbox_app.command("send")
@friendly
def outbox_send(
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
    limit: Annotated[int, typer.Option("--limit", help="At most this many notices.")] = 500,
) -> None:
    """Send the notices that are due, by email (SKYDD_SMTP_*) or signed webhook.

    Safe to run from cron every minute: a run holds the store lock 'outbox', and a
    second run meanwhile stops with exit 2. A failed notice is retried with exponential
    backoff (1 min, 2, 4 … up to 6 h) until its last attempt, then marked failed.
    JSON: {"sent": [ids], "retrying": [ids], "failed": [ids]}.
    """
    from skydd.outbox import send_due

    check_format(fmt)
    with _open(store, map_path) as st:
        report = send_due(st, limit=limit)
    if fmt == "json":
        print_json(report.as_json())
        return
    out.print(
        f"{len(report.sent)} sent, {len(report.retrying)} to retry, {len(report.failed)} failed"
    )


@outbox_app.command("list")
@friendly
def outbox_list(
    map_path: MapOpt = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
    status: Annotated[
        str | None, typer.Option("--status", help="Only pending, sent or failed notices.")
    ] = None,
    request: Annotated[
        str | None, typer.Option("--request", help="Only the notices of this request id.")
    ] = None,
) -> None:
    """List the notices, newest first: recipient, event, state, attempts, last error.

    JSON: [{"id", "request_id", "event", "recipient", "channel", "target", "tables",
    "status", "attempts", "max_attempts", "next_attempt_at", "last_error", …}].
    """
    from skydd.errors import SkyddError
    from skydd.outbox import list_items

    check_format(fmt)
    if status is not None and status not in ("pending", "sent", "failed"):
        raise SkyddError(f"unknown status '{status}'", hint="use pending, sent or failed")
    with _open(store, map_path) as st:
        items = list_items(st, status=status, request_id=request)
    if fmt == "json":
        print_json([i.as_json() for i in items])
        return
    if not items:
        out.print("The outbox is empty.")
        return
    from rich.table import Table

    table = Table(title="Art. 19 outbox", title_justify="left")
    for name in ("id", "request", "event", "recipient", "via", "status", "tries", "last error"):
        table.add_column(name)
    for i in items:
        table.add_row(
            i.item_id,
            i.request_id,
            i.event,
            i.recipient,
            i.channel,
            i.status,
            f"{i.attempts}/{i.max_attempts}",
            (i.last_error or "")[:60],
        )
    out.print(table)
