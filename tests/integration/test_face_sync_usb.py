"""Face records by USB stick: a kiosk that never sees a network shares enrolments with an online one."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers.cloud_server import RunningCloud, running_cloud
from helpers.fakes import FakeClock

from checkin_protocol.bundle_files import write_bundle
from cloud.bundles import export_changes, import_events_bundle, provisioning_bundle
from cloud.face_queries import EnrolmentRow
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.store.face_templates import area_key_path
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport
from kiosk.sync.usb import export_events, import_bundles
from kiosk.sync.usb_setup import register_offline

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"
AREA = "library"


def _descriptors(seed: int) -> list[np.ndarray]:
    vectors = np.random.default_rng(seed).normal(size=(3, 128)).astype(np.float32)
    return list(vectors / np.linalg.norm(vectors, axis=1, keepdims=True))


def _enrol(kiosk: Kiosk, volunteer_id: str, seed: int) -> list[np.ndarray]:
    made = _descriptors(seed)
    kiosk.face_enrolment.record_consent(volunteer_id, COORDINATOR)
    assert kiosk.face_enrolment.enrol(volunteer_id, made, COORDINATOR, MODEL) is None
    return made


def _gallery(kiosk: Kiosk) -> dict[str, set[bytes]]:
    found: dict[str, set[bytes]] = {}
    for volunteer_id, descriptor in kiosk.face_enrolment.load_gallery(MODEL):
        found.setdefault(volunteer_id, set()).add(descriptor.tobytes())
    return found


class Stick:
    """The offline kiosk, the cloud, and a folder between them."""

    def __init__(self, cloud: RunningCloud, kiosk: Kiosk, folder: Path) -> None:
        self.cloud, self.kiosk, self.folder = cloud, kiosk, folder

    def now(self) -> Any:
        return self.kiosk.clock.now().wall_utc

    def to_cloud(self) -> int:
        """Export, import at the cloud, write receipts and an update; how many face records went."""
        exported = export_events(self.kiosk.store, self.kiosk.kiosk_id, self.folder, self.now())
        instance = self.cloud.instance
        for bundle in exported:
            result = import_events_bundle(instance, bundle.path.read_bytes(), instance.clock())
            write_bundle(result.receipt, self.folder / f"receipt-{result.bundle_id}.kbundle")
            bundle.path.unlink()
        update = export_changes(instance, self.kiosk.kiosk_id, instance.clock())
        write_bundle(update.bundle, self.folder / f"changes-{update.next_cursor}.kbundle")
        return sum(b.face_records for b in exported)

    def to_kiosk(self) -> None:
        report = import_bundles(self.kiosk.store, self.kiosk.kiosk_id, self.folder, self.now())
        assert not report.refused, [o.message for o in report.refused]


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Stick, Kiosk, SyncClient]]:
    with running_cloud(tmp_path / "cloud") as cloud, ExitStack() as stack:
        folder = tmp_path / "stick"
        folder.mkdir()
        _, provisioning = provisioning_bundle(cloud.instance, AREA, cloud.instance.clock())
        write_bundle(provisioning, folder / "setup.kbundle")
        offline = build_kiosk(load_config(DataDir(tmp_path / "U", "cli"), env={}), clock=FakeClock())
        stack.callback(offline.close)
        register_offline(
            offline.store, offline.kiosk_id, folder / "setup.kbundle", offline.clock.now().wall_utc
        )
        (folder / "setup.kbundle").unlink()
        online = build_kiosk(load_config(DataDir(tmp_path / "A", "cli"), env={}), clock=FakeClock())
        stack.callback(online.close)
        transport = HttpTransport(cloud.base_url)
        stack.callback(transport.close)
        client = SyncClient(online.store, online.kiosk_id, online.clock, transport)
        client.register(cloud.provision(AREA))
        yield Stick(cloud, offline, folder), online, client


def test_face_records_travel_by_stick_once_an_update_brought_the_area_key(
    setup: tuple[Stick, Kiosk, SyncClient],
) -> None:
    stick, online, client = setup
    offline = stick.kiosk
    made_offline = _enrol(offline, "V1", 1)
    assert stick.to_cloud() == 0, "without the area key the face records wait on the kiosk"
    stick.to_kiosk()
    assert area_key_path(offline.store.path).read_bytes() == area_key_path(online.store.path).read_bytes()

    assert stick.to_cloud() == 1
    stick.to_kiosk()
    assert offline.store.writer.execute("SELECT outcome FROM face_outbox").fetchall() == [("accepted",)], (
        "the receipt settles the face record as a push reply would"
    )
    assert client.sync_once().ok
    assert _gallery(online) == {"V1": {d.tobytes() for d in made_offline}}

    made_online = _enrol(online, "V2", 2)
    online.face_enrolment.delete("V1", COORDINATOR)
    assert client.sync_once().ok
    stick.to_cloud()
    stick.to_kiosk()
    assert _gallery(offline) == {"V2": {d.tobytes() for d in made_online}}, (
        "the offline kiosk must learn the new enrolment and forget the deleted face"
    )
    consent = offline.face_enrolment.consent("V1")
    assert consent is not None and not consent.active


def test_a_usb_kiosk_with_a_fast_clock_never_measured_is_placed_no_later_than_its_bundle(
    setup: tuple[Stick, Kiosk, SyncClient],
) -> None:
    stick, _, _ = setup
    offline = stick.kiosk
    stick.to_cloud()
    stick.to_kiosk()  # the area key
    assert isinstance(offline.clock, FakeClock)
    offline.clock.wall = stick.cloud.instance.clock() + timedelta(days=2)  # two days fast, never measured
    _enrol(offline, "V1", 1)
    assert stick.to_cloud() == 1
    imported = stick.cloud.instance.clock()
    stick.to_kiosk()
    assert offline.store.writer.execute("SELECT outcome FROM face_outbox").fetchall() == [("accepted",)], (
        "a kiosk's enrolment must not be refused for a clock it could never measure"
    )
    with stick.cloud.store.read() as reader:
        (stored,) = reader.face_enrolments_of("V1")
    assert datetime.fromisoformat(stored.corrected_utc) <= imported, (
        "no record may count as newer than its bundle"
    )


def test_an_update_carrying_a_face_record_dated_ahead_of_it_is_refused_and_changes_nothing(
    setup: tuple[Stick, Kiosk, SyncClient], caplog: pytest.LogCaptureFixture
) -> None:
    stick, _, _ = setup
    offline = stick.kiosk
    stick.to_cloud()
    stick.to_kiosk()
    far = "9999-12-31T23:00:00.000+00:00"  # as a cloud restored from an old backup, or a tampered one, could hold
    with stick.cloud.store.write() as writer:
        writer.put_face_enrolment(
            EnrolmentRow(
                AREA,
                "V9",
                str(uuid.uuid4()),
                "K-other",
                MODEL,
                far,
                far,
                None,
                far,
                "c",
                "2026-11",
                "[]",
                far,
                "b",
            )
        )
    stick.to_cloud()
    with caplog.at_level(logging.WARNING, logger="kiosk.sync.usb"):
        stick.to_kiosk()
    assert any("invalid:enrolled_utc" in r.getMessage() for r in caplog.records), "the refusal must say why"
    assert _gallery(offline) == {} and offline.face_enrolment.consent("V9") is None
    assert (
        offline.store.writer.execute("SELECT COUNT(*) FROM face_sync WHERE volunteer_id = 'V9'").fetchone()[0]
        == 0
    )
