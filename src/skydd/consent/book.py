"""The consent book: one store's ledger and standing, for one data map.

Every way in goes through here: the CLI, the web endpoints (banner, unsubscribe,
preference centre), the request commands (restrict, object, withdraw) and the decision API.
Identities are normalised as for an access request; an anonymous visitor is the identity
kind ``visitor``. Nothing is stored in clear: identities become keyed hashes (keys.py).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from skydd.consent.decision import REGISTERS, Decision, check_channel, decide, purpose_of
from skydd.consent.events import ConsentRecorded, PreferenceRecorded
from skydd.consent.index import Index, State
from skydd.consent.keys import Hasher
from skydd.consent.ledger import (
    Batch,
    Proof,
    event_rows,
    now_text,
    write,
)
from skydd.consent.tokens import Tokens, Unsubscribe
from skydd.datamap.loader import LoadedMap
from skydd.datamap.models import CookieCategory
from skydd.errors import SkyddError
from skydd.requests.access import IdentityInput, normalise_identities
from skydd.store import Store
from skydd.store.schema import consent_events, consent_links, consent_standing, suppression

VISITOR = "visitor"
"""The identity kind of an anonymous website visitor (the banner's random id)."""


@dataclass(frozen=True)
class Choice:
    """One consent event: purposes granted, refused or withdrawn, with its proof."""

    proof: Proof
    granted: Sequence[str] = ()
    refused: Sequence[str] = ()
    withdrawn: Sequence[str] = ()

    def decisions(self) -> list[tuple[str, str]]:
        out = [(p, "granted") for p in self.granted]
        out += [(p, "refused") for p in self.refused]
        out += [(p, "withdrawn") for p in self.withdrawn]
        return out


@dataclass(frozen=True)
class Person:
    """The identities given, as normalised pairs and as hashes, and the subject they name."""

    pairs: tuple[tuple[str, str], ...]
    hashes: tuple[str, ...]
    kinds: tuple[str, ...] = field(default=())

    @property
    def visitors(self) -> tuple[str, ...]:
        """The hashes of anonymous visitor ids among the identities."""
        return tuple(h for (k, _), h in zip(self.pairs, self.hashes, strict=False) if k == VISITOR)


def _actor(recorded_by: str | None) -> str:
    return recorded_by or "system"


def _pairs(identities: IdentityInput) -> list[tuple[str, str]]:
    if isinstance(identities, Mapping):
        out: list[tuple[str, str]] = []
        for kind, value in identities.items():
            values = [value] if isinstance(value, str) else list(value)
            out += [(kind, v) for v in values]
        return out
    return list(identities)


class ConsentBook:
    """Record choices and standing, and decide, for one store and one data map."""

    def __init__(
        self,
        store: Store,
        loaded: LoadedMap,
        *,
        hasher: Hasher | None = None,
        max_age: float = 1.0,
    ) -> None:
        self.store = store
        self.loaded = loaded
        self.datamap = loaded.datamap
        self.hasher = hasher or Hasher.for_directory(loaded.directory)
        self.hasher.check_store(store.engine)
        self.index = Index(store.engine, max_age=max_age)
        self.tokens = Tokens(self.hasher)

    # -- identities --------------------------------------------------------------------------
    def person(self, identities: IdentityInput) -> Person:
        """Normalise the identities (SkyddError for a bad one) and hash them."""
        pairs = _pairs(identities)
        visitors = [(k, v.strip()) for k, v in pairs if k == VISITOR]
        others = [(k, v) for k, v in pairs if k != VISITOR]
        for _, value in visitors:
            if not value or len(value) > 200:
                raise SkyddError("a visitor id is 1 to 200 characters")
        normal = sorted(normalise_identities(self.loaded, others)) if others or not visitors else []
        every = tuple(sorted(set(visitors) | set(normal)))
        hashes = tuple(self.hasher.identity(k, v) for k, v in every)
        return Person(every, hashes, tuple(sorted({k for k, _ in every})))

    @staticmethod
    def person_from_hash(identity_hash: str) -> Person:
        """A person known only by one identity hash (from a signed link)."""
        return Person((), (identity_hash,), ())

    def hashes(self, identities: IdentityInput) -> tuple[str, ...]:
        return self.person(identities).hashes

    def _subject(self, person: Person, state: State) -> str:
        """The subject these identities already belong to (a person, never a linked
        visitor), else the smallest of their hashes."""
        linked = set()
        for h in person.hashes:
            linked |= state.subjects.get(h, set()) & state.person_subjects
        return min(linked) if linked else min(person.hashes)

    def _link(self, batch: Batch, person: Person, subject: str, at: str) -> None:
        for h in person.hashes:
            if h != subject:
                batch.add(consent_links, {"identity_hash": h, "subject": subject, "at": at})

    def _commit(self, batch: Batch) -> None:
        write(self.store.engine, batch)
        self.index.reload()

    # -- consent -----------------------------------------------------------------------------
    def check_purposes(self, names: Iterable[str]) -> None:
        allowed = set(self.datamap.purposes) | {c.value for c in CookieCategory}
        unknown = sorted(set(names) - allowed)
        if unknown:
            raise SkyddError(
                f"the data map declares no purpose '{unknown[0]}'",
                hint="use a purpose of the map or a cookie category: " + ", ".join(sorted(allowed)),
            )

    def record(self, identities: IdentityInput | Person, choice: Choice) -> str:
        """Record one choice of a known person (or visitor); return its event id.

        ``identities`` may be a Person, e.g. ``person_from_hash`` of a preference-centre
        link, whose identities Skydd holds only as hashes."""
        return self.record_many([(identities, choice)])[0]

    def record_many(self, items: Sequence[tuple[IdentityInput | Person, Choice]]) -> list[str]:
        """Record many choices in one transaction (one fsync); return their event ids."""
        state = self.index.fresh()
        batch = Batch()
        ids = []
        kinds: set[str] = set()
        for identities, choice in items:
            person = identities if isinstance(identities, Person) else self.person(identities)
            kinds |= set(person.kinds)
            ids.append(self._add_choice(batch, person, choice, state))
        self._commit(batch)
        rows = [(p, d) for _, c in items for p, d in c.decisions()]
        self.store.audit.append(
            ConsentRecorded(
                events=len(ids),
                decisions=dict(Counter(d for _, d in rows)),
                purposes=sorted({p for p, _ in rows}),
                methods=sorted({c.proof.method for _, c in items}),
                identity_kinds=sorted(kinds),
            ),
            actor=_actor(items[0][1].proof.recorded_by) if items else "system",
        )
        return ids

    def _add_choice(self, batch: Batch, person: Person, choice: Choice, state: State) -> str:
        decisions = choice.decisions()
        if not decisions:
            raise SkyddError("a consent event needs at least one purpose granted or refused")
        self.check_purposes(p for p, _ in decisions)
        choice.proof.check()
        subject = self._subject(person, state)
        kind = VISITOR if person.kinds == (VISITOR,) else "person"
        ip_hash = self.hasher.ip(choice.proof.ip) if choice.proof.ip else None
        eid, rows = event_rows(subject, kind, decisions, choice.proof, ip_hash)
        for row in rows:
            batch.add(consent_events, row)
        self._link(batch, person, subject, rows[0]["at"])
        return eid

    def record_visitors(self, items: Sequence[tuple[str, Choice]]) -> list[str]:
        """The banner's path: many anonymous visitors' choices in one transaction.

        No lookup and no reload: a visitor's subject is the hash of the visitor id. The
        index is marked stale, so the next decision reads the new rows.
        """
        batch = Batch()
        ids = []
        purposes = set(self.datamap.purposes) | {c.value for c in CookieCategory}
        for visitor, choice in items:
            value = visitor.strip()
            if not value or len(value) > 200:
                raise SkyddError("a visitor id is 1 to 200 characters")
            decisions = choice.decisions()
            if not decisions or not {p for p, _ in decisions} <= purposes:
                self.check_purposes(p for p, _ in decisions)
                raise SkyddError("a consent event needs at least one purpose")
            choice.proof.check()
            ip_hash = self.hasher.ip(choice.proof.ip) if choice.proof.ip else None
            subject = self.hasher.identity(VISITOR, value)
            eid, rows = event_rows(subject, VISITOR, decisions, choice.proof, ip_hash)
            for row in rows:
                batch.add(consent_events, row)
            ids.append(eid)
        write(self.store.engine, batch)
        return ids

    def link_visitor(self, visitor: str, identities: IdentityInput) -> None:
        """Tie a visitor's cookie choices to a known person (who logged in)."""
        person = self.person(identities)
        state = self.index.fresh()
        subject = self._subject(person, state)
        batch = Batch()
        at = now_text()
        self._link(batch, person, subject, at)
        vh = self.hasher.identity(VISITOR, visitor.strip())
        batch.add(consent_links, {"identity_hash": vh, "subject": subject, "at": at})
        # and the other way, so the visitor's own choices count for the person
        for h in {*person.hashes, subject}:
            batch.add(consent_links, {"identity_hash": h, "subject": vh, "at": at})
        self._commit(batch)

    # -- standing ----------------------------------------------------------------------------
    def add_standing(
        self,
        identities: IdentityInput | Person,
        kind: str,
        scope: str,
        state: str,
        *,
        at: datetime | None = None,
        checked_on: date | None = None,
        told_at: datetime | None = None,
        method: str | None = None,
        recorded_by: str | None = None,
        request_id: str | None = None,
        note: str | None = None,
        suppress: Sequence[str] = (),
        extra_hashes: Iterable[str] = (),
    ) -> str:
        """Append one standing row (and suppression entries); return its event id."""
        person = identities if isinstance(identities, Person) else self.person(identities)
        hashes = tuple(sorted(set(person.hashes) | set(extra_hashes)))
        person = Person(person.pairs, hashes, person.kinds)
        current = self.index.fresh()
        subject = self._subject(person, current)
        when = now_text(at)
        eid = str(uuid.uuid4())
        batch = Batch()
        self._link(batch, person, subject, when)
        batch.add(
            consent_standing,
            {
                "event_id": eid,
                "at": when,
                "subject": subject,
                "kind": kind,
                "scope": scope,
                "state": state,
                "checked_on": checked_on.isoformat() if checked_on else None,
                "told_at": now_text(told_at) if told_at else None,
                "method": method,
                "recorded_by": recorded_by,
                "request_id": request_id,
                "note": note,
            },
        )
        for scope_name in suppress:
            for h in hashes:
                batch.add(
                    suppression,
                    {"identity_hash": h, "scope": scope_name, "at": when, "request_id": request_id},
                )
        self._commit(batch)
        return eid

    def block(
        self, people: Sequence[tuple[IdentityInput, str]], *, note: str, recorded_by: str
    ) -> int:
        """Restrict many people in one transaction: after an erasure had to keep some of a
        person's rows under a legal hold, those rows are blocked from every use but the
        legal duty (EN-6), and so is the person, whatever identity a later use asks by.
        ``people`` are (identities, erasure request id); returns how many were recorded."""
        batch = Batch()
        current = self.index.fresh()
        when = now_text(None)
        for identities, request_id in people:
            person = self.person(identities)
            subject = self._subject(person, current)
            self._link(batch, person, subject, when)
            batch.add(
                consent_standing,
                {
                    "event_id": str(uuid.uuid4()), "at": when, "subject": subject,
                    "kind": "restriction", "scope": "all", "state": "on", "checked_on": None,
                    "told_at": None, "method": "erasure", "recorded_by": recorded_by,
                    "request_id": request_id, "note": note,
                },
            )  # fmt: skip
        if people:
            self._commit(batch)
        return len(people)

    def unsubscribe(
        self,
        request: Unsubscribe,
        *,
        method: str = "one_click",
        language: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """Act on a one-click unsubscribe (or a preference-centre opt-out) of one identity.

        From a purpose resting on consent: a withdrawal in the ledger. From a marketing
        purpose on legitimate interest, or from a channel: an objection to direct marketing,
        which puts the identity on the suppression list.
        """
        person = self.person_from_hash(request.identity_hash)
        channel = "web" if method in ("web_page", "preference_centre") else "email"
        if request.purpose is not None:
            purpose = purpose_of(self.datamap, request.purpose)
            if purpose.legal_basis != "consent" and not purpose.marketing:
                raise SkyddError(
                    f"'{request.purpose}' is neither consent-based nor direct marketing, so "
                    "there is nothing to unsubscribe from",
                    hint="an objection to it is a request for the DPO: skydd request object",
                )
            if purpose.legal_basis == "consent":
                batch = Batch()
                proof = Proof(method=method, channel=channel, language=language, at=at)
                eid = self._add_choice(
                    batch, person, Choice(proof, withdrawn=[request.purpose]), self.index.fresh()
                )
                self._commit(batch)
                scope = f"purpose:{request.purpose}"
                return self._audit_preference(eid, "unsubscribe", scope, "withdrawn", person, None)
            scope = f"purpose:{request.purpose}"
        else:
            scope = f"channel:{request.channel}"
        eid = self.add_standing(
            person, "objection", scope, "absolute", at=at, method=method,
            note="Art. 21(2)-(3): direct marketing", suppress=[scope],
        )  # fmt: skip
        return self._audit_preference(eid, "unsubscribe", scope, "objected", person, None)

    def set_channel(
        self,
        identities: IdentityInput | Person,
        channel: str,
        allowed: bool,
        *,
        method: str = "staff",
        recorded_by: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """A channel preference (post, phone, email, sms): allowed or opted out (AS-5)."""
        check_channel(channel)
        if channel == "web":
            raise SkyddError("'web' is not a contact channel", hint="use post, phone, email, sms")
        state = "allowed" if allowed else "opted_out"
        person = identities if isinstance(identities, Person) else self.person(identities)
        eid = self.add_standing(
            person, "channel", channel, state,
            method=method, recorded_by=recorded_by, at=at,
        )  # fmt: skip
        return self._audit_preference(eid, "channel", channel, state, person, recorded_by)

    def register_check(
        self,
        identities: IdentityInput,
        register: str,
        listed: bool,
        checked_on: date,
        *,
        recorded_by: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """The outcome of a preference-register check and its date (NIX: SE-4; TPS, MPS …)."""
        name = register.upper()
        if name not in REGISTERS:
            raise SkyddError(
                f"unknown preference register '{register}'", hint="use " + ", ".join(REGISTERS)
            )
        person = self.person(identities)
        state = "listed" if listed else "clear"
        eid = self.add_standing(
            person, "register", name, state,
            checked_on=checked_on, recorded_by=recorded_by, at=at, method="register-check",
        )  # fmt: skip
        return self._audit_preference(eid, "register", name, state, person, recorded_by)

    def _audit_preference(
        self, eid: str, what: str, scope: str, state: str, person: Person, by: str | None
    ) -> str:
        self.store.audit.append(
            PreferenceRecorded(
                event_id=eid, what=what, scope=scope, state=state,
                identity_kinds=list(person.kinds),
            ),
            actor=_actor(by),
        )  # fmt: skip
        return eid

    # -- reading -----------------------------------------------------------------------------
    def may(
        self, identities: IdentityInput, purpose: str, channel: str, *, today: date | None = None
    ) -> Decision:
        """May we use this person's data for ``purpose`` on ``channel`` now? With the reason."""
        person = self.person(identities)
        return decide(
            self.index.fresh(), person.hashes, self.datamap, purpose, channel,
            today or date.today(), person.visitors,
        )  # fmt: skip

    def may_hashes(
        self, hashes: Sequence[str], purpose: str, channel: str, *, today: date | None = None
    ) -> Decision:
        """As ``may`` for identities already hashed (the marketing export, a signed link)."""
        return decide(
            self.index.fresh(), hashes, self.datamap, purpose, channel, today or date.today()
        )

    def standing(self, identities: IdentityInput | Person) -> dict[str, Any]:
        """Everything the ledger holds on a person, for staff and the preference centre."""
        person = identities if isinstance(identities, Person) else self.person(identities)
        state = self.index.fresh()
        subjects = state.subjects_of(person.hashes)
        lazy = state.lazy_subjects(subjects, person.visitors)
        consents = {}
        for purpose in sorted(state.purposes(subjects, lazy)):
            c = state.newest_consent(subjects, purpose, lazy)
            if c is not None:
                consents[purpose] = {
                    "decision": c.decision, "at": c.at, "method": c.method,
                    "channel": c.channel, "notice_version": c.notice_version,
                    "recorded_by": c.recorded_by,
                }  # fmt: skip
        standing: dict[str, dict[str, Any]] = {}
        for kind in ("channel", "register", "restriction", "objection"):
            for scope in sorted(state.scopes(subjects, kind)):
                s = state.newest_standing(subjects, kind, scope)
                if s is not None:
                    entry = {"state": s.state, "at": s.at, "method": s.method,
                             "recorded_by": s.recorded_by, "event_id": s.event_id}  # fmt: skip
                    if s.checked_on:
                        entry["checked_on"] = s.checked_on
                    if s.told_at:
                        entry["told_at"] = s.told_at
                    standing.setdefault(kind, {})[scope] = entry
        return {
            "identity_kinds": list(person.kinds),
            "known": bool(consents or standing),
            "consents": consents,
            "channels": standing.get("channel", {}),
            "registers": standing.get("register", {}),
            "restriction": standing.get("restriction", {}).get("all"),
            "objections": standing.get("objection", {}),
            "suppressed": sorted(state.suppression_scopes(person.hashes)),
        }

    def visitor_choice(self, visitor: str) -> dict[str, Any] | None:
        """The newest choice of a visitor: decisions by purpose, time and notice version."""
        subject = self.hasher.identity(VISITOR, visitor.strip())
        state = self.index.fresh()
        subjects = state.subjects_of([subject])
        lazy = state.lazy_subjects(subjects, [subject])
        found = {}
        newest = None
        for purpose in state.purposes(subjects, lazy):
            c = state.newest_consent(subjects, purpose, lazy)
            if c is None:
                continue
            found[purpose] = c.decision
            if newest is None or (c.at, c.seq) > (newest.at, newest.seq):
                newest = c
        if newest is None:
            return None
        return {"decisions": found, "at": newest.at, "notice_version": newest.notice_version}

    def close(self) -> None:
        """Nothing to release but the store, which the caller owns."""


__all__ = ["VISITOR", "Choice", "ConsentBook", "Person", "Proof", "purpose_of"]
