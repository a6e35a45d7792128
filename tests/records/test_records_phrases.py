"""The words of the records and of the breach notifications: same placeholders in every language."""

from __future__ import annotations

import string

import pytest

from skydd.breach.texts import TEXTS
from skydd.records.phrases import PHRASES


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("catalogue", [PHRASES, TEXTS], ids=["records", "breach"])
def test_placeholders_match(catalogue: dict[str, tuple[str, str, str]]) -> None:
    for key, (sv, en, da) in catalogue.items():
        assert sv and en and da, key
        assert _fields(sv) == _fields(en) == _fields(da), key
