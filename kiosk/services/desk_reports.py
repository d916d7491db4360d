"""The coordinator desk's reports: visits and hours of a day, a date range or one activity.

Everything here is read from the kiosk's own append-only events: visits are
derived with :func:`checkin_protocol.visits.derive_visits`, exactly as the
kiosk screen and ``kiosk export`` do, and nothing is stored.

Counting rules:

- A visit counts to the local date of its check-in (``Visit.service_date``):
  a visit across midnight counts once, to the day it started.
- Every derived visit counts as one visit: open ones (the volunteer is on
  site, 0 hours so far) and superseded check-ins (0 hours, to review) too.
- Hours are credited seconds / 3600 rounded to 2 decimals, always computed
  from summed seconds, so a total is never a sum of rounded parts.
- A visit is "to review" when it has a :class:`ReviewReason` (auto-closed,
  clock jump, capped, ...).
- Organisation totals group by the *volunteer's* organisation (the team
  whose hours they are), not by the activity's organiser.

Names and organisations come from the roster. A volunteer missing from it
(a roster not yet synced) is shown as
:data:`~kiosk.services.report_words.UNKNOWN_NAME`: the masked name printed on
the card is not part of the events, so it cannot be shown here. That
placeholder, :data:`~kiosk.services.report_words.NO_ORGANISATION` and
:data:`~kiosk.services.report_words.UNKNOWN_CATEGORY` are English source
text: :func:`build_desk_report` and :func:`today_summary` put them in the
report through the ``translate`` they are given (the desk and ``kiosk
report`` pass the document translator, so they read （未登记）, （无所属组织）
and （未知类别）), and the ordering by pinyin sorts the translated words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from checkin_protocol.models import Activity, ClockReading
from checkin_protocol.policy import AttendancePolicy
from checkin_protocol.report_days import check_report_days, widen_days
from checkin_protocol.visits import Ledger, ReviewReason, Visit, derive_visits
from kiosk.services.report_words import (
    NO_ORGANISATION,
    UNKNOWN_CATEGORY,
    UNKNOWN_NAME,
    Translate,
    untranslated,
)
from kiosk.store.activities import list_activities
from kiosk.store.database import Transaction
from kiosk.store.events import iter_events
from kiosk.store.roster import volunteer_names

# Events are read this far around the report's days, so that a visit that
# started on a day and ended after it (or before midnight UTC) is complete.
_MARGIN = timedelta(days=2)


def hours(seconds: int) -> float:
    """Credited seconds as hours, rounded to 2 decimals."""
    return round(seconds / 3600, 2)


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """What the roster says about one volunteer, for reports."""

    name: str
    organisation: str


@dataclass(frozen=True, slots=True)
class VolunteerRow:
    """One volunteer's visits and hours in a report."""

    volunteer_id: str
    name: str
    organisation: str
    visits: int
    credited_seconds: int
    to_review: int
    on_site: bool = False
    """A visit of theirs is still open: their hours so far are not counted yet."""

    @property
    def hours(self) -> float:
        return hours(self.credited_seconds)


@dataclass(frozen=True, slots=True)
class GroupTotal:
    """Visits, distinct volunteers and hours of one category or one organisation."""

    name: str
    visits: int
    volunteers: int
    credited_seconds: int

    @property
    def hours(self) -> float:
        return hours(self.credited_seconds)


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One visit with names and titles; times are device-local, timezone-aware datetimes.

    ``check_out`` is ``None`` while the volunteer is on site (``on_site``) and
    for a superseded check-in.
    """

    service_date: date
    volunteer_id: str
    name: str
    organisation: str
    activity_id: str
    activity_title: str
    category: str
    check_in: datetime
    check_out: datetime | None
    credited_seconds: int
    review_reasons: tuple[ReviewReason, ...]
    on_site: bool

    @property
    def credited_minutes(self) -> int:
        """Whole credited minutes (seconds are dropped)."""
        return self.credited_seconds // 60

    @property
    def hours(self) -> float:
        return hours(self.credited_seconds)

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)


@dataclass(frozen=True, slots=True)
class DeskReport:
    """Visits and hours of the days ``first``..``last`` (inclusive), optionally of one activity.

    ``volunteers`` are ordered by organisation then name (pinyin);
    ``categories`` and ``organisations`` by hours, most first; ``visits``
    in check-in order.
    """

    first: date
    last: date
    activity_id: str | None
    activity_title: str | None
    volunteers: tuple[VolunteerRow, ...]
    categories: tuple[GroupTotal, ...]
    organisations: tuple[GroupTotal, ...]
    visits: tuple[VisitRow, ...]

    @property
    def visit_count(self) -> int:
        return len(self.visits)

    @property
    def volunteer_count(self) -> int:
        return len(self.volunteers)

    @property
    def credited_seconds(self) -> int:
        return sum(v.credited_seconds for v in self.visits)

    @property
    def hours(self) -> float:
        return hours(self.credited_seconds)

    @property
    def to_review(self) -> int:
        """How many visits need a coordinator's look."""
        return sum(1 for v in self.visits if v.needs_review)


@dataclass(frozen=True, slots=True)
class TodaySummary:
    """The dashboard's numbers for one local day.

    ``checked_in`` counts distinct volunteers with a visit that day;
    ``on_site`` the visits open now (checked in within the last two days
    and not out); ``by_category`` the day's totals per category, most
    hours first (the chart).
    """

    day: date
    checked_in: int
    visits: int
    on_site: int
    credited_seconds: int
    by_category: tuple[GroupTotal, ...]

    @property
    def hours(self) -> float:
        return hours(self.credited_seconds)


# -- reading -------------------------------------------------------------------


def load_ledger(db: Transaction, policy: AttendancePolicy, first: date, last: date) -> Ledger:
    """Visits derived from the events around the days ``first``..``last`` (not yet filtered).

    Any days Python can hold work: the window stops at the ends of the calendar.
    """
    since, until = widen_days(first, last, _MARGIN, _MARGIN)
    return derive_visits(iter_events(db, since_utc=since.isoformat(), until_utc=until.isoformat()), policy)


def load_roster(
    db: Transaction, volunteer_ids: Iterable[str], no_organisation: str = NO_ORGANISATION
) -> dict[str, RosterEntry]:
    """Names and organisation names of the given volunteers that the roster knows.

    A volunteer without an organisation gets ``no_organisation`` (already in the report's language).
    """
    return {
        volunteer_id: RosterEntry(name, organisation or no_organisation)
        for volunteer_id, (name, organisation) in volunteer_names(db, volunteer_ids).items()
    }


def _name_key(name: str) -> str:
    """Sort key of a Chinese name: its pinyin (other text is kept as it is)."""
    from pypinyin import lazy_pinyin  # 0.2 s to import: not at the kiosk's start

    return " ".join(lazy_pinyin(name)).lower()


# -- building ------------------------------------------------------------------


def visit_row(
    visit: Visit, person: RosterEntry, activity: Activity | None, unknown_category: str = UNKNOWN_CATEGORY
) -> VisitRow:
    """A derived visit with the volunteer's and the activity's names (``unknown_category`` without one)."""
    return VisitRow(
        service_date=visit.service_date,
        volunteer_id=visit.volunteer_id,
        name=person.name,
        organisation=person.organisation,
        activity_id=visit.activity_id,
        activity_title=activity.title if activity else visit.activity_id,
        category=activity.category if activity else unknown_category,
        check_in=visit.check_in.clock.local,
        check_out=visit.check_out.clock.local if visit.check_out else None,
        credited_seconds=visit.credited_seconds,
        review_reasons=visit.review_reasons,
        on_site=visit.is_open,
    )


def volunteer_rows(visits: Sequence[VisitRow]) -> tuple[VolunteerRow, ...]:
    """One row per volunteer, ordered by organisation, then name (pinyin), then ID."""
    by_id: dict[str, list[VisitRow]] = {}
    for visit in visits:
        by_id.setdefault(visit.volunteer_id, []).append(visit)
    rows = [
        VolunteerRow(
            volunteer_id=volunteer_id,
            name=own[0].name,
            organisation=own[0].organisation,
            visits=len(own),
            credited_seconds=sum(v.credited_seconds for v in own),
            to_review=sum(1 for v in own if v.needs_review),
            on_site=any(v.on_site for v in own),
        )
        for volunteer_id, own in by_id.items()
    ]
    rows.sort(key=lambda r: (_name_key(r.organisation), _name_key(r.name), r.volunteer_id))
    return tuple(rows)


def group_totals(
    visits: Sequence[VisitRow], key: Literal["category", "organisation"]
) -> tuple[GroupTotal, ...]:
    """Totals per category or per organisation of the visits, most hours first."""
    groups: dict[str, list[VisitRow]] = {}
    for visit in visits:
        groups.setdefault(visit.category if key == "category" else visit.organisation, []).append(visit)
    totals = [
        GroupTotal(
            name=name,
            visits=len(members),
            volunteers=len({v.volunteer_id for v in members}),
            credited_seconds=sum(v.credited_seconds for v in members),
        )
        for name, members in groups.items()
    ]
    totals.sort(key=lambda t: (-t.credited_seconds, -t.visits, _name_key(t.name)))
    return tuple(totals)


def _report_visits(
    db: Transaction, ledger: Ledger, first: date, last: date, activity_id: str | None, translate: Translate
) -> tuple[list[VisitRow], dict[str, Activity]]:
    """The ledger's visits of the days (and activity), with names; and the known activities.

    The placeholders for what the roster or the activities do not say go through ``translate``.
    """
    chosen = [
        v
        for v in ledger.visits
        if first <= v.service_date <= last and (activity_id is None or v.activity_id == activity_id)
    ]
    stranger = RosterEntry(translate(UNKNOWN_NAME), translate(NO_ORGANISATION))
    roster = load_roster(db, (v.volunteer_id for v in chosen), stranger.organisation)
    activities = {a.activity_id: a for a in list_activities(db)}
    unknown_category = translate(UNKNOWN_CATEGORY)
    rows = [
        visit_row(v, roster.get(v.volunteer_id) or stranger, activities.get(v.activity_id), unknown_category)
        for v in chosen
    ]
    return rows, activities


def build_desk_report(
    db: Transaction,
    policy: AttendancePolicy,
    first: date,
    last: date,
    activity_id: str | None = None,
    *,
    translate: Translate = untranslated,
) -> DeskReport:
    """The report of the local days ``first``..``last`` (inclusive), of one activity if given.

    ``translate`` turns the placeholders (unknown name, no organisation, unknown category) into
    the report's language; by default they stay English source text.
    """
    check_report_days(first, last)
    ledger = load_ledger(db, policy, first, last)
    visits, activities = _report_visits(db, ledger, first, last, activity_id, translate)
    activity = activities.get(activity_id) if activity_id is not None else None
    return DeskReport(
        first=first,
        last=last,
        activity_id=activity_id,
        activity_title=activity.title if activity else activity_id,
        volunteers=volunteer_rows(visits),
        categories=group_totals(visits, "category"),
        organisations=group_totals(visits, "organisation"),
        visits=tuple(visits),
    )


def today_summary(
    db: Transaction, policy: AttendancePolicy, now: ClockReading, *, translate: Translate = untranslated
) -> TodaySummary:
    """The dashboard's numbers for the local day of ``now`` (``translate``: see :func:`build_desk_report`)."""
    day = now.local.date()
    ledger = load_ledger(db, policy, day, day)
    visits, _ = _report_visits(db, ledger, day, day, None, translate)
    return TodaySummary(
        day=day,
        checked_in=len({v.volunteer_id for v in visits}),
        visits=len(visits),
        on_site=len(ledger.open_visits()),
        credited_seconds=sum(v.credited_seconds for v in visits),
        by_category=group_totals(visits, "category"),
    )
