"""Periods in running text and cookie lifetimes in tables, as people write them."""

from __future__ import annotations

import pytest

from skydd.notice.durations import duration, lifetime


@pytest.mark.parametrize(
    ("lang", "period", "words"),
    [
        ("sv", "7 years", "sju år"),
        ("sv", "1 year", "ett år"),
        ("sv", "1 month", "en månad"),
        ("sv", "6 months", "sex månader"),
        ("sv", "14 months", "14 månader"),
        ("en", "1 year", "one year"),
        ("en", "12 months", "twelve months"),
        ("da", "1 year", "et år"),
        ("da", "5 years", "fem år"),
        ("da", "1 week", "en uge"),
        ("sv", "until further notice", "until further notice"),
    ],
)
def test_periods_in_words(lang: str, period: str, words: str) -> None:
    assert duration(lang, period) == words


@pytest.mark.parametrize(
    ("lang", "text", "shown"),
    [
        ("sv", "session", "tills du stänger webbläsaren"),
        ("en", "Session", "until you close your browser"),
        ("da", "session", "indtil du lukker browseren"),
        ("sv", "24 hours", "24 timmar"),
        ("sv", "1 minute", "1 minut"),
        ("da", "23 days", "23 dage"),
        ("en", "1 hour", "1 hour"),
        ("sv", "part of each link (no cookie)", "part of each link (no cookie)"),
    ],
)
def test_cookie_lifetimes_in_tables(lang: str, text: str, shown: str) -> None:
    assert lifetime(lang, text) == shown
