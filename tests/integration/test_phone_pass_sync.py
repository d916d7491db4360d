"""A phone pass from the reference cloud to an offline kiosk and back, over HTTP and by USB stick.

The cloud (SQLite and PostgreSQL) holds the pass the phone registered; the kiosk learns it with its
pull, checks the volunteer in from the phone's code while offline, refuses a screenshot taken two
minutes earlier, and its events reach the cloud with what was shown (``pass``, ``card`` or nothing).
A pass the cloud revokes is refused once the kiosk has synced.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.cloud_server import RunningCloud, kiosk_event_rows
from helpers.fakes import FakeClock, make_activity

from checkin_protocol.bundle_files import write_bundle
from checkin_protocol.codes.pass_codes import sign_pass_code, step_of
from checkin_protocol.codes.trust import public_bytes_b64
from checkin_protocol.event_rows import event_to_row
from checkin_protocol.models import Credential, Method
from cloud.bundles import export_changes, import_events_bundle, provisioning_bundle
from cloud.cli_issue import activity_values
from cloud.instance import Clock, CloudInstance
from cloud.pass_queries import PassRow
from cloud.passes import revoke_passes
from cloud.protocol import format_time
from cloud.storage import Storage
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import KIOSK_ID_FILE_NAME, DataDir, load_config
from kiosk.services.outcome import OutcomeKind
from kiosk.services.pass_scan import PassRefusal
from kiosk.store import passes
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport
from kiosk.sync.usb import export_events, import_bundles
from kiosk.sync.usb_setup import register_offline

PASS_ID = "P0A1B2C3D4E"
ROSTER = "volunteer_id,name,phone,org_id,org_name,org_level\nV001,雷彩霞,13800000001,ORG1,江城市志愿服务联合会,city\n"


@pytest.fixture
def world() -> FakeClock:
    """The one clock of the kiosk, the cloud and the phone."""
    return FakeClock()


@pytest.fixture
def cloud_clock(world: FakeClock) -> Clock:
    return lambda: world.wall


@pytest.fixture
def kiosk(tmp_path: Path, world: FakeClock) -> Iterator[Kiosk]:
    built = build_kiosk(load_config(DataDir(tmp_path / "kiosk", "cli"), env={}), clock=world)
    yield built
    built.close()


@pytest.fixture
def phone() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _code(phone: Ed25519PrivateKey, world: FakeClock) -> str:
    return sign_pass_code(PASS_ID, step_of(world.wall.timestamp()), phone)


def _platform(store: Storage, tmp_path: Path, phone: Ed25519PrivateKey, world: FakeClock) -> None:
    """The roster, an activity and the volunteer's pass, as the platform holds them."""
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    store.import_roster(roster)
    with store.write() as writer:
        writer.upsert_activity(activity_values(make_activity("A20261129001", hours=8)))
        writer.add_pass(
            PassRow(PASS_ID, "V001", public_bytes_b64(phone.public_key()), format_time(world.wall))
        )


def _sync(kiosk: Kiosk, client: SyncClient) -> None:
    report = client.sync_once()
    assert report.ok, report.lines()
    kiosk.reload_trust()


def test_a_pass_checks_in_offline_and_its_events_reach_the_cloud_with_their_credential(
    cloud: RunningCloud, kiosk: Kiosk, phone: Ed25519PrivateKey, world: FakeClock, tmp_path: Path
) -> None:
    _platform(cloud.store, tmp_path, phone, world)
    client = SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, HttpTransport(cloud.base_url))
    client.register(cloud.provision())
    kiosk.reload_trust()
    _sync(kiosk, client)
    held = passes.get_pass(kiosk.store.writer, PASS_ID)
    assert held is not None and held.volunteer_id == "V001" and not held.revoked
    kiosk.scanning.open_known_activity("A20261129001")

    # Offline from here: a screenshot is taken, two minutes pass, the volunteer checks in with the phone.
    screenshot = _code(phone, world)
    world.advance(120)
    stale = kiosk.scanning.handle_code(screenshot, Method.QR)
    assert (stale.kind, stale.reason) == (OutcomeKind.REFUSED, PassRefusal.STALE.value)
    checked_in = kiosk.scanning.handle_code(_code(phone, world), Method.QR)
    assert checked_in.kind is OutcomeKind.CHECKED_IN and checked_in.display_name == "雷*霞"
    # They leave with their printed card instead (allowed; the cloud may flag it for review).
    world.advance(3 * 3600)
    card = cloud.issuer.issue_card("V001", "雷*霞", issued_on=date(2026, 1, 1))
    checked_out = kiosk.scanning.handle_code(card, Method.SCANNER)
    assert checked_out.kind is OutcomeKind.CHECKED_OUT
    assert checked_in.event is not None and checked_out.event is not None

    _sync(kiosk, client)
    rows = kiosk_event_rows(cloud.store, kiosk.kiosk_id)
    assert rows == [event_to_row(checked_in.event), event_to_row(checked_out.event)]
    assert [row[-1] for row in rows] == [Credential.PASS.value, Credential.CARD.value]

    # The volunteer's phone is lost: the platform ends the pass, the kiosk hears of it at its next sync.
    revoke_passes(cloud.store, "V001", world.wall)
    _sync(kiosk, client)
    world.advance(60)
    refused = kiosk.scanning.handle_code(_code(phone, world), Method.QR)
    assert (refused.kind, refused.reason) == (OutcomeKind.REFUSED, PassRefusal.REVOKED.value)


def test_a_never_networked_kiosk_learns_a_pass_from_a_usb_update(
    cloud_instance: CloudInstance, phone: Ed25519PrivateKey, world: FakeClock, tmp_path: Path
) -> None:
    _platform(cloud_instance.store, tmp_path, phone, world)
    stick = tmp_path / "stick"
    stick.mkdir()
    _, setup = provisioning_bundle(cloud_instance, "library", cloud_instance.clock())
    write_bundle(setup, stick / "setup.kbundle")
    folder = tmp_path / "offline"
    folder.mkdir()
    (folder / KIOSK_ID_FILE_NAME).write_text("K-OFFLINE\n", encoding="ascii")
    kiosk = build_kiosk(load_config(DataDir(folder, "cli"), env={}), clock=world)
    try:
        register_offline(kiosk.store, kiosk.kiosk_id, stick / "setup.kbundle", world.wall)
        (stick / "setup.kbundle").unlink()
        # The first events bundle (empty) registers the kiosk at the cloud; the update comes back.
        [events] = export_events(kiosk.store, kiosk.kiosk_id, stick, world.wall)
        result = import_events_bundle(cloud_instance, events.path.read_bytes(), cloud_instance.clock())
        write_bundle(result.receipt, stick / "receipt.kbundle")
        export = export_changes(cloud_instance, kiosk.kiosk_id, cloud_instance.clock())
        write_bundle(export.bundle, stick / "changes.kbundle")

        report = import_bundles(kiosk.store, kiosk.kiosk_id, stick, world.wall)

        assert {o.path.name: o.result for o in report.outcomes}["changes.kbundle"] == "imported"
        kiosk.reload_trust()
        kiosk.scanning.open_known_activity("A20261129001")
        outcome = kiosk.scanning.handle_code(_code(phone, world), Method.QR)
        assert outcome.kind is OutcomeKind.CHECKED_IN
        assert outcome.event is not None and outcome.event.credential is Credential.PASS
    finally:
        kiosk.close()
