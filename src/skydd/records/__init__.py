"""The Article 30 records and the processor and transfer registers, from the data map.

`build_ropa` gives the records of processing (30(1) and, where the company processes
for others, 30(2)); `processor_register` and `transfer_register` the registers of
LEGAL.md PRC-1 to PRC-3. Each returns a `Book`, written by `skydd.records.output`.
`ropa_document` and `register_document` do it all from a map file, for the CLI.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from skydd.datamap.loader import load_map
from skydd.datamap.models import DataMap
from skydd.errors import SkyddError
from skydd.records.output import to_csv, to_html, to_xlsx
from skydd.records.registers import (
    processor_register,
    processors,
    register_json,
    transfer_register,
    transfers,
)
from skydd.records.ropa import build_ropa
from skydd.records.sheet import Book, Cell, Column, Sheet

__all__ = [
    "Book",
    "Cell",
    "Column",
    "Sheet",
    "build_ropa",
    "processor_register",
    "processors",
    "register_document",
    "render_book",
    "ropa_document",
    "transfer_register",
    "transfers",
]

REGISTERS = ("processors", "transfers")


def render_book(book: Book, fmt: str, *, sheet: int = 0) -> bytes:
    """The book as XLSX, HTML or JSON, or one of its sheets as CSV."""
    if fmt == "xlsx":
        return to_xlsx(book)
    if fmt == "html":
        return to_html(book).encode("utf-8")
    if fmt == "json":
        text = json.dumps(book.as_dict(), ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")
    if fmt == "csv":
        return to_csv(book.sheets[sheet]).encode("utf-8")
    raise SkyddError(f"unknown format '{fmt}'", hint="use xlsx, csv, html or json")


def default_lang(m: DataMap) -> str:
    """The language of the controller's authority where Skydd writes it (sv, en, da)."""
    from skydd.datamap.authorities import AuthorityError, for_country

    try:
        return for_country(m.controller.country).reader_lang
    except AuthorityError:
        return "en"


def ropa_document(
    map_path: str | Path | None,
    *,
    fmt: str = "xlsx",
    lang: str | None = None,
    today: date | None = None,
    record: str = "controller",
) -> bytes:
    """The Art. 30 records of a map file; CSV holds one record (`record`)."""
    m = load_map(map_path).datamap
    book = build_ropa(m, lang=lang or default_lang(m), today=today)
    if record not in ("controller", "processor"):
        raise SkyddError(f"unknown record '{record}'", hint="use controller or processor")
    if record == "processor" and len(book.sheets) < 2:
        raise SkyddError(
            "the map declares no processing for others, so there is no Art. 30(2) record",
            hint="declare it under processing_for_others (see docs/records.md)",
        )
    return render_book(book, fmt, sheet=0 if record == "controller" else 1)


def register_document(
    map_path: str | Path | None,
    which: str,
    *,
    fmt: str = "xlsx",
    lang: str | None = None,
    today: date | None = None,
) -> bytes:
    """The processor or transfer register of a map file; JSON gives the typed entries."""
    if which not in REGISTERS:
        raise SkyddError(f"unknown register '{which}'", hint="use processors or transfers")
    m = load_map(map_path).datamap
    day = today or date.today()
    if fmt == "json":
        text = json.dumps(register_json(m, which, day), ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")
    build = processor_register if which == "processors" else transfer_register
    return render_book(build(m, lang=lang or default_lang(m), today=day), fmt)
