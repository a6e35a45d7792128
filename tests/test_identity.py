"""Identity normalisation: one person, one canonical value, and no identity in error text."""

from __future__ import annotations

import random
from datetime import date

import phonenumbers
import pytest

from skydd import identity
from skydd.errors import SkyddError
from skydd.identity import (
    BUILTIN_KINDS,
    IdentityError,
    is_samordningsnummer,
    is_valid_personnummer,
    luhn_ok,
    mask,
    normalise,
    normalise_personnummer,
    try_normalise,
)

TODAY = date(2025, 6, 1)


def with_check_digit(nine: str) -> str:
    """Append the Luhn check digit to nine digits (YYMMDDNNN)."""
    return nine + next(d for d in "0123456789" if luhn_ok(nine + d))


# --- the DESIGN.md example and phones ---------------------------------------------------


def test_design_example_is_one_person() -> None:
    assert normalise("phone", "070-123 45 67") == normalise("phone", "+46701234567")


@pytest.mark.parametrize(
    "written",
    [
        "070-123 45 67",
        "0701234567",
        "0046 70 123 45 67",
        "+46 (0)70-1234567",
        "+46 70 123 45 67",
        " +46701234567 ",
        "070\u00a0123\u00a045\u00a067",
    ],
)
def test_swedish_mobile_in_every_common_form(written: str) -> None:
    assert normalise("phone", written, region="SE") == "+46701234567"


def test_phone_uses_the_controllers_country_for_national_numbers() -> None:
    assert normalise("phone", "20 12 34 56", region="DK") == "+4520123456"
    assert normalise("phone", "020 7946 0018", region="GB") == "+442079460018"
    # An international number ignores the default region.
    assert normalise("phone", "+45 20 12 34 56", region="SE") == "+4520123456"
    assert normalise("phone", "(08) 123 456 78") == "+46812345678"


@pytest.mark.parametrize("bad", ["070-12", "12345", "+46 12", "not a number", "", "   "])
def test_invalid_phone_is_an_error(bad: str) -> None:
    with pytest.raises(IdentityError) as caught:
        normalise("phone", bad)
    assert "expected" in caught.value.message
    assert try_normalise("phone", bad) is None


def test_unknown_phone_region_is_a_configuration_error_even_when_trying() -> None:
    with pytest.raises(IdentityError, match="region 'UK'") as caught:
        try_normalise("phone", "070-123 45 67", region="UK")
    assert caught.value.hint is not None and "GB" in caught.value.hint


def test_fast_phone_path_agrees_with_phonenumbers() -> None:
    """The compiled-metadata fast path must never disagree with phonenumbers itself."""
    rnd = random.Random(20250601)
    # 300 000 cases over every region agreed when this was written; a sample keeps it fast.
    regions = rnd.sample(sorted(phonenumbers.SUPPORTED_REGIONS), 40)
    checked = 0
    for i in range(4000):
        region = rnd.choice(regions if i % 2 else ["SE", "DK", "NO", "FI", "GB", "DE", "US"])
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        if example is not None and rnd.random() < 0.6:
            nsn = phonenumbers.national_significant_number(example)
            nsn = "".join(c if rnd.random() > 0.2 else str(rnd.randint(0, 9)) for c in nsn)
        else:
            nsn = "".join(str(rnd.randint(0, 9)) for _ in range(rnd.randint(4, 12)))
        code = phonenumbers.country_code_for_region(region)
        text = rnd.choice([f"+{code} {nsn}", f"0{nsn}", nsn, f"00{code}{nsn}", f"+{code} (0){nsn}"])
        default = identity._region(region)
        assert default is not None
        fast = identity._fast_e164(text, default)
        if fast is None:
            continue
        checked += 1
        number = phonenumbers.parse(text, region)
        assert phonenumbers.is_valid_number(number), (region, text)
        assert fast == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert checked > 300


# --- personnummer and samordningsnummer -------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["811218-9876", "8112189876", "19811218-9876", "198112189876", " 811218 9876 "],
)
def test_personnummer_forms_are_one_canonical_value(written: str) -> None:
    assert normalise("personnummer", written, today=TODAY) == "198112189876"


def test_plus_separator_means_a_hundred_years_or_older() -> None:
    assert normalise("personnummer", "811218+9876", today=TODAY) == "188112189876"


def test_century_makes_the_person_at_most_a_hundred() -> None:
    born_tomorrow_1925 = with_check_digit("250602123")
    born_today = with_check_digit("250601123")
    assert normalise_personnummer(born_tomorrow_1925, today=TODAY).startswith("1925")
    assert normalise_personnummer(born_today, today=TODAY).startswith("2025")


def test_samordningsnummer_is_accepted_and_recognised() -> None:
    # Skatteverket's example: born 1970-10-03, day written as 63.
    assert normalise("personnummer", "701063-2391", today=TODAY) == "197010632391"
    assert is_samordningsnummer("701063-2391", today=TODAY)
    assert is_valid_personnummer("701063-2391", today=TODAY)
    assert not is_samordningsnummer("811218-9876", today=TODAY)
    assert is_valid_personnummer("811218-9876", today=TODAY)


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ("811218-9875", "check digit"),
        ("701093-2391", "date"),  # day 93 - 60 = 33 does not exist
        (with_check_digit("811318987"), "date"),  # month 13
        (with_check_digit("010229123"), "date"),  # 1901 was not a leap year
        ("20991231-1234", "future"),
        ("81121-9876", "layout"),
        ("abcdef-ghij", "layout"),
    ],
)
def test_bad_personnummer_is_rejected_with_the_reason(bad: str, problem: str) -> None:
    with pytest.raises(IdentityError, match=problem):
        normalise("personnummer", bad, today=TODAY)
    assert not is_valid_personnummer(bad, today=TODAY)
    assert try_normalise("personnummer", bad, today=TODAY) is None


def test_leap_day_depends_on_the_century() -> None:
    leap = with_check_digit("000229123")
    assert normalise("personnummer", leap, today=TODAY) == "20000229" + leap[6:]
    with pytest.raises(IdentityError, match="date"):
        normalise("personnummer", leap[:6] + "+" + leap[6:], today=TODAY)  # 1900-02-29


def test_luhn() -> None:
    assert luhn_ok("8112189876")
    assert not luhn_ok("8112189875")
    assert not luhn_ok("")
    assert not luhn_ok("81121898a6")


# --- other kinds ------------------------------------------------------------------------


def test_email() -> None:
    assert normalise("email", "  Anna.Svensson@Example.SE ") == "anna.svensson@example.se"
    assert normalise("email", "Anna Svensson <ANNA@example.se>") == "anna@example.se"
    assert normalise("email", "mailto:anna@example.se") == "anna@example.se"
    for bad in ["anna", "anna@", "@example.se", "anna@example", "an na@example.se", "a@b@c.se"]:
        assert try_normalise("email", bad) is None, bad


def test_orgnr() -> None:
    assert normalise("orgnr", "5560360793") == "556036-0793"
    assert normalise("orgnr", "556036-0793") == "556036-0793"
    assert normalise("orgnr", "16556036-0793") == "556036-0793"
    with pytest.raises(IdentityError, match="check digit"):
        normalise("orgnr", "556036-0794")


def test_cpr_checks_the_date_but_not_modulus_11() -> None:
    assert normalise("cpr", "0707614285") == "070761-4285"
    assert normalise("cpr", "070761-4285") == "070761-4285"
    # Fails modulus 11 (numbers like it are issued since 2007) but is a real date.
    assert normalise("cpr", "010190-1235") == "010190-1235"
    with pytest.raises(IdentityError, match="date"):
        normalise("cpr", "320190-1234")
    with pytest.raises(IdentityError, match="date"):
        normalise("cpr", "290201-1234")  # 1901 was not a leap year


def test_simple_kinds() -> None:
    assert normalise("customer_number", " ab 123 4 ") == "AB1234"
    assert normalise("username", " AnnaS ") == "annas"
    assert normalise("ip", "2001:DB8:0:0::1") == "2001:db8::1"
    assert normalise("ip", "::ffff:192.0.2.10") == "192.0.2.10"
    assert normalise("generic", "  x-1 ") == "x-1"
    assert try_normalise("ip", "192.168.001.001") is None
    assert try_normalise("generic", "   ") is None


def test_custom_kinds_declared_by_a_map() -> None:
    custom = {"member_id": "customer_number"}
    assert normalise("member_id", "m 42", custom=custom) == "M42"
    with pytest.raises(IdentityError, match="member_id") as caught:
        normalise("member_id", "  ", custom=custom)
    assert caught.value.kind == "member_id"
    with pytest.raises(IdentityError, match="not a built-in kind"):
        normalise("member_id", "x", custom={"member_id": "shoe_size"})
    with pytest.raises(IdentityError, match="cannot be redefined"):
        normalise("email", "a@b.se", custom={"email": "generic"})


def test_unknown_kind_lists_the_known_ones_and_try_normalise_still_raises() -> None:
    with pytest.raises(IdentityError) as caught:
        try_normalise("shoe_size", "42")
    assert caught.value.hint is not None
    for kind in BUILTIN_KINDS:
        assert kind in caught.value.hint
    assert isinstance(caught.value, SkyddError)


def test_try_normalise_none_is_none() -> None:
    assert try_normalise("email", None) is None


def test_builtin_kinds_are_described_in_three_languages() -> None:
    for name, kind in BUILTIN_KINDS.items():
        assert kind.name == name
        assert set(kind.labels) == {"sv", "en", "da"}
        assert kind.description
    assert BUILTIN_KINDS["phone"].normalise("070-123 45 67", "SE") == "+46701234567"
    with pytest.raises(IdentityError):
        BUILTIN_KINDS["email"].normalise("nope", "SE")


# --- errors do not disclose identities --------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("personnummer", "811218-9875"),
        ("phone", "0739-98 76 5"),
        ("email", "anna.svensson.example.se"),
        ("cpr", "320190-1234"),
        ("orgnr", "556036-0794"),
        ("ip", "192.168.1.300"),
    ],
)
def test_error_messages_mask_the_value(kind: str, value: str) -> None:
    with pytest.raises(IdentityError) as caught:
        normalise(kind, value, today=TODAY)
    error = caught.value
    text = error.render() + str(error) + repr(error.args)
    assert value not in text
    assert mask(value) in error.message
    assert value[:2] in mask(value) and value[-2:] in mask(value)
    assert "expected" in error.message
    assert error.__cause__ is None and error.__suppress_context__


def test_mask() -> None:
    assert mask("811218-9876") == "81*******76"
    assert mask("abcde") == "a***e"
    assert mask("abcd") == "****"
    assert mask("") == ""
