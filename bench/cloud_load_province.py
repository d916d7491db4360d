"""A province's data for the dashboard bench, loaded into PostgreSQL with COPY.

    python bench/cloud_load_province.py [--scale 1.0] [--json]

:func:`load_province` fills an empty cloud database (its migrations applied
by opening it) with a generated province (sizes: :class:`ProvinceSize`; the
defaults are issue 15's, 5,000,000 volunteers, 20,000 organisations,
about 200,000 activities and 10,000,000 events):

- **organisations** on four levels: a few cities, their counties, townships
  and villages (about 0.07 %, 0.6 %, 6.7 % and 92.6 % of them), each with
  its parent;
- **volunteers**, each in an organisation (most in a village or township);
- **activities** over the last ``days`` days, most on weekends, more in
  March (学雷锋月) and early December (国际志愿者日), fewer around the
  Spring Festival, growing through the year; mornings and afternoons, two
  to four hours, never starting in the future;
- **kiosks** (``provisioning_codes``, ``devices``, ``kiosk_status``: a few
  silent), each running one activity at a time, its events numbered 1, 2,
  3, ... in time order, so the cloud's missing ranges (``seq_gaps``) stay empty;
- **events**: for each activity, volunteers (no one twice) check in around
  its start and check out around its end, as a kiosk records them (one boot
  per kiosk, a monotonic clock that agrees with the wall clock, UTC+8);
  about 1 % of the visits were closed by the kiosk (``auto``, credited to
  the scheduled end: "to review"); ``on_site`` volunteers are still checked
  in at activities running now.

The dashboard's tables are filled to match, as the cloud's own projection
(:mod:`cloud.visit_projection`) would leave them: ``visit_facts`` one row
per visit, written beside its events; ``daily_totals`` summed from them by
``INSERT ... SELECT``; ``org_ancestors`` by the store's own rebuild
(:meth:`cloud.dashboard_queries.DashboardWrites.rebuild_org_ancestors`);
the facts version recorded so the server does not rebuild them. The real
projection re-derives a volunteer's visits from all their events inside
each push's transaction: right for a trickle of pushes, far too slow for
ten million events at once (hours, one volunteer at a time), hence this.
``tests/integration/test_cloud_load_bench.py`` checks at a small scale that
the projection's full rebuild finds exactly these rows.

The change log (``changes``, what kiosks pull) gets one ``upsert`` per
organisation, volunteer and activity, as the triggers would have written
them; the triggers themselves are off for the load
(``session_replication_role = replica``: the bench's own cluster, where it
is the superuser), because a PL/pgSQL trigger per row would double the time.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from checkin_protocol import __version__  # noqa: E402
from cloud.dashboard_queries import UNPLACED  # noqa: E402
from cloud.schema import SYNCED_TABLES  # noqa: E402
from cloud.storage_postgres import PostgresCloudStore  # noqa: E402
from cloud.visit_projection import FACTS_VERSION, FACTS_VERSION_SETTING  # noqa: E402
from kiosk.demo.names import random_name  # noqa: E402

UTC_OFFSET_MIN = 480  # the province's kiosks run on China Standard Time
CATEGORIES = ("社区服务", "环境保护", "助老助残", "文明交通", "文化宣传", "应急救援", "扶贫济困", "医疗卫生")
LEVELS = ("city", "county", "township", "village")
#: Where volunteers and activities belong, by level of their organisation.
VOLUNTEER_LEVEL_WEIGHTS = (5, 10, 25, 60)
ACTIVITY_LEVEL_WEIGHTS = (3, 12, 30, 55)
AUTO_CLOSED_SHARE = 0.01
SILENT_KIOSK_SHARE = 0.03
CHUNK_ROWS = 100_000
_PLACE_CHARS = "东南西北安和平顺兴华新城山河湖江清明光泰丰源长乐永宁嘉福康瑞金石桥阳溪林松柳桂荷"
_SECONDS_PER_DAY = 86_400
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ProvinceSize:
    """How big the province is; ``scaled`` keeps the proportions."""

    volunteers: int = 5_000_000
    organisations: int = 20_000
    activities: int = 200_000
    events: int = 10_000_000
    kiosks: int = 5_000
    on_site: int = 3_000  # volunteers checked in right now (a province at a busy moment)
    days: int = 365
    seed: int = 20261204

    def scaled(self, factor: float) -> ProvinceSize:
        """The same province ``factor`` times as large (at least a few of each)."""

        def times(n: int, least: int) -> int:
            return max(least, round(n * factor))

        return ProvinceSize(
            volunteers=times(self.volunteers, 200),
            organisations=times(self.organisations, 30),
            activities=times(self.activities, 60),
            events=times(self.events, 600),
            kiosks=times(self.kiosks, 5),
            on_site=times(self.on_site, 10),
            days=self.days,
            seed=self.seed,
        )


@dataclass
class ProvinceLoad:
    """What was loaded (rows per table) and how long each step took (seconds)."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_s(self) -> float:
        """The whole load."""
        return round(sum(self.seconds.values()), 1)


# -- text of the rows ---------------------------------------------------------------------------------


class TimeText:
    """Protocol times (``YYYY-MM-DDTHH:MM:SS.000+00:00``) of whole epoch seconds, fast: one date per day."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def utc(self, epoch_s: int) -> str:
        """The UTC time ``epoch_s`` as the protocol writes it."""
        day, second = divmod(epoch_s, _SECONDS_PER_DAY)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%dT")
            self._days[day] = prefix
        hours, rest = divmod(second, 3600)
        return f"{prefix}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}.000+00:00"

    def local_date(self, epoch_s: int) -> str:
        """The kiosks' local date (UTC+8) of ``epoch_s``."""
        return self.utc(epoch_s + UTC_OFFSET_MIN * 60)[:10]


def uuid_text(value: int) -> str:
    """A 128-bit number as a lower-case UUID with hyphens (a version 7 layout when ``value`` has one)."""
    h = f"{value & ((1 << 128) - 1):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid7_text(epoch_ms: int, rng: random.Random) -> str:
    """A time-ordered UUID (version 7) of ``epoch_ms``, as the kiosk's event IDs are."""
    value = (epoch_ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64 | 0b10 << 62
    return uuid_text(value | rng.getrandbits(62))


def copy_text(values: tuple[object, ...]) -> str:
    r"""One line of ``COPY ... FROM STDIN`` text: tab-separated, ``\N`` for null (values hold no tab or newline)."""
    return "\t".join("\\N" if v is None else str(v) for v in values) + "\n"


# -- the organisation tree ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    """One organisation of the tree."""

    org_id: str
    name: str
    level: str
    parent_id: str | None


def level_sizes(total: int) -> tuple[int, int, int, int]:
    """Cities, counties, townships and villages of a ``total``-organisation province (each level at least as many as the one above)."""
    cities = max(1, round(total * 0.0007))
    counties = max(cities, round(total * 0.0056))
    townships = max(counties, round(total * 0.067))
    villages = total - cities - counties - townships
    if villages < townships:
        raise ValueError(f"{total} organisations are too few for four levels")
    return cities, counties, townships, villages


def organisation_tree(total: int, rng: random.Random) -> list[Organisation]:
    """``total`` organisations, parents before children, each level spread evenly over the one above."""
    counts = level_sizes(total)
    prefixes = ("C", "D", "T", "V")
    suffixes = ("市志愿服务联合会", "县志愿者协会", "镇志愿服务站", "村志愿服务队")
    orgs: list[Organisation] = []
    above: list[Organisation] = []
    for level, count, prefix, suffix in zip(LEVELS, counts, prefixes, suffixes, strict=True):
        current = []
        for n in range(count):
            place = "".join(rng.choice(_PLACE_CHARS) for _ in range(2))
            parent = above[n % len(above)].org_id if above else None
            current.append(Organisation(f"{prefix}{n + 1:06d}", f"{place}{suffix}", level, parent))
        orgs += current
        above = current
    return orgs


# -- activities, days and kiosks ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedActivity:
    """An activity with its times (epoch seconds), organisation and kiosk."""

    activity_id: str
    org: Organisation
    category: str
    starts: int
    ends: int
    kiosk: int


def day_weight(day: date, position: float) -> float:
    """How busy a day is: weekends, the volunteering months, the Spring Festival, a year of growth."""
    weight = (1.0, 0.9, 0.9, 0.95, 1.1, 2.0, 1.8)[day.weekday()]
    if day.month == 3:
        weight *= 1.6  # 学雷锋月
    if day.month == 12 and day.day <= 10:
        weight *= 1.5  # 国际志愿者日, 5 December
    if (day.month == 1 and day.day >= 20) or (day.month == 2 and day.day <= 15):
        weight *= 0.5  # around the Spring Festival
    return weight * (0.8 + 0.4 * position)


def plan_activities(
    size: ProvinceSize, orgs: list[Organisation], now_s: int, rng: random.Random
) -> list[PlannedActivity]:
    """The activities, by start time, each on a kiosk in turn (so a kiosk runs one at a time)."""
    first_day = (now_s + UTC_OFFSET_MIN * 60) // _SECONDS_PER_DAY - size.days + 1
    days = [first_day + n for n in range(size.days)]
    weights = [
        day_weight((_EPOCH + timedelta(days=d)).date(), n / max(1, size.days - 1)) for n, d in enumerate(days)
    ]
    by_level = {level: [o for o in orgs if o.level == level] for level in LEVELS}
    starts = []
    for local_day in rng.choices(days, weights, k=size.activities):
        morning = rng.random() < 0.6
        hour = rng.choice((8, 9, 9, 10)) if morning else rng.choice((14, 14, 15, 16))
        start = (local_day * _SECONDS_PER_DAY + hour * 3600 + rng.choice((0, 1800))) - UTC_OFFSET_MIN * 60
        while start > now_s - 1800:  # no activity starts in the future, or in the last half hour
            start -= _SECONDS_PER_DAY
        starts.append(start)
    starts.sort()
    planned = []
    for n, start in enumerate(starts):
        level = rng.choices(LEVELS, ACTIVITY_LEVEL_WEIGHTS)[0]
        length = rng.choice((2, 2, 3, 3, 4)) * 3600
        planned.append(
            PlannedActivity(
                activity_id=f"A{n + 1:08d}",
                org=rng.choice(by_level[level]),
                category=rng.choice(CATEGORIES),
                starts=start,
                ends=start + length,
                kiosk=n % size.kiosks,
            )
        )
    return planned


def kiosk_id(kiosk: int) -> str:
    """The ID of kiosk number ``kiosk``."""
    return f"KP{kiosk + 1:06d}"


# -- the load -----------------------------------------------------------------------------------------


def _copy(conn: psycopg.Connection[Any], table: str, columns: str, lines: Iterator[str]) -> int:
    """``COPY table (columns) FROM STDIN`` of ``lines``, sent in chunks; the rows sent."""
    count = 0
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= CHUNK_ROWS:
                copy.write("".join(chunk))
                count += len(chunk)
                chunk.clear()
        if chunk:
            copy.write("".join(chunk))
            count += len(chunk)
    return count


def _volunteer_lines(size: ProvinceSize, orgs: list[Organisation], rng: random.Random) -> Iterator[str]:
    by_level = [[o.org_id for o in orgs if o.level == level] for level in LEVELS]
    for n in range(size.volunteers):
        level = rng.choices(range(4), VOLUNTEER_LEVEL_WEIGHTS)[0]
        phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        yield f"V{n + 1:09d}\t{random_name(rng)}\t{phone}\t{rng.choice(by_level[level])}\t1\n"


def _activity_lines(activities: list[PlannedActivity], times: TimeText) -> Iterator[str]:
    for a in activities:
        yield copy_text(
            (
                a.activity_id,
                f"{a.org.name}{a.category}活动",
                a.org.org_id,
                a.org.name,
                a.org.level,
                f"{a.org.name}服务点",
                times.utc(a.starts),
                times.utc(a.ends),
                a.category,
                None,
                30,
                None,
                0,
            )
        )


EVENT_COLUMNS = (
    "event_id, kiosk_id, seq, volunteer_id, activity_id, action, method, wall_utc, utc_offset_min, "
    "monotonic_ns, boot_id, ref_event_id, auto_closed, credit_seconds, actor, received_utc, clock_offset_s, "
    "corrected_utc, batch_id"
)
FACT_COLUMNS = (
    "visit_id, volunteer_id, activity_id, org_id, category, service_date, check_in_utc, check_out_utc, "
    "kiosk_id, credited_seconds, on_site, review"
)


@dataclass
class _Visits:
    """Visit counts per activity: closed ones, and the open ones (volunteers on site now)."""

    closed: list[int]
    open: list[int]


def share_visits(
    size: ProvinceSize, activities: list[PlannedActivity], now_s: int, rng: random.Random
) -> _Visits:
    """How many visits each activity has: ``events`` split into closed pairs and ``on_site`` open check-ins."""
    running = [n for n, a in enumerate(activities) if a.starts <= now_s < a.ends]
    if not running:  # nothing runs right now: the latest activities keep people on site
        running = list(range(max(0, len(activities) - 10), len(activities)))
    on_site = min(size.on_site, size.events)
    closed_total = (size.events - on_site) // 2
    weights = [rng.random() + 0.5 for _ in activities]
    scale = closed_total / sum(weights)
    closed = [math.floor(w * scale) for w in weights]
    for n in rng.sample(range(len(activities)), closed_total - sum(closed)):
        closed[n] += 1
    opened = [0] * len(activities)
    for n in range(on_site):
        opened[running[n % len(running)]] += 1
    return _Visits(closed, opened)


@dataclass(frozen=True)
class _Scan:
    """One event of a visit before its kiosk numbers it."""

    moment: int  # epoch seconds
    event_id: str
    volunteer_id: str
    action: str
    method: str = "qr"
    ref_event_id: str | None = None
    auto_closed: int = 0
    credit_seconds: int | None = None


def _visit_rows(
    size: ProvinceSize,
    activities: list[PlannedActivity],
    visits: _Visits,
    times: TimeText,
    rng: random.Random,
    now_s: int,
) -> Iterator[tuple[list[str], list[str]]]:
    """(event lines, visit-fact lines) per activity, in start order, each kiosk numbering its events.

    A kiosk's monotonic clock counts from one boot an hour before its first
    event, so it agrees with the wall clock to the second (no clock jump).
    """
    seqs = [0] * size.kiosks
    boot_s = min(a.starts for a in activities) - 2 * 3600
    latest = now_s - 60  # nobody checked out in the future (activities running now)
    for n, a in enumerate(activities):
        closed = visits.closed[n]
        people = rng.sample(range(size.volunteers), min(size.volunteers, closed + visits.open[n]))
        kiosk = kiosk_id(a.kiosk)
        scans: list[_Scan] = []
        facts: list[str] = []
        for k, person in enumerate(people):
            volunteer = f"V{person + 1:09d}"
            check_in = a.starts - rng.randrange(0, 1800)
            scan_in = _Scan(check_in, uuid7_text(check_in * 1000, rng), volunteer, "in")
            scans.append(scan_in)
            if k >= closed:  # still on site
                facts.append(_fact(scan_in, a, kiosk, None, 0, "", times))
                continue
            if rng.random() < AUTO_CLOSED_SHARE and a.ends + 1800 <= latest:
                check_out = a.ends + 1800  # closed by the kiosk after the grace period, credited to the end
                credit = a.ends - check_in
                scan_out = _Scan(
                    check_out, uuid7_text(check_out * 1000, rng), volunteer, "out", "auto", scan_in.event_id, 1,
                    credit,
                )  # fmt: skip
                review = "auto_closed"
            else:
                check_out = min(latest, max(check_in + 900, a.ends + int(rng.gauss(0, 900))))
                credit = check_out - check_in
                scan_out = _Scan(check_out, uuid7_text(check_out * 1000, rng), volunteer, "out")
                review = ""
            scans.append(scan_out)
            facts.append(_fact(scan_in, a, kiosk, check_out, credit, review, times))
        scans.sort(key=lambda scan: (scan.moment, scan.action))  # "in" before "out" at the same second
        batch = uuid_text(rng.getrandbits(128) & ~(0xF << 76) | 0x4 << 76)
        lines = []
        for scan in scans:
            seqs[a.kiosk] += 1
            received = min(scan.moment + 60, now_s)
            lines.append(_event_line(scan, a, kiosk, seqs[a.kiosk], boot_s, received, batch, times))
        yield lines, facts


def _event_line(
    scan: _Scan,
    activity: PlannedActivity,
    kiosk: str,
    seq: int,
    boot_s: int,
    received: int,
    batch: str,
    times: TimeText,
) -> str:
    wall = times.utc(scan.moment)
    return copy_text(
        (
            scan.event_id, kiosk, seq, scan.volunteer_id, activity.activity_id, scan.action, scan.method, wall,
            UTC_OFFSET_MIN, (scan.moment - boot_s) * 1_000_000_000, f"boot-{kiosk}", scan.ref_event_id,
            scan.auto_closed, scan.credit_seconds, None, times.utc(received), 0.0, wall, batch,
        )
    )  # fmt: skip


def _fact(
    check_in: _Scan,
    activity: PlannedActivity,
    kiosk: str,
    check_out: int | None,
    credited: int,
    review: str,
    times: TimeText,
) -> str:
    return copy_text(
        (
            check_in.event_id, check_in.volunteer_id, activity.activity_id, activity.org.org_id,
            activity.category, times.local_date(check_in.moment), times.utc(check_in.moment),
            times.utc(check_out) if check_out is not None else None, kiosk, credited,
            1 if check_out is None else 0, review,
        )
    )  # fmt: skip


def _kiosk_lines(
    size: ProvinceSize, activities: list[PlannedActivity], now_s: int, times: TimeText, rng: random.Random
) -> tuple[list[str], list[str], list[str]]:
    """Lines of ``provisioning_codes``, ``devices`` and ``kiosk_status`` for every kiosk."""
    codes, devices, statuses = [], [], []
    registered = times.utc(now_s - size.days * _SECONDS_PER_DAY - 86_400)
    for k in range(size.kiosks):
        device = kiosk_id(k)
        area = activities[k].org.org_id if k < len(activities) else activities[0].org.org_id
        code_hash = hashlib.sha256(f"KP1:{area}:{device}".encode()).hexdigest()
        secret_hash = hashlib.sha256(rng.randbytes(32)).hexdigest()
        public_key = base64.b64encode(rng.randbytes(32)).decode("ascii")
        codes.append(copy_text((code_hash, area, registered, registered, device)))
        devices.append(
            copy_text(
                (device, secret_hash, public_key, area, __version__, code_hash, registered, "network",
                 None, None, None, None)
            )
        )  # fmt: skip
        silent = rng.random() < SILENT_KIOSK_SHARE
        seen = now_s - (rng.randrange(3600, 3 * 86_400) if silent else rng.randrange(0, 300))
        statuses.append(
            copy_text(
                (device, times.utc(seen), times.utc(seen), 0, "ok", times.utc(seen - 3600),
                 round(rng.gauss(0, 0.3), 3), __version__)
            )
        )  # fmt: skip
    return codes, devices, statuses


def load_province(
    database: str,
    size: ProvinceSize | None = None,
    *,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> ProvinceLoad:
    """Fill the empty cloud database at ``database`` (a ``postgresql://`` URL) with a province; what it loaded.

    The connecting user must be a superuser (the change-log triggers are
    turned off for the load). ``now`` (default: the clock) is when the
    province is seen: activities end before it, except those running now.
    """
    size = size or ProvinceSize()
    say = progress or (lambda _: None)
    rng = random.Random(size.seed)
    now_s = int(((now or datetime.now(UTC)) - _EPOCH).total_seconds())
    times = TimeText()
    report = ProvinceLoad()

    def step(name: str, started: float) -> None:
        report.seconds[name] = round(time.monotonic() - started, 1)
        say(f"{name}: {report.seconds[name]} s")

    started = time.monotonic()
    PostgresCloudStore.open(database).close()  # the schema, by the cloud's own migrations
    with psycopg.connect(database) as conn:
        if conn.execute("SELECT count(*) FROM events").fetchone() != (0,):
            raise RuntimeError("the province goes into an empty cloud database; this one has events")
        conn.execute("SET session_replication_role = replica")  # no change-log trigger per row
        conn.execute("SET synchronous_commit = off")
        step("schema", started)

        started = time.monotonic()
        orgs = organisation_tree(size.organisations, rng)
        report.rows["organisations"] = _copy(
            conn,
            "organisations",
            "org_id, name, level, parent_id",
            (copy_text((o.org_id, o.name, o.level, o.parent_id)) for o in orgs),
        )
        report.rows["volunteers"] = _copy(
            conn, "volunteers", "volunteer_id, name, phone, org_id, active", _volunteer_lines(size, orgs, rng)
        )
        conn.commit()
        step("volunteers", started)

        started = time.monotonic()
        activities = plan_activities(size, orgs, now_s, rng)
        report.rows["activities"] = _copy(
            conn,
            "activities",
            "activity_id, title, org_id, org_name, org_level, venue, starts_at, ends_at, category, capacity, "
            "checkin_opens_before_min, checkin_closes_after_start_min, signup_required",
            _activity_lines(activities, times),
        )
        codes, devices, statuses = _kiosk_lines(size, activities, now_s, times, rng)
        _copy(
            conn, "provisioning_codes", "code_sha256, area_id, created_utc, used_utc, device_id", iter(codes)
        )
        report.rows["devices"] = _copy(
            conn,
            "devices",
            "device_id, secret_sha256, public_key, area_id, app_version, code_sha256, registered_utc, "
            "registered_by, box_public_key, reported_cursor, reported_utc, reported_bundle_id",
            iter(devices),
        )
        _copy(
            conn,
            "kiosk_status",
            "device_id, last_seen_utc, last_push_utc, waiting, self_test, self_test_utc, clock_offset_s, "
            "app_version",
            iter(statuses),
        )
        conn.commit()
        step("activities_and_kiosks", started)

        started = time.monotonic()
        visits = share_visits(size, activities, now_s, rng)
        events = facts = 0
        pending_events: list[str] = []
        pending_facts: list[str] = []

        def flush() -> None:
            nonlocal events, facts
            events += _copy(conn, "events", EVENT_COLUMNS, iter(pending_events))
            facts += _copy(conn, "visit_facts", FACT_COLUMNS, iter(pending_facts))
            pending_events.clear()
            pending_facts.clear()

        for event_lines, fact_lines in _visit_rows(size, activities, visits, times, rng, now_s):
            pending_events += event_lines
            pending_facts += fact_lines
            if len(pending_events) >= CHUNK_ROWS * 5:
                flush()
                conn.commit()
                say(f"events: {events:,}")
        flush()
        conn.commit()
        report.rows["events"], report.rows["visit_facts"] = events, facts
        step("events_and_visits", started)

        started = time.monotonic()
        for table, kind, columns in SYNCED_TABLES:
            if table in ("organisations", "volunteers", "activities"):
                conn.execute(
                    f"INSERT INTO changes (kind, op, key_a, key_b) SELECT %s, 'upsert', {columns[0]}, NULL "
                    f"FROM {table} ORDER BY {columns[0]}",
                    (kind,),
                )
        conn.execute(
            "INSERT INTO daily_totals (service_date, org_id, category, visits, credited_seconds) "
            "SELECT service_date, COALESCE(org_id, %(unplaced)s) AS org, category, count(*), "
            "sum(credited_seconds) FROM visit_facts GROUP BY service_date, org, category",
            {"unplaced": UNPLACED},
        )
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (FACTS_VERSION_SETTING, FACTS_VERSION),
        )
        conn.commit()
        step("changes_and_totals", started)

    started = time.monotonic()
    store = PostgresCloudStore.open(database)
    try:
        with store.write() as writer:
            report.rows["org_ancestors"] = writer.rebuild_org_ancestors()
    finally:
        store.close()
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        report.rows["daily_totals"] = _count(conn, "daily_totals")
        report.rows["changes"] = _count(conn, "changes")
    step("ancestors_and_analyze", started)
    return report


def _count(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def main(argv: list[str] | None = None) -> int:
    """Load a province (``--scale`` of issue 15's) into a throwaway PostgreSQL and print the times."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full province")
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    args = parser.parse_args(argv)
    from helpers.postgres import new_postgres_database, running_postgres

    size = ProvinceSize().scaled(args.scale) if args.scale != 1.0 else ProvinceSize()
    with running_postgres() as server:
        report = load_province(
            new_postgres_database(server), size, progress=lambda line: print(line, flush=True)
        )
    result = {"size": asdict(size), "rows": report.rows, "seconds": report.seconds, "total_s": report.total_s}
    for key, value in result.items():
        print(f"{key:<8}  {value}")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
