"""AS-7: rows past their review date on a review list; marking them reviewed, audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from scenarios import Scenario
from typer.testing import CliRunner

from skydd import retention
from skydd.cli import app
from skydd.datamap.loader import LoadedMap
from skydd.errors import SkyddError
from skydd.retention.review import mark_reviewed, review_list
from skydd.store import open_store

D = date

REVIEWS = Scenario(
    name="reviews",
    systems={
        "crm": """
        contacts:
          primary_key: id
          columns:
            id: {category: user.unique_id, type: integer}
            email: {category: user.contact.email, type: text, identity: email}
            last_reviewed: {category: system.operations, type: date}
        """
    },
    retention="""
    rules:
      contacts_review:
        tables: [crm.contacts]
        anchor: last_reviewed
        period: 12 months
        action: review
        criterion: {sv: Granskas årligen, en: Reviewed yearly, da: Gennemgås årligt}
    """,
    rows={
        "crm": {
            "contacts": [
                {"id": 1, "email": "a@x.se", "last_reviewed": D(2024, 1, 1)},
                {"id": 2, "email": "b@x.se", "last_reviewed": D(2024, 6, 15)},
                {"id": 3, "email": "c@x.se", "last_reviewed": D(2025, 1, 1)},
            ]
        }
    },
    expected={},
    run_on=D(2025, 6, 15),
    left={},
)

ON = D(2025, 6, 15)


@pytest.fixture
def crm(scenario_map: Callable[[Scenario], LoadedMap], tmp_path: Path) -> tuple[LoadedMap, str]:
    return scenario_map(REVIEWS), f"sqlite:///{tmp_path / 'store.db'}"


def _keys(loaded: LoadedMap, store: str, on: date) -> list[list[object]]:
    return [i.key for i in review_list(loaded, as_of=on, store=store).items]


def test_rows_past_their_review_date_are_listed_with_the_day_it_fell_due(
    crm: tuple[LoadedMap, str],
) -> None:
    loaded, store = crm
    assert _keys(loaded, store, D(2025, 1, 1)) == [[1]]  # 1 January 2024 + 12 months
    assert _keys(loaded, store, D(2024, 12, 31)) == []
    found = review_list(loaded, as_of=ON, store=store)
    assert [(i.key, i.due_since) for i in found.items] == [([1], "2025-01-01"), ([2], "2025-06-15")]
    data = found.as_dict()
    assert set(data["items"][0]) == {"rule", "table", "key", "due_since", "last_reviewed"}
    # no personal data beyond the key
    assert "a@x.se" not in json.dumps(data)


def test_a_reviewed_row_leaves_the_list_until_its_next_review_date(
    crm: tuple[LoadedMap, str],
) -> None:
    loaded, store = crm
    done = mark_reviewed(
        loaded, "contacts_review", ["1"], by="Dina DPO", note="ok", as_of=ON, store=store
    )
    assert done == {"crm.contacts": 1}
    assert _keys(loaded, store, ON) == [[2]]
    plan = {r.table: r for r in retention.plan(loaded, as_of=ON, store=store).rules}
    assert plan["crm.contacts"].due == 1 and plan["crm.contacts"].held_by == {"reviewed": 1}
    assert _keys(loaded, store, D(2026, 6, 14)) == [[2], [3]]
    again = review_list(loaded, as_of=D(2026, 6, 15), store=store).items
    assert [(i.key, i.last_reviewed) for i in again] == [
        ([1], "2025-06-15"),
        ([2], None),
        ([3], None),
    ]
    # a retention run changes nothing under a review rule
    retention.run(loaded, as_of=D(2030, 1, 1), store=store)
    assert len(_keys(loaded, store, D(2030, 1, 1))) == 3


def test_marking_is_audited_without_the_keys(crm: tuple[LoadedMap, str]) -> None:
    loaded, store = crm
    mark_reviewed(loaded, "contacts_review", ["1", "2"], by="Dina DPO", as_of=ON, store=store)
    with open_store(store) as st:
        events = [
            (r.kind, r.actor, r.payload)
            for r in st.audit.records()
            if r.kind != "store-initialised"
        ]
    assert events == [
        (
            "retention-reviewed",
            "Dina DPO",
            {"rule": "contacts_review", "table": "crm.contacts", "rows": 2,
             "reviewed_on": "2025-06-15", "noted": False},
        )
    ]  # fmt: skip


def test_mistakes_are_refused(crm: tuple[LoadedMap, str]) -> None:
    loaded, store = crm
    with pytest.raises(SkyddError, match="1 of the 1 keys given are not rows of crm.contacts"):
        mark_reviewed(loaded, "contacts_review", ["99"], by="D", store=store)
    with pytest.raises(SkyddError, match="not a whole number"):
        mark_reviewed(loaded, "contacts_review", ["x"], by="D", store=store, table="crm.contacts")
    with pytest.raises(SkyddError, match="no review rule 'nope'"):
        mark_reviewed(loaded, "nope", ["1"], by="D", store=store)
    with pytest.raises(SkyddError, match="who did it"):
        mark_reviewed(loaded, "contacts_review", ["1"], by=" ", store=store)


def test_the_cli_lists_and_marks(crm: tuple[LoadedMap, str]) -> None:
    loaded, store = crm
    base = ["--map", str(loaded.path), "--store", store, "--as-of", ON.isoformat()]
    runner = CliRunner()
    listed = runner.invoke(app, ["retention", "review", *base, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert [i["key"] for i in json.loads(listed.stdout)["items"]] == [[1], [2]]
    marked = runner.invoke(
        app,
        ["retention", "reviewed", *base, "--rule", "contacts_review", "--key", "1", "--key", "2",
         "--by", "Dina DPO", "--note", "checked"],
    )  # fmt: skip
    assert marked.exit_code == 0, marked.output
    assert "crm.contacts: 2 row(s) marked reviewed" in marked.stdout
    text = runner.invoke(app, ["retention", "review", *base])
    assert text.exit_code == 0 and "0 rows to review" in text.stdout
    wrong = runner.invoke(app, ["retention", "reviewed", *base, "--rule", "contacts_review",
                                "--key", "77", "--by", "D"])  # fmt: skip
    assert wrong.exit_code == 2 and "not rows of crm.contacts" in wrong.output
