"""Validators: a pattern finds a candidate, a validator decides whether it is one.

Each takes the matched text and a `Ctx` (is the column named for this detector, is a
telling word such as "bankgiro" just before it) and answers True or False. They are
called only on candidates, so they may be as careful as needed: check digits, real
dates, issuer ranges, the phone numbering plans.
"""

from __future__ import annotations

import calendar
import ipaddress
import re
from collections.abc import Callable
from datetime import date

from stdnum import iban as _iban
from stdnum import imei as _imei

from skydd.identity import try_normalise

_NOT_DIGIT = re.compile(r"\D")


class Ctx:
    """What the engine knows around a candidate.

    hinted: the column's name suggests this detector (a column called `bankgiro`).
    near: one of the detector's context words stands just before the candidate
    (looked up only when a validator asks).
    today: pins the century of 10-digit personnummer (tests).
    """

    __slots__ = ("_near", "_probe", "hinted", "today")

    def __init__(
        self,
        hinted: bool = False,
        near: bool | None = False,
        today: date | None = None,
        probe: Callable[[], bool] | None = None,
    ) -> None:
        self.hinted = hinted
        self.today = today
        self._near = near
        self._probe = probe

    @property
    def near(self) -> bool:
        if self._near is None:
            self._near = bool(self._probe and self._probe())
        return self._near

    @property
    def supported(self) -> bool:
        return self.hinted or self.near


def digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def email(text: str, ctx: Ctx) -> bool:
    return try_normalise("email", text) is not None


# --- Swedish personnummer, samordningsnummer, organisationsnummer ----------------------


def swedish_mobile_shaped(text: str) -> bool:
    """Ten bare digits starting 07 that are a valid Swedish mobile number: written like
    that, a phone number is far likelier than an identity number."""
    return (
        len(text) == 10
        and text.startswith("07")
        and text.isdigit()
        and try_normalise("phone", text, region="SE") is not None
    )


_DOUBLED = str.maketrans("0123456789", "0246813579")  # digit sum of 2 * d


def luhn(d: str) -> bool:
    """The Luhn (mod 10) check on a string of ASCII digits, without a Python-level loop."""
    r = d[::-1]
    return (sum(map(int, r[0::2])) + sum(map(int, r[1::2].translate(_DOUBLED)))) % 10 == 0


_PNR = re.compile(r"(\d{2})?(\d{2})(\d{2})(\d{2})([-+ ]?)(\d{4})")


def _pnr(text: str, today: date | None) -> bool | None:
    """None if not a personnummer or samordningsnummer, else whether it is the latter.

    The rules of identity.py (real date, not in the future, Luhn; 10-digit numbers
    belong to the latest century that is not in the future, "+" 100 years before), in
    one pass: python-stdnum's se.personnummer rejects samordningsnummer.
    """
    found = _PNR.fullmatch(text)
    if found is None:
        return None
    century, yy, mm, dd, sep, serial = found.groups()
    if not luhn(yy + mm + dd + serial):
        return None
    month, day = int(mm), int(dd)
    coordination = day > 60
    if coordination:
        day -= 60
    now = today or date.today()
    if century is not None:
        year = int(century + yy)
    else:
        year = now.year - (now.year - int(yy)) % 100
        if (year, month, day) > (now.year, now.month, now.day):
            year -= 100
        if sep == "+":
            year -= 100
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    if (year, month, day) > (now.year, now.month, now.day):
        return None
    return coordination


def personnummer(text: str, ctx: Ctx) -> bool:
    """A valid personnummer whose day is a real day of the month (not +60)."""
    if swedish_mobile_shaped(text) and not ctx.supported:
        return False
    return _pnr(text, ctx.today) is False


def samordningsnummer(text: str, ctx: Ctx) -> bool:
    """A coordination number: day of birth + 60, real date, Luhn check digit.

    python-stdnum's se.personnummer rejects these; identity.py has the same rules.
    """
    return _pnr(text, ctx.today) is True


def organisationsnummer(text: str, ctx: Ctx) -> bool:
    """Ten digits (or 16 + ten), first digit a kind of organisation (not 0 or 4), third
    digit 2 or more (a personnummer has a month there), Luhn check digit. A sole
    trader's orgnr is their personnummer, and found as one."""
    d = digits(text)
    if len(d) == 12:
        if not d.startswith("16"):
            return False
        d = d[2:]
    # The first digit is the kind of organisation: 0 and 4 are not used.
    return len(d) == 10 and d[0] not in "04" and d[2] >= "2" and luhn(d)


# --- Danish CPR -------------------------------------------------------------------------


def cpr(text: str, ctx: Ctx) -> bool:
    """DDMMYY-SSSS with a real birth date (century from the 7th digit).

    Modulus 11 is deliberately not required: since 1 October 2007 CPR numbers are
    issued that fail it, so requiring it would miss real people born since.
    """
    if swedish_mobile_shaped(text) and not ctx.supported:
        return False
    return try_normalise("cpr", text, today=ctx.today) is not None


# --- payment cards, bank accounts --------------------------------------------------------

# (first digits low, high, lengths): the public IIN ranges of the schemes in use.
_CARD_RANGES: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (6011, 6011, frozenset({16, 17, 18, 19})),  # Discover
    (644, 649, frozenset({16, 17, 18, 19})),
    (65, 65, frozenset({16, 17, 18, 19})),
    (3528, 3589, frozenset({16, 17, 18, 19})),  # JCB
    (300, 305, frozenset({14, 15, 16, 17, 18, 19})),  # Diners Club
    (36, 36, frozenset({14, 15, 16, 17, 18, 19})),
    (38, 39, frozenset({16, 17, 18, 19})),
    (62, 62, frozenset({16, 17, 18, 19})),  # UnionPay
    (50, 50, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),  # Maestro
    (56, 58, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    (639, 639, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    (6759, 6759, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),  # Maestro UK
    (5019, 5019, frozenset({16})),  # Dankort
    (4571, 4571, frozenset({16})),  # Visa/Dankort
)


def card_issuer_ok(d: str) -> bool:
    """True if the number's prefix belongs to a card scheme that issues this length."""
    for low, high, lengths in _CARD_RANGES:
        size = len(str(low))
        if low <= int(d[:size]) <= high and len(d) in lengths:
            return True
    return False


def card_number(text: str, ctx: Ctx) -> bool:
    """Luhn check digit, a length the scheme issues and a prefix in a scheme's range."""
    d = digits(text)
    if not 12 <= len(d) <= 19 or len(set(d)) < 2:
        return False
    return luhn(d) and card_issuer_ok(d)


def iban(text: str, ctx: Ctx) -> bool:
    """Country format and the mod-97 check, by python-stdnum."""
    return bool(_iban.is_valid(text))


def _giro(text: str, ctx: Ctx, lengths: range) -> bool:
    d = digits(text)
    return ctx.supported and len(d) in lengths and len(set(d)) > 1 and luhn(d)


def bankgiro(text: str, ctx: Ctx) -> bool:
    """7 or 8 digits written NNN-NNNN / NNNN-NNNN, mod-10 (Luhn) check digit.

    Any 10th such number passes the check by chance, so the word bankgiro (or BG) just
    before it, or a column named for it, is required as well.
    """
    return _giro(text, ctx, range(7, 9))


def plusgiro(text: str, ctx: Ctx) -> bool:
    """2 to 8 digits with the check digit after a hyphen, mod-10; needs its word or column."""
    return _giro(text, ctx, range(2, 9))


# --- network and devices ----------------------------------------------------------------


def ipv4(text: str, ctx: Ctx) -> bool:
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return not (address.is_unspecified or address.is_loopback)


def ipv6(text: str, ctx: Ctx) -> bool:
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return False
    groups = [g for g in text.split(":") if g]
    return len(groups) >= 3 and not (address.is_unspecified or address.is_loopback)


def mac_address(text: str, ctx: Ctx) -> bool:
    """Six octets; all-zero and broadcast are placeholders, not a device."""
    hexes = re.sub(r"[^0-9A-Fa-f]", "", text).lower()
    separators = set(re.sub(r"[0-9A-Fa-f]", "", text))
    return len(hexes) == 12 and len(separators) <= 1 and hexes not in ("0" * 12, "f" * 12)


# Reporting body identifiers: the first two digits of every allocated TAC (GSMA).
_IMEI_RBI = frozenset({"01", "10", "30", "33", "35", "44", "45", "49", "50", "51", "52"}) | {
    "53",
    "54",
    "86",
    "91",
    "98",
    "99",
}


def imei(text: str, ctx: Ctx) -> bool:
    """15 digits, Luhn (python-stdnum), and a TAC from a real reporting body (AD-1)."""
    d = digits(text)
    return len(d) == 15 and d[:2] in _IMEI_RBI and bool(_imei.is_valid(d))


# --- phone numbers ------------------------------------------------------------------------

PHONE_COUNTRIES = frozenset({"46", "45", "47", "358", "354", "44"})
"""Nordic countries and the UK: the numbers the scanner reports."""
_NATIONAL_REGIONS = ("SE", "GB")
_ID_SHAPE = re.compile(r"(?:\d{2})?\d{6}[-+]\d{4}")
_DATE_SHAPES = (
    re.compile(r"(\d{4})[-./ ]?(\d{2})[-./ ]?(\d{2})"),  # 2024-05-17, 20240517
    re.compile(r"(\d{2})[-./ ](\d{2})[-./ ](\d{4})"),  # 17-05-2024
)


def looks_like_date(text: str) -> bool:
    """True for a string that reads as a real calendar date (year 1900-2099)."""
    compact = text.strip()
    for shape in _DATE_SHAPES:
        found = shape.fullmatch(compact)
        if found is None:
            continue
        a, b, c = (int(x) for x in found.groups())
        year, first, second = (a, b, c) if a > 1000 else (c, b, a)
        if not 1900 <= year <= 2099:
            continue
        for month, day in ((first, second), (second, first)):
            try:
                date(year, month, day)
            except ValueError:
                continue
            return True
    return False


def phone(text: str, ctx: Ctx) -> bool:
    """A number valid in the numbering plan of a Nordic country or the UK (phonenumbers).

    International forms (+46, 0046) are taken as they are; national forms with a trunk
    0 are tried as Swedish and British numbers (Finnish local numbers are so short that
    too many references read as one: Finland counts with +358), and fewer than 10 bare
    digits need a phone column or word before them; Danish and Norwegian numbers
    have no trunk prefix, so 8 bare digits need a column named for phones or a word such
    as "tlf" before them. Anything that reads as a date is not a phone number.
    """
    compact = text.strip()
    if looks_like_date(compact) or len(set(digits(compact))) < 3:
        return False
    if _ID_SHAPE.fullmatch(compact) and not ctx.supported:
        return False  # 040310-5569 is written like an identity number, not a phone
    plain = compact.replace(" ", "").replace("-", "")
    if compact.startswith(("+", "00")):
        e164 = try_normalise("phone", compact, region="SE")
        return e164 is not None and any(e164[1:].startswith(c) for c in PHONE_COUNTRIES)
    if plain.startswith("0") or plain.startswith("(0"):
        if compact.isdigit() and len(compact) < 10 and not ctx.supported:
            return False  # 05811316: a bare short number is more often a reference
        # British national numbers have 11 digits, Swedish ones up to 10: try the likelier first.
        regions = _NATIONAL_REGIONS[::-1] if len(digits(compact)) == 11 else _NATIONAL_REGIONS
        return any(try_normalise("phone", compact, region=r) is not None for r in regions)
    if ctx.supported and len(digits(compact)) == 8:
        return any(try_normalise("phone", compact, region=r) is not None for r in ("DK", "NO"))
    return False


# --- postcodes ------------------------------------------------------------------------------

_UK_POSTCODE = re.compile(
    r"(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})"
)


def uk_postcode(text: str) -> bool:
    return _UK_POSTCODE.fullmatch(text.upper().strip()) is not None


def postcode(text: str, ctx: Ctx) -> bool:
    """A UK postcode anywhere; a Swedish (NNN NN) or Danish (NNNN) one followed by a town,
    or on its own in a column named for postcodes."""
    head = text.strip().split()
    if uk_postcode(text):
        return True
    if not head:
        return False
    code = head[0].removeprefix("DK-").removeprefix("SE-")
    if len(head) >= 2 and head[1].isdigit():
        code += head[1]
        rest = head[2:]
    else:
        rest = head[1:]
    town = bool(rest) and rest[0][:1].isupper()
    if not (town or ctx.hinted):
        return False
    if len(code) == 5 and code.isdigit():
        return code[0] != "0"  # Swedish postcodes run from 100 00 to 984 99
    return len(code) == 4 and code.isdigit() and 1000 <= int(code) <= 9990
