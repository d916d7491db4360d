"""One check on the Self-test page: its icon, its title, what it found in plain words, what to do, the detail.

The icon and the plain words take the status's colour (:data:`STATUS_TONE`:
green ✓, amber ⚠, red ✖, grey ○ for "not used here"). The advice shows
only for a warning or a failure. The technical detail (the check's English
``detail``, as written to the log) stays hidden until the page's "Details"
is on: it is for whoever set the kiosk up.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.services.doctor import Check, Status
from kiosk.ui import theme
from kiosk.ui.self_test_results import result_words
from kiosk.ui.self_test_words import STATUS_MARK, STATUS_TONE, advice, check_title, error_advice


@dataclass
class CheckLine:
    """The widgets of one check (the page lays them out in its grid; tests read them)."""

    check: Check
    mark: QLabel
    title: QLabel
    body: QWidget  # words, advice and detail, one under the other
    words: QLabel
    advice: QLabel
    detail: QLabel

    def show_detail(self, shown: bool) -> None:
        """Show or hide the technical detail."""
        self.detail.setVisible(shown)


def _wrapping(label: QLabel, text: str) -> QLabel:
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def check_line(check: Check, details_shown: bool) -> CheckLine:
    """The widgets of ``check``, worded in the current language."""
    tone = STATUS_TONE[check.status]
    mark = theme.text_role(QLabel(STATUS_MARK[check.status]), "large", tone=tone, strong=True)
    mark.setObjectName("selfTestMark")
    title = theme.text_role(QLabel(check_title(check.name)), "body", strong=True)
    words = theme.text_role(_wrapping(QLabel(), result_words(check)), "body", tone=tone)
    words.setObjectName("selfTestWords")
    needs_advice = check.status in (Status.WARN, Status.FAIL)
    what_to_do = (error_advice() if check.reason == "error" else advice(check.name)) if needs_advice else ""
    advice_label = theme.text_role(_wrapping(QLabel(), what_to_do), "small")
    advice_label.setVisible(bool(what_to_do))
    detail = theme.text_role(_wrapping(QLabel(), check.detail), "caption", tone="muted")
    detail.setObjectName("selfTestDetail")
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(theme.SPACE_XS)
    for label in (words, advice_label, detail):
        column.addWidget(label)
    line = CheckLine(check, mark, title, body, words, advice_label, detail)
    line.show_detail(details_shown)
    return line
