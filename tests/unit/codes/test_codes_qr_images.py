"""QR images of tokens, for printing cards and activity posters."""

import struct
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes import Issuer
from checkin_protocol.codes.qr_images import make_qr, qr_version, save_qr

CARD = Issuer(Ed25519PrivateKey.from_private_bytes(bytes(32)), "k1").issue_card(
    "V0001", "雷*霞", issued_on=date(2025, 1, 1)
)


def test_png_is_written_by_suffix(tmp_path: Path) -> None:
    path = save_qr(CARD, tmp_path / "card.PNG")
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_is_written_by_suffix_with_a_white_background(tmp_path: Path) -> None:
    text = save_qr(CARD, tmp_path / "card.svg").read_text()
    assert "<svg" in text
    assert "#fff" in text.lower() or "white" in text.lower()


def test_png_has_the_print_scale_and_quiet_zone(tmp_path: Path) -> None:
    data = save_qr(CARD, tmp_path / "card.png").read_bytes()
    width, height = struct.unpack(">II", data[16:24])
    modules = 17 + 4 * qr_version(CARD)
    assert width == height == (modules + 2 * 4) * 8


@pytest.mark.parametrize("name", ["card.jpg", "card", "card.png.txt"])
def test_other_suffixes_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        save_qr(CARD, tmp_path / name)
    assert not (tmp_path / name).exists()


def test_short_texts_still_make_a_regular_qr_code_not_micro_qr() -> None:
    assert qr_version("VC1:AB") == 1
    assert not make_qr("VC1:AB").is_micro


def test_qr_version_grows_with_the_text() -> None:
    assert qr_version(CARD) <= 8
    assert qr_version(CARD + "0" * 300) > qr_version(CARD)
