"""The dashboard's JSON API over real HTTP, on SQLite and PostgreSQL: areas, masking, a kiosk's push, the fleet."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers.cloud_server import RunningCloud
from helpers.dashboard_data import NOON_ISH, KioskEvents, seed_city
from helpers.face_cloud import MovingClock

from cloud.dashboard.staff import create_account

PASSWORD = "长城 correct horse"
FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def cloud_clock() -> MovingClock:
    return MovingClock(NOON_ISH)


@pytest.fixture
def city(cloud: RunningCloud, tmp_path: Path) -> RunningCloud:
    seed_city(cloud.store, tmp_path)
    return cloud


def signed_in(cloud: RunningCloud, username: str, role: str, area: str | None) -> requests.Session:
    """A browser-like session of a new staff account, signed in through the login form."""
    create_account(cloud.store, username, PASSWORD, role, area, cloud.instance.clock())
    browser = requests.Session()
    page = browser.get(f"{cloud.base_url}/dashboard/login", timeout=10)
    found = FORM_TOKEN.search(page.text)
    assert found is not None, page.text
    form = {"csrf_token": found.group(1), "username": username, "password": PASSWORD}
    reply = browser.post(f"{cloud.base_url}/dashboard/login", data=form, allow_redirects=False, timeout=30)
    assert reply.status_code == 303, reply.text
    return browser


def api(browser: requests.Session, cloud: RunningCloud, path: str, expect: int = 200) -> Any:
    reply = browser.get(f"{cloud.base_url}/dashboard/api/{path}", timeout=10)
    assert reply.status_code == expect, reply.text
    assert reply.headers["cache-control"] == "no-store"
    return reply.json()


def push_over_http(cloud: RunningCloud, auth: dict[str, str], events: list[dict[str, Any]]) -> None:
    body: dict[str, Any] = {
        "batch_id": str(uuid.uuid4()),
        "sent_at_device": NOON_ISH.isoformat(timespec="milliseconds"),
        "clock_offset_s": 0.0,
        "events": events,
    }
    reply = requests.post(f"{cloud.api_url}/events", json=body, headers=auth, timeout=10)
    assert reply.status_code == 200 and len(reply.json()["accepted"]) == len(events), reply.text


def test_without_a_session_every_panel_is_401(city: RunningCloud) -> None:
    for path in ("me", "overview", "on-site", "rankings", "categories", "review", "fleet"):
        reply = requests.get(f"{city.base_url}/dashboard/api/{path}", timeout=10)
        assert reply.status_code == 401 and reply.json()["error"] == "not_signed_in", path


def test_county_staff_see_their_county_and_below_and_nothing_of_the_other(city: RunningCloud) -> None:
    county = signed_in(city, "dongcheng", "viewer", "K1")

    me = api(county, city, "me")
    assert me["role"] == "viewer" and me["area"]["org_id"] == "K1" and len(me["csrf_token"]) >= 32
    assert api(county, city, "overview")["area"]["org_id"] == "K1"  # their own area by default
    village = api(county, city, "overview?area=G1")
    assert [o["org_id"] for o in village["path"]] == ["C1", "K1", "T1", "G1"]
    for path in ("overview", "on-site", "rankings", "categories", "review", "fleet"):
        for other in ("K2", "G3", "C1", "NO_SUCH_ORG"):
            refused = api(county, city, f"{path}?area={other}", expect=403)
            assert refused["error"] == "forbidden_area", (path, other)


def test_platform_staff_see_everything_and_are_told_of_an_unknown_area(city: RunningCloud) -> None:
    platform = signed_in(city, "platform", "manager", None)
    assert api(platform, city, "me")["area"] is None
    assert [c["org_id"] for c in api(platform, city, "overview")["children"]] == ["C1"]
    assert api(platform, city, "overview?area=K2")["area"]["name"] == "西城区"
    assert api(platform, city, "overview?area=NO_SUCH_ORG", expect=404)["error"] == "unknown_area"
    assert api(platform, city, "rankings?days=0", expect=400)["error"] == "invalid_request"


def test_a_kiosk_check_in_reaches_the_panels_masked_for_a_viewer(city: RunningCloud) -> None:
    auth = city.register("K00000000D1", area="G1")
    viewer = signed_in(city, "viewer", "viewer", "K1")
    manager = signed_in(city, "manager", "manager", "K1")
    before = api(viewer, city, "overview")["today"]

    kiosk = KioskEvents("K00000000D1")
    push_over_http(city, auth, [kiosk.event("V1", "A1", "in", NOON_ISH - timedelta(minutes=30))])

    after = api(viewer, city, "overview")["today"]
    assert (before["check_ins"], after["check_ins"], after["on_site"]) == (0, 1, 1)
    people = {a["activity_id"]: a["on_site"] for a in api(viewer, city, "on-site")["activities"]}
    assert [p["name"] for p in people["A1"]] == ["张**"]
    named = {a["activity_id"]: a["on_site"] for a in api(manager, city, "on-site")["activities"]}
    assert [p["name"] for p in named["A1"]] == ["张三丰"]


def test_the_fleet_shows_a_kiosk_to_its_areas_staff_and_flags_it_when_silent(
    city: RunningCloud, cloud_clock: MovingClock
) -> None:
    auth = city.register("K00000000F1", area="G3")
    west, east = signed_in(city, "west", "viewer", "K2"), signed_in(city, "east", "viewer", "K1")
    kiosk = KioskEvents("K00000000F1")
    push_over_http(city, auth, [kiosk.event("V4", "A3", "in", NOON_ISH - timedelta(minutes=5))])

    (seen,) = api(west, city, "fleet")["kiosks"]
    assert (seen["device_id"], seen["area_id"], seen["area_name"]) == ("K00000000F1", "G3", "西山村")
    assert seen["silent"] is False and seen["missing"] == []
    assert api(east, city, "fleet")["kiosks"] == []

    cloud_clock.advance(2 * 3600)
    (later,) = api(west, city, "fleet")["kiosks"]
    assert later["silent"] is True
