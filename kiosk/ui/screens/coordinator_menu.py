"""What a coordinator can do at the kiosk after the PIN: open and end activities, sync, the USB stick, the self-test, leave.

Each activity shows its state as a status chip (未开始 not started, 进行中 in
progress, 已结束 ended) beside its one action: **Open check-in** for one not
started, **End activity…** for one in progress, none for one ended.

The everyday tools (Sync now, USB stick, Self-test) sit beside the title and
**Back to the kiosk** at the bottom left. What cannot be taken back is set
apart and drawn in the action's red (the ``caution`` look): ending an
activity (everyone still on site is checked out), and, at the bottom right
under "This kiosk", setting the kiosk up again and exiting the program. Each
asks once more in a :class:`~kiosk.ui.widgets.confirm_panel.ConfirmPanel`
that takes the page's place, with a **Cancel** as large as the action.

The full coordinator desk (manual check-in, corrections, reports) is its own
screen set; this menu is its Activities tab and the kiosk screen's way out.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from checkin_protocol.models import Activity, ActivityStatus
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.confirm_panel import ConfirmPanel
from kiosk.ui.widgets.retranslating import RetranslatingFrame

END_PREFIX = "end:"
"""The confirm panel's key for ending an activity: this prefix and the activity's ID."""
EXIT_KEY = "exit"
SETUP_KEY = "setup"

STATUS_TONES: dict[ActivityStatus, theme.StatusTone] = {
    ActivityStatus.SCHEDULED: "info",
    ActivityStatus.OPEN: "good",
    ActivityStatus.CLOSED: "muted",
}


class CoordinatorMenu(RetranslatingFrame):
    """Lists the known activities with their state and action; the tools, Back, and the guarded ways out."""

    open_requested = Signal(str)
    close_requested = Signal(str)  # after the confirming tap
    back_requested = Signal()
    exit_requested = Signal()  # after the confirming tap
    sync_requested = Signal()
    usb_requested = Signal()
    self_test_requested = Signal()
    setup_requested = (
        Signal()
    )  # "Set up this kiosk again", confirmed: the setup again, from the connection step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = theme.text_role(QLabel(), "title")
        self.hint = theme.text_role(QLabel(), "body", tone="muted")
        self.hint.setWordWrap(True)
        self.back_button = theme.button_variant(QPushButton(), "secondary")
        self.sync_button = theme.button_variant(QPushButton(), "secondary")
        self.usb_button = theme.button_variant(QPushButton(), "secondary")
        self.self_test_button = theme.button_variant(QPushButton(), "secondary")
        self.setup_button = theme.button_variant(QPushButton(), "caution")
        self.exit_button = theme.button_variant(QPushButton(), "caution")
        for button in (
            self.back_button,
            self.sync_button,
            self.usb_button,
            self.self_test_button,
            self.setup_button,
            self.exit_button,
        ):
            button.setMinimumSize(TOUCH_TARGET_PX * 2, TOUCH_TARGET_PX)
        self.this_kiosk = theme.text_role(QLabel(), "small", tone="muted")
        self.back_button.clicked.connect(self.back_requested)
        self.sync_button.clicked.connect(self.sync_requested)
        self.usb_button.clicked.connect(self.usb_requested)
        self.self_test_button.clicked.connect(self.self_test_requested)
        self.setup_button.clicked.connect(self._ask_setup)
        self.exit_button.clicked.connect(self._ask_exit)
        self.confirm_panel = ConfirmPanel()
        self.confirm_panel.confirmed.connect(self._on_confirmed)
        self.confirm_panel.cancelled.connect(self._show_main)

        self._activities: list[Activity] = []
        self._tz: tzinfo | None = None
        self._counts: dict[str, tuple[int, int]] = {}
        self.close_buttons: dict[str, QPushButton] = {}  # "End activity…" per activity in progress
        self.open_buttons: dict[str, QPushButton] = {}  # "Open check-in" per activity not started
        self.status_chips: dict[str, QLabel] = {}

        self.views = QStackedWidget()
        self.views.addWidget(self._main_view())
        self.views.addWidget(ConfirmPanel.centred(self.confirm_panel))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.views)
        self.retranslate()

    def _main_view(self) -> QWidget:
        # The tools beside the title, the ways out at the bottom: six buttons in one row do not fit 1280 px.
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch()
        for button in (self.sync_button, self.usb_button, self.self_test_button):
            top.addWidget(button)
        self._rows = QVBoxLayout()
        self._rows.setSpacing(theme.SPACE_L)
        rows = QWidget()
        rows_layout = QVBoxLayout(rows)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_layout.addLayout(self._rows)
        rows_layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(rows)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch()
        bottom.addWidget(self.this_kiosk)
        bottom.addSpacing(theme.SPACE_S)
        bottom.addWidget(self.setup_button)
        bottom.addSpacing(theme.SPACE_M)
        bottom.addWidget(self.exit_button)
        view = QWidget()
        layout = QVBoxLayout(view)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(scroll, 1)
        layout.addSpacing(theme.SPACE_M)
        layout.addLayout(bottom)
        return view

    # -- what the desk sets ------------------------------------------------------------------------

    def set_activities(
        self, activities: list[Activity], tz: tzinfo, counts: dict[str, tuple[int, int]] | None = None
    ) -> None:
        """Show ``activities``; ``counts`` maps an activity to (on site, signed up)."""
        self._activities, self._tz = activities, tz
        self._counts = counts or {}
        self._rebuild()

    @property
    def confirming(self) -> str:
        """The action the confirm panel asks about ("" when the activity list is shown)."""
        return self.confirm_panel.key

    # -- the second tap ------------------------------------------------------------------------------

    def _ask(self, key: str, question: str, detail: str, action: str) -> None:
        self.confirm_panel.ask(key, question, detail, action)
        self.views.setCurrentIndex(1)

    def _ask_end(self, activity_id: str) -> None:
        activity = next((a for a in self._activities if a.activity_id == activity_id), None)
        if activity is None:
            return
        on_site = self._counts.get(activity_id, (0, 0))[0]
        detail = (
            self.tr(
                "Check-in at this activity closes, and everyone still on site (%n) is checked out.",
                "",
                on_site,
            )
            if on_site
            else self.tr("Check-in at this activity closes; nobody is on site.")
        )
        self._ask(
            END_PREFIX + activity_id,
            self.tr("End “%1”?").replace("%1", activity.title),
            detail,
            self.tr("End activity"),
        )

    def _ask_exit(self) -> None:
        self._ask(
            EXIT_KEY,
            self.tr("Exit the kiosk program?"),
            self.tr("Volunteers cannot check in until the program is started again."),
            self.tr("Exit the program"),
        )

    def _ask_setup(self) -> None:
        self._ask(
            SETUP_KEY,
            self.tr("Set up this kiosk again?"),
            self.tr("The check-in screen closes and the setup opens at the connection step."),
            self.tr("Set up again"),
        )

    def _on_confirmed(self, key: str) -> None:
        self._show_main()
        if key.startswith(END_PREFIX):
            self.close_requested.emit(key.removeprefix(END_PREFIX))
        elif key == EXIT_KEY:
            self.exit_requested.emit()
        elif key == SETUP_KEY:
            self.setup_requested.emit()

    def _show_main(self, *_: object) -> None:
        self.views.setCurrentIndex(0)

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the page (another tab, the desk locked) answers an open question with "no"."""
        self.confirm_panel.cancel()
        super().hideEvent(event)

    # -- the list --------------------------------------------------------------------------------------

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

    def _status_word(self, status: ActivityStatus) -> str:
        return {
            ActivityStatus.SCHEDULED: self.tr("Not started"),
            ActivityStatus.OPEN: self.tr("In progress"),
            ActivityStatus.CLOSED: self.tr("Closed"),
        }[status]

    def _row(self, activity: Activity) -> QWidget:
        assert self._tz is not None
        start = activity.starts_at.astimezone(self._tz).strftime("%m-%d %H:%M")
        end = activity.ends_at.astimezone(self._tz).strftime("%H:%M")
        chip = theme.status_chip(QLabel(self._status_word(activity.status)), STATUS_TONES[activity.status])
        theme.text_role(chip, "small")
        chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        chip.ensurePolished()  # its type from the style sheet, to measure the words with
        widest = max(chip.fontMetrics().horizontalAdvance(self._status_word(s)) for s in STATUS_TONES)
        chip.setMinimumWidth(widest + 2 * (theme.SPACE_M + theme.SPACE_XS))  # one width: the titles line up
        title = theme.text_role(QLabel(activity.title), "body", strong=True)
        title.setWordWrap(True)
        details = theme.text_role(
            QLabel(f"{activity.org_name} · {start}–{end}\n{self._details(activity)}"), "small"
        )
        details.setWordWrap(True)
        text = QVBoxLayout()
        text.setSpacing(theme.SPACE_XS)
        title_line = QHBoxLayout()
        title_line.setSpacing(theme.SPACE_M)
        title_line.addWidget(chip, 0, Qt.AlignmentFlag.AlignVCenter)
        title_line.addWidget(title, 1)
        text.addLayout(title_line)
        text.addWidget(details)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addLayout(text, 1)
        self.status_chips[activity.activity_id] = chip
        button: QPushButton | None = None
        if activity.status is ActivityStatus.OPEN:
            button = theme.button_variant(QPushButton(self.tr("End activity…")), "caution")
            button.clicked.connect(lambda *_, a=activity.activity_id: self._ask_end(a))
            self.close_buttons[activity.activity_id] = button
        elif activity.status is ActivityStatus.SCHEDULED:
            button = theme.button_variant(QPushButton(self.tr("Open check-in")), "primary")
            button.clicked.connect(lambda *_, a=activity.activity_id: self.open_requested.emit(a))
            self.open_buttons[activity.activity_id] = button
        if button is not None:
            button.setMinimumSize(TOUCH_TARGET_PX * 3, TOUCH_TARGET_PX)
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        return row

    def _rebuild(self) -> None:
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.close_buttons, self.open_buttons, self.status_chips = {}, {}, {}
        if self._tz is None:
            return
        for activity in self._activities:
            self._rows.addWidget(self._row(activity))
        if self.confirming.startswith(END_PREFIX):
            still_open = self.confirming.removeprefix(END_PREFIX) in self.close_buttons
            if not still_open:  # ended meanwhile (another coordinator, the kiosk's own closing)
                self.confirm_panel.cancel()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Coordinator"))
        self.hint.setText(
            self.tr(
                "Open check-in for an activity (or scan its activity code at the kiosk); "
                "end it when it is over."
            )
        )
        self.back_button.setText(self.tr("Back to the kiosk"))
        self.sync_button.setText(self.tr("Sync now"))
        self.usb_button.setText(self.tr("USB stick"))
        self.self_test_button.setText(self.tr("Self-test"))
        self.this_kiosk.setText(self.tr("This kiosk:"))
        self.setup_button.setText(self.tr("Set up this kiosk again…"))
        self.exit_button.setText(self.tr("Exit the kiosk program…"))
        self._rebuild()
        self._ask_again()

    def _ask_again(self) -> None:
        """A question open while the language changes: asked again, in the new language."""
        key = self.confirming
        if key.startswith(END_PREFIX):
            self._ask_end(key.removeprefix(END_PREFIX))
        elif key == EXIT_KEY:
            self._ask_exit()
        elif key == SETUP_KEY:
            self._ask_setup()
