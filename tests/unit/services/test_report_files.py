"""CSV and XLSX reports, read back with ``csv`` and ``openpyxl`` and checked row by row."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from checkin_protocol.visits import ReviewReason
from kiosk.services.desk_reports import (
    NO_ORGANISATION,
    UNKNOWN_NAME,
    DeskReport,
    VisitRow,
    group_totals,
    volunteer_rows,
)
from kiosk.services.report_files import write_report_csv, write_report_xlsx

CHINA = timezone(timedelta(hours=8))
DAY = date(2026, 11, 29)
LIBRARY, EAST_LAKE = "江城市图书馆志愿服务队", "东湖社区志愿服务队"
READING, CLEANING = ("A1", "图书馆阅读推广志愿服务", "文化服务"), ("A2", "南湖湖岸清洁环保行动", "环境保护")


def _visit(
    volunteer: tuple[str, str, str],
    activity: tuple[str, str, str],
    start: tuple[int, int],
    minutes: int | None,
    reasons: tuple[ReviewReason, ...] = (),
) -> VisitRow:
    check_in = datetime(2026, 11, 29, *start, tzinfo=CHINA)
    return VisitRow(
        service_date=DAY,
        volunteer_id=volunteer[0],
        name=volunteer[1],
        organisation=volunteer[2],
        activity_id=activity[0],
        activity_title=activity[1],
        category=activity[2],
        check_in=check_in,
        check_out=None if minutes is None else check_in + timedelta(minutes=minutes),
        credited_seconds=(minutes or 0) * 60,
        review_reasons=reasons,
        on_site=minutes is None,
    )


LEI = ("V000000001", "雷彩霞", LIBRARY)
WANG = ("V000000002", "王芳", EAST_LAKE)
ZHANG = ("V000000003", "张大山", LIBRARY)
OUYANG = ("V000000004", "欧阳娜娜", EAST_LAKE)
STRANGER = ("V000000009", UNKNOWN_NAME, NO_ORGANISATION)


@pytest.fixture
def report() -> DeskReport:
    visits = [
        _visit(LEI, READING, (9, 0), 135),
        _visit(WANG, READING, (9, 10), 150),
        _visit(ZHANG, CLEANING, (9, 20), 180),
        _visit(STRANGER, READING, (9, 30), 210, (ReviewReason.AUTO_CLOSED,)),
        _visit(LEI, CLEANING, (12, 0), 45),
        _visit(OUYANG, READING, (12, 50), None),
    ]
    return DeskReport(
        first=DAY,
        last=DAY,
        activity_id=None,
        activity_title=None,
        volunteers=volunteer_rows(visits),
        categories=group_totals(visits, "category"),
        organisations=group_totals(visits, "organisation"),
        visits=tuple(visits),
    )


VOLUNTEER_HEADERS = ["志愿者编号", "姓名", "所属组织", "签到次数", "服务时长（小时）", "待复核次数"]
VOLUNTEER_ROWS = [
    ["V000000004", "欧阳娜娜", EAST_LAKE, 1, 0.0, 0],
    ["V000000002", "王芳", EAST_LAKE, 1, 2.5, 0],
    ["V000000001", "雷彩霞", LIBRARY, 2, 3.0, 0],
    ["V000000003", "张大山", LIBRARY, 1, 3.0, 0],
    ["V000000009", UNKNOWN_NAME, NO_ORGANISATION, 1, 3.5, 1],
]
VOLUNTEER_TOTAL = ["合计", "5 人", "", 6, 12.0, 1]
XLSX_VOLUNTEER_TOTAL = ["合计", "5 人", None, 6, 12.0, 1]  # an empty cell reads back as None


def test_the_csv_has_a_bom_the_volunteers_and_the_total(report: DeskReport, tmp_path: Path) -> None:
    path = write_report_csv(report, tmp_path / "report.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8 Chinese"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == VOLUNTEER_HEADERS
    expected = [[*row[:4], f"{row[4]:.2f}", *row[5:]] for row in [*VOLUNTEER_ROWS, VOLUNTEER_TOTAL]]
    assert rows[1:] == [[str(value) for value in row] for row in expected]


def test_the_xlsx_has_one_sheet_per_table(report: DeskReport, tmp_path: Path) -> None:
    book = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx"))
    assert book.sheetnames == ["汇总", "志愿者", "服务类别", "组织", "签到记录"]
    summary = [list(row) for row in book["汇总"].iter_rows(values_only=True)]
    assert summary == [
        ["报表期间", "2026-11-29"],
        ["活动", "全部活动"],
        ["签到次数", 6],
        ["志愿者人数", 5],
        ["服务时长（小时）", 12.0],
        ["待复核次数", 1],
    ]


def test_the_xlsx_volunteers_sheet_row_by_row(report: DeskReport, tmp_path: Path) -> None:
    sheet = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx"))["志愿者"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [VOLUNTEER_HEADERS, *VOLUNTEER_ROWS, XLSX_VOLUNTEER_TOTAL]
    assert all(cell.font.bold for cell in sheet[1]), "the header row is bold"
    assert sheet.freeze_panes == "A2"
    hours_cell = sheet["E3"]
    assert isinstance(hours_cell.value, float) and hours_cell.number_format == "0.00"
    assert isinstance(sheet["D3"].value, int)
    assert sheet.column_dimensions["C"].width >= 2 * len(LIBRARY), "wide enough for the Chinese names"


def test_the_xlsx_category_and_organisation_totals(report: DeskReport, tmp_path: Path) -> None:
    book = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx"))
    categories = [list(row) for row in book["服务类别"].iter_rows(values_only=True)]
    assert categories == [
        ["服务类别", "签到次数", "志愿者人数", "服务时长（小时）"],
        ["文化服务", 4, 4, 8.25],
        ["环境保护", 2, 2, 3.75],
        ["合计", 6, 5, 12.0],
    ]
    organisations = [list(row) for row in book["组织"].iter_rows(values_only=True)]
    assert organisations == [
        ["组织", "签到次数", "志愿者人数", "服务时长（小时）"],
        [LIBRARY, 3, 2, 6.0],
        [NO_ORGANISATION, 1, 1, 3.5],
        [EAST_LAKE, 2, 2, 2.5],
        ["合计", 6, 5, 12.0],
    ]


def test_the_xlsx_visits_have_real_dates_and_times(report: DeskReport, tmp_path: Path) -> None:
    sheet = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx"))["签到记录"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "服务日期",
        "志愿者编号",
        "姓名",
        "所属组织",
        "活动编号",
        "活动名称",
        "服务类别",
        "签到时间",
        "签退时间",
        "计入时长（分钟）",
        "服务时长（小时）",
        "待复核原因",
    ]
    assert len(rows) == 1 + 6
    # Excel has no date-only type: a date reads back as midnight of that day.
    assert rows[1] == [
        datetime(2026, 11, 29),
        "V000000001",
        "雷彩霞",
        LIBRARY,
        "A1",
        "图书馆阅读推广志愿服务",
        "文化服务",
        datetime(2026, 11, 29, 9, 0),
        datetime(2026, 11, 29, 11, 15),
        135,
        2.25,
        None,
    ]
    assert rows[4][2:3] + rows[4][9:] == [UNKNOWN_NAME, 210, 3.5, "未签退，已自动签退"]
    assert rows[6][8:] == [None, 0, 0.0, "在场（未签退）"]
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["H2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.auto_filter.ref == "A1:L7"


def test_an_empty_report_still_has_headers_and_a_zero_total(tmp_path: Path) -> None:
    empty = DeskReport(DAY, DAY, "A9", "某活动", (), (), (), ())
    with write_report_csv(empty, tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh)) == [VOLUNTEER_HEADERS, ["合计", "0 人", "", "0", "0.00", "0"]]
    book = load_workbook(write_report_xlsx(empty, tmp_path / "r.xlsx"))
    assert [list(r) for r in book["志愿者"].iter_rows(values_only=True)] == [
        VOLUNTEER_HEADERS,
        ["合计", "0 人", None, 0, 0.0, 0],
    ]
    assert book["汇总"]["B2"].value == "某活动"
