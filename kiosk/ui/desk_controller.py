"""Fills and wires the coordinator desk: reads on the UI thread's reader, writes on the writer thread.

The window owns one :class:`DeskController`. After a good PIN it calls
:meth:`open` with the coordinator, whose ``actor`` text goes on every change.
Reads (search, who is here, the review queue) use the window's read-only
connection and are fast enough for the UI thread (the search's p95 is in
``docs/performance.md``); every write goes to the writer thread through
:class:`~kiosk.ui.writer_tasks.WriterTasks` and its answer comes back here.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time
from pathlib import Path

from PySide6.QtCore import QObject, QTime, Slot
from PySide6.QtGui import QImage
from sqlite_utils import Database

from checkin_protocol.codes.tokens import VolunteerCard
from checkin_protocol.models import Activity, ActivityStatus
from kiosk.app import Kiosk
from kiosk.services.desk import ManualResult
from kiosk.services.desk_reports import DeskReport, build_desk_report, today_summary
from kiosk.services.on_site import people_on_site
from kiosk.services.pin import Coordinator
from kiosk.services.removable import find_usb_sticks
from kiosk.services.report_files import write_report_csv, write_report_xlsx
from kiosk.services.review import ReviewResult, review_queue
from kiosk.services.volunteer_search import VolunteerMatch, search_volunteers
from kiosk.store import activities as activity_store
from kiosk.store import events as event_store
from kiosk.store.roster import get_volunteer
from kiosk.ui.desk_face_controller import FaceDeskController
from kiosk.ui.face_worker import FaceThread
from kiosk.ui.printing import (
    RollCallPerson,
    print_html,
    report_html,
    roll_call_html,
    write_report_pdf,
    write_roll_call_pdf,
)
from kiosk.ui.screens.coordinator_menu import CoordinatorMenu
from kiosk.ui.screens.desk_face import FacePage
from kiosk.ui.screens.desk_on_site import OnSitePage
from kiosk.ui.screens.desk_reports_page import ReportsPage
from kiosk.ui.screens.desk_review import ReviewPage
from kiosk.ui.screens.desk_screen import DeskScreen
from kiosk.ui.screens.desk_sign_in import SignInPage
from kiosk.ui.writer_tasks import WriterTasks

log = logging.getLogger(__name__)

EXPORTS_FOLDER = "exports"


class DeskController(QObject):
    """The desk's pages, their data, and the coordinator who is in."""

    def __init__(
        self,
        kiosk: Kiosk,
        reader: Database,
        tasks: WriterTasks,
        menu: CoordinatorMenu,
        face: FaceThread | None = None,
    ) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.face = face  # the camera's face thread (enrolment), None without a camera
        self._reader = reader
        self._tasks = tasks
        self.coordinator: Coordinator | None = None
        self._shut = False
        self.sign_in = SignInPage()
        self.on_site = OnSitePage()
        self.review = ReviewPage()
        self.reports = ReportsPage()
        self.face_page = FacePage()
        self.faces = FaceDeskController(kiosk, reader, tasks, face, self.face_page)
        self._report: DeskReport | None = None
        self.screen = DeskScreen(
            {
                "activities": menu,
                "sign_in": self.sign_in,
                "on_site": self.on_site,
                "review": self.review,
                "reports": self.reports,
                "face": self.face_page,
            }
        )
        self.screen.page_shown.connect(self._on_page_shown)
        self.sign_in.query_changed.connect(self._on_query)
        self.sign_in.sign_in_requested.connect(self._on_sign_in)
        self.sign_in.sign_out_requested.connect(self._on_sign_out)
        self.on_site.activity_chosen.connect(self._on_activity_chosen)
        self.on_site.save_pdf_requested.connect(self._on_save_roll_call)
        self.review.confirm_requested.connect(self._on_confirm)
        self.review.correct_requested.connect(self._on_correct)
        self.on_site.print_requested.connect(self._on_print_roll_call)
        self.reports.report_requested.connect(self._on_report_requested)
        self.reports.save_requested.connect(self._on_save_report)
        self.reports.print_requested.connect(self._on_print_report)
        self.menu = menu
        menu.open_requested.connect(self._on_open_activity)
        menu.close_requested.connect(self._on_close_activity)

    # -- opening and refreshing ----------------------------------------------------------------

    def open(self, coordinator: Coordinator) -> None:
        """A coordinator got in: show the desk at its first page, fresh."""
        self.coordinator = coordinator
        self.faces.set_coordinator(coordinator)
        self.screen.set_coordinator(coordinator.name)
        self.screen.show_page("activities")
        self.refresh()

    def close(self) -> None:
        """The desk locked: forget who was in."""
        self.coordinator = None
        self.faces.close()
        self.screen.set_coordinator("")

    def shutdown(self) -> None:
        """The window is closing: stop timers; late signals are ignored (the reader is about to close)."""
        self._shut = True
        self.sign_in.stop()
        self.faces.shutdown()

    @Slot(QImage)
    def show_preview(self, image: QImage) -> None:
        """A camera preview (from ``CameraPipeline.preview_ready``): the Face tab paints it while capturing."""
        self.faces.show_preview(image)

    @property
    def actor(self) -> str:
        return self.coordinator.actor if self.coordinator is not None else "coordinator"

    def _now_local(self) -> datetime:
        return self.kiosk.clock.now().local

    def _activities(self, status: ActivityStatus | None = None) -> list[Activity]:
        return activity_store.list_activities(self._reader, status)

    @Slot()
    def refresh(self) -> None:
        """Re-read what the page shown displays, and the review count."""
        if self._shut:
            return
        now = self.kiosk.clock.now()
        try:
            count = len(review_queue(self._reader, self.kiosk.policy, now.wall_utc))
        except Exception:  # a bad row must not take the desk down; the log has it
            log.exception("the review queue could not be read")
            count = 0
        self.screen.set_review_count(count)
        self._on_page_shown(self.screen.current_key())

    def show_activities(self) -> None:
        """Fill the activities page: each activity with its on-site and sign-up counts."""
        tz = self._now_local().tzinfo
        assert tz is not None
        activities = self._activities()
        counts = {
            a.activity_id: (
                len(event_store.on_site(self._reader, a.activity_id)),
                len(activity_store.signed_up(self._reader, a.activity_id)),
            )
            for a in activities
        }
        self.menu.set_activities(activities, tz, counts)

    @Slot(str)
    def _on_open_activity(self, activity_id: str) -> None:
        actor, scanning = self.actor, self.kiosk.scanning
        self._tasks.run(
            lambda: scanning.open_known_activity(activity_id, actor=actor), self._on_activity_changed
        )

    @Slot(str)
    def _on_close_activity(self, activity_id: str) -> None:
        actor, desk, reason = self.actor, self.kiosk.desk, self.tr("Closed by the coordinator")
        self._tasks.run(lambda: desk.close_activity(activity_id, actor, reason), self._on_activity_changed)

    def _on_activity_changed(self, _result: object) -> None:
        if not self._shut:
            self.show_activities()

    @Slot(str)
    def _on_page_shown(self, key: str) -> None:
        if key != "face":
            self.faces.page_left()
        if key == "activities":
            self.show_activities()
        elif key == "sign_in":
            self.sign_in.set_activities(self._activities(ActivityStatus.OPEN))
            self._set_time_range()
        elif key == "on_site":
            chosen = self.on_site.chosen_activity()
            open_ones = self._activities(ActivityStatus.OPEN)
            others = [a for a in self._activities() if a.status is not ActivityStatus.OPEN]
            self.on_site.set_activities(open_ones + others, chosen)
            self._show_people()
        elif key == "review":
            tz = self._now_local().tzinfo
            assert tz is not None
            self.review.set_items(
                review_queue(self._reader, self.kiosk.policy, self.kiosk.clock.now().wall_utc), tz
            )
        elif key == "reports":
            self._show_reports()
        elif key == "face":
            self.faces.page_shown()

    # -- sign in and out -------------------------------------------------------------------------

    def _set_time_range(self) -> None:
        now = self._now_local()
        self.sign_in.set_time_range(QTime(0, 0), QTime(now.hour, now.minute))

    @Slot(str)
    def _on_query(self, query: str) -> None:
        if self._shut:
            return
        matches = search_volunteers(self._reader, query)
        self._show_matches(matches)

    def _show_matches(self, matches: list[VolunteerMatch]) -> None:
        activity = self.sign_in.chosen_activity()
        here = {v for v, _ in event_store.on_site(self._reader, activity)} if activity else set()
        self.sign_in.set_matches(matches, here)

    def handle_code(self, text: str) -> bool:
        """A card scanned on the sign-in page (list and tick its volunteer) or the Face tab. True if used."""
        if self.screen.current_key() == "face":
            return self.faces.handle_code(text)
        if self.screen.current_key() != "sign_in":
            return False
        result = self.kiosk.verifier.verify(text, today=self._now_local().date())
        if not isinstance(result.token, VolunteerCard):
            return True  # not a card: nothing to tick, and never a check-in from the desk
        volunteer_id = result.token.volunteer_id
        matches = [m for m in search_volunteers(self._reader, volunteer_id) if m.volunteer_id == volunteer_id]
        if not matches:
            matches = [VolunteerMatch(volunteer_id, result.token.display_name, None, None, True, "id")]
        self._show_matches(matches)
        self.sign_in.tick(volunteer_id)
        return True

    def _utc(self, local: object) -> datetime | None:
        if local is None:
            return None
        assert isinstance(local, time)
        now = self._now_local()
        return datetime.combine(now.date(), local, tzinfo=now.tzinfo).astimezone(UTC)

    @Slot(list, str, object, str)
    def _on_sign_in(self, ids: list[str], activity_id: str, local: object, reason: str) -> None:
        at, actor, desk = self._utc(local), self.actor, self.kiosk.desk
        self._tasks.run(lambda: desk.sign_in(ids, activity_id, actor, reason, at), self._on_manual_done)

    @Slot(list, str, object, str)
    def _on_sign_out(self, ids: list[str], activity_id: str, local: object, reason: str) -> None:
        at, actor, desk = self._utc(local), self.actor, self.kiosk.desk
        self._tasks.run(lambda: desk.sign_out(ids, activity_id, actor, reason, at), self._on_manual_done)

    def _on_manual_done(self, results: list[ManualResult]) -> None:
        if self._shut:
            return
        names = {}
        for result in results:
            volunteer = get_volunteer(self._reader, result.volunteer_id)
            names[result.volunteer_id] = volunteer.name if volunteer is not None else result.volunteer_id
        self.sign_in.show_results(results, names)
        self._on_query(self.sign_in.search.text())

    # -- who is here -------------------------------------------------------------------------------

    @Slot(str)
    def _on_activity_chosen(self, _activity_id: str) -> None:
        self._show_people()

    def _show_people(self) -> None:
        activity = self.on_site.chosen_activity()
        people = people_on_site(self._reader, activity, self.kiosk.clock.now()) if activity else []
        self.on_site.set_people(people)
        here = {p.volunteer_id for p in people}
        expected = []
        for volunteer_id in activity_store.signed_up(self._reader, activity) if activity else []:
            if volunteer_id not in here:
                volunteer = get_volunteer(self._reader, volunteer_id)
                expected.append(volunteer.name if volunteer is not None else volunteer_id)
        self.on_site.set_expected(expected)

    def export_folder(self) -> Path:
        """Where files for the coordinator go: the USB stick if one is in, else the data folder's exports."""
        sticks = find_usb_sticks(str(self.kiosk.config.get("usb", "folder")))
        folder = (sticks[0] / "kiosk-exports") if sticks else self.kiosk.config.data.path / EXPORTS_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @Slot()
    def _on_save_roll_call(self) -> None:

        activity_id = self.on_site.chosen_activity()
        activity = activity_store.get_activity(self._reader, activity_id) if activity_id else None
        if activity is None:
            return
        now = self._now_local()
        people = [(p.name, p.volunteer_id, p.phone_tail, p.checked_in_local) for p in self.on_site.people()]
        try:
            path = self.export_folder() / f"roll-call-{activity.activity_id}-{now:%Y%m%d-%H%M}.pdf"
            write_roll_call_pdf(activity.title, activity.venue, now, people, path)
        except OSError as exc:
            log.error("roll-call PDF not written: %s", exc)
            self.on_site.show_message(
                self.tr("The PDF could not be saved: %1").replace("%1", str(exc)), False
            )
            return
        self.on_site.show_message(self.tr("Saved: %1").replace("%1", str(path)))

    def _roll_call(self) -> tuple[Activity, datetime, list[RollCallPerson]] | None:
        activity_id = self.on_site.chosen_activity()
        activity = activity_store.get_activity(self._reader, activity_id) if activity_id else None
        if activity is None:
            return None
        people: list[RollCallPerson] = [
            (p.name, p.volunteer_id, p.phone_tail, p.checked_in_local) for p in self.on_site.people()
        ]
        return activity, self._now_local(), people

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
        dialog = QPrintDialog(printer, self.screen)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_html(html, printer)

    # -- reports -----------------------------------------------------------------------------------

    def _show_reports(self) -> None:
        now = self.kiosk.clock.now()
        self.reports.set_today(today_summary(self._reader, self.kiosk.policy, now))
        if self._report is None:
            day = now.local.date()
            self.reports.set_range(day, day, self._activities(), None)
        first, last, activity = self.reports.chosen()
        self._on_report_requested(first, last, activity)

    @Slot(object, object, object)
    def _on_report_requested(self, first: object, last: object, activity_id: object) -> None:
        assert isinstance(first, date) and isinstance(last, date)
        chosen = activity_id if isinstance(activity_id, str) else None
        self._report = build_desk_report(self._reader, self.kiosk.policy, first, last, chosen)
        self.reports.set_report(self._report)

    def _report_title(self, report: DeskReport) -> str:
        period = str(report.first) if report.first == report.last else f"{report.first} – {report.last}"
        title = self.tr("Volunteer service hours %1").replace("%1", period)
        return f"{title} · {report.activity_title}" if report.activity_title else title

    @Slot(str)
    def _on_save_report(self, kind: str) -> None:
        report = self._report
        if report is None:
            return
        name = f"report-{report.first}-{report.last}" + (
            f"-{report.activity_id}" if report.activity_id else ""
        )
        try:
            path = self.export_folder() / f"{name}.{kind}"
            if kind == "csv":
                write_report_csv(report, path)
            elif kind == "xlsx":
                write_report_xlsx(report, path)
            else:
                write_report_pdf(report, path, self._report_title(report))
        except OSError as exc:
            log.error("report not written: %s", exc)
            self.reports.show_message(
                self.tr("The file could not be saved: %1").replace("%1", str(exc)), False
            )
            return
        self.reports.show_message(self.tr("Saved: %1").replace("%1", str(path)), True)

    @Slot()
    def _on_print_report(self) -> None:

        if self._report is not None:
            self._print(report_html(self._report, self._report_title(self._report)))

    # -- review ------------------------------------------------------------------------------------

    @Slot(str, str)
    def _on_confirm(self, subject: str, reason: str) -> None:
        actor, review = self.actor, self.kiosk.review
        self._tasks.run(lambda: review.confirm(subject, actor, reason), self._on_review_done)

    @Slot(str, object, object, str)
    def _on_correct(self, subject: str, out_local: object, in_local: object, reason: str) -> None:
        assert isinstance(out_local, datetime)
        out_at = out_local.astimezone(UTC)
        in_at = in_local.astimezone(UTC) if isinstance(in_local, datetime) else None
        actor, review = self.actor, self.kiosk.review
        self._tasks.run(lambda: review.correct(subject, actor, reason, out_at, in_at), self._on_review_done)

    def _on_review_done(self, result: ReviewResult) -> None:
        if self._shut:
            return
        self.refresh()
        if result.ok:
            self.review.show_message(self.tr("Saved."), True)
        else:
            self.review.show_message(self._review_refusal_words(result.refusal or ""), False)

    def _review_refusal_words(self, refusal: str) -> str:
        words = {
            "reason_missing": self.tr("Give a reason first."),
            "in_future": self.tr("That time is still to come."),
            "before_check_in": self.tr("The sign-out is before the sign-in."),
            "after_limit": self.tr("The kiosk closed this visit earlier than that time."),
            "before_checkin_opens": self.tr("That is before check-in opened."),
            "after_activity_end": self.tr("That is after the activity ended."),
            "later_events": self.tr(
                "The volunteer has a later visit at this activity: correct that one first."
            ),
            "check_in_time_needed": self.tr("Enter when the volunteer signed in."),
            "not_reviewable": self.tr("This visit has changed meanwhile; look again."),
            "storage_error": self.tr("Not saved: the kiosk cannot write its records."),
        }
        return words.get(refusal, refusal)
