"""The privacy notice (Art. 13 and 14) written from the data map, checked and versioned.

`write()` gives the notice in Swedish, English or Danish as HTML, Markdown or PDF;
`check()` lists the items the map cannot fill yet; `publish()` stores a version
with its hash, which the consent ledger and the banner refer to
(`current_notice_version`); `diff()` says in words what changed between two.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from skydd.datamap.authorities import AuthorityError, for_country
from skydd.datamap.loader import LoadedMap, load_map
from skydd.datamap.models import LANGS, DataMap
from skydd.errors import SkyddError
from skydd.notice import render
from skydd.notice.check import Gap
from skydd.notice.check import check as _check
from skydd.notice.content import build
from skydd.notice.versions import (
    NoticeVersion,
    current_notice_version,
    diff,
    get_version,
    list_versions,
    publish,
    published,
)

__all__ = [
    "BASE_URL_ENV",
    "REQUEST_PATH",
    "REQUEST_URL_ENV",
    "Gap",
    "NoticeVersion",
    "build",
    "check",
    "current_notice_version",
    "default_lang",
    "diff",
    "get_version",
    "list_versions",
    "loaded",
    "publish",
    "published",
    "request_url",
    "write",
]

REQUEST_URL_ENV = "SKYDD_REQUEST_URL"
BASE_URL_ENV = "SKYDD_BASE_URL"
REQUEST_PATH = "/request"
"""Where `skydd serve` takes requests, below SKYDD_BASE_URL."""


def loaded(map_: LoadedMap | str | Path | None) -> LoadedMap:
    return map_ if isinstance(map_, LoadedMap) else load_map(map_)


def _datamap(map_: DataMap | LoadedMap | str | Path | None) -> DataMap:
    return map_ if isinstance(map_, DataMap) else loaded(map_).datamap


def request_url(explicit: str | None = None) -> str | None:
    """The request form's address: given, else SKYDD_REQUEST_URL, else SKYDD_BASE_URL/request."""
    if explicit:
        return explicit
    env = os.environ.get(REQUEST_URL_ENV, "").strip()
    if env:
        return env
    base = os.environ.get(BASE_URL_ENV, "").strip().rstrip("/")
    return base + REQUEST_PATH if base else None


def default_lang(datamap: DataMap) -> str:
    """The language of the controller's country (SE sv, DK da, GB en), else English."""
    try:
        return for_country(datamap.controller.country).reader_lang
    except AuthorityError:
        return "en"


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise SkyddError(f"no notice in language '{lang}'", hint="use sv, en or da")
    return lang


def write(
    map_: DataMap | LoadedMap | str | Path | None,
    *,
    lang: str | None = None,
    fmt: str = "html",
    request: str | None = None,
    version: dict[str, Any] | None = None,
) -> str | bytes:
    """The notice as HTML or Markdown text, PDF bytes, or its content as JSON-ready data."""
    datamap = _datamap(map_)
    if fmt not in render.FORMATS:
        raise SkyddError(f"unknown format '{fmt}'", hint="use html, md, pdf or json")
    content = build(datamap, check_lang(lang or default_lang(datamap)), request_url=request)
    content["version"] = version
    if fmt == "md":
        return render.markdown(content)
    if fmt == "pdf":
        return render.pdf(content)
    if fmt == "json":
        return json.dumps(content, ensure_ascii=False, indent=2) + "\n"
    return render.html(content)


def check(
    map_: DataMap | LoadedMap | str | Path | None,
    langs: tuple[str, ...] = LANGS,
    *,
    request: str | None = None,
) -> list[Gap]:
    """Every Art. 13/14 item the map cannot fill for a notice in ``langs``."""
    return _check(_datamap(map_), tuple(check_lang(x) for x in langs), request_url=request)
