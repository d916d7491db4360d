"""A volunteer's credited total for the check-out card: the platform's, plus this kiosk's visits not in it.

The cloud sends each volunteer's total with their row (``volunteer_totals``).
It holds every visit the cloud had stored when the kiosk received it, so a
closed visit of this kiosk is added when its check-out had not reached the
cloud by then (docs/design-notes.md, "Platform totals (issue 18)"):

- not delivered yet: added;
- delivered after the total was received (``synced_utc``): added; the sync
  pushes before it pulls, so one delivered before was counted;
- delivered at or before it: already in the total;
- refused by the cloud: never counted there, and not added here either.

Without a platform total the figure is this kiosk's own total, and says so.
The platform total is as current as the kiosk's last complete update (a sync
round, or a USB update); when that is more than :data:`FRESH_FOR` ago, the
figure carries the local time it is as of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from checkin_protocol.event_rows import parse_utc
from checkin_protocol.models import ClockReading, Event
from checkin_protocol.policy import AttendancePolicy
from checkin_protocol.visits import Ledger, derive_visits
from kiosk.services.outcome import TotalSource
from kiosk.store import sync_state
from kiosk.store.database import Transaction
from kiosk.store.volunteer_totals import (
    Delivery,
    PlatformTotal,
    events_with_delivery,
    get_total,
    newest_update_bundle_utc,
)

#: How long a platform total passes as current without saying since when.
FRESH_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class VolunteerTotal:
    """The total the card shows: seconds, where they come from, and (when old) the local time they are as of."""

    seconds: int
    source: TotalSource
    as_of: datetime | None = None


@dataclass(frozen=True)
class VolunteerHours:
    """One read's worth: the visits of a volunteer at this kiosk and their total."""

    ledger: Ledger
    total: VolunteerTotal


def counted_by_platform(delivery: Delivery | None, synced: datetime) -> bool:
    """Whether the platform total received at ``synced`` (kiosk time) already holds a check-out in this state.

    A refused check-out counts as "held" so that it is not added: the platform never credits it.
    """
    if delivery is None:
        return False
    if delivery.rejected:
        return True
    delivered = parse_utc(delivery.delivered_utc)
    return delivered is not None and delivered <= synced


def not_yet_counted_seconds(
    ledger: Ledger, volunteer_id: str, deliveries: dict[str, Delivery], synced: datetime
) -> int:
    """The credited seconds of this kiosk's closed visits that the platform total received at ``synced`` lacks."""
    return sum(
        visit.credited_seconds
        for visit in ledger.visits
        if visit.volunteer_id == volunteer_id
        and visit.check_out is not None
        and not counted_by_platform(deliveries.get(visit.check_out.event_id), synced)
    )


def combined_total(
    ledger: Ledger,
    volunteer_id: str,
    deliveries: dict[str, Delivery],
    platform: PlatformTotal | None,
    current_as_of: datetime | None,
    now: ClockReading,
) -> VolunteerTotal:
    """The figure for the card; ``current_as_of`` is when the platform data was last complete (None: not known)."""
    if platform is None:
        return VolunteerTotal(ledger.total_credited_seconds(volunteer_id), TotalSource.KIOSK)
    synced = parse_utc(platform.synced_utc)
    if synced is None:  # unreadable: every visit here may be missing from it
        synced = datetime.min.replace(tzinfo=UTC)
    seconds = platform.total_seconds + not_yet_counted_seconds(ledger, volunteer_id, deliveries, synced)
    if current_as_of is None:
        current_as_of = synced
    if now.wall_utc - current_as_of <= FRESH_FOR:
        return VolunteerTotal(seconds, TotalSource.PLATFORM)
    local = current_as_of.astimezone(timezone(timedelta(minutes=now.utc_offset_min)))
    return VolunteerTotal(seconds, TotalSource.PLATFORM, local)


def platform_current_as_of(db: Transaction, platform: PlatformTotal) -> datetime | None:
    """When the kiosk's platform data was last complete (None: not known).

    The latest of: the end of its last fully successful sync round (which
    pulled every change), the cloud's time of the newest USB update imported,
    and the time the total itself was computed (else received).
    """
    candidates = (
        parse_utc(sync_state.get_value(db, sync_state.LAST_SUCCESS_UTC)),
        parse_utc(newest_update_bundle_utc(db)),
        parse_utc(platform.computed_utc) or parse_utc(platform.synced_utc),
    )
    known = [moment for moment in candidates if moment is not None]
    return max(known) if known else None


def volunteer_hours(
    db: Transaction, volunteer_id: str, policy: AttendancePolicy, now: ClockReading
) -> VolunteerHours:
    """The volunteer's visits at this kiosk and the total for the card (reads only)."""
    events, deliveries = events_with_delivery(db, volunteer_id)
    ledger = derive_visits(events, policy)
    platform = get_total(db, volunteer_id)
    as_of = None if platform is None else platform_current_as_of(db, platform)
    return VolunteerHours(ledger, combined_total(ledger, volunteer_id, deliveries, platform, as_of, now))


def visit_seconds_of(ledger: Ledger, check_out: Event) -> int | None:
    """The credited seconds of the visit ``check_out`` closed, or None when it closed none."""
    return next(
        (
            v.credited_seconds
            for v in ledger.visits
            if v.check_out is not None and v.check_out.event_id == check_out.event_id
        ),
        None,
    )
