"""The Face tab's work: search, face status, consent, the guided capture, storing and deleting.

Reads (search, face status) use the window's read-only connection; every
write (consent, templates, deletion) runs on the writer thread through its
:class:`~kiosk.ui.tasks.TaskRunner`, by
:class:`~kiosk.services.face_enrolment.FaceEnrolment`.

The capture runs on the camera's face thread: an
:class:`~kiosk.face.enrol_capture.EnrolmentCapture` is set as its task for
as long as the capture lasts, and the task that was set before (the kiosk
screen's, if any) is put back afterwards. Its updates come back here by
signal; the descriptors go to the writer once the capture is done, and the
capture object (the only holder of them) is dropped. The live picture comes
from the camera pipeline's previews (:meth:`FaceDeskController.show_preview`)
and is painted only while a capture runs.

An enrolment whose face is another volunteer's as the kiosk sees it
(:attr:`~kiosk.services.face_enrolment.FaceRefusal.NEIGHBOUR`) stores
nothing and shows the conflict view; the descriptors wait here, in memory
only, for the coordinator's answer (the same person: a QR-only mark, no
templates; two people: the templates stored QR-only) and are dropped on
cancel, on leaving the tab and on locking the desk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import tzinfo

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QImage

from checkin_protocol.codes.tokens import VolunteerCard
from kiosk.clock import Clock
from kiosk.face.engine import Descriptor
from kiosk.face.enrol_capture import TIMEOUT_S, CaptureUpdate, EnrolmentCapture, Guidance
from kiosk.services.current_trust import CurrentTrust
from kiosk.services.face_enrolment import (
    MAX_TEMPLATES,
    MIN_TEMPLATES,
    EnrolmentResult,
    FaceEnrolment,
    FaceRefusal,
    Neighbour,
)
from kiosk.services.face_status import face_status, face_statuses
from kiosk.services.pin import Coordinator
from kiosk.services.volunteer_search import VolunteerMatch, search_volunteers
from kiosk.store.database import Transaction
from kiosk.store.roster import get_volunteer
from kiosk.ui.face_worker import FaceTask, FaceThread
from kiosk.ui.screens.desk_face import FacePage
from kiosk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

WATCHDOG_GRACE_S = 5.0
"""A capture that got no frame at all (camera unplugged) ends this long after its time-out."""
CARD_PREFIX = "VC1:"


@dataclass(frozen=True)
class StoppedEnrolment:
    """A capture whose face is another volunteer's, waiting for the coordinator's answer (in memory only)."""

    picked: tuple[str, str]
    descriptors: list[Descriptor]
    model_version: str
    other: Neighbour


class FaceDeskController(QObject):
    """Drives the Face tab; ``face`` is the camera's face thread (None: no camera, consent and deletion only)."""

    def __init__(
        self,
        enrolment: FaceEnrolment,
        clock: Clock,
        trust: CurrentTrust,
        reader: Transaction,
        writer: TaskRunner,
        face: FaceThread | None,
        page: FacePage,
    ) -> None:
        super().__init__()
        self._enrolment = enrolment
        self._clock = clock
        self._trust = trust
        self.face = face
        self.page = page
        self._reader = reader
        self._writer = writer
        self._coordinator: Coordinator | None = None
        self._engine_ready: bool | None = None  # None: still loading
        self._capture: EnrolmentCapture | None = None
        self._capture_for: tuple[str, str] | None = None
        self._previous_task: FaceTask | None = None
        self._stopped: StoppedEnrolment | None = None
        self._shut = False
        self.capture_timeout_s = TIMEOUT_S
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_watchdog)
        page.query_changed.connect(self._on_query)
        page.volunteer_picked.connect(self._on_picked)
        page.enrol_requested.connect(self._on_enrol_requested)
        page.delete_confirmed.connect(self._on_delete_confirmed)
        page.consent.confirmed.connect(self._on_consent_confirmed)
        page.consent.declined.connect(self._on_consent_declined)
        page.capture.save_requested.connect(self._on_save)
        page.capture.cancel_requested.connect(self._on_cancel)
        page.capture.retry_requested.connect(self._on_retry)
        page.conflict.same_person_chosen.connect(self._on_same_person)
        page.conflict.look_alike_chosen.connect(self._on_look_alike)
        page.conflict.cancelled.connect(self._on_conflict_cancelled)
        if face is not None:
            face.update.connect(self._on_face_update)
            face.ready.connect(self._on_engine_ready)
        page.set_camera(self.camera_available)

    @property
    def camera_available(self) -> bool:
        """Faces can be captured here: a camera with a face thread whose engine did not fail to load."""
        return self.face is not None and self._engine_ready is not False

    @property
    def capturing(self) -> bool:
        """A capture is running (frames go to it)."""
        return self._capture is not None and not self._capture.finished

    @property
    def _actor(self) -> str:
        return self._coordinator.actor if self._coordinator is not None else "coordinator"

    def _tz(self) -> tzinfo:
        tz = self._clock.now().local.tzinfo
        assert tz is not None
        return tz

    # -- the desk's calls --------------------------------------------------------------------------

    def set_coordinator(self, coordinator: Coordinator | None) -> None:
        """Who is at the desk (recorded with consents, enrolments and deletions)."""
        self._coordinator = coordinator

    def page_shown(self) -> None:
        """The tab is shown (or the desk refreshed it): re-read the picked volunteer's status."""
        picked = self.page.volunteer
        if self._shut or picked is None or self.page.view != "pick":
            return
        self.page.update_status(face_status(self._reader, picked[0]))
        self._show_matches(self.page.matches)

    def page_left(self) -> None:
        """Another tab is shown: a capture, consent or conflict under way is dropped (nothing more stored)."""
        if self.page.view != "pick":
            self._end_capture(discard=True)
            self._stopped = None
            self.page.show_pick()

    def close(self) -> None:
        """The desk locked: abandon what is in progress and forget the volunteer picked."""
        self._end_capture(discard=True)
        self._stopped = None
        self._coordinator = None
        self.page.forget()

    def shutdown(self) -> None:
        """The window is closing: stop the timers; late answers are ignored."""
        self._shut = True
        self._end_capture(discard=True)
        self._stopped = None
        self.page.stop()

    def handle_code(self, text: str) -> bool:
        """A card scanned while the tab is shown: pick its volunteer (never during a capture)."""
        if self.page.view != "pick":
            return True
        result = self._trust.verify(text, self._clock.now().local.date())
        if isinstance(result.token, VolunteerCard):
            card = result.token
            matches = [
                m
                for m in search_volunteers(self._reader, card.volunteer_id)
                if m.volunteer_id == card.volunteer_id
            ]
            if not matches:
                matches = [VolunteerMatch(card.volunteer_id, card.display_name, None, None, True, "id")]
            self._show_matches(matches)
            self._on_picked(card.volunteer_id)
        return True

    @Slot(QImage)
    def show_preview(self, image: QImage) -> None:
        """A camera preview: painted only while a capture runs."""
        if self.capturing:
            self.page.capture.preview.show_frame(image)

    # -- search and status -------------------------------------------------------------------------

    @Slot(str)
    def _on_query(self, query: str) -> None:
        if self._shut:
            return
        if query.startswith(CARD_PREFIX):  # a USB scanner typed a card into the search box
            self.page.search.clear()
            self.handle_code(query)
            return
        self._show_matches(search_volunteers(self._reader, query))

    def _show_matches(self, matches: list[VolunteerMatch]) -> None:
        statuses = face_statuses(self._reader, [m.volunteer_id for m in matches])
        self.page.set_matches(matches, statuses)

    @Slot(str)
    def _on_picked(self, volunteer_id: str) -> None:
        volunteer = get_volunteer(self._reader, volunteer_id)
        name = volunteer.name if volunteer is not None else self._listed_name(volunteer_id)
        self.page.show_status(volunteer_id, name, face_status(self._reader, volunteer_id), self._tz())

    def _listed_name(self, volunteer_id: str) -> str:
        return next((m.name for m in self.page.matches if m.volunteer_id == volunteer_id), volunteer_id)

    def _show_picked(self, message: str, ok: bool) -> None:
        picked = self.page.volunteer
        if picked is not None:
            self.page.show_status(picked[0], picked[1], face_status(self._reader, picked[0]), self._tz())
            self._show_matches(self.page.matches)
        self.page.show_message(message, ok)

    # -- consent -----------------------------------------------------------------------------------

    @Slot(str)
    def _on_enrol_requested(self, _volunteer_id: str) -> None:
        self.page.show_consent(self._coordinator.name if self._coordinator is not None else self._actor)

    @Slot()
    def _on_consent_declined(self) -> None:
        picked = self.page.volunteer
        name = picked[1] if picked is not None else ""
        self.page.show_pick()
        self._show_picked(
            self.tr("Nothing was recorded. %1 keeps using the QR card.").replace("%1", name), True
        )

    @Slot()
    def _on_consent_confirmed(self) -> None:
        picked = self.page.volunteer
        if picked is None:
            return
        volunteer_id, actor, enrolment = picked[0], self._actor, self._enrolment
        notice_version = self.page.consent.notice.version
        self._writer.run(
            lambda: enrolment.record_consent(volunteer_id, actor, notice_version),
            lambda _none: self._on_consent_recorded(picked),
            self._on_consent_failed,
        )

    def _on_consent_recorded(self, picked: tuple[str, str]) -> None:
        if self._shut or self.page.volunteer != picked or self.page.view != "consent":
            return  # the desk moved on meanwhile
        if self.camera_available:
            self._start_capture(picked)
        else:
            self.page.show_pick()
            self._show_picked(self.tr("Consent recorded. Enrol the face at a kiosk with a camera."), True)

    def _on_consent_failed(self, _error: BaseException) -> None:
        if self._shut:
            return
        self.page.show_pick()
        self._show_picked(self.tr("Consent not recorded: the kiosk cannot write its records."), False)

    # -- capture -----------------------------------------------------------------------------------

    def _start_capture(self, picked: tuple[str, str]) -> None:
        assert self.face is not None
        self._end_capture(discard=True)
        capture = EnrolmentCapture(
            self.face.engine, target=MAX_TEMPLATES, minimum=MIN_TEMPLATES, timeout_s=self.capture_timeout_s
        )
        self._capture, self._capture_for = capture, picked
        self._previous_task = self.face.worker.task
        self.page.show_capture(MAX_TEMPLATES, MIN_TEMPLATES)
        self.face.set_task(capture)
        self._watchdog.start(int((self.capture_timeout_s + WATCHDOG_GRACE_S) * 1000))

    def _end_capture(self, *, discard: bool) -> None:
        """Give the face thread its previous task back; with ``discard``, forget the capture too."""
        self._watchdog.stop()
        capture = self._capture
        if capture is None:
            return
        capture.stop()
        frames_go_to_it = self.face is not None and self.face.worker.task is capture
        if frames_go_to_it and self.face is not None:
            self.face.set_task(self._previous_task)
        self._previous_task = None
        self.page.capture.stop()
        if discard:
            capture.discard()
            self._capture, self._capture_for = None, None

    @Slot(object, object)
    def _on_face_update(self, task: object, update: object) -> None:
        if self._shut or task is not self._capture or not isinstance(update, CaptureUpdate):
            return  # another task's (the kiosk screen's), or a capture abandoned meanwhile
        self.page.capture.show_update(update)
        if update.guidance is Guidance.DONE:
            self._save()
        elif update.finished:
            self._end_capture(discard=False)  # timed out: save what there is, or try again

    @Slot(bool)
    def _on_engine_ready(self, ok: bool) -> None:
        self._engine_ready = ok
        self.page.set_camera(self.camera_available)

    @Slot()
    def _on_watchdog(self) -> None:
        capture = self._capture
        if capture is None or capture.finished:
            return
        kept = capture.kept
        self._end_capture(discard=False)
        self.page.capture.show_update(
            CaptureUpdate(Guidance.TIMED_OUT, kept, MAX_TEMPLATES, MIN_TEMPLATES, True, None, (0, 0))
        )

    @Slot()
    def _on_save(self) -> None:
        if self._capture is not None and self._capture.stop():
            self._save()

    @Slot()
    def _on_cancel(self) -> None:
        self._end_capture(discard=True)
        self._show_picked(self.tr("Cancelled: no face template was stored."), True)

    @Slot()
    def _on_retry(self) -> None:
        picked = self._capture_for or self.page.volunteer
        if picked is not None and self.camera_available:
            self._start_capture(picked)

    def _save(self) -> None:
        capture, picked = self._capture, self._capture_for
        self._end_capture(discard=False)
        if capture is None or picked is None:
            return
        descriptors: list[Descriptor] = capture.descriptors()
        capture.discard()
        self._capture, self._capture_for = None, None
        assert self.face is not None
        volunteer_id, actor, enrolment = picked[0], self._actor, self._enrolment
        model_version = self.face.engine.model_version
        self.page.capture.show_saving()
        self._writer.run(
            lambda: enrolment.enrol_checked(volunteer_id, descriptors, actor, model_version),
            lambda result: self._on_enrolled(result, picked, descriptors, model_version),
            self._on_enrol_failed,
        )

    def _on_enrolled(
        self,
        result: EnrolmentResult,
        picked: tuple[str, str],
        descriptors: list[Descriptor],
        model_version: str,
    ) -> None:
        if self._shut:
            return
        conflict = result.conflict
        if conflict is not None:
            if self.page.view == "capture" and self.page.volunteer == picked:  # the desk did not move on
                self._stopped = StoppedEnrolment(picked, descriptors, model_version, conflict)
                self.page.show_conflict(conflict)
            return
        self.page.show_pick()
        if result.refusal is not None:
            self._show_picked(self._refusal_words(result.refusal), False)
            return
        message = self.tr("Enrolled: the face templates are stored, encrypted. No photo was kept.")
        if result.near:
            message += "\n" + self.tr(
                "Their face is close to another volunteer's: at the kiosk, face the camera straight "
                "and hold still."
            )
        self._show_picked(message, True)

    def _refusal_words(self, refusal: str) -> str:
        words = {
            FaceRefusal.NO_CONSENT: self.tr("Not enrolled: no consent is recorded for this volunteer."),
            FaceRefusal.TOO_FEW: self.tr("Not enrolled: too few good pictures. Try again."),
            FaceRefusal.STORAGE_ERROR: self.tr(
                "Not enrolled: the kiosk cannot write its records. Nothing was stored."
            ),
            FaceRefusal.GALLERY_UNREADABLE: self.tr(
                "Not enrolled: the stored face templates cannot be read, so the new face cannot be "
                "checked against them."
            ),
        }
        return words.get(refusal, self.tr("Not enrolled."))

    def _on_enrol_failed(self, _error: BaseException) -> None:
        if not self._shut:
            self.page.show_pick()
            self._show_picked(self._refusal_words(FaceRefusal.STORAGE_ERROR), False)

    # -- a face that is another volunteer's ----------------------------------------------------------

    def _take_stopped(self) -> StoppedEnrolment | None:
        """The stopped enrolment the conflict view asks about, if the view still shows it."""
        stopped = self._stopped
        if stopped is None or self.page.view != "conflict" or self.page.volunteer != stopped.picked:
            return None
        self._stopped = None  # the descriptors go to the writer (or nowhere) from here
        return stopped

    def _who(self, other: Neighbour) -> str:
        """The other volunteer as the desk names them: masked name and ID."""
        if not other.masked_name:
            return other.volunteer_id
        return self.tr("%1 (%2)").replace("%1", other.masked_name).replace("%2", other.volunteer_id)

    @Slot()
    def _on_same_person(self) -> None:
        stopped = self._take_stopped()
        if stopped is None:
            return
        volunteer_id, other, actor, enrolment = stopped.picked[0], stopped.other, self._actor, self._enrolment
        message = (
            self.tr(
                "Recorded: %1 is the same person as %2. No face data is kept; they check in with the "
                "QR code. Ask the platform to merge the two accounts."
            )
            .replace("%1", stopped.picked[1])
            .replace("%2", self._who(other))
        )
        self._writer.run(
            lambda: enrolment.record_same_person(volunteer_id, other.volunteer_id, actor),
            lambda _removed: self._on_decided(None, message),
            self._on_decision_failed,
        )

    @Slot()
    def _on_look_alike(self) -> None:
        stopped = self._take_stopped()
        if stopped is None:
            return
        volunteer_id, other, actor, enrolment = stopped.picked[0], stopped.other, self._actor, self._enrolment
        descriptors, model_version = stopped.descriptors, stopped.model_version
        message = (
            self.tr(
                "Recorded: %1 checks in by QR code only. Their face templates are stored, encrypted, "
                "so that they are never taken for %2."
            )
            .replace("%1", stopped.picked[1])
            .replace("%2", self._who(other))
        )
        self._writer.run(
            lambda: enrolment.enrol_as_qr_only(
                volunteer_id, descriptors, actor, model_version, other.volunteer_id
            ),
            lambda refusal: self._on_decided(refusal, message),
            self._on_decision_failed,
        )

    @Slot()
    def _on_conflict_cancelled(self) -> None:
        self._stopped = None
        self.page.show_pick()
        self._show_picked(self.tr("Cancelled: nothing was stored or recorded."), True)

    def _on_decided(self, refusal: str | None, message: str) -> None:
        if self._shut:
            return
        self.page.show_pick()
        if refusal is None:
            self._show_picked(message, True)
        else:
            self._show_picked(self._refusal_words(refusal), False)

    def _on_decision_failed(self, _error: BaseException) -> None:
        if not self._shut:
            self.page.show_pick()
            self._show_picked(
                self.tr("Not recorded: the kiosk cannot write its records. Nothing was stored."), False
            )

    # -- deletion ----------------------------------------------------------------------------------

    @Slot(str)
    def _on_delete_confirmed(self, volunteer_id: str) -> None:
        actor, enrolment = self._actor, self._enrolment
        self._writer.run(
            lambda: enrolment.delete(volunteer_id, actor), self._on_deleted, self._on_delete_failed
        )

    def _on_deleted(self, removed: int) -> None:
        if self._shut:
            return
        if removed:
            message = self.tr("Deleted %n templates; other kiosks delete them at the next sync.", "", removed)
        else:
            message = self.tr("Consent withdrawn. There were no templates to delete.")
        self._show_picked(message, True)

    def _on_delete_failed(self, _error: BaseException) -> None:
        if not self._shut:
            self._show_picked(self.tr("Not deleted: the kiosk cannot write its records. Try again."), False)
