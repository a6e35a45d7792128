"""Proving control of the email address a web request gives (DSR-7), before any lookup.

The one-time code is an HMAC of the request's id and time of receipt under the
secret key: six digits, valid for ``code_ttl``, refused after ``code_attempts``
wrong tries (counted in the audit log, so every worker sees them). The mailed link
is a signed, expiring token of the request id. Nothing about the person is looked
up until one of them has been presented; then other identities the request names
are checked against the record that holds the verified address, off the request's
path, so the answer and its timing are the same for known and unknown people.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from dataclasses import dataclass
from typing import Literal

from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.store import Store
from skydd.web.events import WebCodeRejected, WebIdentityReview
from skydd.web.settings import WebSettings
from skydd.web.signing import Signer
from skydd.web.texts import lookup
from skydd.workflow import Request, State

log = logging.getLogger("skydd.web")

Outcome = Literal["verified", "wrong", "spent"]


@dataclass(frozen=True)
class CodeCheck:
    outcome: Outcome
    attempts_left: int = 0


def code_for(signer: Signer, request: Request) -> str:
    return signer.code(request.id, request.received_at.isoformat())


def rejected_codes(store: Store, request: Request) -> int:
    """Wrong codes entered for ``request`` so far (they can only come after its receipt)."""
    return sum(
        1
        for record in store.audit.records(since=request.received_at, kind=WebCodeRejected)
        if record.payload.get("request_id") == request.id
    )


def check_code(
    store: Store,
    settings: WebSettings,
    signer: Signer,
    request: Request,
    code: str,
    now: dt.datetime | None = None,
) -> CodeCheck:
    """Whether ``code`` verifies ``request``; a wrong code is recorded and counted."""
    now = now or dt.datetime.now(dt.UTC)
    if now - request.received_at > settings.code_ttl:
        return CodeCheck("spent")
    used = rejected_codes(store, request)
    if used >= settings.code_attempts:
        return CodeCheck("spent")
    wanted = code_for(signer, request)
    if hmac.compare_digest(wanted.encode(), code.strip().encode()[:16]):
        return CodeCheck("verified")
    store.audit.append(WebCodeRejected(request_id=request.id), actor="web")
    left = settings.code_attempts - used - 1
    return CodeCheck("wrong" if left > 0 else "spent", max(left, 0))


def link_request_id(signer: Signer, settings: WebSettings, token: str) -> str | None:
    value = signer.check("verify", token, settings.link_ttl)
    return value if isinstance(value, str) else None


def email_of(request: Request) -> str | None:
    for kind, value in request.identities or ():
        if kind == "email":
            return value
    return None


def send_code(
    settings: WebSettings, signer: Signer, controller: str, request: Request, reference: str
) -> None:
    """Mail the code and the signed link to the request's address (never logged)."""
    to = email_of(request)
    if to is None or settings.mail is None:
        log.warning("no verification mail sent for %s: no mail server or address", request.id)
        return
    from skydd.mail import send_mail

    t = lookup(request.lang)
    link = f"{settings.base_url}/verify/{signer.make('verify', request.id)}?lang={request.lang}"
    status = f"{settings.base_url}/requests/{reference}?lang={request.lang}"
    code = code_for(signer, request)
    minutes = int(settings.code_ttl.total_seconds() // 60)
    try:
        send_mail(
            settings.mail,
            to=to,
            subject=t("mail.code.subject", code=code),
            text=t(
                "mail.code.body",
                controller=controller,
                code=code,
                minutes=minutes,
                link=link,
                reference=request.id,
                status=status,
            ),
            headers={"Auto-Submitted": "auto-generated"},
        )
    except SkyddError as exc:  # the person can ask again; the DPO sees the log line
        log.warning("verification mail for %s not sent: %s", request.id, exc.message)


def review_identities(store: Store, loaded: LoadedMap, request_id: str) -> list[str]:
    """After verification: the other identities not on the verified address's record.

    An empty list means nothing needs a human. Otherwise a ``web-identity-review``
    event flags the request (DSR-7: match only a person who also holds the address).
    """
    from skydd import workflow

    request = workflow.get(store, request_id, reveal=True)
    if request.state in (State.done, State.refused):
        return []
    try:
        unmatched = unmatched_kinds(loaded, request)
    except SkyddError as exc:  # a database down: staff see it again when they run it
        log.warning("identities of %s not checked: %s", request.id, exc.message)
        return []
    if unmatched:
        store.audit.append(
            WebIdentityReview(request_id=request.id, unmatched_kinds=unmatched), actor="web"
        )
    return unmatched


def unmatched_kinds(loaded: LoadedMap, request: Request) -> list[str]:
    """Kinds of identity in ``request`` not held by the person found by its email address."""
    others = [(k, v) for k, v in request.identities or () if k != "email"]
    email = email_of(request)
    if not others:
        return []
    if email is None:
        return sorted({k for k, _ in others})
    from skydd.execution.systems import Systems
    from skydd.requests.access import find_person

    with Systems(loaded) as systems:
        found = find_person(loaded, {("email", email)}, systems)
    held = found.identities if found.found else set()
    return sorted({k for k, v in others if (k, v) not in held})
