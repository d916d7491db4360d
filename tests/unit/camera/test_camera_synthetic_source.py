"""The synthetic camera shows each card in turn, deterministically, and its cards can be read."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.fakes import camera_state

from kiosk.camera import CameraState, FrameSource, SyntheticSource, default_chain

TOKEN = "VC1:" + "NCD4PE9KJ8 2+R:IL.QM%Y3*O-5$Z/WAGTSFXBU71H60" * 5  # base45-like, version ~8


def test_cards_and_gaps_follow_each_other_in_order_forever() -> None:
    source = SyntheticSource(["a", "b"], dwell_frames=3, gap_frames=2)
    shown = []
    for _ in range(20):
        assert source.read() is not None
        shown.append(source.current_text)
    one_cycle = ["a"] * 3 + [None] * 2 + ["b"] * 3 + [None] * 2
    assert shown == one_cycle * 2


def test_frames_are_bgr_of_the_requested_size_at_the_requested_rate() -> None:
    source = SyntheticSource(["x"], size=(320, 240), fps=10.0)
    assert source.state is CameraState.STARTING
    frame = source.read()
    assert frame is not None and frame.shape == (240, 320, 3) and frame.dtype == np.uint8
    assert source.fps == 10.0
    assert camera_state(source) is CameraState.LIVE
    assert isinstance(source, FrameSource)


def test_the_same_seed_gives_the_same_frames_and_another_seed_other_frames() -> None:
    def frames(seed: int) -> list[np.ndarray]:
        source = SyntheticSource(["hello", "world"], seed=seed, dwell_frames=4, gap_frames=2)
        return [f for f in (source.read() for _ in range(12)) if f is not None]

    first, again, other = frames(3), frames(3), frames(4)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_the_light_and_the_noise_change_between_frames() -> None:
    source = SyntheticSource([], dwell_frames=1, gap_frames=1)
    a, b = source.read(), source.read()
    assert a is not None and b is not None
    assert not np.array_equal(a, b)


def test_the_kiosk_chain_reads_the_card_in_at_least_90_percent_of_card_frames() -> None:
    texts = [TOKEN, "VA1:ACTIVITY-0042", "https://example.org/volunteer?id=12345", "你好，志愿者"]
    source = SyntheticSource(texts, seed=11, dwell_frames=12, gap_frames=4)
    chain = default_chain()
    card_frames = read_right = 0
    for _ in range(320):
        frame = source.read()
        assert frame is not None
        texts_read = {d.text for d in chain.decode(frame)}
        if source.current_text is None:
            assert texts_read == set(), "an empty scene was read as a code"
            continue
        card_frames += 1
        read_right += texts_read == {source.current_text}
    assert card_frames == 240
    assert read_right / card_frames >= 0.9, f"only {read_right}/{card_frames} card frames were read"


def test_no_texts_gives_an_empty_scene() -> None:
    source = SyntheticSource([])
    for _ in range(3):
        assert source.read() is not None
        assert source.current_text is None


def test_closing_stops_the_source() -> None:
    source = SyntheticSource(["x"])
    source.read()
    source.close()
    assert source.read() is None
    assert source.state is CameraState.DISCONNECTED
    assert source.current_text is None


def test_nonsense_timing_is_refused() -> None:
    with pytest.raises(ValueError):
        SyntheticSource(["x"], dwell_frames=0)
