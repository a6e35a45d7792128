"""Write a report to files: JSON, one CSV per table, HTML, and PDF with the `pdf` extra."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from skydd.documents.phrases import phrase
from skydd.errors import MissingExtraError, SkyddError


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("skydd.documents", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(template: str, report: dict[str, Any]) -> str:
    """HTML from a template, with `t(key, **values)` for phrases in the report's language."""
    lang = report.get("lang", "en")

    def t(key: str, **values: Any) -> str:
        return phrase(lang, key, **values)

    return _environment().get_template(template).render(r=report, t=t)


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def write_pdf(html: str, path: Path) -> None:
    """Render HTML to PDF with WeasyPrint (the `pdf` extra)."""
    try:
        import weasyprint
    except (ImportError, OSError):
        raise MissingExtraError("weasyprint", "pdf", "Writing a PDF") from None
    weasyprint.HTML(string=html).write_pdf(str(path))


def _prepare(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SkyddError(f"cannot create the folder {out}: {exc.strerror}") from None


def _data_json(report: dict[str, Any], sections: list[dict[str, Any]]) -> dict[str, Any]:
    def table(s: dict[str, Any]) -> dict[str, Any]:
        return {
            "label": s["label"],
            "columns": {
                c["name"]: {"label": c["label"], "category": c["category"],
                            "declared": c["declared"]}
                for c in s["columns"]
            },
            "rows": s["rows"],
        }

    return {
        "request_id": report["request_id"],
        "as_of": report["as_of"],
        "controller": report["controller"]["name"],
        "data": {s["key"]: table(s) for s in sections},
        "shared": {s["key"]: table(s) for s in report.get("shared", [])},
        "ambiguous": report.get("ambiguous", []),
    }


def _write_csvs(sections: list[dict[str, Any]], out: Path) -> list[Path]:
    files = []
    for s in sections:
        path = out / f"{s['key']}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            names = [c["name"] for c in s["columns"]]
            writer.writerow(names)
            for row in s["rows"]:
                writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
        files.append(path)
    return files


def write_access(report: dict[str, Any], out: Path, *, pdf: bool | None = None) -> list[Path]:
    """data.json, one CSV per table, registerutdrag.html and (with WeasyPrint) .pdf."""
    _prepare(out)
    data = out / "data.json"
    data.write_text(json.dumps(_data_json(report, report["tables"]), ensure_ascii=False,
                               indent=2), encoding="utf-8")
    files = [data, *_write_csvs(report["tables"], out)]
    html = render_html("registerutdrag.html.j2", report)
    page = out / "registerutdrag.html"
    page.write_text(html, encoding="utf-8")
    files.append(page)
    if pdf or (pdf is None and pdf_available()):
        write_pdf(html, out / "registerutdrag.pdf")
        files.append(out / "registerutdrag.pdf")
    return files


def write_portable(report: dict[str, Any], out: Path) -> list[Path]:
    """Art. 20: the data the person provided, as JSON and CSV."""
    _prepare(out)
    path = out / "export.json"
    path.write_text(json.dumps(_data_json(report, report["tables"]), ensure_ascii=False,
                               indent=2), encoding="utf-8")
    return [path, *_write_csvs(report["tables"], out)]
