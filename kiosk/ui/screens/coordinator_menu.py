"""What a coordinator can do at the kiosk after the PIN: open an activity, sync, the USB stick, the self-test, leave.

The full coordinator desk (manual check-in, corrections, reports) is its own
screen set; this menu is the kiosk screen's way in and out.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from checkin_protocol.models import Activity, ActivityStatus
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame

CONFIRM_MS = 5000  # how long a first tap on Close waits for the second


class CoordinatorMenu(RetranslatingFrame):
    """Lists the known activities with an Open button each; Back and Exit."""

    open_requested = Signal(str)
    close_requested = Signal(str)
    back_requested = Signal()
    exit_requested = Signal()
    sync_requested = Signal()
    usb_requested = Signal()
    self_test_requested = Signal()
    setup_requested = Signal()  # "Set up this kiosk": the first-run setup again, from the connection step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = theme.text_role(QLabel(), "title")
        self.hint = theme.text_role(QLabel(), "body", tone="muted")
        self.hint.setWordWrap(True)
        self._rows = QVBoxLayout()
        self.back_button = QPushButton()
        self.exit_button = QPushButton()
        self.sync_button = QPushButton()
        self.usb_button = QPushButton()
        self.self_test_button = QPushButton()
        self.setup_button = QPushButton()
        for button in (
            self.back_button,
            self.sync_button,
            self.usb_button,
            self.self_test_button,
            self.setup_button,
            self.exit_button,
        ):
            button.setMinimumSize(TOUCH_TARGET_PX * 2, TOUCH_TARGET_PX)
            theme.button_variant(button, "secondary")
        self.back_button.clicked.connect(self.back_requested)
        self.exit_button.clicked.connect(self.exit_requested)
        self.sync_button.clicked.connect(self.sync_requested)
        self.usb_button.clicked.connect(self.usb_requested)
        self.self_test_button.clicked.connect(self.self_test_requested)
        self.setup_button.clicked.connect(self.setup_requested)
        # The tools beside the title, the ways out at the bottom: six buttons in one row do not fit 1280 px.
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch()
        for button in (self.sync_button, self.usb_button, self.self_test_button, self.setup_button):
            top.addWidget(button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch()
        bottom.addWidget(self.exit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addLayout(self._rows)
        layout.addStretch()
        layout.addLayout(bottom)
        self._activities: list[Activity] = []
        self._tz: tzinfo | None = None
        self._counts: dict[str, tuple[int, int]] = {}
        self._armed: str | None = None  # the activity whose Close was tapped once
        self._disarm = QTimer(self)
        self._disarm.setSingleShot(True)
        self._disarm.setInterval(CONFIRM_MS)
        self._disarm.timeout.connect(self._on_disarm)
        self.close_buttons: dict[str, QPushButton] = {}
        self.open_buttons: dict[str, QPushButton] = {}
        self.retranslate()

    def set_activities(
        self, activities: list[Activity], tz: tzinfo, counts: dict[str, tuple[int, int]] | None = None
    ) -> None:
        """Show ``activities``; ``counts`` maps an activity to (on site, signed up)."""
        self._activities, self._tz = activities, tz
        self._counts = counts or {}
        self._rebuild()

    def _on_close_tapped(self, activity_id: str) -> None:
        """The first tap arms Close (it says how many will be checked out); the second closes."""
        if self._armed == activity_id:
            self._armed = None
            self._disarm.stop()
            self.close_requested.emit(activity_id)
            return
        self._armed = activity_id
        self._disarm.start()
        self._rebuild()

    def _on_disarm(self) -> None:
        self._armed = None
        self._rebuild()

    def _details(self, activity: Activity) -> str:
        assert self._tz is not None
        opens = activity.checkin_opens_at.astimezone(self._tz).strftime("%H:%M")
        closes = activity.checkin_closes_at.astimezone(self._tz).strftime("%H:%M")
        on_site, signups = self._counts.get(activity.activity_id, (0, 0))
        parts = [self.tr("check-in %1–%2").replace("%1", opens).replace("%2", closes)]
        if activity.capacity is not None:
            parts.append(
                self.tr("%1 of %2 on site").replace("%1", str(on_site)).replace("%2", str(activity.capacity))
            )
        else:
            parts.append(self.tr("%1 on site").replace("%1", str(on_site)))
        if activity.signup_required or signups:
            parts.append(self.tr("%1 signed up").replace("%1", str(signups)))
        return " · ".join(parts)

    def _rebuild(self) -> None:
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.close_buttons = {}
        self.open_buttons = {}
        for activity in self._activities:
            start = activity.starts_at.astimezone(self._tz).strftime("%m-%d %H:%M")
            end = activity.ends_at.astimezone(self._tz).strftime("%H:%M")
            row = QWidget()
            line = QHBoxLayout(row)
            label = QLabel(
                f"{activity.title}\n{activity.org_name} · {start}–{end}\n{self._details(activity)}"
            )
            theme.text_role(label, "small")
            line.addWidget(label, 1)
            button = theme.button_variant(QPushButton(), "secondary")
            button.setMinimumSize(TOUCH_TARGET_PX * 2, TOUCH_TARGET_PX)
            if activity.status is ActivityStatus.OPEN:
                on_site = self._counts.get(activity.activity_id, (0, 0))[0]
                if self._armed == activity.activity_id:
                    button.setText(self.tr("Tap again to close\n(%n still on site checked out)", "", on_site))
                    theme.button_variant(button, "destructive", "small")
                else:
                    button.setText(self.tr("Close"))
                button.clicked.connect(lambda *_, a=activity.activity_id: self._on_close_tapped(a))
                self.close_buttons[activity.activity_id] = button
            elif activity.status is ActivityStatus.CLOSED:
                button.setText(self.tr("Closed"))
                button.setEnabled(False)
            else:
                button.setText(self.tr("Open"))
                button.clicked.connect(lambda *_, a=activity.activity_id: self.open_requested.emit(a))
                self.open_buttons[activity.activity_id] = button
            line.addWidget(button)
            self._rows.addWidget(row)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Coordinator"))
        self.hint.setText(
            self.tr(
                "Open an activity for check-in (or scan its activity code at the kiosk); close it when it ends."
            )
        )
        self.back_button.setText(self.tr("Back to the kiosk"))
        self.exit_button.setText(self.tr("Exit the kiosk program"))
        self.sync_button.setText(self.tr("Sync now"))
        self.usb_button.setText(self.tr("USB stick"))
        self.self_test_button.setText(self.tr("Self-test"))
        self.setup_button.setText(self.tr("Set up this kiosk"))
        self._rebuild()
