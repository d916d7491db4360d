"""Back-off between sync rounds: capped, fully jittered, forgotten after a success."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.sync.backoff import Backoff, backoff_ceiling


def test_the_ceiling_starts_at_the_base_doubles_and_stops_at_the_cap() -> None:
    assert backoff_ceiling(0) == 0
    assert [backoff_ceiling(n) for n in range(1, 6)] == [2, 4, 8, 16, 32]
    assert backoff_ceiling(9) == 300
    assert backoff_ceiling(10_000) == 300, "a kiosk offline for weeks must still retry every 5 minutes"


@given(seed=st.integers(0, 2**32), failures=st.integers(1, 200))
def test_a_wait_after_failures_is_never_above_the_cap_nor_below_zero(seed: int, failures: int) -> None:
    backoff = Backoff(rng=random.Random(seed))
    for n in range(1, failures + 1):
        delay = backoff.failed()
        assert 0 <= delay <= min(300, 2 * 2 ** (n - 1)), "a kiosk must not wait longer than the cap"


def test_the_jitter_spreads_kiosks_over_the_whole_range() -> None:
    delays = [Backoff(rng=random.Random(seed), failures=20).failed() for seed in range(400)]
    assert min(delays) < 30 and max(delays) > 270, "full jitter draws from [0, cap]"


def test_a_success_resets_the_failures_and_gives_the_normal_interval() -> None:
    backoff = Backoff(rng=random.Random(1), interval_s=60)
    for _ in range(10):
        backoff.failed()
    assert backoff.succeeded() == 60
    assert backoff.failures == 0
    assert backoff.failed() <= 2, "after a success the back-off starts again from 2 s"


def test_sync_now_resets_the_back_off() -> None:
    backoff = Backoff(rng=random.Random(1))
    for _ in range(10):
        backoff.failed()
    backoff.reset()
    assert backoff.failed() <= 2


def test_retry_after_from_the_server_is_honoured_but_capped() -> None:
    backoff = Backoff(rng=random.Random(1))
    assert backoff.failed(retry_after_s=30) >= 30
    assert backoff.failed(retry_after_s=10_000) == 300


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        Backoff(base_s=0)
    with pytest.raises(ValueError):
        Backoff(base_s=10, cap_s=5)
