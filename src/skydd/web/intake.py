"""Taking in a request from the web: the same steps for the form and the JSON API.

A web request is recorded (workflow ``submit``, channel ``web``) and answered with
a signed reference before anything about the person is looked up, so the answer
cannot tell a known address from an unknown one. The verification mail goes out
after the response, off the request's path.
"""

from __future__ import annotations

from typing import Any

from skydd.errors import SkyddError
from skydd.web.signing import Signer
from skydd.workflow import Request, RequestKind

NATIONAL_ID = {"SE": "personnummer", "DK": "cpr"}
"""The national identity number a form offers, by the controller's country."""

FORM_KINDS: tuple[str, ...] = tuple(k.value for k in RequestKind)


def national_id_kind(country: str) -> str | None:
    return NATIONAL_ID.get(country.upper())


def identities(
    country: str, email: str, phone: str | None, national_id: str | None
) -> list[tuple[str, str]]:
    """The (kind, value) pairs a web request gives; empty optional fields are left out."""
    pairs = [("email", email.strip())]
    if phone and phone.strip():
        pairs.append(("phone", phone.strip()))
    kind = national_id_kind(country)
    if kind and national_id and national_id.strip():
        pairs.append((kind, national_id.strip()))
    return pairs


def submit(state: Any, *, kind: str, pairs: list[tuple[str, str]], lang: str) -> Request:
    """Record the request; SkyddError (an IdentityError among them) for unusable input."""
    from skydd import workflow

    return workflow.submit(
        state.store,
        state.loaded,
        kind=kind,
        identities=pairs,
        channel="web",
        lang=lang,
        actor="web",
    )


def reference_for(signer: Signer, request_id: str) -> str:
    return signer.make("reference", request_id)


def request_for(state: Any, reference: str, *, reveal: bool = False) -> Request | None:
    """The request a signed reference names, or None for a forged or unknown one."""
    from skydd import workflow

    signer: Signer = state.signer
    request_id = signer.check("reference", reference)
    if not isinstance(request_id, str):
        return None
    try:
        return workflow.get(state.store, request_id, reveal=reveal)
    except SkyddError:
        return None
