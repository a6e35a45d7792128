"""The admin API (JSON) for the request queue, under /api/admin/.

Every route needs a staff token (``Authorization: Bearer``) or a staff session,
and the permission its role must hold (``skydd.workflow.ROLES``). Reads of
personal data are audited through ``workflow.record_read``. The actions are
the workflow's own transitions; ``run`` also delivers the answer to the person
through an encrypted file and a signed, expiring link.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from skydd.errors import SkyddError
from skydd.web.auth import current_staff, require
from skydd.web.events import WebDelivery, WebIdentityReview
from skydd.web.verification import unmatched_kinds
from skydd.workflow import Permission, RequestKind, Staff, State
from skydd.workflow import Request as WorkflowRequest

log = logging.getLogger("skydd.web")
router = APIRouter(
    prefix="/api/admin",
    tags=["admin"],
    responses={401: {"description": "No valid staff token"}, 403: {"description": "Not allowed"}},
)
RequestId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
Reader = Annotated[Staff, Depends(require(Permission.requests_read))]
Actor = Annotated[Staff, Depends(require(Permission.requests_act))]


class Verify(BaseModel):
    method: str = Field(
        default="staff-check",
        pattern=r"^[a-z][a-z0-9-]{1,39}$",
        description="How identity was proven: account, in-person, staff-check …",
    )


class Extend(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)
    told_at: dt.date = Field(description="The day the person was told (within the first month).")
    months: int = Field(default=2, ge=1, le=2)


class Refuse(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)


class Run(BaseModel):
    confirm_identities: bool = Field(
        default=False,
        description="Run although other identities were not found with the verified address "
        "(after a human has checked them).",
    )


def _get(request: Request, request_id: str, *, reveal: bool = False) -> WorkflowRequest:
    from skydd import workflow

    try:
        return workflow.get(request.app.state.store, request_id, reveal=reveal)
    except SkyddError:
        raise HTTPException(404, "no such request") from None


def _mail_settings(request: Request) -> Any:
    return request.app.state.settings.mail


def _tell(request: Request, told: WorkflowRequest, link: str | None = None) -> bool:
    """Tell the person by email; False (and a log line without the address) if it failed."""
    from skydd import workflow

    state = request.app.state
    if state.settings.mail is None:
        return False
    try:
        workflow.notify_person(
            state.store, state.loaded, told, settings=state.settings.mail, link=link
        )
    except SkyddError as exc:
        log.warning("could not tell the person about %s: %s", told.id, exc.message)
        return False
    return True


@router.get("/me")
def whoami(staff: Annotated[Staff, Depends(current_staff)]) -> dict[str, Any]:
    """The staff member behind the token, and what their role may do."""
    from skydd.workflow import ROLES

    return {**staff.as_json(), "permissions": sorted(p.value for p in ROLES[staff.role])}


@router.get("/requests")
def list_queue(
    request: Request,
    staff: Reader,
    state: Annotated[State | None, Query()] = None,
    kind: Annotated[RequestKind | None, Query()] = None,
    due_within: Annotated[int | None, Query(ge=0, le=3650)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """The queue, soonest deadline first. No identity values."""
    from skydd import workflow

    rows = workflow.list_requests(
        request.app.state.store,
        state=state,
        kind=kind,
        due_within=due_within,
        limit=limit,
        offset=offset,
    )
    return {"requests": [r.as_json() for r in rows], "limit": limit, "offset": offset}


@router.get("/reviews")
def identity_reviews(request: Request, staff: Reader) -> dict[str, Any]:
    """Open web requests waiting for a human: other identities they name were not found
    with the verified address (DSR-7). Kinds of identity only, never values."""
    from skydd import workflow

    store = request.app.state.store
    flagged: dict[str, dict[str, Any]] = {}
    for record in store.audit.records(kind=WebIdentityReview):
        flagged[record.payload["request_id"]] = {
            "request_id": record.payload["request_id"],
            "unmatched_kinds": record.payload["unmatched_kinds"],
            "flagged_at": record.at.isoformat(),
        }
    still_open = []
    for request_id, entry in flagged.items():
        try:
            if workflow.get(store, request_id).is_open:
                still_open.append(entry)
        except SkyddError:
            continue  # erased since
    return {"reviews": still_open}


@router.get("/requests/{request_id}")
def show_request(
    request: Request,
    request_id: RequestId,
    staff: Reader,
    reveal: bool = False,
) -> dict[str, Any]:
    """A request with its history. ``reveal=true`` adds the identities (needs
    requests:personal; audited) and whether they belong to one person."""
    from skydd import workflow

    state = request.app.state
    if reveal and not staff.can(Permission.requests_personal):
        raise HTTPException(403, f"the role {staff.role.value} may not read identities")
    found = _get(request, request_id, reveal=reveal)
    body = found.as_json()
    body["events"] = [e.as_json() for e in workflow.events(state.store, request_id)]
    if reveal:
        workflow.record_read(state.store, staff, f"request:{request_id}")
        body["identities"] = [{"kind": k, "value": v} for k, v in found.identities or ()]
        if found.is_open:
            body["unmatched_identities"] = unmatched_kinds(state.loaded, found)
    return body


@router.post("/requests/{request_id}/verify")
def verify_request(
    request: Request, request_id: RequestId, body: Verify, staff: Actor
) -> dict[str, Any]:
    """Record that staff verified the person's identity (e.g. by their account)."""
    from skydd import workflow

    _get(request, request_id)
    done = workflow.verify(
        request.app.state.store, request_id, actor=staff.name, method=body.method
    )
    return done.as_json()


@router.post("/requests/{request_id}/start")
def start_request(request: Request, request_id: RequestId, staff: Actor) -> dict[str, Any]:
    """Work begins on a verified request."""
    from skydd import workflow

    _get(request, request_id)
    return workflow.start(request.app.state.store, request_id, actor=staff.name).as_json()


@router.post("/requests/{request_id}/extend")
def extend_request(
    request: Request, request_id: RequestId, body: Extend, staff: Actor
) -> dict[str, Any]:
    """Extend the deadline (DSR-2), with the reason and the day the person was told."""
    from skydd import workflow

    _get(request, request_id)
    done = workflow.extend(
        request.app.state.store,
        request_id,
        actor=staff.name,
        reason=body.reason,
        told_at=body.told_at,
        months=body.months,
    )
    return {**done.as_json(), "person_told": _tell(request, done)}


@router.post("/requests/{request_id}/refuse")
def refuse_request(
    request: Request, request_id: RequestId, body: Refuse, staff: Actor
) -> dict[str, Any]:
    """Refuse with reasons (DSR-3); the person is told, with the complaint route."""
    from skydd import workflow

    _get(request, request_id)
    done = workflow.refuse(
        request.app.state.store, request_id, actor=staff.name, reason=body.reason
    )
    return {**done.as_json(), "person_told": _tell(request, done)}


@router.post("/requests/{request_id}/run")
def run_request(request: Request, request_id: RequestId, body: Run, staff: Actor) -> dict[str, Any]:
    """Carry out an access, export or erase request, deliver the files and tell the person.

    Refused (409) while other identities in the request are not on the record of the
    verified address, unless a human confirmed them (``confirm_identities``)."""
    from skydd import workflow

    state = request.app.state
    before = _get(request, request_id, reveal=True)
    if before.state not in (State.verified, State.in_progress, State.extended):
        raise HTTPException(409, f"request {request_id} is {before.state.value}, not verified")
    unmatched = unmatched_kinds(state.loaded, before)
    if unmatched and not body.confirm_identities:
        raise HTTPException(
            409,
            "identities not found with the verified address: "
            + ", ".join(unmatched)
            + "; check them, then run with confirm_identities",
        )
    with tempfile.TemporaryDirectory(prefix="skydd-run-") as tmp:
        result = workflow.run(
            state.store, state.loaded, request_id, actor=staff.name, out_dir=FilePath(tmp)
        )
        files = [f for f in result.files if f.is_file()] if result.completed else []
        link, expires = _deliver(request, request_id, files) if files else (None, None)
    done = result.request
    if done.identities is None:
        done = dataclasses.replace(done, identities=before.identities)
    told = _tell(request, done, link) if result.completed else False
    return {
        **done.as_json(),
        "engine_request_id": result.engine_request_id,
        "completed": result.completed,
        "summary": result.summary,
        "files": len(files),
        "link_expires": expires,
        "person_told": told,
    }


def _deliver(request: Request, request_id: str, files: list[FilePath]) -> tuple[str, str]:
    state = request.app.state
    delivery = state.vault.put(files)
    expires = (dt.datetime.now(dt.UTC) + state.settings.download_ttl).date().isoformat()
    state.store.audit.append(
        WebDelivery(request_id=request_id, files=len(files), expires=expires), actor="web"
    )
    return f"{state.settings.base_url}/download/{state.vault.link_token(delivery)}", expires
