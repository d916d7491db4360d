"""Printable outputs: the desk report and the evacuation roll-call, as PDF or on a printer.

Each output is HTML laid out by a :class:`QTextDocument` and painted page by
page with a :class:`QPainter`, with "第 n 页 / 共 N 页" at the bottom of each
page. The same painting goes to a :class:`QPdfWriter` (:func:`write_report_pdf`,
:func:`write_roll_call_pdf`), to any other paged device such as a
``QPrinter`` from QtPrintSupport (:func:`print_html`), or to a
:class:`QImage` for an on-screen preview (:func:`render_html_page`). Only
QtGui is used here.

The contents are in Simplified Chinese
(:data:`kiosk.ui.document_language.DOCUMENT_LANGUAGE`), with the labels of
:mod:`kiosk.services.report_words` (context ``Report``) that the CSV and
XLSX files use: the printed sheets are documents for a Chinese coordinator,
like those files, so they do not follow the screen's language. This
module's own texts (titles, headings, table headers, the page footer) are
English source text marked with ``QT_TRANSLATE_NOOP("Printing", ...)``,
translated in the committed ``resources/i18n/kiosk_zh_CN.ts`` like the UI's.
Both are looked up with the document translator of
:mod:`kiosk.ui.document_language` (:func:`document_text`,
:data:`~kiosk.ui.document_language.REPORT_WORDS`), never installed in the application, so the command
line, which installs no translator, prints the same sheets as the desk. Chinese
renders with the first CJK font found
(:func:`kiosk.ui.i18n.choose_cjk_font`), and Qt's font fallback otherwise.

A :class:`QGuiApplication` must exist: :func:`ensure_gui_application` makes
one for the command line (offscreen when there is no display).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, time
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from kiosk.services import report_words
from kiosk.services.desk_reports import DeskReport, VisitRow
from kiosk.services.report_files import (
    group_headers,
    group_row,
    group_total_row,
    headers,
    review_text,
    summary_pairs,
    volunteer_total_row,
)
from kiosk.services.report_words import fill
from kiosk.ui import theme
from kiosk.ui.document_language import REPORT_WORDS, document_translate
from kiosk.ui.i18n import choose_cjk_font


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks ``source`` for ``pyside6-lupdate`` (which reads this name) and returns it unchanged.

    QtCore's own is typed as returning ``object``; :func:`document_text` translates the text later.
    """
    return source


PDF_DPI = 300
"""Resolution of the PDF's layout units (the text itself stays vector)."""
PREVIEW_DPI = 100
"""Resolution of preview images."""
MARGIN_MM = 15.0
FOOTER_MM = 8.0
BODY_PT = 10
CREATOR = "volunteer-kiosk"

RollCallPerson = tuple[str, str, str | None, datetime | time]
"""(name, volunteer_id, phone tail or None, local check-in time): the roll-call's row."""

CONTEXT = "Printing"
"""The translation context of this module's texts in the ``.ts`` files."""

ROLL_CALL_TITLE = QT_TRANSLATE_NOOP("Printing", "Evacuation roll call")
ROLL_CALL_HEADERS = (
    QT_TRANSLATE_NOOP("Printing", "No."),
    QT_TRANSLATE_NOOP("Printing", "Name"),
    QT_TRANSLATE_NOOP("Printing", "Volunteer ID"),
    QT_TRANSLATE_NOOP("Printing", "Phone (last digits)"),
    QT_TRANSLATE_NOOP("Printing", "Check-in time"),
    QT_TRANSLATE_NOOP("Printing", "Accounted for"),
)
TICK_BOX = "□"
_SPACER = "&nbsp;" * 6
REVIEW_HEADERS = (
    QT_TRANSLATE_NOOP("Printing", "Service date"),
    QT_TRANSLATE_NOOP("Printing", "Name"),
    QT_TRANSLATE_NOOP("Printing", "Volunteer ID"),
    QT_TRANSLATE_NOOP("Printing", "Activity"),
    QT_TRANSLATE_NOOP("Printing", "Check-in time"),
    QT_TRANSLATE_NOOP("Printing", "Check-out time"),
    QT_TRANSLATE_NOOP("Printing", "Why it needs review"),
)

_STYLE = f"""
<style>
h1 {{ font-size: 18pt; margin-bottom: 6pt; }}
h2 {{ font-size: 13pt; margin-top: 14pt; margin-bottom: 4pt; }}
table {{ border-collapse: collapse; border-color: {theme.PRINT_RULE}; }}
th {{ background-color: {theme.PRINT_HEADER_FILL}; font-weight: bold; }}
td.n {{ text-align: right; }}
tr.total td {{ font-weight: bold; background-color: {theme.PRINT_TOTAL_FILL}; }}
</style>
"""


# -- the documents' language ---------------------------------------------------------


_PRINTING_WORDS = document_translate(CONTEXT)


def document_text(source: str, *args: object) -> str:
    """``source`` (English, context :data:`CONTEXT`) in the document's language, ``%1``... filled in.

    The arguments replace ``%1``, ``%2``... in one pass, as given: escape the result for HTML.
    """
    return fill(_PRINTING_WORDS(source), *args)


def _headers(sources: Sequence[str]) -> list[str]:
    return [document_text(source) for source in sources]


# -- the application ------------------------------------------------------------------


def _without_display() -> bool:
    """Whether Qt would find no display to open (Linux without X11 or Wayland)."""
    if not sys.platform.startswith("linux") or "QT_QPA_PLATFORM" in os.environ:
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def ensure_gui_application() -> QGuiApplication:
    """The process's Qt GUI application; made offscreen-only when there is no display.

    Keep the returned object referenced while painting.
    """
    app = QGuiApplication.instance()
    if app is None:
        if _without_display():
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QGuiApplication(sys.argv[:1])
    if not isinstance(app, QGuiApplication):
        raise RuntimeError("a non-GUI QCoreApplication exists; PDFs need a QGuiApplication")
    return app


# -- HTML ---------------------------------------------------------------------------------


def _cell(value: object, *, header: bool = False) -> str:
    if header:
        return f"<th>{escape(str(value))}</th>"
    if isinstance(value, float):
        return f'<td class="n">{value:.2f}</td>'
    if isinstance(value, int):
        return f'<td class="n">{value}</td>'
    return f"<td>{escape(str(value))}</td>"


def html_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], total: Sequence[object] | None = None
) -> str:
    """A bordered full-width table; the header row repeats on every page; floats get 2 decimals."""
    head = "".join(_cell(h, header=True) for h in headers)
    body = "".join(f"<tr>{''.join(_cell(v) for v in row)}</tr>" for row in rows)
    if total is not None:
        body += f'<tr class="total">{"".join(_cell(v) for v in total)}</tr>'
    return (
        '<table border="1" cellspacing="0" cellpadding="4" width="100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _time_text(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def _review_row(visit: VisitRow) -> list[str]:
    return [
        visit.service_date.isoformat(),
        visit.name,
        visit.volunteer_id,
        visit.activity_title,
        _time_text(visit.check_in),
        _time_text(visit.check_out),
        review_text(visit.review_reasons, REPORT_WORDS),
    ]


def _fact(label: str, value: object) -> str:
    shown = f"{value:.2f}" if isinstance(value, float) else str(value)
    return f"{escape(label)}：<b>{escape(shown)}</b>"


def report_html(report: DeskReport, title: str) -> str:
    """The desk report: headline figures, per volunteer, per category, per organisation, visits to review."""
    pairs = summary_pairs(report, REPORT_WORDS)
    facts = "<br/>".join(
        _SPACER.join(_fact(label, value) for label, value in line) for line in (pairs[:2], pairs[2:])
    )
    volunteers = [
        [r.volunteer_id, r.name, r.organisation, r.visits, r.hours, r.to_review] for r in report.volunteers
    ]
    by_volunteer, by_category, by_organisation = _headers(
        (
            QT_TRANSLATE_NOOP("Printing", "By volunteer"),
            QT_TRANSLATE_NOOP("Printing", "By service category"),
            QT_TRANSLATE_NOOP("Printing", "By organisation"),
        )
    )
    parts = [
        _STYLE,
        f"<h1>{escape(title)}</h1>",
        f"<p>{facts}</p>",
        f"<h2>{escape(by_volunteer)}</h2>",
        html_table(
            headers(report_words.VOLUNTEER_HEADERS, REPORT_WORDS),
            volunteers,
            volunteer_total_row(report, REPORT_WORDS),
        ),
        f"<h2>{escape(by_category)}</h2>",
        html_table(
            group_headers(report_words.CATEGORY_LABEL, REPORT_WORDS),
            map(group_row, report.categories),
            group_total_row(report, REPORT_WORDS),
        ),
        f"<h2>{escape(by_organisation)}</h2>",
        html_table(
            group_headers(report_words.ORGANISATION_LABEL, REPORT_WORDS),
            map(group_row, report.organisations),
            group_total_row(report, REPORT_WORDS),
        ),
    ]
    to_review = [v for v in report.visits if v.needs_review]
    if to_review:
        heading = document_text(QT_TRANSLATE_NOOP("Printing", "Visits to review"))
        parts += [
            f"<h2>{escape(heading)}</h2>",
            html_table(_headers(REVIEW_HEADERS), map(_review_row, to_review)),
        ]
    return "".join(parts)


def _clock_text(moment: datetime | time, day: datetime) -> str:
    """HH:MM, with the date when the check-in was on another day than the roll-call."""
    if isinstance(moment, datetime) and moment.date() != day.date():
        return moment.strftime("%m-%d %H:%M")
    return moment.strftime("%H:%M")


def _roll_call_row(cells: Sequence[str]) -> str:
    """One person's row: the texts, then an empty tick box, all centred vertically."""
    texts = "".join(f'<td valign="middle">{escape(text)}</td>' for text in cells)
    box = f'<td align="center" valign="middle" style="font-size: 15pt;">{TICK_BOX}</td>'
    return f"<tr>{texts}{box}</tr>"


def roll_call_html(
    activity_title: str, venue: str, generated_at_local: datetime, people: Sequence[RollCallPerson]
) -> str:
    """The evacuation roll-call: big title, activity, venue, time, head count and a tick-box table."""
    rows = [
        [str(number), name, volunteer_id, tail or "", _clock_text(checked_in, generated_at_local)]
        for number, (name, volunteer_id, tail, checked_in) in enumerate(people, start=1)
    ]
    head = "".join(_cell(h, header=True) for h in _headers(ROLL_CALL_HEADERS))
    body = "".join(_roll_call_row(row) for row in rows)
    if not rows:
        nobody = escape(document_text(QT_TRANSLATE_NOOP("Printing", "Nobody is on site")))
        body = f'<tr><td colspan="{len(ROLL_CALL_HEADERS)}" align="center">{nobody}</td></tr>'
    facts = "<br/>".join(
        [
            escape(document_text(QT_TRANSLATE_NOOP("Printing", "Activity: %1"), activity_title)),
            escape(document_text(QT_TRANSLATE_NOOP("Printing", "Venue: %1"), venue)),
            escape(
                document_text(
                    QT_TRANSLATE_NOOP("Printing", "Made at: %1"),
                    generated_at_local.strftime("%Y-%m-%d %H:%M"),
                )
            ),
        ]
    )
    on_site = document_text(QT_TRANSLATE_NOOP("Printing", "On site: %1"), len(rows))
    signature = document_text(
        QT_TRANSLATE_NOOP(
            "Printing",
            "Counted by: ________________    Finished at: ________________    Present: ______",
        )
    )
    return "".join(
        [
            _STYLE,
            f'<h1 style="font-size: 26pt;" align="center">{escape(document_text(ROLL_CALL_TITLE))}</h1>',
            f'<p style="font-size: 13pt;">{facts}</p>',
            f'<p style="font-size: 20pt;"><b>{escape(on_site)}</b></p>',
            '<table border="1" cellspacing="0" cellpadding="5" width="100%" style="font-size: 12pt;">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
            f'<p style="font-size: 13pt; margin-top: 18pt;">{escape(signature)}</p>',
        ]
    )


# -- painting -------------------------------------------------------------------------------


def page_layout() -> QPageLayout:
    """A4 portrait with 15 mm margins."""
    margins = QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM)
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        margins,
        QPageLayout.Unit.Millimeter,
    )


def _footer_px(dpi: int) -> float:
    return FOOTER_MM / 25.4 * dpi


def _body_size(layout: QPageLayout, dpi: int) -> QSizeF:
    """The size of one page of text, in device pixels: the paint area less the footer."""
    paint = layout.paintRectPixels(dpi)
    return QSizeF(paint.width(), paint.height() - _footer_px(dpi))


def _body_font() -> QFont:
    """The CJK font at body size, without the ``locl`` OpenType feature.

    With ``locl``, Noto Sans CJK SC swaps the digits after a Latin letter
    ("V000000001") for glyphs outside its character map, which the PDF then
    cannot map back to text: the IDs could not be searched or copied.
    """
    font = choose_cjk_font(BODY_PT)
    font.setPointSize(BODY_PT)
    font.setFeature(QFont.Tag("locl"), 0)
    return font


def _document(html: str, device: QPaintDevice, body: QSizeF) -> QTextDocument:
    """The HTML laid out for ``device`` in pages of ``body`` size."""
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    document.setDefaultFont(_body_font())
    document.setDocumentMargin(0)
    document.setHtml(html)
    document.setPageSize(body)
    return document


def _paint_page(painter: QPainter, document: QTextDocument, page: int, dpi: int) -> None:
    """Page ``page`` (from 0) of the document, then its page number; the origin is the paint area's corner."""
    body = document.pageSize()
    top = page * body.height()
    painter.save()
    painter.translate(0, -top)
    document.drawContents(painter, QRectF(0, top, body.width(), body.height()))
    painter.restore()
    footer = QFont(document.defaultFont())
    footer.setPointSize(8)
    painter.setFont(footer)
    painter.drawText(
        QRectF(0, body.height(), body.width(), _footer_px(dpi)),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
        document_text(QT_TRANSLATE_NOOP("Printing", "Page %1 of %2"), page + 1, document.pageCount()),
    )


def print_html(html: str, device: QPagedPaintDevice) -> int:
    """Paint every page of ``html`` on a paged device (a PDF writer, a printer); returns the page count."""
    dpi = device.logicalDpiY()
    document = _document(html, device, _body_size(device.pageLayout(), dpi))
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("cannot start painting on the output device")
    try:
        for page in range(document.pageCount()):
            if page:
                device.newPage()
            _paint_page(painter, document, page, dpi)
    finally:
        painter.end()
    return document.pageCount()


def render_html_page(html: str, page: int = 0, dpi: int = PREVIEW_DPI) -> QImage:
    """One whole A4 page of ``html`` as an image, laid out like the PDF: for previews and checks."""
    layout = page_layout()
    full = layout.fullRectPixels(dpi)
    image = QImage(full.size(), QImage.Format.Format_RGB32)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(Qt.GlobalColor.white)
    document = _document(html, image, _body_size(layout, dpi))
    if not 0 <= page < document.pageCount():
        raise IndexError(f"page {page} of {document.pageCount()}")
    painter = QPainter(image)
    try:
        painter.translate(layout.paintRectPixels(dpi).topLeft())
        _paint_page(painter, document, page, dpi)
    finally:
        painter.end()
    return image


def write_pdf(html: str, path: Path, title: str) -> Path:
    """Write ``html`` as an A4 PDF at ``path`` (its folder must exist); returns ``path``."""
    if not path.parent.is_dir():
        raise FileNotFoundError(f"no folder {path.parent} for {path.name}")
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout())
    writer.setTitle(title)
    writer.setCreator(CREATOR)
    print_html(html, writer)  # the file is complete when the painting ends
    return path


# -- the two outputs ----------------------------------------------------------------------


def write_report_pdf(report: DeskReport, path: Path, title: str) -> Path:
    """The desk report as a PDF; returns ``path``."""
    return write_pdf(report_html(report, title), path, title)


def write_roll_call_pdf(
    activity_title: str,
    venue: str,
    generated_at_local: datetime,
    people: Sequence[RollCallPerson],
    path: Path,
) -> Path:
    """The evacuation roll-call of ``people`` (in the order given) as a PDF; returns ``path``."""
    html = roll_call_html(activity_title, venue, generated_at_local, people)
    return write_pdf(html, path, f"{document_text(ROLL_CALL_TITLE)} {activity_title}")
