"""The registerutdrag as HTML: every Art. 15 item for every table, in every language.

LEGAL.md DSR-5 lists what an access response must hold; PN-3 (Art. 21(4)) wants the
right to object shown apart from the rest. The pages are checked as a person and a
screen reader meet them: no phrase keys, the authority by name, headings and headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from access_people import ANNA_ROWS, ANNA_SHARED, load, report_for
from markupsafe import escape

from skydd.datamap.models import Person, Text
from skydd.documents.display import display
from skydd.documents.phrases import PHRASES, phrase
from skydd.documents.writers import css_string, render_html, write_access

Report = dict[str, Any]
LANGS = ("sv", "en", "da")
EXAMPLES = ("axsensor", "advansor", "astrak", "acte", "entrack")
FAMILIES = sorted({key.split(".")[0] for key in PHRASES})
LEFT_KEY = re.compile(r"\b(?:" + "|".join(FAMILIES) + r")\.[a-z_][a-z_.0-9]*")


def html_of(report: Report) -> str:
    return render_html("registerutdrag.html.j2", report)


def visible(html: str) -> str:
    text = re.sub(r"<style>.*?</style>|<head>.*?</head>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def has(html: str, text: str) -> bool:
    return str(escape(text)) in html


def section(html: str, key: str) -> str:
    anchor = key.replace(".", "-")
    match = re.search(rf'<section class="register" id="t-{anchor}".*?</section>', html, re.S)
    assert match, f"no section for {key}"
    return match.group(0)


def missing_items(html: str, s: dict[str, Any], lang: str) -> list[str]:
    """The DSR-5 items of one table that its section does not show."""
    part = section(html, s["key"])
    d = display(lang)
    expected: list[tuple[str, str]] = [("label", s["label"])]
    for p in s["purposes"]:
        expected += [
            ("purpose", p["label"]),
            ("legal basis", p["legal_basis_label"]),
            ("article", p["citation"]),
        ]
        expected += [("interest", p["legitimate_interest"])] if p["legitimate_interest"] else []
        expected += [("law", p["law"])] if p["law"] else []
    expected += [("category", c) for c in s["categories"]]
    for x in s["recipients"]:
        expected += [("recipient", x["name"]), ("country", d.country(x["country"]))]
        if x["outside_eea"]:
            expected += [("safeguard", x["transfer_label"] or phrase(lang, "transfer.none_short"))]
    for x in s["retention"]:
        shown = x["label"] if x.get("conditional") and x["label"] else x["text"]
        expected += [("retention", shown)]
    source = s["source"]
    expected += [("source", source["text"] if source["kind"] == "subject" else source["label"])]
    expected += [("source", source["description"])] if source.get("description") else []
    for c in s["columns"]:
        expected += [("column", c["label"])]
    return [f"{s['key']}: {what} {text!r}" for what, text in expected if not has(part, text)]


@pytest.fixture(
    scope="module",
    params=[(e, lang) for e in ("small", *EXAMPLES) for lang in LANGS],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def rendered(
    request: pytest.FixtureRequest,
    anna: Callable[[str], Report],
    everyone: Callable[[str, str], Report],
) -> tuple[Report, str]:
    example, lang = request.param
    report = anna(lang) if example == "small" else everyone(example, lang)
    return report, html_of(report)


def test_no_phrase_key_is_left_untranslated(rendered: tuple[Report, str]) -> None:
    _, html = rendered
    text = visible(html)
    assert "doc." not in text
    assert not LEFT_KEY.findall(text)


def test_language_and_title(rendered: tuple[Report, str]) -> None:
    report, html = rendered
    lang = report["lang"]
    assert f'<html lang="{lang}">' in html
    assert html.count("<h1") == 1
    assert has(html, phrase(lang, "doc.title"))
    assert has(html, report["controller"]["name"])


def test_every_dsr5_item_for_every_table(rendered: tuple[Report, str]) -> None:
    report, html = rendered
    assert report["tables"]
    problems = [
        problem
        for s in report["tables"] + report["shared"]
        for problem in missing_items(html, s, report["lang"])
    ]
    assert not problems, "\n".join(problems)


def test_rights_complaint_and_contact(rendered: tuple[Report, str]) -> None:
    report, html = rendered
    lang = report["lang"]
    for key in (
        "right.access",
        "right.rectification",
        "right.erasure",
        "right.restriction",
        "right.portability",
        "doc.object",
        "doc.how",
        "doc.complaint",
        "doc.automated",
    ):
        assert has(html, phrase(lang, key)), key
    assert 'id="object"' in html  # Art. 21(4): the right to object in its own section
    authority = report["authority"]
    assert has(html, authority["display_name"])
    assert has(html, authority["official_name"])
    assert authority["postal_address"] and has(html, authority["postal_address"])
    contact = report["contact"]
    assert has(html, contact.get("email") or contact.get("address"))


def test_accessible_structure(rendered: tuple[Report, str]) -> None:
    _, html = rendered
    assert "<main>" in html
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not jumps, f"headings skip a level: {jumps}"
    assert all("scope=" in th for th in re.findall(r"<th\b[^>]*>", html))
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    links = set(re.findall(r'href="#([^"]+)"', html))
    assert links <= ids, f"links to nowhere: {links - ids}"


def _luminance(colour: str) -> float:
    hexes = colour.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(c * 2 for c in hexes)
    channels = [int(hexes[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_text_colour_has_contrast_on_every_background(anna: Callable[[str], Report]) -> None:
    """WCAG 2 AA asks 4.5:1 for body text; the page keeps every pair above 7:1 (AAA)."""
    css = re.search(r"<style>(.*?)</style>", html_of(anna("sv")), re.S)
    assert css
    texts = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", css.group(1)))
    backgrounds = set(re.findall(r"background:\s*(#[0-9a-fA-F]{3,6})", css.group(1))) | {"#fff"}
    assert texts and len(backgrounds) > 1
    for fg in texts:
        for bg in backgrounds:
            light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
            ratio = (light + 0.05) / (dark + 0.05)
            assert ratio >= 7, f"{fg} on {bg}: {ratio:.1f}:1"


@pytest.mark.parametrize(
    "lang, contact, year_end, yes",
    [
        ("sv", "1 maj 2025", "31 december 2024", "Ja"),
        ("en", "1 May 2025", "31 December 2024", "Yes"),
        ("da", "1. maj 2025", "31. december 2024", "Ja"),
    ],
)
def test_values_are_written_for_people(
    everyone: Callable[[str, str], Report],
    anna: Callable[[str], Report],
    lang: str,
    contact: str,
    year_end: str,
    yes: str,
) -> None:
    html = html_of(anna(lang))
    assert has(html, contact) and has(html, year_end)
    assert "2025-05-01" not in visible(html)
    # Anna has no manager: a dash, not 'None'.
    contacts = section(html, "crm.contacts")
    assert "<td>–</td>" in contacts and "None" not in contacts
    # A yes/no column (AXsensor's marketing block) reads as a word.
    axsensor = section(html_of(everyone("axsensor", lang)), "erp.contacts")
    assert f"<td>{yes}</td>" in axsensor and "True" not in axsensor


def _object_box(html: str) -> str:
    match = re.search(r'<section aria-labelledby="object" class="object">.*?</section>', html, re.S)
    assert match, "no section for the right to object"
    return match.group(0)


def test_consent_withdrawal_only_where_consent_is_the_basis(
    anna: Callable[[str], Report], everyone: Callable[[str, str], Report]
) -> None:
    assert not has(html_of(anna("sv")), phrase("sv", "right.withdraw"))
    report = everyone("axsensor", "sv")
    consent = report["rights"]["consent"]
    assert consent == ["Nyhetsbrev"]
    html = html_of(report)
    for key in ("right.withdraw", "right.withdraw.intro", "right.withdraw.text"):
        assert has(html, phrase("sv", key)), key
    assert "<li>Nyhetsbrev</li>" in html


def test_objection_names_the_interests_and_direct_marketing(
    anna: Callable[[str], Report], everyone: Callable[[str, str], Report]
) -> None:
    """Art. 21(4): shown apart from the other rights, naming what it applies to."""
    assert has(_object_box(html_of(anna("en"))), phrase("en", "object.none"))
    report = everyone("axsensor", "en")
    box = _object_box(html_of(report))
    for key in (
        "object.interest_intro",
        "object.interest",
        "object.marketing_intro",
        "object.marketing",
    ):
        assert has(box, phrase("en", key)), key
    assert report["rights"]["objection"] and report["rights"]["marketing"]
    for purpose in report["rights"]["objection"] + report["rights"]["marketing"]:
        assert f"<li>{escape(purpose)}</li>" in box
    assert has(box, phrase("en", "object.how", contact="privacy@axsensor.com"))


def test_transfer_safeguard_and_how_to_get_a_copy(everyone: Callable[[str, str], Report]) -> None:
    report = everyone("astrak", "da")
    [mailchimp] = [x for x in report["recipients"] if x["key"] == "mailchimp"]
    assert mailchimp["outside_eea"] == ["US"] and mailchimp["transfer"] == "uk_addendum"
    html = html_of(report)
    recipient = re.search(r'<div class="recipient" id="r-mailchimp">.*?</div>', html, re.S)
    assert recipient
    assert has(recipient.group(0), phrase("da", "transfer.uk_addendum"))
    assert has(
        recipient.group(0),
        "En kopi af garantierne kan fås ved henvendelse til sales@astrakgroup.com.",
    )
    assert has(recipient.group(0), "USA") and has(
        recipient.group(0), "uden for Storbritannien og EØS"
    )


def test_standard_clauses_offer_a_copy_when_the_map_says_nothing(
    everyone: Callable[[str, str], Report],
) -> None:
    report = everyone("axsensor", "sv")
    [microsoft] = [x for x in report["recipients"] if x["key"] == "microsoft_us"]
    assert microsoft["transfer_label"] == "EU-kommissionens standardavtalsklausuler (modul 3)"
    assert microsoft["safeguard_copy"] == phrase("sv", "doc.copy_default")


def test_source_is_shown_where_data_came_from_elsewhere(
    everyone: Callable[[str, str], Report],
) -> None:
    """AD-1 / Art. 14(2)(f): data not collected from the person says where it came from."""
    report = everyone("advansor", "da")
    html = html_of(report)
    elsewhere = [s for s in report["tables"] + report["shared"] if s["source"]["kind"] != "subject"]
    assert elsewhere
    for s in elsewhere:
        part = section(html, s["key"])
        assert has(part, phrase("da", f"source.{s['source']['kind']}"))
        assert has(part, s["source"]["description"])


def test_authorities_by_their_current_names(everyone: Callable[[str, str], Report]) -> None:
    se = html_of(everyone("axsensor", "en"))
    assert has(se, "Swedish Authority for Privacy Protection (Integritetsskyddsmyndigheten, IMY)")
    assert "Datainspektionen" not in visible(se)
    dk = html_of(everyone("advansor", "da"))
    assert has(dk, "Datatilsynet") and has(dk, "Carl Jacobsens Vej 35, 2500 Valby")
    gb = html_of(everyone("astrak", "en"))
    assert has(gb, "the Information Commissioner's Office (ICO)")
    assert "https://ico.org.uk/make-a-complaint/" in gb
    assert has(gb, "Article 6(1)(b) UK GDPR")


def test_automated_decisions_are_explained() -> None:
    m = load("small")
    orders = m.purposes["orders"].model_copy(
        update={
            "automated_decision": Text(
                sv="Vi bedömer kreditvärdigheten automatiskt.",
                en="We assess credit automatically.",
                da="Vi vurderer kreditværdigheden automatisk.",
            )
        }
    )
    m = m.model_copy(update={"purposes": {**m.purposes, "orders": orders}})
    html = html_of(report_for(m, ANNA_ROWS, ANNA_SHARED, "da"))
    assert has(html, phrase("da", "doc.automated_intro"))
    assert has(html, "Vi vurderer kreditværdigheden automatisk.")
    assert not has(html, phrase("da", "doc.no_automated"))


def test_privacy_contact_comes_before_the_dpo() -> None:
    m = load("small")
    controller = m.controller.model_copy(
        update={"privacy_contact": Person(name="Kundtjänst", email="integritet@exempel.se")}
    )
    report = report_for(
        m.model_copy(update={"controller": controller}), ANNA_ROWS, ANNA_SHARED, "sv"
    )
    assert report["contact"]["email"] == "integritet@exempel.se"
    html = html_of(report)
    assert has(html, phrase("sv", "object.how", contact="integritet@exempel.se"))


def test_nobody_found_still_gets_rights_and_complaint() -> None:
    html = html_of(report_for(load("small"), {}, {}, "sv"))
    assert has(html, phrase("sv", "doc.nothing"))
    assert 'id="details"' not in html
    assert has(html, phrase("sv", "right.erasure")) and has(html, "Integritetsskyddsmyndigheten")


def test_ambiguous_records_are_announced(anna: Callable[[str], Report]) -> None:
    report = {**anna("en"), "ambiguous": [{"table": "crm.contacts", "rows": 2}]}
    assert has(html_of(report), phrase("en", "doc.ambiguous"))


def test_hostile_names_are_escaped_in_the_page_and_the_footer() -> None:
    m = load("small")
    evil = 'Ond AB</style><script>alert("x")</script>'
    m = m.model_copy(update={"controller": m.controller.model_copy(update={"name": evil})})
    html = html_of(report_for(m, ANNA_ROWS, ANNA_SHARED, "sv"))
    assert "<script>" not in html
    assert html.count("</style>") == 1
    assert str(css_string(evil)).startswith('"Ond AB\\3c ')


def test_write_access_writes_the_page(anna: Callable[[str], Report], tmp_path: Any) -> None:
    files = write_access(anna("sv"), tmp_path, pdf=False)
    names = {f.name for f in files}
    assert {"data.json", "crm.contacts.csv", "registerutdrag.html"} <= names
    page = (tmp_path / "registerutdrag.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")


def test_a_column_the_map_does_not_know_is_shown_and_marked() -> None:
    rows = {
        "crm.contacts": [{**ANNA_ROWS["crm.contacts"][0], "nickname": "Annie"}],
        "erp.invoices": ANNA_ROWS["erp.invoices"],
    }
    m = load("small")
    report = report_for(m, rows, {}, "sv")
    [contacts] = [s for s in report["tables"] if s["key"] == "crm.contacts"]
    assert contacts["columns"][-1] == {
        "name": "nickname",
        "label": "Nickname",
        "category": None,
        "category_label": None,
        "type": None,
        "declared": False,
    }
    part = section(html_of(report), "crm.contacts")
    assert "Annie" in part and has(part, phrase("sv", "doc.undeclared"))
    # The next report on the same map does not inherit the extra column.
    again = report_for(m, ANNA_ROWS, {}, "sv")
    assert "nickname" not in {c["name"] for c in again["tables"][0]["columns"]}
