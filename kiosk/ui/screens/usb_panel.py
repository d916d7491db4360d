"""The coordinator's USB stick screen: write the records to the stick, read the platform's reply.

For venues with no network (``docs/sync-protocol.md``, "USB bundles"). The
screen finds the stick itself (``kiosk.services.removable``); the work runs
on the writer thread and comes back as a :class:`UsbSummary`, which this
screen puts into words in the kiosk's language.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.services.usb_transfer import UsbSummary
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame


class UsbPanel(RetranslatingFrame):
    """Shows the stick found (or how to plug one in), the two actions, and the last result."""

    export_requested = Signal(str)  # the stick's folder
    import_requested = Signal(str)
    rescan_requested = Signal()
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stick: Path | None = None
        self._summary: UsbSummary | None = None
        self._busy = False
        self.title = theme.text_role(QLabel(), "title")
        self.stick_label = theme.text_role(QLabel(), "body")
        self.stick_label.setWordWrap(True)
        self.hint = theme.text_role(QLabel(), "body", tone="muted")
        self.hint.setWordWrap(True)
        self.result_label = theme.text_role(QLabel(), "large")
        self.result_label.setObjectName("usbResult")
        self.result_label.setWordWrap(True)
        self.export_button = QPushButton()
        self.import_button = QPushButton()
        self.rescan_button = QPushButton()
        self.back_button = QPushButton()
        for button in (self.export_button, self.import_button, self.rescan_button, self.back_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
            theme.button_variant(button, "secondary")
        for button in (self.rescan_button, self.back_button):
            button.setMinimumWidth(TOUCH_TARGET_PX * 3)
        self.export_button.clicked.connect(lambda *_: self._request(self.export_requested))
        self.import_button.clicked.connect(lambda *_: self._request(self.import_requested))
        self.rescan_button.clicked.connect(self.rescan_requested)
        self.back_button.clicked.connect(self.back_requested)
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.import_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch()
        bottom.addWidget(self.rescan_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.stick_label)
        layout.addWidget(self.hint)
        layout.addLayout(actions)
        layout.addWidget(self.result_label)
        layout.addStretch()
        layout.addLayout(bottom)
        self.retranslate()

    # -- state ---------------------------------------------------------------------------------

    def set_sticks(self, sticks: list[Path]) -> None:
        """Show the first stick found (or none); clears the last result."""
        self._stick = sticks[0] if sticks else None
        self._summary = None
        self._busy = False
        self.retranslate()

    def show_summary(self, summary: UsbSummary) -> None:
        """Show what the last step did; the buttons work again."""
        self._summary = summary
        self._busy = False
        self.retranslate()

    def _request(self, signal: SignalInstance) -> None:
        if self._stick is None or self._busy:
            return
        self._busy = True
        self._summary = None
        self.retranslate()
        signal.emit(str(self._stick))

    # -- words ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("USB stick"))
        if self._stick is None:
            self.stick_label.setText(self.tr("No USB stick found. Plug one in, then tap Look again."))
        else:
            name = self._stick.name or str(self._stick)  # the volume name; a drive letter on Windows
            self.stick_label.setText(self.tr("USB stick: %1").replace("%1", name))
        self.hint.setText(
            self.tr(
                "Without a network, records travel on the stick: write them to it, take it to the "
                "platform, and bring back its reply to read in."
            )
        )
        self.export_button.setText(self.tr("Write records to the stick"))
        self.import_button.setText(self.tr("Read the platform's reply"))
        self.rescan_button.setText(self.tr("Look again"))
        self.back_button.setText(self.tr("Back"))
        usable = self._stick is not None and not self._busy
        for button in (self.export_button, self.import_button):
            button.setEnabled(usable)
        self.back_button.setEnabled(not self._busy)
        if self._busy:
            self._set_result(self.tr("Working… do not pull out the stick."), "muted")
        elif self._summary is None:
            self._set_result("", "muted")
        else:
            text, good = self._summary_words(self._summary)
            self._set_result(text, "good" if good else "bad")

    def _set_result(self, text: str, tone: theme.Tone) -> None:
        self.result_label.setText(text)
        theme.set_tone(self.result_label, tone)

    def _summary_words(self, summary: UsbSummary) -> tuple[str, bool]:
        errors = {
            "not_set_up": self.tr(
                "This kiosk is not set up for USB transfer yet. Ask the platform for a provisioning file."
            ),
            "no_folder": self.tr("The stick is gone. Plug it in again, then tap Look again."),
            "write_failed": self.tr("The stick cannot be written: it may be full or locked."),
            "storage": self.tr("The kiosk could not read its records. Nothing was written."),
        }
        if summary.error is not None:
            return errors.get(summary.error, errors["storage"]), False
        waiting = self.tr("%n records waiting to sync.", "", summary.waiting)
        if summary.action == "export":
            written = self.tr("%n records written to the stick.", "", summary.records)
            then = self.tr("Take the stick to the platform. They stay waiting until its reply is read in.")
            return f"{written} {then}", True
        if not summary.files and not summary.refused:
            return self.tr("Nothing new from the platform on this stick.") + " " + waiting, True
        parts = [
            self.tr("%n records confirmed by the platform.", "", summary.records),
            self.tr("%n changes to the roster and activities.", "", summary.applied),
        ]
        if summary.refused:
            parts.append(
                self.tr(
                    "%n files refused (damaged, changed, or not for this kiosk): %1", "", len(summary.refused)
                ).replace("%1", ", ".join(summary.refused))
            )
        parts.append(waiting)
        return "\n".join(parts), not summary.refused
