"""The Article 30 records (LEGAL.md ROPA-1, ROPA-2), built from the data map.

`build_ropa` gives one row per purpose for the controller's record (30(1)) and,
where the map declares `processing_for_others`, one row per such activity for the
processor's record (30(2)). Every ROPA field is either filled from the map or
marked missing with what to add, never left blank.
"""

from __future__ import annotations

from datetime import date

from skydd.datamap.models import (
    ART6_LETTER,
    DataMap,
    LegalBasis,
    ProcessorActivity,
    Recipient,
    RetentionRule,
    parse_period,
)
from skydd.datamap.taxonomy import Taxonomy
from skydd.documents.display import display
from skydd.records import facts
from skydd.records.phrases import check_lang, p
from skydd.records.sheet import Book, Cell, Column, Sheet

CONTROLLER_COLUMNS = (
    ("purpose", 24),
    ("legal_basis", 24),
    ("subjects", 18),
    ("data", 30),
    ("recipients", 34),
    ("transfers", 28),
    ("retention", 34),
    ("security", 36),
    ("controller", 24),
    ("dpo", 22),
    ("joint", 16),
)
"""Art. 30(1) columns: (b) to (g), then (a). ROPA-1 has every one of them."""

PROCESSOR_COLUMNS = (
    ("activity", 24),
    ("processor", 24),
    ("dpo", 22),
    ("controllers", 28),
    ("processing", 34),
    ("data", 28),
    ("sub_processors", 32),
    ("transfers", 30),
    ("security", 36),
    ("agreement", 22),
)


def _missing(lang: str, why: str, hint: str) -> Cell:
    return Cell(f"{p(lang, 'missing')}: {why}", missing=why, hint=hint)


def _controller_cells(m: DataMap, lang: str) -> dict[str, Cell]:
    """Columns (a): the same on every row."""
    c = m.controller
    cells: dict[str, Cell] = {}
    if c.email or c.phone or c.address:
        cells["controller"] = Cell(facts.controller_text(m, lang))
    else:
        cells["controller"] = _missing(
            lang, p(lang, "why.contact"), "controller: add email, phone or address"
        )
    contact = c.dpo or c.privacy_contact
    if contact is not None:
        role = p(lang, "dpo" if c.dpo else "privacy_contact")
        cells["dpo"] = Cell(f"{role}: {facts.person_text(lang, contact)}")
    else:
        cells["dpo"] = _missing(lang, p(lang, "why.dpo"), "controller: add dpo or privacy_contact")
    joint = [f"{p(lang, 'joint')}: {facts.person_text(lang, j)}" for j in c.joint_controllers]
    if c.representative:
        joint.append(f"{p(lang, 'representative')}: {facts.person_text(lang, c.representative)}")
    cells["joint"] = Cell("\n".join(joint) or p(lang, "none"))
    if c.security_measures and c.security_measures.get(lang):
        cells["security"] = Cell(c.security_measures.get(lang) or "")
    else:
        cells["security"] = _missing(
            lang,
            p(lang, "why.security"),
            "controller.security_measures: describe the Art. 32 measures",
        )
    return cells


def _basis(m: DataMap, lang: str, name: str) -> Cell:
    purpose = m.purposes[name]
    basis = purpose.legal_basis
    if basis is None or basis == "TODO":
        return _missing(lang, p(lang, "why.basis"), f"purposes.{name}.legal_basis")
    basis = LegalBasis(basis)
    text = f"{p(lang, f'basis.{basis.value}')} (art. {ART6_LETTER[basis]})"
    if purpose.legitimate_interest and purpose.legitimate_interest.get(lang):
        text += "; " + p(lang, "interest", text=purpose.legitimate_interest.get(lang))
    if purpose.law:
        text += "; " + p(lang, "law", law=purpose.law)
    if purpose.art9_condition:
        text += f"; art. 9(2): {purpose.art9_condition.value}"
    return Cell(text[:1].upper() + text[1:])


def _retention(m: DataMap, lang: str, name: str) -> Cell:
    tables = [
        f"{s}.{t}" for s, t, table in facts.purpose_tables(m, name) if table.personal is not False
    ]
    if not tables:
        return _missing(
            lang, p(lang, "why.no_tables"), f"systems: add purposes: [{name}] to the tables it uses"
        )
    lines: list[str] = []
    covered: set[str] = set()
    for rname, rule in m.retention.rules.items():
        hit = [t for t in rule.tables if t in tables]
        if not hit:
            continue
        covered.update(hit)
        text = (rule.labels.get(lang) if rule.labels else None) or _rule_words(lang, rname, rule)
        lines.append(f"{text} ({', '.join(hit)})")
    for hold in m.retention.holds.values():
        hit = [t for t in hold.tables if t in tables]
        if hit:
            text = p(lang, "hold", label=hold.labels.get(lang) or "", law=hold.law)
            lines.append(text + (f", {_period(lang, hold.period)}" if hold.period else ""))
    uncovered = [t for t in tables if t not in covered]
    if uncovered:
        why = p(lang, "why.retention", tables=", ".join(uncovered))
        hint = "retention.rules: add a rule covering " + ", ".join(uncovered)
        return Cell("\n".join([f"{p(lang, 'missing')}: {why}", *lines]), missing=why, hint=hint)
    return Cell("\n".join(lines))


def _period(lang: str, period: str) -> str:
    n, unit = parse_period(period)
    return p(lang, f"unit.{unit}", n=n)


def _rule_words(lang: str, name: str, rule: RetentionRule) -> str:
    if rule.criterion and rule.criterion.get(lang):
        return rule.criterion.get(lang) or name
    if rule.period is None:
        return p(lang, f"action.{rule.action}")
    anchor = ""
    if rule.anchor:
        anchor = rule.anchor.column or ", ".join(rule.anchor.latest_of or [])
    period = p(lang, "period", period=_period(lang, rule.period), anchor=anchor or "?")
    return f"{period}: {p(lang, f'action.{rule.action}')}"


def _recipients_and_transfers(m: DataMap, lang: str, name: str) -> tuple[Cell, Cell]:
    recipients = facts.purpose_recipients(m, name)
    if not recipients:
        return Cell(p(lang, "no_recipients")), Cell(p(lang, "no_transfers"))
    listed = Cell("\n".join(facts.recipient_text(m, lang, r) for _, r in recipients))
    return listed, _transfers(m, lang, recipients)


def _transfers(m: DataMap, lang: str, recipients: list[tuple[str, Recipient]]) -> Cell:
    d = display(lang)
    lines: list[str] = []
    unsafe: list[str] = []
    for rname, rec in recipients:
        third = facts.third_countries(m, rec)
        if not third:
            continue
        mech = facts.mechanism_text(lang, rec)
        if mech is None:
            unsafe.append(rname)
            continue
        lines.append(f"{rec.name} – {', '.join(d.country(c) for c in third)}: {mech}")
    if unsafe:
        why = p(lang, "why.mechanism", names=", ".join(unsafe))
        hint = "recipients." + ", recipients.".join(unsafe) + ": add 'transfer: {mechanism: …}'"
        return Cell("\n".join([f"{p(lang, 'missing')}: {why}", *lines]), missing=why, hint=hint)
    return Cell("\n".join(lines) or p(lang, "no_transfers"))


def _data(m: DataMap, tax: Taxonomy, lang: str, name: str) -> Cell:
    cats = facts.purpose_categories(m, tax, name)
    if not cats:  # no table of its own (disclosures, cookies): what its recipients receive
        for _, rec in facts.purpose_recipients(m, name):
            cats += [c for c in rec.categories if name in rec.purposes and c not in cats]
    if not cats:
        return _missing(
            lang, p(lang, "why.data"), f"systems: mark the columns used for purpose '{name}'"
        )
    return Cell(", ".join(facts.category_labels(tax, lang, cats)))


def controller_sheet(m: DataMap, lang: str) -> Sheet:
    """The Art. 30(1) record: one row per purpose."""
    tax = facts.taxonomy(m)
    sheet = Sheet(
        p(lang, "sheet.controller"),
        p(lang, "sheet.controller"),
        [Column(k, p(lang, f"col.{k}"), w) for k, w in CONTROLLER_COLUMNS],
    )
    common = _controller_cells(m, lang)
    for name, purpose in m.purposes.items():
        label = purpose.labels.get(lang) or name
        if purpose.description and purpose.description.get(lang):
            label += f"\n{purpose.description.get(lang)}"
        subjects = facts.subjects_of(m, name)
        recipients, transfers = _recipients_and_transfers(m, lang, name)
        sheet.add(
            {
                **common,
                "purpose": Cell(label),
                "legal_basis": _basis(m, lang, name),
                "subjects": Cell(", ".join(facts.subject_labels(m, lang, subjects)))
                if subjects
                else _missing(lang, p(lang, "why.subjects"), f"purposes.{name}.subjects"),
                "data": _data(m, tax, lang, name),
                "recipients": recipients,
                "transfers": transfers,
                "retention": _retention(m, lang, name),
            }
        )
    return sheet


def _activity_row(m: DataMap, lang: str, name: str, act: ProcessorActivity) -> dict[str, Cell]:
    tax = facts.taxonomy(m)
    common = _controller_cells(m, lang)
    controllers = act.controllers.get(lang) or ""
    if act.controller_register:
        controllers += f" ({p(lang, 'listed_in', table=act.controller_register)})"
    subs = [(r, m.recipients[r]) for r in act.sub_processors if r in m.recipients]
    security = act.security_measures or m.controller.security_measures
    return {
        "activity": Cell(act.labels.get(lang) or name),
        "processor": common["controller"],
        "dpo": common["dpo"],
        "controllers": Cell(controllers),
        "processing": Cell(act.processing.get(lang) or ""),
        "data": Cell(", ".join(facts.category_labels(tax, lang, act.categories)))
        if act.categories
        else _missing(lang, p(lang, "why.categories"), f"processing_for_others.{name}.categories"),
        "sub_processors": Cell("\n".join(facts.recipient_text(m, lang, r) for _, r in subs))
        if subs
        else Cell(p(lang, "none")),
        "transfers": _transfers(m, lang, list(subs)),
        "security": Cell(security.get(lang) or "")
        if security and security.get(lang)
        else _missing(
            lang, p(lang, "why.security"), f"processing_for_others.{name}.security_measures"
        ),
        "agreement": Cell(act.agreement)
        if act.agreement
        else _missing(lang, p(lang, "why.agreement"), f"processing_for_others.{name}.agreement"),
    }


def processor_sheet(m: DataMap, lang: str) -> Sheet:
    """The Art. 30(2) record: one row per activity carried out for other controllers."""
    sheet = Sheet(
        p(lang, "sheet.processor"),
        p(lang, "sheet.processor"),
        [Column(k, p(lang, f"col.{k}"), w) for k, w in PROCESSOR_COLUMNS],
    )
    for name, act in m.processing_for_others.items():
        sheet.add(_activity_row(m, lang, name, act))
    return sheet


def build_ropa(m: DataMap, *, lang: str = "sv", today: date | None = None) -> Book:
    """The Art. 30 records of the map: 30(1) always, 30(2) when it processes for others."""
    check_lang(lang)
    day = today or date.today()
    book = Book(p(lang, "ropa.title"), lang, day.isoformat())
    book.lines = [
        facts.controller_text(m, lang),
        p(lang, "doc.as_of", date=display(lang).date(day)),
    ]
    book.sheets.append(controller_sheet(m, lang))
    if m.processing_for_others:
        book.sheets.append(processor_sheet(m, lang))
    return book
