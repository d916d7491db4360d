"""Visits kept ready for the dashboard: re-derived for each volunteer a push touches.

The platform's truth is the events; a visit is what
:func:`checkin_protocol.visits.derive_visits` pairs from them, by the
reports' rules (:func:`cloud.reports.for_ordering`: corrected times, boots
of one kiosk). Pairing ten million events per dashboard request is out of
the question, so the visits are kept as rows (``visit_facts``, with the
activity's organisation and category) and summed per day
(``daily_totals``), and kept true by re-deriving:

- **on every push**, in its write transaction, the visits of each
  (volunteer, activity) it stored an event of, from that pair's events
  (visits are per volunteer and activity, so nothing else can change; a
  pair has a few events, read by index);
- **when an activity changes** (its organisation or category), the visits of
  the volunteers who served it;
- **when a database first gets these tables**, all of them, once
  (:func:`ensure_dashboard_ready`, run when the cloud opens its data).

The organisation tree's closure (``org_ancestors``) is rebuilt with every
roster import, in the import's transaction.

Each volunteer's **platform total** (``volunteer_totals``: the sum of their
kept visits' credited seconds, sent to kiosks with the volunteer) is
recomputed with their visits, in the same transaction: on a push, for every
volunteer it stored an event of, stamped with the push's time whether or not
the sum moved (so the kiosk that pushed pulls a total that includes its
events, with a newer time); on an activity's change or a rebuild, written
only where it differs (the organisation does not change a sum) or is missing.

The **presence signals** of the volunteers (:mod:`cloud.presence_signals`:
at two places at once, two kiosks within seconds, a card after a phone
pass) follow too, in the same transaction: on a push, around the visits it
changed; on an activity's change or a rebuild, around all that were re-derived.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from checkin_protocol.policy import AttendancePolicy
from checkin_protocol.visits import Visit, derive_visits
from cloud.dashboard_queries import VisitFact
from cloud.presence_signals import keep_signals
from cloud.protocol import format_time
from cloud.queries import StoredEvent, Writer
from cloud.reports import for_ordering
from cloud.storage import Storage

#: Bumped when the kept visits must be rebuilt (a change of the rules or of the tables).
#: 2: presence signals (cloud.presence_signals) are kept with the visits.
FACTS_VERSION = "2"
FACTS_VERSION_SETTING = "dashboard_facts_version"


def visit_fact(visit: Visit, placement: tuple[str | None, str] | None) -> VisitFact:
    """The kept row of ``visit``; ``placement`` is its activity's (organisation, category) if known."""
    org_id, category = placement if placement is not None else (None, "")
    check_out = visit.check_out
    return VisitFact(
        visit_id=visit.check_in.event_id,
        volunteer_id=visit.volunteer_id,
        activity_id=visit.activity_id,
        org_id=org_id,
        category=category,
        service_date=visit.service_date.isoformat(),
        check_in_utc=format_time(visit.check_in.clock.wall_utc),
        check_out_utc=format_time(check_out.clock.wall_utc) if check_out is not None else None,
        kiosk_id=visit.check_in.kiosk_id,
        credited_seconds=visit.credited_seconds,
        on_site=int(visit.is_open),
        review=" ".join(reason.value for reason in visit.review_reasons),  # on site is not a reason here
    )


def _derived_facts(
    writer: Writer, event_groups: Iterable[list[StoredEvent]], policy: AttendancePolicy
) -> list[VisitFact]:
    visits: list[Visit] = []
    for events in event_groups:
        visits += derive_visits((for_ordering(stored) for stored in events), policy).visits
    placements = writer.activity_placements(v.activity_id for v in visits)
    return [visit_fact(v, placements.get(v.activity_id)) for v in visits]


def refresh_pairs(
    writer: Writer,
    pairs: Iterable[tuple[str, str]],
    policy: AttendancePolicy | None = None,
    *,
    computed_at: datetime | None = None,
    pushed: bool = False,
) -> int:
    """Re-derive and keep the visits of each (volunteer, activity) in ``pairs``, in ``writer``'s transaction.

    Visits pair per volunteer and activity (undos name an event of the same
    volunteer and activity: the kiosk makes them so), so re-deriving a pair
    from its own events gives what a derivation from every event would. A
    handful of statements for the whole batch (events, kept visits and
    activities read by ``IN``, changes written by ``executemany``); the
    events read are those of the pairs only, not each volunteer's history.
    The volunteers' platform totals follow, computed at ``computed_at``
    (default: now); ``pushed``: the pairs are those a push stored events of,
    so every total is stamped anew. Returns the visits kept.
    """
    wanted = sorted(set(pairs))
    if not wanted:
        return 0
    facts = _derived_facts(writer, writer.events_of_pairs(wanted).values(), policy or AttendancePolicy())
    kept = writer.visit_facts_of_pairs(wanted)
    writer.replace_visit_facts(kept, facts)
    # A push changes signals only around the visits it changed; an activity's change (its venue) around all.
    keep_signals(writer, set(kept) ^ set(facts) if pushed else [*kept, *facts])
    _keep_totals(writer, (volunteer for volunteer, _ in wanted), computed_at, restamp=pushed)
    return len(facts)


def _keep_totals(
    writer: Writer, volunteer_ids: Iterable[str], computed_at: datetime | None, *, restamp: bool
) -> None:
    moment = computed_at if computed_at is not None else datetime.now(UTC)
    writer.keep_volunteer_totals(volunteer_ids, format_time(moment), restamp=restamp)


def refresh_volunteers(
    writer: Writer,
    volunteer_ids: Iterable[str],
    policy: AttendancePolicy | None = None,
    *,
    computed_at: datetime | None = None,
) -> int:
    """Re-derive and keep every visit of ``volunteer_ids`` and their totals (a rebuild's step); visits kept."""
    wanted = sorted(set(volunteer_ids))
    if not wanted:
        return 0
    facts = _derived_facts(writer, writer.events_of_volunteers(wanted).values(), policy or AttendancePolicy())
    kept = writer.visit_facts_of(wanted)
    writer.replace_visit_facts(kept, facts)
    keep_signals(writer, [*kept, *facts])
    _keep_totals(writer, wanted, computed_at, restamp=False)
    return len(facts)


def refresh_activity(writer: Writer, activity_id: str, computed_at: datetime | None = None) -> int:
    """Re-derive the visits of the volunteers who served ``activity_id`` (after it changed)."""
    return refresh_pairs(
        writer,
        ((volunteer, activity_id) for volunteer in writer.volunteers_of_activity(activity_id)),
        computed_at=computed_at,
    )


def rebuild_all(writer: Writer, computed_at: datetime | None = None) -> int:
    """Forget and re-derive every kept visit, the volunteers' totals, and the organisation tree; visits kept.

    Events are never deleted, so every volunteer with a totals row is among
    those re-derived: no total is left behind.
    """
    writer.rebuild_org_ancestors()
    writer.clear_visit_facts()
    writer.clear_presence_signals()
    kept, after = 0, ""
    while batch := writer.volunteers_with_events(after, 1000):
        kept += refresh_volunteers(writer, batch, computed_at=computed_at)
        after = batch[-1]
    writer.set_setting(FACTS_VERSION_SETTING, FACTS_VERSION)
    return kept


def ensure_dashboard_ready(store: Storage, now: datetime | None = None) -> bool:
    """Build the kept visits if this database has not got them (yet, or in this version); whether it did.

    ``now``: the time the totals it writes are computed at (default: now).
    Safe with several workers starting at once: the check is inside the
    write transaction, so the second finds the work done.
    """
    with store.read() as reader:
        if reader.setting(FACTS_VERSION_SETTING) == FACTS_VERSION:
            return False
    with store.write() as writer:
        if writer.setting(FACTS_VERSION_SETTING) == FACTS_VERSION:
            return False
        rebuild_all(writer, now)
    return True
