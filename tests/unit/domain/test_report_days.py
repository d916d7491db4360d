"""The days a report may be asked for, and the event window around them that never overflows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkin_protocol.report_days import (
    FIRST_REPORT_DAY,
    LAST_REPORT_DAY,
    check_report_day,
    check_report_days,
    widen_days,
)

TWO_DAYS = timedelta(days=2)


def test_the_report_range_is_this_century() -> None:
    assert date(2000, 1, 1) == FIRST_REPORT_DAY and date(2099, 12, 31) == LAST_REPORT_DAY


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2026, 11, 29), date(2099, 12, 31)])
def test_days_in_the_range_pass(day: date) -> None:
    assert check_report_day(day) == day


@pytest.mark.parametrize("day", [date.min, date(1999, 12, 31), date(2100, 1, 1), date.max])
def test_days_out_of_the_range_are_a_value_error_that_names_the_range(day: date) -> None:
    with pytest.raises(ValueError, match=f"{day} is out of range: give a day from 2000-01-01 to 2099-12-31"):
        check_report_day(day)


def test_a_range_that_ends_before_it_starts_is_a_value_error() -> None:
    check_report_days(date(2026, 11, 29), date(2026, 11, 29))
    with pytest.raises(ValueError, match="the last day 2026-11-28 is before the first day 2026-11-29"):
        check_report_days(date(2026, 11, 29), date(2026, 11, 28))


def test_widening_inside_the_calendar_is_plain_arithmetic() -> None:
    assert widen_days(date(2026, 11, 29), date(2026, 11, 30), TWO_DAYS, TWO_DAYS + timedelta(days=1)) == (
        date(2026, 11, 27),
        date(2026, 12, 3),
    )


@given(first=st.dates(), length=st.integers(0, 800), before=st.integers(0, 9), after=st.integers(0, 9))
def test_widening_stops_at_the_ends_of_the_calendar_instead_of_overflowing(
    first: date, length: int, before: int, after: int
) -> None:
    last = first + timedelta(days=min(length, (date.max - first).days))
    since, until = widen_days(first, last, timedelta(days=before), timedelta(days=after))
    assert date.min <= since <= first <= last <= until <= date.max
    assert (until - last).days == min(after, (date.max - last).days)
    assert (first - since).days == min(before, (first - date.min).days)
