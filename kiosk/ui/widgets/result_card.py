"""The big result card shown after each scan: icon, title, masked name, detail, next step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.messages import ResultAction, ResultView, Tone
from kiosk.ui.widgets.retranslating import RetranslatingFrame

TONE_COLOURS = {
    Tone.SUCCESS: ("#1B5E20", "#E8F5E9"),
    Tone.INFO: ("#0D47A1", "#E3F2FD"),
    Tone.WARNING: ("#E65100", "#FFF3E0"),
    Tone.ERROR: ("#B71C1C", "#FFEBEE"),
}
TOUCH_TARGET_PX = 80  # about 20 mm on a 100 dpi touch screen


class ResultCard(RetranslatingFrame):
    """Shows a :class:`ResultView`; emits ``action_chosen`` when Undo / Check out now is tapped."""

    action_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultCard")
        self.icon = QLabel()
        self.icon.setObjectName("resultIcon")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.title.setObjectName("resultTitle")
        self.title.setWordWrap(True)
        self.name = QLabel()
        self.name.setObjectName("resultName")
        self.detail = QLabel()
        self.detail.setObjectName("resultDetail")
        self.detail.setWordWrap(True)
        self.next_step = QLabel()
        self.next_step.setObjectName("resultNextStep")
        self.next_step.setWordWrap(True)
        self.undo_button = QPushButton()
        self.check_out_button = QPushButton()
        for button, action in (
            (self.undo_button, ResultAction.UNDO),
            (self.check_out_button, ResultAction.CHECK_OUT_NOW),
        ):
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
        fg, bg = TONE_COLOURS[view.tone]
        self.setStyleSheet(
            f"#resultCard {{ background: {bg}; border: 6px solid {fg}; border-radius: 24px; }}"
            f"#resultIcon {{ color: white; background: {fg}; border-radius: 48px; min-width: 96px;"
            f" max-width: 96px; min-height: 96px; max-height: 96px; font-size: 56px; }}"
            f"#resultTitle {{ color: {fg}; font-size: 40px; font-weight: bold; }}"
            "#resultName { color: #202124; font-size: 48px; font-weight: bold; }"
            "#resultDetail { color: #202124; font-size: 30px; }"
            "#resultNextStep { color: #3C4043; font-size: 26px; }"
            "QPushButton { font-size: 28px; padding: 8px 24px; }"
        )
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
