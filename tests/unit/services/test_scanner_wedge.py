"""A USB scanner's fast burst + Enter becomes a code; a person at the keyboard never does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.services.scanner_wedge import WedgeDetector

GAP = 0.05
ENTER = "\r"
# Printable characters as Qt would give them (str.isprintable), never a terminator.
printable = st.one_of(st.characters(categories=["L", "M", "N", "P", "S"]), st.just(" "))
codes = st.text(printable, min_size=8, max_size=300)
fast_gaps = st.floats(min_value=0, max_value=GAP * 0.9)
slow_gaps = st.floats(min_value=GAP * 1.02, max_value=30)
start_times = st.floats(min_value=0, max_value=1e6)


def type_keys(detector: WedgeDetector, text: str, gaps: list[float], t: float) -> tuple[list[str], float]:
    """Type ``text`` with ``gaps[i]`` before character i; return the codes seen and the end time."""
    seen = []
    for char, gap in zip(text, gaps, strict=True):
        t += gap
        code = detector.enter(t) if char == ENTER else detector.key(char, t)
        if code is not None:
            seen.append(code)
    return seen, t


@given(code=codes, data=st.data(), t0=start_times)
def test_any_code_typed_fast_and_closed_by_enter_comes_back_exactly(
    code: str, data: st.DataObject, t0: float
) -> None:
    detector = WedgeDetector(max_gap_s=GAP)
    gaps = data.draw(st.lists(fast_gaps, min_size=len(code) + 1, max_size=len(code) + 1))
    gaps[0] += 1.0  # the scan starts after a pause
    assert type_keys(detector, code + ENTER, gaps, t0)[0] == [code]
    assert detector.pending == 0


@given(code=codes, data=st.data(), t0=start_times)
def test_a_code_with_a_pause_inside_is_never_returned_whole(
    code: str, data: st.DataObject, t0: float
) -> None:
    detector = WedgeDetector(max_gap_s=GAP)
    split = data.draw(st.integers(min_value=1, max_value=len(code) - 1))
    gaps = data.draw(st.lists(fast_gaps, min_size=len(code) + 1, max_size=len(code) + 1))
    gaps[split] = data.draw(slow_gaps)
    seen, _ = type_keys(detector, code + ENTER, gaps, t0)
    # The burst restarts at the slow key: only what came after the pause can be a code.
    tail = code[split:]
    assert seen == ([tail] if len(tail) >= 8 else [])


@given(code=codes, pause=slow_gaps, data=st.data())
def test_an_enter_that_comes_after_a_pause_does_not_close_the_burst(
    code: str, pause: float, data: st.DataObject
) -> None:
    detector = WedgeDetector(max_gap_s=GAP)
    gaps = data.draw(st.lists(fast_gaps, min_size=len(code), max_size=len(code)))
    _, t = type_keys(detector, code, gaps, 10.0)
    assert detector.enter(t + pause) is None


@given(
    keys=st.lists(st.tuples(st.one_of(printable, st.sampled_from("\r\n\t")), slow_gaps), max_size=200),
    t0=start_times,
)
def test_a_person_typing_never_produces_a_code(keys: list[tuple[str, float]], t0: float) -> None:
    detector = WedgeDetector(max_gap_s=GAP)
    text = "".join(k for k, _ in keys)
    assert type_keys(detector, text, [g for _, g in keys], t0)[0] == []


def _scan(detector: WedgeDetector, text: str, t: float, step: float = 0.004) -> float:
    for char in text:
        t += step
        detector.key(char, t)
    return t


def test_tab_and_a_newline_in_the_key_text_also_end_a_scan() -> None:
    detector = WedgeDetector()
    t = _scan(detector, "VK1-ABCDEFGH", 1.0)
    assert detector.enter(t + 0.01) == "VK1-ABCDEFGH"
    t = _scan(detector, "VK1-ABCDEFGH", 2.0)
    assert detector.key("\t", t + 0.01) == "VK1-ABCDEFGH"
    t = _scan(detector, "VK1-ABCDEFGH", 3.0)
    assert detector.key("\n", t + 0.01) == "VK1-ABCDEFGH"


def test_a_burst_shorter_than_the_minimum_is_not_a_code() -> None:
    detector = WedgeDetector(min_length=8)
    t = _scan(detector, "1234567", 1.0)
    assert detector.enter(t + 0.01) is None
    assert detector.pending == 0


def test_a_burst_without_enter_is_dropped_after_a_pause() -> None:
    detector = WedgeDetector()
    t = _scan(detector, "HALFCODE123", 1.0)
    assert not detector.flush_stale(t + 0.01)
    assert detector.pending == 11
    assert detector.flush_stale(t + 0.2)
    assert detector.pending == 0
    assert detector.enter(t + 0.21) is None


def test_the_next_key_after_a_pause_starts_a_new_burst() -> None:
    detector = WedgeDetector()
    t = _scan(detector, "STALE", 1.0)
    t = _scan(detector, "FRESHCODE42", t + 1.0)
    assert detector.enter(t + 0.005) == "FRESHCODE42"


def test_a_stuck_key_cannot_grow_the_buffer_nor_become_a_code() -> None:
    detector = WedgeDetector(max_length=4096)
    t = _scan(detector, "x" * 10_000, 1.0, step=0.001)
    assert detector.pending <= 4096
    assert detector.enter(t + 0.001) is None
    t = _scan(detector, "AFTERWARDS", t + 1.0)
    assert detector.enter(t + 0.001) == "AFTERWARDS"


def test_a_time_going_backwards_breaks_the_burst() -> None:
    detector = WedgeDetector()
    t = _scan(detector, "ABCDEFGH", 5.0)
    detector.key("I", t - 1.0)
    assert detector.pending == 1


def test_unprintable_characters_are_ignored_inside_a_burst() -> None:
    detector = WedgeDetector()
    detector.key("A", 1.0)
    detector.key("\x1b", 1.001)
    t = _scan(detector, "BCDEFGH", 1.001)
    assert detector.enter(t + 0.001) == "ABCDEFGH"


@pytest.mark.parametrize("kwargs", [{"max_gap_s": 0}, {"min_length": 0}, {"min_length": 10, "max_length": 5}])
def test_nonsense_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        WedgeDetector(**kwargs)  # type: ignore[arg-type]
