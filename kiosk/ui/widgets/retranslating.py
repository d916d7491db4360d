"""The base of every kiosk widget with text: it re-sets its texts when the language changes."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFrame


class RetranslatingFrame(QFrame):
    """Calls :meth:`retranslate` on Qt's ``LanguageChange`` event; subclasses set their texts there."""

    def retranslate(self) -> None:
        """Set every user-visible text with ``self.tr``; called at start and on a language change."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
