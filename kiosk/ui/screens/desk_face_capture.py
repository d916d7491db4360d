"""The capture step of face enrolment: the live picture, what to do, and how many good pictures are in.

The volunteer looks at the camera; the hint in large type says what to
change (closer, more light, look straight, hold still, one person at a
time) and the counter shows the good pictures kept, "3 / 5". The
coordinator can save once 3 are in, or cancel; after 5 the enrolment is
saved by itself. Only descriptors are kept, never the pictures.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.face.enrol_capture import CaptureUpdate, Guidance
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.face_preview import FacePreview
from kiosk.ui.widgets.retranslating import RetranslatingFrame

GOOD_GUIDANCE = frozenset({Guidance.GOOD, Guidance.DONE})


class CaptureView(RetranslatingFrame):
    """The preview, the hint and the counter; emits ``save_requested``, ``cancel_requested``, ``retry_requested``."""

    save_requested = Signal()
    cancel_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._volunteer = ""
        self._guidance: Guidance | None = None
        self._last_hint: Guidance | None = None
        self._kept, self._target, self._minimum = 0, 5, 3
        self._saving = False
        self.preview = FacePreview()
        self.name = theme.text_role(QLabel(), "large", strong=True)
        self.name.setWordWrap(True)
        self.hint = theme.text_role(QLabel(), "title")
        self.hint.setWordWrap(True)
        self.hint.setMinimumHeight(150)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.counter = theme.text_role(QLabel(), "figure")
        self.counter_caption = theme.text_role(QLabel(), "small", tone="muted")
        self.note = theme.text_role(QLabel(), "caption", tone="muted")
        self.note.setWordWrap(True)
        self.save_button = QPushButton()
        self.retry_button = QPushButton()
        self.cancel_button = QPushButton()
        for button in (self.save_button, self.retry_button, self.cancel_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
            theme.button_variant(button, "secondary")
        self.save_button.clicked.connect(self.save_requested)
        self.retry_button.clicked.connect(self.retry_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)

        side = QVBoxLayout()
        side.addWidget(self.name)
        side.addWidget(self.hint)
        side.addWidget(self.counter)
        side.addWidget(self.counter_caption)
        side.addStretch()
        side.addWidget(self.note)
        side.addWidget(self.save_button)
        side.addWidget(self.retry_button)
        side.addWidget(self.cancel_button)
        layout = QHBoxLayout(self)
        layout.addWidget(self.preview, 3)
        layout.addLayout(side, 2)
        self.start("", 5, 3)

    @property
    def guidance(self) -> Guidance | None:
        """The hint shown now (None before the first frame)."""
        return self._guidance

    @property
    def kept(self) -> int:
        """Good pictures kept so far, as shown on the counter."""
        return self._kept

    def start(self, volunteer: str, target: int, minimum: int) -> None:
        """A new capture for ``volunteer``: no picture yet, nothing kept."""
        self._volunteer, self._target, self._minimum = volunteer, target, minimum
        self._guidance = self._last_hint = None
        self._kept = 0
        self._saving = False
        self.preview.clear()
        self.retranslate()

    def show_update(self, update: CaptureUpdate) -> None:
        """Show what the capture said after a frame."""
        self._guidance = update.guidance
        if update.guidance not in (Guidance.TIMED_OUT, Guidance.STOPPED, Guidance.DONE):
            self._last_hint = update.guidance
        self._kept = update.kept
        self.preview.set_face(update.box, update.frame_size, update.guidance in GOOD_GUIDANCE)
        self.retranslate()

    def show_saving(self) -> None:
        """The descriptors went to be stored: no more buttons but Cancel's absence."""
        self._saving = True
        self.retranslate()

    def stop(self) -> None:
        """The capture is over: drop the picture."""
        self.preview.clear()

    def _hint_text(self) -> str:
        texts = {
            None: self.tr("Starting the camera…"),
            Guidance.NO_FACE: self.tr("Look into the camera."),
            Guidance.ONE_PERSON: self.tr("One person at a time in front of the camera, please."),
            Guidance.MOVE_CLOSER: self.tr("Come closer to the camera."),
            Guidance.TOO_DARK: self.tr("Too dark: more light on the face, please."),
            Guidance.BACKLIT: self.tr("The light is behind you: turn so that it falls on your face."),
            Guidance.LOOK_AT_CAMERA: self.tr("Look straight at the camera, head level."),
            Guidance.HOLD_STILL: self.tr("Hold still."),
            Guidance.GOOD: self.tr("Good. Keep looking at the camera."),
            Guidance.STARTED_OVER: self.tr("A different face: starting again with this person."),
            Guidance.DONE: self.tr("Done. Saving…"),
            Guidance.STOPPED: self.tr("Saving…"),
        }
        if self._guidance is Guidance.TIMED_OUT:
            if self._kept >= self._minimum:
                return self.tr("Time is up. Save the %1 good pictures, or try again.").replace(
                    "%1", str(self._kept)
                )
            last = texts.get(self._last_hint, "") if self._last_hint not in GOOD_GUIDANCE else ""
            return (self.tr("Time is up: not enough good pictures.") + " " + last).strip()
        return texts.get(self._guidance, "")

    def retranslate(self) -> None:
        good = self._guidance in GOOD_GUIDANCE
        theme.set_tone(self.hint, None if self._guidance is None else "good" if good else "warn")
        self.hint.setText(self._hint_text())
        self.name.setText(self._volunteer)
        self.counter.setText(f"{self._kept} / {self._target}")
        self.counter_caption.setText(self.tr("good pictures (at least %1)").replace("%1", str(self._minimum)))
        self.note.setText(self.tr("No photo is kept: only numbers computed from the face."))
        running = self._guidance not in (Guidance.TIMED_OUT, Guidance.DONE) and not self._saving
        timed_out = self._guidance is Guidance.TIMED_OUT
        self.save_button.setText(self.tr("Save now (%1)").replace("%1", str(self._kept)))
        self.save_button.setEnabled(self._kept >= self._minimum and not self._saving)
        self.save_button.setVisible(running or (timed_out and self._kept >= self._minimum))
        self.retry_button.setText(self.tr("Try again"))
        self.retry_button.setVisible(timed_out)
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setEnabled(not self._saving)
