"""Registration proves the device key: an Ed25519 signature over a fresh, single-use server nonce.

Before this, anyone who knew a used provisioning code and a kiosk's public
key (both travel on USB sticks) could present them again and get the
kiosk's new secret. The message signed is built here from the protocol's
words (docs/sync-protocol.md, "Proof of the device key"), not with the
kiosk's code, so the test checks the documented format too.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.cloud_server import RunningCloud, running_cloud

from checkin_protocol.codes.issuer import generate_signing_key, public_key_b64
from cloud.provisioning import register_by_bundle

PREFIX = b"volunteer-kiosk/register/v1"


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCloud]:
    with running_cloud(tmp_path_factory.mktemp("cloud")) as running:
        yield running


def signed_message(nonce: str, kiosk_id: str, code: str, public_key: str) -> bytes:
    code_hash = hashlib.sha256(code.encode()).hexdigest()
    return b"\n".join([PREFIX, nonce.encode(), kiosk_id.encode(), code_hash.encode(), public_key.encode()])


def ask_nonce(cloud: RunningCloud, kiosk_id: str) -> requests.Response:
    return requests.post(f"{cloud.api_url}/register/nonce", json={"kiosk_id": kiosk_id}, timeout=10)


def new_nonce(cloud: RunningCloud, kiosk_id: str) -> str:
    reply = ask_nonce(cloud, kiosk_id)
    assert reply.status_code == 201, reply.text
    return str(reply.json()["nonce"])


def body(
    cloud: RunningCloud,
    code: str,
    kiosk_id: str,
    key: Ed25519PrivateKey,
    *,
    signer: Ed25519PrivateKey | None = None,
    nonce: str | None = None,
    signed_kiosk_id: str | None = None,
) -> dict[str, Any]:
    """A registration of ``key``'s public half, signed by ``signer`` (default: ``key`` itself)."""
    public = public_key_b64(key)
    nonce = nonce or new_nonce(cloud, kiosk_id)
    message = signed_message(nonce, signed_kiosk_id or kiosk_id, code, public)
    signature = (signer or key).sign(message)
    return {
        "provisioning_code": code,
        "kiosk_id": kiosk_id,
        "app_version": "0.1.0",
        "device_public_key": public,
        "nonce": nonce,
        "device_signature": base64.b64encode(signature).decode("ascii"),
    }


def post(cloud: RunningCloud, request: dict[str, Any]) -> requests.Response:
    return requests.post(f"{cloud.api_url}/register", json=request, timeout=10)


def works(cloud: RunningCloud, reply: dict[str, Any]) -> bool:
    auth = {"Authorization": f"Bearer {reply['device_id']}.{reply['device_secret']}"}
    return requests.get(f"{cloud.api_url}/changes", headers=auth, timeout=10).status_code == 200


def outstanding(cloud: RunningCloud) -> int:
    return cloud.store.table_counts()["registration_nonces"]


def test_a_nonce_is_random_and_lives_five_minutes(cloud: RunningCloud) -> None:
    before = cloud.instance.clock()
    first, second = ask_nonce(cloud, "K-NONCE-1"), ask_nonce(cloud, "K-NONCE-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["nonce"] != second.json()["nonce"]
    assert len(base64.urlsafe_b64decode(first.json()["nonce"] + "=")) == 32
    expires = datetime.fromisoformat(first.json()["expires_utc"])
    assert timedelta(minutes=4, seconds=59) < expires - before <= timedelta(minutes=5, seconds=5)


def test_a_kiosk_registers_with_a_signature_over_the_nonce(cloud: RunningCloud) -> None:
    key = generate_signing_key()
    reply = post(cloud, body(cloud, cloud.provision(), "K-PROOF-1", key))
    assert reply.status_code == 201, reply.text
    assert works(cloud, reply.json())


@pytest.mark.parametrize("missing", ["nonce", "device_signature"])
def test_a_registration_without_proof_is_refused_and_the_code_stays_unused(
    cloud: RunningCloud, missing: str
) -> None:
    code, key, kiosk_id = cloud.provision(), generate_signing_key(), f"K-PROOF-2-{len(missing)}"
    request = body(cloud, code, kiosk_id, key)
    del request[missing]
    before = cloud.store.table_counts()
    reply = post(cloud, request)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert missing in reply.json()["message"]
    assert cloud.store.table_counts() == before
    assert post(cloud, body(cloud, code, kiosk_id, key)).status_code == 201


def test_knowing_the_used_code_and_the_public_key_does_not_take_over_a_kiosk(cloud: RunningCloud) -> None:
    code, kiosk_key, attacker_key = cloud.provision(), generate_signing_key(), generate_signing_key()
    first = post(cloud, body(cloud, code, "K-VICTIM-1", kiosk_key)).json()
    forged = body(cloud, code, "K-VICTIM-1", kiosk_key, signer=attacker_key)
    before = cloud.store.table_counts()
    reply = post(cloud, forged)
    assert reply.status_code == 403 and reply.json()["error"] == "bad_signature"
    assert "device key" in reply.json()["message"]
    assert cloud.store.table_counts() == before, "a refusal changes nothing"
    assert works(cloud, first), "the kiosk's secret was not replaced"
    garbage = dict(forged, nonce=new_nonce(cloud, "K-VICTIM-1"), device_signature="A" * 86 + "==")
    assert post(cloud, garbage).json()["error"] == "bad_signature"
    # The real kiosk, retrying after a lost reply, still can.
    retry = post(cloud, body(cloud, code, "K-VICTIM-1", kiosk_key))
    assert retry.status_code == 201 and works(cloud, retry.json()) and not works(cloud, first)


def test_a_kiosk_registered_by_usb_cannot_be_taken_over_online(cloud: RunningCloud) -> None:
    code, kiosk_key = cloud.provision(), generate_signing_key()
    now = cloud.instance.clock()
    assert register_by_bundle(cloud.store, "K-USB-1", code, public_key_b64(kiosk_key), "0.1.0", now)
    forged = post(cloud, body(cloud, code, "K-USB-1", kiosk_key, signer=generate_signing_key()))
    assert forged.status_code == 403 and forged.json()["error"] == "bad_signature"
    real = post(cloud, body(cloud, code, "K-USB-1", kiosk_key))
    assert real.status_code == 201 and works(cloud, real.json())


def test_a_signature_made_for_another_kiosk_id_is_refused(cloud: RunningCloud) -> None:
    key = generate_signing_key()
    request = body(cloud, cloud.provision(), "K-PROOF-3", key, signed_kiosk_id="K-PROOF-X")
    reply = post(cloud, request)
    assert reply.status_code == 403 and reply.json()["error"] == "bad_signature"


def test_a_nonce_works_once(cloud: RunningCloud) -> None:
    code, key = cloud.provision(), generate_signing_key()
    request = body(cloud, code, "K-ONCE-1", key)
    assert post(cloud, request).status_code == 201
    replay = post(cloud, request)
    assert replay.status_code == 403 and replay.json()["error"] == "bad_nonce"
    assert "new one" in replay.json()["message"]


def test_a_refused_registration_leaves_its_nonce_usable(cloud: RunningCloud) -> None:
    key = generate_signing_key()
    nonce = new_nonce(cloud, "K-ONCE-2")
    unknown = body(cloud, "KP1:test:" + "A" * 32, "K-ONCE-2", key, nonce=nonce)
    assert post(cloud, unknown).json()["error"] == "unknown_code"
    assert post(cloud, body(cloud, cloud.provision(), "K-ONCE-2", key, nonce=nonce)).status_code == 201


def test_an_expired_nonce_is_refused(cloud: RunningCloud, monkeypatch: pytest.MonkeyPatch) -> None:
    code, key = cloud.provision(), generate_signing_key()
    request = body(cloud, code, "K-LATE-1", key)
    later = cloud.instance.clock() + timedelta(minutes=5, seconds=1)
    monkeypatch.setattr(cloud.instance, "clock", lambda: later)
    reply = post(cloud, request)
    assert reply.status_code == 403 and reply.json()["error"] == "bad_nonce"
    assert post(cloud, body(cloud, code, "K-LATE-1", key)).status_code == 201, "the code was not used up"


def test_a_nonce_is_only_for_the_kiosk_that_asked_for_it(cloud: RunningCloud) -> None:
    key = generate_signing_key()
    nonce = new_nonce(cloud, "K-ASKED-1")
    reply = post(cloud, body(cloud, cloud.provision(), "K-ASKED-2", key, nonce=nonce))
    assert reply.status_code == 403 and reply.json()["error"] == "bad_nonce"


def test_outstanding_nonces_are_bounded_and_expired_ones_dropped(
    cloud: RunningCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cloud.registration_nonces.MAX_OUTSTANDING_NONCES", 5)
    oldest = new_nonce(cloud, "K-FLOOD-1")
    for _ in range(12):
        new_nonce(cloud, "K-FLOOD-1")
    assert outstanding(cloud) == 5
    key = generate_signing_key()
    evicted = post(cloud, body(cloud, cloud.provision(), "K-FLOOD-1", key, nonce=oldest))
    assert evicted.json()["error"] == "bad_nonce", "the oldest nonce made room for a new one"
    later = cloud.instance.clock() + timedelta(minutes=6)
    monkeypatch.setattr(cloud.instance, "clock", lambda: later)
    new_nonce(cloud, "K-FLOOD-2")
    assert outstanding(cloud) == 1, "expired nonces are deleted when a new one is issued"


@pytest.mark.parametrize(
    "request_body",
    [
        {"kiosk_id": "K.1"},
        {"kiosk_id": ""},
        {"kiosk_id": 5},
        {},
        {"kiosk_id": "K1", "extra": "x"},
    ],
)
def test_a_bad_nonce_request_is_400_and_stores_nothing(
    cloud: RunningCloud, request_body: dict[str, Any]
) -> None:
    before = cloud.store.table_counts()
    reply = requests.post(f"{cloud.api_url}/register/nonce", json=request_body, timeout=10)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert cloud.store.table_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nonce", "short"),
        ("nonce", "!" * 43),
        ("device_signature", "not base64"),
        ("device_signature", base64.b64encode(b"x" * 63).decode()),
    ],
)
def test_a_malformed_proof_is_400(cloud: RunningCloud, field: str, value: str) -> None:
    request = body(cloud, cloud.provision(), "K-SHAPE-1", generate_signing_key())
    request[field] = value
    reply = post(cloud, request)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert field in reply.json()["message"]
