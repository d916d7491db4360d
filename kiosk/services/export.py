"""Exporting visits of a day or a date range as CSV.

Visits are derived from the events (events are facts, visits are derived). A
visit belongs to the local date of its check-in, so a visit across midnight
is exported once, on the day it started. Open visits are included with an
empty check-out, so a coordinator sees who has not checked out.

Every cell goes through :func:`checkin_protocol.spreadsheet_cells.safe_cell`:
a name or title that would start a formula is written with a leading ``'``.
Any days Python can hold may be asked for (the window of events read around
them stops at the ends of the calendar); the CLI limits what a person types.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import IO

from checkin_protocol.models import ClockReading
from checkin_protocol.policy import AttendancePolicy
from checkin_protocol.report_days import check_report_days, widen_days
from checkin_protocol.spreadsheet_cells import safe_row
from checkin_protocol.visits import Visit, derive_visits
from kiosk.store.activities import activity_titles
from kiosk.store.database import Transaction
from kiosk.store.events import iter_events
from kiosk.store.roster import names_of_volunteers_with_events

CSV_COLUMNS = (
    "service_date",
    "volunteer_id",
    "name",
    "organisation",
    "activity_id",
    "activity_title",
    "check_in",
    "check_out",
    "method_in",
    "method_out",
    "credited_minutes",
    "credited_hours",
    "needs_review",
    "review_reasons",
)

# A visit is looked for among events up to this long before the first day, so
# that a visit that started on the day and ended after it is complete.
_MARGIN = timedelta(days=2)


def visits_between(db: Transaction, first: date, last: date, policy: AttendancePolicy) -> list[Visit]:
    """The visits whose service date lies in [first, last], in check-in order.

    Raises ``ValueError`` when ``last`` is before ``first``.
    """
    check_report_days(first, last)
    since, until = widen_days(first, last, _MARGIN, _MARGIN)
    ledger = derive_visits(iter_events(db, since_utc=since.isoformat(), until_utc=until.isoformat()), policy)
    return [v for v in ledger.visits if first <= v.service_date <= last]


def _local(reading: ClockReading | None) -> str:
    return "" if reading is None else reading.local.isoformat(timespec="seconds")


def write_visits_csv(db: Transaction, visits: Iterable[Visit], out: IO[str]) -> int:
    """Write the visits with names and titles; returns the number of rows written."""
    names = names_of_volunteers_with_events(db)
    titles = activity_titles(db)
    writer = csv.writer(out)
    writer.writerow(safe_row(CSV_COLUMNS))
    count = 0
    for visit in visits:
        name, org = names.get(visit.volunteer_id, ("", ""))
        check_out = visit.check_out
        writer.writerow(
            safe_row(
                [
                    visit.service_date.isoformat(),
                    visit.volunteer_id,
                    name,
                    org or "",
                    visit.activity_id,
                    titles.get(visit.activity_id, ""),
                    _local(visit.check_in.clock),
                    _local(check_out.clock if check_out else None),
                    visit.check_in.method.value,
                    check_out.method.value if check_out else "",
                    visit.credited_seconds // 60,
                    Decimal(f"{visit.credited_seconds / 3600:.2f}"),  # a number: never quoted as text
                    int(visit.needs_review),
                    " ".join(r.value for r in visit.review_reasons),
                ]
            )
        )
        count += 1
    return count
