"""The breach register as a document (Art. 33(5)): one row per breach, notified or not.

The authority may ask to see the documentation of every breach: its facts, effects,
remedial action, the risk assessment and the decisions with their reasons (LEGAL.md
BR-3). This writes it as a `Book`, so it comes out as XLSX, CSV or HTML like the
Art. 30 records.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from skydd.breach.model import Breach, Clock
from skydd.breach.texts import tr
from skydd.datamap.models import DataMap
from skydd.datamap.validate import taxonomy_for
from skydd.documents.display import display
from skydd.records.sheet import Book, Cell, Column, Sheet

# key -> (sv, en, da, width)
_COLUMNS: dict[str, tuple[str, str, str, int]] = {
    "id": ("Id", "Id", "Id", 13),
    "title": ("Incident", "Breach", "Brud", 22),
    "status": ("Status", "Status", "Status", 9),
    "times": (
        "Inträffade / upptäcktes / anmälan senast",
        "Happened / became aware / report due by",
        "Skete / kendskab / anmeldelse senest",
        26,
    ),
    "nature": ("Vad som hände", "What happened", "Hvad der skete", 34),
    "scope": (
        "Registrerade och uppgifter (ungefärligt antal)",
        "Data subjects and data (approximate numbers)",
        "Registrerede og oplysninger (omtrentligt antal)",
        30,
    ),
    "consequences": (
        "Sannolika konsekvenser",
        "Likely consequences",
        "Sandsynlige konsekvenser",
        28,
    ),
    "measures": ("Åtgärder", "Measures", "Foranstaltninger", 30),
    "risk": ("Riskbedömning", "Risk assessment", "Risikovurdering", 14),
    "authority": (
        "Anmälan till tillsynsmyndigheten",
        "Report to the authority",
        "Anmeldelse til tilsynsmyndigheden",
        30,
    ),
    "people": (
        "Information till de registrerade",
        "Telling the data subjects",
        "Underretning af de registrerede",
        30,
    ),
}
_WORDS: dict[str, tuple[str, str, str]] = {
    "title": (
        "Register över personuppgiftsincidenter",
        "Register of personal data breaches",
        "Fortegnelse over brud på persondatasikkerheden",
    ),
    "sheet": ("Incidenter", "Breaches", "Brud"),
    "open": ("öppen", "open", "åben"),
    "closed": ("avslutad", "closed", "afsluttet"),
    "yes": ("ja", "yes", "ja"),
    "no": ("nej", "no", "nej"),
    "undecided": ("inte beslutat", "not decided", "ikke besluttet"),
    "notified": ("anmäld", "reported", "anmeldt"),
    "told": ("informerade", "told", "underrettet"),
    "late": ("försenad", "late", "forsinket"),
    "overdue": ("FÖRSENAD", "OVERDUE", "FORSINKET"),
    "ref": ("ärende", "case", "sag"),
    "taken": ("vidtagna", "taken", "truffet"),
    "proposed": ("planerade", "proposed", "foreslået"),
    "about": ("cirka", "about", "ca."),
    "unlikely": ("risk osannolik", "risk unlikely", "risiko usandsynlig"),
    "risk": ("risk", "risk", "risiko"),
    "high": ("hög risk", "high risk", "høj risiko"),
}
_LANGS = ("sv", "en", "da")


def _w(lang: str, key: str) -> str:
    return _WORDS[key][_LANGS.index(lang)]


def _decision(
    lang: str, decided: bool | None, done_word: str, done: str | None, reason: str | None
) -> str:
    if decided is None:
        return _w(lang, "undecided")
    if not decided:
        return f"{_w(lang, 'no')}: {reason or ''}".rstrip(": ")
    return f"{_w(lang, 'yes')}, {_w(lang, done_word)} {done}" if done else _w(lang, "yes")


def _row(m: DataMap, lang: str, b: Breach, clock: Clock, zone: ZoneInfo) -> dict[str, Cell]:
    d = display(lang)

    def when(at: datetime | None) -> str:
        return d.datetime(at.astimezone(zone)) if at else "–"

    tax = taxonomy_for(m)
    subjects = [
        m.subjects[s].labels.get(lang) or s if s in m.subjects else s for s in b.subject_categories
    ]
    data = list(dict.fromkeys(tax.labels(c, lang) for c in b.data_categories))
    scope = [", ".join(subjects), ", ".join(data)]
    if b.people_affected is not None:
        scope[0] += f" ({_w(lang, 'about')} {b.people_affected})"
    if b.records_affected is not None:
        scope[1] += f" ({_w(lang, 'about')} {b.records_affected})"
    authority = _decision(
        lang,
        b.notify_authority,
        "notified",
        when(b.authority_notified_at) if b.authority_notified_at else None,
        b.authority_reason,
    )
    if b.authority_reference:
        authority += f" ({_w(lang, 'ref')} {b.authority_reference})"
    if clock.notified_late:
        authority += f"; {_w(lang, 'late')}: {b.late_reason or ''}"
    if clock.overdue:
        authority = f"{_w(lang, 'overdue')}; {authority}"
    exception = tr(lang, f"a.exception.{b.people_exception}") if b.people_exception else None
    people_reason = "; ".join(x for x in (exception, b.people_reason) if x)
    people = _decision(
        lang,
        b.notify_people,
        "told",
        when(b.people_notified_at) if b.people_notified_at else None,
        people_reason,
    )
    measures = [
        f"{_w(lang, 'taken')}: {b.measures_taken}" if b.measures_taken else "",
        f"{_w(lang, 'proposed')}: {b.measures_proposed}" if b.measures_proposed else "",
    ]
    return {
        "id": Cell(b.breach_id),
        "title": Cell(b.title),
        "status": Cell(_w(lang, b.status)),
        "times": Cell("\n".join([when(b.occurred_at), when(b.aware_at), when(clock.deadline)])),
        "nature": Cell(b.nature or "–"),
        "scope": Cell("\n".join(x for x in scope if x) or "–"),
        "consequences": Cell(b.consequences or "–"),
        "measures": Cell("\n".join(x for x in measures if x) or "–"),
        "risk": Cell(_w(lang, b.risk) if b.risk else _w(lang, "undecided")),
        "authority": Cell(authority),
        "people": Cell(people),
    }


def register_book(
    m: DataMap, rows: list[tuple[Breach, Clock]], *, lang: str, zone: ZoneInfo, now: datetime
) -> Book:
    """Every breach with its facts, effects, measures, risk and decisions."""
    i = _LANGS.index(lang)
    columns = [Column(key, str(spec[i]), int(spec[3])) for key, spec in _COLUMNS.items()]
    sheet = Sheet(_w(lang, "sheet"), _w(lang, "title"), columns)
    for b, clock in rows:
        sheet.add(_row(m, lang, b, clock, zone))
    d = display(lang)
    day = now.astimezone(zone).date().isoformat()
    book = Book(_w(lang, "title"), lang, day, sheets=[sheet], list_missing=False)
    book.lines = [m.controller.name, d.datetime(now.astimezone(zone))]
    return book
