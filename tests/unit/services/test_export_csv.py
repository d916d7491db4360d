"""``kiosk export``'s CSV from a real store: hostile names stay text, any day asked for is answered."""

from __future__ import annotations

import io
from datetime import date

import pytest
from helpers.fakes import FakeClock, add_activities, make_activity, make_service
from helpers.hostile_text import DDE_PAYLOADS, TRIGGERS, csv_cells, neutralised

from checkin_protocol.models import Identity, Method
from checkin_protocol.policy import AttendancePolicy
from kiosk.services.export import CSV_COLUMNS, visits_between, write_visits_csv
from kiosk.store.database import Store

DAY = date(2026, 11, 29)  # FakeClock's day (09:00 in China)
# Every trigger character, and the DDE payloads: one volunteer each (name and organisation alike).
HOSTILE = [*DDE_PAYLOADS, *(f"{trigger}SUM(A1:A9)" for trigger in TRIGGERS)]


@pytest.fixture
def hostile_store(store: Store) -> Store:
    """A kiosk whose roster and activity are hostile; each volunteer checked in once."""
    add_activities(store, make_activity("A1", title="=cmd|' /C calc'!A0"))
    with store.write() as db:
        for index, text in enumerate(HOSTILE):
            db.execute("INSERT INTO organisations VALUES (?, ?, 'village', NULL)", [f"ORG-{index}", text])
            db.execute(
                "INSERT INTO volunteers (volunteer_id, name, org_id) VALUES (?, ?, ?)",
                [f"V{index:09d}", text, f"ORG-{index}"],
            )
    clock = FakeClock()
    service = make_service(store, clock)
    for index in range(len(HOSTILE)):
        clock.advance(60)
        outcome = service.scan(Identity(f"V{index:09d}", "某*", Method.QR, card_no=1), "A1")
        assert outcome.confirmed, outcome
    return store


def _export(store: Store, first: date, last: date) -> list[list[str]]:
    out = io.StringIO()
    write_visits_csv(store.writer, visits_between(store.writer, first, last, AttendancePolicy()), out)
    cells = csv_cells(out.getvalue())
    width = len(CSV_COLUMNS)
    return [cells[i : i + width] for i in range(0, len(cells), width)]


def test_no_exported_cell_starts_a_formula_and_each_name_reads_back(hostile_store: Store) -> None:
    rows = _export(hostile_store, DAY, DAY)
    assert len(rows) == 1 + len(HOSTILE)
    assert all(cell[:1] not in TRIGGERS for row in rows for cell in row)
    by_id = {row[1]: row for row in rows[1:]}
    for index, text in enumerate(HOSTILE):
        row = by_id[f"V{index:09d}"]
        assert neutralised(row[2], text) and neutralised(row[3], text), row
        assert row[5] == "'=cmd|' /C calc'!A0"
    assert rows[1][0] == "2026-11-29" and rows[1][10] == "0"  # dates and figures are left as they are


@pytest.mark.parametrize(
    ("first", "last"),
    [(date.min, date.min), (date.max, date.max), (date.min, date.max), (date(1, 1, 2), date(9999, 12, 30))],
)
def test_any_days_python_can_hold_are_answered_without_overflowing(
    hostile_store: Store, first: date, last: date
) -> None:
    visits = visits_between(hostile_store.writer, first, last, AttendancePolicy())
    assert len(visits) == (len(HOSTILE) if first <= DAY <= last else 0)


def test_a_range_that_ends_before_it_starts_is_refused_with_a_message(hostile_store: Store) -> None:
    with pytest.raises(ValueError, match="2026-11-28 is before the first day 2026-11-29"):
        visits_between(hostile_store.writer, DAY, date(2026, 11, 28), AttendancePolicy())
