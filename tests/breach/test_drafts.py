"""Notification drafts: every Art. 33(3) item for the authority, Art. 34(2) for the people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skydd.breach import Breach, draft_authority, draft_people
from skydd.cli import app
from skydd.datamap.loader import LoadedMap

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

runner = CliRunner()
AWARE = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
NOW = AWARE + timedelta(hours=20)
BREACH = Breach(
    "BR-2026-001",
    "Stolen laptop",
    AWARE,
    occurred_at=AWARE - timedelta(hours=15),
    nature="NATURE-TEXT",
    data_categories=("user.contact.email",),
    subject_categories=("customer_contact",),
    people_affected=1200,
    records_affected=3400,
    consequences="CONSEQUENCES-TEXT",
    measures_taken="TAKEN-TEXT",
    measures_proposed="PROPOSED-TEXT",
    advice="ADVICE-TEXT",
    risk="high",
    notify_people=True,
)
# Per language: the Art. 33(3) headings (a)-(d) and the people's message headings.
AUTHORITY_ITEMS = {
    "sv": [
        "Incidentens art (artikel 33.3 a)",
        "Kategorier av registrerade och ungefärligt antal",
        "Kategorier av personuppgifter och ungefärligt antal poster",
        "Kontaktpunkt eller dataskyddsombud (artikel 33.3 b)",
        "Sannolika konsekvenser (artikel 33.3 c)",
        "(artikel 33.3 d)",
        "Vi fick kännedom om incidenten",
        "cirka 1\u00a0200",
        "cirka 3\u00a0400",
        "Kontaktperson hos kund",
        "E-postadress",
    ],
    "en": [
        "Nature of the breach (Article 33(3)(a))",
        "Categories and approximate number of data subjects",
        "Categories and approximate number of personal data records",
        "Contact point or data protection officer (Article 33(3)(b))",
        "Likely consequences (Article 33(3)(c))",
        "(Article 33(3)(d))",
        "We became aware of the breach",
        "about 1,200",
        "about 3,400",
        "Customer contact person",
        "Email address",
    ],
    "da": [
        "Bruddets karakter (artikel 33, stk. 3, litra a)",
        "Kategorier af registrerede og omtrentligt antal",
        "Kategorier af personoplysninger og omtrentligt antal registreringer",
        "Kontaktpunkt eller databeskyttelsesrådgiver (artikel 33, stk. 3, litra b)",
        "Sandsynlige konsekvenser (artikel 33, stk. 3, litra c)",
        "(artikel 33, stk. 3, litra d)",
        "Vi fik kendskab til bruddet",
        "ca. 1.200",
        "ca. 3.400",
        "Kontaktperson hos kunde",
        "E-mailadresse",
    ],
}
PEOPLE_ITEMS = {
    "sv": [
        "Vad har hänt?",
        "Vad kan det innebära för dig?",
        "Vad har vi gjort?",
        "Vad kan du göra?",
        "Kontakta oss: ",
        "klagomål till Integritetsskyddsmyndigheten",
    ],
    "en": [
        "What happened?",
        "What could this mean for you?",
        "What have we done?",
        "What can you do?",
        "Please contact us: ",
        "complain to the Swedish Authority for Privacy Protection",
    ],
    "da": [
        "Hvad er der sket?",
        "Hvad kan det betyde for dig?",
        "Hvad har vi gjort?",
        "Hvad kan du gøre?",
        "Kontakt os: ",
        "klage til Integritetsskyddsmyndigheten",
    ],
}
VALUES = ["NATURE-TEXT", "CONSEQUENCES-TEXT", "TAKEN-TEXT", "PROPOSED-TEXT"]


@pytest.mark.parametrize("lang", ["sv", "en", "da"])
def test_authority_draft_has_every_item(maps: dict[str, LoadedMap], lang: str) -> None:
    text = draft_authority(maps["axsensor"].datamap, BREACH, lang=lang, now=NOW)
    for item in [*AUTHORITY_ITEMS[lang], *VALUES, "privacy@axsensor.com", "AXsensor AB"]:
        assert item in text, (lang, item)
    assert "[" not in text  # nothing left to follow
    assert "33(4)" not in text and "33, stk. 4" not in text and "33.4" not in text


@pytest.mark.parametrize("lang", ["sv", "en", "da"])
def test_people_message_has_every_item(maps: dict[str, LoadedMap], lang: str) -> None:
    text = draft_people(maps["axsensor"].datamap, BREACH, lang=lang)
    for item in [*PEOPLE_ITEMS[lang], *VALUES, "ADVICE-TEXT", "privacy@axsensor.com"]:
        assert item in text, (lang, item)
    assert "Art" not in text and "artikel" not in text  # plain language: no article numbers
    assert "[" not in text


@pytest.mark.parametrize(
    ("company", "title", "url"),
    [
        (
            "axsensor",
            "Anmälan av personuppgiftsincident till Integritetsskyddsmyndigheten",
            "https://www.imy.se",
        ),
        (
            "advansor",
            "Anmeldelse af brud på persondatasikkerheden til Datatilsynet",
            "https://www.datatilsynet.dk",
        ),
        (
            "astrak",
            "Personal data breach report to the Information Commissioner's Office",
            "https://ico.org.uk/make-a-complaint/",
        ),
    ],
)
def test_the_authority_and_its_language(
    maps: dict[str, LoadedMap], company: str, title: str, url: str
) -> None:
    m = maps[company].datamap
    b = Breach("BR-2026-001", "t", AWARE, subject_categories=(next(iter(m.subjects)),))
    text = draft_authority(m, b, now=NOW)
    assert text.startswith(title + "\n") and url in text


def test_missing_items_are_marked_to_follow(maps: dict[str, LoadedMap]) -> None:
    b = Breach("BR-2026-001", "t", AWARE)
    text = draft_authority(maps["axsensor"].datamap, b, lang="en", now=AWARE + timedelta(hours=80))
    assert text.count("[not yet known – to follow]") >= 5
    assert "Information to follow (Article 33(4))" in text
    assert "Reasons for reporting later than 72 hours (Article 33(1))" in text
    assert "Whether to tell the data subjects is not yet decided." in text


def test_reasons_not_to_tell_the_people(maps: dict[str, LoadedMap]) -> None:
    b = Breach("BR-2026-001", "t", AWARE, notify_people=False, people_exception="encrypted")
    text = draft_authority(maps["axsensor"].datamap, b, lang="sv", now=NOW)
    assert "De registrerade informeras inte: uppgifterna var skyddade" in text


def test_draft_cli_is_audited(store_url: str, tmp_path: object) -> None:
    ax = str(EXAMPLES / "axsensor" / "privacy.yaml")
    base = ["-m", ax, "--store", store_url]
    result = runner.invoke(
        app,
        [
            "breach",
            "open",
            "--title",
            "x",
            "--aware",
            "2026-03-27 10:00",
            "--nature",
            "NATURE-TEXT",
            *base,
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["breach", "draft", "BR-2026-001", "--to", "people", "--lang", "en", *base]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Important information about your personal data")
    result = runner.invoke(app, ["breach", "draft", "BR-2026-001", "--to", "press", *base])
    assert result.exit_code == 2 and "use --to authority or --to people" in result.output
    from skydd.store import open_store

    with open_store(store_url) as st:
        drafts = [r.payload for r in st.audit.records(kind="breach-draft-written")]
    assert drafts == [{"breach_id": "BR-2026-001", "to": "people", "lang": "en"}]
