"""The coordinator's Self-test page: every check with its status, what to do, and the numbers.

Reached from the coordinator menu. The report comes from
:class:`~kiosk.ui.self_test_runner.SelfTestRunner` (at every start, and on
"Check again"); the words per check live in :mod:`kiosk.ui.self_test_words`.
The English detail line under each check carries the measured numbers, as
they are written to the log.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.doctor import Check, Status
from kiosk.services.self_test import SelfTestReport
from kiosk.ui import theme
from kiosk.ui.self_test_words import STATUS_MARK, STATUS_TONE, advice, check_title, status_word
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame


class SelfTestPage(RetranslatingFrame):
    """Lists the last self-test's checks; Back and Check again."""

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
        self._rows = QGridLayout()
        self._rows.setColumnStretch(2, 1)
        self._rows.setHorizontalSpacing(16)
        self._rows.setVerticalSpacing(6)
        rows_widget = QWidget()
        rows_box = QVBoxLayout(rows_widget)
        rows_box.addLayout(self._rows)
        rows_box.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(rows_widget)
        self.back_button = QPushButton()
        self.run_button = QPushButton()
        for button in (self.back_button, self.run_button):
            button.setMinimumSize(TOUCH_TARGET_PX * 3, TOUCH_TARGET_PX)
            theme.button_variant(button, "secondary")
        self.back_button.clicked.connect(self.back_requested)
        self.run_button.clicked.connect(self.run_requested)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch()
        bottom.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.row_labels: dict[str, QLabel] = {}
        self.retranslate()

    def show_running(self) -> None:
        """A self-test has started: say so until its report arrives."""
        self._running = True
        self.retranslate()

    def show_report(self, report: SelfTestReport, tz: tzinfo) -> None:
        """Show ``report``; times in ``tz``."""
        self._report, self._tz, self._running = report, tz, False
        self.retranslate()

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
        self.row_labels = {}
        checks = self._report.checks if self._report is not None else ()
        for row, check in enumerate(checks):
            self._add_row(row, check)

    def _add_row(self, row: int, check: Check) -> None:
        tone = STATUS_TONE[check.status]
        mark = theme.text_role(QLabel(STATUS_MARK[check.status]), "large", tone=tone)
        title = theme.text_role(QLabel(check_title(check.name)), "body", strong=True)
        state = theme.text_role(QLabel(status_word(check.status)), "body", tone=tone)
        lines = [] if check.status is Status.OK else [advice(check.name)]
        body = QLabel()
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setText("\n".join([*lines, check.detail]).strip())
        theme.text_role(body, "caption", tone=None if lines else "muted")  # advice dark, numbers muted
        for column, widget in enumerate((mark, title, body, state)):
            self._rows.addWidget(widget, row, column, Qt.AlignmentFlag.AlignTop)
        self.row_labels[check.name] = body

    def retranslate(self) -> None:
        self.title.setText(self.tr("Self-test"))
        self.summary.setText(self._summary_text())
        self.back_button.setText(self.tr("Back"))
        self.run_button.setText(self.tr("Check again"))
        self.run_button.setEnabled(not self._running)
        self._rebuild()
