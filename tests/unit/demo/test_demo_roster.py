"""The demo data: a believable city of volunteers that the kiosk's own importer accepts."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlite_utils

from checkin_protocol.models import ActivityStatus, OrgLevel
from checkin_protocol.roster_rows import MOBILE_RE
from kiosk.demo.activities import (
    MAX_CATEGORY_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_VENUE_LENGTH,
    demo_activities,
)
from kiosk.demo.names import GIVEN_NAME_CHARS, SURNAMES, random_name
from kiosk.demo.roster import (
    CSV_HEADER,
    demo_organisations,
    generate_volunteers,
    write_roster_csv,
    write_roster_jsonl,
)
from kiosk.store.migrations import MIGRATIONS
from kiosk.store.roster_import import import_roster

LEVEL_ORDER = [OrgLevel.CITY, OrgLevel.COUNTY, OrgLevel.TOWNSHIP, OrgLevel.VILLAGE]


def test_the_same_seed_gives_the_same_roster_and_another_seed_another() -> None:
    first = list(generate_volunteers(500, seed=7))
    assert first == list(generate_volunteers(500, seed=7))
    assert first[:100] == list(generate_volunteers(100, seed=7))
    assert first != list(generate_volunteers(500, seed=8))


def test_ids_and_phones_are_unique_and_well_formed() -> None:
    rows = list(generate_volunteers(20_000, seed=3))
    ids = [r[0] for r in rows]
    phones = [r[2] for r in rows]
    assert len(set(ids)) == len(ids) and len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"V[0-9]{9}", i) for i in ids)
    assert all(MOBILE_RE.fullmatch(p) for p in phones)
    org_ids = {o.org_id for o in demo_organisations()}
    assert {r[3] for r in rows} == org_ids  # every organisation has volunteers


@pytest.mark.parametrize("writer", [write_roster_csv, write_roster_jsonl], ids=["csv", "jsonl"])
def test_every_generated_row_passes_the_importer(tmp_path: Path, writer: Callable[..., None]) -> None:
    suffix = ".csv" if writer is write_roster_csv else ".jsonl"
    path = tmp_path / f"roster{suffix}"
    writer(path, 2000, seed=11)
    db = sqlite_utils.Database(tmp_path / "kiosk.db")
    MIGRATIONS.apply(db)
    report = import_roster(db, path)
    assert report.bad_rows == [] and report.warnings == []
    assert (report.rows_read, report.inserted, report.organisations) == (2000, 2000, 22)
    stored = db.execute("SELECT volunteer_id, name, phone, org_id FROM volunteers ORDER BY volunteer_id")
    assert stored.fetchall() == sorted(generate_volunteers(2000, seed=11))


def test_the_csv_header_is_the_importers_and_excel_can_read_it(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    write_roster_csv(path, 3)
    first = path.read_bytes().split(b"\n", 1)[0]
    assert first.decode("ascii") == ",".join(CSV_HEADER)  # plain UTF-8, no BOM: csv.reader reads it as is


def test_the_organisations_form_a_four_level_tree() -> None:
    orgs = demo_organisations()
    by_id = {o.org_id: o for o in orgs}
    assert len(by_id) == len(orgs) == 22
    assert Counter(o.level for o in orgs) == {
        OrgLevel.CITY: 1,
        OrgLevel.COUNTY: 3,
        OrgLevel.TOWNSHIP: 6,
        OrgLevel.VILLAGE: 12,
    }
    for org in orgs:
        assert re.fullmatch(r"ORG-[CDTV][0-9]{2}", org.org_id)
        if org.level is OrgLevel.CITY:
            assert org.parent_id is None and org.name == "江城市志愿服务联合会"
            continue
        assert org.parent_id is not None
        parent = by_id[org.parent_id]
        assert LEVEL_ORDER.index(parent.level) == LEVEL_ORDER.index(org.level) - 1
    children = Counter(o.parent_id for o in orgs if o.parent_id)
    assert all(
        children[o.org_id] == (3 if o.level is OrgLevel.CITY else 2)
        for o in orgs
        if o.level is not OrgLevel.VILLAGE
    )


def test_names_look_like_chinese_names_drawn_by_surname_frequency() -> None:
    assert len(SURNAMES) >= 60 and len(set(GIVEN_NAME_CHARS)) >= 150
    rng = random.Random(5)
    names = [random_name(rng) for _ in range(20_000)]
    again = random.Random(5)
    assert [random_name(again) for _ in range(50)] == names[:50]
    assert all(2 <= len(n) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", n) for n in names)
    surnames = Counter(n[:2] if n[:2] in ("欧阳", "司马", "上官", "诸葛") else n[0] for n in names)
    top = [s for s, _ in surnames.most_common(5)]
    assert set(top[:3]) == {"王", "李", "张"}
    assert 0.05 < surnames["王"] / len(names) < 0.10
    assert 0 < surnames["欧阳"] < surnames["汤"]


@pytest.mark.parametrize(
    ("now", "offset"),
    [
        (datetime(2026, 11, 29, 1, 17, 42, tzinfo=UTC), 480),  # 09:17 in Beijing
        (datetime(2026, 11, 29, 15, 50, tzinfo=UTC), 480),  # 23:50 in Beijing
        (datetime(2026, 3, 1, 12, 0, tzinfo=UTC), 0),
        (datetime(2026, 6, 30, 20, 5, tzinfo=timezone(timedelta(hours=8))), 480),
    ],
)
def test_activities_surround_now_within_the_text_limits(now: datetime, offset: int) -> None:
    activities = demo_activities(now, tz_offset_min=offset)
    assert 4 <= len(activities) <= 5
    local = timezone(timedelta(minutes=offset))
    today = now.astimezone(local).date()
    orgs = {o.org_id: o for o in demo_organisations()}
    for a in activities:
        assert len(a.title) <= MAX_TITLE_LENGTH and len(a.venue) <= MAX_VENUE_LENGTH
        assert len(a.category) <= MAX_CATEGORY_LENGTH
        assert a.starts_at.utcoffset() == timedelta(0) and a.starts_at < a.ends_at
        assert a.status is ActivityStatus.SCHEDULED
        assert re.fullmatch(r"A[0-9]{8}[0-9]{3}", a.activity_id)
        assert a.activity_id[1:9] == a.starts_at.astimezone(local).strftime("%Y%m%d")
        assert a.org_id is not None and (orgs[a.org_id].name, orgs[a.org_id].level) == (
            a.org_name,
            a.org_level,
        )
    assert len({a.activity_id for a in activities}) == len(activities)
    assert len({a.org_level for a in activities}) == 4
    assert {"文化服务", "环境保护", "助老助残", "社区治理", "应急救援"} >= {a.category for a in activities}

    running = [a for a in activities if a.starts_at <= now < a.ends_at]
    assert [a.title for a in running] == ["图书馆阅读推广志愿服务"]
    assert timedelta(hours=1) <= now - running[0].starts_at < timedelta(hours=1, minutes=1)
    assert timedelta(hours=2, minutes=59) < running[0].ends_at - now <= timedelta(hours=3)
    signup = [a for a in activities if a.signup_required and a.capacity == 10]
    assert len(signup) == 1 and now < signup[0].starts_at < now + timedelta(hours=3)
    starts = {a.starts_at.astimezone(local).date() - today for a in activities}
    assert timedelta(days=1) in starts
    assert any(
        a.ends_at < now and a.ends_at.astimezone(local).date() == today - timedelta(days=1)
        for a in activities
    )


def test_activities_need_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        demo_activities(datetime(2026, 11, 29, 9, 0))
