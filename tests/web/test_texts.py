"""Every text a person reads on the web exists in Swedish, English and Danish, with the same
placeholders, and every key the templates use exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from skydd.web.texts import TEXTS, lookup

TEMPLATES = Path(__file__).parents[2] / "src" / "skydd" / "web" / "templates"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_each_text_in_three_languages_with_the_same_placeholders(key: str) -> None:
    sv, en, da = TEXTS[key]
    assert sv.strip() and en.strip() and da.strip(), key
    assert _fields(sv) == _fields(en) == _fields(da), key


def test_the_templates_use_only_known_keys() -> None:
    used = set()
    for template in TEMPLATES.glob("*.j2"):
        used |= set(re.findall(r't\("([a-z_.]+)"', template.read_text(encoding="utf-8")))
    prefixes = {key for key in used if key.endswith(".")}  # t("kind." ~ kind)
    assert all(any(k.startswith(p) for k in TEXTS) for p in prefixes), prefixes
    assert used - prefixes <= set(TEXTS), used - prefixes - set(TEXTS)
    for kind in ("access", "export", "erase", "rectify", "restrict", "object", "withdraw"):
        assert f"kind.{kind}" in TEXTS
    for state in ("received", "verified", "in_progress", "extended", "done", "refused"):
        assert f"state.{state}" in TEXTS


def test_an_unknown_language_reads_english() -> None:
    assert lookup("fr")("form.submit") == "Send"
    assert lookup("sv")("form.submit") == "Skicka"
