"""The desk's receipt check: is the service receipt a volunteer brings true, and does this kiosk hold the visit?

In a dispute ("I was here on Saturday, where are my hours?") the volunteer
shows the receipt the check-out card gave them (a QR code saved on their
phone). The coordinator scans it with the desk's scanner or the camera, or
pastes it into the field; :func:`kiosk.services.receipts.check_receipt`
answers offline and this page says it in plain words:

- a receipt this kiosk signed: **valid**, the visit (name, activity, times,
  minutes), and whether this kiosk still holds the check-in and check-out
  and whether they reached the platform;
- another kiosk's receipt: check it on the platform (its page's address);
- altered or forged: **not valid**, plainly;
- not a receipt, or damaged: say so.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkin_protocol.codes.receipts import ReceiptRefusal, ServiceReceipt
from kiosk.services.receipts import EventFinding, HeldEvent, ReceiptCheck, ReceiptVerdict
from kiosk.ui import theme
from kiosk.ui.messages import format_duration
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.touch_keyboard import want_keyboard

_TONES: dict[ReceiptVerdict, theme.Tone] = {
    ReceiptVerdict.VALID: "good",
    ReceiptVerdict.INVALID: "bad",
    ReceiptVerdict.ANOTHER_KIOSK: "info",
    ReceiptVerdict.UNVERIFIABLE: "warn",
    ReceiptVerdict.UNREADABLE: "warn",
}


_TO_THE_PLATFORM = (ReceiptVerdict.ANOTHER_KIOSK, ReceiptVerdict.UNVERIFIABLE)
"""The verdicts that send the coordinator to the platform, with the receipt's page there."""
LINK_LINES = 5
"""Lines for the platform page's address (a receipt's is about 330 characters: 5 lines at 1280 px)."""


class ReceiptCheckPage(RetranslatingFrame):
    """A field for the receipt (scanned or pasted), and what the check found; emits ``check_requested(text)``."""

    check_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._check: ReceiptCheck | None = None
        self._tz: tzinfo | None = None
        self.title = theme.text_role(QLabel(), "title")
        self.hint = theme.text_role(QLabel(), "body", tone="muted")
        self.hint.setWordWrap(True)
        self.field = theme.text_role(QLineEdit(), "body")
        self.field.setObjectName("receiptField")
        self.field.setMinimumHeight(TOUCH_TARGET_PX * 3 // 4)
        want_keyboard(self.field, "letters")
        self.field.returnPressed.connect(self._on_check)  # a USB scanner ends with Enter
        self.check_button = theme.button_variant(QPushButton(), "primary")
        self.clear_button = theme.button_variant(QPushButton(), "secondary")
        for button in (self.check_button, self.clear_button):
            button.setMinimumSize(TOUCH_TARGET_PX * 2, TOUCH_TARGET_PX * 3 // 4)
        self.check_button.clicked.connect(self._on_check)
        self.clear_button.clicked.connect(self.clear)
        self.verdict = theme.text_role(QLabel(), "headline")
        self.verdict.setObjectName("receiptVerdict")
        self.verdict.setWordWrap(True)
        self.details = theme.text_role(QLabel(), "large")
        self.details.setObjectName("receiptDetails")
        self.details.setWordWrap(True)
        # The platform's page of the receipt: one long word, so a read-only box that wraps anywhere.
        self.link = theme.text_role(QPlainTextEdit(), "body")
        self.link.setObjectName("receiptPlatformLink")
        self.link.setReadOnly(True)
        self.link.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.link.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        entry = QHBoxLayout()
        entry.addWidget(self.field, 1)
        entry.addWidget(self.check_button)
        entry.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACE_M)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(entry)
        layout.addWidget(self.verdict)
        layout.addWidget(self.details)
        layout.addWidget(self.link)
        layout.addStretch(1)
        self.retranslate()

    def clear(self) -> None:
        """An empty field and no answer, ready for the next receipt."""
        self.field.clear()
        self._check = None
        self._render()
        self.field.setFocus()

    def show_check(self, check: ReceiptCheck, tz: tzinfo) -> None:
        """Say what the check found; times are shown in ``tz`` (the kiosk's zone)."""
        self._check, self._tz = check, tz
        self._render()

    def _on_check(self) -> None:
        text = self.field.text().strip()
        if text:
            self.check_requested.emit(text)

    def _render(self) -> None:
        check = self._check
        self.verdict.setVisible(check is not None)
        self.details.setVisible(check is not None)
        link = check.platform_url if check is not None and check.verdict in _TO_THE_PLATFORM else None
        self.link.setPlainText(link or "")
        self.link.setVisible(bool(link))
        if link:
            self.link.ensurePolished()  # the theme's font for the body text, to measure the lines by
            margins = 2 * (self.link.frameWidth() + int(self.link.document().documentMargin()))
            self.link.setFixedHeight(self.link.fontMetrics().lineSpacing() * LINK_LINES + margins)
        if check is None:
            return
        theme.set_tone(self.verdict, _TONES[check.verdict])
        self.verdict.setText(self._verdict_words(check))
        self.details.setText("\n".join(self._detail_lines(check)))

    def _verdict_words(self, check: ReceiptCheck) -> str:
        if check.verdict is ReceiptVerdict.UNREADABLE:
            if check.refusal is ReceiptRefusal.FOREIGN:
                return self.tr("✘ This is not a service receipt")
            if check.refusal is ReceiptRefusal.UNSUPPORTED_VERSION:
                return self.tr("This receipt is of a newer kind than this kiosk can read")
            return self.tr("✘ The receipt is damaged and cannot be read")
        return {
            ReceiptVerdict.VALID: self.tr("✔ Valid: this kiosk issued this receipt"),
            ReceiptVerdict.INVALID: self.tr("✘ Not valid: this receipt was altered or forged"),
            ReceiptVerdict.ANOTHER_KIOSK: self.tr(
                "A receipt of another kiosk: please check it on the platform"
            ),
            ReceiptVerdict.UNVERIFIABLE: self.tr(
                "This kiosk has no device key to check it: please check it on the platform"
            ),
        }[check.verdict]

    def _detail_lines(self, check: ReceiptCheck) -> list[str]:
        receipt = check.receipt
        if check.verdict is ReceiptVerdict.UNREADABLE or receipt is None:
            if check.refusal is ReceiptRefusal.UNSUPPORTED_VERSION:
                return [self.tr("Update this kiosk, or check the receipt on the platform.")]
            return [self.tr("Scan the receipt's QR code on the volunteer's phone again, or paste its text.")]
        if check.verdict is ReceiptVerdict.INVALID:
            return [
                self.tr(
                    "It names this kiosk, but its signature does not match: the visit on it is not proof."
                ),
                self.tr("Do not record hours from it."),
            ]
        if check.verdict is ReceiptVerdict.VALID:
            return [*self._visit_lines(check, receipt), *self._record_lines(check)]
        lines = [self.tr("Kiosk: %1").replace("%1", receipt.kiosk_id)]
        if check.platform_url:
            lines.append(self.tr("Its page on the platform (the phone opens it from the QR code too):"))
        else:
            lines.append(self.tr("This kiosk knows no platform address: open the receipt on the phone."))
        return lines

    def _visit_lines(self, check: ReceiptCheck, receipt: ServiceReceipt) -> list[str]:
        name = check.volunteer_name
        who = f"{name} ({receipt.volunteer_id})" if name else receipt.volunteer_id
        checked_in, checked_out = self._local(receipt.checked_in), self._local(receipt.checked_out)
        same_day = checked_in.date() == checked_out.date()
        out_format = "%H:%M" if same_day else "%Y-%m-%d %H:%M"
        return [
            self.tr("Volunteer: %1").replace("%1", who),
            self.tr("Activity: %1").replace("%1", check.activity_title or receipt.activity_id),
            self.tr("Checked in %1, checked out %2")
            .replace("%1", checked_in.strftime("%Y-%m-%d %H:%M"))
            .replace("%2", checked_out.strftime(out_format)),
            self.tr("Service credited: %1").replace("%1", format_duration(receipt.minutes * 60)),
        ]

    def _record_lines(self, check: ReceiptCheck) -> list[str]:
        events = (check.check_in, check.check_out)
        findings = {e.finding for e in events if e is not None}
        if EventFinding.MISSING in findings:
            return [
                self.tr("This kiosk no longer holds this visit (its records were reset or restored)."),
                self.tr("Check the platform: the receipt is proof the visit was recorded here."),
            ]
        if EventFinding.DIFFERENT in findings:
            return [self.tr("This kiosk's records differ from the receipt: please check on the platform.")]
        lines = []
        if check.check_out is not None and check.check_out.finding is EventFinding.UNDONE:
            lines.append(self.tr("The check-out was undone afterwards at this kiosk."))
        elif check.check_in is not None and check.check_in.finding is EventFinding.UNDONE:
            lines.append(self.tr("The check-in was undone afterwards at this kiosk."))
        else:
            lines.append(self.tr("This kiosk holds the check-in and the check-out."))
        lines.append(self._delivery_line(events))
        return lines

    def _delivery_line(self, events: tuple[HeldEvent | None, HeldEvent | None]) -> str:
        if any(e is not None and e.rejected for e in events):
            return self.tr("The platform refused these records: please check on the platform.")
        if all(e is not None and e.delivered for e in events):
            return self.tr("Both have reached the platform.")
        return self.tr("Not on the platform yet: they go with the kiosk's next sync.")

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self._tz)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Check a service receipt"))
        self.hint.setText(
            self.tr(
                "Scan the receipt's QR code on the volunteer's phone with the scanner or the camera, "
                "or paste its text here."
            )
        )
        self.field.setPlaceholderText(self.tr("Receipt (VR1:… or its web address)"))
        self.check_button.setText(self.tr("Check"))
        self.clear_button.setText(self.tr("Clear"))
        self._render()
