"""The desk report answers for any days Python can hold: the edges of the calendar do not overflow."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.fakes import FakeClock, add_activities, make_activity, make_service

from checkin_protocol.models import Identity, Method
from checkin_protocol.policy import AttendancePolicy
from kiosk.services.desk_reports import build_desk_report
from kiosk.store.database import Store

DAY = date(2026, 11, 29)  # FakeClock's day


@pytest.fixture
def scanned_store(store: Store) -> Store:
    """The kiosk store with activity A1 and one check-in by card."""
    add_activities(store, make_activity("A1"))
    outcome = make_service(store, FakeClock()).scan(Identity("V1", "某*", Method.QR, card_no=1), "A1")
    assert outcome.confirmed, outcome
    return store


@pytest.mark.parametrize(
    ("first", "last"),
    [(date.min, date.min), (date.max, date.max), (date.min, date.max), (date(1, 1, 2), date(9999, 12, 30))],
)
def test_the_ends_of_the_calendar_give_a_report_not_an_overflow(
    scanned_store: Store, first: date, last: date
) -> None:
    report = build_desk_report(scanned_store.writer, AttendancePolicy(), first, last)
    assert (report.first, report.last) == (first, last)
    assert report.visit_count == (1 if first <= DAY <= last else 0)


def test_a_range_that_ends_before_it_starts_is_a_value_error(scanned_store: Store) -> None:
    with pytest.raises(ValueError, match="before the first"):
        build_desk_report(scanned_store.writer, AttendancePolicy(), date.max, date.min)
