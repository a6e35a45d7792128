"""Every Art. 13 and 14 item (LEGAL.md PN-1 to PN-3) is in every example's notice, in sv, en, da.

The expectations come from the map itself (each purpose, recipient, legitimate interest,
transfer), so a purpose added to an example is checked without touching this file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from notice_examples import COMPANIES, example

from skydd.datamap.authorities import EEA, for_country
from skydd.datamap.models import LegalBasis
from skydd.notice.content import named_purposes
from skydd.notice.phrases import NOTICE, t

LANGS = ("sv", "en", "da")
CASES = [(c, lang) for c in COMPANIES for lang in LANGS]


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _flat(text: str) -> str:
    """Markdown without escapes, so the map's texts can be looked up as written."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize(("company", "lang"), CASES)
def test_every_article_13_item_is_in_the_notice(
    md: Callable[[str, str], str], company: str, lang: str
) -> None:
    m = example(company).datamap
    text = _flat(md(company, lang))
    parts = _sections(text)
    c = m.controller
    outside = t(lang, "doc.outside_uk_eea" if c.country == "GB" else "doc.outside_eea")
    # 13(1)(a) identity and contact; (b) the DPO or privacy contact
    controller = parts[t(lang, "doc.controller_heading")]
    assert c.name in controller and (c.email or c.address or "") in controller
    person = c.dpo or c.privacy_contact
    assert person is not None
    assert (person.email or person.phone or person.address or "") in controller
    # 13(1)(c) purposes with their legal basis (Art. 6), (d) the legitimate interests named
    why = parts[t(lang, "n.h.purposes")]
    for key, p in m.purposes.items():
        label = p.labels.get(lang) or key
        assert label[:1].upper() + label[1:] in why, key
        assert isinstance(p.legal_basis, LegalBasis)
        assert t(lang, f"basis.{p.legal_basis.value}") in why.lower()
        if p.legal_basis is LegalBasis.legitimate_interest:
            interest = (p.legitimate_interest.get(lang) if p.legitimate_interest else "") or ""
            assert interest[1:].rstrip(".") in why, key
    assert why.count("6(1)" if lang == "en" else "6.1" if lang == "sv" else "stk. 1") >= len(
        m.purposes
    )
    # 13(1)(e) recipients; (f) transfers with their safeguard
    recipients = parts[t(lang, "doc.recipients_heading")]
    transfers = parts[t(lang, "n.h.transfers", outside=outside)]
    home = EEA | {c.country}
    for key, r in m.recipients.items():
        assert r.name in recipients, key
        if {r.country, *r.locations} - home:
            assert r.transfer is not None
            assert r.name in transfers, key
            assert t(lang, f"transfer.{r.transfer.mechanism.value}") in transfers, key
    # 13(2)(a) retention for every purpose that keeps data
    named = named_purposes(m)
    kept = [k for k in m.purposes if named[k]]
    assert why.count(f"**{t(lang, 'doc.retention')}:**") == len(m.purposes)
    assert len(kept) >= 3
    # 13(2)(b) the rights; (c) consent withdrawal; PN-3 objection, separate and first
    rights = parts[t(lang, "doc.rights")]
    for right in ("access", "rectification", "erasure", "restriction", "portability", "object"):
        assert t(lang, f"right.{right}") in rights, right
    if any(p.legal_basis is LegalBasis.consent for p in m.purposes.values()):
        assert t(lang, "right.withdraw") in rights
    assert list(parts)[0] == t(lang, "doc.object")
    # 13(2)(d) the supervisory authority, by its current name
    authority = for_country(c.country)
    complaint = parts[t(lang, "doc.complaint")]
    assert authority.official_name in complaint
    # 13(2)(e) whether the data must be given, for contracts and legal duties
    for key, p in m.purposes.items():
        if p.legal_basis in (LegalBasis.contract, LegalBasis.legal_obligation) and named[key]:
            assert t(lang, "n.requirement") in why
    # 13(2)(f) automated decisions; 14(1)(d) categories and 14(2)(f) sources
    assert t(lang, "doc.automated") in parts
    data = parts[t(lang, "n.h.data")]
    assert t(lang, "n.categories", categories="").rstrip(".") in data
    if any(tb.source and tb.source.kind != "subject" for _, _, tb in m.tables()):
        assert t(lang, "n.source_others") in data
        assert t(lang, "n.source_timing") in data


@pytest.mark.parametrize(("company", "lang"), CASES)
def test_no_phrase_key_or_placeholder_is_left(
    md: Callable[[str, str], str], page: Callable[[str, str], str], company: str, lang: str
) -> None:
    for text in (md(company, lang), page(company, lang)):
        keys = {k for k in NOTICE if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w.])", text)}
        assert not keys
        assert not re.search(r"\{[a-z_]+\}", text)
        assert "None" not in text


def test_phrases_exist_in_every_language_with_the_same_placeholders() -> None:
    for key, texts in NOTICE.items():
        assert len(texts) == 3 and all(texts), key
        holes = [sorted(re.findall(r"\{(\w+)\}", x)) for x in texts]
        assert holes[0] == holes[1] == holes[2], key


def test_the_notices_differ_by_language(md: Callable[[str, str], str]) -> None:
    sv, en, da = (md("axsensor", x) for x in LANGS)
    assert sv.startswith("# Integritetspolicy")
    assert en.startswith("# Privacy notice")
    assert da.startswith("# Privatlivspolitik")
    assert "Din ret til indsigelse" in da and "Your right to object" in en
