"""The five example maps and their notices, shared by the notice tests (a uniquely named
module, so that it is found whichever conftest.py pytest put on the path first)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from skydd import notice
from skydd.datamap.loader import LoadedMap, load_map

ROOT = Path(__file__).resolve().parents[2]
COMPANIES = ("acte", "advansor", "astrak", "axsensor", "entrack")


@cache
def example(company: str) -> LoadedMap:
    return load_map(ROOT / "examples" / company / "privacy.yaml")


@cache
def markdown(company: str, lang: str) -> str:
    text = notice.write(example(company), lang=lang, fmt="md")
    assert isinstance(text, str)
    return text


@cache
def html(company: str, lang: str) -> str:
    text = notice.write(example(company), lang=lang, fmt="html")
    assert isinstance(text, str)
    return text
