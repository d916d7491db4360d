"""Applying /changes pages: idempotent, deletes work, the cursor moves only with its page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from helpers.fakes import KIOSK_ID, FakeClock

from checkin_protocol.codes.issuer import generate_signing_key, public_key_b64
from checkin_protocol.models import Action, Event, Method
from kiosk.services.ids import new_event_id
from kiosk.store.database import Store
from kiosk.store.events import append_event
from kiosk.store.sync_state import trust_conflicts
from kiosk.store.trust import load_revocations, load_trusted_keys
from kiosk.sync import pull
from kiosk.sync.errors import SyncError
from kiosk.sync.pull import Change, ChangesPage, apply_page, parse_changes_page, stored_cursor

AT = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
KEY_A = public_key_b64(generate_signing_key())
KEY_B = public_key_b64(generate_signing_key())


def _activity(activity_id: str = "A1", title: str = "图书馆志愿服务") -> dict[str, Any]:
    return {
        "activity_id": activity_id,
        "title": title,
        "org_id": "ORG1",
        "org_name": "江城市志愿服务联合会",
        "org_level": "city",
        "venue": "江城市图书馆",
        "starts_at": "2026-11-29T01:00:00.000+00:00",
        "ends_at": "2026-11-29T05:00:00.000+00:00",
        "category": "文化服务",
        "capacity": 30,
        "checkin_opens_before_min": 30,
        "checkin_closes_after_start_min": None,
        "signup_required": True,
    }


def up(kind: str, key: str, data: dict[str, Any]) -> Change:
    return Change(kind, "upsert", key, data)


def delete(kind: str, key: str) -> Change:
    return Change(kind, "delete", key, None)


ROSTER_PAGE = ChangesPage(
    (
        up("organisation", "ORG1", {"org_id": "ORG1", "name": "联合会", "level": "city", "parent_id": None}),
        up(
            "volunteer",
            "V1",
            {"volunteer_id": "V1", "name": "雷彩霞", "phone": None, "org_id": "ORG1", "active": True},
        ),
        up(
            "volunteer",
            "V/2",
            {"volunteer_id": "V/2", "name": "王芳", "phone": "13800000000", "org_id": None, "active": False},
        ),
        up("activity", "A1", _activity()),
        up("signup", "A1/V1", {"activity_id": "A1", "volunteer_id": "V1"}),
        up("signup", "A1/V/2", {"activity_id": "A1", "volunteer_id": "V/2"}),
        up("revocation", "V1/2", {"volunteer_id": "V1", "card_no": 2, "reason": "lost"}),
        up("trusted_key", "k1", {"key_id": "k1", "public_key": KEY_A}),
    ),
    next_cursor="8",
    more=False,
)


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables = (
        "organisations",
        "volunteers",
        "activities",
        "signups",
        "revocations",
        "trusted_keys",
        "sync_state",
    )
    return {t: [tuple(r) for r in store.writer.execute(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in tables}


def test_a_page_fills_every_table_with_its_cursor(store: Store) -> None:
    result = apply_page(store, ROSTER_PAGE, AT)
    assert result.applied == 8 and result.problems == [] and result.trust_changed
    db = store.writer
    assert db.execute("SELECT volunteer_id, active FROM volunteers ORDER BY volunteer_id").fetchall() == [
        ("V/2", 0),
        ("V1", 1),
    ]
    assert db.execute("SELECT status, source, starts_at FROM activities").fetchall() == [
        ("scheduled", "cloud", "2026-11-29T01:00:00.000+00:00")
    ]
    assert db.execute("SELECT COUNT(*) FROM signups").fetchone()[0] == 2
    assert load_revocations(db).is_revoked("V1", 2)
    assert load_trusted_keys(db).public_b64("k1") == KEY_A
    assert stored_cursor(db) == "8"


def test_applying_a_page_twice_changes_nothing(store: Store) -> None:
    apply_page(store, ROSTER_PAGE, AT)
    before = _snapshot(store)
    apply_page(store, ROSTER_PAGE, datetime(2027, 1, 1, tzinfo=UTC))
    assert _snapshot(store) == before


def test_deletes_remove_rows_even_with_slashes_in_their_ids(store: Store) -> None:
    apply_page(store, ROSTER_PAGE, AT)
    page = ChangesPage(
        (
            delete("signup", "A1/V/2"),
            delete("volunteer", "V/2"),
            delete("revocation", "V1/2"),
            delete("organisation", "ORG1"),
            delete("trusted_key", "k1"),
            delete("activity", "A1"),
            delete("volunteer", "never-existed"),
        ),
        "15",
        False,
    )
    result = apply_page(store, page, AT)
    assert result.problems == [] and result.trust_changed
    db = store.writer
    assert db.execute("SELECT activity_id, volunteer_id FROM signups").fetchall() == [("A1", "V1")]
    assert db.execute("SELECT volunteer_id FROM volunteers").fetchall() == [("V1",)]
    assert not load_revocations(db).is_revoked("V1", 2), "a lifted revocation must let the card in again"
    assert len(load_trusted_keys(db)) == 0
    assert db.execute("SELECT COUNT(*) FROM activities").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM organisations").fetchone()[0] == 0


def test_an_update_keeps_the_status_a_coordinator_set(store: Store) -> None:
    apply_page(store, ROSTER_PAGE, AT)
    store.writer.execute("UPDATE activities SET status = 'open'")
    store.writer.conn.commit()
    apply_page(store, ChangesPage((up("activity", "A1", _activity(title="新标题")),), "9", False), AT)
    assert store.writer.execute("SELECT title, status FROM activities").fetchall() == [("新标题", "open")]


def test_a_deleted_activity_with_events_here_is_closed_not_removed(store: Store) -> None:
    apply_page(store, ROSTER_PAGE, AT)
    clock = FakeClock()
    event = Event(new_event_id(), KIOSK_ID, 1, "V1", "A1", Action.CHECK_IN, Method.QR, clock.now())
    with store.write() as db:
        append_event(db, event)
    apply_page(store, ChangesPage((delete("activity", "A1"),), "9", False), AT)
    assert store.writer.execute("SELECT status FROM activities").fetchall() == [("closed",)]


def test_a_key_id_naming_another_key_is_not_overwritten_but_recorded(store: Store) -> None:
    apply_page(store, ROSTER_PAGE, AT)
    result = apply_page(
        store, ChangesPage((up("trusted_key", "k1", {"key_id": "k1", "public_key": KEY_B}),), "9", False), AT
    )
    assert load_trusted_keys(store.writer).public_b64("k1") == KEY_A, "a trusted key must never be replaced"
    assert len(result.problems) == 1 and "k1" in result.problems[0]
    assert trust_conflicts(store.writer) == ["k1"]
    assert stored_cursor(store.writer) == "9", "the rest of the page still applies"


def test_a_change_that_cannot_be_stored_is_skipped_and_reported(store: Store) -> None:
    page = ChangesPage(
        (
            up(
                "volunteer",
                "V9",
                {"volunteer_id": "V9", "name": None, "phone": None, "org_id": None, "active": True},
            ),
            up("organisation", "O9", {"org_id": "O9", "name": "x", "level": "galaxy", "parent_id": None}),
            up("gadget", "G1", {"x": 1}),
            Change("volunteer", "merge", "V1", None),
            up(
                "volunteer",
                "V1",
                {"volunteer_id": "V1", "name": "雷彩霞", "phone": None, "org_id": None, "active": True},
            ),
        ),
        "5",
        False,
    )
    result = apply_page(store, page, AT)
    assert result.applied == 1 and len(result.problems) == 4
    assert store.writer.execute("SELECT volunteer_id FROM volunteers").fetchall() == [("V1",)]
    assert store.writer.execute("SELECT COUNT(*) FROM organisations").fetchone()[0] == 0
    assert all("雷彩霞" not in p for p in result.problems), "problems are logged: IDs only, no names"


def test_a_failure_while_applying_leaves_no_change_and_the_old_cursor(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_page(
        store, ChangesPage((up("trusted_key", "k1", {"key_id": "k1", "public_key": KEY_A}),), "1", False), AT
    )
    before = _snapshot(store)

    def crash(*args: object) -> None:
        raise OSError("the disk went away")

    monkeypatch.setitem(pull._UPSERTS, "signup", crash)  # the 5th change of the page
    with pytest.raises(OSError):
        apply_page(store, ROSTER_PAGE, AT)
    assert _snapshot(store) == before, "a half-applied page must leave nothing behind"
    assert stored_cursor(store.writer) == "1", "the cursor must not move past a page that was not applied"
    monkeypatch.undo()
    apply_page(store, ROSTER_PAGE, AT)
    assert stored_cursor(store.writer) == "8"


@pytest.mark.parametrize(
    "reply",
    [
        {},
        {"changes": [], "next_cursor": 5, "more": False},
        {"changes": [1], "next_cursor": "5", "more": False},
        {"changes": [{"kind": "volunteer", "op": "upsert"}], "next_cursor": "5", "more": False},
        {
            "changes": [{"kind": "v", "op": "upsert", "key": "k", "data": [1]}],
            "next_cursor": "5",
            "more": False,
        },
    ],
)
def test_a_page_of_the_wrong_shape_is_refused_before_anything_is_applied(reply: dict[str, Any]) -> None:
    with pytest.raises(SyncError):
        parse_changes_page(reply)
