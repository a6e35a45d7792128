"""The decision API for every combination of consent, objection, restriction and channel opt-out.

Each purpose of the test map stands for one legal situation (consent or legitimate interest,
direct marketing or not, contract, legal obligation). For each, every combination is
recorded for its own person through the same functions the CLI uses, and the answer is
compared with an oracle written from LEGAL.md (DSR-9, DSR-12, CON-3, EN-7) rather than from
the code.
"""

from __future__ import annotations

import itertools

import pytest

from skydd.consent import Choice, ConsentBook, Proof, decide_objection, object_to, restrict
from skydd.datamap.loader import LoadedMap
from skydd.store import Store

BASES = {
    "newsletter": ("consent", True),
    "offers": ("legitimate_interest", True),
    "profiling": ("legitimate_interest", False),
    "analytics": ("consent", False),
    "service": ("contract", False),
    "bookkeeping": ("legal_obligation", False),
}
CONSENTS = (None, "granted", "refused", "withdrawn")


def objections(purpose: str) -> tuple[str | None, ...]:
    basis, marketing = BASES[purpose]
    if marketing:
        return (None, "objected")
    if basis == "legitimate_interest":
        return (None, "objected", "upheld", "rejected")
    return (None,)


def oracle(
    purpose: str, consent: str | None, objection: str | None, restricted: bool, opted_out: bool
) -> str:
    """What the law says, in the order of LEGAL.md: suppression and objection to direct
    marketing are absolute; restriction leaves storage and legal duties only; a pending
    objection stops processing; consent is needed where the purpose rests on it; a channel
    opt-out stops what is not needed for the contract or the law."""
    basis, marketing = BASES[purpose]
    if marketing and objection == "objected":
        return "suppressed"
    if restricted and basis != "legal_obligation":
        return "restricted"
    if objection == "objected":
        return "objection_pending"
    if objection == "upheld":
        return "objected"
    if basis == "consent" and consent != "granted":
        return {None: "no_consent", "refused": "consent_refused"}.get(consent, "consent_withdrawn")
    if opted_out and basis in ("consent", "legitimate_interest"):
        return "channel_opted_out"
    return "allowed"


@pytest.mark.parametrize("purpose", sorted(BASES))
def test_every_combination(
    purpose: str, book: ConsentBook, loaded: LoadedMap, store: Store
) -> None:
    combos = list(itertools.product(CONSENTS, objections(purpose), (False, True), (False, True)))
    people = {}
    proof = Proof("form", "web", language="sv", notice_version="v1")
    for n, (consent, objection, restricted, opted_out) in enumerate(combos):
        who = {"email": f"person{n}@example.se"}
        people[n] = who
        if consent is not None:
            decision = "granted" if consent == "withdrawn" else consent
            book.record(who, Choice(proof, **{decision: [purpose]}))
            if consent == "withdrawn":
                book.record(who, Choice(Proof("link", "email"), withdrawn=[purpose]))
        if objection is not None:
            object_to(loaded, who, purpose=purpose, store=book, search=False)
            if objection in ("upheld", "rejected"):
                decide_objection(
                    loaded, who, purpose=purpose, uphold=objection == "upheld",
                    grounds="weighed by the DPO", store=book,
                )  # fmt: skip
        if restricted:
            restrict(loaded, who, store=book, search=False)
        if opted_out:
            book.set_channel(who, "email", False)
    wrong = []
    for n, combo in enumerate(combos):
        got = book.may(people[n], purpose, "email")
        want = oracle(purpose, *combo)
        if (got.reason if not got else "allowed") != want or bool(got) != (want == "allowed"):
            wrong.append((combo, got.reason, want))
    assert not wrong, wrong
    assert len(combos) >= 16


def test_an_unknown_purpose_or_channel_is_an_error(book: ConsentBook) -> None:
    from skydd.errors import SkyddError

    with pytest.raises(SkyddError, match="no purpose 'nope'"):
        book.may({"email": "anna@example.se"}, "nope", "email")
    with pytest.raises(SkyddError, match="unknown channel 'fax'"):
        book.may({"email": "anna@example.se"}, "service", "fax")
