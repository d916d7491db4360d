"""The reads behind face check-in's likely volunteers: who came to this kiosk lately.

Who is on site and who signed up are read with :func:`kiosk.store.events.on_site`
and :func:`kiosk.store.activities.signed_up`; this module adds the one query
they do not answer (see :mod:`kiosk.services.face_candidates`).
"""

from __future__ import annotations

from sqlite_utils import Database

# Volunteers with a check-in or check-out since :since that no undo cancelled.
# An undo comes after the event it cancels, so the undos since :since are enough.
# INDEXED BY: for DISTINCT the planner would otherwise scan the whole history in
# volunteer order (90 ms instead of 4 ms with 200,000 events older than the window).
_RECENT_VISITORS = """
SELECT DISTINCT volunteer_id FROM events INDEXED BY events_wall
WHERE wall_utc >= :since AND action != 'undo'
  AND event_id NOT IN (
      SELECT ref_event_id FROM events
      WHERE wall_utc >= :since AND action = 'undo' AND ref_event_id IS NOT NULL
  )
"""


def recent_visitors(db: Database, since_utc: str) -> list[str]:
    """The volunteers checked in or out here at or after ``since_utc`` (``format_utc`` text), undone ones left out.

    The store holds this kiosk's own events only (they are pushed to the
    cloud, never pulled from it), so these are the visitors of this kiosk.
    """
    return [str(row[0]) for row in db.execute(_RECENT_VISITORS, {"since": since_utc})]
