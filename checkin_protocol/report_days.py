"""The days a report may be asked for, and the window of events read around them.

A person types the days of a report (``--date``, ``--from``, ``--to``) or
picks them at the desk. Days from :data:`FIRST_REPORT_DAY` to
:data:`LAST_REPORT_DAY` are accepted there; anything else is a typo
(``9999-12-31``, ``0001-01-01``) and is refused with the range in the
message. The reports themselves (``kiosk export``, the desk report, the
cloud report) answer for any days Python can hold: the events around the
days are read in a window that :func:`widen_days` stops at the ends of the
calendar instead of letting the date arithmetic overflow.
"""

from __future__ import annotations

from datetime import date, timedelta

FIRST_REPORT_DAY = date(2000, 1, 1)
"""The earliest day a person may ask a report of (the project keeps no older records)."""
LAST_REPORT_DAY = date(2099, 12, 31)
"""The latest day a person may ask a report of."""


def check_report_day(day: date) -> date:
    """``day`` when it lies in the report range; else a ``ValueError`` naming the range."""
    if not FIRST_REPORT_DAY <= day <= LAST_REPORT_DAY:
        raise ValueError(
            f"{day.isoformat()} is out of range: give a day from "
            f"{FIRST_REPORT_DAY.isoformat()} to {LAST_REPORT_DAY.isoformat()}"
        )
    return day


def check_report_days(first: date, last: date) -> None:
    """Refuse (``ValueError``) a range whose last day is before its first."""
    if last < first:
        raise ValueError(f"the last day {last.isoformat()} is before the first day {first.isoformat()}")


def widen_days(first: date, last: date, before: timedelta, after: timedelta) -> tuple[date, date]:
    """``(first - before, last + after)``, stopped at ``date.min`` / ``date.max`` rather than overflowing."""
    room_before = first - date.min
    room_after = date.max - last
    return first - min(before, room_before), last + min(after, room_after)
