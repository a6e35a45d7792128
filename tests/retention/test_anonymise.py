"""Anonymisation that holds (AX-5, LEGAL.md SEC-3): identifiers gone, text scrubbed, k-anonymous."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from retention_db import due_of, rows_of, snapshot
from scenarios import (
    BODY,
    SUPPORT_RETENTION,
    SUPPORT_SYSTEMS,
    SURVEY_RETENTION,
    SURVEY_SYSTEMS,
    support_rows,
    survey_rows,
)

from skydd import retention
from skydd.datamap.loader import LoadedMap
from skydd.retention.anonymise import MARK, column_methods, pseudonym, quasi_identifiers, scrub

Make = Callable[..., LoadedMap]
ON = date(2025, 1, 1)


@pytest.fixture
def support(make_map: Make) -> LoadedMap:
    return make_map(SUPPORT_SYSTEMS, SUPPORT_RETENTION, support_rows())


def test_what_each_column_becomes(support: LoadedMap) -> None:
    assert column_methods(support.datamap, "support.cases") == {
        "requester_name": "null",  # a name: a direct identifier
        "requester_email": "null",  # an identity column
        "contact_id": "null",  # the link to the person
        "customer_ref": "hash",  # said so in the map
        "body": "scrub",  # free text
    }
    assert column_methods(support.datamap, "support.messages") == {
        "author_email": "null",
        "body": "scrub",
    }
    assert quasi_identifiers(support.datamap, "support.cases") == []


def test_support_cases_keep_general_information_only(
    support: LoadedMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AX-5: after seven years the case stays, but nothing in it points at a person."""
    monkeypatch.setenv("SKYDD_PSEUDONYM_KEY", "a test key")
    before = {r["id"]: r for r in rows_of(support, "support.cases")}
    plan = retention.plan(support, as_of=ON)
    # message 40 has nothing left to remove: not due
    assert due_of(plan) == {"support_cases:support.cases": 2, "support_cases:support.messages": 2}

    report = retention.run(support, as_of=ON)
    assert report.done == due_of(plan)
    cases = {r["id"]: r for r in rows_of(support, "support.cases")}
    for i in (1, 4):
        case = cases[i]
        assert case["requester_name"] is None
        assert case["requester_email"] is None
        assert case["contact_id"] is None
        # the primary key and the general information stay
        assert (case["id"], case["case_number"], case["product"]) == (i, f"SC-{i}", "AX-Cloud")
        assert case["last_contact"] == before[i]["last_contact"]
        body = case["body"]
        assert body == scrub(BODY) and body.startswith(MARK)
        assert "anna" not in body and "@" not in body
        assert not re.search(r"\d{3}", body), body
    # a keyed hash: stable, the same customer gives the same pseudonym
    assert cases[1]["customer_ref"] == cases[4]["customer_ref"]
    assert cases[1]["customer_ref"] == pseudonym("K-1001", b"a test key")
    # cases not yet due, and the undated one, are untouched
    assert cases[2] == before[2] and cases[3] == before[3]

    messages = {r["id"]: r for r in rows_of(support, "support.messages")}
    assert messages[10]["author_email"] is None and messages[10]["body"] == scrub(BODY)
    assert messages[11]["body"] == MARK + "Vi har bytt sensorn. Hälsningar, Support"
    assert messages[20]["author_email"] == "anna2@example.se"

    assert due_of(retention.plan(support, as_of=ON)) == {}
    state = snapshot(support)
    again = retention.run(support, as_of=ON)
    assert (again.done, again.batches) == ({}, 0)
    assert snapshot(support) == state


def test_without_a_key_in_the_environment_one_is_kept_beside_the_store(
    support: LoadedMap,
) -> None:
    retention.run(support, as_of=ON)
    key_file = Path(support.directory) / ".skydd" / "pseudonym.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_bytes()
    assert len(key) == 32
    # case 2 is due later; the same key makes the same pseudonyms then
    retention.run(support, as_of=date(2027, 1, 1))
    cases = {r["id"]: r for r in rows_of(support, "support.cases")}
    assert cases[2]["customer_ref"] == pseudonym("K-1002", key)
    assert cases[1]["customer_ref"] == pseudonym("K-1001", key)


def test_scrub_removes_contact_details_from_free_text() -> None:
    text = (
        "Kontakta Anna på anna.svensson@example.se eller +46 70-123 45 67, "
        "kort 4111 1111 1111 1111, pnr 19850101-1234, från 192.168.10.20."
    )
    out = scrub(text)
    assert out == (
        MARK + "Kontakta Anna på [e-post] eller [telefon], kort [kort], "
        "pnr [personnummer], från [ip]."
    )
    # the fallback does not know names: maps null free text that names people often
    assert "Anna" in out


# -- k-anonymity ---------------------------------------------------------------------------


def test_a_rule_that_would_single_someone_out_is_reported_not_applied(make_map: Make) -> None:
    loaded = make_map(SURVEY_SYSTEMS, SURVEY_RETENTION, survey_rows(lonely=True))
    assert quasi_identifiers(loaded.datamap, "survey.answers") == ["birth_year", "postcode"]
    (plan,) = retention.plan(loaded, as_of=date(2021, 6, 1)).rules
    assert plan.due == 11
    assert plan.problem is not None and "k=5" in plan.problem and "group of 1" in plan.problem

    state = snapshot(loaded)
    report = retention.run(loaded, as_of=date(2021, 6, 1))
    assert report.done == {}
    assert report.skipped == [
        {"rule": "survey", "table": "survey.answers", "reason": plan.problem},
    ]
    assert snapshot(loaded) == state


def test_rows_that_share_their_quasi_identifiers_with_four_others_are_anonymised(
    make_map: Make,
) -> None:
    loaded = make_map(SURVEY_SYSTEMS, SURVEY_RETENTION, survey_rows(lonely=False))
    (plan,) = retention.plan(loaded, as_of=date(2021, 6, 1)).rules
    assert (plan.due, plan.problem) == (10, None)
    report = retention.run(loaded, as_of=date(2021, 6, 1))
    assert report.done == {"survey:survey.answers": 10}
    rows = rows_of(loaded, "survey.answers")
    assert [r["name"] for r in rows] == [None] * 10 + ["Person 12"]
    assert {(r["birth_year"], r["postcode"]) for r in rows[:10]} == {
        (1980, "411 25"),
        (1990, "111 22"),
    }

    # Later the last answer is due, alone with its birth year and postcode: the rows
    # anonymised before count, and it would stand out among them.
    (later,) = retention.plan(loaded, as_of=date(2031, 1, 2)).rules
    assert later.due == 1 and later.problem is not None
    report = retention.run(loaded, as_of=date(2031, 1, 2))
    assert report.done == {} and len(report.skipped) == 1
    assert rows_of(loaded, "survey.answers")[-1]["name"] == "Person 12"


def test_k_is_configurable(make_map: Make) -> None:
    loaded = make_map(
        SURVEY_SYSTEMS,
        SURVEY_RETENTION,
        survey_rows(lonely=False),
        extra="policy: {k_anonymity: 6}",
    )
    report = retention.run(loaded, as_of=date(2021, 6, 1))
    assert report.done == {}
    assert "group of 5" in report.skipped[0]["reason"]
    assert "k=6" in report.skipped[0]["reason"]
