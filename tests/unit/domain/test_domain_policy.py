"""Attendance policy: defaults and validation of bad configuration."""

from __future__ import annotations

from typing import Any

import pytest

from checkin_protocol.policy import AttendancePolicy, AutoCloseMode, RoundingMode, RoundingPolicy


def test_defaults_are_the_documented_ones() -> None:
    policy = AttendancePolicy()
    assert policy.duplicate_window_s == 120
    assert policy.undo_window_s == 120
    assert policy.rounding == RoundingPolicy(step_min=0, mode=RoundingMode.DOWN)
    assert policy.cap_per_visit_min == 720
    assert policy.cap_per_visit_s == 720 * 60
    assert policy.auto_close_grace_min == 30
    assert policy.auto_close_mode is AutoCloseMode.SCHEDULED_END
    assert policy.auto_close_fixed_min == 120
    assert policy.clock_jump_tolerance_s == 120


@pytest.mark.parametrize("step", [0, 1, 5, 10, 15])
def test_allowed_rounding_steps(step: int) -> None:
    assert RoundingPolicy(step_min=step).step_seconds == step * 60


@pytest.mark.parametrize("step", [-5, 2, 3, 30, 60])
def test_other_rounding_steps_are_refused(step: int) -> None:
    with pytest.raises(ValueError, match="step_min"):
        RoundingPolicy(step_min=step)


def test_modes_given_as_strings_are_converted() -> None:
    rounding = RoundingPolicy(step_min=5, mode="nearest")  # type: ignore[arg-type]
    assert rounding.mode is RoundingMode.NEAREST
    policy = AttendancePolicy(auto_close_mode="fixed")  # type: ignore[arg-type]
    assert policy.auto_close_mode is AutoCloseMode.FIXED


def test_unknown_modes_are_refused() -> None:
    with pytest.raises(ValueError):
        RoundingPolicy(mode="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        AttendancePolicy(auto_close_mode="sometimes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "overrides",
    [
        {"duplicate_window_s": -1},
        {"undo_window_s": -1},
        {"cap_per_visit_min": 0},
        {"auto_close_grace_min": -1},
        {"auto_close_fixed_min": -1},
        {"clock_jump_tolerance_s": -1},
        {"duplicate_window_s": True},
        {"undo_window_s": 1.5},
        {"cap_per_visit_min": "720"},
        {"rounding": 5},
    ],
)
def test_bad_values_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        AttendancePolicy(**overrides)


def test_zero_windows_are_allowed() -> None:
    policy = AttendancePolicy(duplicate_window_s=0, undo_window_s=0, auto_close_grace_min=0)
    assert policy.duplicate_window_s == 0
