"""Who is on site: names, phone tails and time on site, with manual and scanned check-ins."""

from __future__ import annotations

from pathlib import Path

from helpers.fakes import FakeClock, make_activity, make_service, open_test_store

from checkin_protocol.models import Identity, Method, utc
from kiosk.services.on_site import people_on_site
from kiosk.store.roster_import import import_roster


def test_the_people_on_site_with_their_names_phones_and_minutes(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "kiosk.db", make_activity("A1"))
    try:
        roster = tmp_path / "roster.csv"
        roster.write_text("volunteer_id,name,phone\nV1,雷彩霞,13812345678\nV2,王小明,\n", encoding="utf-8")
        import_roster(store.writer, roster)
        clock = FakeClock(wall=utc(2026, 11, 29, 1, 0))
        attendance = make_service(store, clock)
        for volunteer in ("V1", "V2", "V3"):
            attendance.scan(Identity(volunteer, "", Method.QR), "A1")
            clock.advance(600)
        attendance.scan(Identity("V2", "", Method.QR), "A1")  # V2 leaves
        people = people_on_site(store.writer, "A1", clock.now())
        assert [(p.volunteer_id, p.name, p.phone_tail, p.minutes_on_site) for p in people] == [
            ("V1", "雷彩霞", "5678", 30),
            ("V3", "V3", None, 10),  # not in the roster: the ID stands in for the name
        ]
        assert people[0].checked_in_local.strftime("%H:%M") == "09:00"
    finally:
        store.close()
