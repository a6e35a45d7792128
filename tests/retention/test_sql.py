"""Retention as SQL on SQLite: what is due on a date, what holds it, and what a run leaves.

Every scenario is checked the same way: the plan on dates on both sides of its
boundaries, then a run whose counts equal the plan's, a plan afterwards that
shows nothing due, and a second run that does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from retention_db import due_of, ids, snapshot
from scenarios import CRM, HOLDS, LATEST_ORDER, ORDERS, SCENARIOS, SHIPMENTS, Scenario

from skydd import retention
from skydd.datamap.loader import LoadedMap
from skydd.retention import runner

ScenarioMap = Callable[[Scenario], LoadedMap]


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.name)
def test_plan_on_both_sides_of_the_boundaries(scenario_map: ScenarioMap, s: Scenario) -> None:
    loaded = scenario_map(s)
    for day, expected in s.expected.items():
        assert due_of(retention.plan(loaded, as_of=day)) == expected, day


# Both ways of making batches: windows the database evaluates, and keys read first (what
# MySQL gets, as it refuses a DELETE whose subqueries read its own table); the second
# only where a rule spans several tables.
RUNS = [(s, "windows") for s in SCENARIOS]
RUNS += [(s, "keys") for s in (ORDERS, CRM, HOLDS, SHIPMENTS, LATEST_ORDER)]


@pytest.mark.parametrize(("s", "batching"), RUNS, ids=lambda x: getattr(x, "name", x))
def test_a_run_does_what_the_plan_said(
    scenario_map: ScenarioMap, s: Scenario, batching: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if batching == "keys":
        monkeypatch.setattr(runner, "_deletes_with_self_reads", lambda engine: False)
    loaded = scenario_map(s)
    before = retention.plan(loaded, as_of=s.run_on)
    report = retention.run(loaded, as_of=s.run_on)
    assert report.done == due_of(before)
    assert report.skipped == []
    for table, left in s.left.items():
        assert ids(loaded, table) == left, table

    after = retention.plan(loaded, as_of=s.run_on)
    assert due_of(after) == {}
    # what was held is still there, held for the same reasons
    assert [(r.rule, r.table, r.held, r.held_by) for r in after.rules] == [
        (r.rule, r.table, r.held, r.held_by) for r in before.rules
    ]

    state = snapshot(loaded)
    again = retention.run(loaded, as_of=s.run_on)
    assert (again.done, again.batches, again.skipped) == ({}, 0, [])
    assert snapshot(loaded) == state


def test_rows_without_an_anchor_are_never_due(scenario_map: ScenarioMap) -> None:
    loaded = scenario_map(ORDERS)
    retention.run(loaded, as_of=date(2200, 1, 1))
    # contact 3 has no last contact: it and its order and lines stay, however late
    assert ids(loaded, "erp.contacts") == [3]
    assert ids(loaded, "erp.orders") == [30]
    assert ids(loaded, "erp.order_lines") == [300]


@pytest.mark.parametrize("s", [HOLDS, LATEST_ORDER], ids=lambda s: s.name)
def test_holds_are_counted_by_name(scenario_map: ScenarioMap, s: Scenario) -> None:
    loaded = scenario_map(s)
    report = retention.plan(loaded, as_of=s.run_on)
    held = {f"{r.rule}:{r.table}": r.held for r in report.rules}
    held_by = {f"{r.rule}:{r.table}": r.held_by for r in report.rules}
    assert held == s.held
    assert held_by == s.held_by


def test_se1_an_invoice_is_kept_through_the_seventh_year(scenario_map: ScenarioMap) -> None:
    """The fiscal year ended 30 June 2025: invoice 80 is held on 31 December 2032 and goes
    on 1 January 2033 (LEGAL.md SE-1), though its own rule made it due in 2026."""
    loaded = scenario_map(HOLDS)
    on_last_day = retention.run(loaded, as_of=date(2032, 12, 31))
    assert ids(loaded, "erp.invoices") == [60, 80, 90]
    assert on_last_day.done["invoices:erp.invoices"] == 2
    plan = retention.plan(loaded, as_of=date(2032, 12, 31))
    invoices = next(r for r in plan.rules if r.table == "erp.invoices")
    assert (invoices.due, invoices.held, invoices.held_by) == (0, 3, {"bookkeeping": 3})

    next_day = retention.run(loaded, as_of=date(2033, 1, 1))
    assert next_day.done["invoices:erp.invoices"] == 2
    assert ids(loaded, "erp.invoices") == [90]
    # contact 6 waited for its invoice and went after it, in the same run
    assert next_day.done["contacts:erp.contacts"] == 1
    assert ids(loaded, "erp.contacts") == [4, 8]


def test_a_parent_waits_for_its_children_rule(scenario_map: ScenarioMap) -> None:
    """Run only the contacts rule: orders and invoices stay, so contacts 2 and 5 wait."""
    loaded = scenario_map(HOLDS)
    plan = retention.plan(loaded, as_of=HOLDS.run_on, rule="contacts")
    (contacts,) = plan.rules
    assert (contacts.due, contacts.held) == (1, 6)
    assert contacts.held_by["references from erp.orders"] == 3
    assert contacts.held_by["references from erp.invoices"] == 2
    report = retention.run(loaded, as_of=HOLDS.run_on, rule="contacts")
    assert report.done == {"contacts:erp.contacts": 1}
    assert ids(loaded, "erp.contacts") == [2, 3, 4, 5, 6, 7, 8]


def test_a_hold_without_an_end_keeps_every_row(make_map: Callable[..., LoadedMap]) -> None:
    loaded = make_map(
        {
            "crm": """
            notes:
              primary_key: id
              columns:
                id: {category: system.operations, type: integer}
                written: {category: system.operations, type: date}
            """
        },
        """
        rules:
          notes:
            tables: [crm.notes]
            anchor: written
            period: 1 year
        holds:
          legal_claim:
            labels: Rättstvist
            law: Rättegångsbalken
            ground: 17(3)(e)
            tables: [crm.notes]
        """,
        {"crm": {"notes": [{"id": 1, "written": date(2010, 1, 1)}, {"id": 2, "written": None}]}},
    )
    (notes,) = retention.plan(loaded, as_of=date(2030, 1, 1)).rules
    assert (notes.due, notes.held, notes.held_by) == (0, 1, {"legal_claim": 1})
    assert retention.run(loaded, as_of=date(2030, 1, 1)).done == {}
    assert ids(loaded, "crm.notes") == [1, 2]


def test_review_rows_are_counted_and_left_alone(make_map: Callable[..., LoadedMap]) -> None:
    """AS-7: customer data stays, with regular reviews; a review rule changes nothing."""
    loaded = make_map(
        {
            "crm": """
            customers:
              primary_key: id
              columns:
                id: {category: system.operations, type: integer}
                email: {category: user.contact.email, type: text, identity: email}
                reviewed_at: {category: system.operations, type: date}
            """
        },
        """
        rules:
          review:
            tables: [crm.customers]
            anchor: reviewed_at
            period: 1 year
            action: review
            promise: AS-7
        """,
        {
            "crm": {
                "customers": [
                    {"id": 1, "email": "a@x.se", "reviewed_at": date(2024, 1, 1)},
                    {"id": 2, "email": "b@x.se", "reviewed_at": date(2025, 3, 1)},
                ]
            }
        },
    )
    (review,) = retention.plan(loaded, as_of=date(2025, 1, 1)).rules
    assert (review.action, review.due) == ("review", 1)
    state = snapshot(loaded)
    report = retention.run(loaded, as_of=date(2025, 1, 1))
    assert (report.done, report.batches) == ({}, 0)
    assert snapshot(loaded) == state


def test_rows_due_under_two_rules_are_counted_once(scenario_map: ScenarioMap) -> None:
    from scenarios import NEWSLETTER

    loaded = scenario_map(NEWSLETTER)
    plan = retention.plan(loaded, as_of=date(2025, 2, 28))
    assert sum(r.due for r in plan.rules) == 3
    report = retention.run(loaded, as_of=date(2025, 2, 28))
    assert sum(report.done.values()) == 3
    assert ids(loaded, "newsletter.subscribers") == [4]
