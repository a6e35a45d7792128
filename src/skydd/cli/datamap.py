"""Commands on the data map itself: check, init, schema, import and export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from skydd.cli.common import (
    FormatOpt,
    MapOpt,
    app,
    check_format,
    err,
    export_app,
    friendly,
    import_app,
    out,
    parse_date,
    plural,
    print_json,
)


@app.command()
@friendly
def check(
    map_path: MapOpt = None,
    fmt: FormatOpt = "text",
    today: Annotated[
        str | None, typer.Option("--as-of", help="Judge dates as of this day (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Validate the data map and lint it against GDPR.

    Exit 0 when clean (warnings allowed), 1 with findings at error level,
    2 when the map cannot be read or is invalid.
    """
    from skydd.checking import run_check

    check_format(fmt)
    as_of = parse_date(today, "--as-of") if today else None
    report = run_check(map_path, today=as_of)
    if fmt == "json":
        print_json(report.as_dict())
    else:
        _render_check(report)
    raise typer.Exit(report.exit_code)


def _render_check(report: Any) -> None:
    if report.issues:
        err.print(
            f"[bold red]✗[/] {report.file} is not a valid data map "
            f"({len(report.issues)} problem{'s' if len(report.issues) != 1 else ''}):"
        )
        for issue in report.issues:
            err.print(issue.render(), markup=False)
        return
    colours = {"error": "red", "warning": "yellow", "info": "blue"}
    for f in report.findings:
        where = f"{report.file}:{f.line}" if f.line else str(report.file)
        out.print(
            f"{where}: [{colours[f.level]}]{f.level}[/] {f.code} "
            f"[dim]({', '.join(f.rule.legal)})[/] ",
            end="",
        )
        out.print(f.message, markup=False)
        if f.hint:
            out.print(f"  hint: {f.hint}", markup=False, style="dim")
    s = report.summary()
    mark = "[green]✓[/]" if report.exit_code == 0 else "[red]✗[/]"
    out.print(
        f"{mark} {report.file}: {s['systems']} systems, {s['tables']} tables, "
        f"{s['columns']} columns, {s['purposes']} purposes; "
        f"{plural(s['error'], 'error')}, {plural(s['warning'], 'warning')}, "
        f"{plural(s['info'], 'note')}"
    )


@app.command()
@friendly
def init(
    db: Annotated[
        list[str],
        typer.Option(
            "--db",
            help="A database to read, as a URL: sqlite:///shop.db, "
            "postgresql://user@host/db, mysql://user@host/db. Repeat for each.",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", dir_okay=False, help="The data map to write.")
    ] = Path("privacy.yaml"),
    sample: Annotated[
        int,
        typer.Option(
            "--sample", min=0, help="Values read per column to guess what it holds; 0 reads none."
        ),
    ] = 50,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Draft a data map from your databases: tables, keys, references, guessed categories.

    What only you know (controller, purposes, legal bases, retention) is left as TODO
    for `skydd check` to list. Exit 0 when written, 2 when a database cannot be read
    or the file already exists.
    """
    from skydd.datamap.introspect import init_map

    r = init_map(db, output, sample=sample, force=force)
    for item in r.skipped:
        err.print(f"left out: {item}", markup=False, style="yellow")
    out.print(
        f"[green]✓[/] wrote {r.path}: {r.systems} systems, {r.tables} tables, "
        f"{r.columns} columns ({r.guessed} guessed, {r.todo} TODO), "
        f"{r.references} references, {r.identities} identity columns"
    )
    if r.secrets:
        out.print(
            f"passwords were left out of the URLs: export {', '.join(r.secrets)}", markup=False
        )
    out.print(f"next: fill in the TODOs, then run: skydd check --map {r.path}", markup=False)


@app.command()
@friendly
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """Print the JSON Schema of privacy.yaml, for editors that validate and complete it."""
    from skydd.datamap.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text)


@import_app.command("fides")
@friendly
def import_fides(
    dataset: Annotated[
        Path, typer.Argument(help="A fideslang dataset file (dataset.yml), or a folder of them.")
    ],
    connection: Annotated[
        str,
        typer.Option(
            "--connection",
            "-c",
            help="SQLAlchemy URL of the database the datasets describe, for every system. "
            "Quote ${ENV} references ('${SHOP_URL}') to keep them in the map.",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The data map to write.", dir_okay=False)
    ] = Path("privacy.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file.")] = False,
    country: Annotated[
        str, typer.Option("--country", help="The controller's country (ISO 3166 code).")
    ] = "SE",
) -> None:
    """Write a new data map from fideslang datasets (Fides by Ethyca).

    Every dataset becomes a system, every collection a table, every field a column.
    What Fides does not say (purposes, legal bases, retention) is left as TODO, so
    `skydd check` lists it. What Skydd cannot hold is printed as warnings.
    """
    from skydd.datamap.fides import write_import

    result = write_import(dataset, connection, output, force, controller_country=country)
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    c = result.counts
    out.print("[green]✓[/] ", end="")
    out.print(
        f"wrote {output}: {c['datasets']} systems, {c['collections']} tables, {c['fields']} "
        f"columns ({c['todo']} without a category), {c['references']} references. "
        f"Decide the TODOs, then run: skydd check --map {output}",
        markup=False,
    )


@export_app.command("fides")
@friendly
def export_fides(
    map_path: MapOpt = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The fideslang file to write.", dir_okay=False)
    ] = Path("dataset.yml"),
) -> None:
    """Write the data map as fideslang datasets, one per system, for Fides.

    References get the direction Fides needs from where the identities are; shared
    and legally held tables are marked read-only so a Fides erasure leaves them.
    """
    from skydd.datamap.fides import write_export

    result = write_export(map_path, output)
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    c = result.counts
    out.print("[green]✓[/] ", end="")
    out.print(
        f"wrote {output}: {c['datasets']} datasets, {c['collections']} collections, "
        f"{c['fields']} fields, {c['references']} references",
        markup=False,
    )
