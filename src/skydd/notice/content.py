"""What the privacy notice says, in one language: every Art. 13 and 14 item from the map.

Pure: from the data map and a language to a plain structure that the HTML, Markdown
and PDF templates share. The notice is grouped as a reader asks: who you are, may I
object, what you hold and from where, why and for how long, who receives it, where it
goes, cookies, automated decisions, my rights, where to complain. Words come from the
phrase tables (`skydd.notice.phrases`, `skydd.documents.phrases`); the facts of each
purpose, recipient and retention rule are those the registerutdrag shows
(`skydd.documents.access_report`), so the two documents cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from skydd.datamap.authorities import old_name_mentions
from skydd.datamap.models import DataMap, RetentionRule, Table, Text
from skydd.documents.access_report import (
    _anchor_ref,
    _authority,
    _Context,
    _context,
    _purposes,
    _recipient,
    _sentence,
    _t,
)
from skydd.documents.display import display
from skydd.notice.durations import duration, lifetime
from skydd.notice.phrases import t

# Where a text the company wrote under `notice.extra` belongs; any other key goes to
# "More about how we handle your data".
EXTRA_SECTIONS = {
    "sources": "data",
    "card_payments": "data",
    "no_sensitive_data": "data",
    "legal_bases": "purposes",
    "blocking": "holds",
    "recipients": "recipients",
    "no_sale": "recipients",
    "transfers": "transfers",
    "cookies": "cookies",
    "opt_out": "object",
    "marketing": "object",
    "rights": "rights",
    "access": "security",
    "access_control": "security",
    "security": "security",
}
# Categories a reader knows as one thing: first and last name are "name".
_ROLL_UP = ("user.name", "user.contact.address")
# Bases whose Art. 13(2)(e) answer follows from the basis itself, when the map gives none.
_REQUIRED = ("contract", "legal_obligation", "consent")
_COOKIE_ORDER = ("necessary", "preferences", "analytics", "marketing")


def lower_first(text: str) -> str:
    """'Senaste kontakt' -> 'senaste kontakt', 'E-postadress' -> 'e-postadress'; 'IP-adress'
    and 'CRM' stay as they are."""
    if len(text) > 1 and text[0].isupper():
        rest = text[1:]
        if rest[0].islower() or (rest[0] == "-" and rest[1:2].islower()):
            return text[0].lower() + rest
    return text


def table_key(system: str, table: str) -> str:
    return f"{system}.{table}"


def named_purposes(m: DataMap) -> dict[str, list[str]]:
    """Purpose → the tables that name it (on the table or on a column), in map order."""
    out: dict[str, list[str]] = {p: [] for p in m.purposes}
    for sname, tname, table in m.tables():
        keys = list(table.purposes) + [p for c in table.columns.values() for p in c.purposes or []]
        for p in dict.fromkeys(keys):
            if p in out:
                out[p].append(table_key(sname, tname))
    return out


def rolled_up(key: str) -> str:
    """The category a reader recognises: 'user.name.first' -> 'user.name'."""
    for parent in _ROLL_UP:
        if key.startswith(parent + "."):
            return parent
    return ".".join(key.split(".")[:3])


def category_labels(ctx: _Context, keys: Iterable[str]) -> list[str]:
    labels = [ctx.taxonomy.labels(rolled_up(k), ctx.lang) for k in keys if k != "TODO"]
    return list(dict.fromkeys(labels))


def table_categories(ctx: _Context, table: Table) -> list[str]:
    return [c.category for c in table.columns.values() if ctx.taxonomy.is_personal(c.category)]


def _table(m: DataMap, key: str) -> Table | None:
    system, _, name = key.partition(".")
    decl = m.systems.get(system)
    return decl.tables.get(name) if decl else None


def _table_label(ctx: _Context, key: str) -> str:
    table = _table(ctx.m, key)
    return _t(table.labels if table else None, ctx.lang) or key.split(".", 1)[-1]


def _what(ctx: _Context, keys: list[str]) -> str:
    """'Kontaktpersoner, order och orderrader' from the tables' labels."""
    labels = list(dict.fromkeys(_table_label(ctx, k) for k in keys))
    labels = [labels[0], *(lower_first(x) for x in labels[1:])] if labels else []
    return display(ctx.lang).join(labels)


# --- retention ---------------------------------------------------------------------------


def _how_long(ctx: _Context, period: str | None, anchor: Any, align: str, first_table: str) -> str:
    """'sju år efter den senaste kontakten' (without what happens then)."""
    if not period:
        return ""
    words = duration(ctx.lang, period)
    refs = ([anchor.column] if anchor.column else list(anchor.latest_of or [])) if anchor else []
    system = first_table.split(".", 1)[0]
    table = _table(ctx.m, first_table)
    if table is None or not refs:
        return words
    moments = list(dict.fromkeys(_anchor_ref(ctx, system, table, r) for r in refs if r))
    if len(moments) == 1:
        return t(ctx.lang, "n.ret.after", duration=words, anchor=moments[0])
    listed = t(ctx.lang, "n.list.or", first=", ".join(moments[:-1]), last=moments[-1])
    return t(ctx.lang, "n.ret.after_latest", duration=words, anchors=listed)


def rule_text(ctx: _Context, rule: RetentionRule, tables: list[str]) -> str:
    """'Kontaktpersoner: sju år efter den senaste kontakten, raderas vid årets slut.'"""
    what = _what(ctx, tables)
    if rule.where and rule.labels:
        # A condition on rows (AS-6: visitors not linked to a person) is the company's to
        # put in words; the label says it.
        return _sentence(_t(rule.labels, ctx.lang))
    how = _how_long(ctx, rule.period, rule.anchor, rule.align, rule.tables[0])
    if how:
        then = t(ctx.lang, f"n.then.{rule.action}.{rule.align}")
        return t(ctx.lang, "n.ret.item", what=what, how=f"{how}, {then}")
    criterion = _t(rule.criterion, ctx.lang) or _t(rule.labels, ctx.lang)
    return t(ctx.lang, "n.ret.item", what=what, how=lower_first(criterion.rstrip(".")))


def _retention(ctx: _Context, tables: list[str]) -> list[str]:
    out = []
    for rule in ctx.m.retention.rules.values():
        covered = [k for k in rule.tables if k in tables]
        if covered:
            out.append(rule_text(ctx, rule, covered))
    return list(dict.fromkeys(out))


def _holds(ctx: _Context) -> list[str]:
    out = []
    for name, hold in ctx.m.retention.holds.items():
        label = _t(hold.labels, ctx.lang, name)
        if not hold.tables:
            out.append(t(ctx.lang, "n.hold_person", label=label, law=hold.law))
            continue
        what = _what(ctx, hold.tables)
        how = _how_long(ctx, hold.period, hold.anchor, "none", hold.tables[0])
        if how and hold.align != "none":
            how += ", " + t(ctx.lang, f"align.{hold.align}")
        key = "n.hold" if how else "n.hold_open"
        out.append(t(ctx.lang, key, what=what, law=hold.law, how=how))
    return out


# --- purposes ----------------------------------------------------------------------------


def _purpose_sections(ctx: _Context) -> list[dict[str, Any]]:
    named = named_purposes(ctx.m)
    out = []
    for p in _purposes(ctx, ctx.m.purposes):
        decl = ctx.m.purposes[p["key"]]
        basis = p["legal_basis"]
        art9 = None
        if decl.art9_condition:
            letter = "abcdefghij"[list(type(decl.art9_condition)).index(decl.art9_condition)]
            art9 = t(
                ctx.lang,
                "n.art9",
                letter=letter,
                regulation=ctx.regulation,
                condition=t(ctx.lang, f"art9.{decl.art9_condition.value}"),
            )
        tables = named[p["key"]]
        out.append(
            {
                **p,
                "basis_text": t(
                    ctx.lang, "n.basis", basis=p["legal_basis_label"], citation=p["citation"]
                )
                if basis
                else None,
                "basis_explain": t(ctx.lang, f"basis.{basis}.explain") if basis else None,
                "law_text": t(ctx.lang, "n.law", law=decl.law.rstrip(".")) if decl.law else None,
                "art9": art9,
                "requirement": _t(decl.requirement, ctx.lang)
                or (t(ctx.lang, f"n.req.{basis}") if tables and basis in _REQUIRED else None),
                "retention": _retention(ctx, tables),
                "disclosure_only": not tables,
            }
        )
    return out


# --- data and sources --------------------------------------------------------------------


def _subject_sections(ctx: _Context) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for key, subject in ctx.m.subjects.items():
        groups[key] = {
            "key": key,
            "label": _t(subject.labels, ctx.lang, key),
            "description": _t(subject.description, ctx.lang) or None,
            "categories": [],
            "sources": {},
        }
    for _, _, table in ctx.m.tables():
        if table.personal is False:
            continue
        cats = table_categories(ctx, table)
        for subject_key in table.subjects or []:
            group = groups.get(subject_key)
            if group is None:
                continue
            group["categories"] += cats
            if table.source and table.source.kind != "subject":
                source = t(ctx.lang, f"source.{table.source.kind}")
                described = _t(table.source.description, ctx.lang)
                # "From another source." says nothing a description does not say better.
                if described and table.source.kind == "other":
                    text = _sentence(described)
                else:
                    text = f"{source} {_sentence(described)}" if described else source
                group["sources"].setdefault(text, []).extend(cats)
    out = []
    for g in groups.values():
        if not g["categories"]:
            continue
        g["categories"] = category_labels(ctx, g["categories"])
        g["sources"] = [
            {"text": text, "categories": category_labels(ctx, cats)}
            for text, cats in g["sources"].items()
        ]
        out.append(g)
    return out


# --- recipients and transfers ------------------------------------------------------------


def _recipients(ctx: _Context) -> list[dict[str, Any]]:
    d = display(ctx.lang)
    out = []
    for key, r in ctx.m.recipients.items():
        entry = _recipient(ctx, key, r)
        countries = [r.country, *entry["locations"]]
        entry["countries"] = d.countries(countries)
        entry["country_name"] = d.country(r.country)
        entry["data"] = (
            display(ctx.lang).join([lower_first(x) for x in category_labels(ctx, r.categories)])
            if r.categories
            else t(ctx.lang, "n.all_data")
        )
        entry["data"] = entry["data"][:1].upper() + entry["data"][1:]
        entry["kind_explain"] = t(ctx.lang, f"recipient.{r.kind}.explain")
        if entry["outside_eea"]:
            entry["transfer_text"] = (
                t(ctx.lang, "transfer.relies", mechanism=entry["transfer_label"])
                if entry["transfer_label"]
                else t(ctx.lang, "transfer.unstated")
            )
            entry["outside_names"] = d.countries(entry["outside_eea"])
        out.append(entry)
    return out


# --- cookies -----------------------------------------------------------------------------


def _cookies(ctx: _Context, controller: str) -> dict[str, Any]:
    groups = []
    for category in _COOKIE_ORDER:
        items = [
            {
                "name": c.name,
                "kind": t(ctx.lang, f"n.kind.{c.kind}") if c.kind != "cookie" else None,
                "party": controller if c.party == "first" else c.party,
                "purpose": _sentence(_t(c.purpose, ctx.lang)),
                "lifetime": lifetime(ctx.lang, c.lifetime),
            }
            for c in ctx.m.cookies
            if c.category.value == category
        ]
        if items:
            groups.append(
                {
                    "category": category,
                    "label": t(ctx.lang, f"n.cookie.{category}"),
                    "consent": category != "necessary",
                    "rows": items,
                }
            )
    only_necessary = all(g["category"] == "necessary" for g in groups)
    return {"groups": groups, "only_necessary": only_necessary}


# --- contact, rights, extras -------------------------------------------------------------


def _reach(*people: Any) -> str:
    """The best way to write to the first of ``people`` who can be reached: email first."""
    for field in ("email", "phone", "address"):
        for person in people:
            value = getattr(person, field, None) if person else None
            if value:
                return str(value)
    return ""


def _contacts(m: DataMap) -> dict[str, Any]:
    c = m.controller
    return {
        "dpo": _reach(c.dpo) or None,
        "privacy": _reach(c.privacy_contact) or None,
        "requests": _reach(c.privacy_contact, c.dpo, c),
        "representative": {"name": c.representative.name, "contact": _reach(c.representative)}
        if c.representative and c.representative.name
        else None,
        "joint": [p.name for p in c.joint_controllers if p.name],
    }


def extra_texts(m: DataMap, lang: str) -> dict[str, list[str]]:
    """The company's own texts by section. A text that still names a former authority
    (Datainspektionen) is left out; the completeness check reports it."""
    out: dict[str, list[str]] = {}
    for key, text in m.notice.extra.items():
        value = text.get(lang)
        if not value or old_name_mentions(value):
            continue
        out.setdefault(EXTRA_SECTIONS.get(key, "more"), []).append(value.strip())
    return out


def _objection(ctx: _Context, purposes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "interest": [
            {"label": p["label"], "interest": p["legitimate_interest"]}
            for p in purposes
            if p["objectable"] and not p["marketing"]
        ],
        "marketing": [p["label"] for p in purposes if p["marketing"]],
    }


def _text(value: Text | None, lang: str) -> str | None:
    return (value.get(lang) if value else None) or None


def build(datamap: DataMap, lang: str, *, request_url: str | None = None) -> dict[str, Any]:
    """The whole notice in ``lang`` as plain data, for the templates."""
    ctx = _context(datamap, lang)
    c = datamap.controller
    purposes = _purpose_sections(ctx)
    recipients = _recipients(ctx)
    automated = [
        {"purpose": p["label"], "text": p["automated_decision"]}
        for p in purposes
        if p["automated_decision"]
    ]
    holds = [h.labels.get(lang) or k for k, h in datamap.retention.holds.items() if h.tables]
    return {
        "lang": lang,
        "controller": {
            "name": c.name,
            "org_number": c.org_number,
            "org_label": t(lang, "doc.org_number.DK" if c.country == "DK" else "doc.org_number"),
            "address": c.address,
            "email": c.email,
            "phone": c.phone,
            "website": c.website,
            "country": c.country,
        },
        "intro": _text(datamap.notice.intro, lang) or t(lang, "n.intro_default", controller=c.name),
        "contact_text": _text(datamap.notice.contact, lang),
        "contacts": _contacts(datamap),
        "request_url": request_url,
        "outside": t(lang, "doc.outside_uk_eea" if c.country == "GB" else "doc.outside_eea"),
        "subjects": _subject_sections(ctx),
        "any_sources": any(
            t_.source and t_.source.kind != "subject" for _, _, t_ in datamap.tables()
        ),
        "purposes": purposes,
        "holds": _holds(ctx),
        "hold_labels": holds,
        "objection": _objection(ctx, purposes),
        "consent": [p["label"] for p in purposes if p["consent"]],
        "portable": any(p["legal_basis"] in ("consent", "contract") for p in purposes),
        "recipients": recipients,
        "transfers": [r for r in recipients if r["outside_eea"]],
        "recipient_kinds": list(dict.fromkeys(r["kind"] for r in recipients)),
        "cookies": _cookies(ctx, c.name),
        "automated": automated,
        "authority": _authority(c.country, lang),
        "security": _text(c.security_measures, lang),
        "extra": extra_texts(datamap, lang),
    }
