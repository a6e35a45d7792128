"""The DPO's dashboard: server-rendered pages under /admin/, behind staff tokens and roles.

A page needs a session (signed in on /staff/login) or an ``Authorization: Bearer`` token;
without one it sends the browser to the sign-in page. Each page declares the permission
it needs; the menu shows only the pages the role may open. Forms work without
JavaScript and carry the CSRF token; every action goes through the workflow's own
functions, so it is audited with who did it and why. Charts are inline SVG.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from skydd.errors import SkyddError
from skydd.web.auth import session_token
from skydd.web.dashboard import charts, data, pages
from skydd.web.dashboard.texts import lookup
from skydd.web.pages import choose_lang
from skydd.web.security import CSRF_COOKIE, csrf_field, csrf_ok
from skydd.workflow import Permission, Staff, authenticate

router = APIRouter(prefix="/admin", include_in_schema=False)
Field = Annotated[str, Form(max_length=2000)]

MENU = (
    ("overview", "/admin/", Permission.requests_read),
    ("requests", "/admin/requests", Permission.requests_read),
    ("retention", "/admin/retention", Permission.registers_read),
    ("consent", "/admin/consent", Permission.consent_stats),
    ("scans", "/admin/scans", Permission.registers_read),
    ("breaches", "/admin/breaches", Permission.registers_read),
    ("audit", "/admin/audit", Permission.audit_read),
    ("inventory", "/admin/inventory", Permission.registers_read),
)


class SignIn(Exception):
    """No staff member: the browser goes to the sign-in page."""


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("skydd.web.dashboard", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["n"] = lambda v: f"{v:,}".replace(",", "\u202f")
    env.filters["pct"] = lambda v: "–" if v is None else f"{v:.0%}"
    return env


LANG_COOKIE = "skydd_admin_lang"


def _lang(request: Request) -> str:
    """?lang= (remembered in a cookie), else the remembered choice, else the browser's."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "")
    if asked in ("sv", "en"):
        return asked
    lang = choose_lang(request)
    return lang if lang in ("sv", "en") else "en"


async def _signed_in(request: Request) -> Staff:
    """The staff member behind the bearer token or the session cookie; SignIn otherwise."""
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else session_token(request)
    if not token:
        raise SignIn
    staff = await run_in_threadpool(authenticate, request.app.state.store, token)
    if staff is None:
        raise SignIn
    return staff


async def _staff(request: Request, permission: Permission) -> Staff:
    staff = await _signed_in(request)
    if not staff.can(permission):
        raise PermissionError(permission.value)
    return staff


def _page(
    request: Request, staff: Staff, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    lang = _lang(request)
    menu = [
        {"key": key, "href": href, "current": request.url.path == href}
        for key, href, need in MENU
        if staff.can(need)
    ]
    html = (
        _env()
        .get_template(template)
        .render(
            lang=lang,
            t=lookup(lang),
            staff=staff,
            menu=menu,
            csrf=csrf_field(request),
            controller=request.app.state.controller_name,
            path=request.url.path,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["content-language"] = lang
    if request.query_params.get("lang") in ("sv", "en"):
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict", path="/admin")
    fresh = getattr(request.state, "csrf_new", None)
    if fresh:
        https = request.app.state.settings.https
        response.set_cookie(
            CSRF_COOKIE, fresh, httponly=True, secure=https, samesite="strict", path="/"
        )
    return response


async def _guard(request: Request, permission: Permission) -> Staff | Response:
    try:
        return await _staff(request, permission)
    except SignIn:
        return RedirectResponse("/staff/login", status_code=303)
    except PermissionError:
        return HTMLResponse(_forbidden(request), status_code=403)


def _forbidden(request: Request) -> str:
    t = lookup(_lang(request))
    return (
        f'<!doctype html><html lang="{_lang(request)}"><head><meta charset="utf-8">'
        f"<title>403</title></head><body><main><h1>403</h1><p>{t('forbidden')}</p>"
        '<p><a href="/admin/">/admin/</a></p></main></body></html>'
    )


def _first_page(request: Request, staff: Staff) -> Response:
    """The first page of the menu that the staff member's role may open."""
    for _, href, need in MENU:
        if staff.can(need):
            return RedirectResponse(href, status_code=303)
    return HTMLResponse(_forbidden(request), status_code=403)


def _today(request: Request) -> dt.date:
    asked = request.query_params.get("today")  # for demos and tests: see a given day
    try:
        return dt.date.fromisoformat(asked) if asked else dt.date.today()
    except ValueError:
        return dt.date.today()


@router.get("/")
async def overview(request: Request) -> Response:
    try:
        staff = await _signed_in(request)
    except SignIn:
        return RedirectResponse("/staff/login", status_code=303)
    if not staff.can(Permission.requests_read):
        # A role without the queue (marketing) starts on the first page it may open.
        return _first_page(request, staff)
    today = _today(request)
    store = request.app.state.store
    context = await run_in_threadpool(pages.overview, store, request.app.state.loaded, today)
    return _page(request, staff, "overview.html.j2", context)


@router.get("/requests")
async def requests_page(
    request: Request,
    state: str = "",
    kind: str = "",
    due: str = "",
    page: int = 1,
) -> Response:
    staff = await _guard(request, Permission.requests_read)
    if isinstance(staff, Response):
        return staff
    today = _today(request)
    due_within = int(due) if due.isdigit() else None
    try:
        rows = await run_in_threadpool(
            data.queue,
            request.app.state.store,
            today,
            state=state or None,
            kind=kind or None,
            due_within=due_within,
            page=max(page, 1),
        )
    except SkyddError:
        rows = []
    context = {
        "rows": rows,
        "filters": {"state": state, "kind": kind, "due": due},
        "page": max(page, 1),
        **pages.choices(),
    }
    return _page(request, staff, "requests.html.j2", context)


@router.get("/requests/{request_id}")
async def request_page(request: Request, request_id: str) -> Response:
    staff = await _guard(request, Permission.requests_read)
    if isinstance(staff, Response):
        return staff
    try:
        context = await run_in_threadpool(
            pages.request_detail, request.app.state.store, request_id, _today(request)
        )
    except SkyddError:
        return _page(request, staff, "message.html.j2", {"message": "404"}, status=404)
    context["can_act"] = staff.can(Permission.requests_act)
    context["done"] = request.query_params.get("done") == "1"
    return _page(request, staff, "request.html.j2", context)


@router.post("/requests/{request_id}/{action}")
async def request_action(
    request: Request,
    request_id: str,
    action: str,
    csrf: Field = "",
    reason: Field = "",
    told_at: Field = "",
) -> Response:
    staff = await _guard(request, Permission.requests_act)
    if isinstance(staff, Response):
        return staff
    if not csrf_ok(request, csrf):
        return _page(request, staff, "message.html.j2", {"message": "403"}, status=403)
    try:
        await run_in_threadpool(
            pages.act,
            request.app.state.store,
            request.app.state.loaded,
            request_id,
            action,
            actor=staff.name,
            reason=reason,
            told_at=told_at,
        )
    except SkyddError as exc:
        context = {"message": exc.render()}
        return _page(request, staff, "message.html.j2", context, status=400)
    return RedirectResponse(f"/admin/requests/{request_id}?done=1", status_code=303)


@router.get("/retention")
async def retention_page(request: Request) -> Response:
    staff = await _guard(request, Permission.registers_read)
    if isinstance(staff, Response):
        return staff
    state = request.app.state
    context = await run_in_threadpool(
        pages.retention, state.store, state.loaded, state.settings.store_url, _today(request)
    )
    context["bars"] = charts.bars
    return _page(request, staff, "retention.html.j2", context)


@router.get("/consent")
async def consent_page(request: Request) -> Response:
    staff = await _guard(request, Permission.consent_stats)
    if isinstance(staff, Response):
        return staff
    context = await run_in_threadpool(pages.consent, request.app.state.store, _today(request))
    title = lookup(_lang(request))("consent.chart")
    context["chart"] = pages.consent_chart(context["rates"], title, title)
    return _page(request, staff, "consent.html.j2", context)


@router.get("/scans")
async def scans_page(request: Request) -> Response:
    staff = await _guard(request, Permission.registers_read)
    if isinstance(staff, Response):
        return staff
    context = await run_in_threadpool(pages.scans, request.app.state.store)
    return _page(request, staff, "scans.html.j2", context)


@router.get("/breaches")
async def breaches_page(request: Request) -> Response:
    staff = await _guard(request, Permission.registers_read)
    if isinstance(staff, Response):
        return staff
    state = request.app.state
    context = await run_in_threadpool(pages.breaches, state.store, state.loaded)
    return _page(request, staff, "breaches.html.j2", context)


@router.get("/audit")
async def audit_page(
    request: Request, kind: str = "", actor: str = "", before: int = 0, check: int = 0
) -> Response:
    staff = await _guard(request, Permission.audit_read)
    if isinstance(staff, Response):
        return staff
    store = request.app.state.store
    context = await run_in_threadpool(
        data.audit_page, store, kind=kind or None, actor=actor or None, before=before or None
    )
    context["filters"] = {"kind": kind, "actor": actor}
    if check:
        context["chain"] = await run_in_threadpool(store.audit.verify)
    return _page(request, staff, "audit.html.j2", context)


@router.get("/inventory")
async def inventory_page(request: Request) -> Response:
    staff = await _guard(request, Permission.registers_read)
    if isinstance(staff, Response):
        return staff
    lang = _lang(request)
    context = await run_in_threadpool(pages.inventory, request.app.state.loaded, lang)
    return _page(request, staff, "inventory.html.j2", context)


@router.get("/dashboard.css")
def stylesheet() -> Response:
    from importlib import resources

    css = resources.files("skydd.web.dashboard").joinpath("dashboard.css").read_text("utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})
