"""A labelled corpus for the scanner: Swedish, Danish and English free text and column
values, with and without personal data, and near misses.

Every item is {"text", "lang", "column", "labels": [[detector, start, end], ...],
"near": kind-of-near-miss or None}. Positives are generated valid by construction
(real dates, correct check digits, numbers valid in the numbering plan according to
phonenumbers, IBAN check digits by python-stdnum). Near misses are built to fail at
least one check: a number that passes every check of a personnummer *is* one as far as
anyone can tell from the text, so "an order number shaped like a personnummer" here has
a wrong check digit or an impossible date. Names come from Faker's sv_SE, da_DK and
en_GB locales, the same lists the scanner ships (so name recall is by construction;
precision on capitalised non-names is what the corpus tests).

    .venv/bin/python bench/scan_corpus.py [--items 6000] [--seed 1] > corpus.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import phonenumbers
from faker import Faker
from stdnum import iban as stdnum_iban

from skydd.identity import luhn_ok

Item = dict[str, Any]
LANGS = ("sv", "da", "en")
LOCALES = {"sv": "sv_SE", "da": "da_DK", "en": "en_GB"}


def _luhn_digit(body: str) -> str:
    for d in "0123456789":
        if luhn_ok(body + d):
            return d
    raise AssertionError(body)


def _wrong_digit(body: str) -> str:
    right = _luhn_digit(body)
    return str((int(right) + 1 + int(body[-1]) % 8) % 10)


class Gen:
    """Valid values and near misses, all drawn from one seeded Random."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = {lang: Faker(loc) for lang, loc in LOCALES.items()}
        for i, f in enumerate(self.fake.values()):
            f.seed_instance(seed + i)

    # -- identity numbers ------------------------------------------------------------------
    def _birth(self, cpr_proof: bool = False) -> date:
        """A birth day; `cpr_proof`: in 1932-1999, so that YYMMDD never reads as a real
        DDMMYY (day 32 or more), for near misses that must fail every check."""
        if cpr_proof:
            return date(1932, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 67))
        return date(1930, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 78))

    def _pnr(self, coordination: bool, good: bool = True) -> str:
        day = self._birth(cpr_proof=not good)
        dd = day.day + (60 if coordination else 0)
        body = f"{day:%y%m}{dd:02d}{self.rng.randrange(1000):03d}"
        check = _luhn_digit(body) if good else _wrong_digit(body)
        shape = self.rng.randrange(4)
        if shape == 0:
            return f"{day.year // 100}{body[:6]}-{body[6:]}{check}"
        if shape == 1:
            return f"{day.year // 100}{body}{check}"
        return f"{body[:6]}-{body[6:]}{check}"

    def personnummer(self) -> str:
        return self._pnr(False)

    def samordningsnummer(self) -> str:
        return self._pnr(True)

    def organisationsnummer(self) -> str:
        head = self.rng.choice(("556", "559", "802", "716", "969", "212"))
        body = head + "".join(str(self.rng.randrange(10)) for _ in range(9 - len(head)))
        return f"{body[:6]}-{body[6:]}{_luhn_digit(body)}"

    def cpr(self) -> str:
        day = self._birth()
        yy = day.year % 100
        if day.year < 2000:
            seventh = self.rng.choice("0123")
        else:
            seventh = self.rng.choice("49") if yy <= 36 else self.rng.choice("5678")
        serial = seventh + f"{self.rng.randrange(1000):03d}"
        return f"{day:%d%m}{yy:02d}-{serial}"

    # -- payment and bank ------------------------------------------------------------------
    def card_number(self) -> str:
        kind = self.rng.randrange(3)
        prefix, length = (("4", 16), (str(self.rng.randint(51, 55)), 16), ("37", 15))[kind]
        body = prefix + "".join(
            str(self.rng.randrange(10)) for _ in range(length - 1 - len(prefix))
        )
        number = body + _luhn_digit(body)
        if self.rng.random() < 0.5:
            return number
        if length == 15:
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        sep = self.rng.choice(" -")
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))

    def iban(self) -> str:
        country, size, letters = self.rng.choice(
            (("SE", 20, 0), ("DK", 14, 0), ("GB", 14, 4), ("NO", 11, 0), ("FI", 14, 0))
        )
        while True:
            bank = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(letters))
            bban = bank + "".join(str(self.rng.randrange(10)) for _ in range(size))
            check = stdnum_iban.calc_check_digits(country + "00" + bban)
            number = country + check + bban
            if stdnum_iban.is_valid(number):
                break
        if self.rng.random() < 0.6:
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def bankgiro(self) -> str:
        body = "".join(str(self.rng.randrange(10)) for _ in range(self.rng.choice((6, 7))))
        body = str(self.rng.randint(1, 9)) + body[1:]
        number = body + _luhn_digit(body)
        return f"{number[:-4]}-{number[-4:]}"

    def plusgiro(self) -> str:
        body = str(self.rng.randint(1, 9)) + "".join(
            str(self.rng.randrange(10)) for _ in range(self.rng.randint(4, 6))
        )
        return f"{body}-{_luhn_digit(body)}"

    # -- phones ----------------------------------------------------------------------------
    def phone(self) -> str:
        while True:
            country = self.rng.choice(("SE", "SE", "DK", "GB"))
            if country == "SE":
                national = self.rng.choice(("70", "72", "73", "76", "79")) + "".join(
                    str(self.rng.randrange(10)) for _ in range(7)
                )
            elif country == "DK":
                national = str(self.rng.choice((2, 3, 4, 5, 6, 7, 8, 9))) + "".join(
                    str(self.rng.randrange(10)) for _ in range(7)
                )
            else:
                national = (
                    "7"
                    + str(self.rng.randint(4, 9))
                    + "".join(str(self.rng.randrange(10)) for _ in range(8))
                )
            number = phonenumbers.parse("+" + str(phonenumbers.country_code_for_region(country))
                                        + national)  # fmt: skip
            if phonenumbers.is_valid_number(number):
                break
        style = self.rng.choice(
            (phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL)
        )
        if country == "DK":
            style = phonenumbers.PhoneNumberFormat.INTERNATIONAL
        text = phonenumbers.format_number(number, style)
        if country == "SE" and style == phonenumbers.PhoneNumberFormat.NATIONAL:
            text = self.rng.choice((text, text.replace(" ", "").replace("-", "")))
        return text

    # -- network and devices -----------------------------------------------------------------
    def ipv4(self) -> str:
        first = self.rng.choice((31, 46, 62, 78, 85, 89, 90, 192, 212, 213))
        return ".".join(str(x) for x in (first, *(self.rng.randrange(256) for _ in range(3))))

    def ipv6(self) -> str:
        groups = [f"{self.rng.randrange(65536):x}" for _ in range(6)]
        return "2001:" + ":".join(groups[:2]) + "::" + ":".join(groups[2:4])

    def mac_address(self) -> str:
        octets = [f"{self.rng.randrange(1, 256):02X}" for _ in range(6)]
        return self.rng.choice((":", "-")).join(octets)

    def imei(self) -> str:
        body = "35" + "".join(str(self.rng.randrange(10)) for _ in range(12))
        number = body + _luhn_digit(body)
        if self.rng.random() < 0.5:
            return number
        return f"{number[:2]}-{number[2:8]}-{number[8:14]}-{number[14]}"

    # -- addresses and names -------------------------------------------------------------------
    def postcode(self, lang: str) -> str:
        f = self.fake[lang]
        if lang == "sv":
            code = f"{self.rng.randint(100, 984)} {self.rng.randrange(100):02d}"
        elif lang == "da":
            code = str(self.rng.randint(1000, 9990))
        else:
            return str(f.postcode())
        return f"{code} {f.city().split()[0]}"

    def street_address(self, lang: str) -> str:
        f = self.fake[lang]
        number = self.rng.randint(1, 199)
        if lang == "en":
            name = str(f.street_name())
            return f"{number} {name}"
        return f"{f.street_name()} {number}"

    def person_name(self, lang: str) -> str:
        f = self.fake[lang]
        return f"{f.first_name()} {f.last_name()}"

    def email(self, lang: str) -> str:
        f = self.fake[lang]
        local = f"{f.first_name()}.{f.last_name()}".lower()
        local = local.translate(str.maketrans("åäöæøéü ", "aaoaoeu."))
        domain = self.rng.choice(("example.se", "example.dk", "example.co.uk", "mail.com"))
        return f"{local}@{domain}"


# -- templates: "{kind}" is a labelled slot; kinds without a lang argument take none ---------

TEMPLATES: dict[str, tuple[str, ...]] = {
    "sv": (
        "Ring {person_name} på {phone} när leveransen är klar.",
        "Kunden {person_name} ({email}) vill ha offert på larvband.",
        "Mitt personnummer är {personnummer}, skriv det på fakturan.",
        "Samordningsnummer {samordningsnummer} enligt Skatteverket.",
        "Betala till bankgiro {bankgiro} senast fredag.",
        "Plusgiro {plusgiro}, märk betalningen med ordernumret.",
        "Kunden läste upp kortnummer {card_number} i telefon.",
        "Återbetalning till IBAN {iban}.",
        "Leverans till {street_address}, {postcode}.",
        "Inloggning från {ipv4} och {ipv6} i natt.",
        "Enhetens MAC {mac_address}, IMEI {imei}.",
        "Leverantör: org.nr {organisationsnummer}.",
        "Dansk kontakt, CPR-nr {cpr}.",
    ),
    "da": (
        "Ring til {person_name} på {phone}, når leverancen er klar.",
        "Kunden {person_name} skrev fra {email} om reservedele.",
        "CPR-nr. {cpr} skal bruges til lønsedlen.",
        "Leveres til {street_address}, {postcode}.",
        "Refusion til IBAN {iban}.",
        "Kunden oplyste kortnummer {card_number} - slet det.",
        "Login fra {ipv4} og {ipv6}.",
        "Enhed med MAC {mac_address} og IMEI {imei}.",
        "Svensk kunde, personnummer {personnummer}.",
    ),
    "en": (
        "Call {person_name} on {phone} when the delivery is ready.",
        "{person_name} emailed from {email} about spare parts.",
        "Customer read out card {card_number} exp 09/27.",
        "Deliver to {street_address}, {postcode}.",
        "Refund to IBAN {iban} please.",
        "Logins from {ipv4} and {ipv6} overnight.",
        "Device MAC {mac_address}, IMEI {imei}.",
        "Swedish supplier, org no {organisationsnummer}.",
    ),
}
NEUTRAL: dict[str, tuple[str, ...]] = {
    "sv": (
        "Kunden hörde av sig om leveranstiden för RT-300x52.5x78.",
        "Service utförd enligt avtal, inga anmärkningar.",
        "Möte på plats hos Kirkcaldy Bygg AB, visade nya modellen.",
        "Fakturan har fel referens, ny skickad.",
        "Reklamation: Drive Sprocket ur funktion efter två veckor.",
        "Påminnelse om serviceavtalet skickad per e-post.",
    ),
    "da": (
        "Kunden spurgte til leveringstiden for Bottom Roller.",
        "Service udført efter aftale, ingen bemærkninger.",
        "Fakturaen havde forkert reference, ny sendt.",
        "Påmindelse om serviceaftalen sendt pr. e-mail.",
    ),
    "en": (
        "Customer asked about the delivery time for Rubber Track 400.",
        "Service carried out as agreed, nothing to report.",
        "Site visit at North Sea Plant Hire, showed the New Model.",
        "The Invoice had the wrong reference, a new one was sent.",
        "Reminder about the Service Agreement sent by email.",
    ),
}
NEAR: dict[str, tuple[str, ...]] = {
    "sv": (
        "Ordernummer {order_pnr} skickad {date_iso}.",
        "Personnummer {bad_pnr} stämmer inte, be om nytt.",
        "Mötet flyttat till {date_dmy} kl {time}.",
        "Version {version} installerad {date_compact}.",
        "Kortnummer {bad_card} nekades.",
        "Bankgiro {bad_bankgiro} finns inte.",
        "Referens {ref} gäller till {date_iso}.",
    ),
    "da": (
        "Ordrenummer {order_pnr} afsendt {date_iso}.",
        "CPR-nr. {bad_cpr} findes ikke.",
        "Mødet er flyttet til {date_dmy} kl. {time}.",
        "IBAN {bad_iban} blev afvist.",
    ),
    "en": (
        "Order {order_pnr} shipped on {date_iso}.",
        "Card {bad_card} was declined.",
        "Meeting moved to {date_dmy} at {time}.",
        "Firmware {version} built {date_compact}, IMEI {bad_imei} rejected.",
        "Tracking {ref}, analytics id GA1.1.{ga}.",
    ),
}
LANG_KINDS = ("postcode", "street_address", "person_name", "email")


def _when(r: random.Random, kind: str) -> str:
    """Dates shaped like phone numbers, times shaped like IPv6, versions like IPv4."""
    if kind == "time":
        return f"{r.randrange(7, 18):02d}:{r.choice((0, 15, 30, 45)):02d}:00"
    if kind == "version":
        return ".".join(str(r.randrange(1, 20)) for _ in range(3))
    day = date(2020, 1, 1) + timedelta(days=r.randrange(2000))
    fmt = {"date_iso": "%Y-%m-%d", "date_dmy": "%d-%m-%Y", "date_compact": "%Y%m%d"}[kind]
    return day.strftime(fmt)


def _near(gen: Gen, kind: str) -> str:
    r = gen.rng
    if kind == "order_pnr":
        day = gen._birth(cpr_proof=True)
        body = f"{day:%y%m%d}{r.randrange(1000):03d}"
        return f"{body[:6]}-{body[6:]}{_wrong_digit(body)}"
    if kind == "bad_pnr":
        return gen._pnr(r.random() < 0.3, good=False)
    if kind == "bad_cpr":
        head = f"{r.randint(32, 99)}{r.randint(1, 12):02d}{r.randrange(100):02d}"
        return f"{head}-{r.randrange(10000):04d}"
    if kind in ("date_iso", "date_dmy", "date_compact", "time", "version"):
        return _when(r, kind)
    if kind == "bad_card":
        body = "4" + "".join(str(r.randrange(10)) for _ in range(14))
        number = body + _wrong_digit(body)
        return " ".join(number[i : i + 4] for i in range(0, 16, 4))
    if kind == "bad_imei":
        body = "35" + "".join(str(r.randrange(10)) for _ in range(12))
        return body + _wrong_digit(body)
    if kind == "bad_bankgiro":
        body = str(r.randint(100, 9999)) + f"{r.randrange(1000):03d}"
        return f"{body[:-4]}-{body[-4:]}{_wrong_digit(body)}"[: len(body) + 2]
    if kind == "bad_iban":
        good = gen.iban().replace(" ", "")
        check = (int(good[2:4]) + 1) % 97 or 2
        return good[:2] + f"{check:02d}" + good[4:]
    if kind == "ref":
        return "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(10))
    if kind == "ga":
        return f"{r.randrange(10**9, 10**10)}.{r.randrange(10**9, 10**10)}"
    raise KeyError(kind)


def _fill(gen: Gen, template: str, lang: str) -> tuple[str, list[list[Any]], str | None]:
    text = ""
    labels: list[list[Any]] = []
    near: str | None = None
    rest = template
    while "{" in rest:
        before, _, tail = rest.partition("{")
        kind, _, rest = tail.partition("}")
        text += before
        if hasattr(gen, kind):
            method: Callable[..., str] = getattr(gen, kind)
            value = method(lang) if kind in LANG_KINDS else method()
            labels.append([kind, len(text), len(text) + len(value)])
        else:
            value = _near(gen, kind)
            near = near or kind
        text += value
    return text + rest, labels, near


# Column values: (column name, detector or None, generator)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("email", "email"),
    ("phone", "phone"),
    ("mobile", "phone"),
    ("personnummer", "personnummer"),
    ("pnr", "samordningsnummer"),
    ("orgnr", "organisationsnummer"),
    ("cpr", "cpr"),
    ("card_number", "card_number"),
    ("iban", "iban"),
    ("bankgiro", "bankgiro"),
    ("plusgiro", "plusgiro"),
    ("ip_address", "ipv4"),
    ("ip", "ipv6"),
    ("mac", "mac_address"),
    ("imei", "imei"),
    ("postcode", "postcode"),
    ("street", "street_address"),
    ("full_name", "person_name"),
)


def _value_item(gen: Gen, lang: str) -> Item:
    r = gen.rng
    roll = r.random()
    if roll < 0.6:
        column, kind = r.choice(COLUMNS)
        method = getattr(gen, kind)
        value = method(lang) if kind in LANG_KINDS else method()
        if kind == "postcode" and lang != "en" and r.random() < 0.5:
            value = value.split(" ")[0] if lang == "da" else " ".join(value.split(" ")[:2])
        return {"text": value, "lang": lang, "column": column,
                "labels": [[kind, 0, len(value)]], "near": None}  # fmt: skip
    if roll < 0.8:
        column, kind = r.choice(
            (("order_number", "order_pnr"), ("created", "date_iso"), ("version", "version"),
             ("reference", "ref"), ("card_token", "bad_card"), ("device_imei", "bad_imei"),
             ("ga_client_id", "ga"), ("booked", "date_dmy"))
        )  # fmt: skip
        value = _near(gen, kind)
        if kind == "ga":
            value = "GA1.1." + value
        return {"text": value, "lang": lang, "column": column, "labels": [], "near": kind}
    column = r.choice(("status", "product", "amount", "city", "quantity", "country"))
    value = {
        "status": r.choice(("open", "closed", "Pågående", "Afsluttet")),
        "product": r.choice(("Rubber Track 300", "Drive Sprocket", "Bottom Roller")),
        "amount": f"{r.randrange(100, 99999)}.{r.randrange(100):02d}",
        "city": gen.fake[lang].city(),
        "quantity": str(r.randrange(1, 500)),
        "country": r.choice(("Sverige", "Danmark", "United Kingdom")),
    }[column]
    return {"text": value, "lang": lang, "column": column, "labels": [], "near": None}


def corpus(items: int = 6000, seed: int = 1) -> list[Item]:
    """`items` labelled items: half free text, half column values, in three languages."""
    gen = Gen(seed)
    out: list[Item] = []
    for i in range(items):
        lang = LANGS[i % 3]
        if i % 2:
            out.append(_value_item(gen, lang))
            continue
        roll = gen.rng.random()
        pool = TEMPLATES[lang] if roll < 0.6 else NEAR[lang] if roll < 0.8 else NEUTRAL[lang]
        text, labels, near = _fill(gen, gen.rng.choice(pool), lang)
        out.append({"text": text, "lang": lang, "column": None, "labels": labels, "near": near})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    json.dump(corpus(args.items, args.seed), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
