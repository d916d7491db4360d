"""The touch keyboard's candidate bar: the pinyin being typed, and below it the words it may stand for.

As many candidates as fit the bar's width show at once; ‹ and › page
through the rest. Tapping one emits ``chosen(index)`` (its place in the
list given to :meth:`CandidateBar.show_candidates`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets.keyboard_keys import KEY_HEIGHT_PX, KEY_SPACING_PX

MAX_SHOWN = 12  # buttons made once; a page shows at most this many candidates
ARROW_WIDTH_PX = 72
CANDIDATE_MIN_WIDTH_PX = 72
CANDIDATE_PADDING_PX = 40  # the text's margins inside the button, and a little air


class CandidateBar(QWidget):
    """The typed pinyin above the candidates; ``chosen(index)`` when one is tapped."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._candidates: list[str] = []
        self._start = 0  # the first candidate shown
        self._page_starts: list[int] = []  # where the pages before this one started (for ‹)
        self.pinyin_line = QLabel()
        self.pinyin_line.setObjectName("pinyinLine")
        self.pinyin_line.setTextFormat(Qt.TextFormat.PlainText)
        self.previous_button = self._button("‹", ARROW_WIDTH_PX)
        self.next_button = self._button("›", ARROW_WIDTH_PX)
        self.previous_button.clicked.connect(self._previous_page)
        self.next_button.clicked.connect(self._next_page)
        self.buttons = [self._button("", CANDIDATE_MIN_WIDTH_PX) for _ in range(MAX_SHOWN)]
        for index, button in enumerate(self.buttons):
            button.setProperty("candidate", True)
            button.clicked.connect(lambda *_, i=index: self._on_clicked(i))
        row = QHBoxLayout()
        row.setSpacing(KEY_SPACING_PX)
        row.addWidget(self.previous_button)
        for button in self.buttons:
            row.addWidget(button)
        row.addStretch()
        row.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.pinyin_line)
        layout.addLayout(row)
        self._render()

    @staticmethod
    def _button(text: str, width: int) -> QPushButton:
        button = QPushButton(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(width, KEY_HEIGHT_PX)
        return button

    def show_candidates(self, pinyin: str, candidates: list[str]) -> None:
        """Show ``pinyin`` and the first page of ``candidates``."""
        self.pinyin_line.setText(pinyin)
        self._candidates = list(candidates)
        self._start = 0
        self._page_starts = []
        self._render()

    def shown(self) -> list[str]:
        """The candidates on the page shown, in order."""
        return [b.text() for b in self.buttons if not b.isHidden()]

    def _fits(self) -> int:
        """How many candidates from the current one fit the bar's width."""
        room = self.width() - 2 * (ARROW_WIDTH_PX + KEY_SPACING_PX)
        if room <= 0:
            return MAX_SHOWN  # not laid out yet: the next resize renders again
        self.buttons[0].ensurePolished()  # the style sheet's font, not the default one
        metrics = self.buttons[0].fontMetrics()
        count, used = 0, 0
        for text in self._candidates[self._start : self._start + MAX_SHOWN]:
            width = max(CANDIDATE_MIN_WIDTH_PX, metrics.horizontalAdvance(text) + CANDIDATE_PADDING_PX)
            if count and used + width > room:
                break
            used += width + KEY_SPACING_PX
            count += 1
        return max(count, 1)

    def _render(self) -> None:
        count = self._fits()
        page = self._candidates[self._start : self._start + count]
        for index, button in enumerate(self.buttons):
            button.setVisible(index < len(page))
            button.setText(page[index] if index < len(page) else "")
        self.previous_button.setEnabled(bool(self._page_starts))
        self.next_button.setEnabled(self._start + len(page) < len(self._candidates))

    def _on_clicked(self, index: int) -> None:
        if self._start + index < len(self._candidates):
            self.chosen.emit(self._start + index)

    def _next_page(self) -> None:
        shown = len(self.shown())
        if self._start + shown < len(self._candidates):
            self._page_starts.append(self._start)
            self._start += shown
            self._render()

    def _previous_page(self) -> None:
        if self._page_starts:
            self._start = self._page_starts.pop()
            self._render()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._render()
