"""The public pages: the request form, verification by code or link, status, downloads.

Server-rendered, no JavaScript. Every POST checks the CSRF token and the client's
rate limit. Answers never depend on whether the person is known: the lookup
happens only after the address is verified, in the background.
"""

from __future__ import annotations

import mimetypes
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from skydd.datamap.models import LANGS
from skydd.errors import SkyddError
from skydd.web import intake, verification
from skydd.web.pages import choose_lang, render
from skydd.web.security import csrf_ok, rate_limited
from skydd.web.texts import lookup
from skydd.workflow import Request as WorkflowRequest
from skydd.workflow import State

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form(max_length=300)]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _form(request: Request, values: dict[str, Any], error: str | None, status: int) -> Response:
    country = request.app.state.controller_country
    context = {
        "kinds": intake.FORM_KINDS,
        "values": values,
        "error": error,
        "national_id": intake.national_id_kind(country),
    }
    return render(request, "form.html.j2", context, status_code=status)


@router.get("/")
def form_page(request: Request) -> Response:
    return _form(request, {}, None, 200)


@router.get("/requests")
def form_again(request: Request) -> Response:
    """Where the language links of a re-shown form lead: the form."""
    return _see_other(f"/?lang={choose_lang(request)}")


@router.post("/requests", dependencies=[Depends(rate_limited)])
def form_submit(
    request: Request,
    background: BackgroundTasks,
    csrf: FormText = "",
    kind: FormText = "",
    email: FormText = "",
    phone: FormText = "",
    national_id: FormText = "",
    reply_lang: FormText = "",
) -> Response:
    lang = choose_lang(request)
    t = lookup(lang)
    values = {"kind": kind, "email": email, "phone": phone, "national_id": national_id}
    values["reply_lang"] = reply_lang
    if not csrf_ok(request, csrf):
        return _form(request, values, t("form.expired"), 403)
    state = request.app.state
    if kind not in intake.FORM_KINDS or not email.strip():
        return _form(request, values, t("form.invalid"), 400)
    pairs = intake.identities(state.controller_country, email, phone, national_id)
    try:
        submitted = intake.submit(
            state, kind=kind, pairs=pairs, lang=reply_lang if reply_lang in LANGS else lang
        )
    except SkyddError:
        return _form(request, values, t("form.invalid"), 400)
    reference = intake.reference_for(state.signer, submitted.id)
    background.add_task(
        verification.send_code,
        state.settings,
        state.signer,
        state.controller_name,
        submitted,
        reference,
    )
    return _see_other(f"/requests/{reference}/verify?lang={lang}")


def _verify_page(
    request: Request,
    reference: str,
    *,
    link: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    minutes = int(request.app.state.settings.code_ttl.total_seconds() // 60)
    context = {"reference": reference, "minutes": minutes, "link": link, "error": error}
    return render(request, "verify.html.j2", context, status_code=status)


def _known(request: Request, reference: str) -> WorkflowRequest:
    found = intake.request_for(request.app.state, reference)
    if found is None:
        raise HTTPException(404)
    return found


@router.get("/requests/{reference}/verify")
def verify_page(request: Request, reference: str) -> Response:
    _known(request, reference)
    return _verify_page(request, reference)


@router.get("/verify/{token}")
def verify_link_page(request: Request, token: str) -> Response:
    """The mailed link shows a button rather than verifying on GET: mail scanners follow
    links, people press buttons."""
    state = request.app.state
    request_id = verification.link_request_id(state.signer, state.settings, token)
    if request_id is None:
        raise HTTPException(404)
    return _verify_page(request, intake.reference_for(state.signer, request_id), link=token)


@router.post("/requests/{reference}/verify", dependencies=[Depends(rate_limited)])
def verify_submit(
    request: Request,
    reference: str,
    background: BackgroundTasks,
    csrf: FormText = "",
    code: FormText = "",
    link: FormText = "",
) -> Response:
    from skydd import workflow

    lang = choose_lang(request)
    t = lookup(lang)
    if not csrf_ok(request, csrf):
        return _verify_page(request, reference, error=t("form.expired"), status=403)
    state = request.app.state
    found = _known(request, reference)
    status_url = f"/requests/{reference}?lang={lang}"
    if found.state != State.received:
        return _see_other(status_url)
    if link:
        if verification.link_request_id(state.signer, state.settings, link) != found.id:
            raise HTTPException(404)
        method = "email-link"
    else:
        checked = verification.check_code(state.store, state.settings, state.signer, found, code)
        if checked.outcome == "wrong":
            error = t("verify.wrong", left=checked.attempts_left)
            return _verify_page(request, reference, error=error, status=400)
        if checked.outcome == "spent":
            return render(
                request,
                "message.html.j2",
                {"heading_key": "error.heading", "message_key": "verify.spent", "role": "alert"},
                status_code=400,
            )
        method = "email-code"
    workflow.verify(state.store, found.id, actor="web", method=method)
    background.add_task(verification.review_identities, state.store, state.loaded, found.id)
    return _see_other(status_url + "&verified=1")


@router.get("/requests/{reference}")
def status_page(request: Request, reference: str, verified: str = "") -> Response:
    found = _known(request, reference)
    t = lookup(choose_lang(request))
    context = {
        "reference": reference,
        "short": found.id,
        "kind": found.kind.value,
        "state": found.state.value,
        "received": found.received_on.isoformat(),
        "due": found.due.isoformat() if found.state != State.received else None,
        "notice": t("verify.done") if verified and found.state != State.received else None,
    }
    return render(request, "status.html.j2", context)


@router.get("/download/{token}")
def download_page(request: Request, token: str) -> Response:
    state = request.app.state
    delivery = state.vault.delivery_of(token, state.settings.download_ttl)
    names = state.vault.names(delivery) if delivery else []
    if not names:
        return render(
            request,
            "message.html.j2",
            {"heading_key": "download.heading", "message_key": "download.gone", "role": "alert"},
            status_code=404,
        )
    return render(request, "download.html.j2", {"token": token, "files": names})


@router.get("/download/{token}/{name}")
def download_file(request: Request, token: str, name: str) -> Response:
    state = request.app.state
    delivery = state.vault.delivery_of(token, state.settings.download_ttl)
    data = state.vault.read(delivery, name) if delivery else None
    if data is None:
        raise HTTPException(404)
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(
        data,
        media_type=media,
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
