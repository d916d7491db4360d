"""What a finger and an eye find wrong on a screen: cut-off text, widgets off the window, small targets.

:func:`layout_problems` walks the visible widgets of a window as it is laid
out now and names, in words a reviewer can act on:

- **cut-off text**: a label (one line) whose text is wider than the label,
  a word-wrapped label that needs more height than it has, a button, check
  box or radio button whose text and icon do not fit (what Qt would elide or
  clip: "ack to the kios");
- **off the window**: a widget that reaches past the window's edges;
- **small targets**: anything a finger taps (buttons, check boxes, combo
  boxes, text fields, spin boxes, tabs) under :data:`MIN_TARGET_PX` in
  either direction; a check box's indicator and a spin box's arrows count
  on their own, since they are what the finger must hit.

Widgets inside a scroll area are judged against the area's content, not the
window: scrolling to them is expected. The layout test runs this over every
screen and state, in both languages, at the sizes kiosks have.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionSpinBox,
    QTabBar,
    QWidget,
)

MIN_TARGET_PX = 48
"""A finger's target: 9 mm on a 24-inch 1080p touchscreen, the size platform guides ask for."""
SLACK_PX = 1
"""Rounding of font metrics: a text 1 px wider than its room still shows whole."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong, with where it is."""

    kind: str  # "cut-off", "off-window", "small-target"
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.widget}: {self.detail}"


def describe(widget: QWidget) -> str:
    """A name a reviewer can find: the class, the object name, the text, the parents' classes."""
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text().replace("\n", " ")[:40]
    path: list[str] = []
    parent = widget.parentWidget()
    while parent is not None and len(path) < 3:
        path.append(type(parent).__name__)
        parent = parent.parentWidget()
    name = f"{type(widget).__name__}"
    if widget.objectName():
        name += f"#{widget.objectName()}"
    return f"{name} {text!r} in {'/'.join(reversed(path))}"


def _part_of_a_composite(widget: QWidget) -> bool:
    """The line edit inside a spin box or combo box: judged as the whole it belongs to."""
    return isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox)


def _visible_widgets(window: QWidget) -> list[QWidget]:
    return [
        w
        for w in window.findChildren(QWidget)
        if w.isVisibleTo(window) and not w.isWindow() and not _part_of_a_composite(w)
    ]


def _inside_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def _is_rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.RichText:
        return True
    return fmt == Qt.TextFormat.AutoText and "<" in label.text() and ">" in label.text()


def _widest_line(widget: QWidget, text: str) -> int:
    metrics = widget.fontMetrics()
    return max(metrics.horizontalAdvance(line) for line in text.replace("&&", "&").split("\n"))


def _label_cut(label: QLabel) -> str | None:
    text = label.text()
    if not text or _is_rich(label):
        return None  # rich text lays itself out; pictures have no text
    room = label.contentsRect().adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK_PX:
            return f"needs {needed} px of height, has {label.height()}"
        return None
    widest = _widest_line(label, text)
    if widest > room.width() + SLACK_PX:
        return f"text is {widest} px wide, room for {room.width()}"
    return None


def _button_cut(button: QAbstractButton) -> str | None:
    text = button.text().replace("&", "") if "&&" not in button.text() else button.text()
    if not text:
        return None
    needed = _widest_line(button, text)
    if not button.icon().isNull():
        needed += button.iconSize().width() + 4
    if isinstance(button, QCheckBox | QRadioButton):
        needed += _indicator_rect(button).right() + 4
    if needed > button.contentsRect().width() + SLACK_PX:
        return f"text needs {needed} px, the button has {button.contentsRect().width()}"
    return None


def _indicator_rect(box: QCheckBox | QRadioButton) -> QRect:
    option = QStyleOptionButton()
    box.initStyleOption(option)
    element = (
        QStyle.SubElement.SE_CheckBoxIndicator
        if isinstance(box, QCheckBox)
        else QStyle.SubElement.SE_RadioButtonIndicator
    )
    return box.style().subElementRect(element, option, box)


def _spin_arrow_rect(spin: QAbstractSpinBox) -> QRect | None:
    if spin.buttonSymbols() == QAbstractSpinBox.ButtonSymbols.NoButtons:
        return None
    option = QStyleOptionSpinBox()
    spin.initStyleOption(option)
    return spin.style().subControlRect(
        QStyle.ComplexControl.CC_SpinBox, option, QStyle.SubControl.SC_SpinBoxUp, spin
    )


def _small(rect: QRect) -> bool:
    return rect.width() < MIN_TARGET_PX or rect.height() < MIN_TARGET_PX


def _target_problem(widget: QWidget) -> str | None:
    if isinstance(widget, QCheckBox | QRadioButton):
        indicator = _indicator_rect(widget)
        if widget.height() < MIN_TARGET_PX:
            return f"{widget.width()}x{widget.height()} px"
        if indicator.width() < MIN_TARGET_PX // 2:
            return f"its box is {indicator.width()}x{indicator.height()} px"
        return None
    if isinstance(widget, QAbstractSpinBox):
        arrow = _spin_arrow_rect(widget)
        if arrow is not None and _small(arrow):
            return f"its arrows are {arrow.width()}x{arrow.height()} px"
    if isinstance(widget, QAbstractButton | QComboBox | QLineEdit | QAbstractSpinBox) and _small(
        widget.rect()
    ):
        if isinstance(widget, QAbstractButton) and not widget.isEnabled() and not widget.text():
            return None
        return f"{widget.width()}x{widget.height()} px"
    if isinstance(widget, QTabBar):
        for index in range(widget.count()):
            tab = widget.tabRect(index)
            if _small(tab):
                return f"tab {widget.tabText(index)!r} is {tab.width()}x{tab.height()} px"
    return None


def _tappable(widget: QWidget) -> bool:
    if not widget.isEnabled():
        return False
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QAbstractButton | QComboBox | QAbstractSpinBox | QTabBar)


def layout_problems(window: QWidget) -> list[Problem]:
    """Everything cut off, off the window or too small to touch on ``window`` as laid out now."""
    problems: list[Problem] = []
    bounds = window.rect()
    for widget in _visible_widgets(window):
        if widget.width() <= 0 or widget.height() <= 0:
            continue
        where = describe(widget)
        if not _inside_scroll_area(widget, window):
            rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
            if not bounds.contains(rect):
                problems.append(Problem("off-window", where, f"{rect.getRect()} outside {bounds.getRect()}"))
        cut = None
        if isinstance(widget, QLabel):
            cut = _label_cut(widget)
        elif isinstance(widget, QAbstractButton):
            cut = _button_cut(widget)
        if cut is not None:
            problems.append(Problem("cut-off", where, cut))
        if _tappable(widget):
            small = _target_problem(widget)
            if small is not None:
                problems.append(Problem("small-target", where, small))
    return problems
