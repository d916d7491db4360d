"""The big result card shown after each scan: icon, title, masked name, detail, next step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.messages import ResultAction, ResultView
from kiosk.ui.theme import TOUCH_TARGET_PX as TOUCH_TARGET_PX  # the old home, still imported by a few screens
from kiosk.ui.widgets.retranslating import RetranslatingFrame


class ResultCard(RetranslatingFrame):
    """Shows a :class:`ResultView`; emits ``action_chosen`` when Undo / Check out now is tapped."""

    action_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultCard")
        self.icon = QLabel()
        self.icon.setObjectName("resultIcon")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        theme.text_role(self.icon, "figure")
        self.title = theme.text_role(QLabel(), "headline")
        self.title.setObjectName("resultTitle")
        self.title.setWordWrap(True)
        self.name = theme.text_role(QLabel(), "display")
        self.name.setObjectName("resultName")
        self.detail = theme.text_role(QLabel(), "large")
        self.detail.setObjectName("resultDetail")
        self.detail.setWordWrap(True)
        self.next_step = theme.text_role(QLabel(), "large")
        self.next_step.setObjectName("resultNextStep")
        self.next_step.setWordWrap(True)
        self.undo_button = QPushButton()
        self.check_out_button = QPushButton()
        for button, action in (
            (self.undo_button, ResultAction.UNDO),
            (self.check_out_button, ResultAction.CHECK_OUT_NOW),
        ):
            theme.button_variant(button, "secondary")
            button.setMinimumHeight(TOUCH_TARGET_PX)
            button.setMinimumWidth(TOUCH_TARGET_PX * 3)
            button.clicked.connect(lambda *_, a=action: self.action_chosen.emit(a.value))
        text = QVBoxLayout()
        for label in (self.title, self.name, self.detail, self.next_step):
            text.addWidget(label)
        text.addStretch()
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.check_out_button)
        buttons.addStretch()
        text.addLayout(buttons)
        row = QHBoxLayout(self)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.view: ResultView | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.undo_button.setText(self.tr("Undo"))
        self.check_out_button.setText(self.tr("Check out now"))

    def show_view(self, view: ResultView) -> None:
        self.view = view
        # The theme colours the card, its icon and its title by the tone.
        theme.set_style_property(self, "cardTone", str(view.tone))
        self.icon.setText(view.icon)
        self.title.setText(view.title)
        self.name.setText(view.name)
        self.name.setVisible(bool(view.name))
        self.detail.setText(view.detail)
        self.detail.setVisible(bool(view.detail))
        self.next_step.setText(view.next_step)
        self.next_step.setVisible(bool(view.next_step))
        self.undo_button.setVisible(ResultAction.UNDO in view.actions)
        self.check_out_button.setVisible(ResultAction.CHECK_OUT_NOW in view.actions)
