"""The PIN pad's lock-outs grow: 5 min, 15 min, 1 h, 4 h, then 24 h each, kept across restarts.

Five wrong PINs lock the pad; each lock-out that follows without a right PIN
in between lasts longer, so guessing a PIN takes years, not days. A right PIN
(or setting a PIN) starts the steps over.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.fakes import FakeClock

from kiosk.services.pin import PinGuard, PinResult
from kiosk.store.database import Store, open_store
from kiosk.store.settings import set_setting

KIOSK = "KPIN03"
PIN = "246810"
WRONG = "135790"
STEPS_S = [300, 900, 3600, 4 * 3600, 24 * 3600]


@pytest.fixture
def pin_store(store: Store, clock: FakeClock) -> Store:
    """The kiosk store with the coordinator PIN set."""
    PinGuard(store, clock, KIOSK).set_pin(PIN, actor="setup")
    return store


@pytest.fixture
def guard(pin_store: Store, clock: FakeClock) -> PinGuard:
    return PinGuard(pin_store, clock, KIOSK)


def _lock_out(guard: PinGuard) -> PinResult:
    results = [guard.check(WRONG) for _ in range(5)]
    assert [r.locked_until is not None for r in results] == [False] * 4 + [True]
    return results[-1]


def _lock_length_s(guard: PinGuard, clock: FakeClock) -> float:
    locked = _lock_out(guard)
    assert locked.locked_until is not None
    return (locked.locked_until - clock.wall).total_seconds()


def test_each_lock_out_lasts_longer_up_to_a_day(guard: PinGuard, clock: FakeClock) -> None:
    lengths = []
    for _ in range(7):
        lengths.append(_lock_length_s(guard, clock))
        clock.advance(lengths[-1])
        assert guard.status().locked_until is None, "the lock-out ended on time"
    assert lengths == [*STEPS_S, 24 * 3600, 24 * 3600]


def test_the_result_says_how_long_is_left(guard: PinGuard, clock: FakeClock) -> None:
    assert _lock_out(guard).locked_for_s == 300
    clock.advance(300)
    assert _lock_out(guard).locked_for_s == 900
    clock.advance(100.4)
    refused = guard.check(PIN)
    assert not refused.ok and refused.locked_for_s == 800, "whole seconds, rounded up"
    assert guard.status().locked_for_s == 800
    assert guard.check(WRONG).attempts_left == 0, "a try while locked is refused, not counted"


def test_the_step_survives_a_restart_of_the_program_and_of_the_machine(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "restarted.db"
    lengths = []
    for _ in range(3):
        store = open_store(path)  # the program starts (again)
        try:
            guard = PinGuard(store, clock, KIOSK)
            if not guard.has_pin():
                guard.set_pin(PIN, actor="setup")
            lengths.append(_lock_length_s(guard, clock))
        finally:
            store.close()  # killed: nothing is kept in memory
        clock.advance(lengths[-1])
        clock.reboot()
    assert lengths == STEPS_S[:3]


def test_a_right_pin_starts_the_steps_over(guard: PinGuard, clock: FakeClock) -> None:
    for length in STEPS_S[:3]:
        assert _lock_length_s(guard, clock) == length
        clock.advance(length)
    assert guard.check(PIN).ok
    assert _lock_length_s(guard, clock) == 300


def test_setting_a_pin_lifts_the_lock_out_and_starts_the_steps_over(
    guard: PinGuard, clock: FakeClock
) -> None:
    _lock_out(guard)
    clock.advance(300)
    assert guard.status().locked_until is None
    _lock_out(guard)  # the second lock-out: 15 minutes
    guard.set_coordinator_pin("c1", "975310", actor="cli")
    assert guard.status().locked_until is None and guard.status().attempts_left == 5
    assert _lock_length_s(guard, clock) == 300


def test_setting_the_clock_back_locks_again_for_the_current_step(
    guard: PinGuard, pin_store: Store, clock: FakeClock
) -> None:
    _lock_out(guard)
    clock.advance(300)
    _lock_out(guard)  # 15 minutes
    clock.jump_wall(-3600)
    refused = guard.check(PIN)
    assert refused.locked_until == clock.wall + timedelta(seconds=900)
    clock.advance(899)
    assert not guard.check(PIN).ok
    clock.advance(1)
    assert guard.check(PIN).ok


def test_setting_the_clock_forward_does_not_shorten_a_longer_step(guard: PinGuard, clock: FakeClock) -> None:
    _lock_out(guard)
    clock.advance(300)
    _lock_out(guard)  # 15 minutes
    clock.advance(100)
    clock.jump_wall(3600)
    refused = guard.check(PIN)
    assert refused.locked_until == clock.wall + timedelta(seconds=800)


def test_an_unreadable_step_locks_for_the_longest_step(
    guard: PinGuard, pin_store: Store, clock: FakeClock
) -> None:
    with pin_store.write() as db:
        set_setting(db, "pin_lockout_step", "garbage")
    assert _lock_length_s(guard, clock) == 24 * 3600


def test_the_audit_log_records_each_lock_outs_length(
    guard: PinGuard, pin_store: Store, clock: FakeClock
) -> None:
    _lock_out(guard)
    clock.advance(300)
    _lock_out(guard)
    rows = pin_store.writer.execute(
        "SELECT detail FROM audit_log WHERE action = 'pin.locked' ORDER BY id"
    ).fetchall()
    details = [json.loads(detail) for (detail,) in rows]
    assert [(d["lockout_s"], d["step"]) for d in details] == [(300, 1), (900, 2)]
