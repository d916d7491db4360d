"""Writing a :class:`~kiosk.services.desk_reports.DeskReport` as CSV and as XLSX.

The files are for a Chinese coordinator: their headers and labels are the
English source texts of :mod:`kiosk.services.report_words`, put into the
document's language by the ``translate`` every writer takes (a
:data:`~kiosk.services.report_words.Translate`). The desk and ``kiosk
report`` pass the document translator of :mod:`kiosk.ui.document_language`
(``zh_CN``, from the Qt Linguist translation files, whatever the screen's
language), so the files read as below; the printed report
(``kiosk.ui.printing``) uses the same labels. There is one header row per
table, in the document's language only: a second (English) header row
would break sorting and filtering in Excel/WPS.

CSV (UTF-8 with BOM, so Excel and WPS open Chinese correctly): one table,
the per-volunteer rows (:data:`~kiosk.services.report_words.VOLUNTEER_HEADERS`),
ordered as in the report, and a last row ``合计`` (Total) with the totals.
The visits one by one are in the XLSX, or in ``kiosk export``'s CSV.

XLSX, one sheet each (the Chinese names; the sources are in ``report_words``):

- ``汇总``: the period, the activity and the totals, as label/value rows;
- ``志愿者``: ``VOLUNTEER_HEADERS``, one row per volunteer, then ``合计``;
- ``服务类别``: ``GROUP_HEADERS`` (the first column 服务类别), then ``合计``;
- ``组织``: ``GROUP_HEADERS`` (the first column 组织), then ``合计``;
- ``签到记录``: ``VISIT_HEADERS``, one row per visit in check-in order.

The header row is bold and frozen; counts are integers, hours numbers with
two decimals, dates and times real Excel dates (device-local time, without a
time zone: Excel has none). The hours format is chosen by the column's source
text (:data:`~kiosk.services.report_words.HOURS`), not by its translated
header. In a ``合计`` row the volunteers column counts distinct volunteers,
so it is not the sum of the rows above.

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
from kiosk.services import report_words as words
from kiosk.services.desk_reports import DeskReport, GroupTotal, VisitRow
from kiosk.services.report_words import Translate, fill

if TYPE_CHECKING:  # openpyxl takes 0.1 s to import: only when a workbook is written
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

_HOURS_COLUMNS = frozenset({words.HOURS})
"""The columns (by source text) whose numbers are hours, written with two decimals."""
_HOURS_FORMAT = "0.00"
_DATE_FORMAT = "yyyy-mm-dd"
_TIME_FORMAT = "yyyy-mm-dd hh:mm"
_HEADER_COLOUR = "FFE8EEF4"
_MAX_WIDTH = 60


# -- shared labels ----------------------------------------------------------------


def headers(sources: Sequence[str], translate: Translate) -> list[str]:
    """The header row of ``sources`` (texts of ``report_words``) in the document's language."""
    return [translate(source) for source in sources]


def group_sources(label: str) -> tuple[str, ...]:
    """The source headers of a totals table whose first column is ``label`` (category or organisation)."""
    return tuple(label if h == words.GROUP_COLUMN else h for h in words.GROUP_HEADERS)


def group_headers(label: str, translate: Translate) -> list[str]:
    """The header row of a totals table whose first column is ``label`` (服务类别 or 组织)."""
    return headers(group_sources(label), translate)


def review_text(reasons: Sequence[ReviewReason], translate: Translate) -> str:
    """The review reasons of a visit, separated by "；" in Chinese."""
    labels = (translate(words.REVIEW_LABELS[r]) if r in words.REVIEW_LABELS else r.value for r in reasons)
    return translate(words.LIST_SEPARATOR).join(labels)


def period_text(report: DeskReport, translate: Translate) -> str:
    """ "2026-11-29" for one day, "2026-11-01 至 2026-11-30" for a range (in Chinese)."""
    if report.first == report.last:
        return report.first.isoformat()
    return fill(translate(words.PERIOD_RANGE), report.first.isoformat(), report.last.isoformat())


def report_title(report: DeskReport, translate: Translate) -> str:
    """The title of the report's files: "志愿服务时长报表 <period>" in Chinese."""
    return f"{translate(words.REPORT_TITLE)} {period_text(report, translate)}"


def _summary_rows(report: DeskReport, translate: Translate) -> list[tuple[str, str | int | float]]:
    """The headline figures as (source label, value) pairs, in ``SUMMARY_LABELS`` order."""
    values: list[str | int | float] = [
        period_text(report, translate),
        report.activity_title or translate(words.ALL_ACTIVITIES),
        report.visit_count,
        report.volunteer_count,
        report.hours,
        report.to_review,
    ]
    return list(zip(words.SUMMARY_LABELS, values, strict=True))


def summary_pairs(report: DeskReport, translate: Translate) -> list[tuple[str, str | int | float]]:
    """The report's headline figures as (label, value) pairs, labels in the document's language."""
    return [(translate(label), value) for label, value in _summary_rows(report, translate)]


def volunteer_total_row(report: DeskReport, translate: Translate) -> list[str | int | float]:
    """The ``合计`` row under the volunteers: "N 人" in the name column, summed figures."""
    return [
        translate(words.TOTAL_LABEL),
        fill(translate(words.PEOPLE), report.volunteer_count),
        "",
        report.visit_count,
        report.hours,
        report.to_review,
    ]


def group_total_row(report: DeskReport, translate: Translate) -> list[str | int | float]:
    """The ``合计`` row under a totals table (distinct volunteers, not a sum)."""
    return [translate(words.TOTAL_LABEL), report.visit_count, report.volunteer_count, report.hours]


def group_row(total: GroupTotal) -> list[str | int | float]:
    """One group's row of a totals table: its name, visits, distinct volunteers and hours."""
    return [total.name, total.visits, total.volunteers, total.hours]


# -- CSV ----------------------------------------------------------------------------


def _two_decimals(hours: float) -> Decimal:
    """Hours as a number written with two decimals ("2.50"): a number, so never quoted as text."""
    return Decimal(f"{hours:.2f}")


def write_report_csv(report: DeskReport, path: Path, *, translate: Translate) -> Path:
    """Write the per-volunteer rows and the ``合计`` row as CSV (UTF-8 with BOM); returns ``path``.

    ``translate`` puts the headers and labels into the document's language.
    """
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(safe_row(headers(words.VOLUNTEER_HEADERS, translate)))
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
        total = volunteer_total_row(report, translate)
        writer.writerow(safe_row([*total[:4], _two_decimals(report.hours), *total[5:]]))
    return path


# -- XLSX ---------------------------------------------------------------------------


def _local_naive(moment: datetime | None) -> datetime | None:
    """Device-local wall time without its zone (Excel stores no time zone)."""
    return None if moment is None else moment.replace(tzinfo=None)


def visit_cells(visit: VisitRow, translate: Translate) -> list[str | int | float | date | datetime | None]:
    """One ``签到记录`` row, in :data:`~kiosk.services.report_words.VISIT_HEADERS` order."""
    on_site = translate(words.ON_SITE_LABEL) if visit.on_site else ""
    reasons = review_text(visit.review_reasons, translate) or on_site
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
    sources: Sequence[str],
    translate: Translate,
    rows: Sequence[Sequence[object]],
    total: Sequence[object] | None = None,
) -> None:
    """Headers of ``sources`` (bold, frozen), rows, an optional bold total row; formats and widths."""
    from openpyxl.styles import Alignment, Font, PatternFill

    _append(sheet, headers(sources, translate))
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
    _format_columns(sheet, sources)


def _format_columns(sheet: Worksheet, sources: Sequence[str]) -> None:
    """Number formats by column (hours by source text; dates, times) and widths from the contents."""
    from openpyxl.utils import get_column_letter

    for index, source in enumerate(sources, start=1):
        letter = get_column_letter(index)
        width = _display_width(sheet.cell(1, index).value)  # the header as written
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            width = max(width, _display_width(cell.value))
            if source in _HOURS_COLUMNS and isinstance(cell.value, float | int):
                cell.number_format = _HOURS_FORMAT
            elif isinstance(cell.value, datetime):
                cell.number_format = _TIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = _DATE_FORMAT
        sheet.column_dimensions[letter].width = min(width + 2, _MAX_WIDTH)


def _summary_sheet(sheet: Worksheet, report: DeskReport, translate: Translate) -> None:
    from openpyxl.styles import Font

    sheet.title = translate(words.SHEET_SUMMARY)
    rows = _summary_rows(report, translate)
    for label, value in rows:
        _append(sheet, [translate(label), value])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        if label in _HOURS_COLUMNS:
            sheet.cell(sheet.max_row, 2).number_format = _HOURS_FORMAT
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = min(max(_display_width(v) for _, v in rows) + 2, _MAX_WIDTH)


def build_workbook(report: DeskReport, translate: Translate) -> Workbook:
    """The report as a workbook with the sheets of the module docstring, words through ``translate``."""
    from openpyxl import Workbook

    book = Workbook()
    book.properties.title = report_title(report, translate)
    book.properties.creator = "volunteer-kiosk"
    _summary_sheet(book.active, report, translate)
    volunteer_rows = [
        [r.volunteer_id, r.name, r.organisation, r.visits, r.hours, r.to_review] for r in report.volunteers
    ]
    _fill_sheet(
        book.create_sheet(translate(words.SHEET_VOLUNTEERS)),
        words.VOLUNTEER_HEADERS,
        translate,
        volunteer_rows,
        volunteer_total_row(report, translate),
    )
    for title, label, totals in (
        (words.SHEET_CATEGORIES, words.CATEGORY_LABEL, report.categories),
        (words.SHEET_ORGANISATIONS, words.ORGANISATION_LABEL, report.organisations),
    ):
        rows = [group_row(t) for t in totals]
        sheet = book.create_sheet(translate(title))
        _fill_sheet(sheet, group_sources(label), translate, rows, group_total_row(report, translate))
    visits = book.create_sheet(translate(words.SHEET_VISITS))
    _fill_sheet(visits, words.VISIT_HEADERS, translate, [visit_cells(v, translate) for v in report.visits])
    visits.auto_filter.ref = visits.dimensions
    return book


def write_report_xlsx(report: DeskReport, path: Path, *, translate: Translate) -> Path:
    """Write the report as an XLSX workbook, words through ``translate``; returns ``path``."""
    build_workbook(report, translate).save(path)
    return path
