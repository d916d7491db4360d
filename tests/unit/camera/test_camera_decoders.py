"""Both decoders read clean, inverted, small and rotated codes, any content, and never raise."""

from __future__ import annotations

import sys

import cv2
import numpy as np
import pytest
import segno
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kiosk.camera import Decoded, QrDecoder, ZbarDecoder, ZxingDecoder, bytes_to_text, default_chain
from kiosk.camera.preprocess import invert

TOKEN = "VC1:NCD4PE9KJ8 2+R:IL.QM%Y3*O-5$Z/WAGTSFXBU71H60"


def render(content: str | bytes, module_px: int = 6, border: int = 4) -> np.ndarray:
    """A gray image of the code, dark on light, made with segno."""
    code = segno.make(content, error="m", micro=False)
    modules = np.array(list(code.matrix_iter(scale=1, border=border)), dtype=bool)
    gray = np.where(modules, 0, 255).astype(np.uint8)
    return np.repeat(np.repeat(gray, module_px, axis=0), module_px, axis=1)


def rotate(gray: np.ndarray, degrees: float) -> np.ndarray:
    h, w = gray.shape
    side = int(np.hypot(h, w)) + 2
    canvas = np.full((side, side), 255, np.uint8)
    y, x = (side - h) // 2, (side - w) // 2
    canvas[y : y + h, x : x + w] = gray
    matrix = cv2.getRotationMatrix2D((side / 2, side / 2), degrees, 1.0)
    return cv2.warpAffine(canvas, matrix, (side, side), flags=cv2.INTER_LINEAR, borderValue=255)


DECODERS: list[QrDecoder] = [ZxingDecoder(), ZbarDecoder()]


@pytest.fixture(params=DECODERS, ids=lambda d: d.name)
def decoder(request: pytest.FixtureRequest) -> QrDecoder:
    return request.param  # type: ignore[no-any-return]


def test_both_decoders_are_available_here_and_fit_the_interface(decoder: QrDecoder) -> None:
    assert getattr(decoder, "available", False), f"{decoder.name} could not load its library"
    assert isinstance(decoder, QrDecoder)


def test_a_clean_code_is_read_with_its_text_raw_bytes_and_decoder_name(decoder: QrDecoder) -> None:
    assert decoder.decode(render(TOKEN)) == [Decoded(TOKEN, TOKEN.encode(), decoder.name)]


@pytest.mark.parametrize("degrees", [17, 45, 90, 180, 270])
def test_a_rotated_code_is_read(decoder: QrDecoder, degrees: int) -> None:
    assert [d.text for d in decoder.decode(rotate(render(TOKEN), degrees))] == [TOKEN]


def test_a_small_code_is_read_by_the_chain() -> None:
    small = render(TOKEN, module_px=2)
    assert small.shape[0] < 120
    assert [d.text for d in default_chain().decode(small)] == [TOKEN]


def test_an_inverted_code_from_a_phone_in_dark_mode_is_read() -> None:
    dark = 255 - render(TOKEN)
    assert [d.text for d in ZxingDecoder().decode(dark)] == [TOKEN]
    assert [d.text for d in ZbarDecoder().decode(invert(dark))] == [TOKEN]  # type: ignore[arg-type]
    assert [d.text for d in default_chain().decode(dark)] == [TOKEN]


@pytest.mark.parametrize(
    "content",
    [
        "https://example.org/x?y=1",  # a URL: a foreign code the kiosk must see to refuse
        "テスト",  # kanji mode: Shift_JIS inside the code
        "签到 check-in ✓",  # UTF-8 bytes
        bytes([0, 1, 2, 127, 128, 200, 255, 10, 13]) * 4,  # binary data
    ],
    ids=["url", "shift_jis", "utf8", "binary"],
)
def test_foreign_contents_come_back_with_the_codes_bytes(decoder: QrDecoder, content: str | bytes) -> None:
    [found] = decoder.decode(render(content))
    if isinstance(content, bytes):
        assert found.raw == content
    elif content == "テスト":
        assert found.raw == content.encode("shift_jis")
        assert found.text == content
    else:
        assert found.raw == content.encode("utf-8")
        assert found.text == content


def test_bytes_become_text_as_utf8_else_shift_jis_else_latin1() -> None:
    assert bytes_to_text("签到".encode()) == "签到"
    assert bytes_to_text("ﾃﾞｻﾞｲﾝ".encode("shift_jis")) == "ﾃﾞｻﾞｲﾝ"
    assert bytes_to_text(b"\xff\xfe\x80") == "\xff\xfe\x80"


def test_an_image_without_a_code_gives_nothing(decoder: QrDecoder) -> None:
    rng = np.random.default_rng(0)
    assert decoder.decode(rng.integers(0, 256, size=(240, 320), dtype=np.uint8)) == []
    assert decoder.decode(np.full((480, 640), 255, np.uint8)) == []


garbage_arrays = st.one_of(
    hnp.arrays(
        dtype=st.sampled_from([np.uint8, np.int16, np.float32, np.float64, np.bool_, np.uint16]),
        shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=40),
    ),
    hnp.arrays(dtype=np.uint8, shape=st.tuples(st.integers(0, 64), st.integers(0, 64))),
    hnp.arrays(
        dtype=np.uint8, shape=st.tuples(st.integers(1, 32), st.integers(1, 32), st.sampled_from([1, 3, 4]))
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(image=garbage_arrays)
def test_no_decoder_raises_on_garbage(image: np.ndarray) -> None:
    for decoder in DECODERS:
        result = decoder.decode(image)
        assert isinstance(result, list)
    assert isinstance(default_chain().decode(image), list)


@pytest.mark.parametrize("value", [None, "text", [[0, 255]], np.zeros((0, 0), np.uint8)])
def test_no_decoder_raises_on_things_that_are_not_images(value: object) -> None:
    for decoder in DECODERS:
        assert decoder.decode(value) == []  # type: ignore[arg-type]


def test_without_libzbar_the_zbar_decoder_is_unavailable_and_the_chain_still_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar", None)  # import fails as when libzbar0 is missing
    monkeypatch.setitem(sys.modules, "pyzbar.wrapper", None)
    zbar = ZbarDecoder()
    assert not zbar.available
    assert zbar.decode(render(TOKEN)) == []
    assert [d.text for d in default_chain().decode(render(TOKEN))] == [TOKEN]


def test_without_zxing_cpp_the_chain_falls_back_to_zbar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    assert not ZxingDecoder().available
    chain = default_chain()
    assert {a.decoder.name for a in chain.attempts} == {"zbar"}
    assert [d.text for d in chain.decode(render(TOKEN))] == [TOKEN]
