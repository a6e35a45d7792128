"""Fill a company's databases from its data map: any map, no company-specific code.

`generate` creates every system's tables (from the map's URLs: SQLite files, or
schemas on a PostgreSQL or MySQL/MariaDB server), fills them table by table in
parents-first order with rows about one population of people, builds indexes,
plants the awkward cases (`skydd.demo.plant`) and returns what it planted.

Speed: Faker is used only for the pools; rows are made in batches of 10,000, one
list comprehension per column (`skydd.demo.values`), and written with one
executemany per batch while the next batch is made. Same arguments, same data:
every table has its own random generator seeded from the seed, the controller's
name and the table's key, so adding a table to a map does not change the others.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from math import log
from urllib.parse import urlsplit

import sqlalchemy as sa

from skydd.datamap.loader import LoadedMap
from skydd.demo.companies import company_hook, products_for
from skydd.demo.facts import DemoFacts
from skydd.demo.plan import TablePlan, person_kind, plan_tables
from skydd.demo.plant import Planted, choose_planted, plant
from skydd.demo.pools import LANGUAGE
from skydd.demo.population import Population, build_population
from skydd.demo.row import FillContext, Filler, Product, Rows
from skydd.demo.sink import Sink, build_tables
from skydd.demo.values import column_filler, guess_type
from skydd.errors import SkyddError
from skydd.planning.graph import Edge

BATCH = 10_000
Progress = Callable[[str, int, int], None]
YEAR = 365


@dataclass
class Track:
    """What later tables need to know about a generated table's rows."""

    people: int
    companies: int
    count: int = 0
    person: array[int] = field(default_factory=lambda: array("i"))  # -1: not a person's row
    company: array[int] = field(default_factory=lambda: array("i"))
    t: array[int] = field(default_factory=lambda: array("i"))
    e: array[int] = field(default_factory=lambda: array("i"))
    values: dict[str, list[object]] = field(default_factory=dict)  # key columns, non-sequence
    person_row: array[int] = field(init=False)  # person → their first row
    company_row: array[int] = field(init=False)  # company → its first row

    def __post_init__(self) -> None:
        self.person_row = array("i", [-1]) * self.people
        self.company_row = array("i", [-1]) * self.companies

    def extend(self, b: Rows) -> None:
        start = self.count
        self.count += len(b)
        people = [p if about else -1 for p, about in zip(b.p, b.person, strict=True)]
        self.person.extend(people)
        self.company.extend(b.c)
        self.t.extend(b.t)
        self.e.extend(b.e)
        person_row, company_row = self.person_row, self.company_row
        for k, (p, c) in enumerate(zip(people, b.c, strict=True)):
            if p >= 0 and person_row[p] < 0:
                person_row[p] = start + k
            if company_row[c] < 0:
                company_row[c] = start + k


@dataclass
class Generated:
    """The databases as built: row counts, tables, and the planted people's rows."""

    rows: dict[str, int]
    tables: dict[str, sa.Table]
    plans: dict[str, TablePlan]
    sinks: dict[str, Sink]
    population: Population
    planted: Planted
    planted_rows: dict[int, list[tuple[str, dict[str, object]]]]
    as_of: date
    seed: int
    products: tuple[Product, ...]


def _draws(rng: random.Random, n: int, mean: float, cap: int) -> array[int]:
    """Rows per parent for n parents: often one or two, sometimes none, now and then many
    (an exponential draw, rounded and capped)."""
    rand = rng.random
    if cap == 1:
        return array("i", (1 if rand() < mean else 0 for _ in range(n)))
    return array("i", (min(int(0.5 - mean * log(1.0 - rand())), cap) for _ in range(n)))


class _Table:
    """Generates one table's rows, a batch at a time."""

    def __init__(self, gen: _Generator, plan: TablePlan, table: sa.Table) -> None:
        self.gen, self.plan, self.table = gen, plan, table
        self.rng = random.Random(f"{gen.seed}:{gen.salt}:{plan.key}")
        pop = gen.pop
        self.ctx = FillContext(
            pop=pop,
            rng=self.rng,
            enc=gen.sinks[plan.system].encoder(pop.as_of),
            lang=gen.lang,
            style=gen.systems.index(plan.system),
            table=plan.name,
            columns=frozenset(c.lower() for c in table.columns.keys()),
            site=gen.site,
            products=gen.products,
            staff=pop.pools[pop.country].staff,
            person_table=plan.role not in ("company", "pool"),
            planted=gen.planted.people,
        )

    # --- which rows --------------------------------------------------------------------

    def rows(self) -> tuple[int, Iterator[Rows]]:
        """How many rows, and the batches (people, companies and dates; no values yet)."""
        role = self.plan.role
        if role in ("child", "company_child"):
            return self._children()
        if role == "company":
            chosen = self._chosen_companies()
            return len(chosen), self._of_companies(chosen)
        if role == "person":
            chosen = self._chosen_people()
            return len(chosen), self._of_people(chosen)
        return self._events()

    def _children(self) -> tuple[int, Iterator[Rows]]:
        plan, rng, gen = self.plan, self.rng, self.gen
        assert plan.driver is not None
        parent = gen.tracks[plan.driver.parent]
        forced, showcase = gen.planted.people, gen.planted.showcase
        counts = _draws(rng, parent.count, plan.mean, plan.cap)
        for r, p in enumerate(parent.person):
            if p in forced:  # planted people have rows wherever they can
                counts[r] = max(counts[r], min(2, plan.cap) if p == showcase else 1)
        return sum(counts), self._child_batches(parent, counts)

    def _child_batches(self, parent: Track, counts: array[int]) -> Iterator[Rows]:
        plan, rand, co, as_of = self.plan, self.rng.random, self.gen.pop.companies, self.gen.as_of
        projection, company_level = plan.cap == 1, plan.role == "company_child"
        named = company_level and any(
            c.category.startswith("user.name") for c in plan.model.columns.values()
        )
        pp, pc, pt, pe = parent.person, parent.company, parent.t, parent.e
        first, size = co.first, co.size
        r, start = 0, 0
        while r < parent.count:
            owners: list[int] = []
            nth: list[int] = []
            while r < parent.count and len(owners) < BATCH:
                if counts[r]:
                    owners.extend([r] * counts[r])
                    nth.extend(range(counts[r]))
                r += 1
            b = Rows(start)
            start += len(owners)
            people = [pp[x] for x in owners]
            b.c = [pc[x] for x in owners]
            if projection:  # the same person in another system: the same lifetime
                b.t = [pt[x] + int(rand() * min(60, pe[x] - pt[x] + 1)) for x in owners]
                b.e = [pe[x] for x in owners]
            else:
                b.t = [pt[x] + int(rand() * (pe[x] - pt[x] + 1)) for x in owners]
                b.e = (
                    [pe[x] for x in owners]
                    if company_level
                    else [min(t + int(rand() * 31), as_of) for t in b.t]
                )
            b.parent = owners
            b.person = [p >= 0 or named for p in people]
            b.p = [
                p if p >= 0 else first[c] + j % size[c]
                for p, c, j in zip(people, b.c, nth, strict=True)
            ]
            yield b

    def _of_companies(self, chosen: list[int]) -> Iterator[Rows]:
        co = self.gen.pop.companies
        for start in range(0, len(chosen), BATCH):
            part = chosen[start : start + BATCH]
            b = Rows(start)
            b.p, b.c = [co.first[c] for c in part], part
            b.t, b.e = [co.created[c] for c in part], [co.last[c] for c in part]
            b.parent, b.person = [-1] * len(part), [False] * len(part)
            yield b

    def _of_people(self, chosen: list[int]) -> Iterator[Rows]:
        pop = self.gen.pop
        for start in range(0, len(chosen), BATCH):
            part = chosen[start : start + BATCH]
            b = Rows(start)
            b.p, b.c = part, [pop.company[p] for p in part]
            b.t, b.e = [pop.created[p] for p in part], [pop.last_seen[p] for p in part]
            b.parent, b.person = [-1] * len(part), [True] * len(part)
            yield b

    def _chosen_companies(self) -> list[int]:
        plan, rand, co = self.plan, self.rng.random, self.gen.pop.companies
        target = self.gen.tracks[plan.driver.parent] if plan.driver else None
        forced, roles, share = self.gen.planted.companies, plan.companies, plan.share
        return [
            c
            for c in range(len(co))
            if (roles == 0 or co.roles[c] & roles)
            and (target is None or target.company_row[c] >= 0)
            and (rand() < share or c in forced)
        ]

    def _chosen_people(self) -> list[int]:
        plan, rand, pop = self.plan, self.rng.random, self.gen.pop
        target = self.gen.tracks[plan.driver.parent] if plan.driver else None
        forced, company, share = self.gen.planted.people, pop.company, plan.share
        return [
            p
            for p in range(len(pop))
            if (target is None or target.company_row[company[p]] >= 0)
            and (rand() < share or p in forced)
        ]

    def _events(self) -> tuple[int, Iterator[Rows]]:
        plan, rand, pop = self.plan, self.rng.random, self.gen.pop
        if plan.role == "event":
            total, span, end = max(1, int(len(pop) * plan.mean)), 2 * YEAR, False
        else:  # pool: a fixed set of things
            products = len(self.gen.products) if "product" in plan.name else 0
            total, span, end = products or 40, 10 * YEAR, True
        n, company, as_of = len(pop), pop.company, pop.as_of

        def batches() -> Iterator[Rows]:
            for start in range(0, total, BATCH):
                size = min(BATCH, total - start)
                b = Rows(start)
                b.p = [int(rand() * n) for _ in range(size)]
                b.c = [company[p] for p in b.p]
                b.t = [as_of - int(rand() * span) for _ in range(size)]
                b.e = [as_of] * size if end else b.t
                b.parent, b.person = [-1] * size, [False] * size
                yield b

        return total, batches()

    # --- which values --------------------------------------------------------------------

    def fillers(self) -> list[Filler]:
        plan, gen = self.plan, self.gen
        refs = {c: (edge, i) for edge in plan.refs for i, c in enumerate(edge.child_columns)}
        driver = plan.driver if plan.role in ("child", "company_child") else None
        found: list[Filler] = []
        for column in self.table.columns:
            name = column.name
            if driver is not None and name in driver.child_columns:
                pcol = driver.parent_columns[driver.child_columns.index(name)]
                get = gen.key_getter(driver.parent, pcol)
                found.append(_parent_key(get))
            elif name in refs:
                found.append(self._resolver(*refs[name]))
            elif name == plan.seq_pk or (column.primary_key and column.type.python_type is int):
                found.append(lambda b: [i + 1 for i in b.i])
            elif column.primary_key:
                found.append(self._unique(name))
            else:
                decl = plan.model.columns.get(name)
                if decl is None:
                    found.append(lambda b: [None] * len(b))
                else:
                    kind = person_kind(decl.identity, gen.custom)
                    found.append(column_filler(self.ctx, name, decl, kind))
        return found

    def _unique(self, name: str) -> Filler:
        bits, products = self.rng.getrandbits, self.gen.products
        if "sku" in name and self.plan.role == "pool" and products:
            return lambda b: [products[i % len(products)].sku for i in b.i]
        decl = self.plan.model.columns.get(name)
        if decl is not None and (decl.category.endswith("cookie_id") or "session" in name):
            return lambda b: [f"{bits(64):016x}{i:x}" for i in b.i]
        tag = "".join(w[:1] for w in self.plan.name.split("_")).upper()
        return lambda b: [f"{tag}-{i + 1:08d}" for i in b.i]

    def _resolver(self, edge: Edge, position: int) -> Filler:
        gen, rand = self.gen, self.rng.random
        target = gen.tracks.get(edge.parent)
        if edge.parent == self.plan.key and self.plan.seq_pk:  # a manager, a referrer
            return lambda b: [i if i and u < 0.2 else None for i, u in zip(b.i, b.u, strict=True)]
        if target is None:
            return lambda b: [None] * len(b)  # closes a cycle: the target is filled later
        get = gen.key_getter(edge.parent, edge.parent_columns[position])
        role = gen.plans[edge.parent].role
        if edge.other_person or role in ("event", "pool"):
            count = target.count
            return lambda b: [get(int(rand() * count)) if count else None for _ in b.p]
        if edge.shared or role in ("company", "company_child"):
            by_company = target.company_row
            return lambda b: [None if (x := by_company[c]) < 0 else get(x) for c in b.c]
        by_person = target.person_row
        return lambda b: [None if (x := by_person[p]) < 0 else get(x) for p in b.p]

    # --- the rows ------------------------------------------------------------------------

    def fill(self, batches: Iterator[Rows]) -> Iterator[list[tuple[object, ...]]]:
        gen, plan, rand = self.gen, self.plan, self.rng.random
        fillers = self.fillers()
        track = gen.tracks.get(plan.key)
        names = [c.name for c in self.table.columns]
        keep = [
            (name, i)
            for i, name in enumerate(names)
            if track is not None and name in gen.key_columns.get(plan.key, ())
        ]
        forced, record = gen.planted.people, gen.planted_rows
        amounts = any(
            (c.type or guess_type(name.lower())) == "numeric"
            for name, c in plan.model.columns.items()
        )
        for b in batches:
            n = len(b)
            b.u = [rand() for _ in range(n)]
            if amounts:  # 500 to 250,000 in the currency, log-uniform
                b.amount = [int(10 ** (2.7 + 2.7 * rand())) * 100 for _ in range(n)]
            columns = [f(b) for f in fillers]
            rows = list(zip(*columns, strict=True))
            if track is not None:
                track.extend(b)
                for name, position in keep:
                    track.values.setdefault(name, []).extend(columns[position])
            if not forced.isdisjoint(b.p):
                for k, p in enumerate(b.p):
                    if p in forced and b.person[k]:
                        record.setdefault(p, []).append(
                            (plan.key, dict(zip(names, rows[k], strict=True)))
                        )
            yield rows


def _parent_key(get: Callable[[int], object]) -> Filler:
    return lambda b: [get(r) for r in b.parent]


class _Generator:
    def __init__(
        self,
        loaded: LoadedMap,
        pop: Population,
        planted: Planted,
        seed: int,
        products: tuple[Product, ...],
    ) -> None:
        datamap = loaded.datamap
        self.loaded, self.pop, self.planted, self.seed = loaded, pop, planted, seed
        self.as_of = pop.as_of
        self.salt = loaded.datamap.controller.name
        self.products = products
        self.systems = list(datamap.systems)
        self.custom = {name: decl.normalise for name, decl in datamap.identities.items()}
        self.lang = LANGUAGE.get(pop.country, "en")
        website = datamap.controller.website or f"www.{pop.country.lower()}-demo.example"
        host = urlsplit(website if "//" in website else f"//{website}").hostname or website
        self.site = host if host.startswith("www.") else f"www.{host}"
        self.plans = {p.key: p for p in plan_tables(datamap)}
        self.sinks: dict[str, Sink] = {}
        self.tables: dict[str, sa.Table] = {}
        self.metadata: dict[str, sa.MetaData] = {}
        self.tracks: dict[str, Track] = {}
        self.planted_rows: dict[int, list[tuple[str, dict[str, object]]]] = {}
        self.key_columns: dict[str, set[str]] = {}
        for plan in self.plans.values():
            for edge in plan.refs + ([plan.driver] if plan.driver else []):
                target = self.plans[edge.parent]
                extra = {c for c in edge.parent_columns if c != target.seq_pk}
                self.key_columns.setdefault(edge.parent, set()).update(extra)

    def key_getter(self, table_key: str, column: str) -> Callable[[int], object]:
        if column == self.plans[table_key].seq_pk:
            return lambda r: r + 1
        values = self.tracks[table_key].values.setdefault(column, [])
        return values.__getitem__

    def open(self, replace: bool) -> None:
        datamap = self.loaded.datamap
        for name, system in datamap.systems.items():
            url = self.loaded.urls.get(name)
            if url is None:
                continue
            sink = self.sinks[name] = Sink(name, url, system.schema_name)
            sink.prepare()
            metadata = self.metadata[name] = sa.MetaData()
            for tname, table in build_tables(datamap, name, metadata, sink.schema).items():
                self.tables[f"{name}.{tname}"] = table
            sink.create(metadata, replace)

    def fill(self, progress: Progress | None) -> dict[str, int]:
        counts: dict[str, int] = {}
        for key, plan in self.plans.items():
            if plan.system not in self.sinks:
                continue
            table = self.tables[key]
            if plan.tracked:
                self.tracks[key] = Track(len(self.pop), len(self.pop.companies))
            builder = _Table(self, plan, table)
            total, batches = builder.rows()
            done = 0

            def on_batch(size: int, key: str = key, total: int = total) -> None:
                nonlocal done
                done += size
                if progress:
                    progress(key, done, total)

            if progress:
                progress(key, 0, total)
            self.sinks[plan.system].write(table, builder.fill(batches), on_batch)
            counts[key] = total
        return counts

    def index(self) -> None:
        for key, plan in self.plans.items():
            if plan.system not in self.sinks:
                continue
            table = self.tables[key]
            identities = [n for n, c in plan.model.columns.items() if c.identity]
            references = [
                c
                for e in plan.refs + ([plan.driver] if plan.driver else [])
                for c in e.child_columns
            ]
            foreign = {c for fk in table.foreign_key_constraints for c in fk.column_keys}
            self.sinks[plan.system].index(table, identities + references, foreign)

    def close(self) -> None:
        for sink in self.sinks.values():
            sink.close()


def generate(
    loaded: LoadedMap,
    *,
    people: int = 1000,
    seed: int = 7,
    company: str | None = None,
    as_of: date | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> tuple[dict[str, int], DemoFacts]:
    """Create and fill every system of the map; return rows per table and the facts.

    The databases are where the map's URLs point (SQLite paths relative to the map's
    folder); systems with a ``schema:`` get it created. Existing tables are an error
    unless ``replace``. ``company`` picks the example's own plantings, if it has any.
    """
    if people < 10:
        raise SkyddError(
            f"a demo needs at least 10 people, not {people}", hint="use --people 10 or more"
        )
    as_of = as_of or date.today()
    controller = loaded.datamap.controller
    pop = build_population(controller.country, people, seed, as_of, salt=controller.name)
    has_suppliers = any("supplier" in key for key in loaded.datamap.subjects) or any(
        "supplier" in t for _, t, _ in loaded.datamap.tables()
    )
    planted = choose_planted(pop, f"{seed}:{controller.name}", has_suppliers)
    gen = _Generator(loaded, pop, planted, seed, products_for(company))
    try:
        gen.open(replace)
        counts = gen.fill(progress)
        gen.index()
        built = Generated(
            counts,
            gen.tables,
            gen.plans,
            gen.sinks,
            pop,
            planted,
            gen.planted_rows,
            as_of,
            seed,
            gen.products,
        )
        facts = plant(built, loaded, company or loaded.path.parent.name, company_hook(company))
    finally:
        gen.close()
    return counts, facts
