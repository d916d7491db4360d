"""The coordinator desk: a header with who is in and a Lock button, big tabs, and the page shown.

The pages are separate screens (activities, check in/out, who is here,
review, reports, face data, the check of a service receipt); :class:`kiosk.ui.desk_controller.DeskController` fills and
wires them. The desk locks itself after a while without a touch (the
window's coordinator timer) and with the Lock button.

A page that is for the volunteer's eyes (the face consent notice) takes the
whole desk: :meth:`DeskScreen.set_full_screen` hides the header and the tabs
until it is answered, so the notice has the room and nothing else is a tap away.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame

PAGE_KEYS = ("activities", "check_in", "on_site", "review", "reports", "face", "receipt")


class DeskScreen(RetranslatingFrame):
    """Tabs over the desk's pages; emits ``lock_requested`` and ``page_shown(key)``."""

    lock_requested = Signal()
    page_shown = Signal(str)

    def __init__(self, pages: dict[str, QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._coordinator = ""
        self._review_count = 0
        self.title = theme.text_role(QLabel(), "title")
        self.who = theme.text_role(QLabel(), "body", tone="muted")
        self.lock_button = theme.button_variant(QPushButton(), "secondary")
        self.lock_button.setMinimumSize(TOUCH_TARGET_PX * 2, TOUCH_TARGET_PX * 3 // 4)
        self.lock_button.clicked.connect(self.lock_requested)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch()
        header.addWidget(self.who)
        header.addWidget(self.lock_button)

        self.stack = QStackedWidget()
        self.pages = dict(pages)
        self.tabs: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        tab_row = QHBoxLayout()
        for key in PAGE_KEYS:
            if key not in self.pages:
                continue
            button = theme.button_variant(QPushButton(), "chip")
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH_TARGET_PX * 3 // 4)
            button.clicked.connect(lambda *_, k=key: self.show_page(k))
            group.addButton(button)
            tab_row.addWidget(button)
            self.tabs[key] = button
            self.stack.addWidget(self.pages[key])
        tab_row.addStretch()
        self.chrome = QWidget()  # the header and the tabs: hidden while a page takes the whole desk
        chrome = QVBoxLayout(self.chrome)
        chrome.setContentsMargins(0, 0, 0, 0)
        chrome.addLayout(header)
        chrome.addLayout(tab_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chrome)
        layout.addWidget(self.stack, 1)
        self.retranslate()
        self.show_page(next(iter(self.tabs)))

    def show_page(self, key: str) -> None:
        """Show one page and light its tab."""
        self.tabs[key].setChecked(True)
        self.stack.setCurrentWidget(self.pages[key])
        self.page_shown.emit(key)

    def set_full_screen(self, on: bool) -> None:
        """Give the page shown the whole desk (``on``: no header, no tabs), or bring them back."""
        self.chrome.setVisible(not on)

    @property
    def full_screen(self) -> bool:
        """True while the page shown has the whole desk."""
        return self.chrome.isHidden()

    def current_key(self) -> str:
        """The key of the page shown."""
        current = self.stack.currentWidget()
        return next(k for k, page in self.pages.items() if page is current)

    def set_coordinator(self, name: str) -> None:
        """Who is signed in at the desk (shown in the header)."""
        self._coordinator = name
        self.retranslate()

    def set_review_count(self, count: int) -> None:
        """How many items wait for review (shown on the tab)."""
        self._review_count = count
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Coordinator desk"))
        self.who.setText(self._coordinator)
        self.lock_button.setText(self.tr("Lock"))
        names = {
            "activities": self.tr("Activities"),
            "check_in": self.tr("Check in / out"),
            "on_site": self.tr("Who is here"),
            "review": self.tr("To review (%1)").replace("%1", str(self._review_count)),
            "reports": self.tr("Reports"),
            "face": self.tr("Face"),
            "receipt": self.tr("Receipts"),
        }
        for key, button in self.tabs.items():
            button.setText(names[key])
