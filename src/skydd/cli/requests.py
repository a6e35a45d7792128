"""`skydd request`: data subject requests (access, portability, erasure, rectification)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from skydd.cli.common import (
    FormatOpt,
    IdentityOpt,
    MapOpt,
    StoreOpt,
    ThoroughOpt,
    VerifyOpt,
    check_format,
    friendly,
    out,
    parse_date,
    print_json,
    request_app,
)


@request_app.command("erase")
@friendly
def request_erase(
    identity: Annotated[
        list[str] | None,
        typer.Option(
            "--identity",
            "-i",
            help="KIND=VALUE, e.g. email=anna@example.se; repeat for "
            "more (phone=…, personnummer=…, or a kind the map declares).",
        ),
    ] = None,
    map_path: MapOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; change and record nothing.")
    ] = False,
    resume: Annotated[
        str | None,
        typer.Option(
            "--resume",
            metavar="REQUEST_ID",
            help="Take up an interrupted erasure; rerunning with the same identities does too.",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Folder for the receipt (JSON, HTML, PDF).", file_okay=False
        ),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the receipt: sv, en or da.")
    ] = "sv",
    fmt: FormatOpt = "text",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Judge legal holds as of this day (YYYY-MM-DD); default today."
        ),
    ] = None,
    hold: Annotated[
        list[str] | None,
        typer.Option(
            "--hold",
            help="A hold of scope 'person' the DPO placed on this person; repeat for more.",
        ),
    ] = None,
    verify: VerifyOpt = "thorough",
    pdf: Annotated[
        bool | None,
        typer.Option(
            "--pdf/--no-pdf",
            help="Write the PDF receipt (default: when the pdf extra is installed).",
        ),
    ] = None,
    thorough: ThoroughOpt = False,
    store: StoreOpt = None,
) -> None:
    """Right to erasure: delete, anonymise or keep under a legal hold, as the map says; verify.

    Answers Art. 17 GDPR. Rows a law requires to keep are blocked (recorded, and flagged
    where the map names a flag column) until their hold ends. Afterwards the person is
    searched again; anything left outside a declared hold or keep fails the request:
    exit 1 and "verified": false. JSON: {"request_id", "erased": {"system.table": n},
    "anonymised": {…}, "kept": [{"table", "rows", "reason", "until"}], "verified"}.
    """
    from skydd.requests.access import parse_identity
    from skydd.requests.erasure import erase, render_text

    check_format(fmt)
    result = erase(
        map_path,
        [parse_identity(i) for i in identity] if identity else None,
        dry_run=dry_run,
        resume=resume,
        out=out_dir,
        lang=lang,
        pdf=pdf,
        as_of=parse_date(as_of, "--as-of") if as_of else None,
        store=store,
        thorough=thorough,
        verify=verify,
        holds=hold or [],
    )
    if fmt == "json":
        print_json(result.as_json())
    else:
        for line in render_text(result):
            out.print(line, markup=False)
    if not result.dry_run and not result.verified:
        raise typer.Exit(1)


@request_app.command("access")
@friendly
def request_access(
    identity: IdentityOpt,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the registerutdrag.", file_okay=False)
    ],
    map_path: MapOpt = None,
    lang: Annotated[str, typer.Option("--lang", help="sv, en or da.")] = "sv",
    fmt: FormatOpt = "text",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date of the report (YYYY-MM-DD).")
    ] = None,
    pdf: Annotated[
        bool | None,
        typer.Option(
            "--pdf/--no-pdf", help="Write the PDF (default: when the pdf extra is installed)."
        ),
    ] = None,
    thorough: ThoroughOpt = False,
    store: StoreOpt = None,
) -> None:
    """Right of access: find the person in every system and write the registerutdrag.

    Answers Art. 15 GDPR.

    Writes data.json, one CSV per table, registerutdrag.html and (with the pdf
    extra) registerutdrag.pdf into --out.
    """
    from skydd.requests.access import access, parse_identity

    check_format(fmt)
    result = access(
        map_path,
        [parse_identity(i) for i in identity],
        out=out_dir,
        lang=lang,
        as_of=parse_date(as_of, "--as-of") if as_of else None,
        store=store,
        thorough=thorough,
        pdf=pdf,
    )
    if fmt == "json":
        print_json(result.as_json())
        return
    _render_counts(result, "access")


def _render_counts(result: Any, what: str) -> None:
    if not result.found:
        out.print(f"{result.request_id}: no personal data found for these identities.")
    else:
        total = sum(result.counts.values())
        out.print(f"{result.request_id}: {total} rows in {len(result.counts)} tables")
        for key, n in sorted(result.counts.items()):
            out.print(f"  {key:<40} {n:>6}")
    if result.ambiguous:
        out.print(
            f"[yellow]{len(result.ambiguous)} record(s) may belong to someone else; "
            "review them before releasing the report.[/]"
        )
    if result.out:
        out.print(f"wrote {what} files to {result.out}")


@request_app.command("export")
@friendly
def request_export(
    identity: IdentityOpt,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the export.", file_okay=False)
    ],
    map_path: MapOpt = None,
    fmt: FormatOpt = "text",
    thorough: ThoroughOpt = False,
    store: StoreOpt = None,
) -> None:
    """Data portability: the data the person provided, under consent or contract, as JSON and CSV.

    Answers Art. 20 GDPR: only tables the person provided, processed under consent or a
    contract.
    """
    from skydd.requests.access import export, parse_identity

    check_format(fmt)
    result = export(
        map_path, [parse_identity(i) for i in identity], out=out_dir, store=store, thorough=thorough
    )
    if fmt == "json":
        print_json(result.as_json())
        return
    _render_counts(result, "portability")


@request_app.command("rectify")
@friendly
def request_rectify(
    identity: IdentityOpt,
    set_: Annotated[
        list[str],
        typer.Option(
            "--set",
            help="system.table.column=value, the corrected value; repeat for more columns.",
        ),
    ],
    map_path: MapOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
    ] = False,
    fmt: FormatOpt = "text",
    thorough: ThoroughOpt = False,
    store: StoreOpt = None,
) -> None:
    """Right to rectification: correct the person's data everywhere the value lives.

    Answers Art. 16 GDPR. Each value is checked against the column's declared type
    and, for an identity column, its format (an email, a phone number, a valid
    personnummer). A corrected identity replaces the same old value in every column
    of that kind among the person's records, in every system. The audit log holds
    the old and new values only as keyed hashes. Recipients that received the data
    are told through the outbox (skydd outbox send). JSON: {"request_id",
    "changed": {"system.table.column": n}, "notified": [{"recipient", "channel", …}]}.
    """
    from skydd.requests.access import parse_identity
    from skydd.requests.rectify import parse_set, rectify

    check_format(fmt)
    result = rectify(
        map_path,
        [parse_identity(i) for i in identity],
        [parse_set(s) for s in set_],
        dry_run=dry_run,
        store=store,
        thorough=thorough,
    )
    if fmt == "json":
        print_json(result.as_json())
        return
    verb = "would change" if result.dry_run else "changed"
    for key, n in result.changed.items():
        out.print(f"  {verb} {key:<40} {n:>5}", markup=False)
    for told in result.notified:
        line = f"  notify {told['recipient']} by {told['channel']}: {told['status']}"
        out.print(line, markup=False)
    for w in result.warnings:
        out.print(f"warning: {w}", markup=False)
    total = sum(result.changed.values())
    out.print(f"{result.request_id}: {total} value(s) {verb}", markup=False)
