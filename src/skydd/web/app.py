"""The FastAPI application of `skydd serve`: one factory, routes found by module.

Every module in ``skydd.web.routes`` that has a ``router`` is included, so a new
page or API (the consent banner, the DPO dashboard) is one file. A module may set
``templates_package`` to add its own templates folder to the Jinja2 environment.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skydd import __version__
from skydd.datamap.loader import load_map
from skydd.errors import SkyddError
from skydd.web.files import Vault
from skydd.web.pages import render
from skydd.web.security import RateLimiter, SecurityHeaders
from skydd.web.settings import WebSettings
from skydd.web.signing import Signer

log = logging.getLogger("skydd.web")

_MESSAGES = {404: "error.not_found", 429: "error.rate", 403: "form.expired"}


def create_app(
    map_path: str | Path,
    *,
    store_url: str | None = None,
    settings: WebSettings | None = None,
) -> FastAPI:
    """The web service for one data map: public request pages, their JSON API, the admin API."""
    from skydd.store import open_store

    path = Path(map_path)
    settings = settings or WebSettings.load(path, store_url=store_url)
    loaded = load_map(path)
    store = open_store(settings.store_url, default_dir=loaded.directory)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.vault.purge()
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title=f"Skydd: {loaded.datamap.controller.name}",
        version=__version__,
        docs_url=None,  # Swagger UI needs inline script; the CSP forbids it
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    controller = loaded.datamap.controller
    signer = Signer(settings.secret_key)
    app.state.settings = settings
    app.state.loaded = loaded
    app.state.store = store
    app.state.signer = signer
    app.state.limiter = RateLimiter(
        signer, burst=settings.rate_burst, per_minute=settings.rate_per_minute
    )
    app.state.vault = Vault(settings.files_dir, signer, keep=settings.files_kept)
    app.state.controller_name = controller.name
    app.state.controller_country = controller.country
    contact = controller.privacy_contact or controller.dpo
    app.state.controller_contact = (contact.email if contact else None) or controller.email
    app.state.template_packages = ()
    _include_routes(app)
    _handle_errors(app)
    app.mount("/static", StaticFiles(packages=[("skydd.web", "static")]), name="static")
    app.add_middleware(ContainErrors)
    app.add_middleware(SecurityHeaders, https=settings.https)
    return app


def route_modules() -> list[Any]:
    """Every module of ``skydd.web.routes``, by name."""
    from skydd.web import routes

    names = sorted(m.name for m in pkgutil.iter_modules(routes.__path__))
    return [importlib.import_module(f"skydd.web.routes.{name}") for name in names]


def _include_routes(app: FastAPI) -> None:
    packages: list[str] = []
    for module in route_modules():
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)
        extra = getattr(module, "templates_package", None)
        if extra:
            packages.append(extra)
    app.state.template_packages = tuple(packages)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        headers = dict(exc.headers or {})
        if _wants_json(request):
            detail = "too many requests" if exc.detail == "rate" else exc.detail
            return JSONResponse({"detail": detail}, exc.status_code, headers=headers)
        key = _MESSAGES.get(exc.status_code, "error.heading")
        response = _message(request, key, exc.status_code)
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            # Field locations and messages only: never echo the values a person typed.
            errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
            return JSONResponse({"detail": errors}, 422)
        return _message(request, "form.invalid", 422)

    @app.exception_handler(SkyddError)
    async def refused(request: Request, exc: SkyddError) -> Response:
        # SkyddError messages carry no personal data (see skydd.errors); they say what to do.
        status = 403 if type(exc).__name__ == "PermissionDenied" else 409
        if _wants_json(request):
            return JSONResponse({"detail": exc.message, "hint": exc.hint}, status)
        return _message(request, "error.heading", status)


class ContainErrors:
    """Pure ASGI middleware: an unexpected exception becomes a plain 500, logged by its type.

    Not re-raised to the server: its message could carry a bound value (a database error
    lists its parameters), and a person's data must not reach the server's log.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log.error("internal error on %s: %s", scope.get("path"), type(exc).__name__)
            if started:
                return
            request = Request(scope)
            if _wants_json(request):
                response: Response = JSONResponse({"detail": "internal error"}, 500)
            else:
                response = _message(request, "error.server", 500)
            await response(scope, receive, send)


def _message(request: Request, key: str, status: int) -> Response:
    return render(
        request,
        "message.html.j2",
        {"heading_key": "error.heading", "message_key": key, "role": "alert"},
        status_code=status,
    )
