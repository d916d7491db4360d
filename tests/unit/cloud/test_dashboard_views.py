"""The dashboard's panels from visits kept on every push, on SQLite and PostgreSQL (no browser, no HTTP)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers.dashboard_data import DAY, NOON_ISH, KioskEvents, seed_city

from cloud.dashboard import views
from cloud.dashboard_queries import VisitFact
from cloud.reports import build_report
from cloud.storage import Storage
from cloud.visit_projection import ensure_dashboard_ready, rebuild_all, refresh_activity

HOUR = timedelta(hours=1)


@pytest.fixture
def city(cloud_store: Storage, tmp_path: Path) -> Storage:
    seed_city(cloud_store, tmp_path)
    return cloud_store


def kept_visits(store: Storage) -> list[VisitFact]:
    with store.read() as reader:
        return sorted(
            reader.visit_facts_of(["V1", "V2", "V3", "V4"]),
            key=lambda fact: fact.visit_id,
        )


def test_a_check_in_shows_at_every_level_above_its_village_and_nowhere_else(city: Storage) -> None:
    kiosk = KioskEvents("K1")
    kiosk.push(city, [kiosk.event("V1", "A1", "in", NOON_ISH - HOUR)], NOON_ISH)

    with city.read() as reader:
        top = views.overview(reader, None, NOON_ISH)
        county = views.overview(reader, "K1", NOON_ISH)
        other = views.overview(reader, "K2", NOON_ISH)
        village = views.overview(reader, "G1", NOON_ISH)

    assert top["today"] | {"date": ""} == {
        "date": "",
        "check_ins": 1,
        "check_outs": 0,
        "hours": 0.0,
        "on_site": 1,
        "volunteers": 1,
    }
    assert top["today"]["date"] == DAY.isoformat()
    assert [(c["org_id"], c["on_site"], c["visits"]) for c in top["children"]] == [("C1", 1, 1)]
    assert {c["org_id"]: c["on_site"] for c in county["children"]} == {"T1": 1}
    assert [o["org_id"] for o in county["path"]] == ["C1", "K1"]
    assert other["today"]["check_ins"] == 0 and other["today"]["on_site"] == 0
    assert village["today"]["on_site"] == 1 and village["children"] == []


def test_a_check_out_turns_on_site_into_hours_by_category(city: Storage) -> None:
    kiosk = KioskEvents("K1")
    kiosk.push(
        city,
        [
            kiosk.event("V1", "A1", "in", NOON_ISH - 3 * HOUR),
            kiosk.event("V3", "A2", "in", NOON_ISH - 3 * HOUR),
        ],
        NOON_ISH - 3 * HOUR,
    )
    kiosk.push(city, [kiosk.event("V1", "A1", "out", NOON_ISH - HOUR)], NOON_ISH)

    with city.read() as reader:
        today = views.overview(reader, "T1", NOON_ISH)
        categories = views.categories(reader, "T1", NOON_ISH, 7)
        rankings = views.rankings(reader, "T1", NOON_ISH, 30)

    assert today["today"]["hours"] == 2.0 and today["today"]["on_site"] == 1
    assert today["today"]["check_ins"] == 2 and today["today"]["check_outs"] == 1
    assert categories["dates"][-1] == DAY.isoformat() and len(categories["dates"]) == 7
    assert categories["series"] == [
        {"category": "助老", "hours": [0.0] * 6 + [2.0]},
        {"category": "环保", "hours": [0.0] * 7},
    ]
    assert [(a["org_id"], a["hours"], a["volunteers"], a["activities"]) for a in rankings["areas"]] == [
        ("G1", 2.0, 1, 1),
        ("G2", 0.0, 1, 1),
    ]
    assert [o["org_id"] for o in rankings["organisations"]] == ["G1", "G2"]


def test_who_is_on_site_is_masked_for_a_viewer_and_named_for_a_manager(city: Storage) -> None:
    kiosk = KioskEvents("K1")
    kiosk.push(city, [kiosk.event("V1", "A1", "in", NOON_ISH - HOUR)], NOON_ISH)

    with city.read() as reader:
        masked = views.on_site(reader, "K1", NOON_ISH, sees_names=False)
        named = views.on_site(reader, "K1", NOON_ISH, sees_names=True)
        elsewhere = views.on_site(reader, "K2", NOON_ISH, sees_names=True)

    first = masked["activities"][0]
    assert first["activity_id"] == "A1" and [p["name"] for p in first["on_site"]] == ["张**"]
    assert [p["name"] for p in named["activities"][0]["on_site"]] == ["张三丰"]
    assert {a["activity_id"] for a in masked["activities"]} == {"A1", "A2"}  # A2 runs now, nobody there
    assert [(a["activity_id"], a["on_site"]) for a in elsewhere["activities"]] == [("A3", [])]


def test_a_forgotten_check_out_closed_by_the_kiosk_is_listed_for_review(city: Storage) -> None:
    kiosk = KioskEvents("K1")
    kiosk.push(
        city,
        [
            kiosk.event("V2", "A1", "in", NOON_ISH - 2 * HOUR),
            kiosk.event("V2", "A1", "out", NOON_ISH, method="auto", auto_closed=True),
        ],
        NOON_ISH,
    )
    with city.read() as reader:
        (row,) = views.review(reader, "G1", sees_names=False)["visits"]
        assert views.review(reader, "K2", sees_names=False)["visits"] == []
    assert row["name"] == "李**" and row["reasons"] == ["auto_closed"]


def test_kept_visits_match_the_report_and_a_rebuild(city: Storage) -> None:
    """Arrival order, an undo and a second kiosk: the kept visits are the report's visits."""
    a, b = KioskEvents("KA"), KioskEvents("KB")
    check_in = a.event("V1", "A1", "in", NOON_ISH - 4 * HOUR)
    undone = a.event("V2", "A1", "in", NOON_ISH - 4 * HOUR)
    b.push(city, [b.event("V1", "A1", "out", NOON_ISH - HOUR)], NOON_ISH)  # the check-out arrives first
    a.push(city, [check_in, undone], NOON_ISH)
    a.push(
        city, [a.event("V2", "A1", "undo", NOON_ISH - 4 * HOUR, ref_event_id=undone["event_id"])], NOON_ISH
    )
    a.push(city, [a.event("V4", "A3", "in", NOON_ISH - 2 * HOUR)], NOON_ISH)

    incremental = kept_visits(city)
    report = build_report(city, DAY, DAY)
    assert sorted(v.check_in.event_id for v in report.visits) == [f.visit_id for f in incremental]
    by_id = {f.visit_id: f for f in incremental}
    assert by_id[check_in["event_id"]].credited_seconds == 3 * 3600
    assert by_id[check_in["event_id"]].on_site == 0
    with city.write() as writer:
        rebuild_all(writer)
    assert kept_visits(city) == incremental
    with city.read() as reader:
        assert views.overview(reader, None, NOON_ISH)["today"]["hours"] == 3.0


def test_a_database_with_events_and_no_kept_visits_gets_them_once(city: Storage) -> None:
    kiosk = KioskEvents("K1")
    kiosk.push(city, [kiosk.event("V1", "A1", "in", NOON_ISH - HOUR)], NOON_ISH)
    with city.write() as writer:
        writer.clear_visit_facts()
    assert ensure_dashboard_ready(city) is True
    assert ensure_dashboard_ready(city) is False
    assert [f.volunteer_id for f in kept_visits(city)] == ["V1"]


def test_moving_an_activity_to_another_village_moves_its_hours(city: Storage) -> None:
    kiosk = KioskEvents("K1")
    kiosk.push(
        city,
        [kiosk.event("V1", "A1", "in", NOON_ISH - 2 * HOUR), kiosk.event("V1", "A1", "out", NOON_ISH - HOUR)],
        NOON_ISH,
    )
    with city.write() as writer:
        writer.upsert_activity(
            {
                "activity_id": "A1",
                "title": "搬到西山",
                "org_id": "G3",
                "org_name": "西山村",
                "org_level": "village",
                "venue": "西山村活动室",
                "starts_at": "2026-12-04T00:00:00.000+00:00",
                "ends_at": "2026-12-04T10:00:00.000+00:00",
                "category": "助老",
                "capacity": None,
                "checkin_opens_before_min": 30,
                "checkin_closes_after_start_min": None,
                "signup_required": 0,
            }
        )
        refresh_activity(writer, "A1")
    with city.read() as reader:
        assert views.overview(reader, "K1", NOON_ISH)["today"]["hours"] == 0.0
        assert views.overview(reader, "K2", NOON_ISH)["today"]["hours"] == 1.0


def test_names_are_masked_to_their_first_character() -> None:
    assert [views.mask_name(n) for n in ("张三丰", "王五", "A", "")] == ["张**", "王*", "A*", ""]


def test_today_is_the_platform_date_not_utc(city: Storage) -> None:
    late_utc = NOON_ISH + timedelta(hours=14)  # 00:00 the next day in Beijing
    with city.read() as reader:
        assert views.platform_today(reader, late_utc) == date(2026, 12, 5)
    with city.write() as writer:
        writer.set_setting(views.UTC_OFFSET_SETTING, "0")
    with city.read() as reader:
        assert views.platform_today(reader, late_utc) == date(2026, 12, 4)
