"""The scan gate turns many frames of one card into one scan, with a cool-down against double scans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.camera import ScanGate


def test_a_card_held_in_view_is_one_scan() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer("A", 0.0)
    # seen every 0.5 s for 30 s: still the same presentation, even past the cool-down
    assert not any(gate.offer("A", 0.5 * i) for i in range(1, 61))


def test_a_card_shown_again_after_the_cool_down_is_a_new_scan() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer("A", 0.0)
    assert not gate.offer("A", 5.0)  # left the view and came back within the cool-down
    assert gate.offer("A", 13.0)  # left again (8 s unseen), and the cool-down is over


def test_the_cool_down_counts_from_the_accepted_scan() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer("A", 0.0)
    assert not gate.offer("A", 7.9)
    assert gate.offer("A", 10.0)


def test_another_card_is_accepted_at_once() -> None:
    gate = ScanGate()
    assert gate.offer("A", 0.0)
    assert gate.offer("B", 0.1)
    assert not gate.offer("A", 0.2)


def test_the_gate_forgets_texts_unseen_for_longer_than_window_and_cool_down() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    for i in range(100):
        gate.offer(f"card-{i}", float(i))
    assert len(gate) <= 9
    gate.clear()
    assert len(gate) == 0


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        ScanGate(window_s=-1)


sightings = st.lists(
    st.tuples(st.sampled_from("ABCDE"), st.floats(min_value=0, max_value=3.0, allow_nan=False)),
    max_size=200,
)


@settings(max_examples=300)
@given(
    events=sightings,
    window=st.floats(min_value=0, max_value=5, allow_nan=False),
    cooldown=st.floats(min_value=0, max_value=20, allow_nan=False),
)
def test_properties_of_any_sighting_sequence(
    events: list[tuple[str, float]], window: float, cooldown: float
) -> None:
    gate = ScanGate(window_s=window, cooldown_s=cooldown)
    now = 0.0
    accepted_at: dict[str, float] = {}
    last_seen: dict[str, float] = {}
    for text, step in events:
        now += step
        ok = gate.offer(text, now)
        if text not in accepted_at:
            assert ok, "a text never seen before must be accepted at once"
        if ok and text in accepted_at:
            assert now - accepted_at[text] >= cooldown, (
                "the same card was accepted twice within the cool-down"
            )
            assert now - last_seen[text] >= window, "a card still in view was accepted again"
        if ok:
            accepted_at[text] = now
        last_seen[text] = now
        horizon = max(window, cooldown)
        recent = {t for t, seen in last_seen.items() if now - seen <= horizon}
        assert len(gate) <= len(recent), "the gate remembers texts it should have forgotten"


@given(st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=300))
def test_memory_stays_bounded_however_many_texts_come(texts: list[str]) -> None:
    gate = ScanGate(window_s=1.0, cooldown_s=2.0, max_texts=16)
    for i, text in enumerate(texts):
        gate.offer(text, i * 0.01)
        assert len(gate) <= 16
