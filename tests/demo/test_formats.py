"""Identity values the demo makes are valid: Skydd's normalisers accept every one."""

from __future__ import annotations

import random
from datetime import date

import pytest
from stdnum import iban as stdnum_iban

from skydd.demo import formats
from skydd.identity import luhn_ok, normalise, normalise_personnummer


@pytest.mark.parametrize("country", ["SE", "DK", "GB"])
def test_every_phone_style_is_the_same_number(country: str) -> None:
    """A person's mobile in any system's layout normalises to one E.164 number."""
    rng = random.Random(country)
    for _ in range(300):
        for number in (formats.mobile(rng, country), formats.landline(rng, country)):
            e164 = formats.e164(country, number)
            assert normalise("phone", e164, region=country) == e164
            for style in formats.PHONE_STYLES[country]:
                assert normalise("phone", style(number), region=country) == e164, style(number)
            for region in ("SE", "DK", "GB"):  # abroad, stored internationally
                for style in formats.INTERNATIONAL_STYLES[country]:
                    assert normalise("phone", style(number), region=region) == e164


def test_national_styles_look_national() -> None:
    assert formats.PHONE_STYLES["SE"][0]("701234567") == "070-123 45 67"
    assert formats.PHONE_STYLES["SE"][1]("701234567") == "+46701234567"
    assert formats.PHONE_STYLES["GB"][0]("7700900123") == "07700 900123"
    assert formats.PHONE_STYLES["GB"][0]("1614960123") == "0161 496 0123"
    assert formats.PHONE_STYLES["GB"][0]("2079460123") == "020 7946 0123"
    assert formats.PHONE_STYLES["DK"][0]("21345678") == "21 34 56 78"


def test_personnummer_are_valid_in_every_layout() -> None:
    rng = random.Random(1)
    for _ in range(500):
        born = date.fromordinal(date(1950, 1, 1).toordinal() + rng.randrange(20_000))
        pnr = formats.personnummer(rng, born.year, born.month, born.day)
        for style in formats.PNR_STYLES:
            assert normalise_personnummer(style(pnr), today=date(2026, 1, 1)) == pnr


def test_organisation_numbers_and_money_references_check_out() -> None:
    rng = random.Random(2)
    for _ in range(300):
        assert normalise("orgnr", formats.org_number(rng, "SE"))
        cvr = formats.org_number(rng, "DK")
        weights = (2, 7, 6, 5, 4, 3, 2, 1)
        assert sum(int(d) * w for d, w in zip(cvr, weights, strict=True)) % 11 == 0
        for country in ("SE", "DK", "GB"):
            assert stdnum_iban.is_valid(formats.iban(rng, country))
        assert luhn_ok(formats.bankgiro(rng).replace("-", ""))
        assert luhn_ok(formats.plusgiro(rng).replace("-", ""))


def test_device_and_card_numbers_pass_luhn() -> None:
    rng = random.Random(3)
    for _ in range(300):
        imei = formats.imei(rng)
        assert len(imei) == 15 and luhn_ok(imei)
        card = formats.card_number(rng).replace(" ", "")
        assert len(card) == 16 and luhn_ok(card)
        assert normalise("ip", formats.public_ip(rng))
