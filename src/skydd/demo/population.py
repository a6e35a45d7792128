"""The demo's people and their employers, built once and used by every system.

A person has one identity everywhere: the same name, work email, mobile number,
personnummer and employer in the ERP, the CRM and the support desk, so that a data
subject request finds them across systems. People are stored column-wise (a list
per attribute) because a million small objects would cost more memory and time.

Dates are ordinals (``date.toordinal()``), the demo's clock is ``as_of``.
"""

from __future__ import annotations

import functools
import random
from array import array
from dataclasses import dataclass, field
from datetime import date

from skydd.demo import formats
from skydd.demo.formats import below, between
from skydd.demo.pools import TLD, LocalePool, ascii_slug, locale_pool

CUSTOMER, SUPPLIER, PARTNER = 1, 2, 4
YEAR = 365


@dataclass
class Companies:
    """The employers: customer, supplier and partner companies."""

    name: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    org: list[str] = field(default_factory=list)
    street: list[str] = field(default_factory=list)
    postcode: list[str] = field(default_factory=list)
    town: list[str] = field(default_factory=list)
    phone: list[str] = field(default_factory=list)  # switchboard, national significant number
    fy_month: array[int] = field(default_factory=lambda: array("b"))  # 12 or 6
    roles: array[int] = field(default_factory=lambda: array("b"))  # CUSTOMER | SUPPLIER …
    first: array[int] = field(default_factory=lambda: array("i"))  # first member's index
    size: array[int] = field(default_factory=lambda: array("b"))
    created: array[int] = field(default_factory=lambda: array("i"))
    last: array[int] = field(default_factory=lambda: array("i"))

    def __len__(self) -> int:
        return len(self.name)

    def members(self, c: int) -> range:
        return range(self.first[c], self.first[c] + self.size[c])


@dataclass
class Population:
    """N people, each with one consistent identity, and their companies."""

    country: str  # the controller's
    as_of: int
    pools: dict[str, LocalePool]
    companies: Companies
    first: list[str] = field(default_factory=list)
    last: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)  # email local part
    email: list[str] = field(default_factory=list)
    mobile: list[str] = field(default_factory=list)  # national significant number
    home: list[str] = field(default_factory=list)  # country of the mobile number
    pnr: list[str | None] = field(default_factory=list)  # SE: canonical 12 digits
    birth: array[int] = field(default_factory=lambda: array("i"))
    company: array[int] = field(default_factory=lambda: array("i"))
    job: list[str] = field(default_factory=list)
    created: array[int] = field(default_factory=lambda: array("i"))
    last_seen: array[int] = field(default_factory=lambda: array("i"))

    def __len__(self) -> int:
        return len(self.first)

    def full_name(self, p: int) -> str:
        return f"{self.first[p]} {self.last[p]}"

    def e164(self, p: int) -> str:
        return formats.e164(self.home[p], self.mobile[p])

    def set_dates(self, p: int, last_days_ago: int, span_days: int) -> None:
        """Move a person's activity (and so all their rows) to a chosen time."""
        self.last_seen[p] = self.as_of - last_days_ago
        self.created[p] = self.last_seen[p] - span_days
        self._company_dates(self.company[p])

    def _company_dates(self, c: int) -> None:
        members = self.companies.members(c)
        self.companies.created[c] = min(self.created[p] for p in members)
        self.companies.last[c] = max(self.last_seen[p] for p in members)


_SUFFIXES = {"ab", "hb", "kb", "a/s", "aps", "ltd", "plc", "i/s", "k/s", "p/s"}


def _domain_base(name: str) -> str:
    """'Conway, Edwards and Hughes' -> 'conway'; 'Levin & Berg AB' -> 'levinberg'."""
    words = name.split(",")[0].split()
    if len(words) > 1 and words[-1].lower() in _SUFFIXES:
        words = words[:-1]
    words = [w for w in words if w.lower() not in ("&", "and", "og", "och")]
    return ascii_slug(" ".join(words), "")[:24] or "firma"


def _countries(controller: str) -> tuple[list[str], list[float]]:
    others = [c for c in ("SE", "DK", "GB") if c != controller]
    return [controller, *others], [0.86, 0.08, 0.06]


def _last_seen_days_ago(draw: float, rand: float) -> int:
    """Spread over ten years, so that every retention rule has rows that are due."""
    if draw < 0.55:
        return int(rand * 2 * YEAR)
    if draw < 0.85:
        return 2 * YEAR + int(rand * 5 * YEAR)
    return 7 * YEAR + int(rand * 3 * YEAR)


class _Builder:
    """Companies one by one (a third as many as people); people a column at a time."""

    def __init__(self, controller: str, n: int, seed: int, as_of: date, salt: str) -> None:
        self.rng = random.Random(f"population:{seed}:{salt}")
        self.n = n
        self.countries, self.weights = _countries(controller)
        pools = {c: locale_pool(c, seed) for c in self.countries}
        self.pop = Population(controller, as_of.toordinal(), pools, Companies())
        self.domains: set[str] = set()

    def company(self, first: int, size: int, country: str) -> None:
        rng, co = self.rng, self.pop.companies
        pool = self.pop.pools[country]
        name = pool.company_names[below(rng, len(pool.company_names))]
        base = _domain_base(name)
        domain, n = f"{base}.{TLD[country]}", 1
        while domain in self.domains:
            n += 1
            domain = f"{base}{n}.{TLD[country]}"
        self.domains.add(domain)
        postcode, town = pool.towns[below(rng, len(pool.towns))]
        co.name.append(name)
        co.domain.append(domain)
        co.country.append(country)
        co.org.append(formats.org_number(rng, country))
        co.street.append(f"{pool.streets[below(rng, len(pool.streets))]} {between(rng, 1, 120)}")
        co.postcode.append(postcode)
        co.town.append(town)
        co.phone.append(formats.landline(rng, country))
        co.fy_month.append(6 if rng.random() < 0.15 else 12)
        draw = rng.random()
        co.roles.append(CUSTOMER if draw < 0.88 else SUPPLIER if draw < 0.96 else PARTNER)
        co.first.append(first)
        co.size.append(size)

    def people(self) -> None:
        rng, pop, co = self.rng, self.pop, self.pop.companies
        rand, as_of = rng.random, pop.as_of
        company = [c for c in range(len(co)) for _ in range(co.size[c])]
        home = [co.country[c] for c in company]
        pick = {
            k: {
                attr: (getattr(pool, attr), len(getattr(pool, attr)))
                for attr in ("first_names", "last_names", "jobs")
            }
            for k, pool in pop.pools.items()
        }

        def draw(attr: str) -> list[str]:
            return [values[int(rand() * size)] for values, size in (pick[k][attr] for k in home)]

        pop.first, pop.last, pop.job = draw("first_names"), draw("last_names"), draw("jobs")
        slug = functools.lru_cache(maxsize=None)(lambda name: ascii_slug(name, "-") or "x")
        local = [f"{slug(a)}.{slug(b)}" for a, b in zip(pop.first, pop.last, strict=True)]
        for c in range(len(co)):  # two Anna Svensson at one company: anna.svensson2
            members = co.members(c)
            seen: set[str] = set()
            for k, p in enumerate(members):
                if local[p] in seen:
                    local[p] += str(k + 1)
                seen.add(local[p])
        pop.local, pop.home, pop.company = local, home, array("i", company)
        pop.email = [f"{name}@{co.domain[c]}" for name, c in zip(local, company, strict=True)]
        pop.mobile = [formats.mobile(rng, k) for k in home]
        pop.birth = array("i", (as_of - 22 * YEAR - int(rand() * 45 * YEAR) for _ in home))
        pop.pnr = [
            _personnummer(rng, b) if k == "SE" else None
            for b, k in zip(pop.birth, home, strict=True)
        ]
        pop.last_seen = array("i", (as_of - _last_seen_days_ago(rand(), rand()) for _ in home))
        oldest = as_of - 12 * YEAR
        pop.created = array("i", (max(s - int(rand() * 5 * YEAR), oldest) for s in pop.last_seen))
        co.created = array(
            "i", (min(pop.created[p] for p in co.members(c)) for c in range(len(co)))
        )
        co.last = array("i", (max(pop.last_seen[p] for p in co.members(c)) for c in range(len(co))))

    def build(self) -> Population:
        rng, done = self.rng, 0
        while done < self.n:
            draw = rng.random()
            size = min(2 if draw < 0.35 else 3 if draw < 0.75 else 4, self.n - done)
            self.company(done, size, rng.choices(self.countries, self.weights)[0])
            done += size
        self.people()
        return self.pop


def _personnummer(rng: random.Random, birth: int) -> str:
    born = date.fromordinal(birth)
    return formats.personnummer(rng, born.year, born.month, born.day)


def build_population(controller: str, n: int, seed: int, as_of: date, salt: str = "") -> Population:
    """N people in companies of two to four, from the controller's country mostly.

    `salt` (the controller's name) gives each company its own people for one seed.
    """
    if controller not in formats.COUNTRY_CODES:
        controller = "GB"
    return _Builder(controller, n, seed, as_of, salt).build()
