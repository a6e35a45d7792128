"""`skydd audit`: Skydd's own audit log."""

from __future__ import annotations

from typing import Annotated

import typer

from skydd.cli.common import (
    FormatOpt,
    audit_app,
    check_format,
    err,
    friendly,
    out,
    print_json,
)


@audit_app.command("verify")
@friendly
def audit_verify(
    store: Annotated[
        str | None, typer.Option("--store", envvar="SKYDD_DATABASE_URL", help="Skydd's store URL.")
    ] = None,
    fmt: FormatOpt = "text",
) -> None:
    """Check that no audit event was changed, removed, inserted, reordered or cut off.

    Exit 0 when the chain is intact, 1 when it was tampered with.
    """
    from skydd.store import open_store

    check_format(fmt)
    with open_store(store) as st:
        result = st.audit.verify()
    if fmt == "json":
        print_json(result.as_dict())
    else:
        for p in result.problems:
            where = (
                f"event {p.seq}: "
                if p.seq is not None and not p.message.startswith("event ")
                else ""
            )
            err.print(f"[red]✗[/] {p.kind}: {where}", end="")
            err.print(p.message, markup=False)
        if result.ok:
            out.print(f"[green]✓[/] audit chain intact: {result.checked} events")
    raise typer.Exit(0 if result.ok else 1)
