"""The desk's files and printouts: the roll call of the on-site page and the report of the reports page.

Files go to the USB stick if one is in (``kiosk-exports/``), else to the
data folder's ``exports/``; the page then says which, in plain words (the
technical reason of a failure goes to the log). Printing asks for a printer
with the system's dialog. The words are translated in the context of the
desk's controller, where they were before this module was split off. The
files themselves are documents in the document language
(:mod:`kiosk.ui.document_language`), like the PDF: their words go through
the same translator as ``kiosk report``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtWidgets import QWidget

from checkin_protocol.models import Activity
from kiosk.clock import Clock
from kiosk.services.desk_reports import DeskReport
from kiosk.services.removable import find_usb_sticks
from kiosk.services.report_files import write_report_csv, write_report_xlsx
from kiosk.store import activities as activity_store
from kiosk.store.database import Transaction
from kiosk.ui.document_language import REPORT_WORDS
from kiosk.ui.printing import (
    RollCallPerson,
    print_html,
    report_html,
    roll_call_html,
    write_report_pdf,
    write_roll_call_pdf,
)
from kiosk.ui.screens.desk_on_site import OnSitePage
from kiosk.ui.screens.desk_reports_page import ReportsPage

log = logging.getLogger(__name__)

EXPORTS_FOLDER = "exports"


class DeskFiles(QObject):
    """Saves and prints what the on-site and reports pages show; ``report`` is the report shown."""

    def __init__(
        self,
        clock: Clock,
        reader: Transaction,
        usb_folder: str,
        data_folder: Path,
        on_site: OnSitePage,
        reports: ReportsPage,
        dialog_parent: QWidget,
    ) -> None:
        super().__init__()
        self._clock = clock
        self._reader = reader
        self._usb_folder = usb_folder
        self._data_folder = data_folder
        self._on_site = on_site
        self._reports = reports
        self._dialog_parent = dialog_parent
        self.report: DeskReport | None = None
        on_site.save_pdf_requested.connect(self._on_save_roll_call)
        on_site.print_requested.connect(self._on_print_roll_call)
        reports.save_requested.connect(self._on_save_report)
        reports.print_requested.connect(self._on_print_report)

    def _where(self) -> tuple[Path, bool]:
        """Where the coordinator's files go, and whether that is a USB stick.

        The stick if one is in, else the data folder's ``exports/``.
        """
        sticks = find_usb_sticks(self._usb_folder)
        folder = (sticks[0] / "kiosk-exports") if sticks else self._data_folder / EXPORTS_FOLDER
        return folder, bool(sticks)

    def _save(self, name: str, write: Callable[[Path], object]) -> tuple[str, bool]:
        """Write the file ``name`` with ``write``; what to tell the coordinator, and whether it worked."""
        folder, on_stick = self._where()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            write(path)
        except OSError as exc:
            log.error("%s not written in %s: %s", name, folder, exc)
            return _not_saved_words(on_stick), False
        return _saved_words(path, on_stick), True

    def _roll_call(self) -> tuple[Activity, datetime, list[RollCallPerson]] | None:
        activity_id = self._on_site.chosen_activity()
        activity = activity_store.get_activity(self._reader, activity_id) if activity_id else None
        if activity is None:
            return None
        people: list[RollCallPerson] = [
            (p.name, p.volunteer_id, p.phone_tail, p.checked_in_local) for p in self._on_site.people()
        ]
        return activity, self._clock.now().local, people

    @Slot()
    def _on_save_roll_call(self) -> None:
        roll_call = self._roll_call()
        if roll_call is None:
            return
        activity, now, people = roll_call
        words, saved = self._save(
            f"roll-call-{activity.activity_id}-{now:%Y%m%d-%H%M}.pdf",
            lambda path: write_roll_call_pdf(activity.title, activity.venue, now, people, path),
        )
        self._on_site.show_message(words, saved)

    @Slot()
    def _on_print_roll_call(self) -> None:
        roll_call = self._roll_call()
        if roll_call is not None:
            activity, now, people = roll_call
            self._print(roll_call_html(activity.title, activity.venue, now, people))

    def _print(self, html: str) -> None:
        """Print ``html`` on a printer the coordinator picks (the system's print dialog)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self._dialog_parent)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_html(html, printer)

    def _report_title(self, report: DeskReport) -> str:
        period = str(report.first) if report.first == report.last else f"{report.first} – {report.last}"
        title = QCoreApplication.translate("DeskController", "Volunteer service hours %1").replace(
            "%1", period
        )
        return f"{title} · {report.activity_title}" if report.activity_title else title

    @Slot(str)
    def _on_save_report(self, kind: str) -> None:
        report = self.report
        if report is None:
            return
        name = f"report-{report.first}-{report.last}" + (
            f"-{report.activity_id}" if report.activity_id else ""
        )

        def write(path: Path) -> None:
            if kind == "csv":
                write_report_csv(report, path, translate=REPORT_WORDS)
            elif kind == "xlsx":
                write_report_xlsx(report, path, translate=REPORT_WORDS)
            else:
                write_report_pdf(report, path, self._report_title(report))

        self._reports.show_message(*self._save(f"{name}.{kind}", write))

    @Slot()
    def _on_print_report(self) -> None:
        if self.report is not None:
            self._print(report_html(self.report, self._report_title(self.report)))


def _saved_words(path: Path, on_stick: bool) -> str:
    """Where a file went: the stick (its name is enough), or this computer (the whole path, to find it)."""
    if on_stick:
        return QCoreApplication.translate("DeskController", "Saved to the USB stick: %1").replace(
            "%1", path.name
        )
    words = QCoreApplication.translate("DeskController", "Saved on this computer (no USB stick found): %1")
    return words.replace("%1", str(path))


def _not_saved_words(on_stick: bool) -> str:
    """A file that could not be written, in words a coordinator can act on (the reason is in the log)."""
    if on_stick:
        return QCoreApplication.translate(
            "DeskController", "The file could not be saved on the USB stick: it may be full or locked."
        )
    return QCoreApplication.translate(
        "DeskController", "The file could not be saved on this computer: its disk may be full."
    )
