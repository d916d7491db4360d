"""The coordinator PIN: hashed, never stored nor logged in clear, and guessing is locked out.

With one account, as before coordinator accounts; several accounts: ``test_coordinators.py``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers.fakes import FakeClock

from kiosk.services.pin import Coordinator, PinGuard, PinHash, is_valid_pin
from kiosk.services.pin_hash import is_pin_shaped
from kiosk.store.audit import verify_chain
from kiosk.store.database import Store, open_store
from kiosk.store.settings import set_setting, setting

KIOSK = "KPIN01"
PIN = "246810"
WRONG = "135790"


@pytest.fixture
def guard(store: Store, clock: FakeClock) -> PinGuard:
    guard = PinGuard(store, clock, KIOSK)
    guard.set_pin(PIN, actor="setup")
    return guard


def _audit(store: Store) -> list[tuple[str, str | None, dict[str, object]]]:
    rows = store.writer.execute("SELECT action, actor, detail FROM audit_log ORDER BY id").fetchall()
    return [(action, actor, json.loads(detail)) for action, actor, detail in rows]


def _cheap_hash(pin: str) -> PinHash:
    return PinHash.create(pin, n=2**4, r=1, p=1)  # fast, for the format tests


def _lock_out(guard: PinGuard) -> None:
    for _ in range(guard.max_attempts):
        guard.check(WRONG)


# -- the hash -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1234", "12345678", "0000"])
def test_pins_of_four_to_eight_ascii_digits_can_be_hashed_and_tried(text: str) -> None:
    assert is_pin_shaped(text)  # 4 and 5 digits: PINs set by earlier versions
    assert _cheap_hash(text).verify(text)


@pytest.mark.parametrize(
    ("text", "new"), [("1234", False), ("12345", False), ("123456", True), ("12345678", True)]
)
def test_only_six_to_eight_digits_make_a_new_pin(text: str, new: bool) -> None:
    assert is_valid_pin(text) is new


@pytest.mark.parametrize("text", ["", "123", "123456789", "12a4", " 1234", "1234\n", "١٢٣٤", "１２３４"])
def test_a_malformed_pin_cannot_be_set(text: str) -> None:
    assert not is_valid_pin(text) and not is_pin_shaped(text)
    with pytest.raises(ValueError, match="4 to 8 digits"):
        _cheap_hash(text)


def test_the_stored_hash_is_salted_scrypt_with_the_documented_costs() -> None:
    first, second = PinHash.create(PIN), PinHash.create(PIN)
    scheme, n, r, p, _salt, _key = str(first).split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert (len(first.salt), len(first.key)) == (16, 32)
    assert first.salt != second.salt and first.key != second.key
    assert PIN not in str(first) and PIN not in repr(first)
    parsed = PinHash.parse(str(first))
    assert parsed == first
    assert parsed.verify(PIN) and not parsed.verify(WRONG) and not parsed.verify("2468")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "bcrypt$16$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 44,
        "scrypt$16384$8$1$not base64!$" + "A" * 44,
        "scrypt$16383$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 44,  # n not a power of two
        "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$" + "A" * 44,  # would need 1 TiB
        "scrypt$16384$8$1$AAAA$" + "A" * 44,  # salt too short
        "scrypt$16384$8$1",
    ],
)
def test_a_damaged_stored_hash_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        PinHash.parse(text)


# -- the guard ------------------------------------------------------------------------------


def _stored_hash(store: Store, coordinator_id: str = "c1") -> str | None:
    row = store.writer.execute(
        "SELECT pin_hash FROM coordinators WHERE coordinator_id = ?", [coordinator_id]
    ).fetchone()
    return None if row is None else str(row[0])


def test_setting_the_pin_stores_only_a_hash_and_audits_without_the_pin(
    store: Store, clock: FakeClock
) -> None:
    guard = PinGuard(store, clock, KIOSK)
    assert not guard.has_pin()
    assert guard.set_pin(PIN, actor="setup") == Coordinator("c1", "coordinator")
    assert guard.has_pin()
    stored = _stored_hash(store)
    assert stored is not None and stored.startswith("scrypt$16384$8$1$") and PIN not in stored
    assert _audit(store) == [("coordinator.added", "setup", {"coordinator_id": "c1"})]
    with pytest.raises(ValueError):
        guard.set_pin("12")
    assert _stored_hash(store) == stored
    assert setting(store.writer, "coordinator_pin") is None  # the single-PIN setting is gone


def test_setting_the_pin_again_changes_the_first_account(guard: PinGuard, store: Store) -> None:
    assert guard.set_pin("135711", actor="setup") == Coordinator("c1", "coordinator")
    assert guard.coordinators() == [Coordinator("c1", "coordinator")]
    assert _audit(store)[-1] == ("pin.set", "setup", {"coordinator_id": "c1"})
    assert guard.check("135711").ok and not guard.check(PIN).ok


def test_the_right_pin_lets_the_coordinator_in(guard: PinGuard) -> None:
    result = guard.check(PIN)
    assert (result.ok, result.locked_until, result.attempts_left) == (True, None, 5)
    assert result.coordinator == Coordinator("c1", "coordinator")


def test_five_wrong_pins_lock_out_even_the_right_one(
    guard: PinGuard, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert [guard.check(WRONG).attempts_left for _ in range(4)] == [4, 3, 2, 1]
    locked = guard.check(WRONG)
    assert not locked.ok and locked.attempts_left == 0
    assert locked.locked_until == clock.wall + timedelta(seconds=300)

    def no_hashing(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a locked guard must not hash")

    monkeypatch.setattr(hashlib, "scrypt", no_hashing)
    clock.advance(299)
    refused = guard.check(PIN)
    assert (refused.ok, refused.locked_until) == (False, locked.locked_until)
    monkeypatch.undo()
    clock.advance(1)
    assert guard.check(PIN).ok


def test_a_lockout_that_ended_gives_all_tries_back(guard: PinGuard, clock: FakeClock) -> None:
    _lock_out(guard)
    clock.advance(301)
    assert guard.status().attempts_left == 5
    assert guard.check(WRONG).attempts_left == 4


def test_the_right_pin_resets_the_count_of_wrong_ones(guard: PinGuard) -> None:
    for _ in range(4):
        guard.check(WRONG)
    assert guard.check(PIN).ok
    results = [guard.check(WRONG) for _ in range(4)]
    assert results[-1].locked_until is None and results[-1].attempts_left == 1


def test_a_malformed_try_counts_as_a_wrong_one(guard: PinGuard) -> None:
    assert guard.check("").attempts_left == 4
    assert guard.check("abcd").attempts_left == 3


def test_status_shows_the_lockout_without_counting_a_try(guard: PinGuard, clock: FakeClock) -> None:
    guard.check(WRONG)
    assert guard.status().attempts_left == 4
    assert guard.status().attempts_left == 4
    _lock_out(guard)
    assert guard.status().locked_until == clock.wall + timedelta(seconds=300)


def test_restarting_the_program_does_not_lift_a_lockout_nor_forget_failures(
    tmp_path: Path, clock: FakeClock
) -> None:
    store = open_store(tmp_path / "k.db")
    PinGuard(store, clock, KIOSK).set_pin(PIN)
    for _ in range(3):
        PinGuard(store, clock, KIOSK).check(WRONG)
    store.close()
    store = open_store(tmp_path / "k.db")
    assert PinGuard(store, clock, KIOSK).check(WRONG).attempts_left == 1
    locked = PinGuard(store, clock, KIOSK).check(WRONG)
    store.close()
    clock.reboot()
    store = open_store(tmp_path / "k.db")
    try:
        refused = PinGuard(store, clock, KIOSK).check(PIN)
        assert not refused.ok and refused.locked_until == locked.locked_until
    finally:
        store.close()


def test_setting_the_clock_back_restarts_the_lockout_instead_of_lifting_it(
    guard: PinGuard, store: Store, clock: FakeClock
) -> None:
    _lock_out(guard)
    clock.jump_wall(-3600)
    refused = guard.check(PIN)
    assert not refused.ok and refused.locked_until == clock.wall + timedelta(seconds=300)
    assert _audit(store)[-1][0] == "pin.relocked"
    clock.advance(299)
    assert not guard.check(PIN).ok
    clock.advance(1)
    assert guard.check(PIN).ok


def test_a_clock_reset_to_2000_after_a_reboot_locks_for_minutes_not_years(
    guard: PinGuard, clock: FakeClock
) -> None:
    _lock_out(guard)
    clock.reboot()
    clock.wall = datetime(2000, 1, 1, tzinfo=UTC)
    assert not guard.check(PIN).ok
    clock.advance(300)
    assert guard.check(PIN).ok


def test_setting_the_clock_forward_does_not_shorten_the_lockout(guard: PinGuard, clock: FakeClock) -> None:
    _lock_out(guard)
    clock.advance(100)
    clock.jump_wall(3600)
    refused = guard.check(PIN)
    assert not refused.ok
    assert refused.locked_until == clock.wall + timedelta(seconds=200)
    clock.advance(199)
    assert not guard.check(PIN).ok
    clock.advance(1)
    assert guard.check(PIN).ok


def test_an_unreadable_lock_time_is_treated_as_locked(
    guard: PinGuard, store: Store, clock: FakeClock
) -> None:
    _lock_out(guard)
    with store.write() as db:
        set_setting(db, "pin_locked_until_utc", "garbage")
    assert guard.check(PIN).locked_until == clock.wall + timedelta(seconds=300)


def test_a_damaged_stored_pin_refuses_and_says_so_in_the_log(
    guard: PinGuard, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with store.write() as db:
        db.execute("UPDATE coordinators SET pin_hash = 'scrypt$garbage'")
    with caplog.at_level(logging.ERROR, logger="kiosk.services.pin"):
        assert not guard.check(PIN).ok
    assert "unreadable" in caplog.text


def test_the_audit_trail_has_counts_and_never_the_pin(guard: PinGuard, store: Store) -> None:
    _lock_out(guard)
    guard.check(PIN)  # refused while locked: not audited again
    actions = [action for action, _, _ in _audit(store)]
    assert actions == ["coordinator.added"] + ["pin.failed"] * 5 + ["pin.locked"]
    assert _audit(store)[5][2] == {"failures": 5, "attempts_left": 0}
    assert _audit(store)[6][2]["lockout_s"] == 300
    rows = store.writer.execute("SELECT detail, actor FROM audit_log").fetchall()
    assert not any(PIN in str(row) or WRONG in str(row) for row in rows)
    assert verify_chain(store.writer).ok
