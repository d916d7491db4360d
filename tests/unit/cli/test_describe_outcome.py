"""The terminal's line for a check-out says whose total it is, as the card does."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from helpers.fakes import FakeClock

from checkin_protocol.models import Action, Event, Method
from kiosk.cli.commands_kiosk import describe_outcome
from kiosk.services.outcome import Outcome, OutcomeKind, TotalSource

CHINA = timezone(timedelta(hours=8))


def _check_out(source: TotalSource, as_of: datetime | None = None) -> Outcome:
    clock = FakeClock()  # 29 Nov 2026, 09:00 in China
    clock.advance(5400)
    return Outcome(
        OutcomeKind.CHECKED_OUT,
        volunteer_id="V1",
        display_name="雷*霞",
        activity_id="A1",
        event=Event("E1", "K1", 2, "V1", "A1", Action.CHECK_OUT, Method.QR, clock.now()),
        visit_seconds=5400,
        total_seconds=300 * 3600 + 5400,
        total_source=source,
        total_as_of=as_of,
    )


def test_the_platform_total_is_plain_when_current_and_dated_when_old() -> None:
    assert describe_outcome(_check_out(TotalSource.PLATFORM)) == (
        "CHECKED OUT 雷*霞 (V1) at 10:30, visit 1.50 h, total 301.5 h  [A1]"
    )
    old = describe_outcome(_check_out(TotalSource.PLATFORM, datetime(2026, 11, 25, 18, 0, tzinfo=CHINA)))
    assert old.endswith("total 301.5 h (as of 2026-11-25)  [A1]")


def test_without_a_platform_total_it_says_it_is_this_kiosks_own() -> None:
    assert "total at this kiosk 301.5 h  [A1]" in describe_outcome(_check_out(TotalSource.KIOSK))
