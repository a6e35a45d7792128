"""The content of a registerutdrag: every Art. 15 item, per table, for one person.

Pure: from the data map, the rows found and a language to a plain structure
that the JSON, CSV, HTML and PDF renderers share. Nothing here reads a
database or formats a page: values stay as JSON holds them, and the pages
format them for the reader (`skydd.documents.display`).
"""

from __future__ import annotations

import base64
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from skydd.datamap.authorities import EEA, for_country
from skydd.datamap.models import (
    ART6_LETTER,
    Anchor,
    DataMap,
    LegalBasis,
    Person,
    Recipient,
    Table,
    Text,
    TransferMechanism,
    parse_period,
)
from skydd.datamap.taxonomy import Taxonomy
from skydd.datamap.validate import taxonomy_for
from skydd.documents.phrases import has_phrase, phrase
from skydd.identity import BUILTIN_KINDS

# Safeguards that are documents a person can ask for (Art. 13(1)(f), 15(2)); an
# adequacy decision or the DPF is published law, so there is no copy to give.
_COPYABLE = {
    TransferMechanism.scc,
    TransferMechanism.bcr,
    TransferMechanism.uk_idta,
    TransferMechanism.uk_addendum,
}
# Bases that give the Art. 21(1) right to object.
_OBJECTABLE = {LegalBasis.legitimate_interest, LegalBasis.public_task}
_GENERIC_CATEGORIES = ("system", "user.unique_id", "TODO")


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


def _lower_first(text: str) -> str:
    """'Senaste kontakt' -> 'senaste kontakt', but 'IP-adress' stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _sentence(text: str) -> str:
    """A text the map gives as a fragment, ended as a sentence: 'Så länge …' -> 'Så länge ….'"""
    text = text.strip()
    return text + "." if text and text[-1] not in ".!?" else text


def _humanise(name: str) -> str:
    """'fiscal_year_end' -> 'Fiscal year end': the last resort for an unlabelled name."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name


@dataclass(frozen=True)
class _Context:
    m: DataMap
    lang: str
    taxonomy: Taxonomy
    # Purposes no table names, by their subjects: disclosures such as "to the police when
    # the law requires it" or "to a buyer of the business" that concern all the data of
    # those people (Art. 15(1)(a) and (c): the person learns of them too).
    loose: dict[str, frozenset[str]]
    # Where a transfer begins: the EEA, and the UK for a UK controller (UK GDPR).
    home: frozenset[str]
    # The facts of each table, built once per map and language (see _context).
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    def t(self, key: str, **values: Any) -> str:
        return phrase(self.lang, key, **values)

    def purposes_of(self, table: Table) -> list[str]:
        keys = list(table.purposes)
        for col in table.columns.values():
            keys += col.purposes or []
        keys += [p for p, subjects in self.loose.items() if subjects & set(table.subjects)]
        return list(dict.fromkeys(keys))

    @property
    def regulation(self) -> str:
        uk = self.m.controller.country == "GB"
        return self.t("law.uk_gdpr" if uk else "law.gdpr")


# --- purposes and recipients ------------------------------------------------------------


def _purposes(ctx: _Context, keys: Iterable[str]) -> list[dict[str, Any]]:
    out = []
    for key in dict.fromkeys(keys):
        p = ctx.m.purposes.get(key)
        if p is None:
            continue
        basis = p.legal_basis if isinstance(p.legal_basis, LegalBasis) else None
        letter = ART6_LETTER[basis][-2] if basis else None
        out.append(
            {
                "key": key,
                "label": _t(p.labels, ctx.lang, key),
                "description": _t(p.description, ctx.lang) or None,
                "legal_basis": basis.value if basis else None,
                "legal_basis_label": ctx.t(f"basis.{basis.value}") if basis else None,
                "article": ART6_LETTER[basis] if basis else None,
                "citation": ctx.t("cite.art6", letter=letter, regulation=ctx.regulation)
                if letter
                else None,
                "legitimate_interest": _t(p.legitimate_interest, ctx.lang) or None,
                "law": p.law,
                "automated_decision": _t(p.automated_decision, ctx.lang) or None,
                "marketing": p.marketing,
                "consent": basis is LegalBasis.consent,
                "objectable": basis in _OBJECTABLE,
            }
        )
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
    transfer = r.transfer
    mech = transfer.mechanism if transfer else None
    outside = sorted({c for c in [r.country, *r.locations] if c.upper() not in ctx.home})
    label = None
    if mech and mech is not TransferMechanism.none:
        label = ctx.t(f"transfer.{mech.value}")
        if mech is TransferMechanism.scc and transfer and transfer.scc_module:
            label += " (" + ctx.t("transfer.module", n=transfer.scc_module) + ")"
    copy = _t(transfer.copy_available, ctx.lang) if transfer else ""
    if not copy and mech in _COPYABLE:
        copy = ctx.t("doc.copy_default")
    return {
        "key": key,
        "name": r.name,
        "kind": r.kind,
        "kind_label": ctx.t(f"recipient.{r.kind}"),
        "service": _t(r.service, ctx.lang) or None,
        "country": r.country,
        "locations": [c for c in r.locations if c != r.country],
        "outside_eea": outside,
        "transfer": mech.value if mech else None,
        "transfer_label": label,
        "scc_module": transfer.scc_module if transfer else None,
        "safeguard_copy": copy or None,
        "safeguard_missing": bool(outside) and label is None,
        "categories": [ctx.taxonomy.labels(c, ctx.lang) for c in r.categories],
    }


# --- retention ---------------------------------------------------------------------------


def _column_label(ctx: _Context, table: Table | None, name: str) -> str:
    """What a person calls a column: its own label, the glossary, its category, its name."""
    col = table.columns.get(name) if table else None
    if col and col.labels and col.labels.get(ctx.lang):
        return str(col.labels.get(ctx.lang))
    if has_phrase(f"column.{name}"):
        return ctx.t(f"column.{name}")
    for prefix in ("delivery", "billing", "invoice"):
        rest = name.removeprefix(prefix + "_")
        if rest != name and has_phrase(f"column.{rest}"):
            return ctx.t(f"column.prefix.{prefix}", label=ctx.t(f"column.{rest}"))
    if col and table and not col.category.startswith(_GENERIC_CATEGORIES):
        same = [c for c in table.columns.values() if c.category == col.category]
        if len(same) == 1:
            return ctx.taxonomy.labels(col.category, ctx.lang)
    return _humanise(name)


def _anchor_ref(ctx: _Context, system: str, table: Table, ref: str) -> str:
    """The moment a period runs from, to follow "räknat från" / "from" / "regnet fra"."""
    parts = ref.split(".")
    if len(parts) == 1:
        target: Table | None = table
    else:
        sname, tname = (system, parts[0]) if len(parts) == 2 else (parts[0], parts[1])
        sys_decl = ctx.m.systems.get(sname)
        target = sys_decl.tables.get(tname) if sys_decl else None
    name = parts[-1]
    col = target.columns.get(name) if target else None
    if not (col and col.labels) and has_phrase(f"anchor.{name}"):
        return ctx.t(f"anchor.{name}")
    return ctx.t("retention.anchor", label=_lower_first(_column_label(ctx, target, name)))


def _period_text(
    ctx: _Context, period: str | None, anchor: Anchor | None, align: str, system: str, table: Table
) -> str:
    """'7 år räknat från den senaste kontakten, till och med utgången av det kalenderåret'."""
    if not period:
        return ""
    n, unit = parse_period(period)
    parts = [ctx.t(f"unit.{unit}", n=n)]
    refs = ([anchor.column] if anchor.column else list(anchor.latest_of or [])) if anchor else []
    moments = list(dict.fromkeys(_anchor_ref(ctx, system, table, r) for r in refs if r))
    if len(moments) == 1:
        parts.append(ctx.t("retention.from", anchor=moments[0]))
    elif moments:
        listed = ctx.t("list.and", first=", ".join(moments[:-1]), last=moments[-1])
        parts.append(ctx.t("retention.from_latest", anchors=listed))
    text = " ".join(parts)
    if align != "none":
        text += ", " + ctx.t(f"align.{align}")
    return text


def _retention(ctx: _Context, key: str, table: Table) -> list[dict[str, Any]]:
    system = key.split(".", 1)[0]
    out: list[dict[str, Any]] = []
    for name, rule in ctx.m.retention.rules.items():
        if key not in rule.tables:
            continue
        period = _period_text(ctx, rule.period, rule.anchor, rule.align, system, table)
        criterion = _sentence(_t(rule.criterion, ctx.lang))
        then = ctx.t(f"retention.then.{rule.action}")
        text = ctx.t("retention.keep", period=period) if period else criterion
        out.append(
            {
                "rule": name,
                "action": rule.action,
                "label": _t(rule.labels, ctx.lang) or None,
                "period": period or None,
                "text": f"{text} {then}" if text else then,
                "criterion": criterion or None,
                "conditional": bool(rule.where),
                "kind": "rule",
            }
        )
    for name, hold in ctx.m.retention.holds.items():
        if key in hold.tables or (table.erasure and table.erasure.hold == name):
            period = _period_text(ctx, hold.period, hold.anchor, hold.align, system, table)
            label = _t(hold.labels, ctx.lang, name)
            text = ctx.t("retention.hold", label=label, law=hold.law)
            if period:
                text += " " + ctx.t("retention.hold_period", period=period)
            out.append(
                {
                    "rule": name,
                    "action": "hold",
                    "period": period or None,
                    "text": text,
                    "law": hold.law,
                    "ground": hold.ground,
                    "label": label,
                    "kind": "hold",
                }
            )
    return out


# --- one table ---------------------------------------------------------------------------


def _source(ctx: _Context, table: Table) -> dict[str, Any]:
    if table.source is None or table.source.kind == "subject":
        return {"kind": "subject", "text": ctx.t("source.subject"), "description": None}
    described = _t(table.source.description, ctx.lang) or None
    return {
        "kind": table.source.kind,
        "label": ctx.t(f"source.{table.source.kind}"),
        "description": described,
        "text": described or ctx.t(f"source.{table.source.kind}"),
    }


def _columns(ctx: _Context, table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = list(table.columns)
    seen = set(names)
    for row in rows:
        for c in row:
            if c not in seen:
                names.append(c)
                seen.add(c)
    out = []
    for name in names:
        col = table.columns.get(name)
        category = col.category if col else None
        out.append(
            {
                "name": name,
                "label": _column_label(ctx, table, name),
                "category": category,
                "category_label": ctx.taxonomy.labels(category, ctx.lang)
                if category and category != "TODO"
                else None,
                "type": col.type if col else None,
                "declared": col is not None,
            }
        )
    return out


def _portable(ctx: _Context, table: Table, purposes: list[dict[str, Any]]) -> bool:
    provided = table.provided_by_subject
    if provided is None:
        provided = table.source is None or table.source.kind == "subject"
    return bool(provided) and any(p["legal_basis"] in ("consent", "contract") for p in purposes)


def _static_section(ctx: _Context, key: str) -> dict[str, Any]:
    """What a table's section says whatever rows the person has: the Art. 15 facts."""
    system, tname = key.split(".", 1)
    sys_decl = ctx.m.systems[system]
    table = sys_decl.tables[tname]
    purpose_keys = ctx.purposes_of(table)
    # In the order of the columns, as the person will meet them in the table.
    categories = {
        c.category: None
        for c in table.columns.values()
        if c.category != "TODO" and ctx.taxonomy.is_personal(c.category)
    }
    purposes = _purposes(ctx, purpose_keys)
    return {
        "key": key,
        "system": system,
        "system_label": _t(sys_decl.labels, ctx.lang, system),
        "table": tname,
        "label": _t(table.labels, ctx.lang) or _humanise(tname),
        "description": _t(table.description, ctx.lang) or None,
        "columns": _columns(ctx, table, []),
        "purposes": purposes,
        "categories": list(dict.fromkeys(ctx.taxonomy.labels(c, ctx.lang) for c in categories)),
        "category_keys": sorted(categories),
        "recipients": _recipients(ctx, set(categories), set(purpose_keys)),
        "retention": _retention(ctx, key, table),
        "source": _source(ctx, table),
        "stored_in": sys_decl.country or ctx.m.controller.country,
        "portable": _portable(ctx, table, purposes),
        # Pages rendered from these facts alone (the Art. 15 block), filled in by the
        # template on first use and reused by every later report on this map and language.
        "rendered": {},
    }


def table_section(
    ctx: _Context, key: str, rows: list[dict[str, Any]], shared: bool = False
) -> dict[str, Any]:
    """One table's part of the report: its facts (shared by every report on the same map
    and language, so treat them as read-only) and the person's rows."""
    static = ctx.sections.get(key)
    if static is None:
        static = ctx.sections[key] = _static_section(ctx, key)
    columns = static["columns"]
    declared = {c["name"] for c in columns}
    extra = list(dict.fromkeys(c for row in rows for c in row if c not in declared))
    if extra:
        table = ctx.m.systems[static["system"]].tables[static["table"]]
        columns = columns + _columns(ctx, table, [dict.fromkeys(extra)])[len(columns) :]
    return {
        **static,
        "shared": shared,
        "count": len(rows),
        "columns": columns,
        "rows": [{k: plain(v) for k, v in row.items()} for row in rows],
    }


# --- the whole report --------------------------------------------------------------------


_CONTEXTS: OrderedDict[tuple[int, str], _Context] = OrderedDict()
_KEEP = 16


def _context(datamap: DataMap, lang: str) -> _Context:
    """The context for a map and language, kept for the next request on the same map.

    An access request must cost little more than its SELECTs (issue #4), and most of a
    report is the same for everyone: only the rows differ. Maps are immutable (frozen
    models), so a context is reused while the same map object is in use.
    """
    key = (id(datamap), lang)
    ctx = _CONTEXTS.get(key)
    if ctx is None or ctx.m is not datamap:
        ctx = _Context(
            datamap,
            lang,
            taxonomy_for(datamap),
            _loose_purposes(datamap),
            EEA | {datamap.controller.country},
        )
        _CONTEXTS[key] = ctx
        while len(_CONTEXTS) > _KEEP:
            _CONTEXTS.popitem(last=False)
    else:
        _CONTEXTS.move_to_end(key)
    return ctx


def _loose_purposes(m: DataMap) -> dict[str, frozenset[str]]:
    named = {p for _, _, table in m.tables() for p in table.purposes}
    named |= {
        p for _, _, table in m.tables() for c in table.columns.values() for p in c.purposes or []
    }
    return {
        k: frozenset(p.subjects) for k, p in m.purposes.items() if k not in named and p.subjects
    }


def _person(p: Person | None) -> dict[str, Any] | None:
    return p.model_dump(exclude_none=True) if p else None


def _contact(datamap: DataMap) -> dict[str, Any]:
    """Where the person sends requests: the privacy contact, else the DPO, else the company."""
    c = datamap.controller
    for role, person in (("privacy_contact", c.privacy_contact), ("dpo", c.dpo)):
        if person and (person.email or person.address or person.phone):
            return {"role": role, **person.model_dump(exclude_none=True)}
    return {
        "role": "controller",
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "address": c.address,
    }


def _identity_labels(datamap: DataMap, kinds: list[str], lang: str) -> list[str]:
    out = []
    for kind in kinds:
        if kind in datamap.identities:
            out.append(_t(datamap.identities[kind].labels, lang, kind))
        elif kind in BUILTIN_KINDS:
            out.append(BUILTIN_KINDS[kind].labels.get(lang) or kind)
        else:
            out.append(kind)
    return [_lower_first(label) for label in out]


def _systems(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The person's data grouped by system, for the summary."""
    systems: dict[str, dict[str, Any]] = {}
    for s in sections:
        entry = systems.setdefault(
            s["system"],
            {
                "key": s["system"],
                "label": s["system_label"],
                "stored_in": s["stored_in"],
                "tables": [],
                "count": 0,
                "categories": [],
            },
        )
        entry["tables"].append({"key": s["key"], "label": s["label"], "count": s["count"]})
        entry["count"] += s["count"]
        entry["categories"] += [c for c in s["categories"] if c not in entry["categories"]]
    return list(systems.values())


def _rights(sections: list[dict[str, Any]]) -> dict[str, Any]:
    """What the rights section must say for this person: consent, objection, holds."""
    purposes: dict[str, dict[str, Any]] = {}
    holds: dict[str, dict[str, Any]] = {}
    for s in sections:
        purposes.update({p["key"]: p for p in s["purposes"]})
        holds.update({h["rule"]: h for h in s["retention"] if h["kind"] == "hold"})
    every = list(purposes.values())
    return {
        "consent": [p["label"] for p in every if p["consent"]],
        "objection": [p["label"] for p in every if p["objectable"] and not p["marketing"]],
        "marketing": [p["label"] for p in every if p["marketing"]],
        "holds": [{"label": h["label"], "law": h["law"]} for h in holds.values()],
        "portable": [s["key"] for s in sections if s["portable"]],
        "bases": list(dict.fromkeys(p["legal_basis"] for p in every if p["legal_basis"])),
        "recipient_kinds": list(
            dict.fromkeys(r["kind"] for s in sections for r in s["recipients"])
        ),
    }


def _authority(country: str, lang: str) -> dict[str, Any]:
    a = for_country(country)
    name = a.name.get(lang) or a.name.get("en") or a.official_name
    official = a.official_name
    extra = [official] if official != name else []
    extra += [a.short] if a.short and a.short not in name else []
    return {
        "country": a.country,
        "short": a.short,
        "name": name,
        "official_name": official,
        # 'Swedish Authority for Privacy Protection (Integritetsskyddsmyndigheten, IMY)'
        "display_name": f"{name} ({', '.join(extra)})" if extra else name,
        "website": a.website,
        "complaint_url": a.complaint_url,
        "postal_address": a.postal_address,
        "email": a.email,
        "phone": a.phone,
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
    ctx = _context(datamap, lang)
    c = datamap.controller
    sections = [table_section(ctx, k, v) for k, v in rows.items() if v]
    shared_sections = [table_section(ctx, k, v, shared=True) for k, v in shared.items() if v]
    involved = {p["key"] for s in sections + shared_sections for p in s["purposes"]}
    automated = [
        {"purpose": _t(p.labels, lang, k), "text": _t(p.automated_decision, lang)}
        for k, p in datamap.purposes.items()
        if p.automated_decision and k in involved
    ]
    return {
        "request_id": request_id,
        "lang": lang,
        "as_of": as_of.isoformat(),
        "found": bool(sections),
        "identity_kinds": identity_kinds,
        "identities": _identity_labels(datamap, identity_kinds, lang),
        "regulation": ctx.regulation,
        # "outside the EU/EEA", or for a UK controller "outside the UK and the EEA".
        "outside": phrase(lang, "doc.outside_uk_eea" if c.country == "GB" else "doc.outside_eea"),
        "controller": {
            "name": c.name,
            "org_number": c.org_number,
            "address": c.address,
            "email": c.email,
            "phone": c.phone,
            "website": c.website,
            "country": c.country,
            "dpo": _person(c.dpo),
            "privacy_contact": _person(c.privacy_contact),
        },
        "contact": _contact(datamap),
        "authority": _authority(c.country, lang),
        "tables": sections,
        "shared": shared_sections,
        "systems": _systems(sections),
        "recipients": list(
            {x["key"]: x for s in sections + shared_sections for x in s["recipients"]}.values()
        ),
        "rights": _rights(sections + shared_sections),
        "automated_decisions": automated,
        "ambiguous": ambiguous,
        "counts": {s["key"]: s["count"] for s in sections},
    }
