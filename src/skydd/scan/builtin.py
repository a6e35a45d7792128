"""The built-in detectors, in the order the scanner tries them at one position.

Each is registered in `registry.DEFAULT_DETECTORS` exactly as a plugin's would be.
Patterns find candidates and stay cheap; validators (`validators.py`) decide.
"""

from __future__ import annotations

from collections.abc import Iterator

from skydd.scan import names, validators
from skydd.scan.detector import Detector
from skydd.scan.validators import Ctx

# A number starts where no digit, letter, sign, slash or hyphen stands before it (nor a
# digit and a dot: "GA1.1.1000000000.16…" is no CPR number), and ends likewise.
_S = r"(?<![\w+/-])(?<!\d\.)"
_E = r"(?![\w/]|[-.]\d)"
UP, LO = names.UPPER, names.LOWER


def _iban_spans(text: str, start: int, end: int, ctx: Ctx) -> Iterator[tuple[int, int]]:
    """The longest prefix, ending at a group, that is a valid IBAN (a word may follow)."""
    stop = end
    while stop - start >= 15:
        if validators.iban(text[start:stop], ctx):
            yield start, stop
            return
        stop = text.rfind(" ", start, stop)
        if stop < 0:
            return


def _street(text: str, ctx: Ctx) -> bool:
    number = [w for w in text.replace(",", " ").split() if w[:1].isdigit()]
    return bool(number) and number[0].rstrip("ABCDEFGHabcdefgh").lstrip("0") != ""


_NORDIC_SUFFIXES = (
    "gatan gata vägen väg gränd gränden torget torg stigen backen allén leden gade vej "
    "vænge stræde plads torv boulevard allé Allé Alle Vej Gade Plads Torv Gata Väg Backe Stræde"
).split()
# Possessive words and a lookbehind per suffix: a capitalised word that is no street
# fails at once, instead of backtracking through every suffix at every letter.
_ENDS = "|".join(f"(?<={s})" for s in _NORDIC_SUFFIXES)
_EN_SUFFIX = "|".join(names.street_suffixes("en"))
_STREET = (
    f"(?<![\\w-])(?:[{UP}][{LO}]++[ \\t]){{0,2}}[{UP}][{LO}]*+(?:{_ENDS})"
    f"[ \\t]+\\d{{1,4}}(?:[ \\t]?[A-Ha-h](?![\\w]))?(?![\\w])"
    f"|(?<![\\w-])\\d{{1,4}}[A-Ha-h]?,?[ \\t]+(?:[{UP}][{LO}]++[ \\t]+){{1,3}}(?:{_EN_SUFFIX})"
    f"(?![\\w])"
)
_UK_POSTCODE = r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}(?![\w])"
_NORDIC_POSTCODE = (
    f"(?:(?<=, )|(?<=,)|(?<=\\n)|^)(?:SE-|DK-)?(?:[1-9]\\d{{2}} ?\\d{{2}}|[1-9]\\d{{3}})"
    f"(?:[ \\t]+[{UP}][{LO}]+)?(?![\\w])"
)

NATIONAL_ID = "user.government_id.national_identification_number"

EMAIL = Detector(
    "email",
    "user.contact.email",
    r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w])",
    validators.email,
    hints=(r"e_?mail|e_?post|^mail$|mail_?addr",),
    description="Email address (validated as identity.py normalises it).",
)
IBAN = Detector(
    "iban",
    "user.financial.bank_account",
    r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w])",
    refine=_iban_spans,
    hints=(r"iban",),
    starts=r"[A-Z]",
    description="IBAN: country format and mod-97 check (python-stdnum).",
)
MAC = Detector(
    "mac_address",
    "user.device.mac_address",
    r"(?<![\w:.-])[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}(?![\w:.-])"
    r"|(?<![\w.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w.])",
    validators.mac_address,
    hints=(r"(^|_)mac($|_)",),
    starts=r"[0-9A-Fa-f]",
    also=("user.device.device_id",),
    description="MAC address (six octets; all-zero and broadcast excluded). AD-1.",
)
IPV6 = Detector(
    "ipv6",
    "user.device.ip_address",
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])",
    validators.ipv6,
    hints=(r"(^|_)ip($|_)|ip_?addr|remote_addr|ipv6",),
    starts=r"[0-9A-Fa-f:]",
    description="IPv6 address (ipaddress); loopback and unspecified excluded.",
)
IPV4 = Detector(
    "ipv4",
    "user.device.ip_address",
    r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)",
    validators.ipv4,
    hints=(r"(^|_)ip($|_)|ip_?addr|remote_addr|ipv4",),
    starts=r"[0-9]",
    description="IPv4 address (ipaddress); loopback and 0.0.0.0 excluded.",
)
CARD = Detector(
    "card_number",
    "user.financial.credit_card",
    _S + r"\d(?:[ -]?\d){11,18}" + _E,
    validators.card_number,
    hints=(r"card|kort|(^|_)pan($|_)|cc_?num",),
    starts=r"[0-9]",
    description="Payment card number: Luhn, scheme prefix ranges and lengths. AS-2.",
)
IMEI = Detector(
    "imei",
    "user.device.imei",
    _S + r"\d{2}[ -]?\d{6}[ -]?\d{6}[ -]?\d" + _E,
    validators.imei,
    hints=(r"imei",),
    starts=r"[0-9]",
    also=("user.device.device_id",),
    description="IMEI: 15 digits, Luhn, reporting body of the TAC (python-stdnum). AD-1.",
)
_PNR = _S + r"(?:\d{2})?\d{6}[-+ ]?\d{4}" + _E
_PNR_WORDS = r"person\s?n(?:umme)?r|pnr|personnr|samordningsn(?:umme)?r|födelsenummer"
PERSONNUMMER = Detector(
    "personnummer",
    NATIONAL_ID,
    _PNR,
    validators.personnummer,
    context=_PNR_WORDS,
    hints=(r"person_?n(umme)?r|(^|_)pnr($|_)|ssn|national_?id|civic",),
    rivals=("cpr", "phone"),
    starts=r"[0-9]",
    description="Swedish personnummer: real birth date and Luhn check digit.",
)
SAMORDNINGSNUMMER = Detector(
    "samordningsnummer",
    NATIONAL_ID,
    _PNR,
    validators.samordningsnummer,
    context=_PNR_WORDS,
    hints=(r"samordning|coordination|person_?n(umme)?r|(^|_)pnr($|_)",),
    rivals=("cpr", "phone"),
    starts=r"[0-9]",
    description="Swedish samordningsnummer (day + 60): real date and Luhn check digit.",
)
ORGNR = Detector(
    "organisationsnummer",
    "user.professional_information.organization_number",
    _S + r"(?:16)?\d{6}-?\d{4}" + _E,
    validators.organisationsnummer,
    context=r"org\.?\s?n(?:umme)?r|organisationsn|corporate",
    hints=(r"org_?n(umme)?r|organisationsn|org_number|company_?(reg|no)",),
    personal=False,
    starts=r"[0-9]",
    also=("user.contact.organization",),
    description="Swedish organisationsnummer: Luhn, third digit 2 or more. Not personal.",
)
CPR = Detector(
    "cpr",
    NATIONAL_ID,
    _S + r"\d{6}-?\d{4}" + _E,
    validators.cpr,
    context=r"cpr|personnummer\s?\(dk\)|cpr-?nr",
    hints=(r"(^|_)cpr($|_)|cpr_?n",),
    rivals=("phone", "personnummer", "samordningsnummer"),
    starts=r"[0-9]",
    description="Danish CPR number: real birth date (no modulus 11: not required since 2007).",
)
BANKGIRO = Detector(
    "bankgiro",
    "user.financial.bankgiro",
    _S + r"\d{3,4}-\d{4}" + _E,
    validators.bankgiro,
    context=r"bankgiro|(?<!\w)bg(?:\.|-?nr)?:?",
    hints=(r"bankgiro|(^|_)bg($|_|nr)",),
    starts=r"[0-9]",
    also=("user.financial.bank_account",),
    description="Bankgiro number: mod-10 check digit; needs its word or column.",
)
PLUSGIRO = Detector(
    "plusgiro",
    "user.financial.plusgiro",
    _S + r"(?:\d{1,7}|\d{1,2}(?: \d{2}){1,3})-\d" + _E,
    validators.plusgiro,
    context=r"plusgiro|postgiro|(?<!\w)pg(?:\.|-?nr)?:?",
    hints=(r"plusgiro|postgiro|(^|_)pg($|_|nr)",),
    starts=r"[0-9]",
    also=("user.financial.bank_account",),
    description="Plusgiro number: mod-10 check digit; needs its word or column.",
)
PHONE = Detector(
    "phone",
    "user.contact.phone_number",
    _S
    + r"(?:(?:\+|00)\d{1,3}[ -]?(?:\(0\)[ -]?)?\d{1,4}(?:[ -]?\d{2,4}){1,4}"
    + r"|\(?0\d{1,4}\)?(?:[ /-]?\d){5,9}"
    + r"|[2-9]\d(?: ?\d{2}){3})"
    + _E,
    validators.phone,
    context=r"tel|tlf|telefon|phone|mobil|ring|call|sms|nås|reached",
    hints=(r"phone|(^|_)tel|telefon|mobil|mobile|(^|_)fax|(^|_)sms|(^|_)tlf",),
    rivals=("personnummer", "samordningsnummer"),
    starts=r"[0-9+(]",
    description="Phone number in the Nordic or UK numbering plans (phonenumbers).",
)
POSTCODE = Detector(
    "postcode",
    "user.contact.address.postal_code",
    _UK_POSTCODE + "|" + _NORDIC_POSTCODE,
    validators.postcode,
    hints=(r"post_?code|postal|(^|_)zip|postn(umme)?r|post_?nr",),
    starts=r"[A-Z0-9]",
    description="UK postcode; Swedish or Danish postcode with its town.",
)
STREET = Detector(
    "street_address",
    "user.contact.address.street",
    _STREET,
    _street,
    hints=(r"street|(^|_)address|(^|_)adress|gatuadress|(^|_)gade|address_?line",),
    starts=r"[A-ZÀ-ÖØ-Þ0-9]",
    description="Street and number (Swedish, Danish and English street words).",
)
PERSON_NAME = Detector(
    "person_name",
    "user.name",
    names.PATTERN,
    refine=names.refine,
    whole=names.whole,
    muted_by=("street_address", "postcode", "email"),
    hints=(
        r"(^|_)(first|last|full|given|family|sur|fore|middle|contact|customer|person|"
        r"requester|requestor|sender|recipient|owner|holder|signer)_?name$"
        r"|^name$|(^|_)(för|efter)?namn$|(^|_)(for|efter)?navn$",
    ),
    starts=r"[A-ZÀ-ÖØ-Þ]",
    description="Person name: first and last name from sv/da/en lists (Faker locales).",
)

BUILTIN: tuple[Detector, ...] = (
    EMAIL,
    IBAN,
    MAC,
    IPV6,
    IPV4,
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    ORGNR,
    CPR,
    CARD,
    IMEI,
    BANKGIRO,
    PLUSGIRO,
    PHONE,
    POSTCODE,
    STREET,
    PERSON_NAME,
)
