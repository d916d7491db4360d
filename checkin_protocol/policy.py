"""Attendance policy: the knobs a venue or platform sets for the rules.

Every value has a sensible default and is checked when the policy is built, so
a bad configuration fails at start-up with a :class:`ValueError` instead of
producing odd hours later. Enum fields also accept their string values (as a
TOML file gives them) and are converted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

ALLOWED_ROUNDING_STEPS_MIN: tuple[int, ...] = (0, 1, 5, 10, 15)
"""Rounding steps a policy may use, in minutes; 0 means no rounding."""


class RoundingMode(StrEnum):
    """How service time is rounded to the step."""

    DOWN = "down"  # always down to the step below: never credits time not served
    NEAREST = "nearest"  # to the nearest step; an exact half rounds up


class AutoCloseMode(StrEnum):
    """What a forgotten check-out is credited when the kiosk closes it."""

    SCHEDULED_END = "scheduled_end"  # credit up to the activity's scheduled end
    NOTHING = "nothing"  # credit zero; a coordinator can fix it by hand
    FIXED = "fixed"  # credit a fixed number of minutes (never beyond the scheduled end)


def _check_int(name: str, value: object, minimum: int) -> None:
    # bool is an int subclass; True minutes is a configuration mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")


@dataclass(frozen=True, slots=True)
class RoundingPolicy:
    """Rounding of each visit's service time.

    ``step_min`` is one of :data:`ALLOWED_ROUNDING_STEPS_MIN`; 0 turns rounding
    off (service time is then counted in whole seconds, fractions dropped).
    """

    step_min: int = 0
    mode: RoundingMode = RoundingMode.DOWN

    def __post_init__(self) -> None:
        _check_int("rounding step_min", self.step_min, 0)
        if self.step_min not in ALLOWED_ROUNDING_STEPS_MIN:
            raise ValueError(
                f"rounding step_min must be one of {ALLOWED_ROUNDING_STEPS_MIN}, got {self.step_min}"
            )
        object.__setattr__(self, "mode", RoundingMode(self.mode))

    @property
    def step_seconds(self) -> int:
        """The step in seconds (0: no rounding)."""
        return self.step_min * 60


@dataclass(frozen=True, slots=True)
class AttendancePolicy:
    """All the rules' settings in one value.

    - ``duplicate_window_s``: a second scan of the same card within this many
      seconds of the last check-in or check-out is a duplicate, not a toggle.
    - ``undo_window_s``: how long after an event it may still be undone.
    - ``rounding``: how each visit's service time is rounded.
    - ``cap_per_visit_min``: the most one visit can credit.
    - ``auto_close_grace_min``: minutes after the scheduled end when open
      visits are closed automatically and the activity stops taking scans.
    - ``auto_close_mode`` / ``auto_close_fixed_min``: what such visits credit.
    - ``clock_jump_tolerance_s``: how far the wall clock may drift from the
      monotonic clock within a visit before the visit is flagged for review.
    """

    duplicate_window_s: int = 120
    undo_window_s: int = 120
    rounding: RoundingPolicy = field(default_factory=RoundingPolicy)
    cap_per_visit_min: int = 720
    auto_close_grace_min: int = 30
    auto_close_mode: AutoCloseMode = AutoCloseMode.SCHEDULED_END
    auto_close_fixed_min: int = 120
    clock_jump_tolerance_s: int = 120

    def __post_init__(self) -> None:
        _check_int("duplicate_window_s", self.duplicate_window_s, 0)
        _check_int("undo_window_s", self.undo_window_s, 0)
        _check_int("cap_per_visit_min", self.cap_per_visit_min, 1)
        _check_int("auto_close_grace_min", self.auto_close_grace_min, 0)
        _check_int("auto_close_fixed_min", self.auto_close_fixed_min, 0)
        _check_int("clock_jump_tolerance_s", self.clock_jump_tolerance_s, 0)
        if not isinstance(self.rounding, RoundingPolicy):
            raise ValueError(f"rounding must be a RoundingPolicy, got {self.rounding!r}")
        object.__setattr__(self, "auto_close_mode", AutoCloseMode(self.auto_close_mode))

    @property
    def cap_per_visit_s(self) -> int:
        """The per-visit cap in seconds."""
        return self.cap_per_visit_min * 60
