"""`skydd scan`: prove that what is stored is what was declared."""

from __future__ import annotations

from typing import Annotated

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
    progress_bar,
)

SampleOpt = Annotated[
    int,
    typer.Option("--sample", help="Values to read per table (a random sample).", min=1),
]
FullOpt = Annotated[bool, typer.Option("--full", help="Read every row instead of a sample.")]
SuggestOpt = Annotated[
    bool, typer.Option("--suggest", help="Also print a YAML patch for the data map.")
]

_COLOUR = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


@app.command("scan")
@friendly
def scan_command(
    map_path: MapOpt = None,
    sample: SampleOpt = 1000,
    full: FullOpt = False,
    suggest: SuggestOpt = False,
    store: StoreOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Scan every system of the map for personal data and compare it with the map.

    Reports undeclared personal data, data the map says is never stored (critical), and
    declared categories that do not match. Values are shown masked, never in full.
    Exit code 1 when a finding is critical. JSON: {"findings": [{"table", "column",
    "detector", "matches", "sampled", "declared", "severity", "kind", "category",
    "samples"}], "stats": {...}}.
    """
    from skydd import scan
    from skydd.scan.suggest import patch

    check_format(fmt)
    with progress_bar(disable=fmt == "json") as progress:
        report = scan.scan(
            map_path, sample=None if full else sample, store=store, progress=progress
        )
    if fmt == "json":
        data = report.as_dict()
        if suggest:
            data["suggestion"] = patch(report.findings)
        print_json(data)
    else:
        _render(report)
        if suggest:
            out.print(patch(report.findings), markup=False, end="")
    if report.critical:
        raise typer.Exit(1)


def _render(report: object) -> None:
    from rich.table import Table

    from skydd.scan.runner import ScanReport

    assert isinstance(report, ScanReport)
    table = Table(title=f"Scan {report.run_id} ({report.mode})", title_justify="left")
    for name in ("severity", "table", "column", "detector", "matches", "declared", "samples"):
        table.add_column(name, justify="right" if name == "matches" else "left")
    for f in report.findings:
        table.add_row(
            f"[{_COLOUR.get(f.severity, 'dim')}]{f.severity}[/]",
            f.table,
            f.column,
            f.detector,
            f"{f.matches}/{f.sampled}",
            f.declared or "-",
            ", ".join(f.samples),
        )
    if report.findings:
        out.print(table)
    stats = report.as_dict()["stats"]
    out.print(
        f"{len(report.findings)} findings in {stats['tables']} tables, {stats['columns']} "
        f"columns, {stats['values']} values ({stats['seconds']} s, "
        f"{stats['values_per_second_per_core']} values/s per core)"
    )
