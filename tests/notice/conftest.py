"""Fixtures for the notice tests: the examples' notices in a language (see notice_examples.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from notice_examples import html, markdown


@pytest.fixture(scope="session")
def md() -> Callable[[str, str], str]:
    """The notice of an example company in Markdown, in a language."""
    return markdown


@pytest.fixture(scope="session")
def page() -> Callable[[str, str], str]:
    """The notice of an example company in HTML, in a language."""
    return html
