"""QR images of token texts, rendered with segno for printing or for the screen.

Cards use error correction M without segno's boost, so the version (size)
is what the token format promises: at most 8 for a card.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import segno

ERROR_CORRECTION = "m"
SCALE = 8  # pixels per module in PNG (a version-8 card is 392 px with the border)
BORDER = 4  # the quiet zone the QR standard asks for


def make_qr(text: str) -> Any:
    """The ``segno.QRCode`` for ``text``: a regular QR code (never Micro QR), error correction M."""
    return segno.make_qr(text, error=ERROR_CORRECTION, boost_error=False)


def qr_version(text: str) -> int:
    """The QR version (1 to 40) that ``text`` needs at error correction M."""
    return int(make_qr(text).version)


def save_qr(text: str, path: str | os.PathLike[str], *, scale: int = SCALE, border: int = BORDER) -> Path:
    """Write the QR code of ``text`` as PNG or SVG, chosen by the file suffix; return the path."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("png", "svg"):
        raise ValueError(f"QR images are written as .png or .svg, not {path.suffix or 'no suffix'}")
    # SVG leaves light modules transparent by default; on a dark page that would not scan.
    make_qr(text).save(str(path), kind=kind, scale=scale, border=border, dark="black", light="white")
    return path
