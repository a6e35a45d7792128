"""The erasure receipt: what was erased, anonymised and kept, why, and until when.

Pure `build_receipt` (the data map and an erasure result in, plain data out) and
`write_receipt` (receipt.json, receipt.html and, with the `pdf` extra, receipt.pdf),
in Swedish, English or Danish. The receipt names tables by their labels in the map,
never shows a value, and says plainly when the erasure could not be verified.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skydd.datamap.authorities import for_country
from skydd.datamap.models import DataMap, Text
from skydd.documents.display import display
from skydd.documents.phrases import phrase
from skydd.documents.writers import pdf_available, render_html, write_pdf
from skydd.errors import SkyddError


def _t(text: Text | None, lang: str, default: str) -> str:
    return (text.get(lang) if text else None) or default


def _humanise(name: str) -> str:
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name


def _labels(m: DataMap, key: str, lang: str) -> dict[str, str]:
    system, _, name = key.partition(".")
    decl = m.systems.get(system)
    table = decl.tables.get(name) if decl else None
    return {
        "key": key,
        "label": _t(table.labels if table else None, lang, _humanise(name)),
        "system": _t(decl.labels if decl else None, lang, system),
    }


def _ground(lang: str, ground: str | None) -> str | None:
    if not ground:
        return None
    letter = ground[-2]
    return (
        phrase(lang, f"receipt.ground.{letter}")
        + " ("
        + phrase(lang, "receipt.article", letter=letter)
        + ")"
    )


def _kept(m: DataMap, entry: dict[str, Any], lang: str) -> dict[str, Any]:
    d = display(lang)
    out = {**_labels(m, entry["table"], lang), "rows": entry["rows"], "basis": entry["basis"]}
    hold = m.retention.holds.get(entry["hold"]) if entry.get("hold") else None
    if entry["basis"] in ("hold", "referenced"):
        out["why"] = _t(hold.labels if hold else None, lang, entry.get("hold") or "")
        out["law"] = entry.get("law")
        out["ground"] = _ground(lang, entry.get("ground"))
        if entry["basis"] == "referenced":
            out["why"] += ". " + phrase(lang, "receipt.referenced")
        until = entry.get("until")
        out["until"] = (
            phrase(lang, "receipt.until", date=d.date(until))
            if until
            else phrase(lang, "receipt.until_unknown")
        )
        out["blocked"] = True
    elif entry["basis"] == "shared":
        out["why"] = phrase(lang, "receipt.shared")
        out["until"] = phrase(lang, "receipt.until_shared")
    else:
        out["why"] = phrase(lang, "receipt.keep", controller=m.controller.name)
        out["until"] = phrase(lang, "receipt.until_unknown")
    return out


def build_receipt(m: DataMap, result: dict[str, Any], *, lang: str) -> dict[str, Any]:
    """The receipt as plain data for the template, from `ErasureResult.as_json()`."""
    if lang not in ("sv", "en", "da"):
        raise SkyddError(f"unknown language '{lang}'", hint="use sv, en or da")
    d = display(lang)
    c = m.controller
    a = for_country(c.country)
    contact = (c.dpo.email if c.dpo else None) or c.email or c.name

    def rows(counts: dict[str, int]) -> list[dict[str, Any]]:
        return [{**_labels(m, k, lang), "rows": n} for k, n in counts.items() if n]

    return {
        "lang": lang,
        "request_id": result["request_id"],
        "as_of": d.date(result.get("as_of") or None),
        "status": result["status"],
        "verified": result["verified"],
        "controller": {"name": c.name, "org_number": c.org_number, "address": c.address,
                       "contact": contact},
        "erased": rows(result["erased"]),
        "anonymised": rows(result["anonymised"]),
        "kept": [_kept(m, k, lang) for k in result["kept"]],
        "unlinked": sum(result.get("unlinked", {}).values()),
        "ambiguous": result.get("ambiguous", 0),
        "notified": [
            {"name": n["name"], "status": n["status"]} for n in result.get("notified", [])
        ],
        "authority": a.name.get(lang) or a.name.get("en") or a.short,
        "authority_site": a.website,
    }  # fmt: skip


def write_receipt(
    m: DataMap, result: dict[str, Any], out: Path, *, lang: str = "sv", pdf: bool | None = None
) -> list[Path]:
    """receipt.json (the result as the CLI prints it), receipt.html and receipt.pdf."""
    receipt = build_receipt(m, result, lang=lang)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SkyddError(f"cannot create the folder {out}: {exc.strerror}") from None
    data = out / "receipt.json"
    data.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    html = render_html("receipt.html.j2", receipt)
    page = out / "receipt.html"
    page.write_text(html, encoding="utf-8")
    files = [data, page]
    if pdf or (pdf is None and pdf_available()):
        write_pdf(html, out / "receipt.pdf")
        files.append(out / "receipt.pdf")
    return files
