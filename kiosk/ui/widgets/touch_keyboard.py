"""An on-screen keyboard docked at the bottom of a window, so a touch screen needs no physical keyboard.

:func:`install_touch_keyboard` adds a :class:`TouchKeyboard` under the
contents of a container laid out top to bottom (the desk, the setup). It is
a widget of the window, not a window of its own: a kiosk may run without a
window manager. It serves the text fields inside that container:

- **Which fields.** Every ``QLineEdit`` and editable ``QComboBox`` (not the
  text inside a spin box or time edit, nor a read-only field). A field
  declares the layout it wants with :func:`want_keyboard` (the Qt dynamic
  property ``touchKeyboard``): ``letters`` (the default), ``digits`` (phone
  digits, IDs, a PIN), ``chinese`` (letters typed as pinyin) or ``none``.
  A password field gets no pinyin, and the keyboard never shows what was
  typed into it (there is no preview line for any field; the pinyin line
  only shows pinyin being typed).
- **Typing.** The keys call ``insert`` and ``backspace`` on the field's
  ``QLineEdit`` (the combo box's own line edit): no key events are made, so
  a USB barcode scanner's key events reach the field as before. In Chinese
  (中) the letters go to a pinyin line; the candidate bar below it offers
  words (:mod:`kiosk.services.pinyin_input`); tapping one types it. Space
  types the first, 中/EN and Hide drop the pinyin.
- **When it shows.** Tapping a field that wants it opens it (a field that
  gets the focus another way, as when a page is shown, only gets the small
  Keyboard button). It stays while its field is on screen, and closes with
  Hide or when the field goes away. Once a person has typed on a physical
  keyboard into a field (anything but a scanner's burst: at least 8
  characters less than 50 ms apart, :class:`~kiosk.services.scanner_wedge.TypingRhythm`),
  it closes and no longer opens by itself until the next session
  (:meth:`TouchKeyboard.new_session`: the desk is opened again); the
  Keyboard button, shown whenever a field is in use, opens it at any time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.pinyin_input import PinyinInput
from kiosk.services.scanner_wedge import TypingRhythm, Typist
from kiosk.ui.widgets.candidate_bar import CandidateBar
from kiosk.ui.widgets.keyboard_dock import KeyboardDock
from kiosk.ui.widgets.keyboard_keys import (
    DIGITS,
    DIGITS_MAX_WIDTH_PX,
    KEY_HEIGHT_PX,
    KEY_SPACING_PX,
    LETTERS,
    LETTERS_MAX_WIDTH_PX,
    SECRET_HIDDEN_KEYS,
    KeyPanel,
    keyboard_style_sheet,
)
from kiosk.ui.widgets.retranslating import RetranslatingFrame

KEYBOARD_PROPERTY = "touchKeyboard"
LAYOUTS = ("letters", "digits", "chinese", "none")
SETTLE_MS = 120
"""After a field's last key press: long enough for a scanner's next key (< 50 ms), then who typed is known."""
MAX_PINYIN_LETTERS = 40

Words = Callable[[], Iterable[str]]


def want_keyboard(widget: QWidget, layout: str) -> None:
    """Declare the layout ``widget`` (a line edit or an editable combo box) wants: one of :data:`LAYOUTS`."""
    if layout not in LAYOUTS:
        raise ValueError(f"not a touch keyboard layout: {layout!r}")
    widget.setProperty(KEYBOARD_PROPERTY, layout)


@dataclass(frozen=True)
class _Field:
    """A text field being typed into: the widget with the focus, its line edit, and what it wants."""

    widget: QWidget
    edit: QLineEdit
    layout: str  # letters, digits or chinese
    secret: bool  # a password: digits or letters only, nothing of it shown


def _text_widget(widget: QWidget) -> tuple[QWidget, QLineEdit] | None:
    """(the focus widget, its line edit) for a text field; None for anything else."""
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox):
        widget = parent
    if isinstance(widget, QComboBox):
        edit = widget.lineEdit() if widget.isEditable() else None
        return (widget, edit) if edit is not None else None
    if isinstance(widget, QLineEdit) and not isinstance(parent, QAbstractSpinBox):
        return widget, widget
    return None


def field_for(widget: QWidget) -> _Field | None:
    """The field ``widget`` is, with the layout it wants; None if it is no text field or wants none."""
    found = _text_widget(widget)
    if found is None or found[1].isReadOnly():
        return None
    owner, edit = found
    declared = owner.property(KEYBOARD_PROPERTY)
    layout = declared if declared in LAYOUTS else "letters"
    if layout == "none":
        return None
    secret = edit.echoMode() != QLineEdit.EchoMode.Normal
    return _Field(owner, edit, "letters" if secret and layout == "chinese" else layout, secret)


class TouchKeyboard(RetranslatingFrame):
    """The keyboard of one container's text fields (see the module docstring).

    ``words`` gives the words the pinyin candidates offer first (names,
    reasons); it is called when Chinese is first typed in a session.
    """

    def __init__(self, container: QWidget, words: Words | None = None) -> None:
        super().__init__(container)
        self._container = container
        self._words = words
        self._words_stale = True
        self._pinyin_input: PinyinInput | None = None  # the index is built when Chinese is first typed
        self._field: _Field | None = None
        self._open = False
        self._layout = "letters"
        self._chinese = False
        self._shift = False
        self._typed = ""  # pinyin not yet turned into Chinese
        self._candidates: list[tuple[str, int]] = []  # (text, letters of the pinyin it stands for)
        self._physical = False  # a person typed on a physical keyboard in this session
        self._session_gates: list[QWidget] = []
        # Where it sits, set by install_touch_keyboard (None: the caller places it).
        self.dock: KeyboardDock | None = None
        self._rhythm = TypingRhythm()
        self.clock: Callable[[], float] = time.monotonic  # when a key came (seconds); tests drive their own
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settle)

        self.candidate_bar = CandidateBar()
        self.candidate_bar.chosen.connect(self._on_candidate)
        self.letters = KeyPanel(LETTERS, LETTERS_MAX_WIDTH_PX)
        self.digits = KeyPanel(DIGITS, DIGITS_MAX_WIDTH_PX)
        for panel in (self.letters, self.digits):
            panel.key_pressed.connect(self.press)
        self.panel = QWidget()
        keys = QVBoxLayout(self.panel)
        keys.setContentsMargins(0, 0, 0, 0)
        keys.setSpacing(KEY_SPACING_PX)
        self.candidate_bar.setMaximumWidth(LETTERS_MAX_WIDTH_PX)  # over the letters, not across the screen
        candidates = QHBoxLayout()
        candidates.addStretch()
        candidates.addWidget(self.candidate_bar, 1000)  # as wide as it may be, centred
        candidates.addStretch()
        keys.addLayout(candidates)
        keys.addWidget(self.letters)
        keys.addWidget(self.digits)
        self.open_button = QPushButton()
        self.open_button.setObjectName("keyboardOpenButton")
        self.open_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.open_button.setMinimumHeight(KEY_HEIGHT_PX)
        self.open_button.clicked.connect(self.open)
        self.opener_bar = QWidget()
        opener = QHBoxLayout(self.opener_bar)
        opener.setContentsMargins(0, 0, 0, 0)
        opener.addStretch()
        opener.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(KEY_SPACING_PX, KEY_SPACING_PX, KEY_SPACING_PX, KEY_SPACING_PX)
        layout.addWidget(self.panel)
        layout.addWidget(self.opener_bar)
        self.setStyleSheet(keyboard_style_sheet())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self.retranslate()
        self._render()

    # -- what it shows ----------------------------------------------------------------------------

    def target(self) -> QLineEdit | None:
        """The line edit the keys type into (None: no field in use)."""
        return self._field.edit if self._field is not None else None

    def is_open(self) -> bool:
        """Whether the keys are shown (not only the Keyboard button)."""
        return self._field is not None and self._open

    def current_layout(self) -> str:
        """``letters``, ``digits`` or ``chinese``: the keys shown now."""
        if self._layout == "digits":
            return "digits"
        return "chinese" if self._chinese else "letters"

    def pinyin(self) -> str:
        """The pinyin typed and not yet turned into Chinese."""
        return self._typed

    def _render(self) -> None:
        field = self._field
        if field is None:
            self.hide()
            self._place()
            return
        self.panel.setVisible(self._open)
        self.opener_bar.setVisible(not self._open)
        layout = self.current_layout()
        self.letters.setVisible(layout != "digits")
        self.digits.setVisible(layout == "digits")
        self.candidate_bar.setVisible(layout == "chinese")
        language = self.letters.buttons["language"]
        language.setChecked(layout == "chinese")
        language.setEnabled(not field.secret)
        self.letters.buttons["shift"].setEnabled(layout == "letters")
        self.letters.set_shifted(self._shift and layout == "letters")
        for key in SECRET_HIDDEN_KEYS:
            if key in self.digits.buttons:
                self.digits.buttons[key].setVisible(not field.secret)
        if layout == "chinese":
            self.candidate_bar.show_candidates(self._typed, [text for text, _ in self._candidates])
        self.show()
        self._place()

    def _place(self) -> None:
        if self.dock is None:
            return
        # Lay the parts out now, inner first, so the keyboard's height is that of the keys just shown.
        for part in (self.candidate_bar, self.letters, self.digits, self.panel, self.opener_bar, self):
            layout = part.layout()
            if layout is not None:
                layout.activate()
        self.dock.place()

    def retranslate(self) -> None:
        for panel in (self.letters, self.digits):
            panel.buttons["space"].setText(self.tr("Space"))
            panel.buttons["clear"].setText(self.tr("Clear"))
            panel.buttons["hide"].setText(self.tr("Hide"))
        self.open_button.setText("⌨  " + self.tr("Keyboard"))

    # -- sessions and fields ----------------------------------------------------------------------

    @Slot()
    def new_session(self) -> None:
        """A new session (the desk opened again): open by itself again; read the words again."""
        self._physical = False
        self._words_stale = True

    def new_session_when_shown(self, widget: QWidget) -> None:
        """Start a new session each time ``widget`` is shown (the PIN pad, the one way into the desk)."""
        self._session_gates.append(widget)
        widget.installEventFilter(self)

    @Slot()
    def open(self) -> None:
        """Show the keys for the field in use (the Keyboard button)."""
        self._open = self._field is not None
        self._render()

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self._container.isAncestorOf(new):
            return
        field = field_for(new)
        if field is None:
            if _text_widget(new) is not None or isinstance(new, QAbstractSpinBox):
                self._forget_field()  # a field that wants no keyboard (a time, a "none" field)
            return  # a button or a table beside the field: the keys go on typing into the field
        tapped = bool(QApplication.mouseButtons() & Qt.MouseButton.LeftButton)
        if self._field is None or field.widget is not self._field.widget:
            self._use_field(field)
            self._open = tapped and not self._physical
        elif tapped and not self._physical:
            self._open = True
        self._render()

    def _use_field(self, field: _Field) -> None:
        self._unwatch()
        self._field = field
        field.widget.installEventFilter(self)
        field.edit.installEventFilter(self)  # a combo box's line edit is what a finger taps
        self._layout = "digits" if field.layout == "digits" else "letters"
        self._chinese = field.layout == "chinese"
        self._shift = False
        self._set_typed("")

    def _unwatch(self) -> None:
        if self._field is not None:
            self._field.widget.removeEventFilter(self)
            self._field.edit.removeEventFilter(self)

    def _forget_field(self) -> None:
        self._unwatch()
        self._field = None
        self._open = False
        self._set_typed("")
        self._render()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The field's key presses (who is typing?), taps and hiding; the session gates' showing."""
        kind = event.type()
        field = self._field
        if field is not None and (watched is field.widget or watched is field.edit):
            if kind == QEvent.Type.KeyPress and watched is field.widget and isinstance(event, QKeyEvent):
                text = event.text()
                self._judge(self._rhythm.key(bool(text) and text.isprintable(), self.clock()))
                self._settle.start()
            elif kind == QEvent.Type.MouseButtonPress and not self._physical and not self._open:
                self.open()  # the field that has the focus tapped again (after Hide)
            elif kind == QEvent.Type.Hide and watched is field.widget:
                self._forget_field()
        elif kind == QEvent.Type.Show and any(watched is gate for gate in self._session_gates):
            self.new_session()
        return False

    @Slot()
    def _on_settle(self) -> None:
        self._judge(self._rhythm.settle(self.clock()))

    def _judge(self, typist: Typist | None) -> None:
        if typist == "person":
            self._physical = True
            self._open = False
            self._set_typed("")
            self._render()

    # -- typing -----------------------------------------------------------------------------------

    @Slot(str)
    def press(self, key: str) -> None:
        """A key was tapped: type it into the field in use, or do what the named key says."""
        field = self._field
        if field is None or not field.edit.isEnabled():
            return
        if not field.widget.hasFocus():
            field.widget.setFocus(Qt.FocusReason.OtherFocusReason)  # the caret shows where the text goes
        handlers: dict[str, Callable[[_Field], None]] = {
            "backspace": self._backspace,
            "clear": self._clear,
            "space": self._space,
            "hide": self._hide,
            "shift": self._toggle_shift,
            "language": self._toggle_language,
            "digits": self._show_digits,
            "letters": self._show_letters,
        }
        handler = handlers.get(key)
        if handler is not None:
            handler(field)
        elif self.current_layout() == "chinese" and (key.isalpha() or (key == "'" and self._typed)):
            if not (key == "'" and self._typed.endswith("'")):
                self._set_typed((self._typed + key)[:MAX_PINYIN_LETTERS])
        else:
            self._commit_pinyin(field)
            field.edit.insert(key.upper() if self._shift else key)
            self._shift = False
        self._render()

    def _backspace(self, field: _Field) -> None:
        if self._typed:
            self._set_typed(self._typed[:-1])
        else:
            field.edit.backspace()

    def _clear(self, field: _Field) -> None:
        self._set_typed("")
        field.edit.clear()

    def _space(self, field: _Field) -> None:
        if self._candidates:
            self._on_candidate(0)
        elif self._typed:
            self._commit_pinyin(field)
        else:
            field.edit.insert(" ")

    def _hide(self, _field: _Field) -> None:
        self._set_typed("")
        self._open = False

    def _toggle_shift(self, _field: _Field) -> None:
        self._shift = not self._shift

    def _toggle_language(self, field: _Field) -> None:
        self._commit_pinyin(field)
        self._chinese = not self._chinese and not field.secret

    def _show_digits(self, field: _Field) -> None:
        self._commit_pinyin(field)
        self._layout = "digits"

    def _show_letters(self, _field: _Field) -> None:
        self._layout = "letters"

    def _commit_pinyin(self, field: _Field) -> None:
        """Type the pinyin as it is (leaving Chinese, or typing a digit after it)."""
        if self._typed:
            field.edit.insert(self._typed.replace("'", ""))
            self._set_typed("")

    @Slot(int)
    def _on_candidate(self, index: int) -> None:
        field = self._field
        if field is None or not 0 <= index < len(self._candidates):
            return
        text, letters = self._candidates[index]
        field.edit.insert(text)
        self._set_typed(self._typed[letters:].lstrip("'"))
        self._render()

    def _set_typed(self, typed: str) -> None:
        self._typed = typed
        self._candidates = (
            [(c.text, c.letters) for c in self._pinyin().candidates(typed)] if typed.strip("'") else []
        )

    def _pinyin(self) -> PinyinInput:
        if self._pinyin_input is None:
            self._pinyin_input = PinyinInput()
        if self._words_stale and self._words is not None:
            self._pinyin_input.set_words(self._words())
        self._words_stale = False
        return self._pinyin_input


def install_touch_keyboard(container: QWidget, words: Words | None = None) -> TouchKeyboard:
    """Dock a :class:`TouchKeyboard` at the bottom of ``container`` (laid out top to bottom) for its fields.

    ``words`` (called once per session, when pinyin is first typed) are what
    the candidates offer first. See :mod:`kiosk.ui.widgets.keyboard_dock`
    for where it sits.
    """
    layout = container.layout()
    if not isinstance(layout, QBoxLayout) or layout.direction() != QBoxLayout.Direction.TopToBottom:
        raise ValueError("the touch keyboard docks under a container laid out top to bottom")
    keyboard = TouchKeyboard(container, words)
    keyboard.dock = KeyboardDock(container, keyboard, layout)
    return keyboard
