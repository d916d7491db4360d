"""Time the dashboard's panels on a loaded database: ``bench/cloud_load.py --dashboard`` calls :func:`time_panels`.

Each round asks every panel of docs/dashboard.md (``overview``, ``on-site``,
``rankings``, ``categories`` over 30 days, ``review``, ``fleet``) for an area
of each level (the whole platform, a city, a county, a township, a village,
the busiest of each), each in its own read snapshot as a request does, the
way :mod:`cloud.dashboard.api_routes` calls them. The figures are per call:
the SQL and the shaping of the answer, without HTTP (a few milliseconds
more).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cloud.dashboard import views
from cloud.dashboard.fleet import fleet
from cloud.protocol import format_time
from cloud.queries import Reader
from cloud.storage import Storage

Panel = Callable[[Reader, str | None, datetime], Any]

PANELS: dict[str, Panel] = {
    "overview": views.overview,
    "on_site": lambda reader, area, now: views.on_site(reader, area, now, sees_names=False),
    "rankings": lambda reader, area, now: views.rankings(reader, area, now, 30),
    "categories": lambda reader, area, now: views.categories(reader, area, now, 30),
    "review": lambda reader, area, now: views.review(reader, area, sees_names=False),
    "fleet": fleet,
}


def sample_areas(store: Storage, now: datetime) -> dict[str, str | None]:
    """The whole platform and, one level at a time, the child with the most visits today."""
    areas: dict[str, str | None] = {"platform": None}
    area: str | None = None
    with store.read() as reader:
        today = views.platform_today(reader, now).isoformat()
        since = format_time(now - views.ON_SITE_WINDOW)
        for _ in range(4):
            children = reader.child_organisations(area)
            if not children:
                break
            figures = reader.children_day_figures(area, today, since)
            busiest = max(
                children, key=lambda org: figures[org.org_id].visits if org.org_id in figures else 0
            )
            areas[busiest.level] = busiest.org_id
            area = busiest.org_id
    return areas


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_panels(store: Storage, now: datetime, rounds: int = 5) -> dict[str, Any]:
    """Milliseconds per panel call over ``rounds`` rounds of every panel for every sample area."""
    areas = sample_areas(store, now)
    per_panel: dict[str, list[float]] = {name: [] for name in PANELS}
    for _ in range(rounds):
        for area in areas.values():
            for name, panel in PANELS.items():
                started = time.perf_counter()
                with store.read() as reader:
                    panel(reader, area, now)
                per_panel[name].append((time.perf_counter() - started) * 1000)
    every = [ms for values in per_panel.values() for ms in values]
    return {
        "areas": areas,
        "rounds": rounds,
        "calls": len(every),
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(_percentile(every, 0.95), 1),
        "max_ms": round(max(every), 1),
        "panels": {
            name: {
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(_percentile(values, 0.95), 1),
                "max_ms": round(max(values), 1),
            }
            for name, values in per_panel.items()
        },
    }
