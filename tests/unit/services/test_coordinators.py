"""Coordinator accounts: each with its own PIN, which tells the kiosk who got in; one shared lock-out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.fakes import FakeClock
from sqlite_utils import Database

from kiosk.cli.main import cli
from kiosk.services import pin as pin_module
from kiosk.services.pin import Coordinator, PinGuard, PinHash, PinInUseError
from kiosk.store.audit import verify_chain
from kiosk.store.database import Store, open_store
from kiosk.store.migrations import MIGRATIONS
from kiosk.store.settings import set_setting, setting

KIOSK = "KPIN02"
WANG_PIN = "246810"
LI_PIN = "864209"
WRONG = "135790"
WANG = Coordinator("c1", "王老师")
LI = Coordinator("c2", "李老师")


@pytest.fixture
def guard(store: Store, clock: FakeClock) -> PinGuard:
    guard = PinGuard(store, clock, KIOSK)
    guard.add_coordinator("王老师", WANG_PIN, actor="setup")
    guard.add_coordinator(" 李老师 ", LI_PIN, actor="setup")
    return guard


def _audit(store: Store) -> list[tuple[str, str | None, dict[str, object]]]:
    rows = store.writer.execute("SELECT action, actor, detail FROM audit_log ORDER BY id").fetchall()
    return [(action, actor, json.loads(detail)) for action, actor, detail in rows]


def _rows(store: Store) -> list[tuple[str, str, bool]]:
    rows = store.writer.execute(
        "SELECT coordinator_id, name, removed_utc IS NOT NULL FROM coordinators ORDER BY coordinator_id"
    ).fetchall()
    return [(cid, name, bool(removed)) for cid, name, removed in rows]


# -- accounts ---------------------------------------------------------------------------------


def test_each_coordinator_gets_in_as_themselves(guard: PinGuard, store: Store) -> None:
    assert guard.coordinators() == [WANG, LI]
    wang, li = guard.check(WANG_PIN), guard.check(LI_PIN)
    assert (wang.ok, wang.coordinator) == (True, WANG)
    assert (li.ok, li.coordinator) == (True, LI)
    assert guard.check(WRONG).coordinator is None
    oks = [(actor, detail) for action, actor, detail in _audit(store) if action == "pin.ok"]
    assert oks == [
        ("王老师 (c1)", {"after_failures": 0, "coordinator_id": "c1"}),
        ("李老师 (c2)", {"after_failures": 0, "coordinator_id": "c2"}),
    ]


def test_the_actor_names_the_account_in_at_most_64_characters() -> None:
    assert Coordinator("c2", "王老师").actor == "王老师 (c2)"
    long = Coordinator("c12", "张" * 70).actor
    assert len(long) == 64 and long.endswith("张 (c12)")


@pytest.mark.parametrize("name", ["", "   ", "王" * 41, "王\n老师", "王\u200b老师"])
def test_a_coordinator_needs_a_plain_name(guard: PinGuard, name: str) -> None:
    with pytest.raises(ValueError, match="name"):
        guard.add_coordinator(name, "111111", actor="setup")
    assert guard.coordinators() == [WANG, LI]


def test_a_pin_another_coordinator_uses_is_refused_and_nothing_changes(guard: PinGuard, store: Store) -> None:
    before = _rows(store)
    with pytest.raises(PinInUseError, match="already uses this PIN"):
        guard.add_coordinator("赵老师", LI_PIN, actor="setup")
    with pytest.raises(ValueError, match="already uses this PIN"):
        guard.set_coordinator_pin("c1", LI_PIN, actor="setup")
    assert _rows(store) == before
    assert guard.check(WANG_PIN).coordinator == WANG and guard.check(LI_PIN).coordinator == LI
    refusals = [(actor, detail) for action, actor, detail in _audit(store) if action == "pin.refused_in_use"]
    assert refusals == [("setup", {}), ("setup", {"coordinator_id": "c1"})]


def test_a_coordinator_can_change_their_own_pin(guard: PinGuard, store: Store) -> None:
    assert guard.set_coordinator_pin("c2", LI_PIN, actor="李老师 (c2)") == LI  # the same one again: fine
    assert guard.set_coordinator_pin("c2", "975310", actor="李老师 (c2)") == LI
    assert guard.check("975310").coordinator == LI
    assert not guard.check(LI_PIN).ok
    assert ("pin.set", "李老师 (c2)", {"coordinator_id": "c2"}) in _audit(store)


def test_a_removed_coordinators_pin_stops_working_and_the_row_stays(guard: PinGuard, store: Store) -> None:
    assert guard.remove_coordinator("c1", actor="李老师 (c2)") == WANG
    assert guard.coordinators() == [LI]
    assert not guard.check(WANG_PIN).ok
    assert _rows(store) == [("c1", "王老师", True), ("c2", "李老师", False)]
    listed = guard.accounts(include_removed=True)
    assert [(a.coordinator, a.active) for a in listed] == [(WANG, False), (LI, True)]
    assert listed[0].removed_utc is not None and listed[0].created_utc is not None
    assert _audit(store)[-2][:2] == ("coordinator.removed", "李老师 (c2)")
    # IDs are never reused, and the PIN of the removed account is free again.
    assert guard.add_coordinator("王老师", WANG_PIN, actor="setup") == Coordinator("c3", "王老师")
    assert guard.check(WANG_PIN).coordinator == Coordinator("c3", "王老师")
    with pytest.raises(ValueError, match="c1 was removed"):
        guard.set_coordinator_pin("c1", "555555", actor="setup")


def test_the_last_coordinator_cannot_be_removed(guard: PinGuard, store: Store) -> None:
    guard.remove_coordinator("c2", actor="setup")
    with pytest.raises(ValueError, match="last coordinator"):
        guard.remove_coordinator("c1", actor="setup")
    with pytest.raises(ValueError, match="no coordinator c9"):
        guard.remove_coordinator("c9", actor="setup")
    assert guard.coordinators() == [WANG] and guard.has_pin()


def test_the_number_of_active_coordinators_is_capped(
    guard: PinGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pin_module, "MAX_ACTIVE_COORDINATORS", 2)
    with pytest.raises(ValueError, match="at most 2 coordinators"):
        guard.add_coordinator("赵老师", "111111", actor="setup")
    guard.remove_coordinator("c2", actor="setup")
    assert guard.add_coordinator("赵老师", "111111", actor="setup") == Coordinator("c3", "赵老师")


def test_set_pin_changes_the_first_account_and_leaves_the_others(guard: PinGuard) -> None:
    assert guard.set_pin("135711", actor="setup") == WANG
    assert guard.check("135711").coordinator == WANG and guard.check(LI_PIN).coordinator == LI


def test_set_pin_on_an_empty_kiosk_creates_the_named_account(store: Store, clock: FakeClock) -> None:
    guard = PinGuard(store, clock, KIOSK)
    assert guard.set_pin(WANG_PIN, actor="demo", name="演示协调员") == Coordinator("c1", "演示协调员")


# -- the shared lock-out ----------------------------------------------------------------------


def test_wrong_tries_count_for_all_accounts_and_lock_them_all(guard: PinGuard, clock: FakeClock) -> None:
    assert [guard.check(WRONG).attempts_left for _ in range(4)] == [4, 3, 2, 1]
    assert guard.check(LI_PIN).coordinator == LI  # anyone's right PIN resets the count
    for _ in range(4):
        guard.check(WRONG)
    locked = guard.check(WRONG)
    assert locked.locked_until is not None
    for right in (WANG_PIN, LI_PIN):
        refused = guard.check(right)
        assert (refused.ok, refused.coordinator, refused.locked_until) == (False, None, locked.locked_until)
    clock.advance(300)
    assert guard.check(WANG_PIN).coordinator == WANG


def test_setting_a_pin_lifts_the_lock_out(guard: PinGuard) -> None:
    for _ in range(5):
        guard.check(WRONG)
    assert guard.status().locked_until is not None
    guard.set_coordinator_pin("c2", "975310", actor="cli")
    assert guard.status().locked_until is None
    assert guard.check("975310").coordinator == LI


def test_a_damaged_hash_of_one_account_leaves_the_others_working(guard: PinGuard, store: Store) -> None:
    with store.write() as db:
        db.execute("UPDATE coordinators SET pin_hash = 'scrypt$garbage' WHERE coordinator_id = 'c1'")
    assert not guard.check(WANG_PIN).ok
    assert guard.check(LI_PIN).coordinator == LI


def test_the_audit_log_never_holds_a_pin(guard: PinGuard, store: Store) -> None:
    guard.check(WANG_PIN)
    guard.check(LI_PIN)
    with pytest.raises(PinInUseError):
        guard.add_coordinator("赵老师", WANG_PIN, actor="setup")
    guard.set_coordinator_pin("c1", "975310", actor="cli")
    guard.remove_coordinator("c2", actor="cli")
    for _ in range(5):
        guard.check(WRONG)
    rows = store.writer.execute("SELECT actor, action, detail FROM audit_log").fetchall()
    assert len(rows) >= 12
    for pin in (WANG_PIN, LI_PIN, "975310", WRONG):
        assert not any(pin in str(row) for row in rows)
    assert verify_chain(store.writer).ok


# -- the single PIN of earlier versions -------------------------------------------------------


def _database_at_schema_4(path: Path, old_pin_hash: str | None) -> None:
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="0005_coordinator_desk")
    assert "coordinators" not in db.table_names()
    if old_pin_hash is not None:
        with db.conn:
            set_setting(db, "coordinator_pin", old_pin_hash)  # as PinGuard.set_pin kept it then
    db.close()


def test_the_single_pin_of_an_older_kiosk_becomes_account_c1(tmp_path: Path, clock: FakeClock) -> None:
    _database_at_schema_4(tmp_path / "k.db", str(PinHash.create(WANG_PIN, n=2**4, r=1, p=1)))
    store = open_store(tmp_path / "k.db")
    try:
        guard = PinGuard(store, clock, KIOSK)
        assert guard.coordinators() == [Coordinator("c1", "coordinator")]
        assert guard.check(WANG_PIN).coordinator == Coordinator("c1", "coordinator")
        assert guard.add_coordinator("李老师", LI_PIN, actor="cli") == Coordinator("c2", "李老师")
        assert setting(store.writer, "coordinator_pin") is None  # the old hash does not linger
    finally:
        store.close()


def test_an_older_kiosk_without_a_pin_has_no_account(tmp_path: Path, clock: FakeClock) -> None:
    _database_at_schema_4(tmp_path / "k.db", None)
    store = open_store(tmp_path / "k.db")
    try:
        guard = PinGuard(store, clock, KIOSK)
        assert not guard.has_pin() and guard.coordinators() == []
        assert not guard.check(WANG_PIN).ok
    finally:
        store.close()


# -- the command line -------------------------------------------------------------------------


def _kiosk(data: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(data), *args], input=input)
    return result.exit_code, result.output


def _cli_guard(data: Path) -> tuple[Store, PinGuard]:
    store = open_store(data / "kiosk.db")
    return store, PinGuard(store, FakeClock(), KIOSK)


def test_the_cli_adds_lists_changes_and_removes_coordinators(tmp_path: Path) -> None:
    code, out = _kiosk(tmp_path, "coordinator", "add", "王老师", input=f"{WANG_PIN}\n{WANG_PIN}\n")
    assert code == 0, out
    assert "Added coordinator 王老师 (c1)." in out and WANG_PIN not in out
    code, out = _kiosk(tmp_path, "coordinator", "add", "李老师", "--pin-file", "-", input=f"{LI_PIN}\n")
    assert code == 0 and "李老师 (c2)" in out

    code, out = _kiosk(tmp_path, "coordinator", "add", "赵老师", "--pin-file", "-", input=f"{LI_PIN}\n")
    assert code == 1 and "already uses this PIN" in out and "nothing was changed" in out
    code, out = _kiosk(tmp_path, "coordinator", "add", "赵老师", input="123456\n654321\n")
    assert code == 1  # the two PINs differ: asked again, and the input ran out
    code, out = _kiosk(tmp_path, "coordinator", "add", "赵老师", "--pin-file", "-", input="12\n")
    assert code == 1 and "6 to 8 digits" in out and "12" not in out
    code, out = _kiosk(tmp_path, "coordinator", "list")
    assert code == 0
    assert [line.split("\t")[:2] for line in out.splitlines()] == [["c1", "王老师"], ["c2", "李老师"]]

    pin_file = tmp_path / "new-pin.txt"
    pin_file.write_text("975310\n", encoding="utf-8")
    code, out = _kiosk(tmp_path, "coordinator", "set-pin", "c1", "--pin-file", str(pin_file))
    assert code == 0 and "王老师 (c1)" in out
    code, out = _kiosk(tmp_path, "coordinator", "set-pin", "c7", input="555555\n555555\n")
    assert code == 1 and "no active coordinator c7" in out
    code, out = _kiosk(tmp_path, "coordinator", "remove", "c2")
    assert code == 0 and "Removed coordinator 李老师 (c2)." in out
    code, out = _kiosk(tmp_path, "coordinator", "remove", "c1")
    assert code == 1 and "last coordinator" in out
    code, out = _kiosk(tmp_path, "coordinator", "list", "--all")
    assert "c2\t李老师" in out and "removed" in out

    store, guard = _cli_guard(tmp_path)
    try:
        assert guard.check("975310").coordinator == WANG
        assert not guard.check(LI_PIN).ok
        actors = {actor for action, actor, _ in _audit(store) if action.startswith("coordinator.")}
        assert actors == {"cli"}
    finally:
        store.close()


def test_the_demo_coordinator_has_a_name_and_the_demo_pin(tmp_path: Path) -> None:
    code, out = _kiosk(tmp_path, "demo-data", "--volunteers", "3")
    assert code == 0, out
    code, out = _kiosk(tmp_path, "coordinator", "list")
    assert out.splitlines()[0].split("\t")[:2] == ["c1", "演示协调员"]
    store, guard = _cli_guard(tmp_path)
    try:
        assert guard.check("123456").coordinator == Coordinator("c1", "演示协调员")
    finally:
        store.close()
