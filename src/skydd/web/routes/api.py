"""The public JSON API: submit a request, verify it with the mailed code, see its status.

The same steps as the form (``skydd.web.intake``). No cookies are read, so there is
nothing for a forged cross-site request to ride on; every POST is rate limited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Path, Request
from pydantic import BaseModel, Field

from skydd.identity import IdentityError
from skydd.web import intake, verification
from skydd.web.pages import default_lang
from skydd.web.security import rate_limited
from skydd.workflow import Request as WorkflowRequest
from skydd.workflow import RequestKind, State

router = APIRouter(prefix="/api/requests", tags=["public"])
Reference = Annotated[str, Path(min_length=10, max_length=200, pattern=r"^[A-Za-z0-9._-]+$")]


class NewRequest(BaseModel):
    """A data subject request. ``email`` is required: the code goes there."""

    kind: RequestKind
    email: str = Field(min_length=3, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    national_id: str | None = Field(
        default=None, max_length=20, description="personnummer (SE) or CPR number (DK)"
    )
    lang: Literal["sv", "en", "da"] | None = Field(
        default=None, description="The language of the mails; default: the controller's."
    )


class Submitted(BaseModel):
    reference: str = Field(description="Signed; names the request in the calls below.")
    state: State
    status_url: str


class Code(BaseModel):
    code: str = Field(min_length=1, max_length=16)


class PublicStatus(BaseModel):
    reference: str
    kind: RequestKind
    state: State
    received_on: dt.date
    due: dt.date | None = Field(description="Set once the address is verified.")


class Problem(BaseModel):
    detail: str


def _status(reference: str, found: WorkflowRequest) -> PublicStatus:
    return PublicStatus(
        reference=reference,
        kind=found.kind,
        state=found.state,
        received_on=found.received_on,
        due=found.due if found.state != State.received else None,
    )


@router.post(
    "",
    status_code=202,
    dependencies=[Depends(rate_limited)],
    responses={422: {"model": Problem}, 429: {"model": Problem}},
)
def submit_request(body: NewRequest, request: Request, background: BackgroundTasks) -> Submitted:
    """Record a request and mail a one-time code and a signed link to ``email``.

    The answer is the same whether or not the controller knows the address."""
    state = request.app.state
    pairs = intake.identities(state.controller_country, body.email, body.phone, body.national_id)
    lang = body.lang or default_lang(state.controller_country)
    try:
        submitted = intake.submit(state, kind=body.kind.value, pairs=pairs, lang=lang)
    except IdentityError as exc:
        raise HTTPException(422, exc.message) from None
    reference = intake.reference_for(state.signer, submitted.id)
    background.add_task(
        verification.send_code,
        state.settings,
        state.signer,
        state.controller_name,
        submitted,
        reference,
    )
    url = f"{state.settings.base_url}/requests/{reference}?lang={lang}"
    return Submitted(reference=reference, state=submitted.state, status_url=url)


@router.post(
    "/{reference}/verify",
    dependencies=[Depends(rate_limited)],
    responses={400: {"model": Problem}, 404: {"model": Problem}, 429: {"model": Problem}},
)
def verify_request(
    reference: Reference, body: Code, request: Request, background: BackgroundTasks
) -> PublicStatus:
    """Prove control of the address with the mailed code."""
    from skydd import workflow

    state = request.app.state
    found = intake.request_for(state, reference)
    if found is None:
        raise HTTPException(404, "no such request")
    if found.state == State.received:
        checked = verification.check_code(
            state.store, state.settings, state.signer, found, body.code
        )
        if checked.outcome != "verified":
            detail = "wrong code" if checked.outcome == "wrong" else "code expired or spent"
            raise HTTPException(400, detail)
        found = workflow.verify(state.store, found.id, actor="web", method="email-code")
        background.add_task(verification.review_identities, state.store, state.loaded, found.id)
    return _status(reference, found)


@router.get("/{reference}", responses={404: {"model": Problem}})
def request_status(reference: Reference, request: Request) -> PublicStatus:
    """Where the request stands."""
    found = intake.request_for(request.app.state, reference)
    if found is None:
        raise HTTPException(404, "no such request")
    return _status(reference, found)
