"""The kiosk screen's big panel between results: what to do now, as a large symbol and a few big words.

It says one thing at a time, chosen in this order:

1. **No camera** (set up without one, unplugged, reconnecting, the video
   ended): a barcode under a scanner's line, "scan your volunteer card with
   the barcode scanner", and "no scanner? ask the coordinator". Never "hold
   your QR code up to the camera" when there is no camera to hold it to.
2. **A face prompt** (face check-in on and a face in view): the prompt's
   symbol (an arrow that moves for a turn, a face that comes closer, a sun
   when it is too dark, a QR code when the face was not accepted) and the
   same words as the band over the preview, with a line under them
   (:mod:`kiosk.ui.face_prompts`). The panel and the band never disagree.
3. **Face check-in on**: a face, "look at the camera, or show your volunteer
   QR code".
4. Otherwise a QR code, "hold your volunteer QR code up to the camera".
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.camera.frame_source import CameraState
from kiosk.ui import theme
from kiosk.ui.face_prompts import FacePrompt, PromptTone
from kiosk.ui.widgets.camera_view import NO_CAMERA_STATE
from kiosk.ui.widgets.pictogram_view import PictogramView
from kiosk.ui.widgets.pictograms import Pictogram
from kiosk.ui.widgets.retranslating import RetranslatingFrame

ICON_PX = 176
"""The panel's symbol: seen from a few metres, before any word is read."""
CAMERA_DOWN = frozenset(
    {NO_CAMERA_STATE, str(CameraState.DISCONNECTED), str(CameraState.RECONNECTING), str(CameraState.ENDED)}
)
"""Camera states in which the volunteer must use the barcode scanner."""

_TONES: dict[PromptTone, theme.Tone | None] = {
    PromptTone.NEUTRAL: None,
    PromptTone.ACTION: "info",
    PromptTone.SUCCESS: "good",
    PromptTone.REFUSAL: "bad",
}
_SYMBOL_COLOURS = {
    PromptTone.NEUTRAL: theme.TEXT,
    PromptTone.ACTION: theme.INFO,
    PromptTone.SUCCESS: theme.GOOD,
    PromptTone.REFUSAL: theme.BAD,
}


class IdlePanel(RetranslatingFrame):
    """What to do, in a large symbol and a few big words (see the module's docstring for which)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idlePanel")
        self.icon = PictogramView(ICON_PX)
        self.icon.setObjectName("idleIcon")
        self.title = theme.text_role(QLabel(), "headline")
        self.title.setObjectName("idleTitle")
        self.title.setWordWrap(True)
        self.hint = theme.text_role(QLabel(), "large", tone="muted")
        self.hint.setObjectName("idleHint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACE_L)
        layout.addStretch()
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        for label in (self.title, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch()
        self._face_on = False
        self._camera = str(CameraState.STARTING)
        self._prompt: FacePrompt | None = None
        self.retranslate()

    @property
    def camera_down(self) -> bool:
        """The camera cannot be used now (none set up, unplugged, reconnecting, ended)."""
        return self._camera in CAMERA_DOWN

    def set_face_on(self, on: bool) -> None:
        """With face check-in on, the title invites the volunteer to look at the camera too."""
        self._face_on = on
        if not on:
            self._prompt = None
        self.retranslate()

    def set_camera_state(self, state: str) -> None:
        """The camera's state (:class:`CameraState` values, or ``"off"`` for none set up)."""
        if state != self._camera:
            self._camera = state
            self.retranslate()

    def show_face_prompt(self, prompt: FacePrompt | None) -> None:
        """The face prompt shown over the preview (``None``: none); the panel says the same."""
        same = (
            prompt is not None
            and self._prompt is not None
            and (prompt.guidance, prompt.tone) == (self._prompt.guidance, self._prompt.tone)
        )
        self._prompt = prompt
        if not same:
            self.retranslate()

    def retranslate(self) -> None:
        prompt = self._prompt if self._face_on and self._prompt is not None and self._prompt.text else None
        tone: theme.Tone | None = None
        colour = theme.TEXT
        if self.camera_down:
            symbol = Pictogram.SCANNER
            title = self.tr("Scan your volunteer card with the barcode scanner")
            if self._camera == NO_CAMERA_STATE:
                hint = self.tr("No scanner here? Please ask the coordinator.")
            else:
                hint = self.tr("The camera is not working. No scanner here? Please ask the coordinator.")
        elif prompt is not None:
            symbol, title, hint = prompt.pictogram, prompt.text, prompt.hint
            tone, colour = _TONES[prompt.tone], _SYMBOL_COLOURS[prompt.tone]
        elif self._face_on:
            symbol = Pictogram.FACE
            title = self.tr("Look at the camera, or show your volunteer QR code")
            hint = self._how_it_works()
        else:
            symbol = Pictogram.QR_CODE
            title = self.tr("Hold your volunteer QR code up to the camera")
            hint = self._how_it_works()
        self.icon.show_pictogram(symbol, theme.qcolor(colour))
        self.title.setText(title)
        theme.set_tone(self.title, tone)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))

    def _how_it_works(self) -> str:
        return self.tr(
            "Scan once to check in, again when you leave to check out. A barcode scanner works too."
        )
