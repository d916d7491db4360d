"""Phone passes on the real cloud (SQLite and PostgreSQL): registering from a card or a receipt, the
refusals, a second phone ending the first, and the pass reaching kiosks by pull and by USB bundle."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from helpers.cloud_server import RunningCloud, running_cloud
from helpers.face_cloud import MovingClock

from checkin_protocol.bundle_files import parse_bundle
from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.pass_codes import read_pass_code, sign_pass_code
from checkin_protocol.codes.receipts import ServiceReceipt, receipt_url, sign_receipt
from checkin_protocol.codes.trust import public_key_from
from checkin_protocol.sealed import x25519_public_b64
from cloud.bundles import export_changes
from cloud.cli import cli
from cloud.protocol import format_time

NOW = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
ROSTER = """volunteer_id,name,phone,org_id,org_name,org_level,org_parent_id,active
V1,雷彩霞,13800000001,ORG-1,城关镇志愿者服务队,township,,1
V2,王芳,,ORG-1,城关镇志愿者服务队,township,,1
V3,李强,,ORG-1,城关镇志愿者服务队,township,,0
"""


@pytest.fixture
def cloud_clock() -> MovingClock:
    return MovingClock(NOW)


@pytest.fixture
def site(cloud: RunningCloud, tmp_path: Path) -> RunningCloud:
    """The cloud with the roster of three volunteers (V3 no longer active)."""
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    assert cloud.store.import_roster(path).imported
    return cloud


def phone_key() -> tuple[Ed25519PrivateKey, str]:
    """A key pair as a phone makes it, and the public half as the page sends it."""
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return key, base64.b64encode(raw).decode("ascii")


def card(cloud: RunningCloud, volunteer_id: str = "V1", **options: Any) -> str:
    return cloud.issuer.issue_card(volunteer_id, "雷*霞", issued_on=date(2026, 1, 1), **options)


def register(cloud: RunningCloud, proof: str, public_key: str) -> requests.Response:
    return requests.post(
        f"{cloud.api_url}/passes", json={"proof": proof, "public_key": public_key}, timeout=10
    )


def refused_with(reply: requests.Response, status: int, error: str) -> bool:
    return reply.status_code == status and reply.json()["error"] == error


def status_of(cloud: RunningCloud, pass_id: str) -> str:
    reply = requests.get(f"{cloud.api_url}/passes/{pass_id}", timeout=10)
    assert reply.status_code == 200, reply.text
    assert set(reply.json()) == {"pass_id", "status"}, "the status says nothing personal"
    return str(reply.json()["status"])


def kiosk_with_device_key(cloud: RunningCloud, kiosk_id: str) -> tuple[dict[str, str], Ed25519PrivateKey]:
    """Register a kiosk over HTTP with a device key the test holds; its auth header and that key."""
    key = generate_signing_key()
    body = cloud.registration_body(cloud.provision(), kiosk_id, key)
    reply = requests.post(f"{cloud.api_url}/register", json=body, timeout=10)
    assert reply.status_code == 201, reply.text
    credentials = reply.json()
    return {"Authorization": f"Bearer {credentials['device_id']}.{credentials['device_secret']}"}, key


def receipt(kiosk_id: str, checked_out: datetime, volunteer_id: str = "V1") -> ServiceReceipt:
    return ServiceReceipt(
        kiosk_id=kiosk_id,
        volunteer_id=volunteer_id,
        activity_id="A2026-0312",
        checked_in=checked_out - timedelta(hours=2),
        checked_out=checked_out,
        minutes=120,
        in_event_id=str(uuid.uuid4()),
        out_event_id=str(uuid.uuid4()),
    )


def pass_changes(cloud: RunningCloud, auth: dict[str, str]) -> dict[str, dict[str, Any] | None]:
    """Every ``pass`` change a kiosk pulls from the start: key -> data (None: deleted)."""
    found: dict[str, dict[str, Any] | None] = {}
    cursor = ""
    while True:
        page = requests.get(f"{cloud.api_url}/changes", params={"cursor": cursor}, headers=auth, timeout=10)
        assert page.status_code == 200, page.text
        body = page.json()
        found.update({c["key"]: c["data"] for c in body["changes"] if c["kind"] == "pass"})
        cursor = body["next_cursor"]
        if not body["more"]:
            return found


def test_a_card_registers_the_phone_and_kiosks_pull_its_public_key(site: RunningCloud) -> None:
    phone, public_key = phone_key()
    reply = register(site, card(site), public_key)
    assert reply.status_code == 201, reply.text
    registered = reply.json()
    assert registered == {
        "pass_id": registered["pass_id"],
        "volunteer_id": "V1",
        "display_name": "雷*霞",
        "created_utc": format_time(NOW),
        "step_seconds": 30,
    }
    pass_id = registered["pass_id"]
    assert len(pass_id) == 11 and pass_id.startswith("P") and pass_id[1:] == pass_id[1:].upper()
    int(pass_id[1:], 16)
    assert status_of(site, pass_id) == "active"
    auth = site.register("K1")
    assert pass_changes(site, auth) == {
        pass_id: {
            "pass_id": pass_id,
            "volunteer_id": "V1",
            "public_key": public_key,
            "created_utc": format_time(NOW),
            "revoked_utc": None,
        }
    }
    # What the kiosk pulled is enough to check the phone's codes offline.
    pulled_key = public_key_from(public_key)
    code = read_pass_code(sign_pass_code(pass_id, 59_000_000, phone))
    assert code.verify(pulled_key)


def test_a_receipt_or_its_url_registers_the_phone(site: RunningCloud, cloud_clock: MovingClock) -> None:
    _, device_key = kiosk_with_device_key(site, "K-RECEIPT")
    text = sign_receipt(receipt("K-RECEIPT", NOW - timedelta(hours=3)), device_key)
    first = register(site, text, phone_key()[1])
    assert first.status_code == 201, first.text
    assert first.json()["volunteer_id"] == "V1" and first.json()["display_name"] == "雷*霞"
    cloud_clock.advance(61)
    second = register(site, receipt_url("https://cloud.example.org/platform", text), phone_key()[1])
    assert second.status_code == 201, second.text
    assert status_of(site, first.json()["pass_id"]) == "revoked"


def test_proofs_that_prove_nothing_are_refused_and_change_nothing(
    site: RunningCloud, cloud_clock: MovingClock
) -> None:
    _, device_key = kiosk_with_device_key(site, "K-RECEIPT")
    _, stranger_key = kiosk_with_device_key(site, "K-OTHER")
    _, public_key = phone_key()
    genuine = card(site)
    forged_signature = genuine[:-4] + ("AAAA" if genuine[-4:] != "AAAA" else "BBBB")
    foreign_issuer = Issuer(generate_signing_key(), site.issuer.key_id)
    before = site.store.table_counts()
    with site.store.write() as writer:
        writer.revoke("V2", 2, "lost", NOW)
    revoked_counts = site.store.table_counts()
    cases = {
        "stale receipt": (
            sign_receipt(receipt("K-RECEIPT", NOW - timedelta(hours=25)), device_key),
            403,
            "proof_expired",
        ),
        "receipt of another kiosk's key": (
            sign_receipt(receipt("K-RECEIPT", NOW), stranger_key),
            403,
            "bad_proof",
        ),
        "receipt of an unknown kiosk": (sign_receipt(receipt("K-GHOST", NOW), device_key), 403, "bad_proof"),
        "forged card signature": (forged_signature, 403, "bad_proof"),
        "card of a key the platform never had": (
            foreign_issuer.issue_card("V1", "雷*霞", issued_on=date(2026, 1, 1)),
            403,
            "bad_proof",
        ),
        "revoked card": (card(site, "V2", card_no=2), 403, "card_revoked"),
        "expired card": (card(site, expires_on=date(2026, 2, 1)), 403, "proof_expired"),
        "volunteer not in the roster": (card(site, "V9"), 403, "unknown_volunteer"),
        "volunteer no longer active": (card(site, "V3"), 403, "unknown_volunteer"),
        "a card signed with the activity key": (
            site.activity_issuer.issue_card("V1", "雷*霞", issued_on=date(2026, 1, 1)),
            403,
            "bad_proof",
        ),
        "plain words": ("my name is 雷彩霞", 403, "bad_proof"),
    }
    for name, (proof, status, error) in cases.items():
        reply = register(site, proof, public_key)
        assert refused_with(reply, status, error), f"{name}: {reply.status_code} {reply.text}"
    for bad_key in ("", "not base64", base64.b64encode(b"x" * 31).decode(), public_key[:-2] + "B="):
        reply = register(site, genuine, bad_key)
        assert refused_with(reply, 400, "bad_public_key"), f"{bad_key!r}: {reply.text}"
    assert site.store.table_counts() == revoked_counts != before  # only the test's own revocation
    assert status_of(site, "PFFFFFFFFFF") == "unknown"


def test_a_second_phone_ends_the_first_and_kiosks_hear_of_both(
    site: RunningCloud, cloud_clock: MovingClock
) -> None:
    auth = site.register("K1")
    first_key, first_public = phone_key()
    first = register(site, card(site), first_public).json()
    again = register(site, card(site), first_public)  # the reply was lost: the same phone asks again
    assert again.status_code == 201 and again.json() == first
    cloud_clock.advance(30)
    _, second_public = phone_key()
    assert refused_with(register(site, card(site), second_public), 429, "rate_limited")
    cloud_clock.advance(31)
    second = register(site, card(site), second_public)
    assert second.status_code == 201, second.text
    second_id = second.json()["pass_id"]
    assert second_id != first["pass_id"]
    assert status_of(site, first["pass_id"]) == "revoked"
    assert status_of(site, second_id) == "active"
    pulled = pass_changes(site, auth)
    ended = format_time(NOW + timedelta(seconds=61))
    first_pulled = pulled[first["pass_id"]]
    assert first_pulled is not None and first_pulled["revoked_utc"] == ended
    second_pulled = pulled[second_id]
    assert second_pulled is not None and second_pulled["revoked_utc"] is None
    # Another volunteer's pass is theirs alone: registering it ends nothing of V1's.
    assert register(site, card(site, "V2"), phone_key()[1]).status_code == 201
    assert status_of(site, second_id) == "active"
    assert read_pass_code(sign_pass_code(first["pass_id"], 1, first_key)).pass_id == first["pass_id"]


def test_a_usb_change_bundle_carries_the_pass(site: RunningCloud) -> None:
    site.register("K-USB")
    box = X25519PrivateKey.generate()
    with site.store.write() as writer:  # as if the kiosk's first events bundle had been imported
        writer.record_bundle_import("K-USB", "b-1", "{}", NOW, x25519_public_b64(box), None, format_time(NOW))
    _, public_key = phone_key()
    pass_id = register(site, card(site), public_key).json()["pass_id"]
    export = export_changes(site.instance, "K-USB", NOW, full=True)
    bundle = parse_bundle(json.dumps(export.bundle).encode("utf-8"))
    signer = site.instance.keys.bundle_signer
    payload = bundle.verified_payload(bundle.document(box), public_key_from(signer.public_key_b64))
    changes = [change for page in payload["pages"] for change in page["changes"]]
    passes = [change for change in changes if change["kind"] == "pass"]
    assert passes == [
        {
            "kind": "pass",
            "op": "upsert",
            "key": pass_id,
            "data": {
                "pass_id": pass_id,
                "volunteer_id": "V1",
                "public_key": public_key,
                "created_utc": format_time(NOW),
                "revoked_utc": None,
            },
        }
    ]


def test_staff_list_and_revoke_a_lost_phone_from_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "cloud"
    with running_cloud(folder) as cloud:
        roster = tmp_path / "roster.csv"
        roster.write_text(ROSTER, encoding="utf-8")
        assert cloud.store.import_roster(roster).imported
        pass_id = register(cloud, card(cloud), phone_key()[1]).json()["pass_id"]
        runner = CliRunner()
        listed = runner.invoke(cli, ["--data", str(folder), "pass", "list", "V1"], catch_exceptions=False)
        assert listed.exit_code == 0 and pass_id in listed.output and "in use" in listed.output
        revoked = runner.invoke(cli, ["--data", str(folder), "pass", "revoke", "V1"], catch_exceptions=False)
        assert revoked.exit_code == 0 and pass_id in revoked.output
        assert status_of(cloud, pass_id) == "revoked"
        again = runner.invoke(cli, ["--data", str(folder), "pass", "revoke", "V1"], catch_exceptions=False)
        assert "no phone pass in use" in again.output
        listed = runner.invoke(cli, ["--data", str(folder), "pass", "list", "V1"], catch_exceptions=False)
        assert "revoked 20" in listed.output
        nobody = runner.invoke(cli, ["--data", str(folder), "pass", "list", "V2"], catch_exceptions=False)
        assert "V2 has no phone pass" in nobody.output
