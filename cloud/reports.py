"""Visits and service hours from the events of every kiosk: the platform's truth.

Events are paired by the kiosk's own rules, :func:`checkin_protocol.visits.derive_visits`,
after one change: each event's clock reading is rebuilt from the server's
**corrected time** (:func:`for_ordering`):

- ``wall_utc`` becomes ``corrected_utc`` (device wall time + the offset the
  kiosk measured against the server when it pushed). ``order_events`` merges
  the kiosks' streams by it, so a check-in at kiosk A and a check-out at
  kiosk B pair up even when A's clock was days wrong, as long as A knew its
  offset; each kiosk's own events stay in ``seq`` order.
- ``boot_id`` becomes ``<kiosk_id>/<boot_id>``, so monotonic readings are
  compared only within one boot *of one kiosk*. A visit within one boot is
  timed by the monotonic clock; any other by the corrected wall times.

A visit counts to the device-local date of its (corrected) check-in.
Auto-closed visits (forgotten check-outs a kiosk closed), clock jumps,
capped and superseded visits carry their review reasons; visits with no
check-out yet are listed for review as ``open``; so are the visits the
cloud keeps **presence signals** of (:mod:`cloud.presence_signals`: at two
places at once, two kiosks within seconds, a card after a phone pass), with
the other visit's venue, kiosk and times.

Any days Python can hold may be asked for (the window of events read around
them stops at the ends of the calendar); the CLI limits what a person types.
Every CSV cell goes through :func:`checkin_protocol.spreadsheet_cells.safe_cell`,
so a name that would start a formula is written with a leading ``'``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import IO

from checkin_protocol.models import ClockReading, Event
from checkin_protocol.policy import AttendancePolicy
from checkin_protocol.report_days import check_report_days, widen_days
from checkin_protocol.spreadsheet_cells import safe_row
from checkin_protocol.visits import FlaggedEvent, Visit, derive_visits
from cloud.presence_signals import describe_signal
from cloud.queries import StoredEvent
from cloud.signal_queries import SignalDetail
from cloud.storage import Storage

OPEN = "open"
# Events are read this far around the dates asked for, so visits that cross
# the range's edges (and UTC offsets of up to a day) are complete.
_MARGIN = timedelta(days=2)
CSV_COLUMNS = (
    "service_date",
    "volunteer_id",
    "name",
    "activity_id",
    "check_in",
    "check_out",
    "kiosk_in",
    "kiosk_out",
    "method_in",
    "method_out",
    "credited_minutes",
    "credited_hours",
    "review_reasons",
    "review_details",  # presence signals: what the visit is flagged against (cloud.presence_signals)
)


@dataclass(frozen=True, slots=True)
class VolunteerHours:
    """One volunteer's service in the report's dates."""

    volunteer_id: str
    name: str
    visits: int
    credited_seconds: int
    to_review: int

    @property
    def hours(self) -> float:
        """Credited time in hours."""
        return self.credited_seconds / 3600


@dataclass(frozen=True)
class Report:
    """Visits whose service date is in [first, last], hours per volunteer, and what to review."""

    first: date
    last: date
    visits: list[Visit]
    hours: list[VolunteerHours]
    review: list[Visit]
    flagged: list[FlaggedEvent]
    names: dict[str, str]
    signals: dict[str, list[SignalDetail]] = field(default_factory=dict)  # by visit (its check-in's event ID)

    def reasons(self, visit: Visit) -> list[str]:
        """Why ``visit`` needs a look: :func:`review_reasons`, then its presence signals."""
        found = self.signals.get(visit.check_in.event_id, [])
        return review_reasons(visit) + list(dict.fromkeys(detail.signal for detail in found))

    def details(self, visit: Visit) -> list[str]:
        """Each presence signal of ``visit`` in words, times at the visit's UTC offset."""
        offset = visit.check_in.clock.utc_offset_min
        return [describe_signal(d, offset) for d in self.signals.get(visit.check_in.event_id, [])]


def for_ordering(stored: StoredEvent) -> Event:
    """The event with its clock reading on the corrected time (see the module docstring)."""
    event = stored.event
    clock = ClockReading(
        wall_utc=stored.corrected_utc,
        utc_offset_min=event.clock.utc_offset_min,
        monotonic_ns=event.clock.monotonic_ns,
        boot_id=f"{event.kiosk_id}/{event.clock.boot_id}",
    )
    return replace(event, clock=clock)


def review_reasons(visit: Visit) -> list[str]:
    """Why a visit needs a look: its review reasons, or ``open`` when nobody signed it out."""
    reasons = [reason.value for reason in visit.review_reasons]
    if visit.is_open:
        reasons.append(OPEN)
    return reasons


def build_report(store: Storage, first: date, last: date, policy: AttendancePolicy | None = None) -> Report:
    """The report of the service dates ``first`` to ``last`` (inclusive).

    Raises ``ValueError`` when ``last`` is before ``first``.
    """
    check_report_days(first, last)
    policy = policy or AttendancePolicy()
    # From midnight UTC _MARGIN before the first day to midnight _MARGIN after the last day ends.
    since_day, until_day = widen_days(first, last, _MARGIN, _MARGIN + timedelta(days=1))
    since = datetime.combine(since_day, time(), UTC)
    until = datetime.combine(until_day, time(), UTC)
    with store.read() as reader:
        stored = reader.events_between(since, until)
        ledger = derive_visits((for_ordering(s) for s in stored), policy)
        visits = [v for v in ledger.visits if first <= v.service_date <= last]
        signals = reader.signal_details(v.check_in.event_id for v in visits)
        names: dict[str, str] = {}
        for volunteer_id in sorted({v.volunteer_id for v in visits}):
            row = reader.row("volunteer", volunteer_id)
            names[volunteer_id] = str(row["name"]) if row else ""
    flagged = [f for f in ledger.flagged if first <= f.event.clock.local.date() <= last]
    return Report(
        first=first,
        last=last,
        visits=visits,
        hours=_hours(visits, names, signals),
        review=[v for v in visits if review_reasons(v) or v.check_in.event_id in signals],
        flagged=flagged,
        names=names,
        signals=signals,
    )


def _hours(
    visits: Iterable[Visit], names: dict[str, str], signals: dict[str, list[SignalDetail]]
) -> list[VolunteerHours]:
    totals: dict[str, list[int]] = {}
    for visit in visits:
        count, seconds, to_review = totals.setdefault(visit.volunteer_id, [0, 0, 0])
        totals[visit.volunteer_id] = [
            count + 1,
            seconds + visit.credited_seconds,
            to_review + bool(review_reasons(visit) or visit.check_in.event_id in signals),
        ]
    return [
        VolunteerHours(volunteer_id, names.get(volunteer_id, ""), *totals[volunteer_id])
        for volunteer_id in sorted(totals)
    ]


def _local(reading: ClockReading | None) -> str:
    return "" if reading is None else reading.local.isoformat(timespec="seconds")


def write_visits_csv(report: Report, out: IO[str]) -> int:
    """Write one row per visit (times are corrected, in the kiosk's local time); return the row count."""
    writer = csv.writer(out)
    writer.writerow(safe_row(CSV_COLUMNS))
    for visit in report.visits:
        check_out = visit.check_out
        writer.writerow(
            safe_row(
                [
                    visit.service_date.isoformat(),
                    visit.volunteer_id,
                    report.names.get(visit.volunteer_id, ""),
                    visit.activity_id,
                    _local(visit.check_in.clock),
                    _local(check_out.clock if check_out else None),
                    visit.check_in.kiosk_id,
                    check_out.kiosk_id if check_out else "",
                    visit.check_in.method.value,
                    check_out.method.value if check_out else "",
                    visit.credited_seconds // 60,
                    Decimal(f"{visit.credited_seconds / 3600:.2f}"),  # a number: never quoted as text
                    " ".join(report.reasons(visit)),
                    "; ".join(report.details(visit)),
                ]
            )
        )
    return len(report.visits)
