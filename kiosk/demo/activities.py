"""Demo activities of the 江城市 organisations, placed around the current time.

Five activities at the four levels: one running now, one later today that
needs sign-up (capacity 10), one tomorrow, one the day after, and one that
ended yesterday, so every screen has something to show. Activity IDs are
``A``, the local start date and a three-digit number, like ``A20261129001``.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone, tzinfo

from checkin_protocol.models import Activity, ActivityStatus, Organisation
from kiosk.demo.roster import demo_organisations

MAX_TITLE_LENGTH = 40
MAX_VENUE_LENGTH = 60
MAX_CATEGORY_LENGTH = 20


def _at(local_day: datetime, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` local time on the day of ``local_day``, in UTC."""
    local = datetime.combine(local_day.date(), time(hour, minute), tzinfo=local_day.tzinfo)
    return local.astimezone(UTC)


def _activity(
    number: int,
    local_tz: tzinfo,
    org: Organisation,
    title: str,
    venue: str,
    category: str,
    window: tuple[datetime, datetime],
    *,
    capacity: int | None = None,
    signup_required: bool = False,
    checkin_closes_after_start_min: int | None = None,
) -> Activity:
    starts_at, ends_at = window
    return Activity(
        activity_id=f"A{starts_at.astimezone(local_tz):%Y%m%d}{number:03d}",
        title=title,
        org_name=org.name,
        org_level=org.level,
        venue=venue,
        starts_at=starts_at,
        ends_at=ends_at,
        category=category,
        org_id=org.org_id,
        capacity=capacity,
        signup_required=signup_required,
        checkin_closes_after_start_min=checkin_closes_after_start_min,
        status=ActivityStatus.SCHEDULED,
    )


def demo_activities(now: datetime, tz_offset_min: int = 480) -> list[Activity]:
    """The demo activities around ``now`` (timezone-aware) for a kiosk at UTC+``tz_offset_min`` minutes.

    The first is running: it started an hour ago and ends in three hours (to the
    minute). The second starts two to two and a half hours from now, on the half
    hour; late in the evening that is after midnight.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    now = now.astimezone(UTC).replace(second=0, microsecond=0)
    local_tz = timezone(timedelta(minutes=tz_offset_min))
    local_now = now.astimezone(local_tz)
    yesterday, tomorrow, day_after = (local_now + timedelta(days=d) for d in (-1, 1, 2))
    later = now + timedelta(hours=2, minutes=30 - now.minute % 30)
    org = {o.org_id: o for o in demo_organisations()}
    return [
        _activity(
            1,
            local_tz,
            org["ORG-C01"],
            "图书馆阅读推广志愿服务",
            "江城市图书馆",
            "文化服务",
            (now - timedelta(hours=1), now + timedelta(hours=3)),
        ),
        _activity(
            2,
            local_tz,
            org["ORG-V01"],
            "社区助老送餐志愿服务",
            "滨江花园社区长者食堂",
            "助老助残",
            (later, later + timedelta(hours=2)),
            capacity=10,
            signup_required=True,
        ),
        _activity(
            3,
            local_tz,
            org["ORG-D02"],
            "南湖湖岸清洁环保行动",
            "南湖公园东门广场",
            "环境保护",
            (_at(tomorrow, 9), _at(tomorrow, 11, 30)),
            capacity=40,
        ),
        _activity(
            4,
            local_tz,
            org["ORG-D03"],
            "应急救护技能培训",
            "云溪县应急管理局培训中心三楼",
            "应急救援",
            (_at(day_after, 9), _at(day_after, 12)),
            capacity=30,
            signup_required=True,
            checkin_closes_after_start_min=15,
        ),
        _activity(
            5,
            local_tz,
            org["ORG-T03"],
            "桂园街道楼栋议事会服务",
            "桂园街道党群服务中心二楼会议室",
            "社区治理",
            (_at(yesterday, 14), _at(yesterday, 17)),
        ),
    ]
