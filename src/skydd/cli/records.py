"""`skydd ropa` and `skydd register`: the Art. 30 records and the registers of processors
and transfers, written from the data map."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from skydd.cli.common import AsOfOpt, MapOpt, app, friendly, out, parse_date
from skydd.errors import SkyddError

register_app = typer.Typer(
    help="The registers of processors and of transfers to third countries (PRC-1 to PRC-3).",
    no_args_is_help=True,
)
app.add_typer(register_app, name="register")

OutOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (needed for xlsx).", dir_okay=False),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang", help="sv, en or da; default: the language of the controller's authority."
    ),
]


def write_output(data: bytes, output: Path | None, fmt: str) -> None:
    """A document to a file, or to stdout unless it is a binary workbook."""
    if output is None:
        if fmt == "xlsx":
            raise SkyddError("an xlsx workbook cannot go to the terminal", hint="add -o FILE.xlsx")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise SkyddError(f"cannot write {output}: {exc.strerror}", hint="check the path") from None
    out.print(f"wrote {output}", markup=False)


@app.command("ropa")
@friendly
def ropa(
    map_path: MapOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx, csv or html.")] = "xlsx",
    output: OutOpt = None,
    lang: LangOpt = None,
    record: Annotated[
        str,
        typer.Option(
            "--record", help="For csv: the controller's record (30(1)) or the processor's (30(2))."
        ),
    ] = "controller",
    as_of: AsOfOpt = None,
) -> None:
    """The record of processing activities (Art. 30 GDPR), one row per purpose.

    Every field of Art. 30(1) is filled from the map or marked MISSING with what to add;
    a map with processing_for_others also gets the processor's record (Art. 30(2)).
    xlsx: a sheet per record and a sheet listing what is missing; html: all of it on one
    page; csv: one record.
    """
    from skydd.records import ropa_document

    if fmt not in ("xlsx", "csv", "html"):
        raise SkyddError(f"unknown format '{fmt}'", hint="use xlsx, csv or html")
    day = parse_date(as_of, "--as-of") if as_of else None
    write_output(ropa_document(map_path, fmt=fmt, lang=lang, today=day, record=record), output, fmt)


def _register(
    which: str,
    map_path: Path | None,
    fmt: str,
    output: Path | None,
    lang: str | None,
    as_of: str | None,
) -> None:
    from skydd.records import register_document

    if fmt not in ("xlsx", "csv", "html", "json"):
        raise SkyddError(f"unknown format '{fmt}'", hint="use xlsx, csv, html or json")
    day = parse_date(as_of, "--as-of") if as_of else None
    write_output(register_document(map_path, which, fmt=fmt, lang=lang, today=day), output, fmt)


RegFormatOpt = Annotated[str, typer.Option("--format", "-f", help="xlsx, csv, html or json.")]


@register_app.command("processors")
@friendly
def register_processors(
    map_path: MapOpt = None,
    fmt: RegFormatOpt = "html",
    output: OutOpt = None,
    lang: LangOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Each processor and sub-processor: DPA, review date, what it receives and hosts, where.

    A review date before --as-of (default today) shows as overdue, with the lint finding.
    JSON: {"register", "as_of", "entries": [{"key", "name", "kind", "country", "dpa_reference",
    "review_date", "review_overdue", "hosted", "findings", …}]}.
    """
    _register("processors", map_path, fmt, output, lang, as_of)


@register_app.command("transfers")
@friendly
def register_transfers(
    map_path: MapOpt = None,
    fmt: RegFormatOpt = "html",
    output: OutOpt = None,
    lang: LangOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Each transfer to a third country and its mechanism: adequacy, DPF (with the date the
    certification was checked), SCC 2021/914 with module, BCR, UK IDTA or Addendum.

    JSON: {"register", "as_of", "entries": [{"key", "name", "country", "mechanism",
    "scc_module", "certification_checked", "next_check", "check_overdue", "tia", "findings"}]}.
    """
    _register("transfers", map_path, fmt, output, lang, as_of)
