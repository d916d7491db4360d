"""A "QR code only" mark travels with its enrolment: two kiosks and the real reference cloud over HTTP, and by USB.

The cloud runs on SQLite and on PostgreSQL (the ``cloud`` fixture).

At kiosk A the coordinator enrols V2, whose face the model takes for V1's:
the enrolment stops, and the answer "two people the model cannot tell
apart" stores V2's templates marked QR code only. What would go wrong at
kiosk B, where the coordinator never saw that: V2 checked in by face, or
V2's face taken for V1's. So B's gallery must hold V2's face and never name
them, until a later plain enrolment of V2 clears the mark everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from helpers.cloud_server import RunningCloud
from helpers.fakes import FakeClock

from checkin_protocol.bundle_files import write_bundle
from cloud.bundles import export_changes, import_events_bundle, provisioning_bundle
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.face.matching import Gallery
from kiosk.services.face_enrolment import FaceRefusal
from kiosk.services.face_gallery import GalleryLoader, build_gallery
from kiosk.store.face_qr_only import LOOK_ALIKE, qr_only_mark
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport
from kiosk.sync.usb import export_events, import_bundles
from kiosk.sync.usb_setup import register_offline

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"
LOOK_ALIKE_DISTANCE = 0.40
"""How far V2's face lies from V1's: past the distance that is surely the same face (0.35), under the
threshold (0.48), so the kiosk would take one for the other."""


@dataclass(frozen=True)
class Faces:
    """Descriptors of V1, of V2 (V1's look-alike), and of V2 enrolled again from better photos."""

    v1: list[np.ndarray]
    v2: list[np.ndarray]
    v2_again: list[np.ndarray]

    @classmethod
    def make(cls, seed: int) -> Faces:
        rng = np.random.default_rng(seed)

        def unit() -> np.ndarray:
            vector = rng.normal(size=128)
            return vector / np.linalg.norm(vector)

        def around(centre: np.ndarray) -> list[np.ndarray]:  # four captures, 0.03 apart from the centre
            return [(centre + 0.03 * unit()).astype(np.float32) for _ in range(4)]

        v1, towards = unit(), unit()
        step = towards - (v1 @ towards) * v1  # a direction at right angles to V1
        v2 = v1 + LOOK_ALIKE_DISTANCE * step / np.linalg.norm(step)
        return cls(around(v1), around(v2), around(unit()))


def enrol_look_alike(kiosk: Kiosk, faces: Faces) -> None:
    """V1 enrolled; V2's enrolment stops on V1 and the coordinator answers: two people, V2 QR code only."""
    enrolment = kiosk.face_enrolment
    for volunteer_id in ("V1", "V2"):
        enrolment.record_consent(volunteer_id, COORDINATOR)
    assert enrolment.enrol("V1", faces.v1, COORDINATOR, MODEL) is None
    stopped = enrolment.enrol_checked("V2", faces.v2, COORDINATOR, MODEL)
    assert stopped.refusal == FaceRefusal.NEIGHBOUR and stopped.conflict is not None
    assert stopped.conflict.volunteer_id == "V1", "the kiosk must take V2's face for V1's"
    assert (
        enrolment.enrol_as_qr_only("V2", faces.v2, COORDINATOR, MODEL, stopped.conflict.volunteer_id) is None
    )


def enrol_again_plainly(kiosk: Kiosk, faces: Faces) -> None:
    """V2 enrolled again from photos the model tells apart from V1's: the enrolment clears the mark."""
    assert kiosk.face_enrolment.enrol_checked("V2", faces.v2_again, COORDINATOR, MODEL).refusal is None
    assert qr_only_mark(kiosk.store.writer, "V2") is None


def assert_never_named(kiosk: Kiosk, gallery: Gallery | None, faces: Faces) -> None:
    """The gallery holds V2's face, never names V2, never takes it for V1's, and still knows V1."""
    assert gallery is not None, "a received mark must reload the gallery"
    assert set(gallery.volunteers) == {"V1", "V2"} and "V2" in gallery.qr_only
    mark = qr_only_mark(kiosk.store.writer, "V2")
    assert mark is not None and (mark.reason, mark.other_volunteer_id, mark.coordinator) == (
        LOOK_ALIKE,
        "V1",
        COORDINATOR,
    )
    unmarked = build_gallery(kiosk.face_enrolment.load_gallery(MODEL))
    for probe in faces.v2:
        assert unmarked.identify(probe).volunteer_id == "V2", "without the mark V2 would check in by face"
        match = gallery.identify(probe)
        assert match.volunteer_id is None and match.candidate == "V2", (
            "V2's face must be refused (QR code only), never named, never taken for V1's"
        )
    assert all(gallery.identify(probe).volunteer_id == "V1" for probe in faces.v1)


def assert_named_again(kiosk: Kiosk, gallery: Gallery | None, faces: Faces) -> None:
    assert gallery is not None and gallery.qr_only == frozenset()
    assert qr_only_mark(kiosk.store.writer, "V2") is None, "the newer enrolment replaced the decision"
    assert all(gallery.identify(probe).volunteer_id == "V2" for probe in faces.v2_again)


def _later(kiosk: Kiosk, seconds: float) -> None:
    assert isinstance(kiosk.clock, FakeClock)
    kiosk.clock.advance(seconds)


def _loader(kiosk: Kiosk) -> GalleryLoader:
    return GalleryLoader(kiosk.face_enrolment, kiosk.store.writer, MODEL)


def _kiosk(stack: ExitStack, folder: Path) -> Kiosk:
    kiosk = build_kiosk(load_config(DataDir(folder, "cli"), env={}), clock=FakeClock())
    stack.callback(kiosk.close)
    return kiosk


def _online(stack: ExitStack, folder: Path, cloud: RunningCloud, area: str) -> tuple[Kiosk, SyncClient]:
    kiosk = _kiosk(stack, folder)
    transport = HttpTransport(cloud.base_url)
    stack.callback(transport.close)
    client = SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, transport)
    client.register(cloud.provision(area))
    return kiosk, client


def _sync(client: SyncClient) -> None:
    report = client.sync_once()
    assert report.ok, report.lines()


def test_a_look_alike_marked_at_one_kiosk_is_never_named_at_the_other_until_enrolled_again(
    tmp_path: Path, cloud: RunningCloud
) -> None:
    faces = Faces.make(16)
    with ExitStack() as stack:
        a, a_client = _online(stack, tmp_path / "A", cloud, "north")
        b, b_client = _online(stack, tmp_path / "B", cloud, "north")
        b_loader = _loader(b)
        assert b_loader.reload_if_changed() is not None

        enrol_look_alike(a, faces)
        _sync(a_client)
        _sync(b_client)
        assert_never_named(b, b_loader.reload_if_changed(), faces)
        assert_never_named(a, _loader(a).reload_if_changed(), faces)
        with cloud.store.read() as reader:
            stored = reader.face_enrolment("north", "V2")
        assert (
            stored is not None
            and stored.qr_only is not None
            and '"other_volunteer_id":"V1"' in stored.qr_only
        )

        _later(a, 600)
        enrol_again_plainly(a, faces)
        _sync(a_client)
        _sync(b_client)
        assert_named_again(b, b_loader.reload_if_changed(), faces)
        _sync(a_client)  # A's own enrolment comes back and changes nothing
        assert qr_only_mark(a.store.writer, "V2") is None


@pytest.fixture
def stick(
    tmp_path: Path, cloud: RunningCloud
) -> Iterator[tuple[RunningCloud, Kiosk, Path, Kiosk, SyncClient]]:
    """The cloud, a kiosk set up by USB file and its stick folder, and an online kiosk of the same area."""
    with ExitStack() as stack:
        folder = tmp_path / "stick"
        folder.mkdir()
        _, provisioning = provisioning_bundle(cloud.instance, "library", cloud.instance.clock())
        write_bundle(provisioning, folder / "setup.kbundle")
        offline = _kiosk(stack, tmp_path / "U")
        register_offline(
            offline.store, offline.kiosk_id, folder / "setup.kbundle", offline.clock.now().wall_utc
        )
        (folder / "setup.kbundle").unlink()
        online, client = _online(stack, tmp_path / "A", cloud, "library")
        yield cloud, offline, folder, online, client


def _round_trip(cloud: RunningCloud, kiosk: Kiosk, folder: Path) -> int:
    """Export from the USB kiosk, import at the cloud, carry receipts and an update back; face records sent."""
    exported = export_events(kiosk.store, kiosk.kiosk_id, folder, kiosk.clock.now().wall_utc)
    instance = cloud.instance
    for bundle in exported:
        result = import_events_bundle(instance, bundle.path.read_bytes(), instance.clock())
        write_bundle(result.receipt, folder / f"receipt-{result.bundle_id}.kbundle")
        bundle.path.unlink()
    update = export_changes(instance, kiosk.kiosk_id, instance.clock())
    write_bundle(update.bundle, folder / f"changes-{update.next_cursor}.kbundle")
    report = import_bundles(kiosk.store, kiosk.kiosk_id, folder, kiosk.clock.now().wall_utc)
    assert not report.refused, [o.message for o in report.refused]
    return sum(b.face_records for b in exported)


def test_the_mark_travels_by_usb_stick_both_ways(
    stick: tuple[RunningCloud, Kiosk, Path, Kiosk, SyncClient],
) -> None:
    cloud, offline, folder, online, client = stick
    faces = Faces.make(61)
    _round_trip(cloud, offline, folder)  # the first update brings the area key
    enrol_look_alike(offline, faces)
    assert _round_trip(cloud, offline, folder) == 2
    online_loader = _loader(online)
    _sync(client)
    assert_never_named(online, online_loader.reload_if_changed(), faces)

    offline_loader = _loader(offline)
    assert offline_loader.reload_if_changed() is not None
    _later(online, 600)
    enrol_again_plainly(online, faces)
    _sync(client)
    _round_trip(cloud, offline, folder)
    assert_named_again(offline, offline_loader.reload_if_changed(), faces)
