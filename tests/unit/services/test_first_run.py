"""The first-run setup's progress in the store: the step to resume at, the finish, and how provisioned."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.fakes import KIOSK_ID, FakeClock, open_test_store

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.trust import CODE_PURPOSES
from kiosk.services import first_run
from kiosk.services.pin import PinGuard
from kiosk.store import sync_state as state
from kiosk.store.trust import trust_key

NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def test_a_fresh_kiosk_needs_the_setup_and_resumes_at_the_saved_step(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    db = store.writer
    assert first_run.needs_setup(db)
    assert first_run.read_progress(db) == first_run.SetupProgress("language", None, None)
    with store.write() as w:
        first_run.save_step(w, "camera")
        first_run.save_provisioning_choice(w, "offline")
    assert first_run.read_progress(db) == first_run.SetupProgress("camera", None, "offline")
    with store.write() as w:
        first_run.finish_setup(w, KIOSK_ID, NOW)
    progress = first_run.read_progress(db)
    assert progress.finished and progress.finished_utc == "2026-11-29T01:00:00.000+00:00"
    assert not first_run.needs_setup(db)
    audit = db.execute("SELECT action, detail FROM audit_log").fetchall()
    assert [(action, json.loads(detail)) for action, detail in audit] == [
        ("setup.finished", {"provisioning": "offline"})
    ]
    with pytest.raises(ValueError):
        first_run.save_step(db, "somewhere")
    with pytest.raises(ValueError):
        first_run.save_provisioning_choice(db, "carrier pigeon")


def test_a_kiosk_set_up_by_the_command_line_before_the_setup_existed_counts_as_set_up(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    with store.write() as db:
        trust_key(db, "p1", Issuer(generate_signing_key(), "p1").public_key_b64, "cloud", NOW, CODE_PURPOSES)
    assert first_run.needs_setup(store.writer)  # keys, but nobody can open the desk
    PinGuard(store, FakeClock(), KIOSK_ID).add_coordinator("王芳", "246813", actor=None)
    assert not first_run.needs_setup(store.writer)
    with store.write() as db:
        first_run.save_step(db, "camera")  # ... unless a setup was started and not finished
    assert first_run.needs_setup(store.writer)


def test_how_the_kiosk_is_provisioned(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    key = Issuer(generate_signing_key(), "x").public_key_b64
    assert first_run.provisioning_state(store.writer) == first_run.ProvisioningState(
        "none", None, None, None, ()
    )
    assert not first_run.provisioning_state(store.writer).can_verify_cards
    with store.write() as db:
        trust_key(db, "demo1", key, "demo", NOW, CODE_PURPOSES)
    assert first_run.provisioning_state(store.writer).kind == "demo"
    with store.write() as db:
        trust_key(db, "test1", Issuer(generate_signing_key(), "y").public_key_b64, "test", NOW, CODE_PURPOSES)
    assert first_run.provisioning_state(store.writer).kind == "keys"
    with store.write() as db:
        state.set_value(db, state.BUNDLE_PUBLIC_KEY, "b")
        state.set_value(db, state.AREA_ID, "north")
    usb = first_run.provisioning_state(store.writer)
    assert (usb.kind, usb.area_id, usb.server_url) == ("usb", "north", None)
    with store.write() as db:
        for name, value in (
            (state.SERVER_URL, "https://c.org"),
            (state.DEVICE_ID, "K1"),
            (state.DEVICE_SECRET, "s"),
        ):
            state.set_value(db, name, value)
    online = first_run.provisioning_state(store.writer)
    assert (online.kind, online.server_url, online.device_id) == ("online", "https://c.org", "K1")
    assert online.trusted_keys == ("demo1", "test1") and online.can_verify_cards
