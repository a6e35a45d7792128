"""Plausible identity values: phone numbers, personnummer, organisation numbers, IMEIs.

Every value is built from digits drawn by the caller's ``random.Random`` and is valid
the way real ones are (Luhn, mod 11, mod 97), so that Skydd's normalisers accept them
and a scanner finds the ones planted where they do not belong. Phone numbers are kept
as the national significant number (``701234567``) and written in one of several
styles, because real systems each store them their own way.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

T = TypeVar("T")
COUNTRY_CODES = {"SE": "46", "DK": "45", "GB": "44"}

PhoneStyle = Callable[[str], str]


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # a digit doubled, its digits summed


def luhn_digit(digits: str) -> str:
    """The Luhn check digit that makes ``digits + check`` pass the mod 10 test."""
    reverse = digits[::-1]
    total = sum(_DOUBLED[int(d)] for d in reverse[0::2]) + sum(int(d) for d in reverse[1::2])
    return str((10 - total % 10) % 10)


def below(rng: random.Random, n: int) -> int:
    """A number in [0, n): int(random() * n), five times faster than randrange."""
    return int(rng.random() * n)


def between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low))


def pick(rng: random.Random, values: Sequence[T]) -> T:
    return values[int(rng.random() * len(values))]


def digits(rng: random.Random, count: int) -> str:
    if count > 12:
        return digits(rng, count - 12) + digits(rng, 12)
    return f"{int(rng.random() * 10**count):0{count}d}"


# --- phone numbers -----------------------------------------------------------------------
# Prefixes checked against phonenumbers' metadata (tests/demo/test_formats.py): every
# number drawn from them is valid, so matching across systems never fails on a bad number.

_MOBILE: dict[str, tuple[tuple[str, ...], int]] = {
    "SE": (("70", "72", "73", "76", "79"), 9),
    "DK": (tuple(f"2{a}{b}" for a in range(1, 10) for b in range(1, 10)), 8),
    "GB": (("74", "75", "78", "79"), 10),
}
_LANDLINE: dict[str, tuple[tuple[str, ...], int]] = {
    "SE": (("8", "31", "40", "18", "13", "60"), 9),
    "DK": (("331", "332", "351", "362", "381", "391", "431", "451", "961", "991"), 8),
    "GB": (("207", "203", "161", "1213", "141", "1134", "1173", "1314"), 10),
}


def mobile(rng: random.Random, country: str) -> str:
    """A mobile number's national significant number (no trunk 0, no country code)."""
    prefixes, size = _MOBILE[country]
    prefix = prefixes[below(rng, len(prefixes))]
    return prefix + digits(rng, size - len(prefix))


def landline(rng: random.Random, country: str) -> str:
    prefixes, size = _LANDLINE[country]
    prefix = prefixes[below(rng, len(prefixes))]
    return prefix + digits(rng, size - len(prefix))


def e164(country: str, nsn: str) -> str:
    return f"+{COUNTRY_CODES[country]}{nsn}"


def _se_national(n: str) -> str:
    if n.startswith("7"):  # mobile: 070-123 45 67
        return f"0{n[:2]}-{n[2:5]} {n[5:7]} {n[7:]}"
    area = 1 if n.startswith("8") else 2
    rest = n[area:]
    return f"0{n[:area]}-{rest[:-4]} {rest[-4:-2]} {rest[-2:]}"


def _gb_national(n: str) -> str:
    if n.startswith("7"):  # mobile: 07700 900123
        return f"0{n[:4]} {n[4:]}"
    if n.startswith("2"):  # London: 020 7946 0123
        return f"0{n[:2]} {n[2:6]} {n[6:]}"
    return f"0{n[:3]} {n[3:6]} {n[6:]}"  # 0161 496 0123


def _pairs(n: str) -> str:
    return " ".join(n[i : i + 2] for i in range(0, len(n), 2))


# Styles per country: national ones first, then international. A system stores most
# numbers in its own style; people abroad are always stored internationally.
PHONE_STYLES: dict[str, tuple[PhoneStyle, ...]] = {
    "SE": (
        _se_national,  # 070-123 45 67
        lambda n: f"+46{n}",  # +46701234567
        lambda n: f"0{n}",  # 0701234567
        lambda n: "+46 " + _se_national(n)[1:].replace("-", " "),  # +46 70 123 45 67
        lambda n: _se_national(n).replace("-", " "),  # 070 123 45 67
        lambda n: f"0046{n}",  # 0046701234567
    ),
    "DK": (
        _pairs,  # 21 34 56 78
        lambda n: f"+45{n}",  # +4521345678
        lambda n: n,  # 21345678
        lambda n: "+45 " + _pairs(n),  # +45 21 34 56 78
        lambda n: "0045 " + n,  # 0045 21345678
    ),
    "GB": (
        _gb_national,  # 07700 900123
        lambda n: f"+44{n}",  # +447700900123
        lambda n: f"0{n}",  # 07700900123
        lambda n: "+44 " + _gb_national(n)[1:],  # +44 7700 900123
    ),
}
INTERNATIONAL_STYLES: dict[str, tuple[PhoneStyle, ...]] = {
    "SE": (PHONE_STYLES["SE"][1], PHONE_STYLES["SE"][3]),
    "DK": (PHONE_STYLES["DK"][1], PHONE_STYLES["DK"][3]),
    "GB": (PHONE_STYLES["GB"][1], PHONE_STYLES["GB"][3]),
}


def spoken(country: str, nsn: str) -> str:
    """The number as a person would write it in a note: the national style."""
    return PHONE_STYLES[country][0](nsn)


# --- national identity numbers ----------------------------------------------------------


def personnummer(rng: random.Random, year: int, month: int, day: int) -> str:
    """A valid Swedish personnummer, canonical 12 digits YYYYMMDDNNNN."""
    serial = digits(rng, 3)
    short = f"{year % 100:02d}{month:02d}{day:02d}{serial}"
    return f"{year:04d}{month:02d}{day:02d}{serial}{luhn_digit(short)}"


PNR_STYLES: tuple[Callable[[str], str], ...] = (
    lambda p: f"{p[:8]}-{p[8:]}",  # 19850612-1234
    lambda p: f"{p[2:8]}-{p[8:]}",  # 850612-1234
    lambda p: p,  # 198506121234
)


def cpr(born: date, serial: int) -> str:
    """A Danish CPR number DDMMYY-SSSS whose first serial digit fits the century."""
    first = "0" if born.year < 2000 else "4"
    return f"{born:%d%m%y}-{first}{serial % 1000:03d}"


def ni_number(rng: random.Random) -> str:
    """A UK National Insurance number in the common printed form."""
    letters = "ABCEGHJKLMNPRSTWXYZ"
    return (
        f"{pick(rng, letters)}{pick(rng, letters)} {digits(rng, 2)} {digits(rng, 2)} "
        f"{digits(rng, 2)} {pick(rng, 'ABCD')}"
    )


# --- organisations -----------------------------------------------------------------------


def org_number(rng: random.Random, country: str) -> str:
    """SE organisationsnummer (Luhn), DK CVR (mod 11) or a UK company number."""
    if country == "SE":
        head = "556" + digits(rng, 6)
        return f"{head[:6]}-{head[6:]}{luhn_digit(head)}"
    if country == "DK":
        weights = (2, 7, 6, 5, 4, 3, 2)
        while True:
            head = str(between(rng, 1, 10)) + digits(rng, 6)
            check = -sum(int(d) * w for d, w in zip(head, weights, strict=True)) % 11
            if check < 10:
                return head + str(check)
    return ("SC" + digits(rng, 6)) if rng.random() < 0.1 else ("0" + digits(rng, 7))


def vat_number(country: str, org: str) -> str:
    if country == "SE":
        return "SE" + org.replace("-", "") + "01"
    if country == "DK":
        return "DK" + org
    return "GB" + str(abs(hash_digits(org)) % 10**9).zfill(9)


def hash_digits(text: str) -> int:
    """A stable number from a text (Python's hash() changes between runs)."""
    value = 0
    for char in text:
        value = (value * 131 + ord(char)) % 1_000_000_007
    return value


# --- money -------------------------------------------------------------------------------


def iban(rng: random.Random, country: str) -> str:
    """An IBAN with correct check digits, printed in groups of four."""
    if country == "SE":
        bban = digits(rng, 3) + digits(rng, 17)
    elif country == "DK":
        bban = digits(rng, 14)
    else:
        bban = pick(rng, ("NWBK", "BARC", "LOYD", "HBUK")) + digits(rng, 14)
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    check = 98 - number % 97
    text = f"{country}{check:02d}{bban}"
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def bank_account(rng: random.Random, country: str) -> str:
    if country == "SE":
        return f"{pick(rng, ('8327-9', '6000', '5000', '3300', '9150'))}, {digits(rng, 9)}"
    if country == "DK":
        return f"{digits(rng, 4)} {digits(rng, 10)}"
    return f"{digits(rng, 2)}-{digits(rng, 2)}-{digits(rng, 2)} {digits(rng, 8)}"


def bankgiro(rng: random.Random) -> str:
    head = str(between(rng, 100, 10000)) + digits(rng, 3)
    number = head + luhn_digit(head)
    return f"{number[:-4]}-{number[-4:]}"


def plusgiro(rng: random.Random) -> str:
    head = str(between(rng, 10000, 1000000))
    return f"{head}-{luhn_digit(head)}"


def card_number(rng: random.Random) -> str:
    """A Luhn-valid 16-digit Visa-style card number, printed in groups of four."""
    head = "4" + digits(rng, 14)
    number = head + luhn_digit(head)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


# --- devices -----------------------------------------------------------------------------


def imei(rng: random.Random) -> str:
    """15 digits: an 8-digit type allocation code, 6 serial digits, a Luhn check digit."""
    head = pick(rng, ("35", "86", "01")) + digits(rng, 12)
    return head + luhn_digit(head)


def mac_address(rng: random.Random) -> str:
    prefix = pick(rng, ("3C:71:BF", "24:0A:C4", "B8:27:EB", "00:1E:C0", "DC:A6:32"))
    tail = rng.getrandbits(24)
    return f"{prefix}:{tail >> 16:02X}:{(tail >> 8) & 255:02X}:{tail & 255:02X}"


_IP_FIRST = (78, 81, 83, 85, 90, 94, 95, 109, 151, 176, 185, 188, 193, 194, 212, 213, 217)


def ip_of(n: int) -> str:
    """A public-looking IPv4 address that is a fixed function of n (a person's own line)."""
    h = (n * 2_654_435_761 + 0x9E3779B9) % 2**32
    first = _IP_FIRST[h % len(_IP_FIRST)]
    return f"{first}.{(h >> 8) & 255}.{(h >> 16) & 255}.{1 + (h >> 24) % 254}"


def public_ip(rng: random.Random) -> str:
    """A public-looking IPv4 address (no private, loopback or documentation ranges)."""
    return (
        f"{_IP_FIRST[below(rng, len(_IP_FIRST))]}.{below(rng, 256)}."
        f"{below(rng, 256)}.{between(rng, 1, 255)}"
    )
