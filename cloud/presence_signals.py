"""Signals of checking in for someone else, kept with the visits (issue 18; docs/dashboard.md, "Presence signals").

A signal marks a kept visit (``visit_facts``) that staff should look at
because somebody may have checked in *for* the volunteer. Three kinds:

- ``two_places``: the volunteer was on site at two different venues at
  overlapping times. Each visit counts from its check-in to its check-out
  (the corrected times the visits use); an open visit, an auto-closed one
  and one whose check-out is not after its check-in count as the second of
  the check-in only (the check-in is all that was seen). The venues are the
  activities' (spaces and case ignored), both known and different, and the
  check-ins were at different kiosks (one kiosk is in one place, whatever
  two activities' venues say). Visits that only touch (one ends as the
  other starts) do not overlap.
- ``same_credential_seconds``: the volunteer checked in at two different
  kiosks within :data:`SAME_CREDENTIAL_SECONDS` of each other, at one venue
  or two: the way a card or its screenshot, handed on, is used while its
  owner checks in too.
- ``card_after_pass``: the check-in showed a card (``events.credential``)
  while the volunteer had a phone pass in use (registered before the
  check-in, not revoked by then): a pass is on one phone, a card may be in
  anyone's hand.

The first two mark both visits, each naming the other; the third names
the pass. Two visits are compared only when their check-ins are at most
:data:`WINDOW` apart (a visit longer than a day is already flagged
``capped`` or auto-closed) and fewer than :data:`NEIGHBOURS` of the
volunteer's check-ins lie between them. Both limits make the signals
local: a push recomputes them **around the visits it changed** (read by
index within ±:data:`WINDOW`, then the :data:`NEIGHBOURS` on each side) and
writes only the difference, so a repeated push writes nothing, an undo that
removes a visit removes its signals, a rebuild of the visits rebuilds them,
and a volunteer with thousands of visits in a day (a kiosk gone wrong, a
load test) costs a bounded amount per push.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from enum import StrEnum

from checkin_protocol.visits import ReviewReason
from cloud.dashboard_queries import VisitFact
from cloud.protocol import format_time
from cloud.queries import Writer
from cloud.signal_queries import PassSpan, PresenceSignal, SignalDetail, SignalVisit, Window

#: Two check-ins of one volunteer at two kiosks this close are flagged. Two minutes: well above what
#: is left of two kiosks' clock difference once the cloud corrects their times (seconds), and below
#: what it takes one person to finish at one kiosk, walk to another and be scanned there.
SAME_CREDENTIAL_SECONDS = 120
#: Visits whose check-ins are further apart than this are never compared.
WINDOW = timedelta(hours=24)
#: Nor are two visits with this many of the volunteer's check-ins between them: more than any honest
#: day holds, and it bounds what a volunteer with thousands of visits in a day (a kiosk gone wrong) costs.
NEIGHBOURS = 8
_SEEN_FOR = timedelta(seconds=1)  # how long a visit known only by its check-in counts as on site


class SignalKind(StrEnum):
    """Why a visit looks like somebody checked in for someone else."""

    TWO_PLACES = "two_places"
    SAME_CREDENTIAL_SECONDS = "same_credential_seconds"
    CARD_AFTER_PASS = "card_after_pass"


# The codes as plain text, as the table holds them (a push compares thousands of signals).
_TWO_PLACES = SignalKind.TWO_PLACES.value
_SAME_CREDENTIAL_SECONDS = SignalKind.SAME_CREDENTIAL_SECONDS.value
_CARD_AFTER_PASS = SignalKind.CARD_AFTER_PASS.value


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True, slots=True)
class _Seen:
    """A visit as the pair rules read it: [start, until) on site, and its venue as compared."""

    visit: SignalVisit
    start: datetime
    until: datetime
    venue: str | None

    @classmethod
    def of(cls, visit: SignalVisit) -> _Seen:
        start = _time(visit.check_in_utc)
        until = start + _SEEN_FOR
        if visit.check_out_utc is not None and ReviewReason.AUTO_CLOSED.value not in visit.review.split():
            until = max(until, _time(visit.check_out_utc))
        venue = None if visit.venue is None else " ".join(visit.venue.split()).casefold() or None
        return cls(visit, start, until, venue)


def _pair_kinds(a: _Seen, b: _Seen) -> list[str]:
    """The signals between two visits of one volunteer whose check-ins are within :data:`WINDOW`."""
    if a.visit.kiosk_id == b.visit.kiosk_id:
        return []
    kinds = []
    if a.venue and b.venue and a.venue != b.venue and a.start < b.until and b.start < a.until:
        kinds.append(_TWO_PLACES)
    if abs((a.start - b.start).total_seconds()) <= SAME_CREDENTIAL_SECONDS:
        kinds.append(_SAME_CREDENTIAL_SECONDS)
    return kinds


def _marked(visit: SignalVisit, kind: str, other_id: str, other_utc: str) -> PresenceSignal:
    return PresenceSignal(
        visit_id=visit.visit_id,
        signal=kind,
        other_id=other_id,
        volunteer_id=visit.volunteer_id,
        service_date=visit.service_date,
        check_in_utc=visit.check_in_utc,
        other_utc=other_utc,
    )


def _pass_in_use(visit: SignalVisit, passes: Sequence[PassSpan]) -> PassSpan | None:
    """The newest pass registered before the visit's check-in and not revoked by then."""
    at = _time(visit.check_in_utc)
    in_use = [
        span
        for span in passes
        if _time(span.created_utc) <= at and (span.revoked_utc is None or _time(span.revoked_utc) > at)
    ]
    return max(in_use, key=lambda span: _time(span.created_utc), default=None)


def _order(visit: SignalVisit | VisitFact) -> tuple[str, str]:
    """A volunteer's visits in check-in order (protocol time text sorts as time), ties by ID."""
    return visit.check_in_utc, visit.visit_id


def find_signals(visits: Iterable[SignalVisit], passes: Sequence[PassSpan] = ()) -> set[PresenceSignal]:
    """The signals among consecutive visits of one volunteer (``passes``: theirs, for ``card_after_pass``).

    Two visits are compared when their check-ins are at most :data:`WINDOW`
    apart and fewer than :data:`NEIGHBOURS` of the given visits checked in
    between them; given a run of the volunteer's visits with none left out,
    that is the rule over all of their visits.
    """
    ordered = [_Seen.of(visit) for visit in sorted(visits, key=_order)]
    found: set[PresenceSignal] = set()
    for position, seen in enumerate(ordered):
        visit = seen.visit
        for later in ordered[position + 1 : position + 1 + NEIGHBOURS]:
            if later.start - seen.start > WINDOW:
                break
            for kind in _pair_kinds(seen, later):
                found.add(_marked(visit, kind, later.visit.visit_id, later.visit.check_in_utc))
                found.add(_marked(later.visit, kind, visit.visit_id, visit.check_in_utc))
        if visit.credential == "card":
            in_use = _pass_in_use(visit, passes)
            if in_use is not None:
                found.add(_marked(visit, _CARD_AFTER_PASS, in_use.pass_id, in_use.created_utc))
    return found


def signal_windows(visits: Iterable[VisitFact]) -> list[Window]:
    """Per volunteer, the check-ins of ``visits`` ± :data:`WINDOW`, overlapping ranges merged."""
    check_ins: dict[str, list[datetime]] = defaultdict(list)
    for visit in visits:
        check_ins[visit.volunteer_id].append(_time(visit.check_in_utc))
    windows: list[Window] = []
    for volunteer_id, moments in sorted(check_ins.items()):
        merged: list[list[datetime]] = []
        for moment in sorted(moments):
            if merged and moment - WINDOW <= merged[-1][1]:
                merged[-1][1] = moment + WINDOW
            else:
                merged.append([moment - WINDOW, moment + WINDOW])
        windows += [(volunteer_id, format_time(first), format_time(last)) for first, last in merged]
    return windows


@dataclass
class _Run:
    """Consecutive visits of one volunteer whose signals among themselves are derived again.

    ``first``..``last`` (exclusive) index the volunteer's visits read, in
    :func:`_order`; ``gone``: the IDs of visits no longer kept whose place was there.
    """

    first: int
    last: int
    gone: set[str] = field(default_factory=set)


def _runs(ordered: list[SignalVisit], changed: Iterable[VisitFact]) -> list[_Run]:
    """Around each changed visit, the visits whose pairs it can change: its :data:`NEIGHBOURS` on each side
    within :data:`WINDOW` (a pair changes only if it holds the visit or has it between its two); overlapping
    runs merged."""
    keys = [_order(visit) for visit in ordered]
    times = [visit.check_in_utc for visit in ordered]
    runs: list[_Run] = []
    for visit in changed:
        at = bisect_left(keys, _order(visit))
        kept = at < len(keys) and keys[at] == _order(visit)
        moment = _time(visit.check_in_utc)
        first = max(at - NEIGHBOURS, bisect_left(times, format_time(moment - WINDOW)))
        last = min(at + NEIGHBOURS + int(kept), bisect_right(times, format_time(moment + WINDOW)))
        runs.append(_Run(first, last, set() if kept else {visit.visit_id}))
    merged: list[_Run] = []
    for run in sorted(runs, key=lambda run: run.first):
        if merged and run.first <= merged[-1].last:
            merged[-1].last = max(merged[-1].last, run.last)
            merged[-1].gone |= run.gone
        else:
            merged.append(run)
    return merged


def keep_signals(writer: Writer, around: Iterable[VisitFact]) -> int:
    """Derive again the signals the visits ``around`` can have changed (as kept now or before); rows written.

    Runs in ``writer``'s transaction after the visits were kept. The
    volunteers' visits within :data:`WINDOW` of ``around`` are read by index;
    around each visit of ``around``, the run of :func:`_runs`; the signals
    with both visits in one run (a ``card_after_pass`` with its visit there)
    are derived again, and only the difference is written. Work and rows
    stay bounded by :data:`NEIGHBOURS` however many visits a volunteer has;
    credentials are read only for volunteers with a phone pass.
    """
    changed: dict[str, list[VisitFact]] = defaultdict(list)
    for fact in around:
        changed[fact.volunteer_id].append(fact)
    windows = signal_windows(fact for facts in changed.values() for fact in facts)
    if not windows:
        return 0
    visits: dict[str, list[SignalVisit]] = defaultdict(list)
    for visit in writer.signal_visits(windows):
        visits[visit.volunteer_id].append(visit)
    passes = writer.pass_spans(changed)
    runs: list[tuple[str, list[SignalVisit], _Run]] = []
    for volunteer_id, facts in changed.items():
        ordered = sorted(visits[volunteer_id], key=_order)
        runs += [(volunteer_id, ordered[run.first : run.last], run) for run in _runs(ordered, facts)]
    credentials = writer.event_credentials(
        visit.visit_id for volunteer_id, members, _ in runs if volunteer_id in passes for visit in members
    )
    wanted: set[PresenceSignal] = set()
    run_of: dict[str, int] = {}  # visit ID -> its run: the signals' scope
    for number, (volunteer_id, members, run) in enumerate(runs):
        if volunteer_id in passes:  # only then can a credential flag a visit
            members = [replace(visit, credential=credentials.get(visit.visit_id)) for visit in members]
        wanted |= find_signals(members, passes.get(volunteer_id, []))
        run_of.update({visit.visit_id: number for visit in members} | dict.fromkeys(run.gone, number))
    kept = {
        signal
        for signal in writer.signals_of_visits(run_of)
        if (signal.signal == _CARD_AFTER_PASS or run_of.get(signal.other_id) == run_of[signal.visit_id])
    }
    gone, came = kept - wanted, wanted - kept
    writer.replace_signals(gone, came)
    return len(gone) + len(came)


def _local(text: str | None, utc_offset_min: int) -> str:
    if text is None:
        return "?"
    return _time(text).astimezone(timezone(timedelta(minutes=utc_offset_min))).isoformat(timespec="minutes")


def describe_signal(detail: SignalDetail, utc_offset_min: int) -> str:
    """A signal in words for the report (times at ``utc_offset_min``, as the report's visit times).

    ``two_places with 西山村活动室 (A2 at kiosk K2, 2026-12-04T09:00+08:00 to 11:00)``;
    ``card_after_pass: phone pass P0A1B2C3D4E since 2026-12-01T10:00+08:00``.
    """
    if detail.signal == SignalKind.CARD_AFTER_PASS.value:
        return (
            f"{detail.signal}: phone pass {detail.other_id} since {_local(detail.other_utc, utc_offset_min)}"
        )
    check_in = _local(detail.check_in_utc or detail.other_utc, utc_offset_min)
    check_out = _local(detail.check_out_utc, utc_offset_min)
    if check_out[:11] == check_in[:11]:  # the same day: the time is enough
        check_out = check_out[11:16]
    until = f" to {check_out}" if detail.check_out_utc is not None else ", not checked out"
    place = detail.venue or "an activity the roster does not know"
    return (
        f"{detail.signal} with {place} ({detail.activity_id} at kiosk {detail.kiosk_id}, {check_in}{until})"
    )
