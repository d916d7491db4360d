"""Face check-in on the kiosk screen: the identification task, its gallery, the overlay, the check-ins.

```
writer thread   reload_face_gallery (only when enrolments changed) -> face_gallery_loaded(Gallery)
UI thread       FaceCheckIn: session.set_gallery; the task is on the face thread only while
                the kiosk screen shows its idle panel and the gallery is not empty
face thread     IdentifySession.feed(newest frame) -> update(task, FaceUpdate)
UI thread       the overlay shows the update; IDENTIFIED -> identified(volunteer ID) -> the window
                submits it like a scanned card (writer: ScanService.handle_face -> COMMIT -> result card)
```

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

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QStackedWidget

from kiosk.config import Config
from kiosk.face.liveness import LivenessSettings
from kiosk.face.matching import Gallery
from kiosk.face.session import FacePhase, FaceUpdate, IdentifySession
from kiosk.ui.face_prompts import face_prompt
from kiosk.ui.face_worker import FaceThread
from kiosk.ui.screens.kiosk_screen import KioskScreen
from kiosk.ui.writer_worker import WriterWorker

log = logging.getLogger(__name__)

RELOAD_DELAY_MS = 500
"""Writes come in bursts (a desk enrolment, a sync page): the gallery check waits for the burst to end."""
TASK_CHECK_MS = 1000
"""How often the task is re-asserted (another screen may have left its own task on the face thread)."""


def liveness_settings(config: Config) -> LivenessSettings | None:
    """The challenge's settings from ``[face] liveness``: ``challenge`` on (the default), ``off`` none."""
    return LivenessSettings() if config.get("face", "liveness") == "challenge" else None


class FaceCheckIn(QObject):
    """Runs identification on the kiosk screen while it is idle and turns an identification into a check-in."""

    identified = Signal(str)  # volunteer ID: check them in or out like a card
    reload_requested = Signal(str)  # the engine's model version -> the writer's reload_face_gallery

    def __init__(
        self,
        face: FaceThread,
        writer: WriterWorker,
        screen: KioskScreen,
        pages: QStackedWidget,
        liveness: LivenessSettings | None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__()
        self._face = face
        self._screen = screen
        self._pages = pages
        self.session = IdentifySession(face.engine, Gallery(), liveness=liveness, rng=rng)
        self._engine_ready = False
        self._closed = False
        self._shown_on: bool | None = None
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
        writer.data_changed.connect(self.schedule_reload)
        self.reload_requested.connect(writer.reload_face_gallery)
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
        """Enrolments may have changed: check the gallery after the current burst of writes."""
        if not self._closed:
            self._reload_timer.start()

    @Slot()
    def _request_reload(self) -> None:
        if not self._closed:
            self.reload_requested.emit(self._face.engine.model_version)

    @Slot(object)
    def _on_gallery_loaded(self, gallery: Gallery) -> None:
        self.session.set_gallery(gallery)
        self.sync_task()

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
            self._screen.camera.show_face_prompt(None)
        if self._shown_on is not self.active:
            self._shown_on = self.active
            self._screen.set_face_on(self.active)

    @Slot(object, object)
    def _on_face_update(self, task: object, update: object) -> None:
        if task is not self.session or not isinstance(update, FaceUpdate) or not self._wanted():
            return  # another screen's task, or a frame from before the screen changed
        self._screen.camera.show_face_prompt(face_prompt(update))
        if update.phase is FacePhase.IDENTIFIED and update.volunteer_id is not None:
            log.info(
                "face identified %s (distance %.3f, final %s)",
                update.volunteer_id,
                update.distance or 0.0,
                "-" if update.final_distance is None else f"{update.final_distance:.3f}",
            )
            self.identified.emit(update.volunteer_id)
