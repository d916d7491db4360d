"""Who is likely in front of this kiosk: the tiers of candidates face check-in searches first.

The kiosk knows who can be there, so a face is first compared with few
volunteers (see :class:`kiosk.face.matching.Candidates`; within a tier the
runner-up is the nearest other volunteer *of the tier*, and anyone outside it
who is as close hands the decision to a wider search):

0. **on site**: checked in and not out at an open activity of this kiosk. A
   check-out can only come from them.
1. **signed up**: on the sign-up list of an open activity (an activity
   without a list adds nobody).
2. **came lately**: checked in or out at this kiosk within
   :data:`RECENT_VISITS` (undone events do not count).

The whole area gallery comes after them (implicitly, in
:meth:`Gallery.identify <kiosk.face.matching.Gallery.identify>`). A volunteer
is in the first tier that holds them only, and an empty tier is dropped (so
:attr:`Match.tier <kiosk.face.matching.Match.tier>` 0 is the first tier with
anyone in it: on site when anyone is). A revoked card or an inactive
roster entry is not looked at here: the scan service refuses such a volunteer
whatever tier found them.

Pure reads on the given connection, small and fast. Measured on a store with
500 volunteers on site at two open activities, 2,000 sign-ups and 20,000
events within the window (5,000 volunteers came lately), on a shared 2-core
machine: one call takes about 15 ms (median), most of it the window's events
(:func:`~kiosk.store.face_candidate_queries.recent_visitors`, 200,000 older
events add nothing); about 25 ms when all 20,000 events belong to one open
activity, whose on-site query then reads them all. The writer thread makes it
after a check-in, off the screen's thread.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import ActivityStatus
from kiosk.face.matching import Candidates
from kiosk.store import activities as activity_store
from kiosk.store import events as event_store
from kiosk.store.database import Transaction
from kiosk.store.face_candidate_queries import recent_visitors

RECENT_VISITS = timedelta(days=60)
"""How far back a visit to this kiosk makes a volunteer a likely face.

Volunteers come back to the same venue on a rhythm of weeks (a weekly or
monthly activity): 60 days holds two monthly rounds and a holiday's gap, so a
regular is still in the tier when they return. A longer window would grow the
tier towards the whole area's gallery, where it no longer narrows the search
(the point of a tier is to be small: fewer near neighbours to lose against).
"""


def face_candidates(db: Transaction, now: datetime) -> Candidates:
    """The tiers of likely volunteers at ``now`` (UTC): on site, signed up, came lately (see the module)."""
    open_ids = [a.activity_id for a in activity_store.list_activities(db, ActivityStatus.OPEN)]
    on_site = {volunteer for a in open_ids for volunteer, _ in event_store.on_site(db, a)}
    signed_up = {volunteer for a in open_ids for volunteer in activity_store.signed_up(db, a)}
    came_lately = recent_visitors(db, format_utc(now - RECENT_VISITS))
    return Candidates.of(on_site, signed_up, came_lately)
