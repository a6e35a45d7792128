"""Periods as people write them: "sju år", "six months", "23 dagar", "until you close your browser".

Running text spells out one to twelve ("sju år efter den senaste kontakten"), as
careful prose does; tables keep figures ("2 år"), which scan faster in a column.
"""

from __future__ import annotations

import re

from skydd.notice.phrases import NEUTER_ONE, NUMBER_WORDS, t

_LIFETIME = re.compile(r"^\s*(\d+)\s*(second|minute|hour|day|week|month|year)s?\s*$", re.IGNORECASE)
_SESSION = ("session", "browser session")


def split(text: str) -> tuple[int, str] | None:
    """'7 years' -> (7, 'year'); None for anything else ('session', 'until logout')."""
    match = _LIFETIME.match(text)
    return (int(match.group(1)), match.group(2).lower()) if match else None


def in_words(lang: str, n: int, unit: str) -> str:
    """'sju år', 'one month', 'ett år', '24 timmar' (figures above twelve)."""
    text = t(lang, f"unit.{unit}", n=n)
    if 1 <= n <= 12:
        words = NUMBER_WORDS.get(lang, NUMBER_WORDS["en"])
        word = NEUTER_ONE.get((lang, unit), words[n]) if n == 1 else words[n]
        text = re.sub(r"^\d+", word, text)
    return text


def duration(lang: str, period: str) -> str:
    """A map period ('7 years') in running text ('sju år'); other text is kept as written."""
    parts = split(period)
    return in_words(lang, *parts) if parts else period.strip()


def lifetime(lang: str, text: str) -> str:
    """A cookie lifetime for a table: '2 år', '24 timmar', 'tills du stänger webbläsaren'."""
    if text.strip().lower() in _SESSION:
        return t(lang, "n.life.session")
    parts = split(text)
    return t(lang, f"unit.{parts[1]}", n=parts[0]) if parts else text.strip()
