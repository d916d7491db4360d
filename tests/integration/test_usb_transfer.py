"""USB transfer between a kiosk that never sees a network and the reference cloud, through real files.

The kiosk and the cloud are real (a kiosk data folder, a cloud data folder);
the "stick" is a folder both write to. Every refusal is checked to change
nothing on either side.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.cloud_server import kiosk_event_rows, running_cloud
from helpers.fakes import FakeClock, append_events

from checkin_protocol.bundle_files import BundleError, build_bundle, new_header, read_bundle, write_bundle
from checkin_protocol.event_rows import event_to_row
from checkin_protocol.models import Action, Event, Method
from checkin_protocol.sealed import b64, unb64
from cloud.bundles import export_changes, import_events_bundle, provisioning_bundle
from cloud.instance import CloudInstance, init_instance
from cloud.reports import build_report
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import KIOSK_ID_FILE_NAME, DataDir, load_config
from kiosk.services.ids import new_event_id
from kiosk.store import sync_state as state
from kiosk.store.audit import verify_chain
from kiosk.store.events import append_event
from kiosk.store.outbox import waiting_count
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport
from kiosk.sync.usb import UsbError, export_events, import_bundles
from kiosk.sync.usb_setup import register_offline


@dataclass
class Venue:
    """One offline kiosk, the cloud it reports to, and the stick between them."""

    kiosk: Kiosk
    cloud: CloudInstance
    stick: Path
    code: str = ""

    @property
    def clock(self) -> FakeClock:
        assert isinstance(self.kiosk.clock, FakeClock)
        return self.kiosk.clock

    def now(self) -> Any:
        return self.clock.now().wall_utc

    def export(self) -> list[Path]:
        return [b.path for b in export_events(self.kiosk.store, self.kiosk.kiosk_id, self.stick, self.now())]

    def cloud_import(self, path: Path) -> Path:
        """Import one events bundle at the cloud; write its receipt to the stick and return it."""
        result = import_events_bundle(self.cloud, path.read_bytes(), self.cloud.clock())
        return write_bundle(result.receipt, self.stick / f"receipt-{result.bundle_id}.kbundle")

    def cloud_changes(self) -> Path:
        export = export_changes(self.cloud, self.kiosk.kiosk_id, self.cloud.clock())
        return write_bundle(export.bundle, self.stick / f"changes-{export.next_cursor}.kbundle")

    def kiosk_import(self, path: Path) -> Any:
        report = import_bundles(self.kiosk.store, self.kiosk.kiosk_id, path, self.now())
        if report.trust_changed:
            self.kiosk.reload_trust()
        return report

    def round_trip(self) -> None:
        """Export, import everything at the cloud, bring receipts and an update back."""
        for path in self.export():
            self.cloud_import(path)
        self.cloud_changes()
        self.kiosk_import(self.stick)


def _kiosk(folder: Path, name: str = "K-OFFLINE") -> Kiosk:
    folder.mkdir(parents=True)
    (folder / KIOSK_ID_FILE_NAME).write_text(name + "\n", encoding="ascii")
    config = load_config(DataDir(folder, "cli"), env={})
    return build_kiosk(config, clock=FakeClock())


@pytest.fixture
def venue(tmp_path: Path, cloud_instance: CloudInstance) -> Iterator[Venue]:
    stick = tmp_path / "stick"
    stick.mkdir()
    code, setup = provisioning_bundle(cloud_instance, "library", cloud_instance.clock())
    write_bundle(setup, stick / "setup.kbundle")
    kiosk = _kiosk(tmp_path / "kiosk")
    register_offline(kiosk.store, kiosk.kiosk_id, stick / "setup.kbundle", kiosk.clock.now().wall_utc)
    (stick / "setup.kbundle").unlink()
    kiosk.reload_trust()
    yield Venue(kiosk, cloud_instance, stick, code)
    kiosk.close()


def _kiosk_snapshot(kiosk: Kiosk) -> tuple[Any, ...]:
    db = kiosk.store.writer
    return (
        db.execute(
            "SELECT event_id, delivered_utc, rejected_reason FROM outbox ORDER BY event_id"
        ).fetchall(),
        db.execute("SELECT key, value FROM sync_state ORDER BY key").fetchall(),
        db.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0],
        db.execute("SELECT * FROM imported_bundles ORDER BY bundle_id").fetchall(),
    )


def _add(venue: Venue, count: int) -> list[Event]:
    return append_events(venue.kiosk.store, venue.kiosk.kiosk_id, venue.clock, count)


# -- the whole journey ---------------------------------------------------------------------------


def test_a_never_networked_kiosk_delivers_its_records_exactly_once_and_learns_the_roster(
    venue: Venue,
) -> None:
    cloud, kiosk = venue.cloud, venue.kiosk
    cloud.store.import_roster(_roster(venue.stick.parent, 30))
    events = _add(venue, 1_234)
    [bundle] = venue.export()
    assert bundle.name == f"{kiosk.kiosk_id}-events-1-1234.kbundle"
    assert waiting_count(kiosk.store.writer) == 1_234, "exporting marks nothing: only a receipt does"

    receipt = venue.cloud_import(bundle)
    assert kiosk_event_rows(cloud.store, kiosk.kiosk_id) == [event_to_row(e) for e in events]
    with cloud.store.read() as reader:
        device = reader.device(kiosk.kiosk_id)
    assert device is not None and device.registered_by == "bundle", "the first bundle registered the kiosk"
    update = venue.cloud_changes()

    report = venue.kiosk_import(venue.stick)
    results = {o.path.name: o.result for o in report.outcomes}
    assert results == {bundle.name: "skipped", receipt.name: "imported", update.name: "imported"}
    assert waiting_count(kiosk.store.writer) == 0
    assert kiosk.store.writer.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0] == 30
    assert state.get_value(kiosk.store.writer, state.PROVISIONING_CODE) is None, "the receipt confirmed it"
    assert verify_chain(kiosk.store.writer).ok
    actions = [r[0] for r in kiosk.store.writer.execute("SELECT action FROM audit_log ORDER BY id")]
    assert {"usb_provisioned", "usb_exported", "usb_imported_receipt", "usb_imported_changes"} <= set(actions)

    # The next day: new records go, only the new ones.
    more = _add(venue, 10)
    [second] = venue.export()
    assert second.name == f"{kiosk.kiosk_id}-events-1235-1244.kbundle"
    venue.cloud_import(second)
    venue.kiosk_import(venue.stick)
    assert kiosk_event_rows(cloud.store, kiosk.kiosk_id) == [event_to_row(e) for e in [*events, *more]]
    assert waiting_count(kiosk.store.writer) == 0


def _roster(folder: Path, count: int) -> Path:
    path = folder / "roster.csv"
    lines = ["volunteer_id,name,phone,org_id"] + [f"V{i:05d},志愿者{i},138{i:08d}," for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_importing_every_bundle_twice_changes_nothing_anywhere(venue: Venue) -> None:
    _add(venue, 40)
    [bundle] = venue.export()
    first = import_events_bundle(venue.cloud, bundle.read_bytes(), venue.cloud.clock())
    counts = venue.cloud.store.table_counts()
    again = import_events_bundle(venue.cloud, bundle.read_bytes(), venue.cloud.clock())
    assert again.already and again.receipt == first.receipt, "the same receipt, not a new one"
    assert venue.cloud.store.table_counts() == counts

    write_bundle(first.receipt, venue.stick / "receipt.kbundle")
    venue.cloud_changes()
    venue.kiosk_import(venue.stick)
    before = _kiosk_snapshot(venue.kiosk)
    report = venue.kiosk_import(venue.stick)
    assert {o.result for o in report.outcomes if o.kind != "events"} == {"already"}
    assert _kiosk_snapshot(venue.kiosk) == before


def test_a_bundle_sent_again_after_a_lost_receipt_comes_back_as_duplicates(venue: Venue) -> None:
    """The stick with the receipt got lost: the kiosk exports the same records again; nothing is doubled."""
    events = _add(venue, 25)
    [first] = venue.export()
    venue.cloud_import(first)
    for path in venue.stick.iterdir():
        path.unlink()  # the stick is lost
    [second] = venue.export()
    result = import_events_bundle(venue.cloud, second.read_bytes(), venue.cloud.clock())
    assert (result.accepted, result.duplicate) == (0, 25)
    assert len(kiosk_event_rows(venue.cloud.store, venue.kiosk.kiosk_id)) == len(events)
    write_bundle(result.receipt, venue.stick / "receipt.kbundle")
    venue.kiosk_import(venue.stick)
    assert waiting_count(venue.kiosk.store.writer) == 0


def test_usb_and_network_together_still_deliver_each_record_once(tmp_path: Path) -> None:
    """A kiosk registered online exports a bundle, then the network comes back before the stick arrives."""
    with running_cloud(tmp_path / "cloud") as running:
        kiosk = _kiosk(tmp_path / "kiosk", "K-BOTH")
        try:
            transport = HttpTransport(running.base_url)
            client = SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, transport)
            client.register(running.provision())
            assert isinstance(kiosk.clock, FakeClock)
            events = append_events(kiosk.store, kiosk.kiosk_id, kiosk.clock, 30)
            stick = tmp_path / "stick"
            stick.mkdir()
            [bundle] = [
                b.path for b in export_events(kiosk.store, kiosk.kiosk_id, stick, kiosk.clock.now().wall_utc)
            ]
            assert client.push_pending().accepted == 30, "the network pushes them first"
            result = import_events_bundle(running.instance, bundle.read_bytes(), running.instance.clock())
            assert (result.accepted, result.duplicate, result.registered_now) == (0, 30, False)
            write_bundle(result.receipt, stick / "receipt.kbundle")
            report = import_bundles(kiosk.store, kiosk.kiosk_id, stick, kiosk.clock.now().wall_utc)
            assert [o.result for o in report.outcomes if o.kind == "receipt"] == ["imported"]
            assert kiosk_event_rows(running.instance.store, kiosk.kiosk_id) == [
                event_to_row(e) for e in events
            ]
            assert waiting_count(kiosk.store.writer) == 0
            transport.close()
        finally:
            kiosk.close()


def test_a_kiosk_set_up_by_usb_can_later_register_online_with_the_same_code(tmp_path: Path) -> None:
    with running_cloud(tmp_path / "cloud") as running:
        stick = tmp_path / "stick"
        stick.mkdir()
        code, setup = provisioning_bundle(
            running.instance, "library", running.instance.clock(), running.base_url
        )
        write_bundle(setup, stick / "setup.kbundle")
        kiosk = _kiosk(tmp_path / "kiosk", "K-LATER")
        try:
            venue = Venue(kiosk, running.instance, stick)
            register_offline(kiosk.store, kiosk.kiosk_id, stick / "setup.kbundle", venue.now())
            _add(venue, 5)
            venue.round_trip()
            assert waiting_count(kiosk.store.writer) == 0
            later = _add(venue, 3)
            transport = HttpTransport(running.base_url)
            client = SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, transport)
            client.register(code)  # the used code, the same device key: allowed for a USB kiosk
            report = client.sync_once()
            transport.close()
            assert report.ok and report.push is not None and report.push.accepted == len(later)
            assert len(kiosk_event_rows(running.instance.store, kiosk.kiosk_id)) == 8
        finally:
            kiosk.close()


def test_a_visit_carried_by_usb_counts_its_hours_at_the_cloud(venue: Venue) -> None:
    clock = venue.clock
    with venue.kiosk.store.write() as db:
        check_in = Event(
            new_event_id(), venue.kiosk.kiosk_id, 1, "V007", "A1", Action.CHECK_IN, Method.QR, clock.now()
        )
        append_event(db, check_in)
    clock.advance(2 * 3600 + 15 * 60)
    with venue.kiosk.store.write() as db:
        out = Event(
            new_event_id(), venue.kiosk.kiosk_id, 2, "V007", "A1", Action.CHECK_OUT, Method.QR, clock.now()
        )
        append_event(db, out)
    venue.round_trip()
    day = clock.now().local.date()
    report = build_report(venue.cloud.store, day, day)
    assert [(row.volunteer_id, row.hours) for row in report.hours] == [("V007", 2.25)]


# -- refusals: each changes nothing ---------------------------------------------------------------


def _refused_at_cloud(venue: Venue, data: bytes, words: str) -> None:
    counts = venue.cloud.store.table_counts()
    with pytest.raises(BundleError, match=words):
        import_events_bundle(venue.cloud, data, venue.cloud.clock())
    assert venue.cloud.store.table_counts() == counts


def test_a_tampered_events_bundle_is_refused_by_the_cloud(venue: Venue) -> None:
    _add(venue, 5)
    [bundle] = venue.export()
    value = json.loads(bundle.read_bytes())
    ciphertext = bytearray(unb64(value["sealed"]["ciphertext"], "c"))
    ciphertext[len(ciphertext) // 2] ^= 0x20
    flipped = {**value, "sealed": {**value["sealed"], "ciphertext": b64(bytes(ciphertext))}}
    _refused_at_cloud(venue, json.dumps(flipped).encode(), "changed, or it was made for someone else")
    renamed = {**value, "kiosk_id": "K-OTHER"}
    _refused_at_cloud(venue, json.dumps(renamed).encode(), "changed, or it was made for someone else")
    _refused_at_cloud(venue, bundle.read_bytes()[:-40], "not a kiosk bundle")
    _refused_at_cloud(venue, b"\x00" * 100, "not a kiosk bundle")
    _refused_at_cloud(venue, json.dumps({**value, "version": 2}).encode(), "version 2 is not known")


def test_a_bundle_for_another_platform_is_refused(venue: Venue, tmp_path: Path) -> None:
    other, _ = init_instance(tmp_path / "other-cloud")
    try:
        _add(venue, 3)
        [bundle] = venue.export()
        counts = other.store.table_counts()
        with pytest.raises(BundleError, match="made for someone else"):
            import_events_bundle(other, bundle.read_bytes(), other.clock())
        assert other.store.table_counts() == counts
    finally:
        other.close()


def test_records_signed_by_a_stranger_in_the_name_of_a_registered_kiosk_are_refused(venue: Venue) -> None:
    venue.round_trip()  # the kiosk is registered with its device key
    forged_events = [event_to_json(e) for e in _add(venue, 2)]
    header = new_header("events", venue.kiosk.kiosk_id, "2026-11-29T01:00:00.000+00:00")
    payload = _events_payload(venue, forged_events)
    forged = build_bundle(
        header, payload, Ed25519PrivateKey.generate(), "device", venue.cloud.keys.bundle_key.public_key()
    )
    _refused_at_cloud(venue, json.dumps(forged).encode(), "signature does not match")


def event_to_json(event: Event) -> dict[str, Any]:
    from kiosk.store.outbox import event_record

    return event_record(event_to_row(event))


def _events_payload(venue: Venue, events: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    db = venue.kiosk.store.writer
    return {
        "app_version": "test",
        "device_public_key": b64(Ed25519PrivateKey.generate().public_key().public_bytes_raw()),
        "device_box_public_key": b64(bytes(32)),
        "provisioning_code": None,
        "pull_cursor": None,
        "clock_offset_s": None,
        "bundle_public_key": state.get_value(db, state.BUNDLE_PUBLIC_KEY),
        "created_utc": "2026-11-29T01:00:00.000+00:00",
        "events": events,
        **extra,
    }


def test_an_unregistered_kiosk_without_a_code_or_with_a_spent_code_is_refused(
    venue: Venue, tmp_path: Path
) -> None:
    stranger = _kiosk(tmp_path / "stranger", "K-STRANGER")
    try:
        with stranger.store.write() as db:  # it copied the bundle key, but has no code
            state.set_value(
                db,
                state.BUNDLE_PUBLIC_KEY,
                state.get_value(venue.kiosk.store.writer, state.BUNDLE_PUBLIC_KEY),
            )
        [bundle] = [b.path for b in export_events(stranger.store, stranger.kiosk_id, tmp_path, venue.now())]
        _refused_at_cloud(
            venue, bundle.read_bytes(), "not registered here and the bundle carries no provisioning code"
        )
        venue.round_trip()  # the venue's kiosk uses its code
        with stranger.store.write() as db:
            state.set_value(db, state.PROVISIONING_CODE, venue.code)
        [bundle] = [b.path for b in export_events(stranger.store, stranger.kiosk_id, tmp_path, venue.now())]
        _refused_at_cloud(venue, bundle.read_bytes(), "used already")
    finally:
        stranger.close()


def test_a_tampered_or_foreign_receipt_is_refused_by_the_kiosk(venue: Venue, tmp_path: Path) -> None:
    _add(venue, 6)
    [bundle] = venue.export()
    receipt = venue.cloud_import(bundle)
    value = json.loads(receipt.read_bytes())
    before = _kiosk_snapshot(venue.kiosk)

    payload = json.loads(value["signed"]["payload"])
    payload["accepted"] = [*payload["accepted"][:3], "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"]
    changed = {**value, "signed": {**value["signed"], "payload": json.dumps(payload)}}
    foreign, _ = init_instance(tmp_path / "foreign")
    try:
        forged = build_bundle(
            {k: value[k] for k in ("format", "version", "kind", "kiosk_id", "bundle_id", "created_utc")},
            json.loads(value["signed"]["payload"]),
            foreign.keys.bundle_signer.signing_key,
            "b1",
        )
    finally:
        foreign.close()
    other_kiosk = {**value, "kiosk_id": "K-ELSEWHERE"}
    cases = [
        (changed, "signature does not match"),
        (forged, "signature does not match"),
        (other_kiosk, "made for kiosk K-ELSEWHERE"),
        (
            {**value, "signed": {**value["signed"], "signer": "p9"}},
            "key 'p9', which this kiosk does not trust for bundles",
        ),
    ]
    for document, words in cases:
        path = write_bundle(document, tmp_path / "suspect.kbundle")
        [outcome] = venue.kiosk_import(path).outcomes
        assert (outcome.result, words in outcome.message) == ("refused", True), outcome.message
    assert _kiosk_snapshot(venue.kiosk) == before


def test_an_update_for_another_kiosk_or_out_of_order_is_refused(venue: Venue, tmp_path: Path) -> None:
    venue.cloud.store.import_roster(_roster(tmp_path, 5))
    venue.round_trip()
    twin_folder = tmp_path / "twin"
    twin = _kiosk(twin_folder, "K-TWIN")
    try:
        _, setup = provisioning_bundle(venue.cloud, "library", venue.cloud.clock())
        write_bundle(setup, tmp_path / "twin-setup.kbundle")
        register_offline(twin.store, twin.kiosk_id, tmp_path / "twin-setup.kbundle", venue.now())
        twin_venue = Venue(twin, venue.cloud, tmp_path / "twin-stick")
        twin_venue.stick.mkdir()
        for path in twin_venue.export():
            twin_venue.cloud_import(path)
        twin_update = twin_venue.cloud_changes()
        value = json.loads(twin_update.read_bytes())
        readdressed = write_bundle(
            {**value, "kiosk_id": venue.kiosk.kiosk_id}, tmp_path / "readdressed.kbundle"
        )
    finally:
        twin.close()
    before = _kiosk_snapshot(venue.kiosk)
    [outcome] = venue.kiosk_import(twin_update).outcomes
    assert outcome.result == "refused" and "made for kiosk K-TWIN" in outcome.message
    [outcome] = venue.kiosk_import(readdressed).outcomes
    assert outcome.result == "refused" and "made for someone else" in outcome.message
    assert _kiosk_snapshot(venue.kiosk) == before

    venue.cloud.store.import_roster(_roster(tmp_path, 8))  # three more volunteers
    stale = export_changes(venue.cloud, venue.kiosk.kiosk_id, venue.cloud.clock(), since="1")
    path = write_bundle(stale.bundle, tmp_path / "stale.kbundle")
    [outcome] = venue.kiosk_import(path).outcomes
    assert outcome.result == "refused" and "Export a new bundle from the kiosk" in outcome.message
    assert _kiosk_snapshot(venue.kiosk) == before


def test_the_newest_of_two_updates_wins_and_the_older_is_skipped(venue: Venue, tmp_path: Path) -> None:
    venue.round_trip()
    venue.cloud.store.import_roster(_roster(tmp_path, 4))
    older = venue.cloud_changes()
    venue.cloud.store.import_roster(_roster(tmp_path, 9))
    newer = export_changes(venue.cloud, venue.kiosk.kiosk_id, venue.cloud.clock())
    newer_path = write_bundle(newer.bundle, venue.stick / "changes-newer.kbundle")
    report = venue.kiosk_import(venue.stick)
    results = {o.path.name: o.result for o in report.outcomes if o.kind == "changes"}
    assert results[newer_path.name] == "imported" and results[older.name] == "skipped"
    assert venue.kiosk.store.writer.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0] == 9


def test_export_needs_a_set_up_kiosk_and_a_folder(tmp_path: Path, venue: Venue) -> None:
    fresh = _kiosk(tmp_path / "fresh", "K-FRESH")
    try:
        with pytest.raises(UsbError, match="not set up for the cloud yet"):
            export_events(fresh.store, fresh.kiosk_id, tmp_path, venue.now())
    finally:
        fresh.close()
    with pytest.raises(UsbError, match="is not a folder"):
        export_events(venue.kiosk.store, venue.kiosk.kiosk_id, tmp_path / "unplugged", venue.now())


def test_a_provisioning_file_of_another_platform_is_refused_by_a_set_up_kiosk(
    venue: Venue, tmp_path: Path
) -> None:
    other, _ = init_instance(tmp_path / "other")
    try:
        _, setup = provisioning_bundle(other, "x", other.clock())
    finally:
        other.close()
    path = write_bundle(setup, tmp_path / "other-setup.kbundle")
    before = _kiosk_snapshot(venue.kiosk)
    with pytest.raises(BundleError, match="from another platform"):
        register_offline(venue.kiosk.store, venue.kiosk.kiosk_id, path, venue.now())
    assert _kiosk_snapshot(venue.kiosk) == before
    value = json.loads(path.read_bytes())
    payload = json.loads(value["signed"]["payload"])
    payload["bundle_public_key"] = b64(bytes(32))
    tampered = write_bundle(
        {**value, "signed": {**value["signed"], "payload": json.dumps(payload)}}, tmp_path / "t.kbundle"
    )
    fresh = _kiosk(tmp_path / "fresh", "K-FRESH")
    try:
        with pytest.raises(BundleError, match="signature does not match"):
            register_offline(fresh.store, fresh.kiosk_id, tampered, venue.now())
        assert state.get_value(fresh.store.writer, state.BUNDLE_PUBLIC_KEY) is None
    finally:
        fresh.close()


def test_a_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    header = new_header("receipt", "K1", "2026-11-29T01:00:00.000+00:00")
    path = write_bundle(
        build_bundle(header, {"accepted": []}, Ed25519PrivateKey.generate(), "p1"), tmp_path / "r.kbundle"
    )
    assert read_bundle(path).bundle_id == header["bundle_id"]
    assert [p.name for p in tmp_path.iterdir()] == ["r.kbundle"], "no temporary file is left behind"


def test_an_update_cut_off_by_a_full_disk_resumes_where_it_stopped(
    venue: Venue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """12,000 volunteers come in three pages; the disk fills after the first. Nothing half-applied stays."""
    import kiosk.sync.pull as pull
    import kiosk.sync.usb as usb

    venue.round_trip()
    venue.cloud.store.import_roster(_roster(tmp_path, 12_000))
    update = venue.cloud_changes()
    real_apply, calls = pull.apply_page, []

    def full_after_one_page(store: Any, page: Any, at: Any, *rest: Any) -> Any:
        calls.append(page.next_cursor)
        if len(calls) > 1:
            raise sqlite3.OperationalError("database or disk is full")
        return real_apply(store, page, at, *rest)

    monkeypatch.setattr(usb, "apply_page", full_after_one_page)
    [outcome] = venue.kiosk_import(update).outcomes
    assert outcome.result == "refused" and "could not save it (database or disk is full)" in outcome.message
    db = venue.kiosk.store.writer
    assert db.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0] == 4_996, (
        "the first page: the four platform keys and 4,996 volunteers"
    )
    assert state.get_value(db, state.PULL_CURSOR) == calls[0]

    monkeypatch.setattr(usb, "apply_page", real_apply)
    [outcome] = venue.kiosk_import(update).outcomes
    assert outcome.result == "imported", outcome.message
    assert outcome.message.startswith("7004 changes applied"), "only the pages after the cursor"
    assert db.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0] == 12_000
