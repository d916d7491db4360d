"""Signals of checking in for someone else, through the real cloud over HTTP, on SQLite and PostgreSQL.

Kiosks register and push as kiosks do (``POST /api/v1/events``); the signals
are read back from the cloud's database, from the staff dashboard's review
list (signed in through its login form) and from ``kiosk-cloud report`` and
its CSV. The city is :mod:`helpers.dashboard_data`'s: A1 at 东华一村活动室,
A3 at 西山村活动室, and A4 added here at A1's venue (another activity in the
same room).
"""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from helpers.cloud_server import RunningCloud, running_cloud
from helpers.dashboard_data import DAY, NOON_ISH, KioskEvents, seed_city
from helpers.face_cloud import MovingClock
from helpers.postgres import new_postgres_database

from cloud.cli import cli
from cloud.dashboard.staff import create_account
from cloud.presence_signals import SAME_CREDENTIAL_SECONDS
from cloud.protocol import format_time
from cloud.storage import Storage
from cloud.visit_projection import FACTS_VERSION_SETTING, ensure_dashboard_ready, rebuild_all

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
NINE = NOON_ISH - HOUR  # 09:00 Beijing time on DAY
PASSWORD = "长城 correct horse"
FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

#: (visit_id, signal, other_id) of every signal kept.
Signals = set[tuple[str, str, str]]


@pytest.fixture
def cloud_clock() -> MovingClock:
    return MovingClock(NOON_ISH + 8 * HOUR)  # the day's pushes arrive in the evening


@pytest.fixture(params=["sqlite", "postgres"])
def served(
    request: pytest.FixtureRequest, tmp_path: Path, cloud_clock: MovingClock
) -> Iterator[tuple[RunningCloud, str | None]]:
    """The city's cloud served on 127.0.0.1, and its PostgreSQL URL (None on SQLite) for the CLI."""
    database = None
    if request.param == "postgres":
        database = new_postgres_database(request.getfixturevalue("postgres_server"))
    with running_cloud(tmp_path / "cloud", cloud_clock, database) as running:
        seed_city(running.store, tmp_path)
        with running.store.write() as writer:
            a1 = writer.row("activity", "A1")
            assert a1 is not None
            writer.upsert_activity(a1 | {"activity_id": "A4", "title": "东华一村读书会"})
        yield running, database


@pytest.fixture
def city(served: tuple[RunningCloud, str | None]) -> RunningCloud:
    return served[0]


class Kiosk:
    """A kiosk registered with the cloud over HTTP that pushes its events as a kiosk does."""

    def __init__(self, cloud: RunningCloud, kiosk_id: str) -> None:
        self.cloud = cloud
        self.events = KioskEvents(kiosk_id)
        self.auth = cloud.register(kiosk_id)

    def event(
        self, volunteer: str, activity: str, action: str, at: datetime, **changes: Any
    ) -> dict[str, Any]:
        return self.events.event(volunteer, activity, action, at, **changes)

    def push(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "batch_id": str(uuid.uuid4()),
            "sent_at_device": format_time(self.cloud.instance.clock()),
            "clock_offset_s": 0.0,
            "events": events,
        }
        reply = requests.post(f"{self.cloud.api_url}/events", json=body, headers=self.auth, timeout=10)
        assert reply.status_code == 200 and not reply.json()["rejected"], reply.text
        return dict(reply.json())

    def visit(self, volunteer: str, activity: str, start: datetime, length: timedelta) -> str:
        """Push a check-in and its check-out ``length`` later; the visit's ID (its check-in's event ID)."""
        check_in = self.event(volunteer, activity, "in", start)
        self.push([check_in, self.event(volunteer, activity, "out", start + length)])
        return str(check_in["event_id"])


def kept_signals(store: Storage) -> Signals:
    with store.read() as reader:
        rows = reader._conn.execute("SELECT visit_id, signal, other_id FROM presence_signals").fetchall()
    return {(str(row[0]), str(row[1]), str(row[2])) for row in rows}


def both_ways(signal: str, a: str, b: str) -> Signals:
    return {(a, signal, b), (b, signal, a)}


def signed_in(cloud: RunningCloud) -> requests.Session:
    """A manager of the whole platform, signed in through the dashboard's login form."""
    create_account(cloud.store, "wang", PASSWORD, "manager", None, cloud.instance.clock())
    browser = requests.Session()
    found = FORM_TOKEN.search(browser.get(f"{cloud.base_url}/dashboard/login", timeout=10).text)
    assert found is not None
    form = {"csrf_token": found.group(1), "username": "wang", "password": PASSWORD}
    reply = browser.post(f"{cloud.base_url}/dashboard/login", data=form, allow_redirects=False, timeout=30)
    assert reply.status_code == 303, reply.text
    return browser


def test_overlapping_visits_at_two_venues_are_flagged_and_listed_for_review(city: RunningCloud) -> None:
    east, west = Kiosk(city, "K-EAST"), Kiosk(city, "K-WEST")
    here = east.visit("V1", "A1", NINE, 2 * HOUR)  # 09:00-11:00 at 东华一村活动室
    there = west.visit("V1", "A3", NINE + HOUR, 2 * HOUR)  # 10:00-12:00 at 西山村活动室
    east.visit("V2", "A1", NINE, 2 * HOUR)  # someone else at the same time: nothing to do with V1

    assert kept_signals(city.store) == both_ways("two_places", here, there)

    visits = signed_in(city).get(f"{city.base_url}/dashboard/api/review", timeout=10).json()["visits"]
    by_id = {visit["visit_id"]: visit for visit in visits}
    assert set(by_id) == {here, there}
    assert by_id[here]["reasons"] == ["two_places"] and by_id[here]["name"] == "张三丰"
    (signal,) = by_id[here]["signals"]
    assert signal == {
        "signal": "two_places",
        "other": {
            "activity_id": "A3",
            "title": "西山村助老服务",
            "venue": "西山村活动室",
            "kiosk_id": "K-WEST",
            "check_in_utc": format_time(NINE + HOUR),
            "check_out_utc": format_time(NINE + 3 * HOUR),
        },
    }
    assert by_id[there]["signals"][0]["other"]["venue"] == "东华一村活动室"


def test_visits_that_only_touch_or_share_a_kiosk_are_not_flagged(city: RunningCloud) -> None:
    east, west = Kiosk(city, "K-EAST"), Kiosk(city, "K-WEST")
    east.visit("V1", "A1", NINE, HOUR)  # 09:00-10:00
    west.visit("V1", "A3", NINE + HOUR, HOUR)  # 10:00-11:00: leaves one venue as the next visit starts
    east.visit("V2", "A1", NINE, 2 * HOUR)
    east.visit("V2", "A3", NINE + HOUR, HOUR)  # overlapping, other venue, but the same kiosk: one place

    assert kept_signals(city.store) == set()


def test_two_kiosks_seconds_apart_are_flagged_and_ten_minutes_apart_at_one_venue_are_not(
    city: RunningCloud,
) -> None:
    door, hall = Kiosk(city, "K-DOOR"), Kiosk(city, "K-HALL")
    # One room, two activities: V1's card at the door, and at the hall kiosk 30 s later.
    first = door.visit("V1", "A1", NINE, 2 * HOUR)
    second = hall.visit("V1", "A4", NINE + timedelta(seconds=30), 2 * HOUR)
    # V2 at the same two kiosks ten minutes apart.
    door.visit("V2", "A1", NINE, 5 * MINUTE)
    hall.visit("V2", "A4", NINE + 10 * MINUTE, HOUR)
    # V3 exactly at the threshold apart, the second visit's check-out not yet pushed.
    third = door.visit("V3", "A1", NINE, 2 * HOUR)
    at_hall = hall.event("V3", "A4", "in", NINE + timedelta(seconds=SAME_CREDENTIAL_SECONDS))
    hall.push([at_hall])

    assert kept_signals(city.store) == both_ways("same_credential_seconds", first, second) | both_ways(
        "same_credential_seconds", third, str(at_hall["event_id"])
    )


def test_a_repeated_push_changes_nothing_an_undo_removes_and_a_rebuild_restores(city: RunningCloud) -> None:
    east, west = Kiosk(city, "K-EAST"), Kiosk(city, "K-WEST")
    here = east.visit("V1", "A1", NINE, 2 * HOUR)
    check_in = west.event("V1", "A3", "in", NINE + timedelta(seconds=40))
    batch = [check_in]
    west.push(batch)
    there = str(check_in["event_id"])
    flagged = both_ways("two_places", here, there) | both_ways("same_credential_seconds", here, there)
    assert kept_signals(city.store) == flagged

    again = west.push(batch)  # the reply was lost: the kiosk sends the batch again
    assert again["duplicate"] == [there]
    check_out = west.event("V1", "A3", "out", NINE + HOUR)
    west.push([check_out])  # the visit closes: still the same two signals, not two more
    assert kept_signals(city.store) == flagged
    with city.store.write() as writer:
        rebuild_all(writer)
    assert kept_signals(city.store) == flagged

    west.push([west.event("V1", "A3", "undo", NINE + HOUR, ref_event_id=check_in["event_id"])])
    assert kept_signals(city.store) == set()  # the undone check-in is no visit: it flags nothing
    with city.store.write() as writer:
        rebuild_all(writer)
    assert kept_signals(city.store) == set()


def test_a_database_of_before_the_signals_gets_them_when_the_cloud_opens(city: RunningCloud) -> None:
    east, west = Kiosk(city, "K-EAST"), Kiosk(city, "K-WEST")
    here = east.visit("V1", "A1", NINE, 2 * HOUR)
    there = west.visit("V1", "A3", NINE + HOUR, 2 * HOUR)
    with city.store.write() as writer:  # as a database kept by the version before: visits, no signals
        writer.clear_presence_signals()
        writer.set_setting(FACTS_VERSION_SETTING, "1")

    assert ensure_dashboard_ready(city.store) is True
    assert kept_signals(city.store) == both_ways("two_places", here, there)
    assert ensure_dashboard_ready(city.store) is False  # once


def test_the_report_and_its_csv_show_the_signals_with_the_other_visit(
    served: tuple[RunningCloud, str | None], tmp_path: Path
) -> None:
    cloud, database = served
    east, west = Kiosk(cloud, "K-EAST"), Kiosk(cloud, "K-WEST")
    east.visit("V1", "A1", NINE, 2 * HOUR)
    west.visit("V1", "A3", NINE + HOUR, 2 * HOUR)
    east.visit("V2", "A1", NINE, HOUR)

    csv_path = tmp_path / "visits.csv"
    args = ["--data", str(cloud.data), *(["--database", database] if database else [])]
    result = CliRunner().invoke(
        cli, [*args, "report", "--date", DAY.isoformat(), "--csv", str(csv_path)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "V1" in result.stdout and "(2 to review)" in result.stdout
    assert "Visits to review: 2" in result.stdout
    assert (
        "two_places with 西山村活动室 (A3 at kiosk K-WEST, 2026-12-04T10:00+08:00 to 12:00)" in result.stdout
    )
    assert (
        "two_places with 东华一村活动室 (A1 at kiosk K-EAST, 2026-12-04T09:00+08:00 to 11:00)"
        in result.stdout
    )
    with csv_path.open(encoding="utf-8-sig", newline="") as rows:
        visits = {(row["volunteer_id"], row["activity_id"]): row for row in csv.DictReader(rows)}
    assert visits["V1", "A1"]["review_reasons"] == "two_places"
    assert visits["V1", "A1"]["review_details"].startswith("two_places with 西山村活动室 (A3 at kiosk K-WEST")
    assert (visits["V2", "A1"]["review_reasons"], visits["V2", "A1"]["review_details"]) == ("", "")


def add_pass(
    store: Storage, pass_id: str, volunteer: str, created: datetime, revoked: datetime | None
) -> None:
    """A phone pass of ``volunteer`` as the cloud keeps one (the ``passes`` table of issue 18)."""
    with store.write() as writer:
        writer._conn.execute(
            "INSERT INTO passes (pass_id, volunteer_id, public_key, created_utc, revoked_utc) VALUES (?, ?, ?, ?, ?)",
            (pass_id, volunteer, "A" * 43 + "=", format_time(created), revoked and format_time(revoked)),
        )


def test_a_card_shown_while_the_volunteer_has_a_phone_pass_is_flagged(city: RunningCloud) -> None:
    add_pass(city.store, "P00000000A1", "V1", NINE - 24 * HOUR, None)
    add_pass(city.store, "P00000000B2", "V2", NINE - 24 * HOUR, NINE - HOUR)  # ended (a lost phone)
    add_pass(city.store, "P00000000C3", "V3", NINE + 5 * HOUR, None)  # registered later that day
    kiosk = Kiosk(city, "K-EAST")
    card = [kiosk.event(volunteer, "A1", "in", NINE, credential="card") for volunteer in ("V1", "V2", "V3")]
    by_pass = kiosk.event("V4", "A1", "in", NINE, credential="pass")
    add_pass(city.store, "P00000000D4", "V4", NINE - 24 * HOUR, None)
    by_face = kiosk.event("V1", "A4", "in", NINE + HOUR, method="face")
    kiosk.push([*card, by_pass, by_face])

    assert kept_signals(city.store) == {(card[0]["event_id"], "card_after_pass", "P00000000A1")}
    with city.store.read() as reader:
        (detail,) = reader.signal_details([card[0]["event_id"]])[card[0]["event_id"]]
    assert detail.shown() == {"signal": "card_after_pass", "pass_since_utc": format_time(NINE - 24 * HOUR)}
