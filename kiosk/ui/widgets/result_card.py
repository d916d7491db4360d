"""The big result card shown after each scan: icon, the action word, name, figures, next step, choices.

The card fills the panel and arranges itself by the view's
:class:`~kiosk.ui.messages.CardLayout`, so a check-in and a check-out differ
at a glance, before a word is read:

- **welcome** (a check-in): centred under a large tick in a green disc, the
  action word ("签到成功") largest, then the name and the time;
- **receipt** (a check-out): a purple disc with a door and an arrow beside
  the action word ("签退成功"), then the visit's figures, one per line,
  label on the left and value on the right ("本次服务  2 小时 15 分钟");
- **notice** (anything else): the icon beside what happened, then what to do.

Choices are stacked full width, the main one first in the primary colour.
At the bottom a bar runs empty while the card stays
(:class:`~kiosk.ui.widgets.countdown_bar.CountdownBar`).

A check-out with a service receipt (``ResultView.receipt_url``) shows its QR
code to the right of the figures, which then stand label over value in a
narrow column so the code gets most of the width
(:class:`~kiosk.ui.widgets.receipt_qr.ReceiptPanel`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.messages import CardLayout, ResultAction, ResultView
from kiosk.ui.theme import TOUCH_TARGET_PX as TOUCH_TARGET_PX  # the old home, still imported by a few screens
from kiosk.ui.widgets.countdown_bar import CountdownBar
from kiosk.ui.widgets.pictogram_view import PictogramView
from kiosk.ui.widgets.receipt_qr import ReceiptPanel
from kiosk.ui.widgets.retranslating import RetranslatingFrame

WELCOME_ICON_PX = 136
"""The tick of a check-in, centred above the word."""
ROW_ICON_PX = 96
"""The icon beside the word on a check-out or a notice."""
COMPACT_ICON_PX = 64
"""Any icon, on a card too short for the others (a 768 px high screen with buttons on the card)."""
MAX_FIGURES = 3
"""A check-out's time, visit and total."""

_CARD_STRETCHES = (0, 2, 3)
"""Where the card's layout has its stretches: above the header, the body, above the buttons."""
_COLUMN_STRETCHES = (1, 4)
"""Where the column under the header has its stretches: after the name, after the figures and the detail."""
_STRETCHES = {
    CardLayout.WELCOME: (1, 1, 1, 1),  # spread over the whole card, centred
    CardLayout.RECEIPT: (0, 1, 1, 1),  # the word at the top, the figures in the middle
    CardLayout.NOTICE: (1, 0, 0, 1),  # one block in the middle, the choices at the bottom
}

_CENTRED = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class FigureTable(QWidget):
    """Up to :data:`MAX_FIGURES` figures, each on its own line; a value never wraps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[QLabel] = []
        self.values: list[QLabel] = []
        self.stacked = False
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(theme.SPACE_L)
        grid.setVerticalSpacing(theme.SPACE_S)
        for row in range(MAX_FIGURES):
            label = theme.text_role(QLabel(), "large", tone="muted")
            value = theme.text_role(QLabel(), "headline")
            value.setObjectName("resultFigure")
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
            self.labels.append(label)
            self.values.append(value)
        grid.setColumnStretch(1, 1)

    def show_figures(self, figures: list[tuple[str, str]], centred: bool, stacked: bool = False) -> None:
        """Show ``(label, value)`` pairs; centred (one large time), as a table (values to the right),
        or ``stacked``: each label over its value, in a narrow column."""
        self._place(stacked)
        for row, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            shown = row < len(figures)
            label.setVisible(shown)
            value.setVisible(shown)
            if shown:
                label.setText(figures[row][0])
                value.setText(figures[row][1])
                label.setAlignment(_RIGHT if centred else _LEFT)
                value.setAlignment(_LEFT if centred or stacked else _RIGHT)
                theme.text_role(value, "display" if centred else "headline")
        self.setVisible(bool(figures))

    def _place(self, stacked: bool) -> None:
        """Labels beside their values (a table), or over them (a column), moved only when that changes."""
        grid = self.layout()
        assert isinstance(grid, QGridLayout)
        if stacked == self.stacked:
            return
        self.stacked = stacked
        for row, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            grid.removeWidget(label)
            grid.removeWidget(value)
            if stacked:  # a gap above each label but the first keeps each label with its own value
                grid.addWidget(label, 2 * row, 0)
                grid.addWidget(value, 2 * row + 1, 0)
                label.setContentsMargins(0, theme.SPACE_M if row else 0, 0, 0)
            else:
                grid.addWidget(label, row, 0)
                grid.addWidget(value, row, 1)
                label.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(0, 1 if stacked else 0)
        grid.setColumnStretch(1, 0 if stacked else 1)


class ResultCard(RetranslatingFrame):
    """Shows a :class:`ResultView`; emits ``action_chosen`` with the action of the button tapped."""

    action_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultCard")
        self.icon = PictogramView(ROW_ICON_PX)
        self.icon.setObjectName("resultPictogram")
        self.title = theme.text_role(QLabel(), "figure")
        self.title.setObjectName("resultTitle")
        self.title.setWordWrap(True)
        self.name = theme.text_role(QLabel(), "display")
        self.name.setObjectName("resultName")
        self.figures = FigureTable()
        self.detail = theme.text_role(QLabel(), "large")
        self.detail.setObjectName("resultDetail")
        self.detail.setWordWrap(True)
        self.next_step = theme.text_role(QLabel(), "large")
        self.next_step.setObjectName("resultNextStep")
        self.next_step.setWordWrap(True)
        self.check_out_button = QPushButton()
        self.undo_button = QPushButton()
        self.not_me_button = QPushButton()
        self._buttons = {
            ResultAction.CHECK_OUT_NOW: self.check_out_button,
            ResultAction.UNDO: self.undo_button,
            ResultAction.NOT_ME: self.not_me_button,
        }
        buttons = QVBoxLayout()
        buttons.setSpacing(theme.SPACE_M)
        for action, button in self._buttons.items():
            theme.button_variant(button, "secondary", "large")
            button.setMinimumHeight(TOUCH_TARGET_PX)
            button.clicked.connect(lambda *_, a=action: self.action_chosen.emit(a.value))
            buttons.addWidget(button)
        self.countdown = CountdownBar()
        self.receipt = ReceiptPanel()

        self._header = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._header.setSpacing(theme.SPACE_L)
        self._header.addWidget(self.icon)
        self._header.addWidget(self.title, 1)
        # The column under the header; a receipt's QR code stands to its right (the body).
        self._column = QVBoxLayout()
        self._column.addWidget(self.name)
        self._column.addStretch(1)  # _STRETCHES: after the name,
        self._column.addWidget(self.figures)
        self._column.addWidget(self.detail)
        self._column.addStretch(1)  # after the figures and the detail,
        self._column.addWidget(self.next_step)
        self._body = QHBoxLayout()
        self._body.addLayout(self._column, 1)
        self._body.addWidget(self.receipt)  # as wide as its code asks; the column has the rest
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(theme.SPACE_L, theme.SPACE_L, theme.SPACE_L, theme.SPACE_L)
        self._layout.setSpacing(theme.SPACE_M)
        self._layout.addStretch(0)  # the space above the header,
        self._layout.addLayout(self._header)
        self._layout.addLayout(self._body)
        self._layout.addStretch(1)  # and above the buttons
        self._layout.addLayout(buttons)
        self._layout.addWidget(self.countdown)
        self.view: ResultView | None = None
        self.retranslate()

    def show_view(self, view: ResultView) -> None:
        """Show ``view``: its tone's colours, its layout, its words and its choices (the countdown stops)."""
        self.view = view
        # The theme colours the card and its title by the tone; the icon and the bar are painted in it.
        theme.set_style_property(self, "cardTone", str(view.tone))
        accent, on_accent, _ = theme.CARD_COLOURS[str(view.tone)]
        self.icon.show_pictogram(view.icon, theme.qcolor(on_accent), theme.qcolor(accent))
        self.countdown.set_colour(theme.qcolor(accent))
        self.countdown.stop()
        self._arrange(view.layout)
        self.title.setText(view.title)
        self.name.setText(view.name)
        self.name.setVisible(bool(view.name))
        self.figures.show_figures(
            [(f.label, f.value) for f in view.figures],
            centred=view.layout is CardLayout.WELCOME,
            stacked=bool(view.receipt_url),
        )
        self.receipt.show_receipt(view.receipt_url)
        self.detail.setText(view.detail)
        self.detail.setVisible(bool(view.detail))
        self.next_step.setText(view.next_step)
        self.next_step.setVisible(bool(view.next_step))
        for action, button in self._buttons.items():
            choice = next((c for c in view.choices if c.action is action), None)
            button.setVisible(choice is not None)
            button.setEnabled(True)
            if choice is not None:
                button.setText(choice.label)
                theme.button_variant(button, "primary" if choice.primary else "secondary", "large")
        self._fit()

    def start_countdown(self, stays_ms: int) -> None:
        """Show how long the card stays: the bar runs empty over ``stays_ms``."""
        self.countdown.start(stays_ms)

    def withdraw(self, action: ResultAction) -> None:
        """Take one choice off the card (its time is over)."""
        self._buttons[action].hide()

    def set_choices_enabled(self, enabled: bool) -> None:
        """One tap is enough: the buttons are disabled until the writer's answer replaces the card."""
        for button in self._buttons.values():
            button.setEnabled(enabled)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Roomy when everything fits; else a smaller icon, gaps and margins (the words keep their size).

        Beside a receipt's code, on a card still too short (a 1366×768 laptop), the parting words
        ("Thank you! See you next time.") give way last: the figures and the code stay.
        """
        welcome = self.view is not None and self.view.layout is CardLayout.WELCOME
        has_next_step = self.view is not None and bool(self.view.next_step)
        for compact, terse in ((False, False), (True, False), (True, True)):
            if terse and self.receipt.isHidden():
                return
            side = COMPACT_ICON_PX if compact else WELCOME_ICON_PX if welcome else ROW_ICON_PX
            self.icon.setFixedSize(side, side)
            gap = theme.SPACE_S if compact else theme.SPACE_M
            margin = theme.SPACE_M if compact else theme.SPACE_L
            self._layout.setContentsMargins(margin, margin, margin, margin)
            self._layout.setSpacing(gap)
            self._column.setSpacing(gap)
            self._body.setSpacing(gap)
            self._header.setSpacing(gap if welcome else theme.SPACE_L)
            self.next_step.setVisible(has_next_step and not terse)
            if self._needed_height() <= self.height():
                return

    def _needed_height(self) -> int:
        """The height the card's content needs at its width, wrapped lines included.

        A wrapped label in the column under the header (the body, a nested layout) counts only at its
        one-line height in ``minimumSize``; at its width it may need two lines.
        """
        needed = self._layout.minimumSize().height()
        if self._layout.hasHeightForWidth():
            needed = max(needed, self._layout.heightForWidth(self.width()))
        return needed

    def _arrange(self, layout: CardLayout) -> None:
        welcome = layout is CardLayout.WELCOME
        self._header.setDirection(
            QBoxLayout.Direction.TopToBottom if welcome else QBoxLayout.Direction.LeftToRight
        )
        self._header.setAlignment(self.icon, Qt.AlignmentFlag.AlignHCenter if welcome else _LEFT)
        self._header.setStretch(1, 0 if welcome else 1)
        above, after_name, after_figures, above_buttons = _STRETCHES[layout]
        # The body grows by its column's share, so the card spreads as if the column were its own rows.
        for index, stretch in zip(
            _CARD_STRETCHES, (above, after_name + after_figures, above_buttons), strict=True
        ):
            self._layout.setStretch(index, stretch)
        for index, stretch in zip(_COLUMN_STRETCHES, (after_name, after_figures), strict=True):
            self._column.setStretch(index, stretch)
        # The action word ("签到成功", "签退成功") is the largest; a notice's sentence is smaller, and so is
        # the name beside it.
        theme.text_role(self.title, "headline" if layout is CardLayout.NOTICE else "figure")
        theme.text_role(self.name, "title" if layout is CardLayout.NOTICE else "display")
        for label in (self.title, self.name, self.detail, self.next_step):
            label.setAlignment(_CENTRED if welcome else _LEFT)
        self._column.setAlignment(
            self.figures, Qt.AlignmentFlag.AlignHCenter if welcome else Qt.AlignmentFlag(0)
        )
