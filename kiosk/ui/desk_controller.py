"""Fills and wires the coordinator desk: reads on the UI thread's reader, writes on the writer thread.

The window owns one :class:`DeskController`. After a good PIN it calls
:meth:`open` with the coordinator, whose ``actor`` text goes on every change.
Reads (search, who is here, the review queue) use the window's read-only
connection and are fast enough for the UI thread (the search's p95 is in
``docs/performance.md``); every write goes to the writer thread through its
:class:`~kiosk.ui.tasks.TaskRunner` and its answer comes back here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from PySide6.QtCore import QObject, QTime, Slot
from PySide6.QtGui import QImage

from checkin_protocol.codes.tokens import VolunteerCard
from checkin_protocol.models import Activity, ActivityStatus
from checkin_protocol.policy import AttendancePolicy
from kiosk.clock import Clock
from kiosk.services.current_trust import CurrentTrust
from kiosk.services.desk import DeskService, ManualResult
from kiosk.services.desk_reports import build_desk_report, today_summary
from kiosk.services.on_site import people_on_site
from kiosk.services.pin import Coordinator
from kiosk.services.receipts import check_receipt, looks_like_receipt
from kiosk.services.review import ReviewResult, ReviewService, review_queue
from kiosk.services.scanning import ScanService
from kiosk.services.volunteer_search import VolunteerMatch, search_volunteers
from kiosk.store import activities as activity_store
from kiosk.store import events as event_store
from kiosk.store.database import Transaction
from kiosk.store.roster import get_volunteer, names_for_typing
from kiosk.ui.desk_face_controller import FaceDeskController
from kiosk.ui.desk_files import DeskFiles
from kiosk.ui.document_language import REPORT_WORDS
from kiosk.ui.screens.coordinator_menu import CoordinatorMenu
from kiosk.ui.screens.desk_check_in import CheckInPage
from kiosk.ui.screens.desk_on_site import OnSitePage
from kiosk.ui.screens.desk_receipt import ReceiptCheckPage
from kiosk.ui.screens.desk_reports_page import ReportsPage
from kiosk.ui.screens.desk_review import ReviewPage
from kiosk.ui.screens.desk_screen import DeskScreen
from kiosk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

KEYBOARD_NAMES = 2000
"""Volunteers' names the touch keyboard's pinyin offers (the most recently seen): a lookup stays under 5 ms."""


@dataclass(frozen=True)
class DeskServices:
    """What the coordinator desk uses: the clock, the rules, the code check, and the services that write."""

    clock: Clock
    policy: AttendancePolicy
    trust: CurrentTrust
    scanning: ScanService
    desk: DeskService
    review: ReviewService
    usb_folder: str
    data_folder: Path
    kiosk_id: str


class DeskController(QObject):
    """The desk's pages, their data, and the coordinator who is in.

    ``face_desk`` is the Face tab's controller (built with the same reader and
    writer); ``menu`` is the activities page.
    """

    def __init__(
        self,
        services: DeskServices,
        reader: Transaction,
        writer: TaskRunner,
        menu: CoordinatorMenu,
        face_desk: FaceDeskController,
    ) -> None:
        super().__init__()
        self.services = services
        self._reader = reader
        self._writer = writer
        self.coordinator: Coordinator | None = None
        self._shut = False
        self.check_in_page = CheckInPage()
        self.on_site = OnSitePage()
        self.review = ReviewPage()
        self.reports = ReportsPage()
        self.receipt_page = ReceiptCheckPage()
        self.face_desk = face_desk
        self.face_page = face_desk.page
        self.screen = DeskScreen(
            {
                "activities": menu,
                "check_in": self.check_in_page,
                "on_site": self.on_site,
                "review": self.review,
                "reports": self.reports,
                "face": self.face_page,
                "receipt": self.receipt_page,
            }
        )
        self.files = DeskFiles(
            services.clock,
            reader,
            services.usb_folder,
            services.data_folder,
            self.on_site,
            self.reports,
            self.screen,
        )
        self.screen.page_shown.connect(self._on_page_shown)
        # The consent notice is for the volunteer's eyes: it takes the whole desk until answered.
        self.face_page.views.currentChanged.connect(
            lambda *_: self.screen.set_full_screen(self.face_page.view == "consent")
        )
        self.check_in_page.query_changed.connect(self._on_query)
        self.check_in_page.check_in_requested.connect(self._on_check_in)
        self.check_in_page.check_out_requested.connect(self._on_check_out)
        self.on_site.activity_chosen.connect(self._on_activity_chosen)
        self.on_site.refresh_due.connect(self._show_people)  # the running times on site
        self.review.confirm_requested.connect(self._on_confirm)
        self.review.correct_requested.connect(self._on_correct)
        self.reports.report_requested.connect(self._on_report_requested)
        self.receipt_page.check_requested.connect(self.check_receipt)
        self.menu = menu
        menu.open_requested.connect(self._on_open_activity)
        menu.close_requested.connect(self._on_close_activity)

    # -- opening and refreshing ----------------------------------------------------------------

    def open(self, coordinator: Coordinator) -> None:
        """A coordinator got in: show the desk at its first page, fresh."""
        self.coordinator = coordinator
        self.face_desk.set_coordinator(coordinator)
        self.screen.set_coordinator(coordinator.name)
        self.screen.show_page("activities")
        self.refresh()

    def show_roll_call(self) -> None:
        """The evacuation roll-call, asked for on the PIN pad: who is here at the first open activity."""
        self.on_site.start_roll_call()
        self.screen.show_page("on_site")

    def close(self) -> None:
        """The desk locked: forget who was in."""
        self.coordinator = None
        self.face_desk.close()
        self.screen.set_coordinator("")

    def shutdown(self) -> None:
        """The window is closing: stop timers; late signals are ignored (the reader is about to close)."""
        self._shut = True
        self.check_in_page.stop()
        self.face_desk.shutdown()

    def keyboard_words(self) -> list[str]:
        """What the touch keyboard's pinyin offers first: volunteers' names, then the common reasons.

        Names first: the search is where most is typed; the reasons are also chips, one tap away.
        """
        reasons = [*self.check_in_page.common_reasons(), *self.review.common_reasons()]
        return [*names_for_typing(self._reader, KEYBOARD_NAMES), *reasons]

    @Slot(QImage)
    def show_preview(self, image: QImage) -> None:
        """A camera preview (from ``CameraPipeline.preview_ready``): the Face tab paints it while capturing."""
        self.face_desk.show_preview(image)

    @property
    def actor(self) -> str:
        return self.coordinator.actor if self.coordinator is not None else "coordinator"

    def _now_local(self) -> datetime:
        return self.services.clock.now().local

    def _activities(self, status: ActivityStatus | None = None) -> list[Activity]:
        return activity_store.list_activities(self._reader, status)

    @Slot()
    def refresh(self) -> None:
        """Re-read what the page shown displays, and the review count."""
        if self._shut:
            return
        now = self.services.clock.now()
        try:
            count = len(review_queue(self._reader, self.services.policy, now.wall_utc))
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
        actor, scanning = self.actor, self.services.scanning
        self._writer.run(
            lambda: scanning.open_known_activity(activity_id, actor=actor), self._on_activity_changed
        )

    @Slot(str)
    def _on_close_activity(self, activity_id: str) -> None:
        actor, desk, reason = self.actor, self.services.desk, self.tr("Closed by the coordinator")
        self._writer.run(lambda: desk.close_activity(activity_id, actor, reason), self._on_activity_changed)

    def _on_activity_changed(self, _result: object) -> None:
        if not self._shut:
            self.show_activities()

    @Slot(str)
    def _on_page_shown(self, key: str) -> None:
        if key != "face":
            self.face_desk.page_left()
        if key == "activities":
            self.show_activities()
        elif key == "check_in":
            self.check_in_page.set_activities(self._activities(ActivityStatus.OPEN))
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
            now = self.services.clock.now()
            self.review.set_items(
                review_queue(self._reader, self.services.policy, now.wall_utc), tz, now.local
            )
        elif key == "reports":
            self._show_reports()
        elif key == "face":
            self.face_desk.page_shown()

    # -- check in and out -------------------------------------------------------------------------

    def _set_time_range(self) -> None:
        now = self._now_local()
        self.check_in_page.set_time_range(QTime(0, 0), QTime(now.hour, now.minute))

    @Slot(str)
    def _on_query(self, query: str) -> None:
        if self._shut:
            return
        matches = search_volunteers(self._reader, query)
        self._show_matches(matches)

    def _show_matches(self, matches: list[VolunteerMatch]) -> None:
        activity = self.check_in_page.chosen_activity()
        here = {v for v, _ in event_store.on_site(self._reader, activity)} if activity else set()
        self.check_in_page.set_matches(matches, here)

    def handle_code(self, text: str) -> bool:
        """A card scanned on the check-in page (list and tick its volunteer) or the Face tab; a service
        receipt scanned on any page, or anything scanned on the receipts page, is checked there. True if used."""
        if self.screen.current_key() == "receipt" or looks_like_receipt(text):
            self.screen.show_page("receipt")
            self.receipt_page.field.setText(text.strip())
            self.check_receipt(text)
            return True
        if self.screen.current_key() == "face":
            return self.face_desk.handle_code(text)
        if self.screen.current_key() != "check_in":
            return False
        result = self.services.trust.verify(text, self._now_local().date())
        if not isinstance(result.token, VolunteerCard):
            return True  # not a card: nothing to tick, and never a check-in from the desk
        volunteer_id = result.token.volunteer_id
        matches = [m for m in search_volunteers(self._reader, volunteer_id) if m.volunteer_id == volunteer_id]
        if not matches:
            matches = [VolunteerMatch(volunteer_id, result.token.display_name, None, None, True, "id")]
        self._show_matches(matches)
        self.check_in_page.tick(volunteer_id)
        return True

    def _utc(self, local: object) -> datetime | None:
        if local is None:
            return None
        assert isinstance(local, time)
        now = self._now_local()
        return datetime.combine(now.date(), local, tzinfo=now.tzinfo).astimezone(UTC)

    @Slot(list, str, object, str)
    def _on_check_in(self, ids: list[str], activity_id: str, local: object, reason: str) -> None:
        at, actor, desk = self._utc(local), self.actor, self.services.desk
        self._writer.run(lambda: desk.check_in(ids, activity_id, actor, reason, at), self._on_manual_done)

    @Slot(list, str, object, str)
    def _on_check_out(self, ids: list[str], activity_id: str, local: object, reason: str) -> None:
        at, actor, desk = self._utc(local), self.actor, self.services.desk
        self._writer.run(lambda: desk.check_out(ids, activity_id, actor, reason, at), self._on_manual_done)

    def _on_manual_done(self, results: list[ManualResult]) -> None:
        if self._shut:
            return
        names = {}
        for result in results:
            volunteer = get_volunteer(self._reader, result.volunteer_id)
            names[result.volunteer_id] = volunteer.name if volunteer is not None else result.volunteer_id
        self.check_in_page.show_results(results, names)
        self._on_query(self.check_in_page.search.text())

    @Slot(str)
    def check_receipt(self, text: str) -> None:
        """Check a receipt (scanned or pasted) offline and show what was found."""
        if self._shut:
            return
        check = check_receipt(self._reader, self.services.kiosk_id, text)
        tz = self._now_local().tzinfo
        assert tz is not None
        self.receipt_page.show_check(check, tz)

    # -- who is here -------------------------------------------------------------------------------

    @Slot(str)
    def _on_activity_chosen(self, _activity_id: str) -> None:
        self._show_people()

    def _show_people(self) -> None:
        activity = self.on_site.chosen_activity()
        people = people_on_site(self._reader, activity, self.services.clock.now()) if activity else []
        self.on_site.set_people(people)
        here = {p.volunteer_id for p in people}
        expected = []
        for volunteer_id in activity_store.signed_up(self._reader, activity) if activity else []:
            if volunteer_id not in here:
                volunteer = get_volunteer(self._reader, volunteer_id)
                expected.append(volunteer.name if volunteer is not None else volunteer_id)
        self.on_site.set_expected(expected)

    # -- reports -----------------------------------------------------------------------------------

    def _show_reports(self) -> None:
        now = self.services.clock.now()
        # The placeholders (（未知类别）...) in the document language, like the report's files.
        self.reports.set_today(today_summary(self._reader, self.services.policy, now, translate=REPORT_WORDS))
        if self.files.report is None:
            day = now.local.date()
            self.reports.set_range(day, day, self._activities(), None)
        first, last, activity = self.reports.chosen()
        self._on_report_requested(first, last, activity)

    @Slot(object, object, object)
    def _on_report_requested(self, first: object, last: object, activity_id: object) -> None:
        assert isinstance(first, date) and isinstance(last, date)
        chosen = activity_id if isinstance(activity_id, str) else None
        self.files.report = build_desk_report(
            self._reader, self.services.policy, first, last, chosen, translate=REPORT_WORDS
        )
        self.reports.set_report(self.files.report)

    # -- review ------------------------------------------------------------------------------------

    @Slot(str, str)
    def _on_confirm(self, subject: str, reason: str) -> None:
        actor, review = self.actor, self.services.review
        self._writer.run(lambda: review.confirm(subject, actor, reason), self._on_review_done)

    @Slot(str, object, object, str)
    def _on_correct(self, subject: str, out_local: object, in_local: object, reason: str) -> None:
        assert isinstance(out_local, datetime)
        out_at = out_local.astimezone(UTC)
        in_at = in_local.astimezone(UTC) if isinstance(in_local, datetime) else None
        actor, review = self.actor, self.services.review
        self._writer.run(lambda: review.correct(subject, actor, reason, out_at, in_at), self._on_review_done)

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
            "before_check_in": self.tr("The check-out is before the check-in."),
            "after_limit": self.tr("The kiosk closed this visit earlier than that time."),
            "before_checkin_opens": self.tr("That is before check-in opened."),
            "after_activity_end": self.tr("That is after the activity ended."),
            "later_events": self.tr(
                "The volunteer has a later visit at this activity: correct that one first."
            ),
            "check_in_time_needed": self.tr("Enter when the volunteer checked in."),
            "not_reviewable": self.tr("This visit has changed meanwhile; look again."),
            "storage_error": self.tr("Not saved: the kiosk cannot write its records."),
        }
        return words.get(refusal, refusal)
