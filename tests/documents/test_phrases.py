"""The phrase catalogue: every phrase in Swedish, English and Danish, with the same blanks."""

from __future__ import annotations

import re
import string
import typing
from pathlib import Path

import pytest

from skydd.datamap.models import LegalBasis, Recipient, RetentionRule, Source, TransferMechanism
from skydd.documents.phrases import LANGUAGES, PHRASES, phrase

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "skydd" / "documents" / "templates"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_phrase_in_three_languages() -> None:
    assert LANGUAGES == ("sv", "en", "da")
    problems = []
    for key, texts in PHRASES.items():
        if len(texts) != 3:
            problems.append(f"{key}: {len(texts)} texts")
            continue
        for lang, text in zip(LANGUAGES, texts, strict=True):
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{key} has no {lang} text")
            elif text != text.strip():
                problems.append(f"{key} ({lang}) starts or ends with a space")
    assert not problems, "\n".join(problems)


def test_same_placeholders_in_every_language() -> None:
    problems = []
    for key, texts in PHRASES.items():
        sv, en, da = (_fields(text) for text in texts)
        if not sv == en == da:
            problems.append(f"{key}: sv {sorted(sv)}, en {sorted(en)}, da {sorted(da)}")
    assert not problems, "\n".join(problems)


def test_singulars_belong_to_a_plural() -> None:
    for key in PHRASES:
        if key.endswith(".1"):
            base = key.removesuffix(".1")
            assert base in PHRASES, f"{key} has no plural {base}"
            assert all("{n}" in text for text in PHRASES[base]) or "{n}" in PHRASES[base][1]


def test_typography() -> None:
    """No doubled spaces, no space before punctuation, each language's own quotes."""
    problems = []
    for key, texts in PHRASES.items():
        for lang, text in zip(LANGUAGES, texts, strict=True):
            if "  " in text or re.search(r" [.,;:!?)]", text) or '"' in text:
                problems.append(f"{key} ({lang}): {text!r}")
    assert not problems, "\n".join(problems)


def test_danish_is_danish_and_swedish_is_swedish() -> None:
    """Swedish letters in Danish (or Danish in Swedish) mean a phrase was copied, not written."""
    problems = []
    for key, (sv, _, da) in PHRASES.items():
        if re.search(r"[äöÄÖ]", da):
            problems.append(f"{key} (da) has Swedish letters: {da!r}")
        if re.search(r"[æøÆØ]", sv):
            problems.append(f"{key} (sv) has Danish letters: {sv!r}")
    assert not problems, "\n".join(problems)


def test_templates_use_known_phrases() -> None:
    used = {
        (template.name, key)
        for template in TEMPLATES.glob("*.j2")
        for key in re.findall(r"\bt\(\s*[\"']([a-z][\w.]*)[\"']", template.read_text("utf-8"))
    }
    assert used, "no phrase found in the templates"
    # A key ending in a dot is a family completed at run time ("basis." ~ b): the
    # families are checked below and by rendering every example company.
    missing = sorted(
        f"{name}: {key}" for name, key in used if key not in PHRASES and not key.endswith(".")
    )
    assert not missing, "\n".join(missing)


def _literals(annotation: object) -> list[str]:
    return [a for a in typing.get_args(annotation) if isinstance(a, str)]


@pytest.mark.parametrize(
    "family, values",
    [
        ("basis.{}", [b.value for b in LegalBasis]),
        ("basis.{}.explain", [b.value for b in LegalBasis]),
        ("recipient.{}", _literals(Recipient.model_fields["kind"].annotation)),
        ("recipient.{}.explain", _literals(Recipient.model_fields["kind"].annotation)),
        ("transfer.{}", [m.value for m in TransferMechanism if m is not TransferMechanism.none]),
        ("source.{}", _literals(Source.model_fields["kind"].annotation)),
        ("retention.then.{}", _literals(RetentionRule.model_fields["action"].annotation)),
        (
            "align.{}",
            [a for a in _literals(RetentionRule.model_fields["align"].annotation) if a != "none"],
        ),
        ("unit.{}", ["day", "week", "month", "year"]),
        ("unit.{}.1", ["day", "week", "month", "year"]),
    ],
)
def test_every_value_of_the_data_map_has_its_phrase(family: str, values: list[str]) -> None:
    assert values
    missing = [family.format(v) for v in values if family.format(v) not in PHRASES]
    assert not missing, missing


def test_phrase_fills_in_and_falls_back() -> None:
    assert phrase("sv", "unit.year", n=7) == "7 år"
    assert phrase("en", "unit.year", n=1) == "1 year"
    assert phrase("da", "count.record", n=3) == "3 registreringer"
    assert phrase("xx", "value.yes") == "Yes"  # an unknown language reads English
    assert phrase("sv", "no.such.key") == "no.such.key"  # shows up, and tests find it
