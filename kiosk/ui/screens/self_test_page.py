"""The coordinator's Self-test page: every check in plain words, what to do, and the detail behind "Details".

Reached from the coordinator menu. The report comes from
:class:`~kiosk.ui.self_test_runner.SelfTestRunner` (at every start, and on
"Check again"). Each check is one line (:mod:`kiosk.ui.screens.self_test_line`):
an icon and plain words in the status's colour, in the language shown, and
what to do when it warned or failed. The technical detail (the English of
the log: ``quick_check: ok``, ``journal_mode=wal``, paths, numbers) shows
under every line only while "Details" is on.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from checkin_protocol import __version__
from kiosk.services.self_test import SelfTestReport
from kiosk.ui import theme
from kiosk.ui.screens.self_test_line import CheckLine, check_line
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame


class SelfTestPage(RetranslatingFrame):
    """Lists the last self-test's checks; Back, Details and Check again."""

    back_requested = Signal()
    run_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: SelfTestReport | None = None
        self._tz: tzinfo | None = None
        self._running = False
        self.title = theme.text_role(QLabel(), "title")
        self.summary = theme.text_role(QLabel(), "body", tone="muted")
        self.summary.setWordWrap(True)
        self.version = theme.text_role(QLabel(), "caption", tone="muted")
        """The kiosk's version, for a coordinator reading it out on the phone."""
        self._rows = QGridLayout()
        self._rows.setColumnStretch(2, 1)
        self._rows.setHorizontalSpacing(theme.SPACE_M)
        self._rows.setVerticalSpacing(theme.SPACE_M)
        rows_widget = QWidget()
        rows_box = QVBoxLayout(rows_widget)
        rows_box.addLayout(self._rows)
        rows_box.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(rows_widget)
        # a finger drags the lines (with "Details" on they are taller than the screen)
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.back_button = theme.button_variant(QPushButton(), "secondary")
        self.details_button = theme.button_variant(QPushButton(), "chip")
        self.details_button.setCheckable(True)
        self.run_button = theme.button_variant(QPushButton(), "secondary")
        for button in (self.back_button, self.details_button, self.run_button):
            button.setMinimumSize(TOUCH_TARGET_PX * 3, TOUCH_TARGET_PX)
        self.back_button.clicked.connect(self.back_requested)
        self.details_button.toggled.connect(self._on_details)
        self.run_button.clicked.connect(self.run_requested)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch()
        bottom.addWidget(self.version)
        bottom.addWidget(self.details_button)
        bottom.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.lines: dict[str, CheckLine] = {}
        """The line of each check shown, by the check's name."""
        self.retranslate()

    def show_running(self) -> None:
        """A self-test has started: say so until its report arrives."""
        self._running = True
        self.retranslate()

    def show_report(self, report: SelfTestReport, tz: tzinfo) -> None:
        """Show ``report``; times in ``tz``."""
        self._report, self._tz, self._running = report, tz, False
        self.retranslate()

    @property
    def details_shown(self) -> bool:
        """True while the technical detail shows under every line."""
        return self.details_button.isChecked()

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the page folds the detail away: the next coordinator sees the plain words first."""
        self.details_button.setChecked(False)
        super().hideEvent(event)

    def _on_details(self, shown: bool) -> None:
        for line in self.lines.values():
            line.show_detail(shown)
        self._word_details_button()

    def _word_details_button(self) -> None:
        self.details_button.setText(self.tr("Hide details") if self.details_shown else self.tr("Details"))

    def _summary_text(self) -> str:
        if self._running:
            return self.tr("Checking… (a few seconds)")
        report = self._report
        if report is None:
            return self.tr("Not checked yet.")
        at = report.started_utc.astimezone(self._tz).strftime("%H:%M:%S")
        seconds = f"{report.duration_s:.1f}"
        problems = len(report.problems())
        if not problems:
            text = self.tr("Checked at %1 in %2 s: everything works.")
        else:
            text = self.tr("Checked at %1 in %2 s: %n check(s) need a look.", "", problems)
        return text.replace("%1", at).replace("%2", seconds)

    def _rebuild(self) -> None:
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.lines = {}
        checks = self._report.checks if self._report is not None else ()
        for row, check in enumerate(checks):
            line = check_line(check, self.details_shown)
            for column, widget in enumerate((line.mark, line.title, line.body)):
                self._rows.addWidget(widget, row, column, Qt.AlignmentFlag.AlignTop)
            self.lines[check.name] = line

    def retranslate(self) -> None:
        self.title.setText(self.tr("Self-test"))
        self.version.setText(self.tr("Version %1").replace("%1", __version__))
        self.summary.setText(self._summary_text())
        self.back_button.setText(self.tr("Back"))
        self._word_details_button()
        self.run_button.setText(self.tr("Check again"))
        self.run_button.setEnabled(not self._running)
        self._rebuild()
