"""Carry out a request inside its lifecycle with the existing engines (access, export, erase).

``run`` starts a verified request, calls the engine with the identities the request
holds, and completes it with the engine's request id as its result.  It stops short of
``done`` where a person must look first: an access answer with records that may belong
to someone else, or an erasure that was not verified; the request then stays in
progress and the summary says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.store import Store
from skydd.workflow.lifecycle import IllegalTransition, complete, get, start
from skydd.workflow.model import Request, RequestKind, State

RUNNABLE = (RequestKind.access, RequestKind.export, RequestKind.erase)


@dataclass(frozen=True)
class RunResult:
    """A request carried out: the request as it now stands and what the engine returned."""

    request: Request
    engine_request_id: str
    completed: bool
    files: list[Path] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return self.request.as_json() | {
            "engine_request_id": self.engine_request_id,
            "completed": self.completed,
            "files": [str(f) for f in self.files],
            "summary": self.summary,
        }


def _ready(store: Store, req: Request, actor: str) -> Request:
    if req.kind not in RUNNABLE:
        raise SkyddError(
            f"request {req.id} is a {req.kind.value} request, which Skydd does not carry out "
            "by itself yet",
            hint=f"do it by hand, then: skydd requests complete {req.id} --result REF",
        )
    if req.state == State.verified:
        return start(store, req.id, actor=actor)
    if req.state not in (State.in_progress, State.extended):
        raise IllegalTransition(
            f"request {req.id} is {req.state.value}: only a verified request can be run",
            hint="verify the person's identity first (DSR-7)"
            if req.state == State.received
            else "it has ended",
        )
    return req


def run(
    store: Store,
    loaded: LoadedMap,
    request_id: str,
    *,
    actor: str,
    out_dir: Path | None = None,
    as_of: dt.date | None = None,
    pdf: bool | None = False,
) -> RunResult:
    """Run a verified (or in-progress) access, export or erase request and complete it.

    The returned Request carries the identities in memory (the store has cleared them
    when it completed), so the caller can tell the person (``notify_person``).
    """
    req = get(store, request_id, reveal=True)
    if req.identities is None:
        raise SkyddError(f"request {request_id} holds no identities any more")
    identities = list(req.identities)
    if req.kind == RequestKind.export and out_dir is None:
        raise SkyddError(
            "a portability export needs a folder to write to", hint="give --out FOLDER"
        )
    req = _ready(store, req, actor)
    if req.kind == RequestKind.erase:
        from skydd.requests.erasure import erase

        erased = erase(
            loaded,
            identities,
            out=out_dir,
            lang=req.lang,
            pdf=pdf,
            as_of=as_of,
            store=store,
            actor=actor,
        )
        engine_id, files = erased.request_id, list(erased.files)
        summary: dict[str, Any] = {
            "erased": erased.erased,
            "anonymised": erased.anonymised,
            "kept": erased.kept,
            "verified": erased.verified,
        }
        hold = None if erased.verified else "the erasure could not be verified"
    else:
        engine_id, files, summary, hold = _access(
            store, loaded, req, identities, out_dir, as_of, pdf, actor
        )
    if hold is not None:
        summary["not_completed"] = hold
        return RunResult(_with(req, identities), engine_id, False, files, summary)
    done = complete(store, req.id, actor=actor, result_ref=engine_id)
    return RunResult(done, engine_id, True, files, summary)


def _with(req: Request, identities: list[tuple[str, str]]) -> Request:
    from dataclasses import replace

    return replace(req, identities=tuple(identities))


def _access(
    store: Store,
    loaded: LoadedMap,
    req: Request,
    identities: list[tuple[str, str]],
    out_dir: Path | None,
    as_of: dt.date | None,
    pdf: bool | None,
    actor: str,
) -> tuple[str, list[Path], dict[str, Any], str | None]:
    from skydd.requests.access import access, export

    if req.kind == RequestKind.export:
        assert out_dir is not None  # checked before the request was started
        result = export(loaded, identities, out=out_dir, store=store, actor=actor)
    else:
        result = access(
            loaded,
            identities,
            out=out_dir,
            lang=req.lang,
            as_of=as_of,
            store=store,
            actor=actor,
            pdf=pdf,
        )
    summary = {"found": result.found, "counts": result.counts, "ambiguous": len(result.ambiguous)}
    hold = None
    if result.ambiguous:
        hold = (
            f"{len(result.ambiguous)} record(s) may belong to someone else; review them, "
            f"then: skydd requests complete {req.id} --result {result.request_id}"
        )
    return result.request_id, list(result.files), summary, hold
