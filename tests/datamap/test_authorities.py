"""Supervisory authorities: lookup, EEA and adequacy lists, former names (SE-2)."""

from __future__ import annotations

import pytest

from skydd.datamap.authorities import (
    ADEQUATE,
    AUTHORITIES,
    EEA,
    AuthorityError,
    for_country,
    old_name_mentions,
)
from skydd.errors import SkyddError


def test_sweden_is_imy() -> None:
    imy = for_country("SE")
    assert imy.short == "IMY"
    assert imy.name["sv"] == "Integritetsskyddsmyndigheten"
    assert imy.postal_address == "Box 8114, 104 20 Stockholm"
    assert imy.email == "imy@imy.se"
    assert "Datainspektionen" in imy.former_names


def test_the_seed_countries() -> None:
    assert for_country("DK").name["da"] == "Datatilsynet"
    assert for_country("DK").postal_address == "Carl Jacobsens Vej 35, 2500 Valby"
    assert for_country("GB").short == "ICO"
    assert "SK9 5AF" in (for_country("GB").postal_address or "")
    assert for_country("FI").name["sv"] == "Dataombudsmannens byrå"
    assert for_country("FI").name["fi"] == "Tietosuojavaltuutetun toimisto"


def test_germany_notes_the_land_authorities() -> None:
    bfdi = for_country("DE")
    assert bfdi.short == "BfDI"
    assert bfdi.note is not None and "Land" in bfdi.note


def test_lookup_is_forgiving_about_case_and_common_aliases() -> None:
    assert for_country(" se ").country == "SE"
    assert for_country("UK").country == "GB"
    assert for_country("EL").country == "GR"


def test_unknown_country_lists_the_supported_codes() -> None:
    with pytest.raises(AuthorityError) as caught:
        for_country("XX")
    assert isinstance(caught.value, SkyddError)
    assert "'XX'" in caught.value.message
    assert caught.value.hint is not None and "SE" in caught.value.hint


def test_every_eea_country_has_an_authority_with_names_in_three_languages() -> None:
    assert len(EEA) == 30
    assert EEA <= set(AUTHORITIES)
    for code, authority in AUTHORITIES.items():
        assert authority.country == code
        assert authority.website.startswith("https://")
        for lang in ("sv", "en", "da", authority.official_lang):
            assert authority.name.get(lang), (code, lang)
        if "ja" not in authority.name:
            assert authority.name_in("ja") == authority.official_name


def test_adequacy() -> None:
    assert set("GB CH JP KR NZ IL CA AR UY AD FO GG IM JE".split()) <= set(ADEQUATE)
    assert "US" not in ADEQUATE  # only DPF-certified organisations
    assert not (set(ADEQUATE) & EEA)


def test_old_name_mentions_finds_datainspektionen() -> None:
    text = (
        "Om du är missnöjd kan du klaga hos Datainspektionen. "
        "Läs mer på datainspektionens webbplats."
    )
    found = old_name_mentions(text)
    assert [written for written, _ in found] == ["Datainspektionen", "datainspektionens"]
    assert all(authority.short == "IMY" for _, authority in found)


def test_old_name_mentions_ignores_current_names() -> None:
    assert old_name_mentions("Klagomål lämnas till Integritetsskyddsmyndigheten (IMY).") == []
    assert old_name_mentions("") == []
