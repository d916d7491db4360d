"""Keys with one purpose: a key that signs cards can never mark records delivered or set a kiosk up.

A kiosk with the demo data installed (whose signing key lies in its data
folder), registered with the real reference cloud, then shown forged USB
bundles; cards and codes checked against keys of the wrong purpose.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers.cloud_server import RunningCloud
from helpers.fakes import FakeClock, append_events

from checkin_protocol.bundle_files import BundleError, build_bundle, new_header, read_bundle, write_bundle
from checkin_protocol.codes.issuer import Issuer, load_private_key
from checkin_protocol.codes.results import Refusal
from checkin_protocol.codes.trust import KeyPurpose
from cloud.bundles import provisioning_bundle
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.demo.install import DEMO_KEY_ID, demo_key_path, install_demo
from kiosk.store.outbox import waiting_count
from kiosk.store.trust import trusted_key_for
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport
from kiosk.sync.usb import export_events, import_bundles
from kiosk.sync.usb_setup import register_offline

TODAY = date(2026, 11, 29)


def _kiosk(folder: Path) -> Kiosk:
    config = load_config(DataDir(folder, "cli"), env={})
    return build_kiosk(config, clock=FakeClock())


def _demo_kiosk(folder: Path) -> tuple[Kiosk, Issuer]:
    """A kiosk with the demo data (and so the demo key, trusted for demo codes) and three records waiting."""
    kiosk = _kiosk(folder)
    install_demo(kiosk.config, kiosk.store, kiosk.kiosk_id, kiosk.clock.now(), volunteers=20)
    kiosk.reload_trust()
    demo = Issuer(load_private_key(demo_key_path(kiosk.config)), DEMO_KEY_ID)
    assert isinstance(kiosk.clock, FakeClock)
    append_events(kiosk.store, kiosk.kiosk_id, kiosk.clock, 3)
    return kiosk, demo


def _register(kiosk: Kiosk, cloud: RunningCloud, *, keep_demo_key: bool) -> None:
    transport = HttpTransport(cloud.base_url)
    try:
        SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, transport).register(
            cloud.provision(), keep_demo_key=keep_demo_key
        )
    finally:
        transport.close()
    kiosk.reload_trust()


def _receipt_for(kiosk: Kiosk, stick: Path, signer: Issuer) -> Path:
    """A receipt saying every waiting record reached the platform, signed by ``signer``."""
    [bundle] = export_events(kiosk.store, kiosk.kiosk_id, stick, kiosk.clock.now().wall_utc)
    event_ids = [r[0] for r in kiosk.store.writer.execute("SELECT event_id FROM outbox")]
    header = new_header("receipt", kiosk.kiosk_id, "2026-11-29T09:00:00Z")
    payload: dict[str, Any] = {
        "accepted": event_ids,
        "duplicate": [],
        "rejected": [],
        "server_time": "2026-11-29T09:00:00Z",
        "events_bundle_id": read_bundle(bundle.path).bundle_id,
    }
    return write_bundle(build_bundle(header, payload, signer.signing_key, signer.key_id), stick / "r.kbundle")


@pytest.mark.parametrize("who", ["the demo key", "the platform's card key", "the platform's activity key"])
def test_a_receipt_signed_by_a_key_of_another_purpose_marks_nothing_delivered(
    cloud: RunningCloud, tmp_path: Path, who: str
) -> None:
    kiosk, demo = _demo_kiosk(tmp_path / "kiosk")
    _register(kiosk, cloud, keep_demo_key=True)
    signer = {
        "the demo key": demo,
        "the platform's card key": cloud.issuer,
        "the platform's activity key": cloud.activity_issuer,
    }[who]
    stick = tmp_path / "stick"
    stick.mkdir()
    receipt = _receipt_for(kiosk, stick, signer)
    report = import_bundles(kiosk.store, kiosk.kiosk_id, receipt, kiosk.clock.now().wall_utc)
    [outcome] = report.outcomes
    assert outcome.result == "refused", f"a receipt signed with {who} was accepted"
    assert "not from the platform" in outcome.message
    assert waiting_count(kiosk.store.writer) == 3, (
        "records were marked delivered that never reached the cloud"
    )
    kiosk.close()


def test_registering_drops_the_demo_key_unless_told_to_keep_it(cloud: RunningCloud, tmp_path: Path) -> None:
    kiosk, demo = _demo_kiosk(tmp_path / "kiosk")
    _register(kiosk, cloud, keep_demo_key=False)
    demo_card = demo.issue_card("V000000009", "某*", issued_on=TODAY)
    result = kiosk.verifier.verify_card(demo_card, TODAY)
    assert result.refusal is Refusal.UNKNOWN_KEY, "a registered kiosk still accepts demo cards"
    platform_card = cloud.issuer.issue_card("V000000009", "某*", issued_on=TODAY)
    assert kiosk.verifier.verify_card(platform_card, TODAY).ok
    kiosk.close()

    kept, demo = _demo_kiosk(tmp_path / "kept")
    _register(kept, cloud, keep_demo_key=True)
    assert kept.verifier.verify_card(demo.issue_card("V000000009", "某*", issued_on=TODAY), TODAY).ok
    assert trusted_key_for(kept.store.writer, DEMO_KEY_ID, KeyPurpose.BUNDLE) is None
    kept.close()


def test_the_platform_keys_reach_the_kiosk_each_for_its_own_purpose(
    cloud: RunningCloud, tmp_path: Path
) -> None:
    kiosk = _kiosk(tmp_path / "kiosk")
    _register(kiosk, cloud, keep_demo_key=False)
    purposes = {key_id: kiosk.verifier.trusted.purposes(key_id) for key_id in ("p1", "a1", "b1", "v1")}
    assert purposes == {
        "p1": {KeyPurpose.CARD},
        "a1": {KeyPurpose.ACTIVITY},
        "b1": {KeyPurpose.BUNDLE},
        "v1": {KeyPurpose.PROVISIONING},
    }
    # a card signed with the activity-code key is no card
    forged = Issuer(cloud.activity_issuer.signing_key, "a1").issue_card("V1", "某*", issued_on=TODAY)
    refused = kiosk.verifier.verify_card(forged, TODAY)
    assert refused.refusal is Refusal.UNKNOWN_KEY and "not trusted for card" in refused.detail
    kiosk.close()


def test_a_provisioning_file_signed_by_a_card_key_is_refused(cloud: RunningCloud, tmp_path: Path) -> None:
    _, genuine = provisioning_bundle(cloud.instance, "library", cloud.instance.clock())
    payload = json.loads(genuine["signed"]["payload"])
    header = {k: genuine[k] for k in ("format", "version", "kind", "kiosk_id", "bundle_id", "created_utc")}
    # the file carries the platform's keys; re-signed with the card key (which it carries too)
    forged = build_bundle(header, payload, cloud.issuer.signing_key, cloud.issuer.key_id)
    path = write_bundle(forged, tmp_path / "setup.kbundle")
    kiosk = _kiosk(tmp_path / "kiosk")
    with pytest.raises(BundleError, match="not the platform's provisioning key"):
        register_offline(kiosk.store, kiosk.kiosk_id, path, kiosk.clock.now().wall_utc)
    assert kiosk.store.writer.execute("SELECT COUNT(*) FROM trusted_keys").fetchone()[0] == 0
    # the genuine file sets the kiosk up
    genuine_path = write_bundle(genuine, tmp_path / "genuine.kbundle")
    setup = register_offline(kiosk.store, kiosk.kiosk_id, genuine_path, kiosk.clock.now().wall_utc)
    assert set(setup.trusted_keys) == {"p1", "a1", "b1", "v1"}
    kiosk.close()
