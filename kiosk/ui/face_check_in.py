"""Face check-in on the kiosk screen: the identification task, its gallery, the overlay, the check-ins.

```
writer thread   reload_face_gallery (only when enrolments changed) -> face_gallery_loaded(Gallery)
                reload_face_candidates (only when they changed) -> face_candidates_loaded(Candidates)
UI thread       FaceCheckIn: session.set_gallery, session.set_candidates; the task is on the face thread only while
                the kiosk screen shows its idle panel and the gallery is not empty
face thread     IdentifySession.feed(newest frame) -> update(task, FaceUpdate)
UI thread       the overlay shows the update; IDENTIFIED -> identified(volunteer ID) -> the window
                submits it like a scanned card (writer: ScanService.handle_face -> COMMIT -> result card)
```

The likely volunteers (:mod:`kiosk.services.face_candidates`: on site,
signed up, came lately) are searched before the whole gallery. They are read
on start, after each burst of writes (with the gallery check), and at once
after every check-in, check-out or undo, so the next face already meets the
new on-site list. Nothing of them shows on screen; the QR code works for
everyone as before.

The prompt of each update shows on the panel and in the band over the
preview, in the same words (:meth:`KioskScreen.show_face_prompt`).

A face check-in (or check-out) undone on the kiosk screen ("Not me", or the
Undo of its duplicate card) means the face may have been taken for someone
else's: face check-in of that volunteer pauses on this kiosk for
:data:`NOT_ME_PAUSE_S`. A face identified as them meanwhile is not checked
in; the screen asks for the QR code while that face stays in view.

The task is taken off the face thread while a result card, the activity
choice, a question, the PIN pad or the desk is shown (the desk's enrolment
page sets its own task: this controller only ever replaces a task when the
kiosk screen is idle, and only clears its own). The QR decoder runs all the
time, beside it. With no camera, face disabled in the configuration, models
that cannot load or nobody enrolled, the screen looks as it does without
faces.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QStackedWidget

from checkin_protocol.models import Method
from kiosk.config import Config
from kiosk.face.guidance import Guidance
from kiosk.face.liveness import LivenessSettings
from kiosk.face.matching import Candidates, Gallery
from kiosk.face.session import FacePhase, FaceUpdate, IdentifySession
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.ui.face_prompts import FacePrompt, PromptTone, face_prompt
from kiosk.ui.face_worker import FaceThread
from kiosk.ui.screens.kiosk_screen import KioskScreen
from kiosk.ui.writer_worker import WriterWorker

log = logging.getLogger(__name__)

RELOAD_DELAY_MS = 500
"""Writes come in bursts (a desk enrolment, a sync page): the gallery check waits for the burst to end."""
TASK_CHECK_MS = 1000
"""How often the task is re-asserted (another screen may have left its own task on the face thread)."""
NOT_ME_PAUSE_S = 600.0
"""After a face check-in of a volunteer was undone here, their face checks nobody in for this long."""


def liveness_settings(config: Config) -> LivenessSettings | None:
    """The challenge's settings from ``[face] liveness``: ``challenge`` on (the default), ``off`` none."""
    return LivenessSettings() if config.get("face", "liveness") == "challenge" else None


class FaceCheckIn(QObject):
    """Runs identification on the kiosk screen while it is idle and turns an identification into a check-in."""

    identified = Signal(str)  # volunteer ID: check them in or out like a card
    reload_requested = Signal(str)  # the engine's model version -> the writer's reload_face_gallery
    candidates_requested = Signal()  # -> the writer's reload_face_candidates

    def __init__(
        self,
        face: FaceThread,
        writer: WriterWorker,
        screen: KioskScreen,
        pages: QStackedWidget,
        liveness: LivenessSettings | None,
        rng: random.Random | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._face = face
        self._screen = screen
        self._pages = pages
        self.session = IdentifySession(face.engine, Gallery(), liveness=liveness, rng=rng)
        self._engine_ready = False
        self._closed = False
        self._shown_on: bool | None = None
        self._monotonic = monotonic
        self._paused: dict[
            str, float
        ] = {}  # volunteer ID -> until (monotonic s): their face checks nobody in
        self._paused_in_view = False  # a face taken for a paused volunteer is in view: ask for the QR code
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._request_reload)
        self._task_timer = QTimer(self)
        self._task_timer.setInterval(TASK_CHECK_MS)
        self._task_timer.timeout.connect(self.sync_task)
        face.ready.connect(self._on_face_ready)
        face.update.connect(self._on_face_update)
        writer.face_gallery_loaded.connect(self._on_gallery_loaded)
        writer.face_candidates_loaded.connect(self._on_candidates_loaded)
        writer.data_changed.connect(self.schedule_reload)
        writer.outcome_ready.connect(self._on_outcome)
        self.reload_requested.connect(writer.reload_face_gallery)
        self.candidates_requested.connect(writer.reload_face_candidates)
        pages.currentChanged.connect(self.sync_task)
        screen.panel.currentChanged.connect(self.sync_task)

    @property
    def active(self) -> bool:
        """Face check-in can run: the models loaded and someone is enrolled."""
        return self._engine_ready and len(self.session.gallery) > 0 and not self._closed

    def start(self) -> None:
        """Load the gallery (on the writer thread) and start watching the screen; call after the writer starts."""
        self._request_reload()
        self._task_timer.start()

    def shutdown(self) -> None:
        """Stop: no more tasks, no more reloads (the window is closing)."""
        self._closed = True
        self._reload_timer.stop()
        self._task_timer.stop()
        self.sync_task()

    @Slot()
    def schedule_reload(self) -> None:
        """Enrolments, visits or sign-ups may have changed: check the gallery and the candidates after the burst."""
        if not self._closed:
            self._reload_timer.start()

    @Slot()
    def _request_reload(self) -> None:
        if not self._closed:
            self.reload_requested.emit(self._face.engine.model_version)
            self.candidates_requested.emit()

    @Slot(object)
    def _on_gallery_loaded(self, gallery: Gallery) -> None:
        self.session.set_gallery(gallery)
        self.sync_task()

    @Slot(object)
    def _on_candidates_loaded(self, candidates: Candidates) -> None:
        self.session.set_candidates(candidates)

    @Slot(bool)
    def _on_face_ready(self, ok: bool) -> None:
        self._engine_ready = ok
        if not ok:
            log.warning("face check-in is off: the face models could not be loaded (QR codes work)")
        self.sync_task()

    def _wanted(self) -> bool:
        screen = self._screen
        return (
            self.active
            and self._pages.currentWidget() is screen
            and screen.panel.currentWidget() is screen.idle
        )

    @Slot()
    def sync_task(self) -> None:
        """Put the session on the face thread when the kiosk screen is idle; take it off otherwise."""
        wanted = self._wanted()
        current = self._face.worker.task
        if wanted and current is not self.session:
            self._face.set_task(self.session)
        elif not wanted and current is self.session:
            self._face.set_task(None)
        if not wanted:
            self._paused_in_view = False
            self._screen.show_face_prompt(None)
        if self._shown_on is not self.active:
            self._shown_on = self.active
            self._screen.set_face_on(self.active)

    def paused(self, volunteer_id: str) -> bool:
        """Whether face check-in of ``volunteer_id`` is paused here (a face check-in of theirs was undone)."""
        now = self._monotonic()
        self._paused = {v: until for v, until in self._paused.items() if until > now}
        return volunteer_id in self._paused

    @Slot(object, object)
    def _on_outcome(self, outcome: object, request: object) -> None:
        """Anything written re-reads the candidates now; an undone face check-in or check-out pauses that volunteer."""
        if isinstance(outcome, Outcome) and outcome.confirmed and not self._closed:
            self.candidates_requested.emit()  # the next face must meet the new on-site list, not wait for the burst
        if (
            isinstance(outcome, Outcome)
            and outcome.kind is OutcomeKind.UNDONE
            and outcome.previous is not None
            and outcome.previous.method is Method.FACE
        ):
            volunteer_id = outcome.previous.volunteer_id
            self._paused[volunteer_id] = self._monotonic() + NOT_ME_PAUSE_S
            log.warning(
                "face check-in of %s paused for %.0f s: a face check-in was undone",
                volunteer_id,
                NOT_ME_PAUSE_S,
            )

    @Slot(object, object)
    def _on_face_update(self, task: object, update: object) -> None:
        if task is not self.session or not isinstance(update, FaceUpdate) or not self._wanted():
            return  # another screen's task, or a frame from before the screen changed
        identified = update.phase is FacePhase.IDENTIFIED and update.volunteer_id is not None
        if identified and self.paused(update.volunteer_id or ""):
            log.info(
                "face identified %s, whose face check-in is paused: the QR code is asked for",
                update.volunteer_id,
            )
            self._paused_in_view = True
            identified = False
        elif update.phase is not FacePhase.RESTING:
            self._paused_in_view = False  # the face left, or another one is being looked at
        prompt = face_prompt(update)
        if self._paused_in_view:
            prompt = FacePrompt(Guidance.USE_QR_CODE, PromptTone.REFUSAL, update.box, update.frame_size)
        self._screen.show_face_prompt(prompt)
        if identified and update.volunteer_id is not None:
            log.info(
                "face identified %s (distance %.3f, final %s)",
                update.volunteer_id,
                update.distance or 0.0,
                "-" if update.final_distance is None else f"{update.final_distance:.3f}",
            )
            self.identified.emit(update.volunteer_id)
