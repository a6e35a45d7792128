"""Server-rendered pages: the Jinja2 environment, the reader's language, one ``render``.

Pages work without JavaScript and carry no inline script or style, so the
Content-Security-Policy can stay ``default-src 'self'``. Templates extend
``base.html.j2``; a page module built later (the consent banner, the DPO
dashboard) renders its own templates through the same ``render``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from skydd.datamap.models import LANGS
from skydd.web.security import CSRF_COOKIE, csrf_field
from skydd.web.texts import lookup

_COUNTRY_LANG = {"SE": "sv", "DK": "da", "FI": "sv"}


@cache
def environment(*extra_packages: str) -> Environment:
    """Templates of skydd.web (and of any package named, for plugins), autoescaped."""
    loaders = [PackageLoader("skydd.web", "templates")]
    loaders += [PackageLoader(name, "templates") for name in extra_packages]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(("html", "j2")),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def default_lang(country: str) -> str:
    return _COUNTRY_LANG.get(country.upper(), "en")


def choose_lang(request: Request) -> str:
    """?lang= first, then the browser's Accept-Language, then the controller's country."""
    asked = request.query_params.get("lang", "")
    if asked in LANGS:
        return asked
    best: tuple[float, str] | None = None
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        if base in ("nb", "nn", "no"):
            base = "da"  # closer to Norwegian than Swedish or English, for most readers
        if base not in LANGS:
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if best is None or quality > best[0]:
            best = (quality, base)
    if best is not None and best[0] > 0:
        return best[1]
    country: str = request.app.state.controller_country
    return default_lang(country)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    lang: str | None = None,
) -> HTMLResponse:
    """Render a page in the reader's language, with the CSRF field and cookie it needs."""
    lang = lang or choose_lang(request)
    state = request.app.state
    values: dict[str, Any] = {
        "lang": lang,
        "langs": LANGS,
        "t": lookup(lang),
        "t_lang": lambda code: lookup(code)("lang.name"),
        "controller": state.controller_name,
        "contact": state.controller_contact,
        "path": request.url.path,
        "csrf": lambda: csrf_field(request),
    }
    values.update(context or {})
    env = environment(*state.template_packages)
    html = env.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["content-language"] = lang
    fresh = getattr(request.state, "csrf_new", None)
    if fresh:
        response.set_cookie(
            CSRF_COOKIE,
            fresh,
            httponly=True,
            secure=state.settings.https,
            samesite="strict",
            path="/",
        )
    return response
