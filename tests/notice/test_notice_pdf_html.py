"""The notice as a page people read: accessible HTML, and a PDF that renders and reads back."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from notice_examples import example
from pypdf import PdfReader

from skydd import notice
from skydd.documents.writers import pdf_available


class _Outline(HTMLParser):
    """Headings, the html lang, and the header cells of every table."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.headings: list[int] = []
        self.tables = 0
        self.header_cells = 0
        self.scoped = 0
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables += 1
        if tag == "th":
            self.header_cells += 1
            self.scoped += "scope" in a
        if "id" in a and a["id"]:
            self.ids.append(a["id"])
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.links.append((a.get("href") or "")[1:])


@pytest.mark.parametrize("lang", ["sv", "en", "da"])
def test_html_is_accessible(page: Callable[[str, str], str], lang: str) -> None:
    outline = _Outline()
    outline.feed(page("astrak", lang))
    assert outline.lang == lang
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    # no heading level is skipped on the way down
    assert all(b <= a + 1 for a, b in zip(outline.headings, outline.headings[1:], strict=False))
    assert outline.tables >= 5 and outline.header_cells == outline.scoped
    assert len(outline.ids) == len(set(outline.ids))
    assert set(outline.links) <= set(outline.ids)


def test_html_escapes_what_the_map_says(page: Callable[[str, str], str]) -> None:
    html = page("entrack", "sv")
    assert "<code>SSESS&lt;hash&gt;</code>" in html
    assert "<hash>" not in html


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint cannot be imported here")
def test_pdf_renders_and_reads_back() -> None:
    pdf = notice.write(example("entrack"), lang="sv", fmt="pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    flat = " ".join("\n".join(p.extract_text() or "" for p in reader.pages).split())
    assert len(reader.pages) >= 4
    assert "Integritetspolicy" in flat and "Din rätt att invända" in flat
    assert "Integritetsskyddsmyndigheten (IMY)" in flat
    assert "sju år efter räkenskapsårets slut" in flat
    for cookie in ("_ga", "_gat", "_gid", "has_js", "Drupal.toolbar.collapsed"):
        assert cookie in flat.replace(" ", ""), cookie  # long names may wrap
