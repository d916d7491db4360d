"""Step 3: choose the camera, see its live picture, and test it with any QR code.

Or no camera at all: a USB barcode scanner reads the cards then. It only
shows things and emits choices; :mod:`kiosk.ui.setup.camera_flow` opens the
cameras and saves the choice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.camera.discovery import NO_CAMERA, CameraChoice
from kiosk.ui.setup import messages
from kiosk.ui.setup.style import big_button, choice_button, hint_label, set_status, title_label
from kiosk.ui.widgets.camera_view import CameraView
from kiosk.ui.widgets.retranslating import RetranslatingFrame

TEST_STATES = ("", "searching", "waiting", "read", "no_camera", "save_failed")


class CameraPage(RetranslatingFrame):
    """The camera list, the preview and the test scan's answer."""

    choice_selected = Signal(object)  # CameraChoice
    rescan_requested = Signal()
    back_requested = Signal()
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices: list[CameraChoice] = []
        self._selected: CameraChoice | None = None
        self._test = ""
        self._detail = ""
        self.camera = CameraView()
        self.title = title_label()
        self.hint = hint_label(22)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.choice_buttons: list[QPushButton] = []
        self.choice_list = QVBoxLayout()
        self.no_camera_button = choice_button()
        self.no_camera_button.clicked.connect(lambda *_: self._select(NO_CAMERA))
        self.group.addButton(self.no_camera_button)
        self.test_label = hint_label()
        self.test_label.setObjectName("cameraTest")
        self.rescan_button = big_button()
        self.rescan_button.clicked.connect(self.rescan_requested)
        self.back_button = big_button(min_width=160)
        self.back_button.clicked.connect(self.back_requested)
        self.next_button = big_button(primary=True)
        self.next_button.clicked.connect(self.next_requested)
        self.next_button.setEnabled(False)
        right = QVBoxLayout()
        right.setSpacing(12)
        self.choice_list.setSpacing(12)
        right.addWidget(self.title)
        right.addWidget(self.hint)
        right.addLayout(self.choice_list)
        right.addWidget(self.no_camera_button)
        right.addWidget(self.test_label)
        right.addStretch()
        middle = QHBoxLayout()
        middle.setSpacing(32)
        middle.addWidget(self.camera, 5)
        middle.addLayout(right, 4)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.rescan_button)
        bottom.addStretch()
        bottom.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)
        self.retranslate()

    @property
    def selected(self) -> CameraChoice | None:
        """The camera chosen now (``NO_CAMERA`` for the scanner only), or ``None``."""
        return self._selected

    def set_choices(self, choices: list[CameraChoice], selected: CameraChoice | None) -> None:
        """List ``choices`` (the cameras found) and mark ``selected``; "no camera" is always offered."""
        for button in self.choice_buttons:
            self.group.removeButton(button)
            self.choice_list.removeWidget(button)
            button.deleteLater()
        self._choices = list(choices)
        self.choice_buttons = []
        for choice in self._choices:
            button = choice_button()
            button.clicked.connect(lambda *_, c=choice: self._select(c))
            self.group.addButton(button)
            self.choice_list.addWidget(button)
            self.choice_buttons.append(button)
        self._selected = None
        self.retranslate()
        if selected is not None:
            self._select(selected)

    def _select(self, choice: CameraChoice) -> None:
        self._selected = choice
        buttons = [*self.choice_buttons, self.no_camera_button]
        for button, each in zip(buttons, [*self._choices, NO_CAMERA], strict=True):
            button.setChecked(each == choice)
        self.next_button.setEnabled(True)
        self.retranslate()
        self.choice_selected.emit(choice)

    def set_test(self, state: str, detail: str = "") -> None:
        """The test scan's state: searching, waiting (for a QR code), read, no_camera, save_failed, or ""."""
        if state not in TEST_STATES:
            raise ValueError(f"unknown test state {state!r}")
        self._test, self._detail = state, detail
        searching = state == "searching"
        self.rescan_button.setEnabled(not searching)
        self.retranslate()

    @property
    def test_state(self) -> str:
        """The test scan's state (see :meth:`set_test`)."""
        return self._test

    def _test_words(self) -> tuple[str, str]:
        words: dict[str, Callable[[], tuple[str, str]]] = {
            "": lambda: ("", "info"),
            "searching": lambda: (self.tr("Looking for cameras…"), "busy"),
            "waiting": lambda: (self.tr("Test it: hold any QR code up to the camera."), "info"),
            "read": lambda: (self.tr("QR code read ✓ The camera works."), "good"),
            "no_camera": lambda: (
                self.tr("Volunteers scan their cards with the USB barcode scanner; plug it in now."),
                "info",
            ),
            "save_failed": lambda: (
                self.tr("The choice could not be saved: %1").replace("%1", self._detail),
                "bad",
            ),
        }
        return words[self._test]()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Choose the camera"))
        self.hint.setText(self.tr("Tap a camera to see its picture. Point it where volunteers will stand."))
        for button, choice in zip(self.choice_buttons, self._choices, strict=True):
            button.setText(messages.camera_words(choice))
        self.no_camera_button.setText(messages.camera_words(NO_CAMERA))
        if not self._choices and self._test != "searching":
            self.hint.setText(
                self.tr("No camera was found. Plug one in and tap Look again, or use a USB barcode scanner.")
            )
        text, tone = self._test_words()
        set_status(self.test_label, text, tone)
        self.rescan_button.setText(self.tr("Look again"))
        self.back_button.setText(self.tr("Back"))
        if self._selected == NO_CAMERA:
            self.next_button.setText(self.tr("Go on without a camera"))
        else:
            self.next_button.setText(self.tr("Use this camera"))
