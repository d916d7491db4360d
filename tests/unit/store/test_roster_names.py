"""The names the touch keyboard's pinyin offers: active volunteers, the most recently seen first."""

from __future__ import annotations

from pathlib import Path

from helpers.fakes import FakeClock, make_activity, make_service

from checkin_protocol.models import ActivityStatus, Identity, Method
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.database import Store
from kiosk.store.roster import names_for_typing
from kiosk.store.roster_import import import_roster

ROSTER = (
    "volunteer_id,name,phone,active\n"
    "V000000001,雷彩霞,,1\nV000000002,王小明,,1\nV000000003,李静,,0\nV000000004,刘芳,,1\nV000000005,王小明,,1\n"
)


def test_recently_seen_volunteers_come_first_then_the_roster_without_the_inactive(
    store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert import_roster(store.writer, roster).imported
    activity = make_activity()
    with store.write() as db:
        save_activity(db, activity)
        set_activity_status(db, activity.activity_id, ActivityStatus.OPEN)
    make_service(store, clock).scan(Identity("V000000004", "刘*", Method.QR), activity.activity_id)

    names = names_for_typing(store.writer, 10)
    assert names[0] == "刘芳", "the volunteer seen last is offered first"
    assert sorted(names) == sorted(["刘芳", "雷彩霞", "王小明"]), "each name once, no inactive volunteer"
    assert names_for_typing(store.writer, 1) == ["刘芳"]
    assert names_for_typing(store.writer, 0) == []
