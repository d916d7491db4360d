"""The words of the desk report's files: English source text, translated in document language.

The CSV, the XLSX and the printed report are documents for a Chinese
coordinator: their headers and labels are Simplified Chinese whatever the
screen's language. The texts here are English source text, marked with
:func:`QT_TRANSLATE_NOOP` in the context :data:`CONTEXT` so that
``scripts/build_translations.py --update`` (``pyside6-lupdate``, which reads
that name) puts them in ``resources/i18n/kiosk_zh_CN.ts`` like the UI's.

This module imports no Qt: the writers of :mod:`kiosk.services.report_files`
take a :data:`Translate` callable, and the callers pass the document
translator of :mod:`kiosk.ui.document_language` (language ``zh_CN``, loaded
from the compiled ``.qm``). :func:`untranslated` gives the English sources,
and a word missing from the ``.qm`` falls back to its English source.

A text is a column's identity as well as its header: the XLSX picks number
formats by the source text (:data:`HOURS`), never by the translated words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from checkin_protocol.visits import ReviewReason

Translate = Callable[[str], str]
"""Turns an English source text of :data:`CONTEXT` into the document's language."""

CONTEXT = "Report"
"""The translation context of these texts in the ``.ts`` files."""


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for ``pyside6-lupdate`` (which reads this name) and returns it unchanged."""
    return text


def untranslated(text: str) -> str:
    """The English source text itself: a :data:`Translate` for English documents and tests."""
    return text


# -- headers and labels -------------------------------------------------------------------

TOTAL_LABEL = QT_TRANSLATE_NOOP("Report", "Total")
"""The first cell of a totals row (合计)."""
PEOPLE = QT_TRANSLATE_NOOP("Report", "%1 person(s)")
"""The distinct volunteers in the name column of the volunteers' total row (``%1 人``)."""
PERIOD_RANGE = QT_TRANSLATE_NOOP("Report", "%1 to %2")
"""A period of several days, first and last (``%1 至 %2``)."""
LIST_SEPARATOR = QT_TRANSLATE_NOOP("Report", "; ")
"""Between the review reasons of one visit (the full-width ``；``)."""
REPORT_TITLE = QT_TRANSLATE_NOOP("Report", "Volunteer service hours report")
"""The title of the report files, before the period (志愿服务时长报表)."""

VOLUNTEER_ID = QT_TRANSLATE_NOOP("Report", "Volunteer ID")
NAME = QT_TRANSLATE_NOOP("Report", "Name")
ORGANISATION = QT_TRANSLATE_NOOP("Report", "Organisation")
"""A volunteer's organisation (所属组织)."""
VISITS = QT_TRANSLATE_NOOP("Report", "Visits")
"""A number of visits (签到次数)."""
VOLUNTEERS = QT_TRANSLATE_NOOP("Report", "Volunteers")
"""A number of distinct volunteers (志愿者人数)."""
HOURS = QT_TRANSLATE_NOOP("Report", "Service hours")
"""Hours, a number with two decimals in the XLSX (服务时长（小时）)."""
TO_REVIEW = QT_TRANSLATE_NOOP("Report", "To review")
"""A number of visits to review (待复核次数)."""

VOLUNTEER_HEADERS = (VOLUNTEER_ID, NAME, ORGANISATION, VISITS, HOURS, TO_REVIEW)
"""The per-volunteer table's headers (CSV, the XLSX's volunteers sheet, the PDF)."""
GROUP_COLUMN = "{group}"
"""Stands for the group's own label (:data:`CATEGORY_LABEL` or :data:`ORGANISATION_LABEL`)."""
GROUP_HEADERS = (GROUP_COLUMN, VISITS, VOLUNTEERS, HOURS)
"""A totals table's headers; the first column is the group's label."""
CATEGORY_LABEL = QT_TRANSLATE_NOOP("Report", "Service category")
ORGANISATION_LABEL = QT_TRANSLATE_NOOP("Report", "Organisation name")
"""The first column of the organisations' totals (组织; "Organisation" is the volunteer's 所属组织)."""

PERIOD = QT_TRANSLATE_NOOP("Report", "Report period")
ACTIVITY = QT_TRANSLATE_NOOP("Report", "Activity")
ALL_ACTIVITIES = QT_TRANSLATE_NOOP("Report", "All activities")
"""The activity of a report of every activity."""
SUMMARY_LABELS = (PERIOD, ACTIVITY, VISITS, VOLUNTEERS, HOURS, TO_REVIEW)
"""The labels of the headline figures, in order."""

VISIT_HEADERS = (
    QT_TRANSLATE_NOOP("Report", "Service date"),
    VOLUNTEER_ID,
    NAME,
    ORGANISATION,
    QT_TRANSLATE_NOOP("Report", "Activity ID"),
    QT_TRANSLATE_NOOP("Report", "Activity title"),
    CATEGORY_LABEL,
    QT_TRANSLATE_NOOP("Report", "Check-in time"),
    QT_TRANSLATE_NOOP("Report", "Check-out time"),
    QT_TRANSLATE_NOOP("Report", "Credited minutes"),
    HOURS,
    QT_TRANSLATE_NOOP("Report", "Why it needs review"),
)
"""The visits sheet's headers, one visit per row."""
ON_SITE_LABEL = QT_TRANSLATE_NOOP("Report", "On site (not checked out)")
"""The review column of a visit still open."""

SHEET_SUMMARY = QT_TRANSLATE_NOOP("Report", "Summary")
SHEET_VOLUNTEERS = QT_TRANSLATE_NOOP("Report", "By volunteer")
SHEET_CATEGORIES = QT_TRANSLATE_NOOP("Report", "By service category")
SHEET_ORGANISATIONS = QT_TRANSLATE_NOOP("Report", "By organisation")
SHEET_VISITS = QT_TRANSLATE_NOOP("Report", "All visits")

REVIEW_LABELS: dict[ReviewReason, str] = {
    ReviewReason.AUTO_CLOSED: QT_TRANSLATE_NOOP("Report", "Not checked out, closed automatically"),
    ReviewReason.CLOCK_JUMP: QT_TRANSLATE_NOOP("Report", "Device clock jumped"),
    ReviewReason.NEGATIVE_DURATION: QT_TRANSLATE_NOOP("Report", "Check-out before check-in"),
    ReviewReason.CAPPED: QT_TRANSLATE_NOOP("Report", "Longer than one visit may count"),
    ReviewReason.SUPERSEDED_CHECK_IN: QT_TRANSLATE_NOOP("Report", "Checked in again without checking out"),
}
"""Why a visit needs review, per reason."""

# -- placeholders in the report's data (kiosk.services.desk_reports) ------------------------

UNKNOWN_NAME = QT_TRANSLATE_NOOP("Report", "(not in the roster)")
"""The name shown for a volunteer ID that is not in the roster (（未登记）)."""
NO_ORGANISATION = QT_TRANSLATE_NOOP("Report", "(no organisation)")
"""The organisation shown for a volunteer without one, or not in the roster (（无所属组织）)."""
UNKNOWN_CATEGORY = QT_TRANSLATE_NOOP("Report", "(unknown category)")
"""The category of visits to an activity this kiosk does not know (（未知类别）)."""


def fill(text: str, *args: object) -> str:
    """``text`` with ``%1``, ``%2``... replaced by ``args`` in one pass (``%n`` without one stays)."""

    def one(match: re.Match[str]) -> str:
        number = int(match[1])
        return str(args[number - 1]) if 0 < number <= len(args) else match[0]

    return re.sub(r"%(\d)", one, text)
