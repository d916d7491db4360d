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
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.cloud_server import RunningCloud

from checkin_protocol.codes.issuer import generate_signing_key, public_key_b64
from cloud.provisioning import register_by_bundle

PREFIX = b"volunteer-kiosk/register/v1"


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


def test_a_nonce_is_random_and_lives_five_minutes(shared_cloud: RunningCloud) -> None:
    before = shared_cloud.instance.clock()
    first, second = ask_nonce(shared_cloud, "K-NONCE-1"), ask_nonce(shared_cloud, "K-NONCE-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["nonce"] != second.json()["nonce"]
    assert len(base64.urlsafe_b64decode(first.json()["nonce"] + "=")) == 32
    expires = datetime.fromisoformat(first.json()["expires_utc"])
    assert timedelta(minutes=4, seconds=59) < expires - before <= timedelta(minutes=5, seconds=5)


def test_a_kiosk_registers_with_a_signature_over_the_nonce(shared_cloud: RunningCloud) -> None:
    key = generate_signing_key()
    reply = post(shared_cloud, body(shared_cloud, shared_cloud.provision(), "K-PROOF-1", key))
    assert reply.status_code == 201, reply.text
    assert works(shared_cloud, reply.json())


@pytest.mark.parametrize("missing", ["nonce", "device_signature"])
def test_a_registration_without_proof_is_refused_and_the_code_stays_unused(
    shared_cloud: RunningCloud, missing: str
) -> None:
    code, key, kiosk_id = shared_cloud.provision(), generate_signing_key(), f"K-PROOF-2-{len(missing)}"
    request = body(shared_cloud, code, kiosk_id, key)
    del request[missing]
    before = shared_cloud.store.table_counts()
    reply = post(shared_cloud, request)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert missing in reply.json()["message"]
    assert shared_cloud.store.table_counts() == before
    assert post(shared_cloud, body(shared_cloud, code, kiosk_id, key)).status_code == 201


def test_knowing_the_used_code_and_the_public_key_does_not_take_over_a_kiosk(
    shared_cloud: RunningCloud,
) -> None:
    code, kiosk_key, attacker_key = shared_cloud.provision(), generate_signing_key(), generate_signing_key()
    first = post(shared_cloud, body(shared_cloud, code, "K-VICTIM-1", kiosk_key)).json()
    forged = body(shared_cloud, code, "K-VICTIM-1", kiosk_key, signer=attacker_key)
    before = shared_cloud.store.table_counts()
    reply = post(shared_cloud, forged)
    assert reply.status_code == 403 and reply.json()["error"] == "bad_signature"
    assert "device key" in reply.json()["message"]
    assert shared_cloud.store.table_counts() == before, "a refusal changes nothing"
    assert works(shared_cloud, first), "the kiosk's secret was not replaced"
    garbage = dict(forged, nonce=new_nonce(shared_cloud, "K-VICTIM-1"), device_signature="A" * 86 + "==")
    assert post(shared_cloud, garbage).json()["error"] == "bad_signature"
    # The real kiosk, retrying after a lost reply, still can.
    retry = post(shared_cloud, body(shared_cloud, code, "K-VICTIM-1", kiosk_key))
    assert retry.status_code == 201 and works(shared_cloud, retry.json()) and not works(shared_cloud, first)


def test_a_kiosk_registered_by_usb_cannot_be_taken_over_online(shared_cloud: RunningCloud) -> None:
    code, kiosk_key = shared_cloud.provision(), generate_signing_key()
    now = shared_cloud.instance.clock()
    assert register_by_bundle(shared_cloud.store, "K-USB-1", code, public_key_b64(kiosk_key), "0.1.0", now)
    forged = post(shared_cloud, body(shared_cloud, code, "K-USB-1", kiosk_key, signer=generate_signing_key()))
    assert forged.status_code == 403 and forged.json()["error"] == "bad_signature"
    real = post(shared_cloud, body(shared_cloud, code, "K-USB-1", kiosk_key))
    assert real.status_code == 201 and works(shared_cloud, real.json())


def test_a_signature_made_for_another_kiosk_id_is_refused(shared_cloud: RunningCloud) -> None:
    key = generate_signing_key()
    request = body(shared_cloud, shared_cloud.provision(), "K-PROOF-3", key, signed_kiosk_id="K-PROOF-X")
    reply = post(shared_cloud, request)
    assert reply.status_code == 403 and reply.json()["error"] == "bad_signature"


def test_a_nonce_works_once(shared_cloud: RunningCloud) -> None:
    code, key = shared_cloud.provision(), generate_signing_key()
    request = body(shared_cloud, code, "K-ONCE-1", key)
    assert post(shared_cloud, request).status_code == 201
    replay = post(shared_cloud, request)
    assert replay.status_code == 403 and replay.json()["error"] == "bad_nonce"
    assert "new one" in replay.json()["message"]


def test_a_refused_registration_leaves_its_nonce_usable(shared_cloud: RunningCloud) -> None:
    key = generate_signing_key()
    nonce = new_nonce(shared_cloud, "K-ONCE-2")
    unknown = body(shared_cloud, "KP1:test:" + "A" * 32, "K-ONCE-2", key, nonce=nonce)
    assert post(shared_cloud, unknown).json()["error"] == "unknown_code"
    assert (
        post(
            shared_cloud, body(shared_cloud, shared_cloud.provision(), "K-ONCE-2", key, nonce=nonce)
        ).status_code
        == 201
    )


def test_an_expired_nonce_is_refused(shared_cloud: RunningCloud, monkeypatch: pytest.MonkeyPatch) -> None:
    code, key = shared_cloud.provision(), generate_signing_key()
    request = body(shared_cloud, code, "K-LATE-1", key)
    later = shared_cloud.instance.clock() + timedelta(minutes=5, seconds=1)
    monkeypatch.setattr(shared_cloud.instance, "clock", lambda: later)
    reply = post(shared_cloud, request)
    assert reply.status_code == 403 and reply.json()["error"] == "bad_nonce"
    assert post(shared_cloud, body(shared_cloud, code, "K-LATE-1", key)).status_code == 201, (
        "the code was not used up"
    )


def test_a_nonce_is_only_for_the_kiosk_that_asked_for_it(shared_cloud: RunningCloud) -> None:
    key = generate_signing_key()
    nonce = new_nonce(shared_cloud, "K-ASKED-1")
    reply = post(shared_cloud, body(shared_cloud, shared_cloud.provision(), "K-ASKED-2", key, nonce=nonce))
    assert reply.status_code == 403 and reply.json()["error"] == "bad_nonce"


def test_outstanding_nonces_are_bounded_and_expired_ones_dropped(
    shared_cloud: RunningCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cloud.registration_nonces.MAX_OUTSTANDING_NONCES", 5)
    oldest = new_nonce(shared_cloud, "K-FLOOD-1")
    for _ in range(12):
        new_nonce(shared_cloud, "K-FLOOD-1")
    assert outstanding(shared_cloud) == 5
    key = generate_signing_key()
    evicted = post(shared_cloud, body(shared_cloud, shared_cloud.provision(), "K-FLOOD-1", key, nonce=oldest))
    assert evicted.json()["error"] == "bad_nonce", "the oldest nonce made room for a new one"
    later = shared_cloud.instance.clock() + timedelta(minutes=6)
    monkeypatch.setattr(shared_cloud.instance, "clock", lambda: later)
    new_nonce(shared_cloud, "K-FLOOD-2")
    assert outstanding(shared_cloud) == 1, "expired nonces are deleted when a new one is issued"


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
    shared_cloud: RunningCloud, request_body: dict[str, Any]
) -> None:
    before = shared_cloud.store.table_counts()
    reply = requests.post(f"{shared_cloud.api_url}/register/nonce", json=request_body, timeout=10)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert shared_cloud.store.table_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nonce", "short"),
        ("nonce", "!" * 43),
        ("device_signature", "not base64"),
        ("device_signature", base64.b64encode(b"x" * 63).decode()),
    ],
)
def test_a_malformed_proof_is_400(shared_cloud: RunningCloud, field: str, value: str) -> None:
    request = body(shared_cloud, shared_cloud.provision(), "K-SHAPE-1", generate_signing_key())
    request[field] = value
    reply = post(shared_cloud, request)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert field in reply.json()["message"]
