"""CSV and XLSX reports, read back with ``csv`` and ``openpyxl`` and checked row by row.

The files are written with the document translator the desk and ``kiosk report`` use (the
compiled ``kiosk_zh_CN.qm``), and must read exactly as the Chinese files always did.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from checkin_protocol.visits import ReviewReason
from kiosk.services import report_words
from kiosk.services.desk_reports import DeskReport, VisitRow, group_totals, volunteer_rows
from kiosk.services.report_files import write_report_csv, write_report_xlsx
from kiosk.services.report_words import untranslated
from kiosk.ui.document_language import REPORT_WORDS, document_translate

CHINA = timezone(timedelta(hours=8))
DAY = date(2026, 11, 29)
LIBRARY, EAST_LAKE = "江城市图书馆志愿服务队", "东湖社区志愿服务队"
READING, CLEANING = ("A1", "图书馆阅读推广志愿服务", "文化服务"), ("A2", "南湖湖岸清洁环保行动", "环境保护")
# The report's placeholders, as build_desk_report puts them in with the document translator.
UNKNOWN_NAME, NO_ORGANISATION = "（未登记）", "（无所属组织）"


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
    path = write_report_csv(report, tmp_path / "report.csv", translate=REPORT_WORDS)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8 Chinese"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == VOLUNTEER_HEADERS
    expected = [[*row[:4], f"{row[4]:.2f}", *row[5:]] for row in [*VOLUNTEER_ROWS, VOLUNTEER_TOTAL]]
    assert rows[1:] == [[str(value) for value in row] for row in expected]


def test_the_xlsx_has_one_sheet_per_table(report: DeskReport, tmp_path: Path) -> None:
    book = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx", translate=REPORT_WORDS))
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
    assert book["汇总"]["B5"].number_format == "0.00"
    assert book.properties.title == "志愿服务时长报表 2026-11-29"


def test_the_xlsx_volunteers_sheet_row_by_row(report: DeskReport, tmp_path: Path) -> None:
    sheet = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx", translate=REPORT_WORDS))[
        "志愿者"
    ]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [VOLUNTEER_HEADERS, *VOLUNTEER_ROWS, XLSX_VOLUNTEER_TOTAL]
    assert all(cell.font.bold for cell in sheet[1]), "the header row is bold"
    assert sheet.freeze_panes == "A2"
    hours_cell = sheet["E3"]
    assert isinstance(hours_cell.value, float) and hours_cell.number_format == "0.00"
    assert isinstance(sheet["D3"].value, int)
    assert sheet.column_dimensions["C"].width >= 2 * len(LIBRARY), "wide enough for the Chinese names"


def test_the_xlsx_category_and_organisation_totals(report: DeskReport, tmp_path: Path) -> None:
    book = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx", translate=REPORT_WORDS))
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
    sheet = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx", translate=REPORT_WORDS))[
        "签到记录"
    ]
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
    with write_report_csv(empty, tmp_path / "r.csv", translate=REPORT_WORDS).open(
        encoding="utf-8-sig", newline=""
    ) as fh:
        assert list(csv.reader(fh)) == [VOLUNTEER_HEADERS, ["合计", "0 人", "", "0", "0.00", "0"]]
    book = load_workbook(write_report_xlsx(empty, tmp_path / "r.xlsx", translate=REPORT_WORDS))
    assert [list(r) for r in book["志愿者"].iter_rows(values_only=True)] == [
        VOLUNTEER_HEADERS,
        ["合计", "0 人", None, 0, 0.0, 0],
    ]
    assert book["汇总"]["B2"].value == "某活动"


def test_the_document_translator_is_what_makes_them_chinese(report: DeskReport, tmp_path: Path) -> None:
    """With the English sources (an identity translate) the same files come out in English."""
    path = write_report_csv(report, tmp_path / "report.csv", translate=untranslated)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Volunteer ID", "Name", "Organisation", "Visits", "Service hours", "To review"]
    assert rows[-1] == ["Total", "5 person(s)", "", "6", "12.00", "1"]
    book = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx", translate=untranslated))
    assert book.sheetnames == [
        "Summary",
        "By volunteer",
        "By service category",
        "By organisation",
        "All visits",
    ]
    assert book["Summary"]["A1"].value == "Report period"
    assert [c.value for c in book["By organisation"][1]] == [
        "Organisation name",
        "Visits",
        "Volunteers",
        "Service hours",
    ]
    visits = [list(row) for row in book["All visits"].iter_rows(values_only=True)]
    assert visits[4][11] == "Not checked out, closed automatically"
    assert visits[6][11] == "On site (not checked out)"
    # The hours format follows the column, not a word in its header.
    assert book["By volunteer"]["E3"].number_format == "0.00"
    assert book["All visits"]["K2"].number_format == "0.00"
    assert book["Summary"]["B5"].number_format == "0.00"
    assert book.properties.title == "Volunteer service hours report 2026-11-29"


def test_a_word_missing_from_the_translation_stays_english(
    report: DeskReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new word not yet in the .qm (or a context it lacks) is written in English, not an error."""
    assert document_translate("NoSuchContext")("Total") == "Total"
    monkeypatch.setattr(report_words, "TOTAL_LABEL", "Grand total")
    path = write_report_csv(report, tmp_path / "report.csv", translate=REPORT_WORDS)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == VOLUNTEER_HEADERS
    assert rows[-1][:2] == ["Grand total", "5 人"]
    book = load_workbook(write_report_xlsx(report, tmp_path / "report.xlsx", translate=REPORT_WORDS))
    assert [row[0].value for row in book["组织"].iter_rows(min_row=5)] == ["Grand total"]


def test_a_range_and_two_review_reasons_read_as_before(tmp_path: Path) -> None:
    reasons = (ReviewReason.CLOCK_JUMP, ReviewReason.CAPPED)
    visits = [_visit(LEI, READING, (9, 0), 135, reasons)]
    report = DeskReport(date(2026, 11, 1), DAY, None, None, volunteer_rows(visits), (), (), tuple(visits))
    book = load_workbook(write_report_xlsx(report, tmp_path / "r.xlsx", translate=REPORT_WORDS))
    assert book["汇总"]["B1"].value == "2026-11-01 至 2026-11-29"
    assert book["签到记录"]["L2"].value == "设备时钟跳变；超过单次时长上限"
    assert book.properties.title == "志愿服务时长报表 2026-11-01 至 2026-11-29"
