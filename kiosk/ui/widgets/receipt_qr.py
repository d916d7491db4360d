"""The service receipt's QR code on the check-out card, with a line saying what it is for.

:class:`QrCodeView` paints a QR code (segno, error correction M, the same as
:mod:`checkin_protocol.codes.qr_images`) with whole pixels per module and a
white quiet zone, as large as its room allows: a phone reads it at arm's
length from a 1920×1080 screen at 8 px per module. The code is worked out
in the event loop's next turn after :meth:`QrCodeView.set_text` (about
10 ms of pure Python for a receipt), so the card's confirmation is painted
first and the QR code follows at once.

:class:`ReceiptPanel` is the code and its caption ("用手机扫码，保存本次服务凭证").
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from checkin_protocol.codes.qr_images import make_qr
from kiosk.ui import theme
from kiosk.ui.widgets.retranslating import RetranslatingFrame

QUIET_MODULES = 3
"""The white margin around the code, in modules. The standard asks for 4; the card's own pale
background continues it, and the fourth module's 8 px go to the figures' column beside the code."""
PREFERRED_MODULE_PX = 8
"""What the card asks room for: a phone at arm's length reads 8 px modules off a 1920×1080 screen."""
MIN_MODULE_PX = 2
"""Below this a phone camera cannot separate the modules: the code is not drawn at all."""
TYPICAL_SIDE_MODULES = 61 + 2 * QUIET_MODULES
"""A receipt URL's code (version 11) with its quiet zone: the room asked for before the code is worked out."""


class QrCodeView(QWidget):
    """A QR code of a text, painted crisp (whole pixels per module) and centred in the widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._image: QImage | None = None  # one pixel per module, quiet zone included
        self._pixmap: QPixmap | None = None  # the image at the size painted, made once per size
        self._encode_soon = QTimer(self)
        self._encode_soon.setSingleShot(True)
        self._encode_soon.setInterval(0)
        self._encode_soon.timeout.connect(self._encode)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def text(self) -> str:
        """The text the code holds (empty: none)."""
        return self._text

    @property
    def ready(self) -> bool:
        """Whether the code of :attr:`text` is worked out (and painted when there is room)."""
        return self._image is not None and not self._encode_soon.isActive()

    @property
    def side_modules(self) -> int:
        """Modules across, quiet zone included (0 before the code is worked out)."""
        return 0 if self._image is None else self._image.width()

    @property
    def module_px(self) -> int:
        """Pixels per module at the widget's present size (0: too small to draw, or no code)."""
        side = self.side_modules
        if side == 0:
            return 0
        px = min(self.width(), self.height()) // side
        return px if px >= MIN_MODULE_PX else 0

    def set_text(self, text: str) -> None:
        """Show the QR code of ``text`` (worked out in the next turn of the event loop); ``""``: none."""
        if text == self._text:
            return
        self._text = text
        self._image = self._pixmap = None
        if text:
            self._encode_soon.start()
        else:
            self._encode_soon.stop()
        self.updateGeometry()
        self.update()

    def _encode(self) -> None:
        matrix = make_qr(self._text).matrix
        side = len(matrix) + 2 * QUIET_MODULES
        pixels = bytearray(b"\xff" * side * side)
        for y, row in enumerate(matrix, start=QUIET_MODULES):
            start = y * side + QUIET_MODULES
            pixels[start : start + len(row)] = bytes(0 if dark else 255 for dark in row)
        self._image = QImage(bytes(pixels), side, side, side, QImage.Format.Format_Grayscale8).copy()
        self._pixmap = None
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        side = (self.side_modules or TYPICAL_SIDE_MODULES) * PREFERRED_MODULE_PX
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        side = (self.side_modules or TYPICAL_SIDE_MODULES) * MIN_MODULE_PX
        return QSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        px = self.module_px
        if self._image is None or px == 0:
            return
        side = self.side_modules * px
        target = QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)
        if self._pixmap is None or self._pixmap.width() != side:
            # Scaled once per size, module edges kept sharp; each paint is then a plain copy (the
            # card repaints while its countdown bar runs).
            scaled = self._image.scaled(side, side, mode=Qt.TransformationMode.FastTransformation)
            self._pixmap = QPixmap.fromImage(scaled)
        painter = QPainter(self)
        painter.drawPixmap(target.topLeft(), self._pixmap)
        painter.end()


class ReceiptPanel(RetranslatingFrame):
    """The receipt's QR code over a line that says what scanning it gives the volunteer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPanel")
        self.code = QrCodeView()
        self.caption = theme.text_role(QLabel(), "large")
        self.caption.setObjectName("receiptCaption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACE_S)
        layout.addWidget(self.code, 1)
        layout.addWidget(self.caption)
        self.setVisible(False)
        self.retranslate()

    def show_receipt(self, url: str) -> None:
        """Show the receipt whose QR code holds ``url``; ``""`` hides the panel."""
        self.code.set_text(url)
        self.setVisible(bool(url))

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Scan with your phone to keep a receipt of this visit"))
