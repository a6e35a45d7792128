"""Lint: what GDPR asks of the declaration that the map does not yet say.

Each rule has a stable code and cites the LEGAL.md ids it rests on. Findings
at level 'error' make `skydd check` exit 1; warnings point at real flaws that
do not stop Skydd from working (an authority under its old name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from skydd.datamap.loader import PathT, SourceMap, dotted
from skydd.datamap.models import (
    LANGS,
    Column,
    DataMap,
    LegalBasis,
    Table,
    Text,
    TransferMechanism,
)
from skydd.datamap.taxonomy import Taxonomy
from skydd.datamap.validate import taxonomy_for

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    legal: tuple[str, ...]
    title: str


@dataclass(frozen=True)
class Finding:
    rule: Rule
    path: PathT
    message: str
    hint: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def level(self) -> Level:
        return self.rule.level

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.rule.code,
            "level": self.rule.level,
            "legal": list(self.rule.legal),
            "path": dotted(self.path),
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        Rule("SKD001", "error", ("PN-1",), "controller identity or contact missing"),
        Rule("SKD002", "warning", ("PN-1",), "no DPO or privacy contact"),
        Rule("SKD101", "error", ("PN-1", "ROPA-1"), "purpose without legal basis"),
        Rule("SKD102", "error", ("PN-1",), "legitimate interest without the interest"),
        Rule("SKD103", "warning", ("PN-1",), "legal obligation without the law"),
        Rule(
            "SKD104", "error", ("PN-1", "ROPA-1"), "special-category data without Art. 9 condition"
        ),
        Rule("SKD105", "error", ("SE-5",), "personnummer without a justification"),
        Rule("SKD106", "error", ("ROPA-1", "DSR-5"), "personal data without a purpose"),
        Rule(
            "SKD107", "error", ("ROPA-1", "PN-1", "DSR-5"), "personal data without a retention rule"
        ),
        Rule("SKD108", "error", ("ROPA-1",), "column without a data category"),
        Rule("SKD109", "warning", ("DSR-5", "DSR-8"), "system without any identity column"),
        Rule("SKD110", "info", ("ROPA-1",), "category deprecated in fideslang"),
        Rule("SKD111", "warning", ("ROPA-1", "PN-1"), "retention rule Skydd cannot enforce yet"),
        Rule("SKD201", "error", ("PRC-2", "PN-1"), "transfer outside the EEA without a mechanism"),
        Rule("SKD202", "error", ("PRC-1",), "processor without a DPA reference"),
        Rule("SKD203", "warning", ("PRC-2",), "DPF certification not checked within a year"),
        Rule("SKD204", "warning", ("PRC-1",), "processor review date has passed"),
        Rule("SKD205", "warning", ("PRC-3",), "UK export without IDTA or UK Addendum"),
        Rule("SKD206", "error", ("PRC-2",), "adequacy claimed for a country without one"),
        Rule("SKD207", "warning", ("PRC-2",), "SCC transfer without a module"),
        Rule(
            "SKD208",
            "error",
            ("PRC-1", "ROPA-1"),
            "a processor hosts data it is not declared to receive",
        ),
        Rule("SKD209", "warning", ("PRC-1",), "processor without a review date"),
        Rule("SKD210", "error", ("PRC-2",), "DPF relied on for a recipient outside the US"),
        Rule("SKD211", "warning", ("PRC-2",), "DPF check date in the future or before the DPF"),
        Rule("SKD212", "warning", ("PRC-1", "PRC-2"), "Art. 46 transfer without a TIA reference"),
        Rule(
            "SKD213",
            "error",
            ("ROPA-2",),
            "processing for others names something the map does not declare",
        ),
        Rule("SKD301", "warning", ("SE-2",), "supervisory authority named by a former name"),
        Rule("SKD302", "warning", ("DSR-6",), "blanket 'free once a year' access policy"),
        Rule("SKD303", "warning", ("PN-1",), "text missing in a language"),
        Rule("SKD304", "info", ("CON-4",), "non-essential cookie lives longer than 13 months"),
    ]
}

Emit = Callable[[str, PathT, str, str | None], None]
_ONCE_A_YEAR = re.compile(
    r"(en gång per (kalender)?år|once (a|per) (calendar )?year|én gang om året|en gang om året"
    r"|en gang årligt|gratis en gång)",
    re.IGNORECASE,
)
_DPF_MAX_AGE = timedelta(days=365)
_DPF_START = date(2023, 7, 10)  # Implementing Decision (EU) 2023/1795
_NEEDS_TIA = (
    TransferMechanism.scc,
    TransferMechanism.bcr,
    TransferMechanism.uk_idta,
    TransferMechanism.uk_addendum,
)
_UK_SCC_END = date(2024, 3, 21)


def _texts(datamap: DataMap) -> Iterator[tuple[PathT, str]]:
    notice = datamap.notice
    for name in ("intro", "contact"):
        text = getattr(notice, name)
        if text:
            for lang in LANGS:
                if value := text.get(lang, fallback=False):
                    yield ("notice", name, lang), value
    for key, text in notice.extra.items():
        for lang in LANGS:
            if value := text.get(lang, fallback=False):
                yield ("notice", "extra", key, lang), value


def _controller(m: DataMap, emit: Emit) -> None:
    c = m.controller
    if c.name.strip().upper() in ("", "TODO"):
        emit(
            "SKD001",
            ("controller", "name"),
            "the controller's name is not filled in",
            "write the company's legal name",
        )
    if not (c.email or c.phone or c.address):
        emit(
            "SKD001",
            ("controller",),
            "no contact details for the controller (Art. 13(1)(a))",
            "add 'email:', 'phone:' or 'address:'",
        )
    if not c.org_number:
        emit(
            "SKD001",
            ("controller",),
            "no organisation number",
            "add 'org_number:' so the notice and the records identify the company",
        )
    if c.dpo is None and c.privacy_contact is None:
        emit(
            "SKD002",
            ("controller",),
            "no DPO or privacy contact given (Art. 13(1)(b))",
            "add 'dpo:' with name and email, or the contact that answers privacy questions",
        )


def _purposes(m: DataMap, emit: Emit) -> None:
    for name, p in m.purposes.items():
        path: PathT = ("purposes", name)
        if p.legal_basis in (None, "TODO"):
            emit(
                "SKD101",
                path,
                f"purpose '{name}' has no legal basis (Art. 6)",
                "add 'legal_basis:' (consent, contract, legal_obligation, legitimate_interest …)",
            )
        elif p.legal_basis == LegalBasis.legitimate_interest and not p.legitimate_interest:
            emit(
                "SKD102",
                path,
                f"purpose '{name}' relies on legitimate interest but does "
                "not say which interest (Art. 13(1)(d))",
                "add 'legitimate_interest:' in words",
            )
        elif p.legal_basis == LegalBasis.legal_obligation and not p.law:
            emit(
                "SKD103",
                path,
                f"purpose '{name}' is a legal obligation but names no law",
                "add 'law:', e.g. 'Bokföringslagen (1999:1078) 7 kap.'",
            )


def _reachable(m: DataMap) -> set[str]:
    """Tables a request can reach: with identity columns, or linked to one by references."""
    from skydd.planning.graph import build_graph

    graph = build_graph(m)
    seen = {k for k, node in graph.nodes.items() if node.holds_people}
    frontier = list(seen)
    while frontier:
        key = frontier.pop()
        for edge in graph.incoming.get(key, []) + graph.outgoing.get(key, []):
            for other in (edge.child, edge.parent):
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
    return seen


def _column(
    m: DataMap,
    taxonomy: Taxonomy,
    emit: Emit,
    where: tuple[str, str, str],
    table: Table,
    col: Column,
) -> bool:
    """Lint one column; True when it holds personal data."""
    sname, tname, cname = where
    cpath: PathT = ("systems", sname, "tables", tname, "columns", cname)
    if col.category == "TODO":
        emit(
            "SKD108",
            cpath,
            f"column {tname}.{cname} has no data category",
            "set 'category:' to a data category, e.g. user.contact.email",
        )
        return False
    found = taxonomy.get(col.category)
    if found is not None and found.replaced_by:
        emit(
            "SKD110",
            cpath,
            f"category {col.category} is deprecated in fideslang",
            f"use {found.replaced_by}",
        )
    if not taxonomy.is_personal(col.category):
        return False
    purposes = col.purposes if col.purposes is not None else table.purposes
    if not purposes:
        emit(
            "SKD106",
            cpath,
            f"{sname}.{tname}.{cname} is personal data with no purpose",
            "add 'purposes:' to the table or the column",
        )
    if taxonomy.is_special(col.category) and not any(
        m.purposes[p].art9_condition for p in purposes if p in m.purposes
    ):
        emit(
            "SKD104",
            cpath,
            f"{sname}.{tname}.{cname} holds special-category data (Art. 9) "
            "but no purpose gives an Art. 9(2) condition",
            "add 'art9_condition:' to the purpose, or stop collecting it",
        )
    national = col.identity == "personnummer" or col.category.endswith(
        "national_identification_number"
    )
    if national and m.controller.country == "SE" and not col.justification:
        emit(
            "SKD105",
            cpath,
            f"{sname}.{tname}.{cname} stores personnummer without a justification (SE-5)",
            "add 'justification:' saying why it is clearly needed",
        )
    return True


def _columns(m: DataMap, emit: Emit) -> None:
    taxonomy = taxonomy_for(m)
    in_rules = {t for rule in m.retention.rules.values() for t in rule.tables}
    reachable = _reachable(m)
    for sname, system in m.systems.items():
        has_identity = any(k.startswith(sname + ".") for k in reachable)
        for tname, table in system.tables.items():
            personal = False
            for cname, col in table.columns.items():
                personal = _column(m, taxonomy, emit, (sname, tname, cname), table, col) or personal
            if personal and table.personal is not False and f"{sname}.{tname}" not in in_rules:
                emit(
                    "SKD107",
                    ("systems", sname, "tables", tname),
                    f"{sname}.{tname} holds personal data but no retention rule covers it",
                    "add the table to a rule under retention.rules",
                )
        if system.tables and not has_identity:
            emit(
                "SKD109",
                ("systems", sname),
                f"system '{sname}' has no identity column and no "
                "reference to one, so requests cannot find anyone in it",
                "mark columns with 'identity: email' … or declare its references",
            )


def _recipients(m: DataMap, emit: Emit, today: date) -> None:
    from skydd.datamap.authorities import ADEQUATE, EEA

    home_uk = m.controller.country == "GB"
    for name, r in m.recipients.items():
        path: PathT = ("recipients", name)
        outside = r.country not in EEA and not (home_uk and r.country == "GB")
        mech = r.transfer.mechanism if r.transfer else None
        if outside and mech in (None, TransferMechanism.none):
            emit(
                "SKD201",
                path,
                f"'{r.name}' in {r.country} receives data outside the EEA "
                "without a transfer mechanism",
                "add 'transfer: {mechanism: scc, scc_module: 2}' "
                "or another mechanism (adequacy, dpf, bcr, uk_idta, uk_addendum)",
            )
        if mech == TransferMechanism.adequacy and outside and r.country not in ADEQUATE:
            emit(
                "SKD206",
                path,
                f"no EU adequacy decision covers {r.country}",
                "use SCCs, DPF (US, certified) or BCR instead",
            )
        if mech == TransferMechanism.scc and r.transfer and r.transfer.scc_module is None:
            emit(
                "SKD207",
                path,
                f"'{r.name}': SCC transfer without its module (1–4)",
                "add 'scc_module:' (2 = controller to processor)",
            )
        if mech == TransferMechanism.dpf and r.transfer:
            checked = r.transfer.certification_checked
            if checked is None or today - checked > _DPF_MAX_AGE:
                emit(
                    "SKD203",
                    path,
                    f"'{r.name}': DPF certification not checked in the last year",
                    "check the Data Privacy Framework list and set 'certification_checked:'",
                )
        if home_uk and outside and mech in (TransferMechanism.scc,) and today >= _UK_SCC_END:
            emit(
                "SKD205",
                path,
                f"'{r.name}': a UK export needs the IDTA or the UK Addendum since 21 March 2024",
                "set mechanism: uk_idta or uk_addendum",
            )
        if r.kind in ("processor", "sub_processor") and (r.dpa is None or not r.dpa.reference):
            emit(
                "SKD202",
                path,
                f"processor '{r.name}' has no DPA reference (Art. 28(3))",
                "add 'dpa: {reference: …, signed: YYYY-MM-DD}'",
            )
        if mech == TransferMechanism.uk_data_bridge and not (home_uk and r.country == "US"):
            emit(
                "SKD201",
                path,
                f"'{r.name}': the UK–US data bridge covers only UK exports to "
                "certified US organisations",
                "use dpf, scc or another mechanism",
            )
        if r.review_date and r.review_date < today:
            emit(
                "SKD204",
                path,
                f"'{r.name}' was due for review on {r.review_date}",
                "review the processor and set a new 'review_date:'",
            )


def _register(m: DataMap, emit: Emit, today: date) -> None:
    """What the processor and transfer register (PRC-1, PRC-2) needs beyond the basics."""
    for name, r in m.recipients.items():
        path: PathT = ("recipients", name)
        if r.kind in ("processor", "sub_processor") and r.review_date is None:
            emit(
                "SKD209",
                path,
                f"processor '{r.name}' has no review date",
                "add 'review_date: YYYY-MM-DD', when the DPA and the processor are next reviewed",
            )
        if r.transfer is None:
            continue
        mech = r.transfer.mechanism
        if mech == TransferMechanism.dpf and r.country != "US":
            emit(
                "SKD210",
                path,
                f"'{r.name}' is in {r.country}: the EU-US Data Privacy Framework covers only "
                "certified organisations in the United States",
                "use adequacy, SCCs or another mechanism for this country",
            )
        checked = r.transfer.certification_checked
        if mech == TransferMechanism.dpf and checked and not _DPF_START <= checked <= today:
            emit(
                "SKD211",
                ("recipients", name, "transfer", "certification_checked"),
                f"'{r.name}': DPF certification checked on {checked}, which is "
                + ("in the future" if checked > today else "before the DPF took effect"),
                "set the day the Data Privacy Framework list was actually checked",
            )
        if mech in _NEEDS_TIA and not r.transfer.tia:
            emit(
                "SKD212",
                path,
                f"'{r.name}': {mech.value} transfer without a transfer impact assessment",
                "add 'tia:' with the reference of the assessment (Schrems II)",
            )


def _for_others(m: DataMap, emit: Emit) -> None:
    """Names used by processing_for_others (Art. 30(2)) must be declared."""
    taxonomy = taxonomy_for(m)
    tables = {f"{s}.{t}" for s, t, _ in m.tables()}
    for name, act in m.processing_for_others.items():
        base: PathT = ("processing_for_others", name)
        unknown: list[tuple[PathT, str]] = []
        for i, sname in enumerate(act.systems):
            if sname not in m.systems:
                unknown.append(((*base, "systems", i), f"system '{sname}'"))
        for i, rname in enumerate(act.sub_processors):
            if rname not in m.recipients:
                unknown.append(((*base, "sub_processors", i), f"recipient '{rname}'"))
        for i, cat in enumerate(act.categories):
            if not taxonomy.is_known(cat):
                unknown.append(((*base, "categories", i), f"data category '{cat}'"))
        if act.controller_register and act.controller_register not in tables:
            unknown.append(((*base, "controller_register"), f"table '{act.controller_register}'"))
        for path, what in unknown:
            emit(
                "SKD213",
                path,
                f"processing_for_others.{name} names {what}, which the map does not declare",
                "declare it, or correct the name",
            )


def _is_key(category: str) -> bool:
    """Record ids: every system has its own, they say nothing about the person by themselves."""
    return category == "user.unique_id" or category.startswith("user.unique_id.")


def _enforceable(m: DataMap, emit: Emit) -> None:
    """A rule that SQL cannot carry out on a table is a promise not kept.

    The retention planner decides: an anchor reached by references within the table's
    database, or through one reference of one column into the anchor's database (read
    there as keys, applied here by key), is enforced; anything else is reported.
    """
    from skydd.retention.planner import plan_retention

    plan = plan_retention(m, date.today())
    for name, table, _action, reason in plan.unenforceable:
        tables = m.retention.rules[name].tables
        system, _, tname = table.partition(".")
        if tname not in (m.systems[system].tables if system in m.systems else {}):
            continue  # an undeclared table is the validator's finding, not this one
        emit(
            "SKD111",
            ("retention", "rules", name, "tables", tables.index(table)),
            f"rule '{name}' cannot be enforced on {table}: {reason}",
            "anchor the rule on a column in the table's own database, or link the table to "
            "the anchor's by a declared reference; retention plan reports it as not enforced",
        )


def _hosted(m: DataMap, emit: Emit) -> None:
    """A system run by a processor holds only what that processor may receive (AS-4)."""
    taxonomy = taxonomy_for(m)
    for sname, system in m.systems.items():
        rec = m.recipients.get(system.processor) if system.processor else None
        if rec is None or not rec.categories:
            continue
        for tname, table in system.tables.items():
            for cname, col in table.columns.items():
                cat = col.category
                if cat == "TODO" or not taxonomy.is_personal(cat) or _is_key(cat):
                    continue
                if not any(cat == c or cat.startswith(c + ".") for c in rec.categories):
                    emit(
                        "SKD208",
                        ("systems", sname, "tables", tname, "columns", cname),
                        f"{sname}.{tname}.{cname} ({cat}) is hosted by '{rec.name}', which is "
                        "declared to receive only " + ", ".join(rec.categories),
                        "remove the column from that system or declare the category under "
                        f"recipients.{system.processor}.categories",
                    )


def _texts_rules(m: DataMap, emit: Emit) -> None:
    from skydd.datamap.authorities import old_name_mentions

    for path, text in _texts(m):
        named: set[str] = set()
        for old, authority in old_name_mentions(text):
            if authority.short in named:
                continue
            named.add(authority.short)
            emit(
                "SKD301",
                path,
                f"the text names '{old}', now {authority.name.get('sv') or ''} ({authority.short})",
                f"replace it with {authority.short}'s current name",
            )
        if _ONCE_A_YEAR.search(text):
            emit(
                "SKD302",
                path,
                "the text promises a free copy once a year: access is free, "
                "and repeats are judged by reasonable intervals, not a yearly allowance",
                "say that a copy is free; a fee applies only to excessive or further copies",
            )
    if m.policy.free_copies_per_year is not None:
        emit(
            "SKD302",
            ("policy", "free_copies_per_year"),
            "a blanket yearly allowance of free "
            "copies is not lawful (left over from the repealed PUL 26 §)",
            "remove it and set 'repeat_request_interval:' instead",
        )
    for pname, purpose in m.purposes.items():
        _missing_langs(emit, ("purposes", pname, "labels"), purpose.labels)
    for key in ("intro", "contact"):
        text = getattr(m.notice, key)
        if text is not None:
            _missing_langs(emit, ("notice", key), text)


def _missing_langs(emit: Emit, path: PathT, text: Text) -> None:
    missing = text.missing()
    if missing:
        emit(
            "SKD303",
            path,
            "no text in " + ", ".join(missing),
            "every text a data subject reads is needed in sv, en and da",
        )


_LONG = re.compile(r"^\s*(\d+)\s*(year|month)s?\s*$", re.IGNORECASE)


def _cookies(m: DataMap, emit: Emit) -> None:
    for i, cookie in enumerate(m.cookies):
        match = _LONG.match(cookie.lifetime)
        if cookie.category == "necessary" or not match:
            continue
        months = int(match.group(1)) * (12 if match.group(2).lower() == "year" else 1)
        if months > 13:
            emit(
                "SKD304",
                ("cookies", i),
                f"cookie '{cookie.name}' lives {cookie.lifetime}",
                "regulators advise at most 13 months for non-essential cookies",
            )


def lint(
    datamap: DataMap, source: SourceMap | None = None, *, today: date | None = None
) -> list[Finding]:
    """All lint findings for a valid map, in file order."""
    findings: list[Finding] = []
    today = today or date.today()

    def emit(code: str, path: PathT, message: str, hint: str | None) -> None:
        line, column = source.locate(path) if source else (None, None)
        findings.append(Finding(RULES[code], path, message, hint, line, column))

    _controller(datamap, emit)
    _purposes(datamap, emit)
    _columns(datamap, emit)
    _recipients(datamap, emit, today)
    _register(datamap, emit, today)
    _for_others(datamap, emit)
    _hosted(datamap, emit)
    _enforceable(datamap, emit)
    _texts_rules(datamap, emit)
    _cookies(datamap, emit)
    findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule.code))
    return findings
