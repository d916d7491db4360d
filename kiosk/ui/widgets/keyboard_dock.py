"""Where the touch keyboard sits: at the bottom of its container, under the content when there is room.

The keyboard is a child of the container, not an item of its layout, and
:class:`KeyboardDock` sets its geometry: full width, at the bottom. An
empty placeholder at the end of the container's layout takes the
keyboard's height when the content still fits above it at its minimum size
(the content moves up: nothing is covered; 1920x1080 has room). When it
would not (a 1366x768 screen, the desk's tallest page), the placeholder
stays hidden and the keyboard lies over the bottom of the content, so the
window never grows past its screen. The fields it serves sit in the upper
part of every screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QWidget


class KeyboardDock(QObject):
    """Keeps ``keyboard`` at the bottom of ``container`` (laid out by ``layout``); :meth:`place` after a change."""

    def __init__(self, container: QWidget, keyboard: QWidget, layout: QBoxLayout) -> None:
        super().__init__(keyboard)
        self._container = container
        self._keyboard = keyboard
        self._layout = layout
        self.placeholder = QWidget()
        self.placeholder.setObjectName("keyboardPlaceholder")
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.placeholder.hide()
        layout.addWidget(self.placeholder)
        container.installEventFilter(self)

    def docked(self) -> bool:
        """Whether the content made room for the keyboard (False: it lies over the content, or is hidden)."""
        return self.placeholder.isVisibleTo(self._container)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._container and event.type() == QEvent.Type.Resize:
            self.place()
        return False

    def place(self) -> None:
        """Put the keyboard at the bottom, and make room for it above if the content can give it."""
        keyboard, container = self._keyboard, self._container
        if keyboard.isHidden():
            self.placeholder.hide()
            return
        height = keyboard.sizeHint().height()
        bottom = self._layout.contentsMargins().bottom()
        room = container.height() - self._content_minimum() - max(self._layout.spacing(), 0)
        self.placeholder.setFixedHeight(max(0, height - bottom))
        self.placeholder.setVisible(height - bottom <= room)
        keyboard.setGeometry(0, container.height() - height, container.width(), height)
        keyboard.raise_()

    def _content_minimum(self) -> int:
        """The least height of everything else in the layout, with its margins and spacing."""
        layout = self._layout
        heights = []
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is not None and item.widget() is not self.placeholder and not item.isEmpty():
                heights.append(item.minimumSize().height())
        margins = layout.contentsMargins()
        spacing = max(layout.spacing(), 0) * max(len(heights) - 1, 0)
        return sum(heights) + spacing + margins.top() + margins.bottom()
