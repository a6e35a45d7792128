"""Detectors: what each finds and what it must not, and properties over generated numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from skydd.identity import luhn_ok
from skydd.scan import detect, detect_value
from skydd.scan.validators import luhn

TODAY = date(2026, 11, 22)


def found(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(m.detector, m.value(text)) for m in detect(text, today=TODAY, **kw)]  # type: ignore[arg-type]


def kinds(text: str) -> set[str]:
    return {k for k, _ in found(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mejla anna.svensson@example.se", ("email", "anna.svensson@example.se")),
        ("ring 070-123 45 67", ("phone", "070-123 45 67")),
        ("tel +46 70 123 45 67", ("phone", "+46 70 123 45 67")),
        ("tlf. +45 20 12 34 56", ("phone", "+45 20 12 34 56")),
        ("call 07911 123456", ("phone", "07911 123456")),
        ("pnr 19811218-9876", ("personnummer", "19811218-9876")),
        ("pnr 811218-9876", ("personnummer", "811218-9876")),
        ("samordningsnummer 701063-2391", ("samordningsnummer", "701063-2391")),
        ("org.nr 556036-0793", ("organisationsnummer", "556036-0793")),
        ("CPR-nr. 010190-1234", ("cpr", "010190-1234")),
        ("kort 4111 1111 1111 1111", ("card_number", "4111 1111 1111 1111")),
        ("amex 3782 822463 10005", ("card_number", "3782 822463 10005")),
        ("IBAN SE45 5000 0000 0583 9825 7466 tack", ("iban", "SE45 5000 0000 0583 9825 7466")),
        ("bankgiro 5050-1055", ("bankgiro", "5050-1055")),
        ("plusgiro 4405-7", ("plusgiro", "4405-7")),
        ("från 192.168.10.20.", ("ipv4", "192.168.10.20")),
        ("från 2001:db8::8a2e:370:7334", ("ipv6", "2001:db8::8a2e:370:7334")),
        ("mac 00:1A:2B:3C:4D:5E", ("mac_address", "00:1A:2B:3C:4D:5E")),
        ("imei 35-209900-176148-1", ("imei", "35-209900-176148-1")),
        ("Storgatan 12, 123 45 Stockholm", ("street_address", "Storgatan 12")),
        ("Storgatan 12, 123 45 Stockholm", ("postcode", "123 45 Stockholm")),
        ("Vestergade 5, 8000 Aarhus", ("postcode", "8000 Aarhus")),
        ("12 High Street, Kirkcaldy KY1 3PD", ("street_address", "12 High Street")),
        ("12 High Street, Kirkcaldy KY1 3PD", ("postcode", "KY1 3PD")),
        ("Kunden Anna Svensson ringde", ("person_name", "Anna Svensson")),
        ("Call Shane McDonald today", ("person_name", "Shane McDonald")),
    ],
)
def test_detector_finds(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Datum 2024-05-17 och 17-05-2024",  # dates shaped like phone numbers
        "ordernr 20240517",
        "pnr 811218-9875",  # wrong check digit
        "Personnummer 030813-4944 stämmer inte",  # a bad pnr is no CPR number either
        "pnr 19811318-9876",  # no 13th month
        "kort 4111 1111 1111 1112",  # Luhn fails
        "imei 35-209900-176148-2",
        "tid 10:15:30",
        "version 1.2.3",
        "GA1.1.1000007919.1600104729",
        "files/2022/06/0000001.pdf",
        "referens 5050-1055",  # a bankgiro only with its word
        "Service Agreement sent to Kirkcaldy Plant Hire",
        "since 2019 Astrak has grown",
        "RT-300x52.5x78",
        "company 05811316",
    ],
)
def test_near_misses_are_not_found(text: str) -> None:
    assert found(text) == []


def test_free_text_mixing_them_finds_every_span() -> None:
    text = (
        "Anna Svensson (anna@example.se, 070-123 45 67) bor på Storgatan 12, 123 45 Stockholm; "
        "pnr 811218-9876, kort 4111 1111 1111 1111, ip 192.168.10.20."
    )
    assert [k for k, _ in found(text)] == [
        "person_name",
        "email",
        "phone",
        "street_address",
        "postcode",
        "personnummer",
        "card_number",
        "ipv4",
    ]


def test_column_hints_decide_what_bare_text_cannot() -> None:
    assert found("20 12 34 56") == []
    assert detect_value("20 12 34 56", hints={"phone"})[0].detector == "phone"
    assert detect_value("5050-1055", hints={"bankgiro"})[0].detector == "bankgiro"
    assert detect_value("Svensson", hints={"person_name"})[0].detector == "person_name"
    assert detect_value("Svensson", hints=set()) == []


def test_a_street_named_after_a_person_is_a_street() -> None:
    assert detect_value("Jennifer Park", hints={"street_address"}) == []


def test_hints_from_column_names() -> None:
    from skydd.scan.engine import default_engine

    engine = default_engine()
    assert "email" in engine.hints_for("customer_email")
    assert "personnummer" in engine.hints_for("Personnummer")
    assert "person_name" in engine.hints_for("first_name")
    assert "person_name" not in engine.hints_for("company_name")
    assert engine.hints_for("quantity") == frozenset()


def test_mobile_shaped_ten_digits_are_a_phone_not_an_identity() -> None:
    assert kinds("0701234567") == {"phone"}


def test_cpr_and_personnummer_by_context() -> None:
    # 150385-1236: 15 March 1985 as CPR; 1915-03-25 (samordningsnummer) as Swedish.
    number = next(
        f"150385-{serial:04d}" for serial in range(1000, 9999) if luhn_ok(f"150385{serial:04d}")
    )
    assert kinds(f"samordningsnummer {number}") == {"samordningsnummer"}
    assert kinds(f"CPR-nr. {number}") == {"cpr"}
    assert detect_value(number, hints={"cpr"})[0].detector == "cpr"


def test_fast_luhn_agrees_with_identity() -> None:
    for n in range(0, 200_000, 7):
        assert luhn(str(n)) == luhn_ok(str(n))


# -- properties ---------------------------------------------------------------------------


def _check(body: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(body + d))


def _mutate_last(number: str) -> list[str]:
    """The number with its last digit replaced by each other digit."""
    return [number[:-1] + d for d in "0123456789" if d != number[-1]]


births = st.dates(date(1920, 1, 1), date(2020, 12, 31))
serials = st.integers(0, 999)


@settings(max_examples=150, deadline=None)
@given(births, serials, st.booleans())
def test_generated_personnummer_found_and_mutations_not(
    born: date, serial: int, coordination: bool
) -> None:
    day = born.day + (60 if coordination else 0)
    body = f"{born:%y%m}{day:02d}{serial:03d}"
    number = f"{born.year // 100}{body[:6]}-{body[6:]}{_check(body)}"
    kind = "samordningsnummer" if coordination else "personnummer"
    assert found(f"nummer {number}") == [(kind, number)]
    for wrong in _mutate_last(number):
        assert kind not in kinds(f"nummer {wrong}")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["4", "51", "55", "2221", "6011"]), st.integers(0, 10**15))
def test_generated_cards_found_and_mutations_not(prefix: str, rest: int) -> None:
    body = (prefix + f"{rest:015d}")[:15]
    number = body + _check(body)
    text = f"kort {' '.join(number[i : i + 4] for i in range(0, 16, 4))} tack"
    assert ("card_number", text[5:24]) in found(text)
    for wrong in _mutate_last(number):
        assert "card_number" not in kinds(f"kort {wrong} tack")


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**12 - 1))
def test_generated_imei_found_and_mutations_not(rest: int) -> None:
    body = f"35{rest:012d}"
    number = body + _check(body)
    assert found(f"imei {number}") == [("imei", number)]
    for wrong in _mutate_last(number):
        assert "imei" not in kinds(f"imei {wrong}")


@settings(max_examples=100, deadline=None)
@given(st.integers(10**6, 10**7 - 1))
def test_generated_bankgiro_found_and_mutations_not(body: int) -> None:
    number = f"{body}{_check(str(body))}"
    text = f"bankgiro {number[:4]}-{number[4:]}"
    assert ("bankgiro", text[9:]) in found(text)
    for wrong in _mutate_last(number):
        assert "bankgiro" not in kinds(f"bankgiro {wrong[:4]}-{wrong[4:]}")


@settings(max_examples=100, deadline=None)
@given(st.integers(10**8, 10**9 - 1).filter(lambda n: str(n)[0] not in "04" and str(n)[2] >= "2"))
def test_generated_orgnr_found_and_mutations_not(body: int) -> None:
    number = f"{body}{_check(str(body))}"
    text = f"org.nr {number[:6]}-{number[6:]}"
    assert found(text) == [("organisationsnummer", text[7:])]
    for wrong in _mutate_last(number):
        assert "organisationsnummer" not in kinds(f"org.nr {wrong[:6]}-{wrong[6:]}")


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**20 - 1))
def test_generated_iban_found_and_mutations_not(bban: int) -> None:
    digits = f"{bban:020d}"
    number = "SE" + stdnum_iban.calc_check_digits("SE00" + digits) + digits
    assert found(f"IBAN {number}") == [("iban", number)]
    for wrong in _mutate_last(number):
        assert "iban" not in kinds(f"IBAN {wrong}")


@settings(max_examples=100, deadline=None)
@given(st.dates(date(1940, 1, 1), TODAY - timedelta(days=1)), st.integers(0, 999))
def test_generated_cpr_found(born: date, serial: int) -> None:
    seventh = "0" if born.year < 2000 else "4"
    number = f"{born:%d%m%y}-{seventh}{serial:03d}"
    assert found(f"CPR-nr. {number}") == [("cpr", number)]
