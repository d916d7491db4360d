"""The scan gate and phone passes, whose text changes every 30 s while the phone is held up."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes.pass_codes import sign_pass_code
from kiosk.camera import ScanGate

KEY = Ed25519PrivateKey.from_private_bytes(bytes(32))
STEP = 58_000_000


def code(step: int, pass_id: str = "P0123456789") -> str:
    return sign_pass_code(pass_id, step, KEY)


def test_a_phone_held_up_across_the_change_of_code_is_one_scan() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer(code(STEP), 0.0)  # checked in
    # The volunteer keeps the phone in view; its code changes at 1.5 s.
    assert not gate.offer(code(STEP), 1.0)
    assert not any(gate.offer(code(STEP + 1), 1.5 + 0.25 * i) for i in range(40))


def test_the_next_code_after_the_phone_left_the_view_is_a_new_scan() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer(code(STEP), 0.0)
    assert gate.offer(code(STEP + 1), 3.0)  # out of view for 3 s, shown again with its new code


def test_a_refreshed_code_more_than_a_step_later_is_a_new_scan_at_once() -> None:
    # A stale code (a phone that slept) was refused; the volunteer refreshes it while holding it up.
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer(code(STEP - 5), 0.0)
    assert gate.offer(code(STEP), 0.5)


def test_the_same_code_follows_the_cool_down_like_a_card() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer(code(STEP), 0.0)
    assert not gate.offer(code(STEP), 5.0)
    assert gate.offer(code(STEP), 13.0)


def test_another_volunteers_pass_is_accepted_at_once() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer(code(STEP), 0.0)
    assert gate.offer(code(STEP + 1, "PAAAAAAAAAA"), 0.5)


def test_the_code_after_one_still_in_view_of_a_later_pass_is_remembered_not_rescanned() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer(code(STEP), 0.0)
    assert not gate.offer(code(STEP + 1), 1.0)
    assert not gate.offer(code(STEP + 1), 4.0)  # it counts as accepted at 1.0: cooling down
    assert gate.offer(code(STEP + 1), 9.5)


def test_damaged_pass_texts_and_other_texts_pass_through_the_gate_as_before() -> None:
    gate = ScanGate(window_s=2.0, cooldown_s=8.0)
    assert gate.offer("VP1:ABC", 0.0)
    assert gate.offer("VC1:XYZ", 0.1)
    assert not gate.offer("VP1:ABC", 0.2)
