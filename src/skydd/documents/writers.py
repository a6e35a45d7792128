"""Write a report to files: JSON, one CSV per table, HTML, and PDF with the `pdf` extra."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from skydd.documents.display import display
from skydd.documents.phrases import phrase
from skydd.errors import MissingExtraError, SkyddError


def css_string(text: str) -> markupsafe.Markup:
    """A text as a quoted CSS string that cannot end the string or the <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;-–·()/@_'" else f"\\{ord(c):x} " for c in text)
    return markupsafe.Markup(f'"{escaped}"')


def _capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    """A label or fragment from the map, ended as a sentence ('Bokföring' -> 'Bokföring.')."""
    text = str(text).strip()
    return text + "." if text and text[-1] not in ".!?" else text


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("skydd.documents", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["capitalize_first"] = _capitalize_first
    env.filters["sentence"] = _sentence
    return env


def render_html(template: str, report: dict[str, Any]) -> str:
    """HTML from a template in the report's language.

    The template gets `r` (the report), `t(key, **values)` (a phrase), `d` (values,
    dates and countries formatted for the reader) and `css(text)` (a CSS string).
    """
    lang = report.get("lang", "en")

    def t(key: str, **values: Any) -> str:
        return phrase(lang, key, **values)

    return (
        _environment().get_template(template).render(r=report, t=t, d=display(lang), css=css_string)
    )


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def render_pdf(html: str) -> bytes:
    """A4 PDF bytes from HTML, with WeasyPrint (the `pdf` extra).

    The PDF is tagged (headings, tables and reading order for screen readers), which
    costs no measurable time. Fonts are subset with HarfBuzz when the system has
    libharfbuzz-subset; without it WeasyPrint falls back to fontTools, about half a
    second slower per document.
    """
    try:
        import weasyprint
    except (ImportError, OSError):
        raise MissingExtraError("weasyprint", "pdf", "Writing a PDF") from None
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_tags=True)
    return pdf


def write_pdf(html: str, path: Path) -> None:
    """Render HTML to a PDF file with WeasyPrint (the `pdf` extra)."""
    path.write_bytes(render_pdf(html))


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
                c["name"]: {
                    "label": c["label"],
                    "category": c["category"],
                    "declared": c["declared"],
                }
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
    data.write_text(
        json.dumps(_data_json(report, report["tables"]), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
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
    path.write_text(
        json.dumps(_data_json(report, report["tables"]), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    return [path, *_write_csvs(report["tables"], out)]
