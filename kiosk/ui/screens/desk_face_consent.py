"""The consent step of face enrolment: the volunteer reads the notice and answers, the coordinator confirms.

The notice is shown word for word from :mod:`kiosk.services.face_notice`
(in Chinese first, English one tap away) with its version; the volunteer's
two answers are in the notice's language, side by side, the same size and
the same look: "同意" is not nudged (no colour, no larger type), so saying
no is as easy as saying yes. The desk gives this view the whole screen
(no header, no tabs) until it is answered. Only after the volunteer tapped
"agree" can the coordinator confirm, and only that records anything.
Declining, or going back, records nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.face_notice import NOTICE_LANGUAGES, ConsentNotice, consent_notice
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
"""Each language named in itself, on the button that shows the notice in it."""


class ConsentView(RetranslatingFrame):
    """Shows the notice; emits ``confirmed`` once the volunteer agreed and the coordinator confirmed."""

    confirmed = Signal()
    declined = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._volunteer = ""
        self._coordinator = ""
        self._language = NOTICE_LANGUAGES[0]
        self.for_coordinator = theme.text_role(QLabel(), "caption", tone="muted")
        self.for_coordinator.setWordWrap(True)
        self.language_button = theme.button_variant(QPushButton(), "secondary")
        self.language_button.setMinimumHeight(TOUCH_TARGET_PX * 2 // 3)
        self.language_button.clicked.connect(self._toggle_language)
        self.title = theme.text_role(QLabel(), "title")
        self.title.setWordWrap(True)
        self.body = theme.text_role(QLabel(), "body")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.version = theme.text_role(QLabel(), "caption", tone="muted")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        notice = QWidget()
        notice_layout = QVBoxLayout(notice)
        notice_layout.addWidget(self.body)
        notice_layout.addWidget(self.version)
        notice_layout.addStretch()
        scroll.setWidget(notice)

        # Equal weight: one look, one size, one type for both answers.
        self.agree_button = theme.button_variant(QPushButton(), "secondary", "title")
        self.decline_button = theme.button_variant(QPushButton(), "secondary", "title")
        for button in (self.agree_button, self.decline_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
            button.setMinimumWidth(TOUCH_TARGET_PX * 3)
        self.agree_button.clicked.connect(self._on_agreed)
        self.decline_button.clicked.connect(self.declined)

        self.confirm_text = theme.text_role(QLabel(), "body", tone="info")
        self.confirm_text.setWordWrap(True)
        self.confirm_button = theme.button_variant(QPushButton(), "primary", "large")
        self.back_button = theme.button_variant(QPushButton(), "secondary")
        for button in (self.confirm_button, self.back_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
        self.confirm_button.clicked.connect(self._on_confirmed)
        self.back_button.clicked.connect(self.declined)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.language_button)
        answers = QHBoxLayout()
        answers.setSpacing(theme.SPACE_XL)
        answers.addWidget(self.agree_button, 1)
        answers.addWidget(self.decline_button, 1)
        self.confirm_row = QWidget()
        confirm = QHBoxLayout(self.confirm_row)
        confirm.setContentsMargins(0, 0, 0, 0)
        confirm.addWidget(self.confirm_text, 1)
        confirm.addWidget(self.confirm_button)
        confirm.addWidget(self.back_button)
        self.answer_row = QWidget()
        self.answer_row.setLayout(answers)
        answers.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.for_coordinator)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.answer_row)
        layout.addWidget(self.confirm_row)
        self.start("", "")

    @property
    def notice(self) -> ConsentNotice:
        """The notice as shown now (version and language)."""
        return consent_notice(self._language)

    def start(self, volunteer: str, coordinator: str) -> None:
        """Show the notice, in Chinese, to ``volunteer``; nothing answered yet."""
        self._volunteer, self._coordinator = volunteer, coordinator
        self._language = NOTICE_LANGUAGES[0]
        self.answer_row.setVisible(True)
        self.confirm_row.setVisible(False)
        self.confirm_button.setEnabled(True)
        self._show_notice()
        self.retranslate()

    def _toggle_language(self) -> None:
        index = NOTICE_LANGUAGES.index(self._language)
        self._language = NOTICE_LANGUAGES[(index + 1) % len(NOTICE_LANGUAGES)]
        self._show_notice()

    def _show_notice(self) -> None:
        notice = self.notice
        self.title.setText(notice.title)
        items = "".join(f"<li style='margin-bottom: 10px;'>{_escape(p)}</li>" for p in notice.paragraphs)
        self.body.setText(f"<ul style='margin-left: 0;'>{items}</ul>")
        self.version.setText(notice.version_line)
        self.agree_button.setText(notice.agree)
        self.decline_button.setText(notice.decline)
        other = NOTICE_LANGUAGES[(NOTICE_LANGUAGES.index(self._language) + 1) % len(NOTICE_LANGUAGES)]
        self.language_button.setText(LANGUAGE_NAMES[other])

    def _on_confirmed(self) -> None:
        self.confirm_button.setEnabled(False)  # one consent per tap, however fast the second tap
        self.confirmed.emit()

    def _on_agreed(self) -> None:
        self.answer_row.setVisible(False)
        self.confirm_row.setVisible(True)

    def retranslate(self) -> None:
        self.for_coordinator.setText(
            self.tr("Hand the screen to %1: they read the notice and answer themselves.").replace(
                "%1", self._volunteer
            )
        )
        self.confirm_text.setText(
            self.tr("%1 agreed. %2: confirm that they read the notice and agreed of their own will.")
            .replace("%1", self._volunteer)
            .replace("%2", self._coordinator)
        )
        self.confirm_button.setText(self.tr("Confirm and record"))
        self.back_button.setText(self.tr("Back"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
