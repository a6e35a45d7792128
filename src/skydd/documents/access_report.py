"""The content of a registerutdrag: every Art. 15 item, per table, for one person.

Pure: from the data map, the rows found and a language to a plain structure
that the JSON, CSV, HTML and PDF renderers share. Nothing here reads a
database or formats a page.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from skydd.datamap.authorities import for_country
from skydd.datamap.models import (
    ART6_LETTER,
    DataMap,
    LegalBasis,
    Recipient,
    RetentionRule,
    Table,
    Text,
)
from skydd.datamap.taxonomy import Taxonomy
from skydd.datamap.validate import taxonomy_for
from skydd.documents.phrases import phrase

_NATIVE = {"SE": "sv", "DK": "da", "GB": "en"}


def plain(value: Any) -> Any:
    """A value as JSON can hold it, readable by a person."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return "base64:" + base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _t(text: Text | None, lang: str, default: str = "") -> str:
    return (text.get(lang) if text else None) or default


def _covers(prefix: str, key: str) -> bool:
    return key == prefix or key.startswith(prefix + ".")


@dataclass(frozen=True)
class _Context:
    m: DataMap
    lang: str
    taxonomy: Taxonomy


def _purposes(ctx: _Context, keys: Iterable[str]) -> list[dict[str, Any]]:
    out = []
    for key in dict.fromkeys(keys):
        p = ctx.m.purposes.get(key)
        if p is None:
            continue
        basis = p.legal_basis if isinstance(p.legal_basis, LegalBasis) else None
        out.append({
            "key": key,
            "label": _t(p.labels, ctx.lang, key),
            "description": _t(p.description, ctx.lang) or None,
            "legal_basis": basis.value if basis else None,
            "legal_basis_label": phrase(ctx.lang, f"basis.{basis.value}") if basis else None,
            "article": ART6_LETTER[basis] if basis else None,
            "legitimate_interest": _t(p.legitimate_interest, ctx.lang) or None,
            "law": p.law,
            "automated_decision": _t(p.automated_decision, ctx.lang) or None,
        })
    return out


def _recipients(ctx: _Context, categories: set[str], purposes: set[str]) -> list[dict[str, Any]]:
    out = []
    for key, r in ctx.m.recipients.items():
        if r.categories and not any(_covers(rc, c) for rc in r.categories for c in categories):
            continue
        if r.purposes and not set(r.purposes) & purposes:
            continue
        out.append(_recipient(ctx, key, r))
    return out


def _recipient(ctx: _Context, key: str, r: Recipient) -> dict[str, Any]:
    mech = r.transfer.mechanism.value if r.transfer else None
    return {
        "key": key,
        "name": r.name,
        "kind": r.kind,
        "kind_label": phrase(ctx.lang, f"recipient.{r.kind}"),
        "service": _t(r.service, ctx.lang) or None,
        "country": r.country,
        "transfer": mech,
        "transfer_label": phrase(ctx.lang, f"transfer.{mech}") if mech else None,
        "scc_module": r.transfer.scc_module if r.transfer else None,
        "categories": [ctx.taxonomy.labels(c, ctx.lang) for c in r.categories],
    }


def _period_text(ctx: _Context, period: str | None, anchor: str | None, align: str) -> str:
    if not period:
        return ""
    from skydd.datamap.models import parse_period

    n, unit = parse_period(period)
    text = phrase(ctx.lang, f"unit.{unit}", n=n)
    if anchor:
        text += " " + phrase(ctx.lang, "retention.after", anchor=anchor)
    if align != "none":
        text += ", " + phrase(ctx.lang, f"align.{align}")
    return text


def _anchor_label(ctx: _Context, system: str, table: Table, rule_anchor: Any) -> str | None:
    if rule_anchor is None:
        return None
    refs = [rule_anchor.column] if rule_anchor.column else list(rule_anchor.latest_of or [])
    labels = []
    for ref in refs:
        col = table.columns.get(ref) if ref and "." not in ref else None
        labels.append(_t(col.labels, ctx.lang, ref) if col and col.labels else ref.replace("_", " "))
    return " / ".join(labels) if labels else None


def _retention(ctx: _Context, key: str, table: Table) -> list[dict[str, Any]]:
    system = key.split(".", 1)[0]
    out: list[dict[str, Any]] = []
    rules: list[tuple[str, RetentionRule]] = [
        (name, r) for name, r in ctx.m.retention.rules.items() if key in r.tables
    ]
    for name, rule in rules:
        anchor = _anchor_label(ctx, system, table, rule.anchor)
        out.append({
            "rule": name,
            "action": rule.action,
            "text": _period_text(ctx, rule.period, anchor, rule.align)
            or _t(rule.criterion, ctx.lang),
            "criterion": _t(rule.criterion, ctx.lang) or None,
            "kind": "rule",
        })
    for name, hold in ctx.m.retention.holds.items():
        if key in hold.tables or (table.erasure and table.erasure.hold == name):
            anchor = _anchor_label(ctx, system, table, hold.anchor)
            out.append({
                "rule": name,
                "action": "hold",
                "text": _period_text(ctx, hold.period, anchor, hold.align),
                "law": hold.law,
                "ground": hold.ground,
                "label": _t(hold.labels, ctx.lang, name),
                "kind": "hold",
            })
    return out


def _source(ctx: _Context, table: Table) -> dict[str, Any]:
    if table.source is None or table.source.kind == "subject":
        return {"kind": "subject", "text": phrase(ctx.lang, "source.subject")}
    return {
        "kind": table.source.kind,
        "text": _t(table.source.description, ctx.lang)
        or phrase(ctx.lang, f"source.{table.source.kind}"),
    }


def _columns(ctx: _Context, table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = list(table.columns)
    for row in rows:
        names += [c for c in row if c not in table.columns and c not in names]
    out = []
    for name in names:
        col = table.columns.get(name)
        category = col.category if col else None
        out.append({
            "name": name,
            "label": _t(col.labels, ctx.lang) if col and col.labels else
            (ctx.taxonomy.labels(category, ctx.lang) if category and category != "TODO" else name),
            "category": category,
            "category_label": ctx.taxonomy.labels(category, ctx.lang)
            if category and category != "TODO" else None,
            "declared": col is not None,
        })
    return out


def table_section(ctx: _Context, key: str, rows: list[dict[str, Any]], shared: bool = False
                  ) -> dict[str, Any]:
    system, tname = key.split(".", 1)
    table = ctx.m.systems[system].tables[tname]
    sys_decl = ctx.m.systems[system]
    purpose_keys = list(table.purposes)
    for col in table.columns.values():
        purpose_keys += col.purposes or []
    categories = {
        c.category for c in table.columns.values()
        if c.category != "TODO" and ctx.taxonomy.is_personal(c.category)
    }
    return {
        "key": key,
        "system": system,
        "system_label": _t(sys_decl.labels, ctx.lang, system),
        "table": tname,
        "label": _t(table.labels, ctx.lang, tname.replace("_", " ")),
        "description": _t(table.description, ctx.lang) or None,
        "shared": shared,
        "count": len(rows),
        "columns": _columns(ctx, table, rows),
        "rows": [{k: plain(v) for k, v in row.items()} for row in rows],
        "purposes": _purposes(ctx, purpose_keys),
        "categories": sorted({ctx.taxonomy.labels(c, ctx.lang) for c in categories}),
        "category_keys": sorted(categories),
        "recipients": _recipients(ctx, categories, set(purpose_keys)),
        "retention": _retention(ctx, key, table),
        "source": _source(ctx, table),
        "stored_in": sys_decl.country or ctx.m.controller.country,
    }


def build_report(
    datamap: DataMap,
    rows: dict[str, list[dict[str, Any]]],
    shared: dict[str, list[dict[str, Any]]],
    *,
    lang: str,
    request_id: str,
    as_of: date,
    identity_kinds: list[str],
    ambiguous: list[dict[str, Any]],
) -> dict[str, Any]:
    """The whole registerutdrag as plain data."""
    ctx = _Context(datamap, lang, taxonomy_for(datamap))
    c = datamap.controller
    authority = for_country(c.country)
    sections = [table_section(ctx, k, v) for k, v in rows.items() if v]
    automated = [
        {"purpose": _t(p.labels, lang, k), "text": _t(p.automated_decision, lang)}
        for k, p in datamap.purposes.items() if p.automated_decision
    ]
    return {
        "request_id": request_id,
        "lang": lang,
        "as_of": as_of.isoformat(),
        "found": bool(sections),
        "identity_kinds": identity_kinds,
        "controller": {
            "name": c.name, "org_number": c.org_number, "address": c.address,
            "email": c.email, "phone": c.phone, "website": c.website, "country": c.country,
            "dpo": c.dpo.model_dump(exclude_none=True) if c.dpo else None,
        },
        "authority": {
            "short": authority.short,
            "name": authority.name.get(lang) or authority.name.get("en"),
            "official_name": authority.name.get(_NATIVE.get(c.country, "en"))
            or authority.name.get("en"),
            "website": authority.website,
            "complaint_url": authority.complaint_url,
            "postal_address": authority.postal_address,
            "email": authority.email,
        },
        "tables": sections,
        "shared": [table_section(ctx, k, v, shared=True) for k, v in shared.items() if v],
        "automated_decisions": automated,
        "ambiguous": ambiguous,
        "counts": {s["key"]: s["count"] for s in sections},
    }
