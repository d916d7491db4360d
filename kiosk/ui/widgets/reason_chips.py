"""The common reasons as chips beside a reason field: one tap fills the field, no typing.

The chips wrap onto as many lines as the width needs (:class:`FlowLayout`),
so long English reasons and short Chinese ones both fit.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QLayout, QLayoutItem, QPushButton, QSizePolicy, QWidget

from kiosk.ui import theme

CHIP_HEIGHT_PX = theme.MIN_TOUCH_TARGET_PX + 8


class FlowLayout(QLayout):
    """Items left to right, wrapping to a new line when the next one would not fit."""

    def __init__(self, parent: QWidget | None = None, spacing: int = theme.SPACE_S) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items in ``rect`` (or only measure); the height they take."""
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y = rect.x(), y + line_height + self._spacing
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class ReasonChips(QWidget):
    """A chip per common reason; ``chosen(reason)`` when one is tapped."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chips: list[QPushButton] = []
        self._flow = FlowLayout(self)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_reasons(self, reasons: list[str]) -> None:
        """Show one chip per reason (the language changed: the same reasons in other words)."""
        for chip in self.chips:
            self._flow.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for reason in reasons:
            chip = theme.button_variant(QPushButton(reason), "chip", "small")
            chip.setMinimumHeight(CHIP_HEIGHT_PX)
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the reason field keeps the focus (and its keyboard)
            chip.clicked.connect(lambda *_, text=reason: self.chosen.emit(text))
            self._flow.addWidget(chip)
            self.chips.append(chip)
        self._flow.invalidate()
        self.updateGeometry()
