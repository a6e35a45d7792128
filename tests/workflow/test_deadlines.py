"""Deadlines by LEGAL.md DSR-1 and DSR-2, on the Swedish, Danish and British calendars."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skydd.errors import SkyddError
from skydd.workflow import add_months, deadline, is_working_day

D = dt.date
CALENDARS = [("SE", None), ("DK", None), ("GB", "SCT"), ("GB", "ENG")]


@pytest.mark.parametrize(("country", "sub"), CALENDARS)
def test_one_month_is_the_same_day_number_next_month(country: str, sub: str | None) -> None:
    # 5 April 2027 is a Monday and no holiday anywhere here.
    got = deadline(D(2027, 3, 5), country, subdivision=sub)
    assert got.date == D(2027, 4, 5)
    assert "2027-03-05" in got.rule and "1182/71" in got.rule


@pytest.mark.parametrize(("country", "sub"), CALENDARS)
@pytest.mark.parametrize(
    ("received", "due"),
    [(D(2025, 1, 31), D(2025, 2, 28)), (D(2024, 1, 31), D(2024, 2, 29)), (D(2025, 3, 31), None)],
)
def test_a_day_the_month_lacks_ends_on_its_last_day(
    country: str, sub: str | None, received: dt.date, due: dt.date | None
) -> None:
    got = deadline(received, country, subdivision=sub)
    if due is not None:
        assert got.date == due
        assert "last day of a month" in got.rule
    else:  # 31 March → 30 April 2025, a Wednesday
        assert got.date == D(2025, 4, 30)


@pytest.mark.parametrize(("country", "sub"), CALENDARS)
def test_a_saturday_end_moves_to_monday(country: str, sub: str | None) -> None:
    # AX-11's example: 5 April 2025 is a Saturday.
    got = deadline(D(2025, 3, 5), country, subdivision=sub)
    assert got.date == D(2025, 4, 7)
    assert "2025-04-05 is a Saturday" in got.rule


@pytest.mark.parametrize(
    ("country", "sub", "due"),
    [("SE", None, D(2025, 5, 5)), ("DK", None, D(2025, 5, 5)), ("GB", "SCT", D(2025, 5, 6)),
     ("GB", "ENG", D(2025, 5, 6))],
)  # fmt: skip
def test_a_sunday_end_moves_to_the_next_working_day(
    country: str, sub: str | None, due: dt.date
) -> None:
    # 4 May 2025 is a Sunday; Monday 5 May is the early May bank holiday in the UK only.
    got = deadline(D(2025, 4, 4), country, subdivision=sub)
    assert got.date == due
    assert "2025-05-04 is a Sunday" in got.rule


@pytest.mark.parametrize(
    ("received", "country", "sub", "due"),
    [
        # Easter Monday 6 April 2026: a holiday in Sweden, Denmark and England, not Scotland.
        (D(2026, 3, 6), "SE", None, D(2026, 4, 7)),
        (D(2026, 3, 6), "DK", None, D(2026, 4, 7)),
        (D(2026, 3, 6), "GB", "ENG", D(2026, 4, 7)),
        (D(2026, 3, 6), "GB", "SCT", D(2026, 4, 6)),
        # Good Friday 3 April 2026, then the weekend (and Easter Monday where it is one).
        (D(2026, 3, 3), "SE", None, D(2026, 4, 7)),
        (D(2026, 3, 3), "GB", "SCT", D(2026, 4, 6)),
        # Maundy Thursday 2 April 2026 is a holiday in Denmark only.
        (D(2026, 3, 2), "DK", None, D(2026, 4, 7)),
        (D(2026, 3, 2), "SE", None, D(2026, 4, 2)),
        # Sweden's National Day, 6 June 2024 (a Thursday).
        (D(2024, 5, 6), "SE", None, D(2024, 6, 7)),
        (D(2024, 5, 6), "DK", None, D(2024, 6, 6)),
        # Christmas: 25 and 26 December 2025 (Thursday, Friday), then the weekend.
        (D(2025, 11, 25), "SE", None, D(2025, 12, 29)),
        (D(2025, 11, 25), "GB", "SCT", D(2025, 12, 29)),
        # St Andrew's Day, Monday 30 November 2026, is a bank holiday in Scotland only.
        (D(2026, 10, 30), "GB", "SCT", D(2026, 12, 1)),
        (D(2026, 10, 30), "GB", "ENG", D(2026, 11, 30)),
    ],
)
def test_a_holiday_end_moves_to_the_next_working_day(
    received: dt.date, country: str, sub: str | None, due: dt.date
) -> None:
    got = deadline(received, country, subdivision=sub)
    assert got.date == due, got.rule
    if due != add_months(received, 1):
        assert "next working day" in got.rule


def test_an_extension_is_three_months_from_receipt_counted_the_same_way() -> None:
    assert deadline(D(2025, 11, 30), "SE", months=3).date == D(2026, 3, 2)  # 28 Feb → Sat → Mon
    assert deadline(D(2026, 1, 6), "SE", months=3).date == D(2026, 4, 7)  # Easter Monday
    assert "three months" in deadline(D(2026, 1, 6), "SE", months=3).rule


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(SkyddError, match="no public holiday calendar"):
        deadline(D(2026, 1, 1), "XX")
    with pytest.raises(SkyddError, match="not a subdivision of GB"):
        deadline(D(2026, 1, 1), "GB", subdivision="NOPE")
    with pytest.raises(SkyddError, match="1 to 3 months"):
        deadline(D(2026, 1, 1), "SE", months=4)
    assert deadline(D(2027, 3, 5), "uk").date == D(2027, 4, 5)


received_days = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))


@settings(max_examples=150, deadline=None)
@given(day=received_days, cal=st.sampled_from(CALENDARS), months=st.sampled_from([1, 3]))
def test_a_deadline_is_a_working_day_at_least_the_period_after_receipt(
    day: dt.date, cal: tuple[str, str | None], months: int
) -> None:
    country, sub = cal
    got = deadline(day, country, months=months, subdivision=sub).date
    end = add_months(day, months)
    assert got >= day + dt.timedelta(days=28 * months)
    assert is_working_day(got, country, sub)
    # The period ends no earlier than the same day number, and the move skips only
    # days off (never a working day), at most a long Easter or Christmas.
    assert end <= got <= end + dt.timedelta(days=6)
    gap = (got - end).days
    assert all(not is_working_day(end + dt.timedelta(days=i), country, sub) for i in range(gap))
    assert end.day == day.day or end.month != (end + dt.timedelta(days=1)).month
