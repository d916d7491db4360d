"""``kiosk-cloud report``: its CSV never starts a formula, and no day asked for ends in a traceback."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers.hostile_text import DDE_PAYLOADS, TRIGGERS, csv_cells, hostile_text, neutralised
from hypothesis import given, settings

from checkin_protocol.models import Action, ClockReading, Event, Method
from checkin_protocol.visits import Visit
from cloud.cli import cli
from cloud.reports import CSV_COLUMNS, Report, build_report, write_visits_csv
from cloud.storage import Storage

DAY = date(2026, 3, 12)


def _visit(volunteer_id: str, activity_id: str, kiosk_id: str) -> Visit:
    clock = ClockReading(datetime(2026, 3, 12, 1, 0, tzinfo=UTC), 480, 10**12, "boot")
    check_in = Event("e1", kiosk_id, 1, volunteer_id, activity_id, Action.CHECK_IN, Method.QR, clock)
    return Visit(volunteer_id, activity_id, check_in, None, None, 0, DAY)


def _csv_rows(report: Report) -> list[list[str]]:
    out = io.StringIO()
    write_visits_csv(report, out)
    cells = csv_cells(out.getvalue())
    width = len(CSV_COLUMNS)
    return [cells[i : i + width] for i in range(0, len(cells), width)]


@settings(max_examples=200, deadline=None)
@given(volunteer_id=hostile_text, name=hostile_text, activity_id=hostile_text, kiosk_id=hostile_text)
def test_every_cloud_csv_cell_is_the_original_text_quoted_when_it_would_start_a_formula(
    volunteer_id: str, name: str, activity_id: str, kiosk_id: str
) -> None:
    visit = _visit(volunteer_id, activity_id, kiosk_id)
    report = Report(DAY, DAY, [visit], [], [visit], [], {volunteer_id: name})
    header, row = _csv_rows(report)
    assert header == list(CSV_COLUMNS)
    assert all(cell[:1] not in TRIGGERS for cell in row), row
    assert neutralised(row[1], volunteer_id) and neutralised(row[2], name)
    assert neutralised(row[3], activity_id) and neutralised(row[6], kiosk_id)
    assert row[0] == "2026-03-12" and row[10] == "0" and row[12] == "open"


def test_dde_payloads_as_names_are_quoted(tmp_path: Path) -> None:
    visits = [_visit(f"V{i}", "A1", "K1") for i in range(len(DDE_PAYLOADS))]
    names = {f"V{i}": payload for i, payload in enumerate(DDE_PAYLOADS)}
    rows = _csv_rows(Report(DAY, DAY, visits, [], [], [], names))
    assert [row[2] for row in rows[1:]] == ["'" + payload for payload in DDE_PAYLOADS]


@pytest.mark.parametrize(
    ("first", "last"),
    [(date.min, date.min), (date.max, date.max), (date.min, date.max), (date(1, 1, 2), date(9999, 12, 30))],
)
def test_build_report_answers_for_the_ends_of_the_calendar(
    cloud_store: Storage, first: date, last: date
) -> None:
    report = build_report(cloud_store, first, last)
    assert (report.first, report.last, report.visits) == (first, last, [])


def test_build_report_refuses_a_range_that_ends_before_it_starts(cloud_store: Storage) -> None:
    with pytest.raises(ValueError, match="2026-03-11 is before the first day 2026-03-12"):
        build_report(cloud_store, DAY, date(2026, 3, 11))


def _cloud(data: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "0001-01-01", "--to", "9999-12-31"], "'--from': 0001-01-01 is out of range"),
        (["--date", "9999-12-31"], "'--date': 9999-12-31 is out of range"),
        (["--to", "2100-01-01"], "'--to': 2100-01-01 is out of range"),
        (["--date", "1999-12-31"], "give a day from 2000-01-01 to 2099-12-31"),
        (["--date", "2026-02-30"], "'--date': '2026-02-30' is not a date: use YYYY-MM-DD"),
        (
            ["--from", "2026-03-12", "--to", "2026-03-11"],
            "--to is before --from (2026-03-11 is before 2026-03-12)",
        ),
    ],
)
def test_report_refuses_days_out_of_range_with_a_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    data = tmp_path / "cloud-data"
    assert _cloud(data, "init").exit_code == 0
    result = _cloud(data, "report", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, OverflowError)


def test_report_accepts_the_first_and_the_last_day_of_the_range(tmp_path: Path) -> None:
    data = tmp_path / "cloud-data"
    assert _cloud(data, "init").exit_code == 0
    result = _cloud(data, "report", "--from", "2000-01-01", "--to", "2099-12-31")
    assert result.exit_code == 0, result.output
    assert "Service hours 2000-01-01 to 2099-12-31: 0 visits" in result.output
