"""Step 4: the first coordinator account: a name and a PIN, typed twice.

The PIN opens the coordinator desk and the kiosk's exit. A digit pad types
into the PIN field that was touched last; the setup's touch keyboard
(:mod:`kiosk.ui.widgets.touch_keyboard`) types the name (in pinyin or
letters) and offers its digits layout for the PINs, so a touch screen needs
no physical keyboard.
Existing accounts (demo data, or the setup run again) are listed and may be
kept.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.services.pin import MAX_NAME_CHARS, is_valid_pin
from kiosk.ui import theme
from kiosk.ui.setup.style import big_button, hint_label, title_label
from kiosk.ui.widgets.result_card import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.touch_keyboard import want_keyboard

FIELD_MIN_HEIGHT_PX = 56


class CoordinatorPage(RetranslatingFrame):
    """Emits ``add_requested(name, pin)`` once the form is right, ``keep_requested`` or ``back_requested``."""

    add_requested = Signal(str, str)
    keep_requested = Signal()
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._existing: list[str] = []
        self._error = ""
        self.title = title_label()
        self.hint = hint_label(22)
        self.existing_label = hint_label(22)
        self.name_label, self.pin_label, self.again_label = QLabel(), QLabel(), QLabel()
        for label in (self.name_label, self.pin_label, self.again_label):
            theme.text_role(label, "body")
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(MAX_NAME_CHARS)
        want_keyboard(self.name_edit, "chinese")
        self.pin_edit, self.again_edit = QLineEdit(), QLineEdit()
        digits = QRegularExpressionValidator(QRegularExpression("[0-9]{0,8}"), self)
        for edit in (self.pin_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setValidator(digits)
            edit.setMaxLength(8)
            edit.installEventFilter(self)
            want_keyboard(edit, "digits")
        for edit in (self.name_edit, self.pin_edit, self.again_edit):
            edit.setMinimumHeight(FIELD_MIN_HEIGHT_PX)  # the theme gives fields their text size
        self._pin_target = self.pin_edit
        self.message = QLabel()
        self.message.setObjectName("coordinatorMessage")
        self.message.setWordWrap(True)
        theme.text_role(self.message, "body", tone="bad", strong=True)
        form = QGridLayout()
        form.setVerticalSpacing(12)
        for row, (label, edit) in enumerate(
            (
                (self.name_label, self.name_edit),
                (self.pin_label, self.pin_edit),
                (self.again_label, self.again_edit),
            )
        ):
            form.addWidget(label, row, 0)
            form.addWidget(edit, row, 1)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.title)
        left.addWidget(self.hint)
        left.addWidget(self.existing_label)
        left.addLayout(form)
        left.addWidget(self.message)
        left.addStretch()
        middle = QHBoxLayout()
        middle.setSpacing(40)
        middle.addLayout(left, 3)
        pad = QVBoxLayout()
        pad.addSpacing(48)
        pad.addLayout(self._digit_pad())
        pad.addStretch()
        middle.addLayout(pad, 2)
        self.back_button = big_button(min_width=160)
        self.keep_button = big_button()
        self.add_button = big_button(primary=True)
        self.back_button.clicked.connect(self.back_requested)
        self.keep_button.clicked.connect(self.keep_requested)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.keep_button.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch()
        bottom.addWidget(self.keep_button)
        bottom.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)
        self.retranslate()

    def _digit_pad(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(12)
        keys = [*"123456789", "⌫", "0"]
        for index, key in enumerate(keys):
            button = QPushButton(key)
            button.setMinimumSize(int(TOUCH_TARGET_PX * 1.4), TOUCH_TARGET_PX)
            theme.text_role(button, "title")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the PIN field keeps the focus
            button.clicked.connect(lambda *_, k=key: self._press(k))
            grid.addWidget(button, index // 3, index % 3)
        return grid

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The PIN field touched last receives the digit pad's digits."""
        if event.type() == QEvent.Type.FocusIn and watched in (self.pin_edit, self.again_edit):
            self._pin_target = self.again_edit if watched is self.again_edit else self.pin_edit
        return False

    def _press(self, key: str) -> None:
        edit = self._pin_target
        if key == "⌫":
            edit.backspace()
        elif len(edit.text()) < edit.maxLength():
            edit.insert(key)
            if edit is self.pin_edit and len(edit.text()) == edit.maxLength():
                self._pin_target = self.again_edit

    # -- state ---------------------------------------------------------------------------------

    def set_existing(self, names: list[str]) -> None:
        """The accounts the kiosk has already (they may be kept instead of adding one)."""
        self._existing = list(names)
        self.keep_button.setVisible(bool(names))
        self.retranslate()

    def set_error(self, text: str) -> None:
        """Say what is wrong with the form ("": nothing)."""
        self._error = text
        self.message.setText(text)

    def set_busy(self, busy: bool) -> None:
        """While the account is being saved, the buttons wait."""
        for button in (self.add_button, self.keep_button, self.back_button):
            button.setEnabled(not busy)

    def clear(self) -> None:
        """Empty the form (after the account was added, or when the page is shown again)."""
        for edit in (self.name_edit, self.pin_edit, self.again_edit):
            edit.clear()
        self._pin_target = self.pin_edit
        self.set_error("")

    def _on_add_clicked(self) -> None:
        name, pin, again = self.name_edit.text().strip(), self.pin_edit.text(), self.again_edit.text()
        if not name:
            self.set_error(self.tr("Type the coordinator's name."))
        elif not is_valid_pin(pin):
            self.set_error(self.tr("The PIN must be 6 to 8 digits."))
        elif pin != again:
            self.again_edit.clear()
            self._pin_target = self.again_edit
            self.set_error(self.tr("The two PINs differ. Type the PIN again in the second field."))
        else:
            self.set_error("")
            self.add_requested.emit(name, pin)

    def retranslate(self) -> None:
        self.title.setText(self.tr("The first coordinator"))
        self.hint.setText(
            self.tr(
                "The coordinator's PIN opens the coordinator desk and is the only way to close the "
                "kiosk. Choose 6 to 8 digits that volunteers do not know. More coordinators can be "
                "added later."
            )
        )
        if self._existing:
            self.existing_label.setText(
                self.tr("Coordinators on this kiosk already: %1").replace("%1", "、".join(self._existing))
            )
        else:
            self.existing_label.setText("")
        self.existing_label.setVisible(bool(self._existing))
        self.name_label.setText(self.tr("Name"))
        self.pin_label.setText(self.tr("PIN"))
        self.again_label.setText(self.tr("PIN again"))
        self.name_edit.setPlaceholderText(self.tr("e.g. Wang Fang"))
        self.back_button.setText(self.tr("Back"))
        self.keep_button.setText(self.tr("Keep them and go on"))
        self.add_button.setText(self.tr("Add the coordinator"))
