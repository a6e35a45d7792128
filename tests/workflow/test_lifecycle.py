"""The request lifecycle: each step checked, stored, audited; identities kept only while needed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from workflow_company import company

from skydd.datamap.loader import LoadedMap, load_map
from skydd.errors import SkyddError
from skydd.store import Store
from skydd.store.schema import workflow_identity_hashes, workflow_requests
from skydd.workflow import (
    IllegalTransition,
    RequestKind,
    RequestTransition,
    State,
    charge_fee,
    complete,
    events,
    extend,
    get,
    list_requests,
    refuse,
    start,
    submit,
    verify,
)

ANNA = {"email": "Anna.Svensson@Example.se"}
MARCH_5 = dt.datetime(2025, 3, 5, 9, 30, tzinfo=dt.UTC)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def new(store: Store, loaded: LoadedMap, kind: str = "access", when: dt.datetime = MARCH_5,
        who: dict[str, str] | None = None) -> str:  # fmt: skip
    req = submit(
        store, loaded, kind=kind, identities=who or ANNA, channel="web", lang="sv",
        received_at=when, actor="web",
    )  # fmt: skip
    return req.id


def test_a_request_goes_from_received_to_done_and_every_step_is_recorded(
    store: Store, loaded: LoadedMap
) -> None:
    req = submit(store, loaded, kind="access", identities=ANNA, channel="email", lang="en",
                 received_at=MARCH_5, actor="anna.dpo")  # fmt: skip
    assert req.state == State.received and req.kind == RequestKind.access
    assert req.due == req.original_due == dt.date(2025, 4, 7)  # 5 April 2025 is a Saturday
    assert req.identities == (("email", "anna.svensson@example.se"),)
    verify(store, req.id, actor="anna.dpo", method="email-code", at=MARCH_5)
    start(store, req.id, actor="anna.dpo", at=MARCH_5)
    done = complete(store, req.id, actor="anna.dpo", result_ref="R-abc", at=MARCH_5)
    assert done.state == State.done and done.result_ref == "R-abc"
    # The returned object still holds the identities (to tell the person); the store not.
    assert done.identities == req.identities
    assert get(store, req.id, reveal=True).identities is None

    history = events(store, req.id)
    assert [(e.action, e.from_state, e.to_state) for e in history] == [
        ("submit", None, State.received),
        ("verify", State.received, State.verified),
        ("start", State.verified, State.in_progress),
        ("complete", State.in_progress, State.done),
    ]
    assert history[1].reason == "email-code" and {e.actor for e in history} == {"anna.dpo"}
    audited = [r for r in store.audit.records(kind=RequestTransition)]
    assert [(r.actor, r.payload["action"], r.payload["to_state"]) for r in audited] == [
        ("anna.dpo", "submit", "received"),
        ("anna.dpo", "verify", "verified"),
        ("anna.dpo", "start", "in_progress"),
        ("anna.dpo", "complete", "done"),
    ]
    assert all(r.payload["identity_kinds"] == ["email"] for r in audited)


def test_no_identity_value_reaches_the_audit_log_or_the_hash_table(
    store: Store, loaded: LoadedMap
) -> None:
    rid = new(store, loaded, who={"email": "anna.svensson@example.se", "phone": "070-123 45 67"})
    refuse(store, rid, actor="dpo", reason="Manifestly unfounded: no customer relationship.")
    logged = " ".join(str(r.payload) + r.actor for r in store.audit.records()).lower()
    for fragment in ("anna", "svensson", "example.se", "1234567", "123 45"):
        assert fragment not in logged
    with store.engine.connect() as conn:
        hashes = conn.execute(select(workflow_identity_hashes)).mappings().all()
        row = conn.execute(select(workflow_requests)).mappings().one()
    assert {h["kind"] for h in hashes} == {"email", "phone"}
    assert all(len(h["identity_hash"]) == 64 and "anna" not in h["identity_hash"] for h in hashes)
    assert row["identities"] is None  # cleared when the request ended


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [
        ([], "start"),
        ([], "complete"),
        ([], "extend"),
        (["verify"], "verify"),
        (["verify"], "complete"),
        (["verify", "start", "complete"], "refuse"),
        (["verify", "start", "complete"], "start"),
        (["refuse"], "verify"),
        (["verify", "start", "extend"], "extend"),
        (["verify", "start", "extend"], "start"),
    ],
)
def test_an_illegal_step_is_refused_and_changes_nothing(
    store: Store, loaded: LoadedMap, steps: list[str], illegal: str
) -> None:
    rid = new(store, loaded)
    when = at(dt.date(2025, 3, 10))
    do = {
        "verify": lambda: verify(store, rid, actor="dpo", method="account", at=when),
        "start": lambda: start(store, rid, actor="dpo", at=when),
        "complete": lambda: complete(store, rid, actor="dpo", result_ref="R-1", at=when),
        "refuse": lambda: refuse(store, rid, actor="dpo", reason="Excessive.", at=when),
        "extend": lambda: extend(
            store, rid, actor="dpo", reason="Many requests.", told_at=when.date(), at=when
        ),  # fmt: skip
    }
    for step in steps:
        do[step]()
    before = (get(store, rid), len(events(store, rid)), store.audit.count())
    with pytest.raises(IllegalTransition, match="cannot be"):
        do[illegal]()
    assert (get(store, rid), len(events(store, rid)), store.audit.count()) == before


def test_an_extension_within_the_first_month_with_a_reason_moves_the_deadline(
    store: Store, loaded: LoadedMap
) -> None:
    rid = new(store, loaded)
    verify(store, rid, actor="dpo", method="account", at=MARCH_5)
    start(store, rid, actor="dpo", at=MARCH_5)
    told = dt.date(2025, 3, 20)
    ext = extend(store, rid, actor="dpo", reason="Data in six systems, two archived.",
                 told_at=told, at=at(told))  # fmt: skip
    assert ext.state == State.extended and ext.told_at == told
    assert ext.original_due == dt.date(2025, 4, 7)
    assert ext.due == dt.date(2025, 6, 5)  # 5 June 2025, a Thursday
    assert ext.reason == "Data in six systems, two archived."
    last = events(store, rid)[-1]
    assert last.details["months"] == 2 and last.details["told_at"] == "2025-03-20"
    assert "three months" in last.details["rule"]
    done = complete(store, rid, actor="dpo", result_ref="R-2", at=at(dt.date(2025, 5, 1)))
    assert done.state == State.done and done.due == dt.date(2025, 6, 5)


def test_one_more_month_is_allowed_too(store: Store, loaded: LoadedMap) -> None:
    rid = new(store, loaded)
    verify(store, rid, actor="dpo", method="account", at=MARCH_5)
    ext = extend(store, rid, actor="dpo", reason="Complex.", told_at=dt.date(2025, 3, 6),
                 months=1, at=at(dt.date(2025, 3, 6)))  # fmt: skip
    assert ext.due == dt.date(2025, 5, 5)


@pytest.mark.parametrize(
    ("reason", "told", "now", "months", "message"),
    [
        ("", dt.date(2025, 3, 20), dt.date(2025, 3, 20), 2, "reason for the extension is required"),
        ("   ", dt.date(2025, 3, 20), dt.date(2025, 3, 20), 2, "is required"),
        ("Many.", dt.date(2025, 4, 8), dt.date(2025, 4, 8), 2, "past its first month"),
        ("Many.", dt.date(2025, 4, 8), dt.date(2025, 4, 7), 2, "told of the extension within"),
        ("Many.", dt.date(2025, 3, 1), dt.date(2025, 3, 20), 2, "told of the extension within"),
        ("Many.", dt.date(2025, 3, 25), dt.date(2025, 3, 20), 2, "not in the future"),
        ("Many.", dt.date(2025, 3, 20), dt.date(2025, 3, 20), 3, "one or two months"),
    ],
)
def test_an_extension_needs_a_reason_and_the_person_told_within_the_first_month(
    store: Store, loaded: LoadedMap, reason: str, told: dt.date, now: dt.date, months: int,
    message: str,
) -> None:  # fmt: skip
    rid = new(store, loaded)
    verify(store, rid, actor="dpo", method="account", at=MARCH_5)
    with pytest.raises(SkyddError, match=message):
        extend(store, rid, actor="dpo", reason=reason, told_at=told, months=months, at=at(now))
    assert get(store, rid).state == State.verified


def test_a_refusal_needs_reasons_and_ends_the_request(store: Store, loaded: LoadedMap) -> None:
    rid = new(store, loaded)
    with pytest.raises(SkyddError, match="reason for refusing is required"):
        refuse(store, rid, actor="dpo", reason="")
    refused = refuse(store, rid, actor="dpo", reason="The fourth identical request this month.")
    assert refused.state == State.refused and refused.reason.startswith("The fourth")
    assert not refused.is_open


def test_a_repeat_within_the_interval_is_flagged_and_nothing_more(
    store: Store, loaded: LoadedMap
) -> None:
    first = new(store, loaded)
    same = new(
        store, loaded, when=at(dt.date(2025, 5, 1)), who={"email": "anna.svensson@EXAMPLE.se"}
    )
    other_kind = new(store, loaded, kind="erase", when=at(dt.date(2025, 5, 1)))
    someone_else = new(store, loaded, who={"email": "bo.berg@example.se"})
    later = new(store, loaded, when=at(dt.date(2025, 8, 6)))  # more than 3 months after 1 May
    assert get(store, same).repeat_of == first
    assert get(store, other_kind).repeat_of is None
    assert get(store, someone_else).repeat_of is None
    assert get(store, later).repeat_of is None
    assert get(store, same).state == State.received  # flagged only: still answered as usual
    audited = [r.payload for r in store.audit.records(kind=RequestTransition)]
    assert [p["repeat_of"] for p in audited if p["request_id"] == same] == [first]


def test_a_phone_in_another_format_is_the_same_person(store: Store, loaded: LoadedMap) -> None:
    first = new(store, loaded, who={"phone": "070-123 45 67"})
    again = new(store, loaded, who={"phone": "+46701234567"}, when=at(dt.date(2025, 3, 9)))
    assert get(store, again).repeat_of == first


def test_a_yearly_free_copy_policy_flags_repeats_within_twelve_months(
    tmp_path: Path, store: Store
) -> None:
    # Entrack's "free once a year" (EN-5): flagged, never charged or refused by itself.
    loaded = load_map(company(tmp_path / "yearly", "free_copies_per_year: 1"))
    first = new(store, loaded)
    within = new(store, loaded, when=at(dt.date(2026, 2, 1)))
    next_year = new(store, loaded, when=at(dt.date(2027, 1, 31)))
    a_year_on = new(store, loaded, when=at(dt.date(2028, 1, 31)))
    assert get(store, within).repeat_of == first
    assert get(store, next_year).repeat_of == within
    assert get(store, a_year_on).repeat_of is None


def test_no_policy_flags_nothing(tmp_path: Path, store: Store) -> None:
    loaded = load_map(company(tmp_path / "none"))
    new(store, loaded)
    assert get(store, new(store, loaded)).repeat_of is None


def test_a_fee_needs_a_reason_and_an_open_request(store: Store, loaded: LoadedMap) -> None:
    rid = new(store, loaded)
    with pytest.raises(SkyddError, match="reason for the fee is required"):
        charge_fee(store, rid, actor="dpo", amount="150 SEK", reason=" ")
    charged = charge_fee(store, rid, actor="dpo", amount="150 SEK",
                         reason="A further copy of the same registerutdrag.")  # fmt: skip
    assert (charged.state, charged.fee_amount) == (State.received, "150 SEK")
    assert events(store, rid)[-1].action == "charge-fee"
    refuse(store, rid, actor="dpo", reason="Withdrawn by the person.")
    with pytest.raises(IllegalTransition, match="no fee"):
        charge_fee(store, rid, actor="dpo", amount="1", reason="Late.")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "gossip", "unknown request kind"),
        ("channel", "Web Form!", "not a channel name"),
        ("lang", "de", "unknown language"),
        ("identities", {"email": "not-an-email"}, "email"),
        ("identities", {}, "no identity given"),
        ("identities", {"shoe_size": "42"}, "unknown identity kind"),
    ],
)
def test_a_bad_submission_is_a_clear_error_and_stores_nothing(
    store: Store, loaded: LoadedMap, field: str, value: object, message: str
) -> None:
    args: dict[str, object] = {"kind": "access", "identities": ANNA, "channel": "web", "lang": "sv"}
    args[field] = value
    with pytest.raises(SkyddError, match=message):
        submit(store, loaded, actor="web", **args)  # type: ignore[arg-type]
    assert list_requests(store) == []


def test_unknown_ids_and_naive_times_are_errors(store: Store, loaded: LoadedMap) -> None:
    with pytest.raises(SkyddError, match="no request has the id"):
        get(store, "RQ-nothere")
    with pytest.raises(SkyddError, match="no request has the id"):
        events(store, "RQ-nothere")
    with pytest.raises(SkyddError, match="timezone-aware"):
        new(store, loaded, when=dt.datetime(2025, 3, 5, 12))


def test_the_queue_lists_soonest_first_and_filters(store: Store, loaded: LoadedMap) -> None:
    days = [dt.date(2025, 3, d) for d in (3, 1, 10, 5)]
    ids = [new(store, loaded, when=at(d)) for d in days]
    erase_id = new(store, loaded, kind="erase", when=at(dt.date(2025, 3, 2)))
    refuse(store, ids[1], actor="dpo", reason="Duplicate.")
    queue = list_requests(store)
    assert [r.due for r in queue] == sorted(r.due for r in queue)
    assert all(r.identities is None for r in queue)
    today = dt.date(2025, 3, 28)
    soon = list_requests(store, due_within=7, today=today)  # due by 4 April, open only
    assert {r.id for r in soon} == {ids[0], erase_id}
    assert [r.id for r in list_requests(store, due_within=dt.timedelta(days=5), today=today)] == [
        erase_id
    ]
    assert [r.id for r in list_requests(store, state="refused")] == [ids[1]]
    assert [r.id for r in list_requests(store, kind="erase")] == [erase_id]
    assert len(list_requests(store, state=[State.received, "refused"])) == 5
    page = list_requests(store, limit=2, offset=2)
    assert [r.id for r in page] == [r.id for r in queue[2:4]]
    with pytest.raises(SkyddError):
        list_requests(store, limit=0)
    with pytest.raises(SkyddError, match="unknown state"):
        list_requests(store, state="lost")


def test_a_scottish_controller_gets_scottish_deadlines(tmp_path: Path, store: Store) -> None:
    path = company(tmp_path / "scot")
    text = path.read_text(encoding="utf-8").replace(
        "  country: SE\n", "  country: GB\n  subdivision: SCT\n"
    )
    path.write_text(text, encoding="utf-8")
    loaded = load_map(path)
    rid = new(store, loaded, when=at(dt.date(2026, 3, 6)))
    req = get(store, rid)
    assert (req.country, req.subdivision, req.due) == ("GB", "SCT", dt.date(2026, 4, 6))


def test_staff_acting_at_once_take_turns_and_only_one_wins(
    store: Store, loaded: LoadedMap, tmp_path: Path
) -> None:
    from threading import Barrier, Thread

    from skydd.store import open_store

    rid = new(store, loaded)
    barrier, outcomes = Barrier(4), []

    def act(n: int) -> None:
        # Each its own store (own engine and connections), as separate processes would be.
        with open_store(f"sqlite:///{tmp_path / 'store.db'}") as own:
            barrier.wait()
            try:
                verify(own, rid, actor=f"staff{n}", method="account")
                outcomes.append("ok")
            except IllegalTransition:
                outcomes.append("refused")

    threads = [Thread(target=act, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert [e.action for e in events(store, rid)] == ["submit", "verify"]


ACTIONS = ["verify", "start", "complete", "extend", "refuse"]
ALLOWED = {
    State.received: {"verify": State.verified, "refuse": State.refused},
    State.verified: {"start": State.in_progress, "extend": State.extended,
                     "refuse": State.refused},
    State.in_progress: {"complete": State.done, "extend": State.extended,
                        "refuse": State.refused},
    State.extended: {"complete": State.done, "refuse": State.refused},
    State.done: {},
    State.refused: {},
}  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.sampled_from(ACTIONS), max_size=7))
def test_any_sequence_of_steps_follows_the_state_machine(
    store: Store, loaded: LoadedMap, steps: list[str]
) -> None:
    rid = new(store, loaded)
    when = at(dt.date(2025, 3, 10))
    do = {
        "verify": lambda: verify(store, rid, actor="dpo", method="account", at=when),
        "start": lambda: start(store, rid, actor="dpo", at=when),
        "complete": lambda: complete(store, rid, actor="dpo", result_ref="R-1", at=when),
        "refuse": lambda: refuse(store, rid, actor="dpo", reason="Excessive.", at=when),
        "extend": lambda: extend(
            store, rid, actor="dpo", reason="Many.", told_at=when.date(), at=when
        ),  # fmt: skip
    }
    state, taken = State.received, ["submit"]
    for step in steps:
        expected = ALLOWED[state].get(step)
        if expected is None:
            with pytest.raises(IllegalTransition):
                do[step]()
        else:
            assert do[step]().state == expected
            state = expected
            taken.append(step)
    req = get(store, rid, reveal=True)
    assert req.state == state
    assert [e.action for e in events(store, rid)] == taken
    assert (req.identities is None) == (state in (State.done, State.refused))


def test_a_subdivision_the_calendar_lacks_is_a_map_error(tmp_path: Path) -> None:
    from skydd.errors import MapError

    path = company(tmp_path / "bad")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  country: SE\n", "  country: GB\n  subdivision: XYZ\n"
        ),
        encoding="utf-8",
    )
    with pytest.raises(MapError) as caught:
        load_map(path)
    assert "holiday regions: ENG, NIR, SCT, WLS" in caught.value.render()
