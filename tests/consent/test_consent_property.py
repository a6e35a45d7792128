"""Properties of the ledger: the newest choice by time decides, whatever order the choices
were recorded in; and an objection to direct marketing is never undone by a later consent."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skydd.consent import Choice, ConsentBook, Proof, object_to
from skydd.datamap.loader import LoadedMap

DECISIONS = st.sampled_from(["granted", "refused", "withdrawn"])
HISTORY = st.lists(st.tuples(st.integers(0, 10_000), DECISIONS), min_size=1, max_size=6)
_people = itertools.count()
START = datetime(2024, 1, 1, tzinfo=UTC)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=HISTORY, objects=st.booleans())
def test_the_newest_choice_decides_and_an_objection_is_absolute(
    book: ConsentBook, loaded: LoadedMap, history: list[tuple[int, str]], objects: bool
) -> None:
    who = {"email": f"prop{next(_people)}@example.se"}
    if objects:
        object_to(loaded, who, purpose="newsletter", store=book, search=False)
    for minutes, decision in history:
        proof = Proof("form", "web", at=START + timedelta(minutes=minutes))
        book.record(who, Choice(proof, **{decision: ["newsletter"]}))
    # the newest by time; of equal times, the one recorded last
    newest = max(enumerate(history), key=lambda item: (item[1][0], item[0]))[1][1]
    got = book.may(who, "newsletter", "email")
    if objects:
        assert got.reason == "suppressed"
    elif newest == "granted":
        assert got
    else:
        assert (
            got.reason == {"refused": "consent_refused", "withdrawn": "consent_withdrawn"}[newest]
        )
