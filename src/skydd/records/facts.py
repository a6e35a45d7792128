"""What the map says about one purpose, recipient or transfer, in words of the records.

Pure functions over the `DataMap`: the records and the registers are assembled
from them, so a purpose's recipients or a transfer's safeguard are described the
same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from skydd.datamap.authorities import ADEQUATE, EEA
from skydd.datamap.models import (
    DataMap,
    Person,
    Recipient,
    Table,
    TransferMechanism,
)
from skydd.datamap.taxonomy import Taxonomy
from skydd.datamap.validate import taxonomy_for
from skydd.documents.display import display
from skydd.records.phrases import p

DPF_VALID_DAYS = 365


def home(m: DataMap) -> frozenset[str]:
    """Where data goes without a third-country transfer: the EEA, or the UK for a UK controller."""
    return frozenset({"GB"}) if m.controller.country == "GB" else EEA


def is_third(m: DataMap, country: str) -> bool:
    return country.upper() not in home(m)


def adequacy(m: DataMap, country: str) -> str | None:
    """The adequacy finding that covers ``country`` for this controller, if any."""
    if m.controller.country == "GB":
        # The UK recognises the EEA as adequate (UK adequacy regulations); the EU's own
        # decisions do not apply to a UK controller's exports.
        return "UK adequacy regulations (EEA)" if country in EEA else None
    return ADEQUATE.get(country)


def third_countries(m: DataMap, rec: Recipient) -> list[str]:
    """The recipient's country and processing locations outside the controller's home area."""
    seen: list[str] = []
    for code in [rec.country, *rec.locations]:
        if is_third(m, code) and code.upper() not in seen:
            seen.append(code.upper())
    return seen


def purpose_tables(m: DataMap, purpose: str) -> list[tuple[str, str, Table]]:
    """Tables whose rows (or some of whose columns) are processed for ``purpose``."""
    return [
        (s, t, table)
        for s, t, table in m.tables()
        if purpose in table.purposes
        or any(purpose in (c.purposes or []) for c in table.columns.values())
    ]


def purpose_categories(m: DataMap, taxonomy: Taxonomy, purpose: str) -> list[str]:
    """Personal data categories of the columns processed for ``purpose``, in map order."""
    found: list[str] = []
    for _, _, table in purpose_tables(m, purpose):
        for col in table.columns.values():
            purposes = col.purposes if col.purposes is not None else table.purposes
            cat = col.category
            if purpose in purposes and taxonomy.is_personal(cat) and cat not in found:
                found.append(cat)
    return found


def category_labels(taxonomy: Taxonomy, lang: str, categories: Iterable[str]) -> list[str]:
    """Labels of categories, each once, special categories marked."""
    labels: list[str] = []
    for cat in categories:
        label = taxonomy.labels(cat, lang)
        if taxonomy.is_special(cat):
            label += f" ({p(lang, 'special')})"
        if label not in labels:
            labels.append(label)
    return labels


def subjects_of(m: DataMap, purpose: str) -> list[str]:
    declared = list(m.purposes[purpose].subjects)
    if declared:
        return declared
    found: list[str] = []
    for _, _, table in purpose_tables(m, purpose):
        found += [s for s in table.subjects if s not in found]
    return found


def subject_labels(m: DataMap, lang: str, names: Iterable[str]) -> list[str]:
    return [m.subjects[n].labels.get(lang) or n if n in m.subjects else n for n in names]


def purpose_recipients(m: DataMap, purpose: str) -> list[tuple[str, Recipient]]:
    """Recipients declared for the purpose, and the processors hosting its tables."""
    names = [n for n, r in m.recipients.items() if purpose in r.purposes]
    for sname, _, _ in purpose_tables(m, purpose):
        host = m.systems[sname].processor
        if host and host in m.recipients and host not in names:
            names.append(host)
    return [(n, m.recipients[n]) for n in names]


def recipient_text(m: DataMap, lang: str, rec: Recipient) -> str:
    d = display(lang)
    parts = [p(lang, f"kind.{rec.kind}")]
    service = rec.service.get(lang) if rec.service else None
    if service:
        parts.insert(0, service)
    where = d.country(rec.country)
    third = third_countries(m, rec)
    if third:
        where = ", ".join(d.country(c) for c in [rec.country, *rec.locations] if c)
        where += f" ({p(lang, 'third_country')})"
    return f"{rec.name} ({', '.join(parts)}) – {where}"


def mechanism_text(lang: str, rec: Recipient) -> str | None:
    """The transfer mechanism in words, with its details; None when none is declared."""
    t = rec.transfer
    if t is None or t.mechanism == TransferMechanism.none:
        return None
    d = display(lang)
    mech = t.mechanism
    if mech == TransferMechanism.scc:
        text = (
            p(lang, "scc.module", n=t.scc_module, what=p(lang, f"scc.{t.scc_module}"))
            if t.scc_module
            else p(lang, "scc.nomodule")
        )
    elif mech == TransferMechanism.dpf:
        checked = t.certification_checked
        text = p(lang, "dpf.checked", date=d.date(checked)) if checked else p(lang, "dpf.unchecked")
    else:
        text = p(lang, f"mech.{mech.value}")
    if t.tia:
        text += "; " + p(lang, "tia", ref=t.tia)
    return text


def dpf_next_check(rec: Recipient) -> date | None:
    """When the DPF certification must be checked again (lint SKD203 fires the day after)."""
    t = rec.transfer
    if t is None or t.mechanism != TransferMechanism.dpf or t.certification_checked is None:
        return None
    return t.certification_checked + timedelta(days=DPF_VALID_DAYS)


def person_text(lang: str, person: Person) -> str:
    return ", ".join(x for x in (person.name, person.address, person.email, person.phone) if x)


def controller_text(m: DataMap, lang: str) -> str:
    c = m.controller
    head = c.name + (f" ({p(lang, 'org_number', n=c.org_number)})" if c.org_number else "")
    return ", ".join(x for x in (head, c.address, c.email, c.phone, c.website) if x)


def taxonomy(m: DataMap) -> Taxonomy:
    return taxonomy_for(m)
