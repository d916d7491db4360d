"""Visits derived from events: events are facts, visits are computed.

:func:`derive_visits` reads events (from one kiosk, or merged from several)
and returns a :class:`Ledger`. It runs the same way on a kiosk, for display,
and on the server, as the truth, so two kiosks that were both offline agree
once their events meet.

Every input event ends up in exactly one place: an applied undo
(``Ledger.undos``), an undone event (``Ledger.undone``), one visit (as its
check-in or check-out), or ``Ledger.flagged`` with a :class:`FlagReason`.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from checkin_protocol.hours import credited_seconds, visit_raw_seconds
from checkin_protocol.models import Action, ClockReading, Event, local_date
from checkin_protocol.policy import AttendancePolicy


class ReviewReason(StrEnum):
    """Why a coordinator should look at a visit."""

    AUTO_CLOSED = "auto_closed"  # the volunteer forgot to check out
    CLOCK_JUMP = "clock_jump"  # the wall clock moved unlike the monotonic clock
    NEGATIVE_DURATION = "negative_duration"  # the check-out seems earlier than the check-in
    CAPPED = "capped"  # the time exceeded the per-visit cap
    SUPERSEDED_CHECK_IN = "superseded_check_in"  # checked in again without checking out


class FlagReason(StrEnum):
    """Why an event is part of no visit."""

    OUT_WITHOUT_IN = "out_without_in"  # a check-out with no open check-in
    UNDO_TARGET_UNKNOWN = "undo_target_unknown"  # the undone event is not among the events
    UNDO_OF_UNDO = "undo_of_undo"  # undo events cannot be undone
    UNDO_REPEATED = "undo_repeated"  # the target was already undone by an earlier undo
    DUPLICATE_EVENT_ID = "duplicate_event_id"  # a second copy of an event already seen


@dataclass(frozen=True, slots=True)
class FlaggedEvent:
    """An event that belongs to no visit, and why."""

    event: Event
    reason: FlagReason


@dataclass(frozen=True, slots=True)
class Visit:
    """A check-in and, once the volunteer left, its check-out.

    ``check_out`` is ``None`` while the volunteer is on site, and for a
    check-in superseded by a later one (flagged ``SUPERSEDED_CHECK_IN``).
    ``raw_seconds`` is what the clocks say (``None`` without a check-out);
    ``credited_seconds`` is the service time after the check-out's override
    credit if any, rounding and the cap (0 without a check-out).
    ``service_date`` is the local date of the check-in: a visit across
    midnight counts to the day it started.
    """

    volunteer_id: str
    activity_id: str
    check_in: Event
    check_out: Event | None
    raw_seconds: float | None
    credited_seconds: int
    service_date: date
    review_reasons: tuple[ReviewReason, ...] = ()

    @property
    def needs_review(self) -> bool:
        """Whether a coordinator should look at this visit."""
        return bool(self.review_reasons)

    @property
    def is_open(self) -> bool:
        """Whether the volunteer is on site: no check-out and not superseded."""
        return self.check_out is None and ReviewReason.SUPERSEDED_CHECK_IN not in self.review_reasons


@dataclass(frozen=True, slots=True)
class Ledger:
    """The result of :func:`derive_visits`.

    ``visits`` are in check-in order; ``flagged`` events in event order.
    ``undos`` are the undo events applied and ``undone`` the events they cancelled.
    """

    visits: list[Visit]
    flagged: list[FlaggedEvent]
    undos: list[Event] = field(default_factory=list)
    undone: list[Event] = field(default_factory=list)

    def open_visits(self) -> list[Visit]:
        """The visits of volunteers still on site."""
        return [visit for visit in self.visits if visit.is_open]

    def total_credited_seconds(self, volunteer_id: str) -> int:
        """A volunteer's credited service time over all their visits, in seconds."""
        return sum(v.credited_seconds for v in self.visits if v.volunteer_id == volunteer_id)

    def on_site(self, activity_id: str) -> list[Visit]:
        """The open visits at one activity."""
        return [v for v in self.visits if v.is_open and v.activity_id == activity_id]


def event_sort_key(event: Event) -> tuple[datetime, str, int]:
    """The order of events from several kiosks: wall time, then kiosk, then sequence."""
    return (event.clock.wall_utc, event.kiosk_id, event.seq)


def order_events(events: Iterable[Event]) -> list[Event]:
    """Events in processing order.

    Each kiosk's events are kept in ``seq`` order, which is the truth for one
    kiosk even when its wall clock went back. Several kiosks' streams are then
    merged by :func:`event_sort_key`; the merge only compares the heads of the
    streams, so no kiosk's own order is ever changed.
    """
    by_kiosk: dict[str, list[Event]] = {}
    for event in events:
        by_kiosk.setdefault(event.kiosk_id, []).append(event)
    streams = [sorted(by_kiosk[kiosk_id], key=lambda e: (e.seq, e.event_id)) for kiosk_id in sorted(by_kiosk)]
    if len(streams) == 1:
        return streams[0]
    return list(heapq.merge(*streams, key=event_sort_key))


def clock_jumped(earlier: ClockReading, later: ClockReading, tolerance_s: float) -> bool:
    """Whether the wall clock moved suspiciously between two readings.

    Within one boot: the wall and monotonic differences disagree by more than
    ``tolerance_s``. Across boots: the wall clock went back.
    """
    wall_s = (later.wall_utc - earlier.wall_utc).total_seconds()
    if later.boot_id != earlier.boot_id:
        return wall_s < 0
    monotonic_s = (later.monotonic_ns - earlier.monotonic_ns) / 1e9
    return abs(wall_s - monotonic_s) > tolerance_s


def closed_visit(check_in: Event, check_out: Event, policy: AttendancePolicy) -> Visit:
    """The visit bounded by ``check_in`` and ``check_out``, with its credit and review reasons.

    The check-out's ``credit_seconds``, when set, replaces the clock time as
    the basis of the credit; rounding and the cap apply either way.
    """
    raw = visit_raw_seconds(check_in, check_out)
    reasons: list[ReviewReason] = []
    if check_out.auto_closed:
        reasons.append(ReviewReason.AUTO_CLOSED)
    if clock_jumped(check_in.clock, check_out.clock, policy.clock_jump_tolerance_s):
        reasons.append(ReviewReason.CLOCK_JUMP)
    if raw < 0:
        reasons.append(ReviewReason.NEGATIVE_DURATION)
    basis = raw if check_out.credit_seconds is None else float(check_out.credit_seconds)
    if basis > policy.cap_per_visit_s:
        reasons.append(ReviewReason.CAPPED)
    return Visit(
        volunteer_id=check_in.volunteer_id,
        activity_id=check_in.activity_id,
        check_in=check_in,
        check_out=check_out,
        raw_seconds=raw,
        credited_seconds=credited_seconds(basis, policy),
        service_date=local_date(check_in.clock),
        review_reasons=tuple(reasons),
    )


def _unclosed_visit(check_in: Event, superseded: bool) -> Visit:
    reasons = (ReviewReason.SUPERSEDED_CHECK_IN,) if superseded else ()
    return Visit(
        volunteer_id=check_in.volunteer_id,
        activity_id=check_in.activity_id,
        check_in=check_in,
        check_out=None,
        raw_seconds=None,
        credited_seconds=0,
        service_date=local_date(check_in.clock),
        review_reasons=reasons,
    )


def _apply_undos(
    ordered: list[Event], by_id: dict[str, Event], flag: dict[int, FlaggedEvent]
) -> tuple[set[str], list[int]]:
    """Return the ids of undone events and the positions of the undos applied."""
    undone_ids: set[str] = set()
    applied: list[int] = []
    for position, event in enumerate(ordered):
        if event.action is not Action.UNDO or position in flag:
            continue
        target = by_id.get(event.ref_event_id) if event.ref_event_id is not None else None
        if target is None:
            flag[position] = FlaggedEvent(event, FlagReason.UNDO_TARGET_UNKNOWN)
        elif target.action is Action.UNDO:
            flag[position] = FlaggedEvent(event, FlagReason.UNDO_OF_UNDO)
        elif target.event_id in undone_ids:
            flag[position] = FlaggedEvent(event, FlagReason.UNDO_REPEATED)
        else:
            undone_ids.add(target.event_id)
            applied.append(position)
    return undone_ids, applied


def derive_visits(events: Iterable[Event], policy: AttendancePolicy) -> Ledger:
    """Pair check-ins with check-outs into visits, after applying undos.

    Events are put in order by :func:`order_events`. Undo events and the
    events they name are set aside first (wherever they sit in the order).
    Then, per volunteer and activity, a check-in opens a visit and a
    check-out closes it. A second check-in while one is open keeps the
    earlier as an unclosed visit flagged ``SUPERSEDED_CHECK_IN`` (credit 0);
    a check-out with nothing open is flagged ``OUT_WITHOUT_IN``. Visits still
    open at the end stay open: the volunteer is on site.
    """
    ordered = order_events(events)
    flag: dict[int, FlaggedEvent] = {}
    by_id: dict[str, Event] = {}
    for position, event in enumerate(ordered):
        if event.event_id in by_id:
            flag[position] = FlaggedEvent(event, FlagReason.DUPLICATE_EVENT_ID)
        else:
            by_id[event.event_id] = event
    undone_ids, applied = _apply_undos(ordered, by_id, flag)

    visits: list[tuple[int, Visit]] = []
    open_check_ins: dict[tuple[str, str], tuple[int, Event]] = {}
    undone_positions: list[int] = []
    for position, event in enumerate(ordered):
        if position in flag or event.action is Action.UNDO:
            continue
        if event.event_id in undone_ids:
            undone_positions.append(position)
            continue
        key = (event.volunteer_id, event.activity_id)
        if event.action is Action.CHECK_IN:
            superseded = open_check_ins.get(key)
            if superseded is not None:
                visits.append((superseded[0], _unclosed_visit(superseded[1], superseded=True)))
            open_check_ins[key] = (position, event)
        else:
            opened = open_check_ins.pop(key, None)
            if opened is None:
                flag[position] = FlaggedEvent(event, FlagReason.OUT_WITHOUT_IN)
            else:
                visits.append((opened[0], closed_visit(opened[1], event, policy)))
    for position, check_in in open_check_ins.values():
        visits.append((position, _unclosed_visit(check_in, superseded=False)))

    visits.sort(key=lambda item: item[0])
    return Ledger(
        visits=[visit for _, visit in visits],
        flagged=[flag[position] for position in sorted(flag)],
        undos=[ordered[position] for position in applied],
        undone=[ordered[position] for position in undone_positions],
    )
