"""The web service of `skydd serve`: public request pages and API, the admin API.

``create_app`` builds the FastAPI application; every module of ``skydd.web.routes``
with a ``router`` is part of it. What a new route module needs is here too:
``current_staff`` and ``require(permission)`` (staff authentication), ``render``
and ``choose_lang`` (pages in sv/en/da), ``csrf_ok`` and ``rate_limited``.
FastAPI, Starlette and uvicorn are imported only in this package (the ``web``
extra).
"""

from skydd.web.app import create_app
from skydd.web.auth import current_staff, require
from skydd.web.pages import choose_lang, render
from skydd.web.security import csrf_ok, rate_limited
from skydd.web.settings import WebSettings

__all__ = [
    "WebSettings",
    "choose_lang",
    "create_app",
    "csrf_ok",
    "current_staff",
    "rate_limited",
    "render",
    "require",
]
