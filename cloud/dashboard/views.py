"""What each dashboard panel shows, as the JSON of docs/dashboard.md, read from one snapshot.

Every function takes the :class:`cloud.queries.Reader` of one read
transaction, the area asked for (``None``: the whole platform; the caller has
checked the staff member may see it) and what it needs of the clock. Names of
volunteers are masked (``张**``) unless the staff member's role may see them.

Days are the platform's: the kiosks' service dates are their local dates,
and "today" is the date at the platform's UTC offset (setting
``platform_utc_offset_min``, 480 for China Standard Time when unset).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from cloud.dashboard_queries import Figures, Organisation
from cloud.protocol import format_time
from cloud.queries import Reader

UTC_OFFSET_SETTING = "platform_utc_offset_min"
DEFAULT_UTC_OFFSET_MIN = 480
#: A visit still open after this long is not "on site" any more (a forgotten check-out).
ON_SITE_WINDOW = timedelta(hours=16)
ON_SITE_LIMIT = 2000
REVIEW_LIMIT = 200
RANKING_LIMIT = 10
MAX_DAYS = 366
ACTIVITY_LIMIT = 500


def mask_name(name: str) -> str:
    """The first character and a star for each other (at least one): ``张三丰`` → ``张**``."""
    return f"{name[0]}{'*' * max(1, len(name) - 1)}" if name else ""


def shown_name(name: str, sees_names: bool) -> str:
    """``name`` in full for a role that may see it, else masked."""
    return name if sees_names else mask_name(name)


def hours(seconds: int) -> float:
    """Credited seconds as hours with one decimal."""
    return round(seconds / 3600, 1)


def platform_today(reader: Reader, now: datetime) -> date:
    """Today's date at the platform's UTC offset."""
    text = reader.platform_setting(UTC_OFFSET_SETTING)
    try:
        offset = int(text) if text is not None else DEFAULT_UTC_OFFSET_MIN
    except ValueError:
        offset = DEFAULT_UTC_OFFSET_MIN
    return (now.astimezone(UTC) + timedelta(minutes=offset)).date()


def _org(org: Organisation) -> dict[str, Any]:
    return {"org_id": org.org_id, "name": org.name, "level": org.level}


def _since(now: datetime) -> str:
    return format_time(now - ON_SITE_WINDOW)


def overview(reader: Reader, area: str | None, now: datetime) -> dict[str, Any]:
    """Today's figures of ``area`` and of each area one level down."""
    today = platform_today(reader, now)
    since = _since(now)
    organisation = reader.organisation(area) if area is not None else None
    figures = reader.day_figures(area, today.isoformat())
    children = reader.child_organisations(area)
    per_child = reader.children_day_figures(area, today.isoformat(), since)
    return {
        "area": _org(organisation) if organisation else None,
        "path": [_org(org) for org in reader.organisation_path(area)] if area is not None else [],
        "today": {
            "date": today.isoformat(),
            "check_ins": figures.visits,
            "check_outs": figures.check_outs,
            "hours": hours(figures.credited_seconds),
            "on_site": reader.on_site_count(area, since),
            "volunteers": figures.volunteers,
        },
        "children": [_child(org, per_child.get(org.org_id, Figures())) for org in children],
        "generated_utc": format_time(now),
    }


def _child(org: Organisation, figures: Figures) -> dict[str, Any]:
    return {
        **_org(org),
        "visits": figures.visits,
        "hours": hours(figures.credited_seconds),
        "volunteers": figures.volunteers,
        "on_site": figures.on_site,
    }


def on_site(reader: Reader, area: str | None, now: datetime, sees_names: bool) -> dict[str, Any]:
    """Activities running now in ``area``, and who is checked in at each (newest first)."""
    now_text = format_time(now)
    visits = reader.on_site_visits(area, _since(now), ON_SITE_LIMIT)
    running = {
        row["activity_id"]: row
        for row in reader.activities_ending_after(area, now_text, ACTIVITY_LIMIT)
        if _starts_by(row["starts_at"], now)
    }
    missing = {v["activity_id"] for v in visits} - running.keys()
    activities = {**running, **reader.activities_by_id(missing)}
    people: dict[str, list[dict[str, str]]] = {}
    for visit in visits:
        people.setdefault(visit["activity_id"], []).append(
            {"name": shown_name(visit["name"], sees_names), "since_utc": visit["check_in_utc"]}
        )
    order = sorted(activities, key=lambda a: (-len(people.get(a, [])), str(activities[a]["title"]), a))
    for activity_id in people.keys() - activities.keys():  # an activity the roster does not know
        order.append(activity_id)
    return {
        "activities": [
            {
                "activity_id": activity_id,
                "title": activities.get(activity_id, {}).get("title", activity_id),
                "venue": activities.get(activity_id, {}).get("venue", ""),
                "org_name": activities.get(activity_id, {}).get("org_name", ""),
                "starts_at": activities.get(activity_id, {}).get("starts_at"),
                "ends_at": activities.get(activity_id, {}).get("ends_at"),
                "on_site": people.get(activity_id, []),
            }
            for activity_id in order
        ]
    }


def _starts_by(starts_at: str, now: datetime) -> bool:
    try:
        return datetime.fromisoformat(starts_at) <= now
    except ValueError:
        return False


def _window(reader: Reader, now: datetime, days: int) -> tuple[date, date]:
    last = platform_today(reader, now)
    return last - timedelta(days=days - 1), last


def rankings(reader: Reader, area: str | None, now: datetime, days: int) -> dict[str, Any]:
    """The areas one level down (all) and the top organisations of ``area`` over the last ``days`` days."""
    first, last = _window(reader, now, days)
    per_child = reader.children_period_figures(area, first.isoformat(), last.isoformat())
    areas = [_ranked(org, per_child.get(org.org_id, Figures())) for org in reader.child_organisations(area)]
    top = reader.top_organisations(area, first.isoformat(), last.isoformat(), RANKING_LIMIT)
    names = reader.organisation_names(top)
    organisations = [
        _ranked(names.get(org_id, Organisation(org_id, org_id, "", None)), figures)
        for org_id, figures in top.items()
    ]
    return {
        "days": days,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "areas": sorted(areas, key=lambda row: (-row["hours"], row["name"])),
        "organisations": organisations,
    }


def _ranked(org: Organisation, figures: Figures) -> dict[str, Any]:
    return {
        **_org(org),
        "hours": hours(figures.credited_seconds),
        "visits": figures.visits,
        "activities": figures.activities,
        "volunteers": figures.volunteers,
    }


def categories(reader: Reader, area: str | None, now: datetime, days: int) -> dict[str, Any]:
    """Credited hours per category per day over the last ``days`` days (every day listed, empty ones 0)."""
    first, last = _window(reader, now, days)
    dates = [(first + timedelta(days=n)).isoformat() for n in range(days)]
    at = {day: n for n, day in enumerate(dates)}
    series: dict[str, list[float]] = {}
    for service_date, category, seconds in reader.hours_by_category(
        area, first.isoformat(), last.isoformat()
    ):
        series.setdefault(category, [0.0] * days)[at[service_date]] = hours(seconds)
    return {
        "dates": dates,
        "series": [{"category": category, "hours": values} for category, values in sorted(series.items())],
    }


def review(reader: Reader, area: str | None, sees_names: bool) -> dict[str, Any]:
    """The newest visits needing review in ``area``."""
    return {
        "visits": [
            {
                "visit_id": row["visit_id"],
                "name": shown_name(row["name"], sees_names),
                "activity_id": row["activity_id"],
                "title": row["title"],
                "service_date": row["service_date"],
                "check_in_utc": row["check_in_utc"],
                "check_out_utc": row["check_out_utc"],
                "reasons": row["review"].split() + list(dict.fromkeys(s.signal for s in row["signals"])),
                "signals": [signal.shown() for signal in row["signals"]],  # cloud.presence_signals
            }
            for row in reader.visits_to_review(area, REVIEW_LIMIT)
        ]
    }
