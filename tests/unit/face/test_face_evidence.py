"""Pooling good frames of one face: the mean is matched, other faces and gaps start over."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.face.evidence import SAME_FACE_DISTANCE, FramePool

BASIS = np.eye(128, dtype=np.float32)


def test_the_pool_is_ready_after_enough_frames_and_keeps_the_newest() -> None:
    pool = FramePool(frames=2, most=3, window=1.0)
    assert not pool.ready and len(pool) == 0
    for step in range(4):
        pool.add(BASIS[0] + 0.01 * step * BASIS[1], at=0.1 * step)
        assert pool.ready == (step >= 1)
    assert len(pool) == 3 and pool.full
    assert pool.combined() == pytest.approx(BASIS[0] + 0.02 * BASIS[1])  # steps 1, 2, 3


def test_the_combined_descriptor_is_the_mean() -> None:
    pool = FramePool()
    pool.add(BASIS[0] + 0.2 * BASIS[2], 0.0)
    pool.add(BASIS[0] - 0.2 * BASIS[2], 0.1)
    assert pool.combined() == pytest.approx(BASIS[0])
    assert pool.combined().dtype == np.float32


def test_another_face_or_a_gap_starts_the_pool_over() -> None:
    pool = FramePool(frames=2, window=1.0)
    pool.add(BASIS[0], 0.0)
    pool.add(BASIS[0] + (SAME_FACE_DISTANCE + 0.05) * BASIS[3], 0.1)  # someone else under the same box
    assert len(pool) == 1
    pool.add(BASIS[0] + (SAME_FACE_DISTANCE + 0.05) * BASIS[3], 2.0)  # after a gap
    assert len(pool) == 1
    pool.add(BASIS[0], 1.5)  # a clock going back
    assert len(pool) == 1


def test_an_empty_pool_has_nothing_to_combine_and_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        FramePool().combined()
    for bad in ({"frames": 0}, {"frames": 3, "most": 2}, {"window": -1.0}):
        with pytest.raises(ValueError):
            FramePool(**bad)
