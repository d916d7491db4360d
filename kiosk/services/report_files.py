"""Writing a :class:`~kiosk.services.desk_reports.DeskReport` as CSV and as XLSX.

The files are for a Chinese coordinator, so their headers and labels are in
Simplified Chinese only (one header row, no English line: a second header
row would break sorting and filtering in Excel/WPS). The same labels are used
by the printed report (``kiosk.ui.printing``). The kiosk screen's own texts
go through Qt's translations instead; these files are data, not UI.

CSV (UTF-8 with BOM, so Excel and WPS open Chinese correctly): one table,
the per-volunteer rows (:data:`VOLUNTEER_HEADERS`), ordered as in the report,
and a last row ``合计`` with the totals. The visits one by one are in the
XLSX, or in ``kiosk export``'s CSV.

XLSX, one sheet each:

- ``汇总``: the period, the activity and the totals, as label/value rows;
- ``志愿者``: :data:`VOLUNTEER_HEADERS`, one row per volunteer, then ``合计``;
- ``服务类别``: :data:`GROUP_HEADERS` (the first column 服务类别), then ``合计``;
- ``组织``: :data:`GROUP_HEADERS` (the first column 组织), then ``合计``;
- ``签到记录``: :data:`VISIT_HEADERS`, one row per visit in check-in order.

The header row is bold and frozen; counts are integers, hours numbers with
two decimals, dates and times real Excel dates (device-local time, without a
time zone: Excel has none). In a ``合计`` row the volunteers column counts
distinct volunteers, so it is not the sum of the rows above.

Names, organisations, IDs and titles come from rosters and activities other
people typed: every cell of both files goes through
:func:`checkin_protocol.spreadsheet_cells.safe_cell`, so text that would start a
formula (``=cmd|' /C calc'!A0``) is written with a leading ``'``; in the
workbook every text cell is also stored as a string, never as a formula, and
a control character XML cannot hold becomes U+FFFD instead of stopping the
file.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from checkin_protocol.spreadsheet_cells import safe_cell, safe_row
from checkin_protocol.visits import ReviewReason
from kiosk.services.desk_reports import DeskReport, GroupTotal, VisitRow

if TYPE_CHECKING:  # openpyxl takes 0.1 s to import: only when a workbook is written
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

TOTAL_LABEL = "合计"
VOLUNTEER_HEADERS = ("志愿者编号", "姓名", "所属组织", "签到次数", "服务时长（小时）", "待复核次数")
GROUP_HEADERS = ("{group}", "签到次数", "志愿者人数", "服务时长（小时）")
CATEGORY_LABEL = "服务类别"
ORGANISATION_LABEL = "组织"
VISIT_HEADERS = (
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
)
SHEET_SUMMARY = "汇总"
SHEET_VOLUNTEERS = "志愿者"
SHEET_CATEGORIES = "服务类别"
SHEET_ORGANISATIONS = "组织"
SHEET_VISITS = "签到记录"
ALL_ACTIVITIES = "全部活动"
ON_SITE_LABEL = "在场（未签退）"

REVIEW_LABELS: dict[ReviewReason, str] = {
    ReviewReason.AUTO_CLOSED: "未签退，已自动签退",
    ReviewReason.CLOCK_JUMP: "设备时钟跳变",
    ReviewReason.NEGATIVE_DURATION: "签退早于签到",
    ReviewReason.CAPPED: "超过单次时长上限",
    ReviewReason.SUPERSEDED_CHECK_IN: "重复签到，前次未签退",
}

_HOURS_FORMAT = "0.00"
_DATE_FORMAT = "yyyy-mm-dd"
_TIME_FORMAT = "yyyy-mm-dd hh:mm"
_HEADER_COLOUR = "FFE8EEF4"
_MAX_WIDTH = 60


# -- shared labels ----------------------------------------------------------------


def group_headers(label: str) -> tuple[str, ...]:
    """The headers of a totals table whose first column is ``label`` (服务类别 or 组织)."""
    return tuple(h.format(group=label) for h in GROUP_HEADERS)


def review_text(reasons: Sequence[ReviewReason]) -> str:
    """The review reasons of a visit in Chinese, separated by "；"."""
    return "；".join(REVIEW_LABELS.get(r, r.value) for r in reasons)


def period_text(report: DeskReport) -> str:
    """ "2026-11-29" for one day, "2026-11-01 至 2026-11-30" for a range."""
    if report.first == report.last:
        return report.first.isoformat()
    return f"{report.first.isoformat()} 至 {report.last.isoformat()}"


def summary_pairs(report: DeskReport) -> list[tuple[str, str | int | float]]:
    """The report's headline figures as (label, value) pairs."""
    return [
        ("报表期间", period_text(report)),
        ("活动", report.activity_title or ALL_ACTIVITIES),
        ("签到次数", report.visit_count),
        ("志愿者人数", report.volunteer_count),
        ("服务时长（小时）", report.hours),
        ("待复核次数", report.to_review),
    ]


def volunteer_total_row(report: DeskReport) -> list[str | int | float]:
    """The ``合计`` row under the volunteers: "N 人" in the name column, summed figures."""
    return [
        TOTAL_LABEL,
        f"{report.volunteer_count} 人",
        "",
        report.visit_count,
        report.hours,
        report.to_review,
    ]


def group_total_row(report: DeskReport) -> list[str | int | float]:
    """The ``合计`` row under a totals table (distinct volunteers, not a sum)."""
    return [TOTAL_LABEL, report.visit_count, report.volunteer_count, report.hours]


def group_row(total: GroupTotal) -> list[str | int | float]:
    return [total.name, total.visits, total.volunteers, total.hours]


# -- CSV ----------------------------------------------------------------------------


def _two_decimals(hours: float) -> Decimal:
    """Hours as a number written with two decimals ("2.50"): a number, so never quoted as text."""
    return Decimal(f"{hours:.2f}")


def write_report_csv(report: DeskReport, path: Path) -> Path:
    """Write the per-volunteer rows and the ``合计`` row as CSV (UTF-8 with BOM); returns ``path``."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(safe_row(VOLUNTEER_HEADERS))
        for row in report.volunteers:
            writer.writerow(
                safe_row(
                    [
                        row.volunteer_id,
                        row.name,
                        row.organisation,
                        row.visits,
                        _two_decimals(row.hours),
                        row.to_review,
                    ]
                )
            )
        total = volunteer_total_row(report)
        writer.writerow(safe_row([*total[:4], _two_decimals(report.hours), *total[5:]]))
    return path


# -- XLSX ---------------------------------------------------------------------------


def _local_naive(moment: datetime | None) -> datetime | None:
    """Device-local wall time without its zone (Excel stores no time zone)."""
    return None if moment is None else moment.replace(tzinfo=None)


def visit_cells(visit: VisitRow) -> list[str | int | float | date | datetime | None]:
    """One ``签到记录`` row, in :data:`VISIT_HEADERS` order."""
    reasons = review_text(visit.review_reasons) or (ON_SITE_LABEL if visit.on_site else "")
    return [
        visit.service_date,
        visit.volunteer_id,
        visit.name,
        visit.organisation,
        visit.activity_id,
        visit.activity_title,
        visit.category,
        _local_naive(visit.check_in),
        _local_naive(visit.check_out),
        visit.credited_minutes,
        visit.hours,
        reasons,
    ]


def _display_width(value: object) -> int:
    """Roughly how many character cells a value takes (Chinese characters take two)."""
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _xlsx_text(value: object) -> object:
    """A cell value for the workbook: text made safe, with characters XML cannot hold replaced."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = safe_cell(value)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    """Append a row; every text cell is stored as a string, so none can ever be a formula."""
    sheet.append([_xlsx_text(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl makes any text starting with "=" a formula: not here


def _fill_sheet(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    total: Sequence[object] | None = None,
) -> None:
    """Headers (bold, frozen), rows and an optional bold total row; number formats and widths."""
    from openpyxl.styles import Alignment, Font, PatternFill

    _append(sheet, headers)
    for row in rows:
        _append(sheet, row)
    if total is not None:
        _append(sheet, total)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", start_color=_HEADER_COLOUR)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.freeze_panes = "A2"
    _format_columns(sheet, headers)


def _format_columns(sheet: Worksheet, headers: Sequence[str]) -> None:
    """Number formats by header (hours, dates, times) and widths from the contents."""
    from openpyxl.utils import get_column_letter

    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        width = _display_width(header)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            width = max(width, _display_width(cell.value))
            if "小时" in header and isinstance(cell.value, float | int):
                cell.number_format = _HOURS_FORMAT
            elif isinstance(cell.value, datetime):
                cell.number_format = _TIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = _DATE_FORMAT
        sheet.column_dimensions[letter].width = min(width + 2, _MAX_WIDTH)


def _summary_sheet(sheet: Worksheet, report: DeskReport) -> None:
    from openpyxl.styles import Font

    sheet.title = SHEET_SUMMARY
    for label, value in summary_pairs(report):
        _append(sheet, [label, value])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        if "小时" in label:
            sheet.cell(sheet.max_row, 2).number_format = _HOURS_FORMAT
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = min(
        max(_display_width(v) for _, v in summary_pairs(report)) + 2, _MAX_WIDTH
    )


def build_workbook(report: DeskReport) -> Workbook:
    """The report as a workbook with the sheets described in the module docstring."""
    from openpyxl import Workbook

    book = Workbook()
    book.properties.title = f"志愿服务时长报表 {period_text(report)}"
    book.properties.creator = "volunteer-kiosk"
    _summary_sheet(book.active, report)
    volunteer_rows = [
        [r.volunteer_id, r.name, r.organisation, r.visits, r.hours, r.to_review] for r in report.volunteers
    ]
    _fill_sheet(
        book.create_sheet(SHEET_VOLUNTEERS), VOLUNTEER_HEADERS, volunteer_rows, volunteer_total_row(report)
    )
    for title, label, totals in (
        (SHEET_CATEGORIES, CATEGORY_LABEL, report.categories),
        (SHEET_ORGANISATIONS, ORGANISATION_LABEL, report.organisations),
    ):
        rows = [group_row(t) for t in totals]
        _fill_sheet(book.create_sheet(title), group_headers(label), rows, group_total_row(report))
    visits = book.create_sheet(SHEET_VISITS)
    _fill_sheet(visits, VISIT_HEADERS, [visit_cells(v) for v in report.visits])
    visits.auto_filter.ref = visits.dimensions
    return book


def write_report_xlsx(report: DeskReport, path: Path) -> Path:
    """Write the report as an XLSX workbook; returns ``path``."""
    build_workbook(report).save(path)
    return path
