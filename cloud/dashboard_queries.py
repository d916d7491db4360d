"""The SQL of the staff dashboard, mixed into :class:`cloud.queries.Reader` and ``Writer``.

Tables (migration ``0008_dashboard_visits``, :mod:`cloud.schema_dashboard`):
``visit_facts`` (one row per visit, kept by :mod:`cloud.visit_projection`),
``daily_totals`` (visits and credited seconds per service date, organisation
and category; the sums of ``visit_facts``, kept in the same transaction) and
``org_ancestors`` (each organisation with itself and every ancestor).

An **area** is an organisation ID; its subtree is every organisation with
the area among its ancestors. ``None`` is the whole platform, and includes
the visits of activities the roster does not place (``org_id`` null,
``''`` in ``daily_totals``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cloud.signal_queries import SignalReads, SignalWrites
from cloud.sql_connection import SqlConnection

UNPLACED = ""  # daily_totals' organisation for activities the roster does not know

_REVIEW_KEYS = (
    "visit_id",
    "volunteer_id",
    "name",
    "activity_id",
    "title",
    "service_date",
    "check_in_utc",
    "check_out_utc",
    "review",
)
_FACT_COLUMNS = (
    "visit_id, volunteer_id, activity_id, org_id, category, service_date, check_in_utc, "
    "check_out_utc, kiosk_id, credited_seconds, on_site, review"
)


@dataclass(frozen=True, slots=True)
class VisitFact:
    """One visit as the dashboard keeps it (times UTC text, the date the kiosk's local service date)."""

    visit_id: str
    volunteer_id: str
    activity_id: str
    org_id: str | None
    category: str
    service_date: str
    check_in_utc: str
    check_out_utc: str | None
    kiosk_id: str
    credited_seconds: int
    on_site: int
    review: str


@dataclass(frozen=True, slots=True)
class Organisation:
    """An organisation of the roster's tree."""

    org_id: str
    name: str
    level: str
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class Figures:
    """Counts and hours of a set of visits."""

    visits: int = 0
    check_outs: int = 0
    credited_seconds: int = 0
    volunteers: int = 0
    on_site: int = 0
    activities: int = 0


def _subtree(area: str | None, org_column: str) -> tuple[str, list[Any]]:
    """A join limiting rows to ``area``'s subtree by ``org_column`` ('' and no parameters for everything)."""
    if area is None:
        return "", []
    return f" JOIN org_ancestors sub ON sub.org_id = {org_column} AND sub.ancestor_id = ?", [area]


def _children_of(area: str | None) -> tuple[str, list[Any]]:
    """The condition on ``c`` (an organisation) of being a child of ``area`` (None: a root)."""
    return ("c.parent_id IS NULL", []) if area is None else ("c.parent_id = ?", [area])


#: A volunteer's changed total is logged for kiosks at most this often (issue 18's bench: logging it at every
#: push sent every busy volunteer to every kiosk every round). Kiosks add their own visits the platform has
#: not counted yet (kiosk.services.volunteer_total), so a total that reaches them later is never short there.
TOTALS_LOG_INTERVAL = timedelta(minutes=10)
#: At most this many pending totals are logged by one write.
TOTALS_FLUSH_BATCH = 2000


def _minus(utc_text: str, interval: timedelta) -> str:
    """``utc_text`` (:func:`cloud.protocol.format_time`'s form) less ``interval``, in the same form."""
    moment = datetime.fromisoformat(utc_text).astimezone(UTC) - interval
    return moment.isoformat(timespec="milliseconds")


def _chunks(values: Iterable[str], size: int = 500) -> Iterable[tuple[str, ...]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), size):
        yield tuple(ordered[start : start + size])


def _marks(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)


def _period_figures(totals: list[Any], distinct: dict[str, tuple[int, int]]) -> dict[str, Figures]:
    """Figures from (org, visits, seconds) rows and each org's (distinct activities, distinct volunteers)."""
    figures = {}
    for org_id, visits, seconds in totals:
        activities, volunteers = distinct.get(org_id, (0, 0))
        figures[org_id] = Figures(
            visits=int(visits), credited_seconds=int(seconds), activities=activities, volunteers=volunteers
        )
    return figures


class DashboardReads(SignalReads):
    """Queries within one read snapshot (presence signals: :class:`cloud.signal_queries.SignalReads`)."""

    _conn: SqlConnection

    # The organisation tree.

    def organisation(self, org_id: str) -> Organisation | None:
        """One organisation, or None."""
        row = self._conn.execute(
            "SELECT org_id, name, level, parent_id FROM organisations WHERE org_id = ?", (org_id,)
        ).fetchone()
        return None if row is None else Organisation(*row)

    def organisation_path(self, org_id: str) -> list[Organisation]:
        """``org_id`` and its ancestors, the root first."""
        rows = self._conn.execute(
            "SELECT o.org_id, o.name, o.level, o.parent_id FROM org_ancestors a "
            "JOIN organisations o ON o.org_id = a.ancestor_id WHERE a.org_id = ? ORDER BY a.depth DESC",
            (org_id,),
        ).fetchall()
        return [Organisation(*row) for row in rows]

    def is_within(self, org_id: str, area: str | None) -> bool:
        """Whether ``org_id`` is ``area`` or below it (always, for the whole platform)."""
        if area is None:
            return True
        row = self._conn.execute(
            "SELECT 1 FROM org_ancestors WHERE ancestor_id = ? AND org_id = ?", (area, org_id)
        ).fetchone()
        return row is not None

    def child_organisations(self, area: str | None) -> list[Organisation]:
        """The organisations one level below ``area`` (the roots for None), by name."""
        condition, params = _children_of(area)
        rows = self._conn.execute(
            f"SELECT c.org_id, c.name, c.level, c.parent_id FROM organisations c WHERE {condition} "
            "ORDER BY c.name, c.org_id",
            tuple(params),
        ).fetchall()
        return [Organisation(*row) for row in rows]

    def platform_setting(self, key: str) -> str | None:
        """A value of the settings table (the dashboard's time zone among them)."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # Figures.

    def day_figures(self, area: str | None, service_date: str) -> Figures:
        """Visits, check-outs, credited seconds and distinct volunteers of one service date in ``area``."""
        join, params = _subtree(area, "v.org_id")
        row = self._conn.execute(
            "SELECT count(*), count(v.check_out_utc), coalesce(sum(v.credited_seconds), 0), "
            f"count(DISTINCT v.volunteer_id) FROM visit_facts v{join} WHERE v.service_date = ?",
            (*params, service_date),
        ).fetchone()
        return Figures(visits=row[0], check_outs=row[1], credited_seconds=int(row[2]), volunteers=row[3])

    def on_site_count(self, area: str | None, since_utc: str) -> int:
        """Volunteers checked in since ``since_utc`` and not yet out, in ``area``."""
        join, params = _subtree(area, "v.org_id")
        row = self._conn.execute(
            f"SELECT count(*) FROM visit_facts v{join} WHERE v.on_site = 1 AND v.check_in_utc >= ?",
            (*params, since_utc),
        ).fetchone()
        return int(row[0])

    def children_day_figures(self, area: str | None, service_date: str, since_utc: str) -> dict[str, Figures]:
        """The figures of one service date, and who is on site, per child of ``area``."""
        condition, params = _children_of(area)
        rows = self._conn.execute(
            "SELECT a.ancestor_id, count(*), coalesce(sum(v.credited_seconds), 0), count(DISTINCT v.volunteer_id), "
            "coalesce(sum(CASE WHEN v.on_site = 1 AND v.check_in_utc >= ? THEN 1 ELSE 0 END), 0) "
            "FROM visit_facts v JOIN org_ancestors a ON a.org_id = v.org_id "
            f"JOIN organisations c ON c.org_id = a.ancestor_id WHERE v.service_date = ? AND {condition} "
            "GROUP BY a.ancestor_id",
            (since_utc, service_date, *params),
        ).fetchall()
        figures = {
            row[0]: Figures(
                visits=row[1], credited_seconds=int(row[2]), volunteers=row[3], on_site=int(row[4])
            )
            for row in rows
        }
        # Volunteers on site since yesterday (a visit across midnight) count where they are.
        on_site_rows = self._conn.execute(
            "SELECT a.ancestor_id, count(*) FROM visit_facts v JOIN org_ancestors a ON a.org_id = v.org_id "
            f"JOIN organisations c ON c.org_id = a.ancestor_id WHERE v.on_site = 1 AND v.check_in_utc >= ? "
            f"AND v.service_date <> ? AND {condition} GROUP BY a.ancestor_id",
            (since_utc, service_date, *params),
        ).fetchall()
        for org_id, count in on_site_rows:
            before = figures.get(org_id, Figures())
            figures[org_id] = Figures(
                visits=before.visits,
                credited_seconds=before.credited_seconds,
                volunteers=before.volunteers,
                on_site=before.on_site + int(count),
            )
        return figures

    def on_site_visits(self, area: str | None, since_utc: str, limit: int) -> list[dict[str, Any]]:
        """Open visits checked in since ``since_utc`` in ``area``, newest first, with the volunteer's name."""
        join, params = _subtree(area, "v.org_id")
        rows = self._conn.execute(
            "SELECT v.visit_id, v.volunteer_id, coalesce(p.name, ''), v.activity_id, v.check_in_utc "
            f"FROM visit_facts v{join} LEFT JOIN volunteers p ON p.volunteer_id = v.volunteer_id "
            "WHERE v.on_site = 1 AND v.check_in_utc >= ? ORDER BY v.check_in_utc DESC LIMIT ?",
            (*params, since_utc, limit),
        ).fetchall()
        keys = ("visit_id", "volunteer_id", "name", "activity_id", "check_in_utc")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def activities_ending_after(self, area: str | None, after_utc: str, limit: int) -> list[dict[str, Any]]:
        """Activities of ``area`` that end after ``after_utc`` (the caller keeps those already started)."""
        join, params = _subtree(area, "a.org_id")
        rows = self._conn.execute(
            "SELECT a.activity_id, a.title, a.venue, a.org_name, a.starts_at, a.ends_at, a.category "
            f"FROM activities a{join} WHERE a.ends_at >= ? ORDER BY a.starts_at LIMIT ?",
            (*params, after_utc, limit),
        ).fetchall()
        keys = ("activity_id", "title", "venue", "org_name", "starts_at", "ends_at", "category")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def activities_by_id(self, activity_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Title, venue, organisation and times of the activities asked for."""
        found: dict[str, dict[str, Any]] = {}
        keys = ("activity_id", "title", "venue", "org_name", "starts_at", "ends_at", "category")
        for chunk in _chunks(activity_ids):
            rows = self._conn.execute(
                f"SELECT {', '.join(keys)} FROM activities WHERE activity_id IN ({_marks(chunk)})", chunk
            ).fetchall()
            found.update({row[0]: dict(zip(keys, row, strict=True)) for row in rows})
        return found

    def children_period_figures(self, area: str | None, first: str, last: str) -> dict[str, Figures]:
        """Visits, hours, distinct activities and volunteers per child of ``area``, service dates first..last."""
        condition, params = _children_of(area)
        totals = self._conn.execute(
            "SELECT a.ancestor_id, sum(d.visits), sum(d.credited_seconds) FROM daily_totals d "
            "JOIN org_ancestors a ON a.org_id = d.org_id JOIN organisations c ON c.org_id = a.ancestor_id "
            f"WHERE d.service_date >= ? AND d.service_date <= ? AND {condition} GROUP BY a.ancestor_id",
            (first, last, *params),
        ).fetchall()
        distinct = self._children_distinct(condition, params, first, last)
        return _period_figures(totals, {org_id: (acts, vols) for org_id, acts, vols in distinct})

    def _children_distinct(
        self, condition: str, params: list[Any], first: str, last: str
    ) -> list[tuple[str, int, int]]:
        """(child, distinct activities, distinct volunteers) with visits in first..last.

        ``SELECT DISTINCT`` in a subquery, then a count: the database can
        hash the pairs, where ``count(DISTINCT …)`` sorts them (seconds on a
        province's month).
        """
        per_column: dict[str, dict[str, int]] = {}
        for column in ("activity_id", "volunteer_id"):
            rows = self._conn.execute(
                f"SELECT child, count(*) FROM (SELECT DISTINCT a.ancestor_id AS child, v.{column} "
                "FROM visit_facts v JOIN org_ancestors a ON a.org_id = v.org_id "
                "JOIN organisations c ON c.org_id = a.ancestor_id "
                f"WHERE v.service_date >= ? AND v.service_date <= ? AND {condition}) pairs GROUP BY child",
                (first, last, *params),
            ).fetchall()
            per_column[column] = {row[0]: int(row[1]) for row in rows}
        children = per_column["activity_id"].keys() | per_column["volunteer_id"].keys()
        return [
            (child, per_column["activity_id"].get(child, 0), per_column["volunteer_id"].get(child, 0))
            for child in sorted(children)
        ]

    def top_organisations(self, area: str | None, first: str, last: str, limit: int) -> dict[str, Figures]:
        """The organisations of ``area`` with the most credited hours in first..last, with their figures."""
        join, params = _subtree(area, "d.org_id")
        top = self._conn.execute(
            f"SELECT d.org_id, sum(d.visits), sum(d.credited_seconds) FROM daily_totals d{join} "
            "WHERE d.service_date >= ? AND d.service_date <= ? AND d.org_id <> ? "
            "GROUP BY d.org_id ORDER BY sum(d.credited_seconds) DESC, d.org_id LIMIT ?",
            (*params, first, last, UNPLACED, limit),
        ).fetchall()
        if not top:
            return {}
        ids = [row[0] for row in top]
        distinct = self._conn.execute(
            "SELECT v.org_id, count(DISTINCT v.activity_id), count(DISTINCT v.volunteer_id) FROM visit_facts v "
            f"WHERE v.service_date >= ? AND v.service_date <= ? AND v.org_id IN ({', '.join('?' * len(ids))}) "
            "GROUP BY v.org_id",
            (first, last, *ids),
        ).fetchall()
        return _period_figures(top, {row[0]: (row[1], row[2]) for row in distinct})

    def organisation_names(self, org_ids: Iterable[str]) -> dict[str, Organisation]:
        """The organisations asked for that exist."""
        ids = sorted(set(org_ids))
        if not ids:
            return {}
        rows = self._conn.execute(
            "SELECT org_id, name, level, parent_id FROM organisations "
            f"WHERE org_id IN ({', '.join('?' * len(ids))})",
            tuple(ids),
        ).fetchall()
        return {row[0]: Organisation(*row) for row in rows}

    def hours_by_category(self, area: str | None, first: str, last: str) -> list[tuple[str, str, int]]:
        """(service date, category, credited seconds) in ``area`` for first..last."""
        join, params = _subtree(area, "d.org_id")
        rows = self._conn.execute(
            f"SELECT d.service_date, d.category, sum(d.credited_seconds) FROM daily_totals d{join} "
            "WHERE d.service_date >= ? AND d.service_date <= ? GROUP BY d.service_date, d.category "
            "ORDER BY d.service_date, d.category",
            (*params, first, last),
        ).fetchall()
        return [(row[0], row[1], int(row[2])) for row in rows]

    def visits_to_review(self, area: str | None, limit: int) -> list[dict[str, Any]]:
        """The newest visits with review reasons or presence signals in ``area``, with names and titles.

        Each row's ``signals`` are its :class:`cloud.signal_queries.SignalDetail` (the other visit's place
        and times). The two kinds are read apart, each newest first by its own index, and merged.
        """
        join, params = _subtree(area, "v.org_id")
        rows = self._review_rows(f"{join} WHERE v.review <> ''", params, limit)
        flagged = self.newest_flagged_visits(join, params, limit)
        if flagged:
            rows += self._review_rows(f" WHERE v.visit_id IN ({_marks(flagged)})", flagged, limit)
        newest = sorted(
            {row[0]: row for row in rows}.values(), key=lambda row: (row[5], row[6]), reverse=True
        )
        details = self.signal_details(row[0] for row in newest[:limit])
        return [
            dict(zip(_REVIEW_KEYS, row, strict=True)) | {"signals": details.get(row[0], [])}
            for row in newest[:limit]
        ]

    def _review_rows(self, condition: str, params: list[Any], limit: int) -> list[tuple[Any, ...]]:
        rows = self._conn.execute(
            "SELECT v.visit_id, v.volunteer_id, coalesce(p.name, ''), v.activity_id, coalesce(a.title, ''), "
            "v.service_date, v.check_in_utc, v.check_out_utc, v.review "
            "FROM visit_facts v LEFT JOIN volunteers p ON p.volunteer_id = v.volunteer_id "
            f"LEFT JOIN activities a ON a.activity_id = v.activity_id{condition} "
            "ORDER BY v.service_date DESC, v.check_in_utc DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [tuple(row) for row in rows]

    def organisations_within(self, area: str, org_ids: Iterable[str]) -> set[str]:
        """Those of ``org_ids`` in ``area``'s subtree."""
        ids = sorted(set(org_ids))
        if not ids:
            return set()
        rows = self._conn.execute(
            f"SELECT org_id FROM org_ancestors WHERE ancestor_id = ? AND org_id IN ({', '.join('?' * len(ids))})",
            (area, *ids),
        ).fetchall()
        return {row[0] for row in rows}

    # The projection's reads.

    def visit_facts_of(self, volunteer_ids: Iterable[str]) -> list[VisitFact]:
        """The visits kept for the volunteers asked for."""
        facts: list[VisitFact] = []
        for chunk in _chunks(volunteer_ids):
            rows = self._conn.execute(
                f"SELECT {_FACT_COLUMNS} FROM visit_facts WHERE volunteer_id IN ({_marks(chunk)})", chunk
            ).fetchall()
            facts += [VisitFact(*row) for row in rows]
        return facts

    def visit_facts_of_pairs(self, pairs: Iterable[tuple[str, str]]) -> list[VisitFact]:
        """The visits kept for each (volunteer, activity) asked for."""
        ordered = sorted(set(pairs))
        facts: list[VisitFact] = []
        for start in range(0, len(ordered), 250):
            chunk = ordered[start : start + 250]
            values = ", ".join("(?, ?)" for _ in chunk)
            rows = self._conn.execute(
                f"SELECT {_FACT_COLUMNS} FROM visit_facts WHERE (volunteer_id, activity_id) IN (VALUES {values})",
                [part for pair in chunk for part in pair],
            ).fetchall()
            facts += [VisitFact(*row) for row in rows]
        return facts

    def activity_placements(self, activity_ids: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """Organisation and category of the activities asked for that the roster knows."""
        return {
            activity_id: (row["org_id"], row["category"])
            for activity_id, row in self._activity_rows(activity_ids).items()
        }

    def _activity_rows(self, activity_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(activity_ids):
            rows = self._conn.execute(
                f"SELECT activity_id, org_id, category FROM activities WHERE activity_id IN ({_marks(chunk)})",
                chunk,
            ).fetchall()
            found.update({row[0]: {"org_id": row[1], "category": row[2]} for row in rows})
        return found

    def volunteers_of_activity(self, activity_id: str) -> list[str]:
        """The volunteers with kept visits of one activity."""
        rows = self._conn.execute(
            "SELECT DISTINCT volunteer_id FROM visit_facts WHERE activity_id = ?", (activity_id,)
        ).fetchall()
        return [row[0] for row in rows]

    def volunteers_with_events(self, after: str, limit: int) -> list[str]:
        """Volunteer IDs with events, in order, after ``after`` (for a rebuild in batches)."""
        rows = self._conn.execute(
            "SELECT DISTINCT volunteer_id FROM events WHERE volunteer_id > ? ORDER BY volunteer_id LIMIT ?",
            (after, limit),
        ).fetchall()
        return [row[0] for row in rows]


class DashboardWrites(SignalWrites):
    """Statements within the write transaction (presence signals: :class:`cloud.signal_queries.SignalWrites`)."""

    _conn: SqlConnection

    def replace_visit_facts(self, old: list[VisitFact], new: list[VisitFact]) -> None:
        """Make the kept visits of some volunteers ``new`` (they were ``old``), and the daily totals with them."""
        before = {fact.visit_id: fact for fact in old}
        after = {fact.visit_id: fact for fact in new}
        gone = [fact for visit_id, fact in before.items() if after.get(visit_id) != fact]
        came = [fact for visit_id, fact in after.items() if before.get(visit_id) != fact]
        if gone:
            self._conn.executemany(
                "DELETE FROM visit_facts WHERE visit_id = ?", [(f.visit_id,) for f in gone]
            )
        if came:
            self._conn.executemany(
                f"INSERT INTO visit_facts ({_FACT_COLUMNS}) VALUES ({_marks(range(12))})",
                [astuple(fact) for fact in came],
            )
        self._add_to_daily_totals(gone, -1)
        self._add_to_daily_totals(came, +1)

    def _add_to_daily_totals(self, facts: list[VisitFact], sign: int) -> None:
        sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for fact in facts:
            entry = sums[(fact.service_date, fact.org_id or UNPLACED, fact.category)]
            entry[0] += sign
            entry[1] += sign * fact.credited_seconds
        if not sums:
            return
        self._conn.executemany(
            "INSERT INTO daily_totals (service_date, org_id, category, visits, credited_seconds) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (service_date, org_id, category) DO UPDATE SET "
            "visits = daily_totals.visits + excluded.visits, "
            "credited_seconds = daily_totals.credited_seconds + excluded.credited_seconds",
            [(*key, visits, seconds) for key, (visits, seconds) in sorted(sums.items())],
        )
        if sign < 0:
            self._conn.executemany(
                "DELETE FROM daily_totals WHERE service_date = ? AND org_id = ? AND category = ? AND visits <= 0",
                sorted(sums),
            )

    def keep_volunteer_totals(self, volunteer_ids: Iterable[str], computed_utc: str, *, restamp: bool) -> int:
        """Recompute the platform totals of ``volunteer_ids`` from their kept visits; totals written.

        A volunteer without a totals row gets one (0 without visits). An
        existing row is rewritten, with ``computed_utc``, when ``restamp``
        (a push stored an event of the volunteer) or when its total changed
        (a rebuild). A total that changed is logged as a ``volunteer``
        change (:meth:`_log_totals`) at once when the volunteer's last one was
        logged :data:`TOTALS_LOG_INTERVAL` or longer ago, and otherwise marked
        pending and logged by the first write after that (this call flushes
        the pending ones that are due), so every kiosk pulls a busy
        volunteer's total at most that often rather than after every push.
        """
        wanted = sorted(set(volunteer_ids))
        if not wanted:
            return 0
        sums: dict[str, int] = {}
        held: dict[str, tuple[int, str | None, int]] = {}
        for chunk in _chunks(wanted):
            rows = self._conn.execute(
                f"SELECT volunteer_id, sum(credited_seconds) FROM visit_facts WHERE volunteer_id IN ({_marks(chunk)}) "
                "GROUP BY volunteer_id",
                chunk,
            ).fetchall()
            sums.update({str(row[0]): max(0, int(row[1] or 0)) for row in rows})
            rows = self._conn.execute(
                "SELECT volunteer_id, total_seconds, logged_utc, log_pending FROM volunteer_totals "
                f"WHERE volunteer_id IN ({_marks(chunk)})",
                chunk,
            ).fetchall()
            held.update({str(row[0]): (int(row[1]), row[2], int(row[3])) for row in rows})
        due = _minus(computed_utc, TOTALS_LOG_INTERVAL)
        rows_written: list[tuple[str, int, str, str | None, int]] = []
        log_now: list[str] = []
        for volunteer_id in wanted:
            total = sums.get(volunteer_id, 0)
            old = held.get(volunteer_id)
            changed = old is None or old[0] != total
            if not changed and not restamp:
                continue
            logged_utc, pending = (None, 0) if old is None else (old[1], old[2])
            if changed or pending:
                if logged_utc is None or logged_utc <= due:
                    log_now.append(volunteer_id)
                    logged_utc, pending = computed_utc, 0
                else:
                    pending = 1
            rows_written.append((volunteer_id, total, computed_utc, logged_utc, pending))
        self._conn.executemany(
            "INSERT INTO volunteer_totals (volunteer_id, total_seconds, computed_utc, logged_utc, log_pending) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (volunteer_id) DO UPDATE SET total_seconds = excluded.total_seconds, "
            "computed_utc = excluded.computed_utc, logged_utc = excluded.logged_utc, "
            "log_pending = excluded.log_pending",
            rows_written,
        )
        flushed = [
            str(row[0])
            for row in self._conn.execute(
                "SELECT volunteer_id FROM volunteer_totals WHERE log_pending = 1 AND logged_utc <= ? "
                "ORDER BY logged_utc LIMIT ?",
                (due, TOTALS_FLUSH_BATCH),
            ).fetchall()
        ]
        if flushed:
            self._conn.executemany(
                "UPDATE volunteer_totals SET logged_utc = ?, log_pending = 0 WHERE volunteer_id = ?",
                [(computed_utc, volunteer_id) for volunteer_id in flushed],
            )
        self._log_totals([*log_now, *flushed])
        return len(rows_written)

    def _log_totals(self, volunteer_ids: list[str]) -> None:
        """Log a ``volunteer`` change of each of ``volunteer_ids`` the roster has, replacing their older entries.

        The log then keeps one entry per volunteer however often they serve,
        and never one for a volunteer the roster lacks (it would be sent as a delete).
        """
        if not volunteer_ids:
            return
        self._conn.executemany(
            "DELETE FROM changes WHERE key_a = ? AND kind = 'volunteer'", [(v,) for v in volunteer_ids]
        )
        self._conn.executemany(
            "INSERT INTO changes (kind, op, key_a, key_b) SELECT 'volunteer', 'upsert', volunteer_id, NULL "
            "FROM volunteers WHERE volunteer_id = ?",
            [(v,) for v in volunteer_ids],
        )

    def clear_visit_facts(self) -> None:
        """Forget every kept visit and total (before a rebuild)."""
        self._conn.execute("DELETE FROM visit_facts")
        self._conn.execute("DELETE FROM daily_totals")

    def rebuild_org_ancestors(self) -> int:
        """Recompute the closure of the organisation tree from ``organisations``; its row count.

        A parent missing from the roster ends the chain there; a cycle (which a
        roster should not have) stops after eight levels instead of looping.
        """
        self._conn.execute("DELETE FROM org_ancestors")
        self._conn.execute(
            "INSERT INTO org_ancestors (org_id, ancestor_id, depth) "
            "WITH RECURSIVE up (org_id, ancestor_id, depth) AS ("
            "SELECT org_id, org_id, 0 FROM organisations "
            "UNION ALL SELECT up.org_id, o.parent_id, up.depth + 1 FROM up "
            "JOIN organisations o ON o.org_id = up.ancestor_id "
            "WHERE o.parent_id IS NOT NULL AND up.depth < 8) "
            "SELECT org_id, ancestor_id, min(depth) FROM up GROUP BY org_id, ancestor_id"
        )
        row = self._conn.execute("SELECT count(*) FROM org_ancestors").fetchone()
        return int(row[0])
