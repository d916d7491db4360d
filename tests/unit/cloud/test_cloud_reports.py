"""Visits and hours from several kiosks' events, on the server's corrected time."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests
from helpers.cloud_server import RunningCloud

from checkin_protocol.models import Action, ClockReading, Event, Method
from checkin_protocol.visits import ReviewReason
from cloud.queries import StoredEvent
from cloud.reports import build_report, for_ordering, write_visits_csv

A, B = "K00000000AA", "K00000000BB"
DAY = date(2026, 3, 12)
TRUE_IN = datetime(2026, 3, 12, 0, 30, tzinfo=UTC)  # 08:30 Beijing time
TRUE_OUT = datetime(2026, 3, 12, 3, 30, tzinfo=UTC)
A_FAST_S = 48 * 3600  # kiosk A's clock is two days ahead


def event(kiosk: str, seq: int, action: str, wall: datetime, **changes: Any) -> dict[str, Any]:
    record = {
        "event_id": str(uuid.uuid4()),
        "kiosk_id": kiosk,
        "seq": seq,
        "volunteer_id": "V1",
        "activity_id": "A1",
        "action": action,
        "method": "qr",
        "wall_utc": wall.isoformat(timespec="milliseconds"),
        "utc_offset_min": 480,
        "monotonic_ns": int(wall.timestamp() * 1e9) - 1_700_000_000 * 10**9,  # ticks with the wall clock
        "boot_id": "same-boot-id-on-both",  # must never let A's and B's monotonic clocks be compared
        "ref_event_id": None,
        "auto_closed": False,
        "credit_seconds": None,
        "actor": None,
    }
    return record | changes


def push(
    cloud: RunningCloud, auth: dict[str, str], events: list[dict[str, Any]], offset: float | None
) -> None:
    body = {
        "batch_id": str(uuid.uuid4()),
        "sent_at_device": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "clock_offset_s": offset,
        "events": events,
    }
    reply = requests.post(f"{cloud.api_url}/events", json=body, headers=auth, timeout=10)
    assert reply.status_code == 200 and len(reply.json()["accepted"]) == len(events), reply.text


def test_in_at_a_with_a_wrong_clock_and_out_at_b_is_one_visit_of_the_right_length(
    cloud: RunningCloud,
) -> None:
    auth_a, auth_b = cloud.register(A), cloud.register(B)
    check_in = event(A, 1, "in", TRUE_IN + timedelta(seconds=A_FAST_S))
    check_out = event(B, 1, "out", TRUE_OUT + timedelta(seconds=0.2), method="scanner")
    push(cloud, auth_b, [check_out], offset=-0.2)  # B syncs first: arrival order must not matter
    push(cloud, auth_a, [check_in], offset=-A_FAST_S)

    report = build_report(cloud.store, DAY, DAY)

    (visit,) = report.visits
    assert (visit.check_in.event_id, visit.check_out and visit.check_out.event_id) == (
        check_in["event_id"],
        check_out["event_id"],
    )
    assert visit.raw_seconds == pytest.approx(3 * 3600, abs=0.01)
    assert visit.credited_seconds == 3 * 3600
    assert visit.service_date == DAY and visit.review_reasons == ()
    assert report.review == [] and report.flagged == []
    (hours,) = report.hours
    assert (hours.volunteer_id, hours.visits, hours.hours) == ("V1", 1, 3.0)

    out = io.StringIO()
    assert write_visits_csv(report, out) == 1
    row = out.getvalue().splitlines()[1].split(",")
    assert row[4:8] == ["2026-03-12T08:30:00+08:00", "2026-03-12T11:30:00+08:00", A, B]


def test_without_the_offset_the_wrong_clock_leaves_the_visit_unpaired(cloud: RunningCloud) -> None:
    auth_a, auth_b = cloud.register(A), cloud.register(B)
    push(cloud, auth_a, [event(A, 1, "in", TRUE_IN + timedelta(seconds=A_FAST_S))], offset=None)
    push(cloud, auth_b, [event(B, 1, "out", TRUE_OUT)], offset=None)
    report = build_report(cloud.store, DAY, DAY + timedelta(days=2))
    assert [f.reason.value for f in report.flagged] == ["out_without_in"]
    assert [v.check_out for v in report.visits] == [None]


def test_auto_closed_and_open_visits_are_listed_for_review(cloud: RunningCloud) -> None:
    auth_a = cloud.register(A)
    check_in = event(A, 1, "in", TRUE_IN)
    auto_out = event(
        A,
        2,
        "out",
        TRUE_OUT + timedelta(hours=1),
        method="auto",
        auto_closed=True,
        credit_seconds=7200,
        ref_event_id=check_in["event_id"],
    )
    still_in = event(A, 3, "in", TRUE_IN, volunteer_id="V2")
    push(cloud, auth_a, [check_in, auto_out, still_in], offset=0.0)

    report = build_report(cloud.store, DAY, DAY)

    assert {v.volunteer_id for v in report.review} == {"V1", "V2"}
    auto = next(v for v in report.review if v.volunteer_id == "V1")
    assert auto.review_reasons == (ReviewReason.AUTO_CLOSED,) and auto.credited_seconds == 7200
    hours = {h.volunteer_id: (h.credited_seconds, h.to_review) for h in report.hours}
    assert hours == {"V1": (7200, 1), "V2": (0, 1)}
    out = io.StringIO()
    write_visits_csv(report, out)
    assert "auto_closed" in out.getvalue() and ",open" in out.getvalue()


def test_for_ordering_uses_the_corrected_time_and_keeps_boots_of_kiosks_apart() -> None:
    clock = ClockReading(TRUE_IN + timedelta(days=2), 480, 42, "boot")
    original = Event("e1", A, 1, "V1", "A1", Action.CHECK_IN, Method.QR, clock)
    stored = StoredEvent(original, TRUE_IN, -A_FAST_S, TRUE_IN, "b")
    moved = for_ordering(stored)
    assert moved.clock == ClockReading(TRUE_IN, 480, 42, f"{A}/boot")
    assert (moved.event_id, moved.seq, moved.action) == ("e1", 1, Action.CHECK_IN)
