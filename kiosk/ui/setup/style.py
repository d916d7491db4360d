"""The setup's look, from :mod:`kiosk.ui.theme`: big touch targets, one main action per page, clear status colours.

The main action's look is a style sheet of its own (:data:`PRIMARY_CSS`,
built by the theme), so a page can hand it from one button to another by
copying style sheets, as the last page does; every other look comes from the
application's style sheet through the theme's roles.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX

GOOD, BAD, BUSY, INFO = theme.GOOD, theme.BAD, theme.PRIMARY, theme.TEXT_MUTED
TONES = {"good": GOOD, "bad": BAD, "busy": BUSY, "info": INFO}
_STATUS_TONES: dict[str, theme.Tone] = {"good": "good", "bad": "bad", "busy": "primary", "info": "muted"}
PRIMARY_CSS = theme.button_css(
    "QPushButton", theme.PRIMARY, theme.ON_PRIMARY, theme.PRIMARY, theme.PRIMARY_PRESSED
) + ("QPushButton { font-weight: bold; }")


def big_button(*, primary: bool = False, min_width: int = TOUCH_TARGET_PX * 3) -> QPushButton:
    """A touch-sized button; ``primary`` makes it the page's blue main action."""
    button = theme.text_role(QPushButton(), "body")
    button.setMinimumSize(min_width, TOUCH_TARGET_PX)
    set_primary(button, primary)
    return button


def set_primary(button: QPushButton, primary: bool) -> None:
    """Make ``button`` the page's main action, or a plain button again."""
    button.setStyleSheet(PRIMARY_CSS if primary else "")


def choice_button() -> QPushButton:
    """A checkable, full-width choice (a camera, a language)."""
    button = theme.button_variant(QPushButton(), "choice")
    button.setCheckable(True)
    button.setMinimumHeight(TOUCH_TARGET_PX)
    return button


def title_label() -> QLabel:
    """A page's title."""
    label = theme.text_role(QLabel(), "title")
    label.setWordWrap(True)
    return label


def hint_label(size: int = theme.TYPE_PX["body"]) -> QLabel:
    """Explaining text under a title; ``size`` (px) is taken to the nearest step of the type scale."""
    label = theme.text_role(QLabel(), theme.role_for_px(size), tone="muted")
    label.setWordWrap(True)
    return label


def set_status(label: QLabel, text: str, tone: str) -> None:
    """Show ``text`` in the colour of ``tone`` (good, bad, busy or info)."""
    label.setText(text)
    theme.text_role(label, "body", strong=True)
    theme.set_tone(label, _STATUS_TONES.get(tone, "muted"))
