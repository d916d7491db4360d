"""Who is on site at an activity right now, for the desk's list and the evacuation roll-call.

A plain read (any connection, no lock): the open visits of the activity with
each volunteer's name, the last digits of their phone (to call someone who
is missing) and how long they have been there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checkin_protocol.models import ClockReading
from kiosk.store import events as event_store
from kiosk.store.database import Transaction
from kiosk.store.roster import get_volunteer


@dataclass(frozen=True)
class OnSitePerson:
    """One volunteer on site: name, ID, phone tail, when they checked in (local) and minutes since."""

    volunteer_id: str
    name: str
    phone_tail: str | None
    checked_in_local: datetime
    minutes_on_site: int
    check_in_event_id: str


def people_on_site(db: Transaction, activity_id: str, now: ClockReading) -> list[OnSitePerson]:
    """The volunteers checked in at ``activity_id`` and not out, earliest first."""
    people = []
    for check_in in event_store.open_check_ins(db, activity_id):
        volunteer = get_volunteer(db, check_in.volunteer_id)
        phone = volunteer.phone if volunteer is not None else None
        digits = "".join(c for c in phone or "" if c.isdigit())
        seconds = max(0.0, now.seconds_since(check_in.clock))
        people.append(
            OnSitePerson(
                volunteer_id=check_in.volunteer_id,
                name=volunteer.name if volunteer is not None else check_in.volunteer_id,
                phone_tail=digits[-4:] if digits else None,
                checked_in_local=check_in.clock.local,
                minutes_on_site=int(seconds // 60),
                check_in_event_id=check_in.event_id,
            )
        )
    people.sort(key=lambda p: (p.checked_in_local, p.name))
    return people
