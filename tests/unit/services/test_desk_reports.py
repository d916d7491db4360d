"""Desk reports from real events in a real store: hours per volunteer, category and organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers.fakes import FakeClock, make_activity, make_service, open_test_store

from checkin_protocol.models import Identity, Method
from checkin_protocol.visits import ReviewReason
from kiosk.services.attendance import AttendanceService
from kiosk.services.desk_reports import DeskReport, build_desk_report, hours, today_summary
from kiosk.services.report_words import NO_ORGANISATION, UNKNOWN_NAME
from kiosk.store.database import Store
from kiosk.ui.document_language import REPORT_WORDS

CHINA = timezone(timedelta(hours=8))
DAY1, DAY2 = date(2026, 11, 29), date(2026, 11, 30)
READING = make_activity("A1", title="图书馆阅读推广", category="文化服务")  # 09:00-13:00 on day 1
CLEANING = make_activity("A2", title="湖岸清洁", category="环境保护")  # 09:00-13:00 on day 1
READING_2 = make_activity(
    "A3", starts_at=datetime(2026, 11, 30, 1, 0, tzinfo=UTC), title="图书馆阅读推广", category="文化服务"
)
LIBRARY_TEAM, EAST_LAKE_TEAM = "江城市图书馆志愿服务队", "东湖社区志愿服务队"
LEI, WANG, ZHANG, STRANGER = "V000000001", "V000000002", "V000000003", "V000000009"
# The placeholders as the desk and `kiosk report` show them (the document translator, zh_CN .qm).
NOT_REGISTERED, NO_TEAM = "（未登记）", "（无所属组织）"


def _roster(store: Store) -> None:
    with store.write() as db:
        db.execute("INSERT INTO organisations VALUES ('ORG-1', ?, 'county', NULL)", [LIBRARY_TEAM])
        db.execute("INSERT INTO organisations VALUES ('ORG-2', ?, 'village', NULL)", [EAST_LAKE_TEAM])
        for volunteer_id, name, phone, org in (
            (LEI, "雷彩霞", "13800001234", "ORG-1"),
            (WANG, "王芳", "139-0000-5678", "ORG-2"),
            (ZHANG, "张大山", None, "ORG-1"),
        ):
            db.execute(
                "INSERT INTO volunteers (volunteer_id, name, phone, org_id) VALUES (?, ?, ?, ?)",
                [volunteer_id, name, phone, org],
            )


def _at(clock: FakeClock, day: date, hour: int, minute: int = 0) -> None:
    """Move the clock forward to a local (China) time."""
    target = datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA)
    clock.advance((target - clock.wall).total_seconds())


def _scan(service: AttendanceService, volunteer_id: str, activity_id: str) -> None:
    outcome = service.scan(Identity(volunteer_id, "某*", Method.QR, card_no=1), activity_id)
    assert outcome.confirmed, outcome


@pytest.fixture
def kiosk(tmp_path: Path) -> tuple[Store, FakeClock]:
    """Two days of scans (local times, UTC+8):

    day 1, 文化服务 A1: 雷 09:00-11:15, 王 09:10-11:40, an unknown card 09:30 never out
    (auto-closed at the scheduled end 13:00: 3.5 h, to review);
    day 1, 环境保护 A2: 张 09:20-12:20, 雷 12:00-12:45;
    day 2, 文化服务 A3: 王 09:00-10:30, 雷 10:00 still on site.
    """
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db", READING, CLEANING, READING_2)
    _roster(store)
    service = make_service(store, clock)
    for hour, minute, volunteer, activity in (
        (9, 0, LEI, "A1"),
        (9, 10, WANG, "A1"),
        (9, 20, ZHANG, "A2"),
        (9, 30, STRANGER, "A1"),
        (11, 15, LEI, "A1"),
        (11, 40, WANG, "A1"),
        (12, 0, LEI, "A2"),
        (12, 20, ZHANG, "A2"),
        (12, 45, LEI, "A2"),
    ):
        _at(clock, DAY1, hour, minute)
        _scan(service, volunteer, activity)
    _at(clock, DAY1, 13, 31)
    assert [r.activity_id for r in service.close_due_activities()] == ["A1", "A2"]
    for hour, minute, volunteer in ((9, 0, WANG), (10, 0, LEI), (10, 30, WANG)):
        _at(clock, DAY2, hour, minute)
        _scan(service, volunteer, "A3")
    _at(clock, DAY2, 11, 0)
    return store, clock


def _volunteers(report: DeskReport) -> list[tuple[str, str, str, int, float, int]]:
    return [
        (r.volunteer_id, r.name, r.organisation, r.visits, r.hours, r.to_review) for r in report.volunteers
    ]


def test_hours_are_credited_seconds_in_hours_rounded_to_two_decimals() -> None:
    assert hours(8100) == 2.25
    assert hours(100) == 0.03
    assert hours(0) == 0.0


def test_one_day_has_each_volunteers_visits_and_hours(kiosk: tuple[Store, FakeClock]) -> None:
    store, _ = kiosk
    policy = make_service(store, FakeClock()).policy
    report = build_desk_report(store.writer, policy, DAY1, DAY1, translate=REPORT_WORDS)
    # Ordered by organisation, then name, in pinyin: dong hu..., jiang cheng...; the unknown card last.
    assert _volunteers(report) == [
        (WANG, "王芳", EAST_LAKE_TEAM, 1, 2.5, 0),
        (LEI, "雷彩霞", LIBRARY_TEAM, 2, 3.0, 0),
        (ZHANG, "张大山", LIBRARY_TEAM, 1, 3.0, 0),
        (STRANGER, NOT_REGISTERED, NO_TEAM, 1, 3.5, 1),
    ]
    assert (report.visit_count, report.volunteer_count, report.hours, report.to_review) == (5, 4, 12.0, 1)
    assert (report.first, report.last, report.activity_id, report.activity_title) == (DAY1, DAY1, None, None)


def test_without_a_translator_the_placeholders_stay_english(kiosk: tuple[Store, FakeClock]) -> None:
    store, _ = kiosk
    report = build_desk_report(store.writer, make_service(store, FakeClock()).policy, DAY1, DAY1)
    (stranger,) = [r for r in report.volunteers if r.volunteer_id == STRANGER]
    assert (stranger.name, stranger.organisation) == (UNKNOWN_NAME, NO_ORGANISATION)
    assert UNKNOWN_NAME == "(not in the roster)"


def test_totals_per_category_and_organisation(kiosk: tuple[Store, FakeClock]) -> None:
    store, _ = kiosk
    policy = make_service(store, FakeClock()).policy
    report = build_desk_report(store.writer, policy, DAY1, DAY1, translate=REPORT_WORDS)
    categories = [(c.name, c.visits, c.volunteers, c.credited_seconds, c.hours) for c in report.categories]
    assert categories == [("文化服务", 3, 3, 29700, 8.25), ("环境保护", 2, 2, 13500, 3.75)]
    organisations = [(o.name, o.visits, o.volunteers, o.hours) for o in report.organisations]
    assert organisations == [
        (LIBRARY_TEAM, 3, 2, 6.0),
        (NO_TEAM, 1, 1, 3.5),
        (EAST_LAKE_TEAM, 1, 1, 2.5),
    ]


def test_visits_carry_local_times_titles_and_review_reasons(kiosk: tuple[Store, FakeClock]) -> None:
    store, _ = kiosk
    report = build_desk_report(store.writer, make_service(store, FakeClock()).policy, DAY1, DAY1)
    first = report.visits[0]
    assert (first.volunteer_id, first.activity_title, first.category) == (LEI, "图书馆阅读推广", "文化服务")
    assert first.check_in == datetime(2026, 11, 29, 9, 0, tzinfo=CHINA)
    assert first.check_out == datetime(2026, 11, 29, 11, 15, tzinfo=CHINA)
    assert (first.credited_minutes, first.hours, first.review_reasons) == (135, 2.25, ())
    assert [v.volunteer_id for v in report.visits] == [LEI, WANG, ZHANG, STRANGER, LEI]


def test_an_auto_closed_visit_is_counted_and_to_review(kiosk: tuple[Store, FakeClock]) -> None:
    store, _ = kiosk
    report = build_desk_report(store.writer, make_service(store, FakeClock()).policy, DAY1, DAY1)
    (closed,) = [v for v in report.visits if v.volunteer_id == STRANGER]
    assert closed.review_reasons == (ReviewReason.AUTO_CLOSED,)
    assert closed.needs_review and not closed.on_site
    assert closed.check_out == datetime(2026, 11, 29, 13, 31, tzinfo=CHINA)
    assert closed.credited_seconds == int(3.5 * 3600), "credited up to the scheduled end"


def test_one_activity_only(kiosk: tuple[Store, FakeClock]) -> None:
    store, _ = kiosk
    report = build_desk_report(store.writer, make_service(store, FakeClock()).policy, DAY1, DAY1, "A2")
    assert (report.activity_id, report.activity_title) == ("A2", "湖岸清洁")
    assert _volunteers(report) == [
        (LEI, "雷彩霞", LIBRARY_TEAM, 1, 0.75, 0),
        (ZHANG, "张大山", LIBRARY_TEAM, 1, 3.0, 0),
    ]
    assert [(c.name, c.visits, c.hours) for c in report.categories] == [("环境保护", 2, 3.75)]


def test_a_date_range_adds_the_days_and_counts_the_open_visit(kiosk: tuple[Store, FakeClock]) -> None:
    store, _ = kiosk
    policy = make_service(store, FakeClock()).policy
    report = build_desk_report(store.writer, policy, DAY1, DAY2, translate=REPORT_WORDS)
    assert _volunteers(report)[:2] == [
        (WANG, "王芳", EAST_LAKE_TEAM, 2, 4.0, 0),
        (LEI, "雷彩霞", LIBRARY_TEAM, 3, 3.0, 0),
    ]
    assert (report.visit_count, report.volunteer_count, report.hours) == (7, 4, 13.5)
    (open_visit,) = [v for v in report.visits if v.on_site]
    assert (open_visit.volunteer_id, open_visit.check_out, open_visit.credited_seconds) == (LEI, None, 0)
    # 雷 is on site on day 2: the row says so (the screen shows "on site", not a bare 0.00 for day 2).
    assert {r.volunteer_id: r.on_site for r in report.volunteers}[LEI] is True
    assert not any(r.on_site for r in build_desk_report(store.writer, policy, DAY1, DAY1).volunteers)
    assert build_desk_report(store.writer, policy, DAY2, DAY2).visit_count == 2
    assert build_desk_report(store.writer, policy, date(2026, 12, 1), date(2026, 12, 1)).visits == ()
    with pytest.raises(ValueError, match="before"):
        build_desk_report(store.writer, policy, DAY2, DAY1)


def test_today_summary_for_the_dashboard(kiosk: tuple[Store, FakeClock]) -> None:
    store, clock = kiosk
    summary = today_summary(store.writer, make_service(store, FakeClock()).policy, clock.now())
    assert (summary.day, summary.checked_in, summary.visits, summary.on_site) == (DAY2, 2, 2, 1)
    assert summary.hours == 1.5
    assert [(c.name, c.hours) for c in summary.by_category] == [("文化服务", 1.5)]


def test_a_visit_across_midnight_counts_to_the_day_it_started(tmp_path: Path) -> None:
    night = make_activity("N1", starts_at=datetime(2026, 11, 29, 14, 0, tzinfo=UTC), hours=6)  # 22:00-04:00
    clock = FakeClock(wall=datetime(2026, 11, 29, 15, 30, tzinfo=UTC))  # 23:30 local
    store = open_test_store(tmp_path / "k.db", night)
    service = make_service(store, clock)
    _scan(service, LEI, "N1")
    clock.advance(90 * 60)  # 01:00 on the next local day
    _scan(service, LEI, "N1")
    assert [v.hours for v in build_desk_report(store.writer, service.policy, DAY1, DAY1).visits] == [1.5]
    assert build_desk_report(store.writer, service.policy, DAY2, DAY2).visits == ()
