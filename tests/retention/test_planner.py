"""The pure part of retention: bounds, purge dates and paths, without a database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skydd.datamap.models import Anchor
from skydd.errors import SkyddError
from skydd.retention.planner import (
    add_months,
    due_bound,
    find_path,
    plan_anchor,
    plan_retention,
    purge_date,
)

D = date
ALIGNS = ("none", "end_of_month", "end_of_year")


def is_due(anchor: date, on: date, period: str, align: str) -> bool:
    return anchor < due_bound(on, period, align)


def test_add_months_clamps_to_the_last_day() -> None:
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 48) == D(2028, 2, 29)
    assert add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)
    assert add_months(D(2025, 1, 15), -1) == D(2024, 12, 15)


# -- SE-1 and AX-1: kept to the end of the year ---------------------------------------------


def test_se1_fiscal_year_ending_30_june_2025_is_kept_through_2032() -> None:
    """LEGAL.md SE-1: purge_from = date(fy_end.year + 8, 1, 1)."""
    fy_end = D(2025, 6, 30)
    assert purge_date(fy_end, "7 years", "end_of_year") == D(2033, 1, 1)
    assert not is_due(fy_end, D(2032, 12, 31), "7 years", "end_of_year")
    assert is_due(fy_end, D(2033, 1, 1), "7 years", "end_of_year")
    assert due_bound(D(2033, 1, 1), "7 years", "end_of_year") == D(2026, 1, 1)


@pytest.mark.parametrize(
    "fy_end", [D(2025, 1, 31), D(2025, 6, 30), D(2025, 8, 31), D(2025, 12, 31)]
)
def test_se1_holds_for_every_fiscal_year_end_of_a_year(fy_end: date) -> None:
    purge = date(fy_end.year + 8, 1, 1)
    assert purge_date(fy_end, "7 years", "end_of_year") == purge
    assert not is_due(fy_end, purge - timedelta(days=1), "7 years", "end_of_year")
    assert is_due(fy_end, purge, "7 years", "end_of_year")


def test_ax1_seven_years_after_the_last_contact_deleted_at_the_end_of_that_year() -> None:
    """AX-1: last contact 15 March 2018 -> 15 March 2025 -> kept to 31 December 2025."""
    last = D(2018, 3, 15)
    assert purge_date(last, "7 years", "end_of_year") == D(2026, 1, 1)
    for day in (D(2025, 3, 14), D(2025, 3, 15), D(2025, 12, 31)):
        assert not is_due(last, day, "7 years", "end_of_year")
    assert is_due(last, D(2026, 1, 1), "7 years", "end_of_year")
    # the last day of a year and the first of the next fall into different years
    assert purge_date(D(2018, 12, 31), "7 years", "end_of_year") == D(2026, 1, 1)
    assert purge_date(D(2019, 1, 1), "7 years", "end_of_year") == D(2027, 1, 1)


# -- every alignment, on both sides of every boundary --------------------------------------

CASES = [
    # anchor, period, align, first day due
    (D(2025, 1, 15), "6 months", "none", D(2025, 7, 15)),
    (D(2025, 1, 15), "6 months", "end_of_month", D(2025, 8, 1)),
    (D(2025, 1, 15), "6 months", "end_of_year", D(2026, 1, 1)),
    (D(2025, 7, 15), "6 months", "end_of_year", D(2027, 1, 1)),
    (D(2018, 3, 15), "7 years", "none", D(2025, 3, 15)),
    (D(2018, 3, 15), "7 years", "end_of_month", D(2025, 4, 1)),
    (D(2025, 12, 31), "1 month", "end_of_month", D(2026, 2, 1)),
    (D(2025, 12, 1), "1 month", "end_of_year", D(2027, 1, 1)),
    (D(2025, 3, 10), "30 days", "none", D(2025, 4, 9)),
    (D(2025, 3, 10), "30 days", "end_of_month", D(2025, 5, 1)),
    (D(2025, 12, 10), "30 days", "end_of_year", D(2027, 1, 1)),
    (D(2025, 3, 10), "2 weeks", "none", D(2025, 3, 24)),
    (D(2025, 3, 20), "2 weeks", "end_of_month", D(2025, 5, 1)),
    (D(2025, 3, 20), "0 days", "none", D(2025, 3, 20)),
    # month ends clamp: 31 January + 1 month = 28 February (29 in a leap year)
    (D(2025, 1, 31), "1 month", "none", D(2025, 2, 28)),
    (D(2025, 1, 29), "1 month", "none", D(2025, 2, 28)),
    (D(2024, 1, 31), "1 month", "none", D(2024, 2, 29)),
    (D(2025, 3, 31), "6 months", "none", D(2025, 9, 30)),
    (D(2025, 8, 31), "6 months", "none", D(2026, 2, 28)),
    (D(2025, 1, 31), "1 month", "end_of_month", D(2025, 3, 1)),
    # leap days: 29 February + 1 year = 28 February; + 4 years = 29 February
    (D(2024, 2, 29), "1 year", "none", D(2025, 2, 28)),
    (D(2024, 2, 29), "4 years", "none", D(2028, 2, 29)),
    (D(2024, 2, 29), "7 years", "end_of_year", D(2032, 1, 1)),
    (D(2023, 2, 28), "1 year", "none", D(2024, 2, 28)),
    (D(2023, 3, 1), "1 year", "none", D(2024, 3, 1)),
]


@pytest.mark.parametrize(("anchor", "period", "align", "first"), CASES)
def test_boundaries(anchor: date, period: str, align: str, first: date) -> None:
    assert purge_date(anchor, period, align) == first
    assert not is_due(anchor, first - timedelta(days=1), period, align)
    assert is_due(anchor, first, period, align)
    assert is_due(anchor, first + timedelta(days=1), period, align)


def test_on_28_february_every_anchor_of_january_is_a_month_old() -> None:
    """The bound under month clamping: every January day + 1 month <= 28 February 2025."""
    assert due_bound(D(2025, 2, 28), "1 month", "none") == D(2025, 2, 1)
    assert due_bound(D(2025, 2, 27), "1 month", "none") == D(2025, 1, 28)
    assert due_bound(D(2025, 3, 30), "1 month", "none") == D(2025, 3, 1)
    assert due_bound(D(2025, 3, 31), "1 month", "none") == D(2025, 3, 1)
    assert due_bound(D(2025, 4, 1), "1 month", "none") == D(2025, 3, 2)


@pytest.mark.parametrize("align", ALIGNS)
def test_the_bound_never_moves_back_as_time_goes_on(align: str) -> None:
    day = D(2023, 12, 25)
    previous = due_bound(day, "1 month", align)
    for _ in range(800):
        day += timedelta(days=1)
        bound = due_bound(day, "1 month", align)
        assert bound >= previous
        previous = bound


anchors = st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31))
periods = st.builds(
    lambda n, unit: f"{n} {unit}{'s' if n != 1 else ''}",
    st.integers(min_value=0, max_value=40),
    st.sampled_from(["day", "week", "month", "year"]),
)


@given(anchor=anchors, on=anchors, period=periods, align=st.sampled_from(ALIGNS))
def test_bound_and_purge_date_agree(anchor: date, on: date, period: str, align: str) -> None:
    """anchor < due_bound(d) exactly when d >= purge_date(anchor), for any date."""
    assert is_due(anchor, on, period, align) == (on >= purge_date(anchor, period, align))


@given(anchor=anchors, period=periods, align=st.sampled_from(ALIGNS))
def test_the_purge_date_is_the_first_day_due(anchor: date, period: str, align: str) -> None:
    first = purge_date(anchor, period, align)
    assert is_due(anchor, first, period, align)
    assert not is_due(anchor, first - timedelta(days=1), period, align)
    if align == "end_of_year":
        assert (first.month, first.day) == (1, 1)
    if align == "end_of_month":
        assert first.day == 1


# -- paths and plans -------------------------------------------------------------------------

MAP = {
    "controller": {"name": "Prov AB", "country": "SE"},
    "systems": {
        "erp": {
            "url": "sqlite:///erp.db",
            "tables": {
                "contacts": {
                    "primary_key": "id",
                    "columns": {
                        "id": {"category": "user.unique_id"},
                        "last_contact": {"category": "system.operations"},
                    },
                },
                "orders": {
                    "primary_key": "id",
                    "columns": {
                        "id": {"category": "system.operations"},
                        "contact_id": {"category": "user.unique_id"},
                    },
                    "references": [{"column": "contact_id", "to": "contacts.id"}],
                },
                "order_lines": {
                    "primary_key": "id",
                    "columns": {
                        "id": {"category": "system.operations"},
                        "order_id": {"category": "system.operations"},
                    },
                    "references": [{"column": "order_id", "to": "orders.id"}],
                },
                "invoices": {
                    "primary_key": "id",
                    "columns": {
                        "id": {"category": "system.operations"},
                        "contact_id": {"category": "user.unique_id"},
                        "fiscal_year_end": {"category": "system.operations"},
                    },
                    "references": [{"column": "contact_id", "to": "contacts.id"}],
                },
                "notes": {
                    "primary_key": "id",
                    "columns": {"id": {"category": "system.operations"}},
                },
            },
        }
    },
    "retention": {
        "rules": {
            "order_data": {
                "tables": ["erp.order_lines", "erp.contacts", "erp.orders"],
                "anchor": "contacts.last_contact",
                "period": "7 years",
                "align": "end_of_year",
            },
        },
        "holds": {
            "bookkeeping": {
                "labels": "Bokföring",
                "law": "BFL 7:2",
                "tables": ["erp.invoices"],
                "anchor": "fiscal_year_end",
                "period": "7 years",
                "align": "end_of_year",
            }
        },
    },
}


def test_a_plan_lists_tables_children_before_parents() -> None:
    from skydd.datamap.models import DataMap

    plan = plan_retention(DataMap.model_validate(MAP), D(2026, 1, 1))
    assert [t.table for t in plan.tables] == ["erp.order_lines", "erp.orders", "erp.contacts"]
    lines = plan.tables[0]
    assert [h.target for h in lines.path] == ["erp.orders", "erp.contacts"]
    assert lines.bound == D(2019, 1, 1)
    contacts = plan.tables[2]
    assert contacts.path == ()
    # the contact is referenced by held invoices: that hold counts against it
    assert [(e.child, h.name) for e, h in contacts.dependant_holds] == [
        ("erp.invoices", "bookkeeping")
    ]


def test_an_unknown_rule_names_the_rules_there_are() -> None:
    from skydd.datamap.models import DataMap

    with pytest.raises(SkyddError, match="no retention rule 'nope'") as info:
        plan_retention(DataMap.model_validate(MAP), D(2026, 1, 1), rule="nope")
    assert info.value.hint == "rules in the map: order_data"


def test_find_path_goes_up_and_down_references() -> None:
    from skydd.datamap.models import DataMap
    from skydd.planning.graph import build_graph

    graph = build_graph(DataMap.model_validate(MAP))
    up = find_path(graph, "erp.order_lines", "erp.contacts")
    assert up is not None and [h.up for h in up] == [True, True]
    down = find_path(graph, "erp.contacts", "erp.order_lines")
    assert down is not None and [h.up for h in down] == [False, False]
    sideways = find_path(graph, "erp.orders", "erp.invoices")
    assert sideways is not None and [h.target for h in sideways] == ["erp.contacts", "erp.invoices"]
    assert find_path(graph, "erp.orders", "erp.notes") is None
    assert find_path(graph, "erp.orders", "erp.orders") == ()


def test_anchors_in_unlinked_tables_and_expressions_are_refused() -> None:
    from skydd.datamap.models import DataMap
    from skydd.planning.graph import build_graph

    graph = build_graph(DataMap.model_validate(MAP))
    with pytest.raises(SkyddError, match="not linked"):
        plan_anchor(
            graph, Anchor(latest_of=["contacts.last_contact", "notes.id"]), "erp.contacts", "r"
        )
    with pytest.raises(SkyddError, match="expressions are not supported"):
        plan_anchor(graph, Anchor(expression="now()"), "erp.contacts", "r")
    found = plan_anchor(
        graph,
        Anchor(latest_of=["erp.contacts.last_contact", "erp.invoices.fiscal_year_end"]),
        "erp.orders",
        "r",
    )
    assert found.root == "erp.contacts"
    assert found.own == ("last_contact",)
    assert [(tuple(h.target for h in p), c) for p, c in found.children] == [
        (("erp.invoices",), "fiscal_year_end")
    ]
