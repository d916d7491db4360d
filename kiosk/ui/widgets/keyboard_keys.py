"""The touch keyboard's keys: a QWERTY letters layout and a phone-style digits layout, as grids of big buttons.

A layout is rows of ``(key, width)``; ``width`` is in half keys, so every
row of a layout adds up to the same number of grid columns and the keys
line up. A key is a character it types (``q``, ``7``, ``-``) or one of the
named keys of :data:`NAMED_KEYS`. The panel only says which key was
pressed (``key_pressed``); :class:`~kiosk.ui.widgets.touch_keyboard.TouchKeyboard`
does the typing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from kiosk.ui import theme

KEY_HEIGHT_PX = 60
"""Every key's height: above the 56 px asked of a keyboard key, a bit more than a finger (48 px)."""
LETTERS_MAX_WIDTH_PX = 1320  # past this the keys only get wider, and the hands travel further
DIGITS_MAX_WIDTH_PX = 640
KEY_SPACING_PX = 8

Layout = tuple[tuple[tuple[str, int], ...], ...]

NAMED_KEYS = frozenset({"backspace", "clear", "shift", "space", "hide", "language", "digits", "letters"})
_GLYPHS = {"backspace": "⌫", "shift": "⇧", "digits": "123", "letters": "ABC", "language": "中/EN"}

LETTERS: Layout = (
    (*((c, 2) for c in "qwertyuiop"), ("backspace", 3)),
    (*((c, 2) for c in "asdfghjkl"), ("'", 2), ("clear", 3)),
    (("shift", 3), *((c, 2) for c in "zxcvbnm"), ("-", 2), ("_", 2), (".", 2)),
    (("digits", 3), ("language", 3), ("space", 12), ("hide", 5)),
)
DIGITS: Layout = (
    (("1", 2), ("2", 2), ("3", 2), ("backspace", 2)),
    (("4", 2), ("5", 2), ("6", 2), ("clear", 2)),
    (("7", 2), ("8", 2), ("9", 2), ("-", 2)),
    (("letters", 2), ("0", 2), ("space", 2), ("hide", 2)),
)
SECRET_HIDDEN_KEYS = frozenset({"letters", "space", "-", "language"})
"""Keys a PIN field does without: digits only, and nothing that could show what was typed."""


class KeyPanel(QWidget):
    """One layout's keys, centred and at most ``max_width`` wide; emits ``key_pressed(key)``."""

    key_pressed = Signal(str)

    def __init__(self, layout: Layout, max_width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        keys = QWidget()
        keys.setMaximumWidth(max_width)
        keys.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        grid = QGridLayout(keys)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(KEY_SPACING_PX)
        columns = sum(width for _key, width in layout[0])
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        for row, keys_of_row in enumerate(layout):
            column = 0
            for key, width in keys_of_row:
                button = self._key(key)
                grid.addWidget(button, row, column, 1, width)
                column += width
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addStretch()
        outer.addWidget(keys, 1000)  # as wide as it may be; the stretches only take what is left
        outer.addStretch()

    def _key(self, key: str) -> QPushButton:
        button = QPushButton(_GLYPHS.get(key, key))
        button.setObjectName(f"key_{key}" if key in NAMED_KEYS else "key_char")
        button.setProperty("keyRole", "named" if key in NAMED_KEYS else "char")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field being typed into keeps the focus
        button.setMinimumHeight(KEY_HEIGHT_PX)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)  # a PIN field's missing keys leave their places empty
        button.setSizePolicy(policy)
        button.setAutoRepeat(key == "backspace")  # held down, it goes on deleting
        if key in ("shift", "language"):
            button.setCheckable(True)
        button.clicked.connect(lambda *_: self.key_pressed.emit(key))
        self.buttons[key] = button
        return button

    def set_shifted(self, shifted: bool) -> None:
        """Letters in capitals (one letter after Shift) or small."""
        for key, button in self.buttons.items():
            if len(key) == 1 and key.isalpha():
                button.setText(key.upper() if shifted else key)
        if "shift" in self.buttons:
            self.buttons["shift"].setChecked(shifted)


def keyboard_style_sheet() -> str:
    """The keyboard's look, from the theme: a sunken tray of raised keys; named keys a shade darker."""
    return (
        f"TouchKeyboard {{ background: {theme.SURFACE_SUNKEN}; border-top: 1px solid {theme.DIVIDER}; }}\n"
        f"TouchKeyboard QPushButton {{ color: {theme.TEXT}; background: {theme.SURFACE_RAISED};"
        f" border: 1px solid {theme.OUTLINE}; border-radius: {theme.RADIUS}px; padding: 0 4px;"
        f" font-size: {theme.TYPE_PX['body']}px; }}\n"
        f'TouchKeyboard QPushButton[keyRole="char"] {{ font-size: {theme.TYPE_PX["large"]}px; }}\n'
        f'TouchKeyboard QPushButton[keyRole="named"] {{ background: {theme.DIVIDER}; }}\n'
        f"TouchKeyboard QPushButton:pressed {{ background: {theme.PRIMARY_CONTAINER}; }}\n"
        f"TouchKeyboard QPushButton:checked {{ background: {theme.PRIMARY}; color: {theme.ON_PRIMARY};"
        f" border: 1px solid {theme.PRIMARY}; }}\n"
        f"TouchKeyboard QPushButton:disabled {{ color: {theme.TEXT_MUTED}; }}\n"
        f'TouchKeyboard QPushButton[candidate="true"] {{ font-size: {theme.TYPE_PX["large"]}px;'
        f" background: {theme.SURFACE_RAISED}; padding: 0 16px; }}\n"
        f"TouchKeyboard QLabel#pinyinLine {{ color: {theme.TEXT}; font-size: {theme.TYPE_PX['body']}px; }}\n"
    )
