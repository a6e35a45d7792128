"""The notice as HTML, Markdown or PDF, from the content `skydd.notice.content.build` makes.

The HTML shares the registerutdrag's stylesheet and its WeasyPrint writer
(`skydd.documents.writers.render_pdf`), so a tagged A4 PDF comes from the same page.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2

from skydd.documents.display import display
from skydd.documents.writers import css_string, render_pdf
from skydd.notice.content import lower_first
from skydd.notice.phrases import t

FORMATS = ("html", "md", "pdf", "json")
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>])|(?<!\w)_|_(?!\w)")


def markdown_text(text: str) -> str:
    """A map's text for Markdown: no emphasis, links or HTML it did not mean."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), str(text))


def markdown_cell(text: str) -> str:
    """A table cell: escaped, one line, no column breaks."""
    return markdown_text(" ".join(str(text).split())).replace("|", "\\|")


def _capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = str(text).strip()
    return text + "." if text and text[-1] not in ".!?" else text


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("skydd.notice", "templates"),
                jinja2.PackageLoader("skydd.documents", "templates"),
            ]
        ),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["capitalize_first"] = _capitalize_first
    env.filters["sentence"] = _sentence
    env.filters["lower_first"] = lower_first
    env.filters["md"] = markdown_text
    env.filters["cell"] = markdown_cell
    return env


def _render(template: str, content: dict[str, Any]) -> str:
    lang = content["lang"]

    def phrase(key: str, **values: Any) -> str:
        return t(lang, key, **values)

    page = _environment().get_template(template)
    return page.render(n=content, t=phrase, d=display(lang), css=css_string)


def html(content: dict[str, Any]) -> str:
    return _render("notice.html.j2", content)


def markdown(content: dict[str, Any]) -> str:
    text = _render("notice.md.j2", content)
    # Templates leave runs of blank lines where optional parts are absent.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def pdf(content: dict[str, Any]) -> bytes:
    """A4 PDF with WeasyPrint (the `pdf` extra)."""
    return render_pdf(html(content))
