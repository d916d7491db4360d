"""The setup's look: the kiosk's big touch targets, one blue main action per page, clear status colours."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.ui.widgets.result_card import TOUCH_TARGET_PX

GOOD, BAD, BUSY, INFO = "#1B5E20", "#B71C1C", "#0B57D0", "#3C4043"
TONES = {"good": GOOD, "bad": BAD, "busy": BUSY, "info": INFO}
PRIMARY_CSS = (
    "QPushButton { font-size: 26px; font-weight: bold; padding: 0 28px; color: white;"
    " background: #1A73E8; border: 1px solid #1558B0; border-radius: 6px; }"
    " QPushButton:disabled { background: #A8C7FA; border-color: #A8C7FA; }"
)
CHOICE_CSS = (
    "QPushButton { font-size: 24px; text-align: left; padding: 0 20px; }"
    " QPushButton:checked { background: #D3E3FD; border: 3px solid #1A73E8; font-weight: bold; }"
)


def big_button(*, primary: bool = False, min_width: int = TOUCH_TARGET_PX * 3) -> QPushButton:
    """A touch-sized button; ``primary`` makes it the page's blue main action."""
    button = QPushButton()
    button.setMinimumSize(min_width, TOUCH_TARGET_PX)
    button.setStyleSheet(PRIMARY_CSS if primary else "font-size: 24px; padding: 0 24px;")
    return button


def choice_button() -> QPushButton:
    """A checkable, full-width choice (a camera, a language)."""
    button = QPushButton()
    button.setCheckable(True)
    button.setMinimumHeight(TOUCH_TARGET_PX)
    button.setStyleSheet(CHOICE_CSS)
    return button


def title_label() -> QLabel:
    """A page's title."""
    label = QLabel()
    label.setStyleSheet("font-size: 34px; font-weight: bold; color: #202124;")
    label.setWordWrap(True)
    return label


def hint_label(size: int = 24) -> QLabel:
    """Explaining text under a title."""
    label = QLabel()
    label.setStyleSheet(f"font-size: {size}px; color: {INFO};")
    label.setWordWrap(True)
    return label


def set_status(label: QLabel, text: str, tone: str) -> None:
    """Show ``text`` in the colour of ``tone`` (good, bad, busy or info)."""
    label.setText(text)
    label.setStyleSheet(f"font-size: 22px; font-weight: bold; color: {TONES.get(tone, INFO)};")
