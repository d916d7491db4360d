"""A stopped enrolment: the new face is another volunteer's as the kiosk sees it, and the coordinator decides.

Shown after a capture whose templates are nearer than the operating
threshold to another enrolled volunteer's
(:attr:`kiosk.services.face_enrolment.FaceRefusal.NEIGHBOUR`): nothing is
stored yet. The view says who the other volunteer is (masked name and ID)
and how near, and offers two answers as large buttons, each with a line on
what it does, and a way out:

- **the same person (registered twice)**: no face data is kept, the
  volunteer checks in with the QR code, and the platform should merge the
  two accounts;
- **two different people the camera cannot tell apart**: the templates are
  stored but the volunteer is QR code only, and the other volunteer must
  face the camera straight and hold still (a stricter margin);
- **cancel**: nothing is stored and nothing recorded.

After a tap the buttons stay disabled until the desk has the answer written.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.face.matching import OPERATING_THRESHOLD
from kiosk.services.face_enrolment import Neighbour
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame


class ConflictView(RetranslatingFrame):
    """Asks whether two faces are one person: ``same_person_chosen``, ``look_alike_chosen``, ``cancelled``."""

    same_person_chosen = Signal()
    look_alike_chosen = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._volunteer = ""
        self._other: Neighbour | None = None
        self._deciding = False
        self.title = theme.text_role(QLabel(), "title", tone="warn")
        self.title.setWordWrap(True)
        self.body = theme.text_role(QLabel(), "body")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.question = theme.text_role(QLabel(), "large", strong=True)
        self.question.setWordWrap(True)
        self.same_person_button = theme.button_variant(QPushButton(), "secondary", "large")
        self.look_alike_button = theme.button_variant(QPushButton(), "secondary", "large")
        self.cancel_button = theme.button_variant(QPushButton(), "secondary")
        for button in (self.same_person_button, self.look_alike_button, self.cancel_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
        self.same_person_note = theme.text_role(QLabel(), "small", tone="muted")
        self.look_alike_note = theme.text_role(QLabel(), "small", tone="muted")
        for note in (self.same_person_note, self.look_alike_note):
            note.setWordWrap(True)
            note.setTextFormat(Qt.TextFormat.PlainText)
        self.same_person_button.clicked.connect(lambda: self._decide(self.same_person_chosen))
        self.look_alike_button.clicked.connect(lambda: self._decide(self.look_alike_chosen))
        self.cancel_button.clicked.connect(self.cancelled)

        answers = QGridLayout()
        answers.setHorizontalSpacing(theme.SPACE_XL)
        answers.setVerticalSpacing(theme.SPACE_XL)
        answers.addWidget(self.same_person_button, 0, 0)
        answers.addWidget(self.same_person_note, 0, 1)
        answers.addWidget(self.look_alike_button, 1, 0)
        answers.addWidget(self.look_alike_note, 1, 1)
        answers.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addSpacing(theme.SPACE_XL)
        layout.addWidget(self.question)
        layout.addLayout(answers)
        layout.addStretch()
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    @property
    def other(self) -> Neighbour | None:
        """The volunteer whose face the new one is taken for."""
        return self._other

    def start(self, volunteer: str, other: Neighbour) -> None:
        """Ask about ``volunteer`` (their name) and ``other``; the answers can be tapped."""
        self._volunteer, self._other = volunteer, other
        self._deciding = False
        self.retranslate()

    def _decide(self, chosen: SignalInstance) -> None:
        if self._deciding:
            return
        self._deciding = True  # one answer per enrolment, however fast the second tap
        self.retranslate()
        chosen.emit()

    def _who(self) -> str:
        other = self._other
        if other is None:
            return ""
        if not other.masked_name:
            return other.volunteer_id
        return self.tr("%1 (%2)").replace("%1", other.masked_name).replace("%2", other.volunteer_id)

    def retranslate(self) -> None:
        who = self._who()
        distance = self._other.distance if self._other is not None else 0.0
        self.title.setText(self.tr("This face is already enrolled under another volunteer"))
        self.body.setText(
            self.tr(
                "The face of %1 is too close to that of %2 (distance %3, under %4): "
                "face check-in would take one for the other. Nothing is stored yet."
            )
            .replace("%1", self._volunteer)
            .replace("%2", who)
            .replace("%3", f"{distance:.2f}")
            .replace("%4", f"{OPERATING_THRESHOLD:.2f}")
        )
        self.question.setText(self.tr("Ask them: is this one person, or two?"))
        self.same_person_button.setText(self.tr("The same person (registered twice)"))
        self.same_person_note.setText(
            self.tr(
                "No face data is kept; %1 checks in with the QR code. "
                "Ask the platform to merge the two accounts."
            ).replace("%1", self._volunteer)
        )
        self.look_alike_button.setText(self.tr("Two different people the camera cannot tell apart"))
        self.look_alike_note.setText(
            self.tr(
                "%1 checks in by QR code only: the face data is stored, encrypted, only so that "
                "%1 is never taken for %2, who must face the camera straight and hold still."
            )
            .replace("%1", self._volunteer)
            .replace("%2", who)
        )
        self.cancel_button.setText(self.tr("Cancel: store nothing, record nothing"))
        for button in (self.same_person_button, self.look_alike_button, self.cancel_button):
            button.setEnabled(not self._deciding)
