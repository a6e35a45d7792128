"""Staff sign-in: a page that takes a token and sets the session cookie, and sign-out.

Pages for staff (the DPO dashboard) rely on the cookie; the admin API takes the
token as a bearer header too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from skydd.web.auth import end_session, session_token, start_session
from skydd.web.pages import choose_lang, render
from skydd.web.security import csrf_ok, rate_limited
from skydd.web.texts import lookup
from skydd.workflow import authenticate

router = APIRouter(prefix="/staff", include_in_schema=False)
FormText = Annotated[str, Form(max_length=300)]


async def _signed_in(request: Request) -> str | None:
    token = session_token(request)
    if not token:
        return None
    staff = await run_in_threadpool(authenticate, request.app.state.store, token)
    return staff.name if staff else None


@router.get("/login")
async def login_page(request: Request) -> Response:
    return render(request, "login.html.j2", {"staff": await _signed_in(request)})


@router.post("/login", dependencies=[Depends(rate_limited)])
async def login(request: Request, csrf: FormText = "", token: FormText = "") -> Response:
    t = lookup(choose_lang(request))
    if not csrf_ok(request, csrf):
        return render(request, "login.html.j2", {"error": t("form.expired")}, status_code=403)
    staff = await run_in_threadpool(authenticate, request.app.state.store, token.strip())
    if staff is None:
        return render(request, "login.html.j2", {"error": t("login.wrong")}, status_code=401)
    # Straight on to the dashboard (which sends each role to the first page it may open).
    response = RedirectResponse("/admin/", status_code=303)
    start_session(request, response, token.strip())
    return response


@router.post("/logout")
async def logout(request: Request, csrf: FormText = "") -> Response:
    if not csrf_ok(request, csrf):
        t = lookup(choose_lang(request))
        return render(request, "login.html.j2", {"error": t("form.expired")}, status_code=403)
    response = RedirectResponse("/staff/login", status_code=303)
    end_session(response)
    return response
