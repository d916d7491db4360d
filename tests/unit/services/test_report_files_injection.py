"""The desk report's CSV and XLSX never start a formula, whatever the roster and activities say."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from tempfile import TemporaryDirectory

from helpers.hostile_text import DDE_PAYLOADS, TRIGGERS, formula_free, hostile_text, neutralised
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from checkin_protocol.visits import ReviewReason
from kiosk.services.desk_reports import DeskReport, VisitRow, group_totals, volunteer_rows
from kiosk.services.report_files import write_report_csv, write_report_xlsx
from kiosk.ui.document_language import REPORT_WORDS

CHINA = timezone(timedelta(hours=8))
DAY = date(2026, 11, 29)


def _report(people: list[tuple[str, str, str]], title: str, category: str) -> DeskReport:
    """One 90-minute visit per person to one activity; ``people`` are (ID, name, organisation)."""
    visits = [
        VisitRow(
            service_date=DAY,
            volunteer_id=volunteer_id,
            name=name,
            organisation=organisation,
            activity_id="A1",
            activity_title=title,
            category=category,
            check_in=datetime(2026, 11, 29, 9, index % 60, tzinfo=CHINA),
            check_out=datetime(2026, 11, 29, 10, 30, tzinfo=CHINA),
            credited_seconds=5400,
            review_reasons=(ReviewReason.CAPPED,) if index % 2 else (),
            on_site=False,
        )
        for index, (volunteer_id, name, organisation) in enumerate(people)
    ]
    return DeskReport(
        first=DAY,
        last=DAY,
        activity_id="A1",
        activity_title=title,
        volunteers=volunteer_rows(visits),
        categories=group_totals(visits, "category"),
        organisations=group_totals(visits, "organisation"),
        visits=tuple(visits),
    )


# Unique IDs: a report has one row per volunteer ID.
def _as_xml_reads_it(text: str) -> str:
    """XML reads every carriage return back as a line feed (the workbook still starts it with a quote)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


people = st.lists(
    st.tuples(hostile_text, hostile_text, hostile_text), min_size=1, max_size=6, unique_by=lambda p: p[0]
)


@settings(max_examples=150, deadline=None)
@given(people=people, title=hostile_text, category=hostile_text)
def test_every_csv_cell_is_the_original_text_quoted_when_it_would_start_a_formula(
    people: list[tuple[str, str, str]], title: str, category: str
) -> None:
    with TemporaryDirectory() as folder:
        path = write_report_csv(
            _report(people, title, category), Path(folder) / "r.csv", translate=REPORT_WORDS
        )
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    for row in rows[1:-1]:
        assert all(cell[:1] not in TRIGGERS for cell in row), f"a cell would start a formula: {row!r}"
    for volunteer_id, name, organisation in people:
        (row,) = [row for row in rows[1:-1] if neutralised(row[0], volunteer_id)]
        assert neutralised(row[1], name) and neutralised(row[2], organisation), (row, name, organisation)
    # Counts and hours stay plain numbers (a negative figure would be a number too, not quoted text).
    assert all(row[3].isdigit() and row[5].isdigit() for row in rows[1:])


# Titles compared as they read back: not empty (an empty cell reads back as None), and without
# the C0 controls XML cannot hold (they become U+FFFD: see the last test of this file).
readable_text = hostile_text.filter(lambda t: t != "" and not ILLEGAL_CHARACTERS_RE.search(t))


@settings(max_examples=25, deadline=None)
@given(people=people, title=readable_text, category=readable_text)
def test_no_xlsx_cell_is_a_formula_and_text_reads_back_neutralised(
    people: list[tuple[str, str, str]], title: str, category: str
) -> None:
    with TemporaryDirectory() as folder:
        path = write_report_xlsx(
            _report(people, title, category), Path(folder) / "r.xlsx", translate=REPORT_WORDS
        )
        assert formula_free(path), "a worksheet holds an <f> formula element"
        book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in TRIGGERS, f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
    visits = list(book["签到记录"].iter_rows(min_row=2, values_only=True))
    title, category = _as_xml_reads_it(title), _as_xml_reads_it(category)
    assert all(neutralised(str(row[5]), title) and neutralised(str(row[6]), category) for row in visits)
    assert neutralised(str(book["汇总"]["B2"].value), title)


def test_dde_payloads_in_every_sheet_are_quoted_text_with_real_numbers_and_dates(tmp_path: Path) -> None:
    payloads = list(DDE_PAYLOADS)
    report = _report([(f"V{i}", p, p) for i, p in enumerate(payloads)], DDE_PAYLOADS[0], DDE_PAYLOADS[1])
    path = write_report_xlsx(report, tmp_path / "r.xlsx", translate=REPORT_WORDS)
    assert formula_free(path)
    book = load_workbook(path)
    names = {row[1] for row in book["志愿者"].iter_rows(min_row=2, values_only=True)}
    assert names >= {"'" + _as_xml_reads_it(p) for p in payloads}
    organisations = {row[0] for row in book["组织"].iter_rows(min_row=2, values_only=True)}
    assert "'=cmd|' /C calc'!A0" in organisations and "'@SUM(1+1)*cmd|' /C calc'!A0" in organisations
    assert book["服务类别"]["A2"].value == "'@SUM(1+1)*cmd|' /C calc'!A0"
    first_visit = next(book["签到记录"].iter_rows(min_row=2, values_only=True))
    assert first_visit[0] == datetime(2026, 11, 29) and first_visit[7] == datetime(2026, 11, 29, 9, 0)
    assert isinstance(first_visit[9], int) and isinstance(first_visit[10], float)


def test_a_control_character_in_a_title_does_not_stop_the_workbook(tmp_path: Path) -> None:
    """XML cannot hold most C0 controls: such a character is replaced, not a crash."""
    report = _report([("V1", "张\x01三", "队")], "读书\x0b会", "文化")
    path = write_report_xlsx(report, tmp_path / "r.xlsx", translate=REPORT_WORDS)
    book = load_workbook(path)
    assert next(book["志愿者"].iter_rows(min_row=2, values_only=True))[1] == "张\ufffd三"
    assert book["汇总"]["B2"].value == "读书\ufffd会"
