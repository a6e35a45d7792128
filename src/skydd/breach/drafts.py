"""Notification drafts: to the supervisory authority (Art. 33(3)) and to the people (Art. 34(2)).

The authority comes from the controller's country (`authorities.for_country`) and
the draft is in its language unless another is asked for: IMY in Swedish,
Datatilsynet in Danish, the ICO in English. An item the register does not hold yet
is marked as to follow (Art. 33(4)), never left out.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from skydd.breach.model import Breach, BreachError, breach_clock, controller_zone
from skydd.breach.texts import LANGS, tr
from skydd.datamap.authorities import Authority, for_country
from skydd.datamap.models import DataMap
from skydd.datamap.validate import taxonomy_for
from skydd.documents.display import display

_LOCALES = {"sv": "sv_SE", "en": "en_GB", "da": "da_DK"}


def _when(lang: str, at: datetime | None, zone: ZoneInfo) -> str:
    """'27 mars 2026 kl. 10:00 CET': the zone named, so a time across a change is clear."""
    if at is None:
        return tr(lang, "missing")
    local = at.astimezone(zone)
    day = display(lang).date(local.date())
    return tr(lang, "a.at", date=day, time=f"{local:%H:%M}", zone=local.tzname() or "")


def _lower_rest(labels: list[str]) -> list[str]:
    """Labels in running text: 'E-postadress, namn', but 'IP-adress' stays as written."""
    return labels[:1] + [
        x[:1].lower() + x[1:] if len(x) > 1 and x[1].islower() else x for x in labels[1:]
    ]


def _contact(m: DataMap, b: Breach) -> str | None:
    if b.contact:
        return b.contact
    person = m.controller.dpo or m.controller.privacy_contact
    if person is not None:
        return ", ".join(x for x in (person.name, person.email, person.phone) if x)
    return m.controller.email


def _labels(m: DataMap, lang: str, b: Breach) -> tuple[str, str]:
    tax = taxonomy_for(m)
    subjects = [
        (m.subjects[s].labels.get(lang) or s) if s in m.subjects else s
        for s in b.subject_categories
    ]
    data = list(dict.fromkeys(tax.labels(c, lang) for c in b.data_categories))
    return ", ".join(_lower_rest(subjects)), ", ".join(_lower_rest(data))


def authority_for(m: DataMap) -> Authority:
    return for_country(m.controller.country)


def draft_lang(m: DataMap, lang: str | None) -> str:
    chosen = lang or authority_for(m).reader_lang
    if chosen not in LANGS:
        raise BreachError(f"unknown language '{chosen}'", hint="use sv, en or da")
    return chosen


def draft_authority(m: DataMap, b: Breach, *, lang: str | None = None, now: datetime) -> str:
    """The Art. 33 notification as text, with every Art. 33(3) item."""
    lang = draft_lang(m, lang)
    zone = controller_zone(m)
    authority = authority_for(m)
    clock = breach_clock(b, now, zone)
    missing: list[str] = []

    def item(value: str | None, label_key: str) -> str:
        if value:
            return value
        missing.append(tr(lang, label_key).split(" (")[0].lower())
        return tr(lang, "missing")

    c = m.controller
    subjects, data = _labels(m, lang, b)
    d = display(lang)

    def about(n: int | None) -> str | None:
        return tr(lang, "a.about", n=format_decimal(n, locale=_LOCALES[lang])) if n else None

    lines = [
        tr(lang, "a.title", authority=authority.name_in(lang)),
        "",
        tr(
            lang,
            "a.draft",
            date=d.date(now.astimezone(zone).date()),
            short=authority.short,
            url=authority.complaint_url or authority.website,
        ),
        tr(lang, "a.ref", id=b.breach_id),
        "",
        f"## {tr(lang, 'a.controller')}",
        ", ".join(x for x in (c.name, c.org_number, c.address, c.email, c.phone) if x),
        "",
        f"## {tr(lang, 'a.contact')}",
        item(_contact(m, b), "a.contact"),
        "",
        f"## {tr(lang, 'a.times')}",
        f"- {tr(lang, 'a.occurred')}: {_when(lang, b.occurred_at, zone)}",
        f"- {tr(lang, 'a.aware')}: {_when(lang, b.aware_at, zone)}",
        f"- {tr(lang, 'a.deadline')}: {_when(lang, clock.deadline, zone)}",
    ]
    if b.authority_notified_at:
        lines.append(f"- {tr(lang, 'a.notified')}: {_when(lang, b.authority_notified_at, zone)}")
    if clock.overdue or clock.notified_late:
        lines += ["", f"## {tr(lang, 'a.late')}", item(b.late_reason, "a.late")]
    lines += [
        "",
        f"## {tr(lang, 'a.nature')}",
        item(b.nature, "a.nature"),
        "",
        f"- {tr(lang, 'a.subjects')}: "
        + item(", ".join(x for x in (subjects, about(b.people_affected)) if x), "a.subjects"),
        f"- {tr(lang, 'a.records')}: "
        + item(", ".join(x for x in (data, about(b.records_affected)) if x), "a.records"),
        "",
        f"## {tr(lang, 'a.consequences')}",
        item(b.consequences, "a.consequences"),
        "",
        f"## {tr(lang, 'a.measures')}",
        f"- {tr(lang, 'a.taken')}: {item(b.measures_taken, 'a.measures')}",
    ]
    if b.measures_proposed:
        lines.append(f"- {tr(lang, 'a.proposed')}: {b.measures_proposed}")
    if b.risk:
        lines += ["", f"## {tr(lang, 'a.risk')}", tr(lang, f"risk.{b.risk}")]
    lines += ["", f"## {tr(lang, 'a.people')}", _people_decision(lang, b, zone)]
    if missing:
        items = ", ".join(dict.fromkeys(missing))
        lines += ["", f"## {tr(lang, 'a.phased')}", tr(lang, "a.phased.text", items=items)]
    return "\n".join(lines) + "\n"


def _people_decision(lang: str, b: Breach, zone: ZoneInfo) -> str:
    if b.notify_people is None:
        return tr(lang, "a.people.open")
    if b.notify_people:
        if b.people_notified_at:
            date = display(lang).date(b.people_notified_at.astimezone(zone).date())
            return tr(lang, "a.people.done", date=date)
        return tr(lang, "a.people.yes")
    reasons = [tr(lang, f"a.exception.{b.people_exception}")] if b.people_exception else []
    reasons += [b.people_reason] if b.people_reason else []
    return tr(lang, "a.people.no", reason="; ".join(reasons))


def draft_people(m: DataMap, b: Breach, *, lang: str | None = None) -> str:
    """The message to the people affected, in plain language (Art. 34(2))."""
    lang = draft_lang(m, lang)
    zone = controller_zone(m)
    authority = authority_for(m)
    _, data = _labels(m, lang, b)
    d = display(lang)
    lines = [
        tr(lang, "p.subject"),
        "",
        tr(lang, "p.hello"),
        "",
        tr(
            lang,
            "p.intro",
            controller=m.controller.name,
            date=d.date(b.aware_at.astimezone(zone).date()),
        ),
        "",
        f"## {tr(lang, 'p.what')}",
        b.nature or tr(lang, "missing"),
    ]
    if data:
        lines += ["", f"## {tr(lang, 'p.which')}", data + "."]
    lines += [
        "",
        f"## {tr(lang, 'p.means')}",
        b.consequences or tr(lang, "missing"),
        "",
        f"## {tr(lang, 'p.done')}",
        " ".join(x for x in (b.measures_taken, b.measures_proposed) if x) or tr(lang, "missing"),
        "",
        f"## {tr(lang, 'p.can')}",
        b.advice or tr(lang, "p.can.default"),
        "",
        f"## {tr(lang, 'p.questions')}",
        tr(lang, "p.contact", contact=_contact(m, b) or tr(lang, "missing")),
        tr(
            lang,
            "p.complain",
            authority=authority.name_in(lang),
            url=authority.complaint_url or authority.website,
        ),
        "",
        tr(lang, "p.sorry"),
        "",
        tr(lang, "p.regards"),
        m.controller.name,
    ]
    return "\n".join(lines) + "\n"
