"""Preprocessing steps keep to gray uint8, skip when they do not apply, and flatten bent cards."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import segno

from kiosk.camera import ZbarDecoder, ZxingDecoder
from kiosk.camera.dewarp import flatten_card
from kiosk.camera.preprocess import STEPS, downscale, upscale

TEXT = "VA1:BENT-CARD-0042"


@pytest.mark.parametrize("name", sorted(STEPS))
def test_every_step_returns_gray_uint8_or_none(name: str) -> None:
    rng = np.random.default_rng(1)
    gray = rng.integers(0, 256, size=(120, 160), dtype=np.uint8)
    out = STEPS[name](gray)
    assert out is None or (out.dtype == np.uint8 and out.ndim == 2)


def test_scaling_steps_apply_only_where_they_help() -> None:
    small, large = np.zeros((200, 300), np.uint8), np.zeros((1500, 2000), np.uint8)
    assert upscale(small) is not None and upscale(small).shape == (400, 600)  # type: ignore[union-attr]
    assert upscale(large) is None
    assert downscale(small) is None
    assert downscale(large) is not None and max(downscale(large).shape) == 1024  # type: ignore[union-attr]


def bent_card_photo() -> np.ndarray:
    """A white card with a code on a dark cloth, bowed in the middle and wavy at the sides."""
    code = segno.make(TEXT, error="m")
    modules = np.array(list(code.matrix_iter(scale=6, border=5)), dtype=bool)
    card = np.where(modules, 20, 235).astype(np.uint8)
    side = card.shape[0]
    canvas = np.full((side + 120, side + 120), 25, np.uint8)
    canvas[60 : 60 + side, 60 : 60 + side] = card
    h, w = canvas.shape
    ys, xs = np.indices(canvas.shape, dtype=np.float32)
    u, v = (xs - w / 2) / (w / 2), (ys - h / 2) / (h / 2)
    bend = 18.0
    map_x = xs + bend * (0.6 * np.sin(np.pi * v) + 0.3 * u * v)
    map_y = ys - bend * (1 - u**2)
    return cv2.remap(canvas, map_x, map_y, cv2.INTER_LINEAR, borderValue=25)


def test_a_bent_card_that_no_decoder_reads_is_read_once_flattened() -> None:
    bent = bent_card_photo()
    assert ZxingDecoder().decode(bent) == [] and ZbarDecoder().decode(bent) == []
    flat = flatten_card(bent)
    assert flat is not None and flat.shape[0] == flat.shape[1] and flat.dtype == np.uint8
    assert [d.text for d in ZxingDecoder().decode(flat)] == [TEXT]


def test_flattening_gives_up_without_a_card() -> None:
    rng = np.random.default_rng(2)
    assert flatten_card(np.full((240, 320), 255, np.uint8)) is None
    assert flatten_card(rng.integers(0, 256, size=(240, 320), dtype=np.uint8)) is None
    assert flatten_card(np.zeros((10, 10), np.uint8)) is None
