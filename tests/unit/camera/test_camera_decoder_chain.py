"""The decoder chain: cheapest attempt first, stops at the first read, and reads the real photo set."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import segno
from helpers.images import read_image

from kiosk.camera import Attempt, Decoded, DecoderChain, default_chain, preprocess, to_gray

ROOT = Path(__file__).resolve().parents[3]
QR_PHOTOS = ROOT.parent / "shared" / "datasets" / "qr-photos"
needs_photos = pytest.mark.skipif(
    not QR_PHOTOS.is_dir(), reason=f"the qr-photos dataset is not at {QR_PHOTOS} (see GUIDE.md section 4)"
)


@dataclass
class FakeDecoder:
    """Answers with ``answer`` and records the images it was given."""

    name: str
    answer: list[Decoded] = field(default_factory=list)
    seen: list[np.ndarray] = field(default_factory=list)
    available: bool = True

    def decode(self, gray: Any) -> list[Decoded]:
        self.seen.append(gray)
        return list(self.answer)


def hit(text: str, decoder: str) -> Decoded:
    return Decoded(text, text.encode(), decoder)


def test_attempts_run_in_order_and_stop_at_the_first_that_reads_something() -> None:
    first, second, third = (
        FakeDecoder("a"),
        FakeDecoder("b", [hit("x", "b")]),
        FakeDecoder("c", [hit("y", "c")]),
    )
    chain = DecoderChain([Attempt(first), Attempt(second), Attempt(third)])
    assert chain.decode(np.zeros((50, 60, 3), np.uint8)) == [hit("x", "b")]
    assert len(first.seen) == 1 and len(second.seen) == 1 and third.seen == []
    assert first.seen[0].shape == (50, 60)  # converted to gray once, before the first attempt


def test_the_trace_says_which_attempt_read_the_code_and_which_ran() -> None:
    chain = DecoderChain(
        [
            Attempt(FakeDecoder("a")),
            Attempt(FakeDecoder("b"), ("upscale",)),
            Attempt(FakeDecoder("c", [hit("z", "c")])),
        ]
    )
    trace = chain.trace(np.zeros((600, 800), np.uint8))  # too large to upscale: attempt b is skipped
    assert trace.winner == 2
    assert trace.seconds[0] is not None and trace.seconds[1] is None and trace.seconds[2] is not None
    assert chain.trace(np.zeros((600, 800), np.float32)).winner is None


def test_steps_shared_by_attempts_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counting_clahe(gray: np.ndarray) -> np.ndarray:
        calls.append(gray.shape)
        return gray

    monkeypatch.setitem(preprocess.STEPS, "clahe", counting_clahe)
    a, b = FakeDecoder("a"), FakeDecoder("b")
    DecoderChain([Attempt(a, ("clahe",)), Attempt(b, ("clahe", "invert"))]).decode(
        np.full((40, 40), 9, np.uint8)
    )
    assert len(calls) == 1
    assert int(b.seen[0][0, 0]) == 246


def test_duplicate_reads_of_one_code_are_reported_once() -> None:
    chain = DecoderChain([Attempt(FakeDecoder("a", [hit("x", "a"), hit("x", "a")]))])
    assert chain.decode(np.zeros((40, 40), np.uint8)) == [hit("x", "a")]


def test_unavailable_decoders_are_left_out_and_unknown_steps_refused() -> None:
    chain = DecoderChain([Attempt(FakeDecoder("gone", available=False)), Attempt(FakeDecoder("here"))])
    assert [a.label for a in chain.attempts] == ["here"]
    with pytest.raises(ValueError, match="unknown preprocessing"):
        Attempt(FakeDecoder("a"), ("sparkle",))


@pytest.mark.parametrize(
    ("shape", "dtype", "ok"),
    [
        ((30, 40, 3), np.uint8, True),
        ((30, 40, 4), np.uint8, True),
        ((30, 40), np.uint8, True),
        ((30, 40, 1), np.uint8, True),
        ((30, 40, 3), np.float32, False),
        ((0, 0, 3), np.uint8, False),
        ((30, 40, 2), np.uint8, False),
    ],
)
def test_frames_become_gray_once_or_are_refused(shape: tuple[int, ...], dtype: Any, ok: bool) -> None:
    gray = to_gray(np.zeros(shape, dtype))
    assert (gray is not None and gray.shape == (30, 40)) is ok


def test_the_default_chain_reads_a_bgr_frame_with_a_code() -> None:
    code = segno.make("VC1:ABC", error="m")
    modules = np.array(list(code.matrix_iter(scale=5, border=4)), dtype=bool)
    frame = cv2.cvtColor(np.where(modules, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
    assert [d.text for d in default_chain().decode(frame)] == ["VC1:ABC"]


def photos() -> list[tuple[str, np.ndarray, bytes]]:
    samples = []
    for image in sorted(QR_PHOTOS.glob("*/*")):
        label = image.with_suffix(".txt")
        if image.suffix.lower() in (".png", ".jpg") and label.is_file():
            samples.append(
                (
                    f"{image.parent.name}/{image.name}",
                    read_image(image, cv2.IMREAD_GRAYSCALE),
                    label.read_bytes(),
                )
            )
    return samples


@needs_photos
def test_the_chain_reads_at_least_174_of_the_179_real_photos() -> None:
    samples = photos()
    assert len(samples) == 179
    chain = default_chain()
    missed = [
        name
        for name, gray, expected in samples
        if not any(d.raw == expected or d.text.encode() == expected for d in chain.decode(gray))
    ]
    assert len(samples) - len(missed) >= 174, f"the kiosk would not read these photos: {missed}"


@needs_photos
@pytest.mark.parametrize(
    ("photo", "encoding"),
    [
        ("qrcode-1/13.png", "utf-8"),  # a URL
        ("qrcode-2/30.png", "utf-8"),  # MECARD with UTF-8 Chinese
        ("qrcode-2/17.png", "shift_jis"),  # half-width katakana in Shift_JIS
        ("qrcode-2/31.png", "shift_jis"),  # kanji
        ("qrcode-2/33.png", "gb2312"),  # control bytes and GB2312: binary-looking data
    ],
)
def test_foreign_codes_in_the_photos_come_back_with_their_bytes(photo: str, encoding: str) -> None:
    image = QR_PHOTOS / photo
    expected_text = image.with_suffix(".txt").read_bytes().decode("utf-8")
    [found] = default_chain().decode(read_image(image, cv2.IMREAD_GRAYSCALE))
    assert found.text == expected_text
    assert found.raw == expected_text.encode(encoding)  # the code's own bytes; .txt files hold UTF-8
