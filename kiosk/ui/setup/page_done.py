"""Step 5: ready. A summary of what was set up, a warning if cards cannot be checked yet, and Start."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.camera.discovery import CameraChoice
from kiosk.services.first_run import ProvisioningState
from kiosk.ui import theme
from kiosk.ui.setup import messages
from kiosk.ui.setup.style import big_button, hint_label, title_label
from kiosk.ui.widgets.retranslating import RetranslatingFrame


@dataclass(frozen=True)
class SetupSummary:
    """What the setup made of the kiosk, for the last page."""

    language: str
    provisioning: ProvisioningState
    camera: CameraChoice
    coordinators: tuple[str, ...]
    data_folder: str
    portable: bool
    kiosk_id: str


class DonePage(RetranslatingFrame):
    """Emits ``start_requested`` (Start), ``back_requested`` and ``connect_requested``.

    A kiosk that cannot check cards yet (set up "offline for now") is not
    called ready: the page says what is missing, its main action goes back
    to connecting, and starting anyway is the lesser button.
    """

    start_requested = Signal()
    back_requested = Signal()
    connect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._summary: SetupSummary | None = None
        self.title = title_label()
        self.hint = hint_label()
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(14)
        self.keys: list[QLabel] = []
        self.values: list[QLabel] = []
        for row in range(6):
            key, value = theme.text_role(QLabel(), "body", tone="muted"), theme.text_role(QLabel(), "body")
            value.setWordWrap(True)
            self.grid.addWidget(key, row, 0)
            self.grid.addWidget(value, row, 1)
            self.keys.append(key)
            self.values.append(value)
        self.grid.setColumnStretch(1, 1)
        self.warning = theme.notice(hint_label())
        self.warning.setObjectName("doneWarning")
        self.back_button = big_button(min_width=160)
        self.start_button = big_button(primary=True, min_width=360)
        self.connect_button = big_button(primary=True, min_width=360)
        self.back_button.clicked.connect(self.back_requested)
        self.start_button.clicked.connect(self.start_requested)
        self.connect_button.clicked.connect(self.connect_requested)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch()
        bottom.addWidget(self.start_button)
        bottom.addWidget(self.connect_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addSpacing(12)
        layout.addLayout(self.grid)
        layout.addSpacing(12)
        layout.addWidget(self.warning)
        layout.addStretch()
        layout.addLayout(bottom)
        self.retranslate()

    @property
    def summary(self) -> SetupSummary | None:
        """The summary shown (``None`` until it was read)."""
        return self._summary

    def set_summary(self, summary: SetupSummary) -> None:
        """Show ``summary``."""
        self._summary = summary
        self.retranslate()

    def set_busy(self, busy: bool) -> None:
        """While the finish is being saved, the buttons wait."""
        self.start_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)

    def retranslate(self) -> None:
        summary = self._summary
        cannot_check = summary is not None and not summary.provisioning.can_verify_cards
        if cannot_check:
            self.title.setText(self.tr("Not ready for volunteers' cards yet"))
            self.hint.setText(
                self.tr(
                    "Everything else is set up. Connect the kiosk to the platform so that it can check cards."
                )
            )
            self.start_button.setText(self.tr("Start anyway"))
            self.connect_button.setText(self.tr("Connect to the platform"))
        else:
            self.title.setText(self.tr("Ready ✓"))
            self.hint.setText(
                self.tr("The kiosk is set up. Check the summary, then start the kiosk screen for volunteers.")
            )
            self.start_button.setText(self.tr("Start the kiosk"))
        self.connect_button.setVisible(cannot_check)
        self.start_button.setStyleSheet(
            self.connect_button.styleSheet() if not cannot_check else self.back_button.styleSheet()
        )
        self.back_button.setText(self.tr("Back"))
        rows: list[tuple[str, str]] = []
        if summary is not None:
            folder = summary.data_folder
            if summary.portable:
                folder += "  " + self.tr("(on the USB stick: keep the stick in while the kiosk runs)")
            rows = [
                (self.tr("Language"), "中文（简体）" if summary.language == "zh_CN" else "English"),
                (self.tr("Connection"), messages.provisioning_words(summary.provisioning)),
                (self.tr("Camera"), messages.camera_words(summary.camera)),
                (self.tr("Coordinators"), "、".join(summary.coordinators)),
                (self.tr("Records folder"), folder),
                (self.tr("Kiosk ID"), summary.kiosk_id),
            ]
        for index, (key, value) in enumerate(zip(self.keys, self.values, strict=True)):
            shown = index < len(rows)
            key.setVisible(shown)
            value.setVisible(shown)
            if shown:
                key.setText(rows[index][0])
                value.setText(rows[index][1])
        self.warning.setVisible(cannot_check)
        self.warning.setText(
            self.tr(
                "This kiosk cannot check volunteers' cards yet: it is not connected to the platform. "
                "Connect it later: ⚙ Coordinator → Set up this kiosk."
            )
            if cannot_check
            else ""
        )
