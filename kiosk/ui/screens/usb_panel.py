"""The coordinator's USB stick screen: write the records to the stick, read the platform's reply.

For venues with no network (``docs/sync-protocol.md``, "USB bundles"). The
screen finds the stick itself (``kiosk.services.removable``); the work runs
on the writer thread and comes back as a :class:`UsbSummary`, which this
screen words in the kiosk's language as lines (:mod:`kiosk.ui.usb_lines`): a summary
line first, in green, amber or red with its icon, then a line per thing
done, each in its own tone.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.services.usb_transfer import UsbSummary
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.usb_lines import UsbLine, UsbResult
from kiosk.ui.widgets.retranslating import RetranslatingFrame


class UsbPanel(RetranslatingFrame):
    """Shows the stick found, the two actions, and the last result (or how to plug a stick in)."""

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
        self.stick_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint = theme.text_role(QLabel(), "body", tone="muted")
        self.hint.setWordWrap(True)
        self.result_label = theme.text_role(QLabel(), "large", strong=True)  # the summary line
        self.result_label.setObjectName("usbResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_lines: list[QLabel] = []  # the lines under it
        self._lines = QVBoxLayout()
        self._lines.setSpacing(theme.SPACE_XS)
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
        layout.addSpacing(theme.SPACE_L)
        layout.addWidget(self.result_label)
        layout.addLayout(self._lines)
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
        if self._stick is not None:
            name = self._stick.name or str(self._stick)  # the volume name; a drive letter on Windows
            self.stick_label.setText(self.tr("USB stick: %1").replace("%1", name))
        self.stick_label.setVisible(self._stick is not None)
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
        if self._stick is None:
            self._show_result(self._no_stick())
        elif self._busy:
            self._show_result(UsbResult(UsbLine(self.tr("Working… do not pull out the stick."), "muted")))
        elif self._summary is None:
            self._show_result(UsbResult(UsbLine("", "muted")))
        else:
            self._show_result(self._result(self._summary))

    def _show_result(self, result: UsbResult) -> None:
        """The summary line in the large label, each other line in a label of its own, in its tone."""
        self.result_label.setText(result.summary.shown)
        theme.set_tone(self.result_label, result.summary.tone)
        for label in self.result_lines:
            self._lines.removeWidget(label)
            label.deleteLater()
        self.result_lines = []
        for line in result.lines:
            label = theme.text_role(QLabel(line.shown), "body")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            theme.set_tone(label, line.tone)
            self._lines.addWidget(label)
            self.result_lines.append(label)

    def _no_stick(self) -> UsbResult:
        """What to do while no stick is found."""
        then = UsbLine(self.tr("Plug one in, then tap Look again."))
        return UsbResult(UsbLine(self.tr("No USB stick found"), "warn"), (then,))

    def _result(self, summary: UsbSummary) -> UsbResult:
        """What ``summary`` says, in the current language."""
        if summary.error is not None:
            return self._error(summary.error)
        return self._export(summary) if summary.action == "export" else self._import(summary)

    def _error(self, kind: str) -> UsbResult:
        words = {
            "not_set_up": (
                self.tr("This kiosk is not set up for USB transfer yet"),
                self.tr("Ask the platform for a provisioning file."),
            ),
            "no_folder": (
                self.tr("No USB stick found"),
                self.tr("Plug the stick in again, then tap Look again."),
            ),
            "write_failed": (
                self.tr("The stick cannot be written"),
                self.tr("It may be full, or locked by its write-protect switch."),
            ),
        }
        storage = (
            self.tr("The kiosk could not read its records"),
            self.tr("Nothing was changed. Restart the kiosk and try again."),
        )
        summary, then = words.get(kind, storage)
        return UsbResult(UsbLine(summary, "bad"), (UsbLine(then),))

    def _waiting(self, summary: UsbSummary) -> UsbLine:
        if summary.waiting == 0:
            return UsbLine(self.tr("Every record is synced."), "good")
        return UsbLine(self.tr("%n records waiting to sync.", "", summary.waiting), "muted")

    def _export(self, summary: UsbSummary) -> UsbResult:
        if summary.records:
            done = self.tr("%n records exported to the USB stick", "", summary.records)
        else:
            done = self.tr("The stick is ready: no records were waiting")
        then = self.tr("Take the stick to the platform. They stay waiting until its reply is read in.")
        return UsbResult(UsbLine(done, "good"), (UsbLine(then),))

    def _import(self, summary: UsbSummary) -> UsbResult:
        if not summary.files and not summary.refused:
            nothing = UsbLine(self.tr("Nothing new from the platform on this stick."), "muted")
            return UsbResult(nothing, (self._waiting(summary),))
        lines: list[UsbLine] = []
        if summary.files:
            confirmed = self.tr("%n records confirmed by the platform.", "", summary.records)
            changes = self.tr("%n changes to the roster and activities.", "", summary.applied)
            lines += [UsbLine(confirmed, "good"), UsbLine(changes, "good")]
        if summary.refused:
            refused = self.tr(
                "%n files refused (damaged, changed, or not for this kiosk): %1", "", len(summary.refused)
            )
            lines.append(UsbLine(refused.replace("%1", ", ".join(summary.refused)), "bad"))
        lines.append(self._waiting(summary))
        if not summary.files:
            head = UsbLine(self.tr("The platform's reply could not be read in"), "bad")
        elif summary.refused:
            head = UsbLine(self.tr("The platform's reply was read in, but not all of it"), "warn")
        else:
            head = UsbLine(self.tr("The platform's reply was read in"), "good")
        return UsbResult(head, tuple(lines))
