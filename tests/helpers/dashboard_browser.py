"""The dashboard's real-browser tests' city, staff and kiosks, and how they drive Debian's Chromium.

:func:`seed_city` puts on a running cloud (``helpers.cloud_server``) a roster
of one city, two counties, their townships and villages
(:data:`ORGANISATIONS`), two activities running now, the staff accounts of
:data:`ACCOUNTS` (made with :func:`cloud.dashboard.staff.create_account`), and
kiosks registered over HTTP that push this morning's check-ins through the
sync API; the :class:`DashboardSite` it returns pushes more
(:meth:`DashboardSite.check_in`). :func:`start_chromium` starts Debian's
Chromium (``/usr/bin/chromium``) through its chromedriver, headless, with a
fresh profile and nothing that reaches past 127.0.0.1 (background
networking, component updates and sync off); :func:`set_viewport` sizes the
page as a wall screen or a phone.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver

from checkin_protocol.models import Activity, OrgLevel
from cloud.cli_issue import activity_values
from cloud.dashboard.staff import create_account
from helpers.cloud_server import RunningCloud

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--lang=zh-CN",
)
DESKTOP = (1920, 1080)
PHONE = (390, 844)

#: (org_id, name, level, parent_id): one city, two counties, three townships, four villages.
ORGANISATIONS = (
    ("C1", "江城市", "city", ""),
    ("X1", "东湖区", "county", "C1"),
    ("X2", "西山县", "county", "C1"),
    ("X1T1", "东湖街道", "township", "X1"),
    ("X1T2", "湖滨街道", "township", "X1"),
    ("X2T1", "西山镇", "township", "X2"),
    ("X1T1V1", "东湖一村", "village", "X1T1"),
    ("X1T1V2", "东湖二村", "village", "X1T1"),
    ("X1T2V1", "湖滨社区", "village", "X1T2"),
    ("X2T1V1", "西山村", "village", "X2T1"),
)
#: (volunteer_id, name, org_id): the first of each organisation's rows defines the organisation.
VOLUNTEERS = (
    ("V0001", "周建国", "C1"),
    ("V0002", "吴晓燕", "X1"),
    ("V0003", "郑海", "X2"),
    ("V0004", "王丽华", "X1T1"),
    ("V0005", "冯志强", "X1T2"),
    ("V0006", "陈雪梅", "X2T1"),
    ("V0101", "张三丰", "X1T1V1"),
    ("V0102", "李秀英", "X1T1V1"),
    ("V0103", "刘德明", "X1T1V1"),
    ("V0104", "杨小红", "X1T1V2"),
    ("V0105", "黄伟", "X1T2V1"),
    ("V0201", "赵敏", "X2T1V1"),
    ("V0202", "孙建华", "X2T1V1"),
    ("V0203", "欧阳明月", "X2T1V1"),
)
PASSWORD = "correct-horse-battery"


@dataclass(frozen=True)
class Account:
    """A staff account the tests sign in with."""

    username: str
    role: str
    area: str | None


CITY_MANAGER = Account("city-manager", "manager", "C1")
EAST_VIEWER = Account("east-viewer", "viewer", "X1")
EAST_MANAGER = Account("east-manager", "manager", "X1")
ACCOUNTS = (CITY_MANAGER, EAST_VIEWER, EAST_MANAGER)

EAST_ACTIVITY = "A-EAST-CLEAN"
WEST_ACTIVITY = "A-WEST-CARE"
TRAFFIC_ACTIVITY = "A-EAST-TRAFFIC"
LIBRARY_ACTIVITY = "A-EAST-LIBRARY"
EAST_KIOSK = "K-EAST-01"
WEST_KIOSK = "K-WEST-01"
QUIET_KIOSK = "K-EAST-02"  # registered, never synced: the fleet flags it silent


@dataclass
class DashboardSite:
    """The running cloud with the city in it, and the kiosks that push to it."""

    cloud: RunningCloud
    kiosk_auth: dict[str, dict[str, str]]
    next_seq: dict[str, int] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return self.cloud.base_url

    def push(self, kiosk: str, events: list[dict[str, Any]], *, self_test: str = "ok") -> None:
        """Push ``events`` from ``kiosk`` through ``POST /api/v1/events``, with the kiosk's status."""
        body: dict[str, Any] = {
            "batch_id": str(uuid.uuid4()),
            "sent_at_device": _wire_time(datetime.now(UTC)),
            "clock_offset_s": 0.4,
            "events": events,
            "status": {"waiting": len(events), "self_test": self_test, "app_version": "1.4.0"},
        }
        reply = requests.post(
            f"{self.cloud.api_url}/events", json=body, headers=self.kiosk_auth[kiosk], timeout=10
        )
        assert reply.status_code == 200, reply.text
        assert len(reply.json()["accepted"]) == len(events), reply.text

    def event(
        self,
        kiosk: str,
        volunteer_id: str,
        activity_id: str,
        action: str,
        at: datetime,
        *,
        auto_closed_after: timedelta | None = None,
    ) -> dict[str, Any]:
        """A kiosk's event as it pushes it, with the kiosk's next sequence number.

        The kiosk's monotonic clock runs with its wall clock (one boot), so no visit looks like a clock
        jump; ``auto_closed_after``: a check-out the kiosk made itself, crediting that long (to review).
        """
        seq = self.next_seq.get(kiosk, 1)
        self.next_seq[kiosk] = seq + 1
        return {
            "event_id": str(uuid.uuid4()),
            "kiosk_id": kiosk,
            "seq": seq,
            "volunteer_id": volunteer_id,
            "activity_id": activity_id,
            "action": action,
            "method": "qr",
            "wall_utc": _wire_time(at),
            "utc_offset_min": 480,
            "monotonic_ns": int((at - BOOTED_AT).total_seconds() * 1e9),
            "boot_id": f"boot-{kiosk}",
            "ref_event_id": None,
            "auto_closed": auto_closed_after is not None,
            "credit_seconds": None if auto_closed_after is None else int(auto_closed_after.total_seconds()),
            "actor": None,
        }

    def check_in(self, kiosk: str, volunteer_id: str, activity_id: str, at: datetime | None = None) -> None:
        """A volunteer checks in at ``kiosk`` (now, unless ``at``); the kiosk pushes it at once."""
        moment = at or datetime.now(UTC)
        self.push(kiosk, [self.event(kiosk, volunteer_id, activity_id, "in", moment)])

    def skip_seq(self, kiosk: str, count: int) -> None:
        """Leave ``count`` sequence numbers of ``kiosk`` unsent (records the cloud will see missing)."""
        self.next_seq[kiosk] = self.next_seq.get(kiosk, 1) + count


#: When the kiosks booted: before any event of the seeded history.
BOOTED_AT = datetime(2026, 1, 1, tzinfo=UTC)
CHINA = timedelta(hours=8)


def _wire_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def write_roster(path: Path) -> Path:
    """The city's roster as CSV: each organisation defined on its first volunteer's row."""
    organisations = {org_id: (name, level, parent) for org_id, name, level, parent in ORGANISATIONS}
    defined: set[str] = set()
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["volunteer_id", "name", "phone", "org_id", "org_name", "org_level", "org_parent_id"])
        for volunteer_id, name, org_id in VOLUNTEERS:
            org_name, level, parent = organisations[org_id] if org_id not in defined else ("", "", "")
            defined.add(org_id)
            writer.writerow([volunteer_id, name, "", org_id, org_name, level, parent])
    return path


def add_activities(cloud: RunningCloud, now: datetime) -> None:
    """Two activities running now (one in a village of each county) and two that ended yesterday."""
    activities = [
        (EAST_ACTIVITY, "社区环境清洁日", "X1T1V1", "东湖一村", "东湖一村村委会广场", "环境保护", True),
        (WEST_ACTIVITY, "敬老院陪伴", "X2T1V1", "西山村", "西山镇敬老院", "扶老助残", True),
        (TRAFFIC_ACTIVITY, "路口文明劝导", "X1T2V1", "湖滨社区", "湖滨路口", "文明交通", False),
        (LIBRARY_ACTIVITY, "社区图书角整理", "X1T1V2", "东湖二村", "东湖二村活动室", "社区服务", False),
    ]
    with cloud.store.write() as writer:
        for activity_id, title, org_id, org_name, venue, category, running in activities:
            starts = now - timedelta(hours=2) if running else now - timedelta(days=30)
            activity = Activity(
                activity_id=activity_id,
                title=title,
                org_id=org_id,
                org_name=org_name,
                org_level=OrgLevel.VILLAGE,
                venue=venue,
                starts_at=starts,
                ends_at=now + timedelta(hours=6) if running else now - timedelta(days=1),
                category=category,
            )
            writer.upsert_activity(activity_values(activity))


#: (kiosk, volunteer, activity) of the visits made on each of the last :data:`HISTORY_DAYS` days.
HISTORY_VISITS = (
    (EAST_KIOSK, "V0103", EAST_ACTIVITY),
    (EAST_KIOSK, "V0104", LIBRARY_ACTIVITY),
    (EAST_KIOSK, "V0105", TRAFFIC_ACTIVITY),
    (EAST_KIOSK, "V0004", EAST_ACTIVITY),
    (WEST_KIOSK, "V0202", WEST_ACTIVITY),
    (WEST_KIOSK, "V0006", WEST_ACTIVITY),
)
HISTORY_DAYS = 28


def history_events(site: DashboardSite, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Each kiosk's visits of the last days in the order it made them: an hour to four each, most days;
    the day before yesterday one auto-closed (a visit to review)."""
    today_9am = (now + CHINA).replace(hour=9, minute=0, second=0, microsecond=0) - CHINA
    moments: list[tuple[datetime, str, str, str, str, timedelta | None]] = []
    for days_ago in range(HISTORY_DAYS, 0, -1):
        for index, (kiosk, volunteer, activity) in enumerate(HISTORY_VISITS):
            if (days_ago + index) % 3 == 0:
                continue  # not everyone serves every day
            arrived = today_9am - timedelta(days=days_ago) + timedelta(minutes=10 * index)
            served = timedelta(minutes=60 + 45 * ((days_ago * 7 + index * 5) % 5))
            auto = served if days_ago == 2 and volunteer == "V0105" else None
            moments += [
                (arrived, kiosk, volunteer, activity, "in", None),
                (arrived + served, kiosk, volunteer, activity, "out", auto),
            ]
    events: dict[str, list[dict[str, Any]]] = {EAST_KIOSK: [], WEST_KIOSK: []}
    for at, kiosk, volunteer, activity, action, auto in sorted(moments, key=lambda moment: moment[0]):
        events[kiosk].append(site.event(kiosk, volunteer, activity, action, at, auto_closed_after=auto))
    return events


def earlier_today(now: datetime, fraction: float) -> datetime:
    """A moment between the platform's midnight (China) and ``now``: ``fraction`` of the way from midnight."""
    midnight = (now + CHINA).replace(hour=0, minute=0, second=0, microsecond=0) - CHINA
    return midnight + (now - midnight) * fraction


def seed_city(cloud: RunningCloud, roster_folder: Path) -> DashboardSite:
    """The city, its staff and kiosks on ``cloud``, with this morning's check-ins pushed by two kiosks."""
    report = cloud.store.import_roster(write_roster(roster_folder / "roster.csv"))
    assert report.imported, report
    now = datetime.now(UTC)
    add_activities(cloud, now)
    for account in ACCOUNTS:
        create_account(cloud.store, account.username, PASSWORD, account.role, account.area, now)
    site = DashboardSite(
        cloud,
        {
            EAST_KIOSK: cloud.register(EAST_KIOSK, area="X1T1V1"),
            WEST_KIOSK: cloud.register(WEST_KIOSK, area="X2T1V1"),
            QUIET_KIOSK: cloud.register(QUIET_KIOSK, area="X1T1V2"),
        },
    )
    site.skip_seq(WEST_KIOSK, 2)  # two records the west kiosk never sent: the fleet lists them missing
    for kiosk, events in history_events(site, now).items():
        site.push(kiosk, events)
    site.push(
        EAST_KIOSK,
        [
            site.event(EAST_KIOSK, "V0104", EAST_ACTIVITY, "in", earlier_today(now, 0.1)),
            site.event(EAST_KIOSK, "V0101", EAST_ACTIVITY, "in", earlier_today(now, 0.2)),
            site.event(EAST_KIOSK, "V0102", EAST_ACTIVITY, "in", earlier_today(now, 0.3)),
            site.event(EAST_KIOSK, "V0104", EAST_ACTIVITY, "out", earlier_today(now, 0.8)),
        ],
    )
    site.push(
        WEST_KIOSK,
        [
            site.event(WEST_KIOSK, "V0202", WEST_ACTIVITY, "in", earlier_today(now, 0.1)),
            site.event(WEST_KIOSK, "V0201", WEST_ACTIVITY, "in", earlier_today(now, 0.2)),
            site.event(WEST_KIOSK, "V0203", WEST_ACTIVITY, "in", earlier_today(now, 0.4)),
            site.event(WEST_KIOSK, "V0202", WEST_ACTIVITY, "out", earlier_today(now, 0.9)),
        ],
        self_test="warning",
    )
    return site


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here (Chromium or its driver not installed), or None."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(program) is None:
            return f"{program} is not installed (sh scripts/system-deps.sh bundle installs chromium and chromium-driver)"
    return None


def set_viewport(driver: WebDriver, size: tuple[int, int]) -> None:
    """Make the page's viewport ``size`` CSS pixels (a phone's is a mobile viewport)."""
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def console_log(driver: WebDriver) -> list[dict[str, Any]]:
    """The browser console's entries since the last call (each ``{"level", "message", ...}``)."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]  # untyped in Selenium
    return entries


@contextmanager
def started_chromium() -> Iterator[WebDriver]:
    """Headless Chromium from Debian with a fresh profile (removed afterwards), its console log kept."""
    profile = tempfile.mkdtemp(prefix="dashboard-chromium-")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
