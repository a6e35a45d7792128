"""Restriction (Art. 18), objection (Art. 21) and consent withdrawal (Art. 7(3)) as requests.

Each finds the person in the company's databases first (as an access request does) and ties
every identity found to the person in the ledger, so a restriction given by customer number
also stops a mailing that knows only the email address. Each is audited as a
``request-recorded`` event with kinds of identity and counts, never a value. Other modules
(erasure, rectification) call these functions directly; docs/consent.md lists them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from skydd.consent.book import VISITOR, Choice, ConsentBook, Person
from skydd.consent.decision import purpose_of
from skydd.consent.ledger import CHANNELS, Proof
from skydd.datamap.loader import LoadedMap, load_map
from skydd.datamap.models import LegalBasis
from skydd.errors import SkyddError
from skydd.requests.access import IdentityInput
from skydd.store import Store
from skydd.store.events import RequestRecorded

MapInput = LoadedMap | str | Path | None
StoreInput = str | Store | ConsentBook | None
"""A store URL, an open Store, or an open ConsentBook (fastest: its index is kept)."""

RESTRICTION_GROUNDS = {
    "accuracy": "Art. 18(1)(a): the accuracy of the data is contested",
    "unlawful": "Art. 18(1)(b): unlawful processing; the person asked for restriction instead",
    "legal_claims": "Art. 18(1)(c): the person needs the data for legal claims",
    "objection": "Art. 18(1)(d): an objection is being weighed",
}

HOW_CHANNEL = {
    "link": "email",
    "one_click": "email",
    "email": "email",
    "web_page": "web",
    "preference_centre": "web",
    "form": "web",
    "banner": "web",
    "phone": "phone",
    "post": "post",
    "sms": "sms",
    "in_person": "in_person",
}
"""How a withdrawal came in, and the channel that means."""


@dataclass(frozen=True)
class RightResult:
    """What a restriction, objection or withdrawal recorded."""

    request_id: str
    request_type: str
    status: str
    scope: str | None
    identity_kinds: list[str]
    identities: int
    event_id: str
    detail: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@contextmanager
def open_book(map_: MapInput, store: StoreInput = None) -> Iterator[ConsentBook]:
    """A ConsentBook on ``store`` (a URL, an open Store or book, or the default beside the map)."""
    if isinstance(store, ConsentBook):
        yield store
        return
    loaded = map_ if isinstance(map_, LoadedMap) else load_map(map_)
    if isinstance(store, Store):
        yield ConsentBook(store, loaded)
        return
    from skydd.store import open_store

    with open_store(store, default_dir=loaded.directory) as opened:
        yield ConsentBook(opened, loaded)


def harvest(book: ConsentBook, identities: IdentityInput, *, search: bool = True) -> Person:
    """The person's identities as given plus every identity the company's databases hold
    for them (found as for an access request), hashed."""
    return _harvest(book, identities, search=search)[0]


def _harvest(
    book: ConsentBook, identities: IdentityInput, *, search: bool = True
) -> tuple[Person, list[str]]:
    """``harvest``, and the tables ("system.table") where the person's rows were found."""
    person = book.person(identities)
    if not search:
        return person, []
    given = {(k, v) for k, v in person.pairs if k != VISITOR}
    if not given:
        return person, []
    from skydd.execution.systems import Systems
    from skydd.requests.access import find_person

    with Systems(book.loaded) as systems:
        found = find_person(book.loaded, given, systems)
    every = tuple(sorted(set(person.pairs) | set(found.identities)))
    hashes = tuple(book.hasher.identity(k, v) for k, v in every)
    person = Person(every, hashes, tuple(sorted({k for k, _ in every})))
    return person, sorted(found.counts())


def _notify_restriction(book: ConsentBook, request_id: str, person: Person, tables: list[str],
                        actor: str) -> None:  # fmt: skip
    """Art. 19: every recipient that received the person's data is told of the restriction."""
    if not tables:
        return
    from skydd.outbox import notify_recipients

    subject: dict[str, list[str]] = {}
    for kind, value in person.pairs:
        if kind != VISITOR:
            subject.setdefault(kind, []).append(value)
    notify_recipients(
        book.store, book.loaded, event="restriction", request_id=request_id, tables=tables,
        subject=subject, actor=actor,
    )  # fmt: skip


def _audit(
    book: ConsentBook, result: RightResult, actor: str, reason: str | None = None
) -> RightResult:
    book.store.audit.append(
        RequestRecorded(
            request_id=result.request_id,
            request_type=result.request_type,
            identity_kinds=result.identity_kinds,
            systems_searched=list(book.datamap.systems),
            counts={"identities": result.identities},
            status=result.status,
            reason=reason,
        ),
        actor=actor,
    )
    return result


def _request_id() -> str:
    return "R-" + uuid.uuid4().hex[:12]


def restrict(
    map_: MapInput,
    identities: IdentityInput,
    *,
    ground: str = "accuracy",
    store: StoreInput = None,
    actor: str = "cli",
    search: bool = True,
    at: datetime | None = None,
) -> RightResult:
    """Restrict processing (Art. 18): from now on only storage, and no export includes them."""
    if ground not in RESTRICTION_GROUNDS:
        raise SkyddError(
            f"unknown ground '{ground}'", hint="use " + ", ".join(sorted(RESTRICTION_GROUNDS))
        )
    with open_book(map_, store) as book:
        person, tables = _harvest(book, identities, search=search)
        rid = _request_id()
        eid = book.add_standing(
            person, "restriction", "all", "on", at=at, method="request",
            recorded_by=actor, request_id=rid, note=RESTRICTION_GROUNDS[ground],
        )  # fmt: skip
        _notify_restriction(book, rid, person, tables, actor)
        result = RightResult(rid, "restriction", "done", "all", list(person.kinds),
                             len(person.hashes), eid, RESTRICTION_GROUNDS[ground])  # fmt: skip
        return _audit(book, result, actor, RESTRICTION_GROUNDS[ground])


def unrestrict(
    map_: MapInput,
    identities: IdentityInput,
    *,
    told_on: date | datetime,
    told_how: str,
    store: StoreInput = None,
    actor: str = "cli",
    search: bool = True,
    at: datetime | None = None,
) -> RightResult:
    """Lift a restriction. The person must have been told first (Art. 18(3), LEGAL DSR-9):
    ``told_on`` is when, ``told_how`` how (email, letter, phone)."""
    when = at or datetime.now(UTC)
    told = (
        told_on
        if isinstance(told_on, datetime)
        else datetime.combine(told_on, time(0, 0), tzinfo=UTC)
    )
    if told.tzinfo is None:
        told = told.replace(tzinfo=UTC)
    if told > when:
        raise SkyddError(
            "the person must be told before the restriction is lifted (Art. 18(3))",
            hint="tell them first, then record the day you did with --told-on",
        )
    if not told_how.strip():
        raise SkyddError("say how the person was told", hint="e.g. --told-how email")
    with open_book(map_, store) as book:
        person = harvest(book, identities, search=search)
        state = book.index.fresh()
        current = state.newest_standing(state.subjects_of(person.hashes), "restriction", "all")
        if current is None or current.state != "on":
            raise SkyddError(
                "this person's processing is not restricted",
                hint="check the identities with: skydd consent show --identity KIND=VALUE",
            )
        rid = _request_id()
        eid = book.add_standing(
            person, "restriction", "all", "off", at=when, told_at=told,
            method=told_how.strip()[:64], recorded_by=actor, request_id=rid,
            note="Art. 18(3): the person was told before the restriction was lifted",
        )  # fmt: skip
        detail = f"lifted; the person was told on {told.date().isoformat()} by {told_how}"
        result = RightResult(rid, "unrestriction", "done", "all", list(person.kinds),
                             len(person.hashes), eid, detail)  # fmt: skip
        return _audit(book, result, actor, "Art. 18(3)")


def object_to(
    map_: MapInput,
    identities: IdentityInput,
    *,
    purpose: str | None = None,
    channel: str | None = None,
    store: StoreInput = None,
    actor: str = "cli",
    search: bool = True,
    at: datetime | None = None,
) -> RightResult:
    """Record an objection (Art. 21).

    To direct marketing (a marketing purpose, or a channel): absolute, at once, and the
    person's identities go on the suppression list. To a purpose resting on legitimate
    interest or a public task: processing stops while the DPO decides (``decide_objection``).
    """
    if (purpose is None) == (channel is None):
        raise SkyddError("give either a purpose or a channel to object to")
    with open_book(map_, store) as book:
        scope, state, detail = _objection(book, purpose, channel)
        person = harvest(book, identities, search=search)
        rid = _request_id()
        eid = book.add_standing(
            person, "objection", scope, state, at=at, method="request", recorded_by=actor,
            request_id=rid, note=detail, suppress=[scope] if state == "absolute" else [],
        )  # fmt: skip
        status = "done" if state == "absolute" else "received"
        result = RightResult(rid, "objection", status, scope, list(person.kinds),
                             len(person.hashes), eid, detail)  # fmt: skip
        return _audit(book, result, actor, detail)


def _objection(book: ConsentBook, purpose: str | None, channel: str | None) -> tuple[str, str, str]:
    if channel is not None:
        if channel not in CHANNELS or channel == "web":
            raise SkyddError(f"unknown channel '{channel}'", hint="use email, phone, sms or post")
        return f"channel:{channel}", "absolute", "Art. 21(2)-(3): direct marketing by " + channel
    assert purpose is not None
    p = purpose_of(book.datamap, purpose)
    basis = p.legal_basis
    if p.marketing:
        return f"purpose:{purpose}", "absolute", "Art. 21(2)-(3): direct marketing"
    if basis in (LegalBasis.legitimate_interest, LegalBasis.public_task):
        return (
            f"purpose:{purpose}",
            "pending",
            "Art. 21(1): stopped until the DPO decides whether compelling grounds override",
        )
    if basis == LegalBasis.consent:
        raise SkyddError(
            f"'{purpose}' rests on consent: the person withdraws it rather than objects",
            hint=f"skydd request withdraw --purpose {purpose} --identity …",
        )
    raise SkyddError(
        f"'{purpose}' rests on {basis}; Art. 21 gives a right to object only to processing "
        "on legitimate interest or a public task, and to direct marketing",
        hint="record the request and answer it with the reason (Art. 12(4))",
    )


def decide_objection(
    map_: MapInput,
    identities: IdentityInput,
    *,
    purpose: str,
    uphold: bool,
    grounds: str,
    store: StoreInput = None,
    actor: str = "cli",
    search: bool = False,
) -> RightResult:
    """The DPO's decision on a legitimate-interest objection: ``uphold`` stops the purpose
    for the person for good; otherwise ``grounds`` are the compelling legitimate grounds."""
    if not grounds.strip() or len(grounds) > 300:
        raise SkyddError("give the grounds of the decision (at most 300 characters)")
    with open_book(map_, store) as book:
        person = harvest(book, identities, search=search)
        state = book.index.fresh()
        scope = f"purpose:{purpose}"
        current = state.newest_standing(state.subjects_of(person.hashes), "objection", scope)
        if current is None or current.state != "pending":
            raise SkyddError(
                f"no objection to '{purpose}' is waiting for a decision for this person",
                hint="see: skydd consent show --identity KIND=VALUE",
            )
        new_state = "upheld" if uphold else "rejected"
        eid = book.add_standing(
            person, "objection", scope, new_state, method="dpo-decision", recorded_by=actor,
            request_id=current.request_id, note=grounds.strip(),
        )  # fmt: skip
        rid = current.request_id or _request_id()
        detail = f"{new_state}: {grounds.strip()}"
        result = RightResult(
            rid, "objection", "done", scope, list(person.kinds), len(person.hashes), eid, detail
        )
        return _audit(book, result, actor, f"Art. 21(1): objection {new_state}")


def withdraw(
    map_: MapInput,
    identities: IdentityInput,
    *,
    purpose: str,
    how: str = "web_page",
    store: StoreInput = None,
    actor: str = "cli",
    recorded_by: str | None = None,
    language: str | None = None,
    notice_version: str | None = None,
    notice_hash: str | None = None,
    search: bool = True,
    at: datetime | None = None,
) -> RightResult:
    """Withdraw consent to a purpose (Art. 7(3), LEGAL CON-3): a ledger event with the same
    proof as a consent. Earlier processing stays lawful; from now on the purpose stops."""
    if how not in HOW_CHANNEL:
        raise SkyddError(f"unknown way '{how}'", hint="use " + ", ".join(HOW_CHANNEL))
    with open_book(map_, store) as book:
        p = purpose_of(book.datamap, purpose)
        if p.legal_basis != LegalBasis.consent:
            raise SkyddError(
                f"'{purpose}' does not rest on consent, so there is none to withdraw",
                hint=f"to stop it, object: skydd request object --purpose {purpose} --identity …",
            )
        person = harvest(book, identities, search=search)
        proof = Proof(
            method=how, channel=HOW_CHANNEL[how], language=language,
            notice_version=notice_version, notice_hash=notice_hash,
            recorded_by=recorded_by, at=at,
        )  # fmt: skip
        eid = book.record(person.pairs, Choice(proof, withdrawn=[purpose]))
        rid = _request_id()
        detail = f"consent to {purpose} withdrawn by {how}"
        scope = f"purpose:{purpose}"
        result = RightResult(
            rid, "withdrawal", "done", scope, list(person.kinds), len(person.hashes), eid, detail
        )
        return _audit(book, result, actor, "Art. 7(3)")
