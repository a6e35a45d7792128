"""The processor register (PRC-1) and the transfer register (PRC-2, PRC-3), from the map.

Each entry is a typed record (for JSON and the dashboard) and a row of a `Book`
(for XLSX, CSV and HTML). Dates are judged as of a day that the caller passes, so
an overdue review or DPF check shows the same way in a test as on the day it is due;
the same findings come from `skydd check` (SKD203, SKD204, SKD209 to SKD212).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from skydd.datamap.lint import Finding, lint
from skydd.datamap.models import DataMap, Recipient
from skydd.documents.display import display
from skydd.records import facts
from skydd.records.phrases import check_lang, p
from skydd.records.sheet import Book, Cell, Column, Sheet

PROCESSOR_KINDS = ("processor", "sub_processor")


@dataclass(frozen=True)
class ProcessorEntry:
    """One processor or sub-processor (PRC-1)."""

    key: str
    name: str
    kind: str
    service: str | None
    country: str
    locations: list[str]
    categories: list[str]
    hosted: dict[str, list[str]]  # system -> personal data categories stored there
    subjects: list[str]
    purposes: list[str]
    dpa_reference: str | None
    dpa_signed: date | None
    review_date: date | None
    review_overdue: bool
    transfer: str | None
    tia: str | None
    findings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        for k in ("dpa_signed", "review_date"):
            data[k] = data[k].isoformat() if data[k] else None
        return data


@dataclass(frozen=True)
class TransferEntry:
    """One recipient outside the controller's home area, or with a declared mechanism (PRC-2)."""

    key: str
    name: str
    kind: str
    country: str
    third_countries: list[str]
    adequacy: str | None
    mechanism: str | None
    scc_module: int | None
    certification_checked: date | None
    next_check: date | None
    check_overdue: bool
    tia: str | None
    findings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        for k in ("certification_checked", "next_check"):
            data[k] = data[k].isoformat() if data[k] else None
        return data


def _findings(m: DataMap, today: date) -> dict[str, list[Finding]]:
    by: dict[str, list[Finding]] = {}
    for f in lint(m, today=today):
        if len(f.path) >= 2 and f.path[0] == "recipients" and f.code.startswith("SKD2"):
            by.setdefault(str(f.path[1]), []).append(f)
    return by


def _hosted(m: DataMap, key: str) -> dict[str, list[str]]:
    tax = facts.taxonomy(m)
    hosted: dict[str, list[str]] = {}
    for sname, system in m.systems.items():
        if system.processor != key:
            continue
        cats: list[str] = []
        for table in system.tables.values():
            cats += [
                c.category
                for c in table.columns.values()
                if tax.is_personal(c.category) and c.category not in cats
            ]
        hosted[sname] = cats
    return hosted


def processors(m: DataMap, today: date) -> list[ProcessorEntry]:
    """Every processor and sub-processor, in map order."""
    found = _findings(m, today)
    entries = []
    for key, r in m.recipients.items():
        if r.kind not in PROCESSOR_KINDS:
            continue
        subjects: list[str] = []
        for purpose in r.purposes:
            if purpose in m.purposes:
                subjects += [s for s in facts.subjects_of(m, purpose) if s not in subjects]
        entries.append(
            ProcessorEntry(
                key=key,
                name=r.name,
                kind=r.kind,
                service=r.service.get("en") if r.service else None,
                country=r.country,
                locations=list(r.locations),
                categories=list(r.categories),
                hosted=_hosted(m, key),
                subjects=subjects,
                purposes=list(r.purposes),
                dpa_reference=r.dpa.reference if r.dpa else None,
                dpa_signed=r.dpa.signed if r.dpa else None,
                review_date=r.review_date,
                review_overdue=bool(r.review_date and r.review_date < today),
                transfer=r.transfer.mechanism.value if r.transfer else None,
                tia=r.transfer.tia if r.transfer else None,
                findings=[f"{f.code}: {f.message}" for f in found.get(key, [])],
            )
        )
    return entries


def transfers(m: DataMap, today: date) -> list[TransferEntry]:
    """Every recipient that receives data in a third country or declares a mechanism."""
    found = _findings(m, today)
    entries = []
    for key, r in m.recipients.items():
        third = facts.third_countries(m, r)
        if not third and r.transfer is None:
            continue
        t = r.transfer
        next_check = facts.dpf_next_check(r)
        entries.append(
            TransferEntry(
                key=key,
                name=r.name,
                kind=r.kind,
                country=r.country,
                third_countries=third,
                adequacy=facts.adequacy(m, r.country),
                mechanism=t.mechanism.value if t else None,
                scc_module=t.scc_module if t else None,
                certification_checked=t.certification_checked if t else None,
                next_check=next_check,
                check_overdue=bool(next_check and next_check < today),
                tia=t.tia if t else None,
                findings=[f"{f.code}: {f.message}" for f in found.get(key, [])],
            )
        )
    return entries


def _missing(lang: str, why: str, hint: str) -> Cell:
    return Cell(f"{p(lang, 'missing')}: {p(lang, why)}", missing=p(lang, why), hint=hint)


def _date_status(lang: str, day: date | None, overdue: bool) -> str:
    if day is None:
        return ""
    d = display(lang)
    return p(lang, "status.overdue" if overdue else "status.due", date=d.date(day))


def processor_register(m: DataMap, *, lang: str = "sv", today: date | None = None) -> Book:
    """PRC-1 as a book of one sheet."""
    check_lang(lang)
    day = today or date.today()
    d = display(lang)
    tax = facts.taxonomy(m)
    keys = (
        "name",
        "kind",
        "service",
        "country",
        "locations",
        "categories",
        "hosted",
        "reg_subjects",
        "purposes",
        "dpa",
        "dpa_signed",
        "review",
        "mechanism",
        "status",
    )
    sheet = Sheet(
        p(lang, "sheet.processors"),
        p(lang, "register.processors"),
        [Column(k, p(lang, f"col.{k}"), 40 if k in ("categories", "hosted") else 24) for k in keys],
    )
    for e in processors(m, day):
        r = m.recipients[e.key]
        hosted = "\n".join(
            f"{p(lang, 'hosts', systems=s)}: {', '.join(facts.category_labels(tax, lang, c))}"
            for s, c in e.hosted.items()
        )
        sheet.add(
            {
                "name": Cell(e.name),
                "kind": Cell(p(lang, f"kind.{e.kind}")),
                "service": Cell((r.service.get(lang) if r.service else None) or ""),
                "country": Cell(d.country(e.country)),
                "locations": Cell(", ".join(d.country(c) for c in e.locations)),
                "categories": Cell(", ".join(facts.category_labels(tax, lang, e.categories))),
                "hosted": Cell(hosted),
                "reg_subjects": Cell(", ".join(facts.subject_labels(m, lang, e.subjects))),
                "purposes": Cell(
                    ", ".join(
                        m.purposes[x].labels.get(lang) or x for x in e.purposes if x in m.purposes
                    )
                ),
                "dpa": Cell(e.dpa_reference)
                if e.dpa_reference
                else _missing(lang, "why.dpa", f"recipients.{e.key}.dpa"),
                "dpa_signed": Cell(d.date(e.dpa_signed) if e.dpa_signed else ""),
                "review": Cell(_date_status(lang, e.review_date, e.review_overdue))
                if e.review_date
                else _missing(lang, "why.review", f"recipients.{e.key}.review_date"),
                "mechanism": Cell(facts.mechanism_text(lang, r) or ""),
                "status": Cell("\n".join(e.findings) or p(lang, "status.ok")),
            }
        )
    book = Book(p(lang, "register.processors"), lang, day.isoformat(), sheets=[sheet])
    book.lines = [facts.controller_text(m, lang), p(lang, "doc.as_of", date=d.date(day))]
    return book


def _mechanism_cell(m: DataMap, lang: str, e: TransferEntry, r: Recipient) -> Cell:
    text = facts.mechanism_text(lang, r)
    if text is None:
        return Cell(
            f"{p(lang, 'missing')}: {p(lang, 'why.mechanism', names=e.key)}",
            missing=p(lang, "why.mechanism", names=e.key),
            hint=f"recipients.{e.key}.transfer",
        )
    return Cell(text)


def transfer_register(m: DataMap, *, lang: str = "sv", today: date | None = None) -> Book:
    """PRC-2 and PRC-3 as a book of one sheet."""
    check_lang(lang)
    day = today or date.today()
    d = display(lang)
    keys = (
        "name",
        "kind",
        "country",
        "adequacy",
        "mechanism",
        "dpf_checked",
        "dpf_due",
        "tia",
        "status",
    )
    sheet = Sheet(
        p(lang, "sheet.transfers"),
        p(lang, "register.transfers"),
        [Column(k, p(lang, f"col.{k}"), 40 if k == "mechanism" else 24) for k in keys],
    )
    for e in transfers(m, day):
        r = m.recipients[e.key]
        needs_tia = e.mechanism in ("scc", "bcr", "uk_idta", "uk_addendum")
        countries = [e.country, *[c for c in e.third_countries if c != e.country]]
        sheet.add(
            {
                "name": Cell(e.name),
                "kind": Cell(p(lang, f"kind.{e.kind}")),
                "country": Cell(", ".join(d.country(c) for c in countries)),
                "adequacy": Cell(e.adequacy or p(lang, "none")),
                "mechanism": _mechanism_cell(m, lang, e, r),
                "dpf_checked": Cell(
                    d.date(e.certification_checked) if e.certification_checked else ""
                ),
                "dpf_due": Cell(_date_status(lang, e.next_check, e.check_overdue)),
                "tia": Cell(e.tia)
                if e.tia
                else (
                    _missing(lang, "why.tia", f"recipients.{e.key}.transfer.tia")
                    if needs_tia
                    else Cell("")
                ),
                "status": Cell("\n".join(e.findings) or p(lang, "status.ok")),
            }
        )
    book = Book(p(lang, "register.transfers"), lang, day.isoformat(), sheets=[sheet])
    book.lines = [facts.controller_text(m, lang), p(lang, "doc.as_of", date=d.date(day))]
    return book


def register_json(m: DataMap, which: str, today: date) -> dict[str, object]:
    """The typed entries of one register, for `--format json` and the dashboard."""
    entries = processors(m, today) if which == "processors" else transfers(m, today)
    return {
        "register": which,
        "as_of": today.isoformat(),
        "entries": [e.as_dict() for e in entries],
    }
