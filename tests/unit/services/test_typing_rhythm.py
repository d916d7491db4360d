"""A person at a physical keyboard is told from a USB scanner's burst, so the touch keyboard steps aside only for the person."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.services.scanner_wedge import TypingRhythm

GAP = 0.05


def test_one_key_is_a_person_once_the_burst_is_over() -> None:
    rhythm = TypingRhythm(max_gap_s=GAP)
    assert rhythm.key(True, 10.0) is None
    assert rhythm.settle(10.0 + GAP / 2) is None, "a scanner's next key may still come"
    assert rhythm.settle(10.0 + GAP) == "person"
    assert rhythm.settle(11.0) is None, "a burst is judged once"


def test_a_card_typed_in_a_few_milliseconds_is_a_scanner_with_or_without_enter() -> None:
    rhythm = TypingRhythm(max_gap_s=GAP)
    t = 5.0
    for _ in "V000000001":
        t += 0.004
        rhythm.key(True, t)
    rhythm.key(False, t + 0.004)  # Enter: no text
    assert rhythm.settle(t + 1) == "scanner"
    for i in range(9):  # a scanner set up without a terminator
        rhythm.key(True, 20 + i * 0.003)
    assert rhythm.settle(30) == "scanner"


def test_a_key_after_a_pause_ends_the_burst_before_it() -> None:
    rhythm = TypingRhythm(max_gap_s=GAP)
    rhythm.key(True, 1.0)
    assert rhythm.key(True, 1.5) == "person"
    assert rhythm.settle(2.0) == "person"


def test_a_short_fast_burst_and_shift_presses_are_a_person() -> None:
    rhythm = TypingRhythm(max_gap_s=GAP, min_length=8)
    for i in range(7):
        rhythm.key(True, 1 + i * 0.01)
    for i in range(5):
        rhythm.key(False, 1.07 + i * 0.01)  # Shift, arrows: timing only
    assert rhythm.settle(5) == "person"


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        TypingRhythm(max_gap_s=0)
    with pytest.raises(ValueError):
        TypingRhythm(min_length=0)


@given(
    length=st.integers(min_value=8, max_value=200),
    gaps=st.lists(st.floats(min_value=0, max_value=GAP * 0.9), min_size=200, max_size=200),
    start=st.floats(min_value=0, max_value=1e6),
)
def test_any_fast_burst_of_eight_characters_or_more_is_a_scanner(
    length: int, gaps: list[float], start: float
) -> None:
    rhythm = TypingRhythm(max_gap_s=GAP)
    t = start
    for gap in gaps[:length]:
        t += gap
        assert rhythm.key(True, t) is None
    assert rhythm.settle(t + GAP * 1.01) == "scanner"


@given(gaps=st.lists(st.floats(min_value=GAP * 1.02, max_value=60), min_size=1, max_size=50))
def test_keys_a_person_types_slowly_are_each_a_person(gaps: list[float]) -> None:
    rhythm = TypingRhythm(max_gap_s=GAP)
    t = 100.0
    verdicts = []
    for gap in gaps:
        t += gap
        verdicts.append(rhythm.key(True, t))
    verdicts.append(rhythm.settle(t + GAP * 1.02))
    assert verdicts[0] is None and set(verdicts[1:]) == {"person"}
