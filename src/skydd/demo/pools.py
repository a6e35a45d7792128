"""Pools of names, streets, towns and companies, drawn once from Faker.

Faker is slow per call (tens of microseconds) and a demo of a million people needs
tens of millions of values, so Faker is asked only for a few thousand of each kind,
once, and the generator combines them with its own ``random.Random``. Faker is
seeded, so the pools, and with them the whole demo, are the same for the same seed.
"""

from __future__ import annotations

import functools
import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from skydd.errors import MissingExtraError

LOCALES = {"SE": "sv_SE", "DK": "da_DK", "GB": "en_GB"}
LANGUAGE = {"SE": "sv", "DK": "da", "GB": "en"}
COMPANY_SUFFIX = {"SE": ("AB",), "DK": ("A/S", "ApS"), "GB": ("Ltd", "Ltd", "plc")}
TLD = {"SE": "se", "DK": "dk", "GB": "co.uk"}
SECTORS = {
    "SE": (
        "Maskin",
        "Bygg",
        "Teknik",
        "Kyla",
        "Transport",
        "Entreprenad",
        "Fastighet",
        "Service",
        "Industri",
        "Logistik",
        "Energi",
        "Lantbruk",
        "VVS",
        "El",
        "Verkstad",
    ),
    "DK": (
        "Maskiner",
        "Byg",
        "Teknik",
        "Køl",
        "Transport",
        "Entreprise",
        "Ejendomme",
        "Service",
        "Industri",
        "Logistik",
        "Energi",
        "Landbrug",
        "VVS",
        "El",
        "Værksted",
    ),
    "GB": (
        "Plant Hire",
        "Construction",
        "Engineering",
        "Refrigeration",
        "Haulage",
        "Groundworks",
        "Property",
        "Services",
        "Industries",
        "Logistics",
        "Energy",
        "Agriculture",
        "Plumbing",
        "Electrical",
        "Fabrication",
    ),
}
# Faker's en_GB towns are invented ("New Dianeton"); real ones read better in a demo.
GB_TOWNS = (
    ("London", "SW1"),
    ("London", "EC2"),
    ("Manchester", "M1"),
    ("Birmingham", "B4"),
    ("Leeds", "LS1"),
    ("Glasgow", "G2"),
    ("Bristol", "BS1"),
    ("Sheffield", "S1"),
    ("Liverpool", "L2"),
    ("Nottingham", "NG1"),
    ("Leicester", "LE1"),
    ("Cardiff", "CF10"),
    ("Edinburgh", "EH1"),
    ("Newcastle upon Tyne", "NE1"),
    ("Coventry", "CV1"),
    ("Belfast", "BT1"),
    ("Hull", "HU1"),
    ("Plymouth", "PL1"),
    ("Derby", "DE1"),
    ("Southampton", "SO14"),
    ("Reading", "RG1"),
    ("Norwich", "NR1"),
    ("York", "YO1"),
    ("Exeter", "EX1"),
    ("Aberdeen", "AB10"),
    ("Preston", "PR1"),
    ("Ipswich", "IP1"),
    ("Peterborough", "PE1"),
    ("Carlisle", "CA1"),
    ("Doncaster", "DN1"),
)
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "ß": "ss", "ð": "d", "þ": "th", "ł": "l"})


@functools.lru_cache(maxsize=65_536)
def ascii_slug(text: str, sep: str = "") -> str:
    """'Åsa Öberg-Nørgaard' -> 'asaoberg-norgaard' (sep joins words), for emails and domains."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    plain = "".join(ch for ch in folded if ch.isascii())
    words = ["".join(ch for ch in word if ch.isalnum() or ch == "-") for word in plain.split()]
    return sep.join(word for word in words if word)


@dataclass(frozen=True)
class LocalePool:
    """What one country's people and companies are made of."""

    country: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    towns: tuple[tuple[str, str], ...]  # (postcode, town)
    company_names: tuple[str, ...]
    jobs: tuple[str, ...]
    staff: tuple[str, ...]  # the controller's own employees, for "handled by" columns


def _faker(country: str, seed: int) -> Any:
    try:
        from faker import Faker
    except ImportError:
        raise MissingExtraError("faker", "demo", "Building demo databases") from None
    fake = Faker(LOCALES[country])
    fake.seed_instance(seed)
    return fake


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _postcode(country: str, raw: str, rng: random.Random) -> str:
    if country == "SE":
        plain = raw.replace(" ", "")
        return f"{plain[:3]} {plain[3:]}"
    if country == "GB":
        return raw
    return raw


@functools.cache
def locale_pool(country: str, seed: int, size: int = 600) -> LocalePool:
    """Draw one country's pools from Faker (about 0.2 s; cached per process)."""
    fake = _faker(country, seed)
    rng = random.Random(f"pool:{country}:{seed}")
    first = _unique([fake.first_name() for _ in range(size)])
    last = _unique([fake.last_name() for _ in range(size)])
    streets = _unique([fake.street_name() for _ in range(size)])
    if country == "GB":
        towns = tuple(
            (
                f"{area} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                town,
            )
            for town, area in (GB_TOWNS[i % len(GB_TOWNS)] for i in range(size // 2))
        )
    else:
        towns = tuple(
            (_postcode(country, fake.postcode(), rng), fake.city()) for _ in range(size // 2)
        )
    suffixes, sectors = COMPANY_SUFFIX[country], SECTORS[country]
    companies = [fake.company() for _ in range(size // 3)]
    for _ in range(3 * size):
        pattern = rng.randrange(3)
        surname = last[rng.randrange(len(last))]
        if pattern == 0:
            companies.append(f"{surname} {rng.choice(sectors)} {rng.choice(suffixes)}")
        elif pattern == 1:
            town = towns[rng.randrange(len(towns))][1]
            companies.append(f"{town} {rng.choice(sectors)} {rng.choice(suffixes)}")
        else:
            other = last[rng.randrange(len(last))]
            companies.append(f"{surname} & {other} {rng.choice(suffixes)}")
    jobs = _unique([fake.job() for _ in range(200)])
    staff = tuple(
        f"{first[rng.randrange(len(first))]} {last[rng.randrange(len(last))]}" for _ in range(12)
    )
    return LocalePool(country, first, last, streets, towns, _unique(companies), jobs, staff)
