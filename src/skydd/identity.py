"""Identity normalisers: one person, one canonical value, however each table wrote it.

A data subject request is matched across systems by identity columns. The same
person is stored as ``070-123 45 67`` in one table and ``+46701234567`` in another,
or as ``Anna@Example.se`` and ``anna@example.se``; matching compares canonical
values, never raw ones. Identities are personal data, so errors show a masked
value only (see :func:`mask`).
"""

from __future__ import annotations

import calendar
import functools
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberDesc

from skydd.errors import SkyddError

__all__ = [
    "BUILTIN_KINDS",
    "IdentityError",
    "IdentityKind",
    "is_samordningsnummer",
    "is_valid_personnummer",
    "luhn_ok",
    "mask",
    "normalise",
    "normalise_personnummer",
    "resolve_kind",
    "try_normalise",
]


def mask(value: str) -> str:
    """Hide the middle of an identity so an error can point at it without disclosing it.

    Keeps the first two and last two characters of long values, one and one of
    short ones, nothing of very short ones; the length stays visible because
    "11 digits instead of 10" is often the mistake.
    """
    text = value.strip()
    size = len(text)
    keep = 2 if size >= 8 else 1 if size >= 5 else 0
    if keep == 0:
        return "*" * size
    return text[:keep] + "*" * (size - 2 * keep) + text[-keep:]


class IdentityError(SkyddError):
    """An identity value or identity kind cannot be used; the value is never echoed in full."""

    def __init__(self, message: str, hint: str | None = None, *, kind: str | None = None) -> None:
        super().__init__(message, hint)
        self.kind = kind

    @classmethod
    def invalid(cls, kind: str, value: str, problem: str, expected: str) -> IdentityError:
        """Build the error for a value that does not normalise, with the value masked."""
        return cls(f"{kind} '{mask(value)}' {problem}; expected {expected}", kind=kind)


class _Invalid(Exception):
    """Raised by the raw normalisers; turned into IdentityError with the declared kind name."""

    def __init__(self, problem: str, expected: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.expected = expected


_RawNormaliser = Callable[[str, str, date | None], str]


@dataclass(frozen=True)
class IdentityKind:
    """A kind of identity value, with the function that makes it canonical."""

    name: str
    labels: dict[str, str]
    description: str
    normalise: Callable[[str, str], str]


# --- checksums -------------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    """True if the last digit is the Luhn (mod 10) check digit of the others."""
    if not digits or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _date_exists(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _not_empty(value: str, expected: str) -> str:
    text = value.strip()
    if not text:
        raise _Invalid("is empty", expected)
    return text


# --- Swedish personnummer and samordningsnummer ---------------------------------------

_PNR_EXPECTED = (
    "a Swedish personnummer or samordningsnummer: YYYYMMDD-NNNN, YYMMDD-NNNN, "
    "YYMMDD+NNNN (100 years or older) or the same without separator"
)
_PNR_RE = re.compile(r"([0-9]{2})?([0-9]{2})([0-9]{2})([0-9]{2})([-+ ]?)([0-9]{4})")


def _parse_personnummer(value: str, today: date | None) -> tuple[str, bool]:
    """Return (canonical 12 digits, is samordningsnummer) or raise _Invalid.

    python-stdnum rejects samordningsnummer (day of month + 60), which Skatteverket
    gives people who are not or not yet registered in Sweden, so the rules are here.
    """
    text = _not_empty(value, _PNR_EXPECTED)
    found = _PNR_RE.fullmatch(text)
    if found is None:
        raise _Invalid("does not have 10 or 12 digits in the expected layout", _PNR_EXPECTED)
    century, yy, mm, dd, separator, serial = found.groups()
    month, day = int(mm), int(dd)
    coordination = day > 60
    birth_day = day - 60 if coordination else day
    now = today or date.today()
    if century is not None:
        year = int(century + yy)
    else:
        # The most recent year with these two digits whose date is not in the future
        # (the person is under 100); "+" is written from the 100th birthday on.
        year = now.year - (now.year - int(yy)) % 100
        if (year, month, birth_day) > (now.year, now.month, now.day):
            year -= 100
        if separator == "+":
            year -= 100
    if not _date_exists(year, month, birth_day):
        raise _Invalid("contains a birth date that does not exist", _PNR_EXPECTED)
    if (year, month, birth_day) > (now.year, now.month, now.day):
        raise _Invalid("contains a birth date in the future", _PNR_EXPECTED)
    if not luhn_ok(yy + mm + dd + serial):
        raise _Invalid("has a wrong check digit (the last digit)", _PNR_EXPECTED)
    return f"{year:04d}{mm}{dd}{serial}", coordination


def normalise_personnummer(value: str, *, today: date | None = None) -> str:
    """Canonical YYYYMMDDNNNN for a personnummer or samordningsnummer; ``today`` fixes the
    century of 10-digit numbers in tests."""
    try:
        return _parse_personnummer(value, today)[0]
    except _Invalid as invalid:
        raise IdentityError.invalid(
            "personnummer", value, invalid.problem, invalid.expected
        ) from None


def is_valid_personnummer(value: str, *, today: date | None = None) -> bool:
    """True for a valid personnummer *or* samordningsnummer (both identify a person)."""
    try:
        _parse_personnummer(value, today)
    except _Invalid:
        return False
    return True


def is_samordningsnummer(value: str, *, today: date | None = None) -> bool:
    """True only for a valid samordningsnummer (coordination number: day of month + 60)."""
    try:
        return _parse_personnummer(value, today)[1]
    except _Invalid:
        return False


def _personnummer(value: str, region: str, today: date | None) -> str:
    return _parse_personnummer(value, today)[0]


# --- Swedish organisationsnummer --------------------------------------------------------

_ORGNR_EXPECTED = "a Swedish organisationsnummer: NNNNNN-NNNN (10 digits, Luhn check digit)"
_ORGNR_RE = re.compile(r"(16|19|20)?([0-9]{6})[- ]?([0-9]{4})")


def _orgnr(value: str, region: str, today: date | None) -> str:
    # 12-digit forms: "16" + number is Skatteverket's form for legal entities; 19/20 +
    # number is a sole trader's personnummer, which is also their organisationsnummer.
    text = _not_empty(value, _ORGNR_EXPECTED)
    found = _ORGNR_RE.fullmatch(text)
    if found is None:
        raise _Invalid("does not have 10 digits in the expected layout", _ORGNR_EXPECTED)
    _, head, tail = found.groups()
    if not luhn_ok(head + tail):
        raise _Invalid("has a wrong check digit (the last digit)", _ORGNR_EXPECTED)
    return f"{head}-{tail}"


# --- Danish CPR -------------------------------------------------------------------------

_CPR_EXPECTED = "a Danish CPR number: DDMMYY-SSSS (10 digits)"
_CPR_RE = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})[- ]?([0-9]{4})")


def _cpr_century(yy: int, seventh: int) -> int:
    """Century from the first serial digit (CPR-kontoret's table)."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def _cpr(value: str, region: str, today: date | None) -> str:
    # No modulus-11 check: since October 2007 numbers are issued that fail it.
    text = _not_empty(value, _CPR_EXPECTED)
    found = _CPR_RE.fullmatch(text)
    if found is None:
        raise _Invalid("does not have 10 digits in the expected layout", _CPR_EXPECTED)
    dd, mm, yy, serial = found.groups()
    year = _cpr_century(int(yy), int(serial[0])) + int(yy)
    if not _date_exists(year, int(mm), int(dd)):
        raise _Invalid("contains a birth date that does not exist", _CPR_EXPECTED)
    now = today or date.today()
    if (year, int(mm), int(dd)) > (now.year, now.month, now.day):
        raise _Invalid("contains a birth date in the future", _CPR_EXPECTED)
    return f"{dd}{mm}{yy}-{serial}"


# --- email ------------------------------------------------------------------------------

_EMAIL_EXPECTED = "an email address such as name@example.se"
_EMAIL_FORBIDDEN = frozenset(' \t\r\n\x0b\x0c"(),:;<>[\\]')


def _email(value: str, region: str, today: date | None) -> str:
    # Local parts are case-sensitive in theory and never in practice; matching must
    # treat Anna@Example.se and anna@example.se as one person.
    text = _not_empty(value, _EMAIL_EXPECTED)
    if text[:7].lower() == "mailto:":
        text = text[7:]
    if text.endswith(">") and "<" in text:  # "Anna Svensson <anna@example.se>"
        text = text[text.rindex("<") + 1 : -1].strip()
    text = text.casefold()
    local, at, domain = text.rpartition("@")
    if not at:
        raise _Invalid("has no '@'", _EMAIL_EXPECTED)
    if not local or not domain:
        raise _Invalid("has nothing before or after the '@'", _EMAIL_EXPECTED)
    if "@" in local:
        raise _Invalid("has more than one '@'", _EMAIL_EXPECTED)
    if not _EMAIL_FORBIDDEN.isdisjoint(text):
        raise _Invalid("contains spaces or characters not allowed in an address", _EMAIL_EXPECTED)
    if "." not in domain or ".." in text or domain[0] in ".-" or domain[-1] in ".-":
        raise _Invalid("does not have a domain such as example.se", _EMAIL_EXPECTED)
    if local[0] == "." or local[-1] == "." or len(text) > 254:
        raise _Invalid("is not shaped like an address", _EMAIL_EXPECTED)
    return text


# --- phone ------------------------------------------------------------------------------

_PHONE_SEPARATORS = str.maketrans("", "", " \t\u00a0-./()")
# Validity only asks whether *some* type matches, so the common types go first.
_NUMBER_TYPES = (
    "mobile",
    "fixed_line",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)

_Desc = tuple[frozenset[int], re.Pattern[str]]


@dataclass(frozen=True)
class _Region:
    """Compiled phonenumbers metadata for one region, so each number costs a few regex
    matches instead of a full ``phonenumbers.parse`` (about 5x faster)."""

    code: str
    country_code: int
    idd: str | None
    national_prefix: re.Pattern[str] | None
    prefix_has_groups: bool
    leading_digits: re.Pattern[str] | None
    general: _Desc | None
    types: tuple[_Desc, ...]


def _desc(desc: PhoneNumberDesc | None) -> _Desc | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length), re.compile(desc.national_number_pattern)


def _matches(desc: _Desc | None, number: str) -> bool:
    if desc is None:
        return False
    lengths, pattern = desc
    if lengths and len(number) not in lengths:
        return False
    return pattern.fullmatch(number) is not None


@functools.cache
def _region(code: str) -> _Region | None:
    metadata = PhoneMetadata.metadata_for_region(code, None)
    if metadata is None:
        return None
    prefix = metadata.national_prefix_for_parsing or None
    compiled = re.compile(prefix) if prefix else None
    idd = metadata.international_prefix
    types = tuple(
        d for d in (_desc(getattr(metadata, name)) for name in _NUMBER_TYPES) if d is not None
    )
    return _Region(
        code=code,
        country_code=int(metadata.country_code or 0),
        idd=idd if idd and idd.isdigit() else None,
        national_prefix=compiled,
        prefix_has_groups=bool(compiled and compiled.groups)
        or bool(metadata.national_prefix_transform_rule),
        leading_digits=re.compile(metadata.leading_digits) if metadata.leading_digits else None,
        general=_desc(metadata.general_desc),
        types=types,
    )


@functools.cache
def _regions_for_code(country_code: int) -> tuple[_Region, ...] | None:
    codes = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    regions = tuple(r for r in (_region(c) for c in codes) if r is not None)
    return regions if regions and len(regions) == len(codes) else None


def _is_valid_in(region: _Region, number: str) -> bool:
    return _matches(region.general, number) and any(_matches(d, number) for d in region.types)


def _plain_digits(text: str, default: _Region) -> tuple[str, bool] | None:
    """(digits, international?) with separators, "+" and a plain IDD such as 00 removed."""
    digits = text.translate(_PHONE_SEPARATORS)
    international = digits.startswith("+")
    if international:
        digits = digits[1:]
    if not (digits.isascii() and digits.isdigit()):
        return None
    if not international and default.idd and digits.startswith(default.idd):
        digits = digits[len(default.idd) :]
        if digits.startswith("0"):
            return None  # phonenumbers does not read an IDD followed by 0 as one
        international = True
    return digits, international


def _split_country_code(
    digits: str, international: bool, default: _Region
) -> tuple[int, str, tuple[_Region, ...]] | None:
    if not international:
        if digits.startswith(str(default.country_code)):
            return None  # maybe a country code written without "+": phonenumbers decides
        regions = _regions_for_code(default.country_code)
        return None if regions is None else (default.country_code, digits, regions)
    for size in (1, 2, 3):  # country codes are prefix-free
        if len(digits) > size:
            regions = _regions_for_code(int(digits[:size]))
            if regions is not None:
                return int(digits[:size]), digits[size:], regions
    return None


def _fast_e164(text: str, default: _Region) -> str | None:
    """E.164 for plainly written numbers, or None to leave the case to phonenumbers.

    It mirrors phonenumbers' parse and is_valid_number for inputs made of digits and
    common separators, and gives up on anything ambiguous (carrier codes, numbers that
    are viable with and without a trunk prefix, IDD followed by 0, non-geographic codes).
    A test compares it with phonenumbers on many random numbers.
    """
    cleaned = _plain_digits(text, default)
    if cleaned is None:
        return None
    split = _split_country_code(*cleaned, default)
    if split is None:
        return None
    country_code, rest, regions = split
    # phonenumbers strips a trunk prefix by the default region's rules for a national
    # number and by the main region's (GB for +44) for an international one.
    main = regions[0] if cleaned[1] else default
    if main.prefix_has_groups:
        return None
    if main.national_prefix is not None:
        found = main.national_prefix.match(rest)
        if found is not None:
            if main.general is not None and main.general[1].fullmatch(rest):
                return None  # viable with and without the trunk prefix
            rest = rest[found.end() :]
    for region in regions:
        if region.leading_digits is not None and region.leading_digits.match(rest):
            return f"+{country_code}{rest}" if _is_valid_in(region, rest) else None
        if _is_valid_in(region, rest):
            return f"+{country_code}{rest}"
    return None


@functools.cache
def _phone_expected(region: str) -> str:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return f"a phone number valid in {region} or an international number starting with +"
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    full = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"a phone number valid in {region} such as {national}, or an international one ({full})"


def _check_region(region: str) -> str:
    code = region.strip().upper()
    if _region(code) is None or code == "001":
        hint = "use the ISO 3166 two-letter code, e.g. SE, DK or GB (not UK)"
        raise IdentityError(f"unknown phone region '{region}'", hint, kind="phone")
    return code


# Deliberately no cache of values: identities would linger in memory after erasure.
def _e164(text: str, region: str) -> str | None:
    default = _region(region)
    assert default is not None  # _check_region ran first
    fast = _fast_e164(text, default)
    if fast is not None:
        return fast
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone(value: str, region: str, today: date | None) -> str:
    code = _check_region(region)
    text = _not_empty(value, _phone_expected(code))
    result = _e164(text, code)
    if result is None:
        raise _Invalid("is not a valid phone number", _phone_expected(code))
    return result


# --- simple kinds -----------------------------------------------------------------------


def _customer_number(value: str, region: str, today: date | None) -> str:
    return "".join(_not_empty(value, "a customer number").split()).upper()


def _username(value: str, region: str, today: date | None) -> str:
    return _not_empty(value, "a user name").casefold()


def _ip(value: str, region: str, today: date | None) -> str:
    expected = "an IPv4 or IPv6 address such as 192.0.2.10 or 2001:db8::1"
    text = _not_empty(value, expected)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        # from None: ipaddress puts the whole value into its message.
        raise _Invalid("is not an IP address", expected) from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:192.0.2.10 is the client 192.0.2.10
    return str(address)


def _generic(value: str, region: str, today: date | None) -> str:
    return _not_empty(value, "a non-empty value")


# --- registry ---------------------------------------------------------------------------


def _kind(
    name: str, raw: _RawNormaliser, sv: str, en: str, da: str, description: str
) -> IdentityKind:
    def normalise_value(value: str, default_region: str) -> str:
        try:
            return raw(value, default_region, None)
        except _Invalid as invalid:
            raise IdentityError.invalid(name, value, invalid.problem, invalid.expected) from None

    normalise_value.__doc__ = f"Canonical form of a {en.lower()}."
    _RAW[name] = raw
    labels = {"sv": sv, "en": en, "da": da}
    return IdentityKind(name, labels, description, normalise_value)


_RAW: dict[str, _RawNormaliser] = {}

BUILTIN_KINDS: dict[str, IdentityKind] = {
    kind.name: kind
    for kind in (
        _kind(
            "email",
            _email,
            "E-postadress",
            "Email address",
            "E-mailadresse",
            "Trimmed and casefolded; must look like name@domain.tld.",
        ),
        _kind(
            "phone",
            _phone,
            "Telefonnummer",
            "Phone number",
            "Telefonnummer",
            "E.164 (+46701234567); national numbers use the controller's country.",
        ),
        _kind(
            "personnummer",
            _personnummer,
            "Personnummer",
            "Swedish personal identity number",
            "Svensk personnummer",
            "12 digits YYYYMMDDNNNN; samordningsnummer accepted; date and check digit verified.",
        ),
        _kind(
            "orgnr",
            _orgnr,
            "Organisationsnummer",
            "Swedish organisation number",
            "Svensk organisationsnummer",
            "NNNNNN-NNNN with a valid check digit.",
        ),
        _kind(
            "cpr",
            _cpr,
            "Danskt personnummer (CPR-nummer)",
            "Danish CPR number",
            "CPR-nummer",
            "DDMMYY-SSSS with a real birth date; no modulus-11 check (dropped in 2007).",
        ),
        _kind(
            "customer_number",
            _customer_number,
            "Kundnummer",
            "Customer number",
            "Kundenummer",
            "Spaces removed, upper case.",
        ),
        _kind(
            "username",
            _username,
            "Användarnamn",
            "Username",
            "Brugernavn",
            "Trimmed and casefolded.",
        ),
        _kind(
            "ip",
            _ip,
            "IP-adress",
            "IP address",
            "IP-adresse",
            "Canonical IPv4 or compressed IPv6; IPv4-mapped IPv6 becomes IPv4.",
        ),
        _kind(
            "generic",
            _generic,
            "Identifierare",
            "Identifier",
            "Identifikator",
            "Trimmed only.",
        ),
    )
}


def resolve_kind(kind: str, custom: Mapping[str, str] | None = None) -> IdentityKind:
    """The built-in kind that ``kind`` names, directly or through a data map's custom kinds."""
    if kind in BUILTIN_KINDS:
        target = custom.get(kind, kind) if custom else kind
        if target != kind:
            raise IdentityError(
                f"identity kind '{kind}' is built in and cannot be redefined as '{target}'",
                "give the custom kind another name",
                kind=kind,
            )
        return BUILTIN_KINDS[kind]
    known = ", ".join(BUILTIN_KINDS)
    if custom and kind in custom:
        target = custom[kind]
        if target in BUILTIN_KINDS:
            return BUILTIN_KINDS[target]
        raise IdentityError(
            f"custom identity kind '{kind}' uses '{target}', which is not a built-in kind",
            f"use one of: {known}",
            kind=kind,
        )
    declared = f"; custom kinds: {', '.join(custom)}" if custom else ""
    raise IdentityError(
        f"unknown identity kind '{kind}'",
        f"use one of: {known}{declared}",
        kind=kind,
    )


def normalise(
    kind: str,
    value: str,
    *,
    region: str = "SE",
    custom: Mapping[str, str] | None = None,
    today: date | None = None,
) -> str:
    """Canonical form of ``value`` as identity ``kind``; raises IdentityError if invalid.

    ``region`` is the controller's country (national phone numbers); ``custom`` maps
    a data map's own kinds to built-in ones (``member_id: customer_number``); ``today``
    pins the clock for 10-digit personnummer centuries.
    """
    raw = _RAW[resolve_kind(kind, custom).name]
    try:
        return raw(value, region, today)
    except _Invalid as invalid:
        raise IdentityError.invalid(kind, value, invalid.problem, invalid.expected) from None


def try_normalise(
    kind: str,
    value: str | None,
    *,
    region: str = "SE",
    custom: Mapping[str, str] | None = None,
    today: date | None = None,
) -> str | None:
    """Like :func:`normalise` but None for a stored value that does not normalise.

    Stored data is messy and one bad row must not stop a search; an unknown kind or
    region is a configuration error and still raises.
    """
    raw = _RAW[resolve_kind(kind, custom).name]
    if value is None:
        return None
    try:
        return raw(value, region, today)
    except _Invalid:
        return None
