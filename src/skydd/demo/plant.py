"""The awkward cases real data has, planted on purpose and written down.

Before generation, a few people are chosen and shaped (`choose_planted`): the
showcase person found in nearly every system, two people sharing one phone number,
a former customer long due for deletion, one whose invoices are still under the
bookkeeping hold, one who is both customer and supplier. They are given rows in
every table they can have. After generation, a few stored values are changed
(`plant`): an email with capitals, a support note that repeats a name and phone
number, a national identity number in a free-text note (a policy breach for the
scanner). Then the company's own hook adds what only its policy implies.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import parse_period
from skydd.demo import formats, texts
from skydd.demo.facts import DemoFacts, HeldRows, PlantedPerson, PlantedValue
from skydd.demo.plan import person_kind
from skydd.demo.pools import LANGUAGE
from skydd.demo.population import CUSTOMER, SUPPLIER, YEAR, Population
from skydd.demo.text_values import cpr_of
from skydd.identity import try_normalise

if TYPE_CHECKING:
    from skydd.demo.generate import Generated

NOTE_WORDS = ("description", "body", "notes", "message", "comment", "note", "text")
SUPPORT_WORDS = ("support", "case", "ticket", "message", "chat")


@dataclass
class Planted:
    showcase: int
    colleagues: list[int]
    pair: tuple[int, int]
    due: int
    held: int
    both: int | None
    breach: int
    people: frozenset[int] = frozenset()
    companies: frozenset[int] = frozenset()


def choose_planted(pop: Population, seed: str, has_suppliers: bool) -> Planted:
    """Pick and shape the planted people (before any table is generated)."""
    rng = random.Random(f"plant:{seed}")
    taken: set[int] = set()
    companies: set[int] = set()

    def pick(min_size: int = 1) -> int:
        for attempt in range(2000):
            p = rng.randrange(len(pop))
            c = pop.company[p]
            strict = attempt < 1000
            if p in taken or (strict and (c in companies or pop.home[p] != pop.country)):
                continue
            if pop.companies.size[c] >= min_size or attempt >= 1500:
                taken.add(p)
                companies.add(c)
                return p
        raise ValueError("population too small to plant the demo's cases")

    showcase = pick(3 if len(pop) >= 30 else 2)
    colleagues = [q for q in pop.companies.members(pop.company[showcase]) if q != showcase]
    taken.update(colleagues)
    pair = (pick(), pick())
    due, held, breach = pick(), pick(), pick()
    both = pick() if has_suppliers else None
    pop.set_dates(showcase, 12, 6 * YEAR)  # active for years: rows in many fiscal years
    pop.mobile[pair[1]], pop.home[pair[1]] = pop.mobile[pair[0]], pop.home[pair[0]]
    pop.set_dates(due, 8 * YEAR + 200, 3 * YEAR)  # gone for eight years: due everywhere
    pop.set_dates(held, 3 * YEAR + 120, 300)  # gone for three: invoices still held
    people = {showcase, *colleagues, *pair, due, held, breach} | (
        {both} if both is not None else set()
    )
    for p in people:
        pop.companies.roles[pop.company[p]] |= CUSTOMER
    if both is not None:
        pop.companies.roles[pop.company[both]] |= SUPPLIER
    return Planted(
        showcase,
        colleagues,
        pair,
        due,
        held,
        both,
        breach,
        frozenset(people),
        frozenset(pop.company[p] for p in people),
    )


@dataclass
class PlantContext:
    """What a company hook may use: the built databases and the facts being written."""

    built: Generated
    loaded: LoadedMap
    company: str
    rng: random.Random
    values: list[PlantedValue] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pop(self) -> Population:
        return self.built.population

    @property
    def lang(self) -> str:
        return LANGUAGE.get(self.pop.country, "en")

    def rows_of(self, p: int) -> list[tuple[str, dict[str, object]]]:
        return self.built.planted_rows.get(p, [])

    def free_text_rows(
        self, p: int, prefer: tuple[str, ...] = SUPPORT_WORDS
    ) -> Iterator[tuple[str, str, dict[str, object]]]:
        """(table key, column, row) of the person's rows with a free-text note column,
        tables whose name has a preferred word first."""
        found = []
        for key, row in self.rows_of(p):
            system, table = key.split(".", 1)
            columns = self.loaded.datamap.systems[system].tables[table].columns
            for name, column in columns.items():
                if column.free_text and any(w in name for w in NOTE_WORDS):
                    rank = next((i for i, w in enumerate(prefer) if w in key), len(prefer))
                    found.append((rank, key, name, row))
                    break
        for _, key, name, row in sorted(found, key=lambda item: item[0]):
            yield key, name, row

    def key_of(self, table_key: str, row: dict[str, object]) -> dict[str, object]:
        table = self.built.tables[table_key]
        return {c.name: row[c.name] for c in table.primary_key.columns}

    def encode(self, table_key: str, name: str, value: object) -> Any:
        """A value as the generator stores it (dates as ISO text on SQLite)."""
        sink = self.built.sinks[table_key.split(".", 1)[0]]
        column = self.built.tables[table_key].c[name]
        if isinstance(value, datetime):
            midnight = datetime.combine(value.date(), datetime.min.time())
            value = sink.encoder(self.pop.as_of).stamp(
                value.toordinal(), (value - midnight).seconds
            )
        elif isinstance(value, date):
            value = sink.encoder(self.pop.as_of).date(value.toordinal())
        return sa.literal(value, sa.String() if isinstance(value, str) else column.type)

    def update(self, table_key: str, row: dict[str, object], values: dict[str, object]) -> None:
        """Change stored values of one generated row (found by its primary key)."""
        table = self.built.tables[table_key]
        key = self.key_of(table_key, row)
        where = sa.and_(*(table.c[k] == v for k, v in key.items()))
        conn = self.built.sinks[table_key.split(".", 1)[0]].conn
        encoded = {k: self.encode(table_key, k, v) for k, v in values.items()}
        with conn.begin():
            conn.execute(table.update().where(where).values(encoded))
        row.update(values)

    def insert(self, table_key: str, rows: list[dict[str, object]]) -> None:
        """Add rows to a generated table (columns not given are NULL)."""
        table = self.built.tables[table_key]
        conn = self.built.sinks[table_key.split(".", 1)[0]].conn
        with conn.begin():
            for row in rows:
                values = {k: self.encode(table_key, k, v) for k, v in row.items()}
                conn.execute(table.insert().values(values))
        self.built.rows[table_key] = self.built.rows.get(table_key, 0) + len(rows)

    def record(
        self,
        kind: str,
        why: str,
        table_key: str,
        column: str,
        row: dict[str, object],
        value: str,
        person: int | None,
    ) -> None:
        system, table = table_key.split(".", 1)
        self.values.append(
            PlantedValue(
                kind,
                why,
                system,
                table,
                column,
                self.key_of(table_key, row),
                value,
                self.pop.email[person] if person is not None else None,
            )
        )


Hook = Callable[[PlantContext], None]


def _person(ctx: PlantContext, p: int, role: str, why: str) -> PlantedPerson:
    pop, custom = ctx.pop, {k: d.normalise for k, d in ctx.loaded.datamap.identities.items()}
    own = pop.e164(p)
    phones: dict[str, str] = {}
    tables: list[str] = []
    for key, row in ctx.rows_of(p):
        if key not in tables:
            tables.append(key)
        system, table = key.split(".", 1)
        for name, column in ctx.loaded.datamap.systems[system].tables[table].columns.items():
            value = row.get(name)
            if person_kind(column.identity, custom) == "phone" and value:
                if try_normalise("phone", str(value), region=pop.country) == own:
                    phones.setdefault(f"{key}.{name}", str(value))  # not the switchboard
    return PlantedPerson(
        role,
        why,
        pop.first[p],
        pop.last[p],
        pop.email[p],
        pop.e164(p),
        pop.companies.name[pop.company[p]],
        pop.pnr[p],
        date.fromordinal(pop.last_seen[p]).isoformat(),
        tables,
        phones,
    )


def _email_capitals(ctx: PlantContext, p: int) -> None:
    """One system keeps the showcase's email as they typed it, capitals and all."""
    custom = {k: d.normalise for k, d in ctx.loaded.datamap.identities.items()}
    candidates = []
    for key, row in ctx.rows_of(p):
        system, table = key.split(".", 1)
        for name, column in ctx.loaded.datamap.systems[system].tables[table].columns.items():
            if (
                person_kind(column.identity, custom) == "email"
                and row.get(name) == ctx.pop.email[p]
            ):
                candidates.append((key, name, row))
    systems = list(dict.fromkeys(key.split(".", 1)[0] for key, _, _ in candidates))
    if len(systems) < 2:
        return
    key, name, row = next(c for c in candidates if c[0].startswith(systems[-1] + "."))
    local, domain = ctx.pop.email[p].split("@")
    value = ".".join(w.capitalize() for w in local.split(".")) + "@" + domain.capitalize()
    ctx.update(key, row, {name: value})
    ctx.record(
        "email_capitals",
        "the same person's email stored with capitals in one system",
        key,
        name,
        row,
        value,
        p,
    )


def _notes(ctx: PlantContext, planted: Planted) -> None:
    pop, lang = ctx.pop, ctx.lang
    products = ctx.built.products
    showcase = planted.showcase
    note_row = next(ctx.free_text_rows(showcase), None)
    if note_row:
        key, column, row = note_row
        home = pop.home[showcase]
        text = texts.PII_NOTE[lang].format(
            name=pop.full_name(showcase),
            phone=formats.spoken(home, pop.mobile[showcase]),
            product=products[0].name if products else "?",
        )
        ctx.update(key, row, {column: text})
        ctx.record(
            "personal_data_in_note",
            "a support note repeats the caller's name and phone number",
            key,
            column,
            row,
            text,
            showcase,
        )
    breach = planted.breach
    note_row = next(ctx.free_text_rows(breach, prefer=("activit", "note", "crm")), None)
    if note_row:
        key, column, row = note_row
        number = national_id(pop, breach, ctx.rng)
        text = texts.ID_NOTE[lang].format(number=number)
        ctx.update(key, row, {column: text})
        ctx.record(
            "national_id_in_note",
            "a national identity number in a free-text note, "
            "which the policy does not allow: the scanner must find it",
            key,
            column,
            row,
            number,
            breach,
        )


def national_id(pop: Population, p: int, rng: random.Random) -> str:
    """The person's own identity number as a customer would say it on the phone."""
    pnr = pop.pnr[p]
    if pop.country == "SE" and pnr:
        return f"{pnr[:8]}-{pnr[8:]}"
    if pop.country == "DK":
        return cpr_of(pop.birth[p], p)
    return formats.ni_number(rng)


def _since(as_of: date, period: str, align: str) -> date:
    amount, unit = parse_period(period)
    if unit == "year":
        if align == "end_of_year":
            return date(as_of.year - amount, 1, 1)
        return as_of.replace(year=as_of.year - amount, day=min(as_of.day, 28))
    if unit == "month":
        months = as_of.year * 12 + as_of.month - 1 - amount
        return date(months // 12, months % 12 + 1, min(as_of.day, 28))
    return date.fromordinal(as_of.toordinal() - amount * (7 if unit == "week" else 1))


def _held(ctx: PlantContext) -> list[HeldRows]:
    found = []
    for name, hold in ctx.loaded.datamap.retention.holds.items():
        if not hold.anchor or not hold.anchor.column or not hold.period:
            continue
        since = _since(ctx.built.as_of, hold.period, hold.align)
        for table_key in hold.tables:
            table = ctx.built.tables.get(table_key)
            anchor = hold.anchor.column.rsplit(".", 1)[-1]
            if table is None or anchor not in table.c:
                continue
            column = table.c[anchor]
            bound: object = since
            if isinstance(column.type, sa.DateTime):
                bound = datetime.combine(since, datetime.min.time())
            conn = ctx.built.sinks[table_key.split(".", 1)[0]].conn
            count = conn.execute(sa.select(sa.func.count()).where(column >= bound)).scalar_one()
            conn.commit()
            found.append(HeldRows(name, table_key, anchor, since.isoformat(), int(count)))
    return found


def _targets(built: Generated, loaded: LoadedMap) -> dict[str, str]:
    found = {}
    for system, sink in built.sinks.items():
        where = sink.where
        if sink.kind == "sqlite":
            try:
                where = Path(where).resolve().relative_to(loaded.directory.resolve()).as_posix()
            except ValueError:
                pass
        found[system] = where
    return found


def plant(built: Generated, loaded: LoadedMap, company: str, hook: Hook | None) -> DemoFacts:
    """Plant the generic cases, run the company's hook, and return the facts."""
    ctx = PlantContext(built, loaded, company, random.Random(f"facts:{built.seed}"))
    planted, pop = built.planted, built.population
    _email_capitals(ctx, planted.showcase)
    _notes(ctx, planted)
    if hook is not None:
        hook(ctx)
    cutoff = pop.as_of - 7 * YEAR
    both = planted.both
    return DemoFacts(
        company=company,
        controller=loaded.datamap.controller.name,
        country=pop.country,
        seed=built.seed,
        people=len(pop),
        as_of=built.as_of.isoformat(),
        showcase=_person(
            ctx,
            planted.showcase,
            "showcase",
            "found in most systems; use their email for a sample access request",
        ),
        colleagues=[
            _person(ctx, q, "colleague", "works at the showcase person's company")
            for q in planted.colleagues
        ],
        shared_phone=[
            _person(
                ctx,
                p,
                "shared_phone",
                "shares one phone number with another person: a search by that number is ambiguous",
            )
            for p in planted.pair
        ],
        due_for_deletion=_person(
            ctx, planted.due, "due_for_deletion", "former customer, last contact eight years ago"
        ),
        held_invoices=_person(
            ctx,
            planted.held,
            "held_invoices",
            "former customer, last contact three years ago: invoices are "
            "still under the bookkeeping hold",
        ),
        customer_and_supplier=None
        if both is None
        else _person(
            ctx,
            both,
            "customer_and_supplier",
            "works at a company that is both a customer and a supplier",
        ),
        values=ctx.values,
        held=_held(ctx),
        targets=_targets(built, loaded),
        former_customers=sum(1 for p in range(len(pop)) if pop.last_seen[p] < cutoff),
        extra=ctx.extra,
    )
