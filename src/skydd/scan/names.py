"""Person names: first and last name lists for Swedish, Danish and English.

The lists (`data/names.json`) were taken once from Faker's sv_SE, da_DK and en_GB
locales by `bench/scan_names.py`. In free text a name is a first name followed by a
last name (a middle name may stand between): a lone "Berg" or "Mark" is too often a
word. In a column named for names (first_name, namn, navn) a value made of names
from the lists counts on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

from skydd.scan.validators import Ctx

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
# Possessive (*+): a capitalised word is read once, never backtracked letter by letter.
WORD = f"(?:Mc|Mac|O['’]|D['’])?[{UPPER}][{LOWER}'’]*+(?<=[{LOWER}])(?:-[{UPPER}][{LOWER}]++)?"
PATTERN = f"(?<![\\w-]){WORD}(?:[ \\t]+{WORD})+(?![\\w-])"
_WORD = re.compile(WORD)


@cache
def _data() -> dict[str, object]:
    raw = files("skydd.scan").joinpath("data/names.json").read_text("utf-8")
    data: dict[str, object] = json.loads(raw)
    return data


def _merged(key: str) -> frozenset[str]:
    groups = _data()[key]
    assert isinstance(groups, dict)
    return frozenset(name for names in groups.values() for name in names)


@cache
def first_names() -> frozenset[str]:
    return _merged("first")


@cache
def last_names() -> frozenset[str]:
    return _merged("last")


@cache
def street_suffixes(lang: str) -> tuple[str, ...]:
    found = _data()[f"{lang}_street_suffixes"]
    assert isinstance(found, list)
    return tuple(str(s) for s in found)


def _all_in(word: str, names: frozenset[str]) -> bool:
    return all(part in names for part in word.split("-"))


def refine(text: str, start: int, end: int, ctx: Ctx) -> Iterator[tuple[int, int]]:
    """First name, an optional middle name, last name: each span inside the run."""
    first, last = first_names(), last_names()
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]
    i = 0
    while i < len(words) - 1:
        if _all_in(words[i][2], first):
            for j in (i + 1, i + 2):
                if j >= len(words) or not _all_in(words[j][2], last):
                    continue
                if j == i + 2 and not (
                    _all_in(words[i + 1][2], first) or _all_in(words[i + 1][2], last)
                ):
                    continue
                yield words[i][0], words[j][1]
                i = j
                break
        i += 1


_VALUE = re.compile(f"{WORD}(?:[ \\t]+{WORD}){{0,3}}")


def whole(value: str) -> bool:
    """A value of a name column: one to four words, each a first or last name."""
    text = value.strip()
    if _VALUE.fullmatch(text) is None:
        return False
    known = first_names() | last_names()
    return all(_all_in(w, known) for w in text.split())
