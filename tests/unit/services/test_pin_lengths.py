"""New PINs have at least 6 digits; shorter ones set before keep working, and ``kiosk doctor`` warns.

A scrypt hash does not tell a PIN's length, so the account remembers
whether its PIN is short: when the PIN is set, or, for a PIN set before
this was recorded, the next time it opens the desk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.fakes import FakeClock
from sqlite_utils import Database

from kiosk.cli.main import cli
from kiosk.services.doctor import Status, check_pins, run_checks
from kiosk.services.pin import Coordinator, PinGuard, PinHash, is_valid_pin
from kiosk.store.database import Store, open_store
from kiosk.store.migrations import MIGRATIONS

KIOSK = "KPIN04"
OLD_PIN = "2468"  # set by an earlier version, which allowed 4 digits
WANG_PIN = "246810"


def _insert_old_account(db: Database, coordinator_id: str, pin: str) -> None:
    """An account as an earlier version left it: a hash, and nothing said about the PIN's length."""
    db.execute(
        "INSERT INTO coordinators (coordinator_id, name, pin_hash, created_utc) VALUES (?, ?, ?, ?)",
        [
            coordinator_id,
            "王老师",
            str(PinHash.create(pin, n=2**4, r=1, p=1)),
            "2025-06-01T08:00:00.000+00:00",
        ],
    )


def _counts(store: Store) -> tuple[int, int, list[tuple[str, str]]]:
    coordinators = store.writer.execute("SELECT COUNT(*) FROM coordinators").fetchone()[0]
    audit = store.writer.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    hashes = store.writer.execute("SELECT coordinator_id, pin_hash FROM coordinators").fetchall()
    return coordinators, audit, hashes


@pytest.mark.parametrize("pin", ["1234", "12345", "123456789"])
def test_a_new_pin_of_fewer_than_6_or_more_than_8_digits_is_refused_everywhere(
    store: Store, clock: FakeClock, pin: str
) -> None:
    guard = PinGuard(store, clock, KIOSK)
    guard.add_coordinator("王老师", WANG_PIN, actor="setup")
    before = _counts(store)
    with pytest.raises(ValueError, match="6 to 8 digits"):
        guard.add_coordinator("李老师", pin, actor="setup")
    with pytest.raises(ValueError, match="6 to 8 digits"):
        guard.set_coordinator_pin("c1", pin, actor="cli")
    with pytest.raises(ValueError, match="6 to 8 digits"):
        guard.set_pin(pin, actor="demo")
    assert _counts(store) == before, "a refused PIN changes nothing"
    assert not is_valid_pin(pin)


@pytest.mark.parametrize("pin", ["123456", "1234567", "12345678"])
def test_six_to_eight_digits_make_a_pin(store: Store, clock: FakeClock, pin: str) -> None:
    assert is_valid_pin(pin)
    guard = PinGuard(store, clock, KIOSK)
    assert guard.add_coordinator("王老师", pin, actor="setup") == Coordinator("c1", "王老师")
    assert guard.check(pin).ok


def test_an_old_four_digit_pin_still_opens_the_desk_and_doctor_warns(store: Store, clock: FakeClock) -> None:
    with store.write() as db:
        _insert_old_account(db, "c1", OLD_PIN)
    guard = PinGuard(store, clock, KIOSK)
    guard.add_coordinator("李老师", "975310", actor="setup")

    unknown = check_pins(store.writer)
    assert unknown.name == "pins" and unknown.status is Status.WARN
    assert "c1" in unknown.detail and "c2" not in unknown.detail
    assert "kiosk coordinator set-pin c1" in unknown.detail

    result = guard.check(OLD_PIN)
    assert result.ok and result.coordinator == Coordinator("c1", "王老师")
    short = check_pins(store.writer)
    assert short.status is Status.WARN and "shorter than 6 digits" in short.detail
    assert "kiosk coordinator set-pin c1" in short.detail and "c2" not in short.detail
    assert OLD_PIN not in short.detail

    guard.set_coordinator_pin("c1", WANG_PIN, actor="cli")
    fixed = check_pins(store.writer)
    assert fixed.status is Status.OK and "2 coordinator PINs" in fixed.detail
    assert guard.check(WANG_PIN).coordinator == Coordinator("c1", "王老师") and not guard.check(OLD_PIN).ok


def test_a_wrong_try_teaches_nothing_about_the_length(store: Store, clock: FakeClock) -> None:
    with store.write() as db:
        _insert_old_account(db, "c1", OLD_PIN)
    guard = PinGuard(store, clock, KIOSK)
    assert not guard.check("13579").ok
    assert "set before" in check_pins(store.writer).detail


def test_doctor_runs_the_pin_check_with_the_store_checks(store: Store, clock: FakeClock) -> None:
    PinGuard(store, clock, KIOSK).add_coordinator("王老师", WANG_PIN, actor="setup")
    pins = [c for c in run_checks(store, clock.now()) if c.name == "pins"]
    assert [(c.status, c.detail) for c in pins] == [(Status.OK, "1 coordinator PIN of at least 6 digits")]


def test_a_kiosk_without_coordinators_has_nothing_to_warn_about(store: Store) -> None:
    assert check_pins(store.writer).status is Status.SKIPPED


def test_the_upgrade_keeps_old_pins_working_with_their_length_unknown(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="0010_pin_lockouts")
    with db.conn:
        _insert_old_account(db, "c1", OLD_PIN)
    db.close()
    store = open_store(path)
    try:
        row = store.writer.execute(
            "SELECT pin_short FROM coordinators WHERE coordinator_id = 'c1'"
        ).fetchone()
        assert row == (None,), "the length of a PIN set before is not known"
        assert PinGuard(store, clock, KIOSK).check(OLD_PIN).ok
        row = store.writer.execute(
            "SELECT pin_short FROM coordinators WHERE coordinator_id = 'c1'"
        ).fetchone()
        assert row == (1,)
    finally:
        store.close()


def test_a_database_the_self_test_reads_before_the_upgrade_gets_a_warning_not_a_crash(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    MIGRATIONS.apply(db, stop_before="0010_pin_lockouts")
    check = check_pins(db)
    db.close()
    assert check.status is Status.WARN and "could not be read" in check.detail


def _kiosk_cli(data: Path, *args: str, input: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(data), *args], input=input)
    return result.exit_code, result.output


def test_the_command_line_refuses_a_short_new_pin_and_changes_nothing(tmp_path: Path) -> None:
    assert _kiosk_cli(tmp_path, "coordinator", "add", "王老师", input=f"{WANG_PIN}\n{WANG_PIN}\n")[0] == 0
    for args, typed in (
        (("coordinator", "add", "李老师"), "1234\n1234\n"),
        (("coordinator", "add", "李老师", "--pin-file", "-"), "12345\n"),
        (("coordinator", "set-pin", "c1"), "2468\n2468\n"),
        (("coordinator", "set-pin", "c1", "--pin-file", "-"), "24680\n"),
    ):
        code, out = _kiosk_cli(tmp_path, *args, input=typed)
        assert code == 1, out
        assert "6 to 8 digits" in out and "nothing was changed" in out.lower()
    store = open_store(tmp_path / "kiosk.db")
    try:
        guard = PinGuard(store, FakeClock(), KIOSK)
        assert guard.coordinators() == [Coordinator("c1", "王老师")]
        assert guard.check(WANG_PIN).ok
    finally:
        store.close()
