"""Registering a kiosk with a one-time provisioning code (the proof of the device key: test_cloud_register_proof.py)."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import timedelta
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.cloud_server import RunningCloud

from checkin_protocol.codes.issuer import generate_signing_key
from cloud.provisioning import CODE_RE


def request_body(
    cloud: RunningCloud, code: str, kiosk_id: str, key: Ed25519PrivateKey | None = None
) -> dict[str, Any]:
    """A registration of ``key`` (a new one by default), signed over a fresh nonce."""
    return {**cloud.registration_body(code, kiosk_id, key or generate_signing_key()), "app_version": "0.1.0"}


def post(cloud: RunningCloud, body: dict[str, Any]) -> requests.Response:
    return requests.post(f"{cloud.api_url}/register", json=body, timeout=10)


def changes_ok(cloud: RunningCloud, reply: dict[str, Any]) -> int:
    auth = {"Authorization": f"Bearer {reply['device_id']}.{reply['device_secret']}"}
    return requests.get(f"{cloud.api_url}/changes", headers=auth, timeout=10).status_code


def test_a_kiosk_registers_and_gets_credentials_keys_and_the_bundle_key(shared_cloud: RunningCloud) -> None:
    code = shared_cloud.provision("north-3")
    assert CODE_RE.fullmatch(code) and code.startswith("KP1:north-3:")
    reply = post(shared_cloud, request_body(shared_cloud, code, "K1A2B3C4D5E"))
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["device_id"] == "K1A2B3C4D5E" and body["area_id"] == "north-3"
    assert len(base64.urlsafe_b64decode(body["device_secret"] + "=")) == 32
    assert body["platform_keys"] == sorted(
        (
            {"key_id": signer.key_id, "public_key": signer.public_key_b64, "purposes": purpose.value}
            for purpose, signer in shared_cloud.instance.keys.signers.items()
        ),
        key=lambda k: k["key_id"],
    ), "the platform's four keys, each with its one purpose"
    assert len(base64.b64decode(body["bundle_public_key"], validate=True)) == 32
    assert changes_ok(shared_cloud, body) == 200


def test_the_server_keeps_only_a_hash_of_the_secret(shared_cloud: RunningCloud) -> None:
    body = post(shared_cloud, request_body(shared_cloud, shared_cloud.provision(), "K00000000C3")).json()
    sqlite_file = shared_cloud.data / "cloud.db"
    if sqlite_file.exists():  # every byte the database holds, its write-ahead log included
        database = sqlite_file.read_bytes() + (shared_cloud.data / "cloud.db-wal").read_bytes()
    else:  # PostgreSQL: every value of every table the server wrote
        with shared_cloud.store.read() as reader:
            tables = reader.table_counts()
            database = repr(
                [reader._conn.execute(f"SELECT * FROM {table}").fetchall() for table in tables]
            ).encode()
    assert body["device_secret"].encode() not in database
    assert hashlib.sha256(body["device_secret"].encode()).hexdigest().encode() in database


def test_a_code_works_once(shared_cloud: RunningCloud) -> None:
    code = shared_cloud.provision()
    assert post(shared_cloud, request_body(shared_cloud, code, "K00000000D4")).status_code == 201
    second = request_body(shared_cloud, code, "K00000000E5")
    before = shared_cloud.store.table_counts()
    again = post(shared_cloud, second)
    assert again.status_code == 409 and again.json()["error"] == "code_used"
    assert shared_cloud.store.table_counts() == before


def test_a_retry_after_a_lost_reply_gets_a_new_secret_and_the_old_one_stops(
    shared_cloud: RunningCloud,
) -> None:
    code, key = shared_cloud.provision(), generate_signing_key()
    first = post(shared_cloud, request_body(shared_cloud, code, "K00000000F6", key)).json()
    retry = post(shared_cloud, request_body(shared_cloud, code, "K00000000F6", key))
    assert retry.status_code == 201
    assert retry.json()["device_secret"] != first["device_secret"]
    assert changes_ok(shared_cloud, retry.json()) == 200
    assert changes_ok(shared_cloud, first) == 401
    other_key = post(
        shared_cloud, request_body(shared_cloud, code, "K00000000F6")
    )  # same kiosk ID, someone else's key
    assert other_key.status_code == 409 and other_key.json()["error"] == "code_used"


def test_a_retry_long_after_the_first_use_is_refused(
    shared_cloud: RunningCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, key = shared_cloud.provision(), generate_signing_key()
    assert post(shared_cloud, request_body(shared_cloud, code, "K00000000G7", key)).status_code == 201
    later = shared_cloud.instance.clock() + timedelta(hours=2)
    monkeypatch.setattr(shared_cloud.instance, "clock", lambda: later)
    assert (
        post(shared_cloud, request_body(shared_cloud, code, "K00000000G7", key)).json()["error"]
        == "code_used"
    )


def test_a_kiosk_id_registers_once(shared_cloud: RunningCloud) -> None:
    assert (
        post(shared_cloud, request_body(shared_cloud, shared_cloud.provision(), "K00000000H8")).status_code
        == 201
    )
    code = shared_cloud.provision()
    again = request_body(shared_cloud, code, "K00000000H8")
    before = shared_cloud.store.table_counts()
    reply = post(shared_cloud, again)
    assert reply.status_code == 409 and reply.json()["error"] == "kiosk_exists"
    assert shared_cloud.store.table_counts() == before
    assert post(shared_cloud, request_body(shared_cloud, code, "K00000000H9")).status_code == 201, (
        "the code was not used up"
    )


@pytest.mark.parametrize(
    "code",
    [
        "KP1:test:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "KP1:test:short",
        "hello",
        "",
        "KP2:x:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_an_unknown_or_malformed_code_is_403(shared_cloud: RunningCloud, code: str) -> None:
    body = request_body(shared_cloud, code, "K00000000J1")
    before = shared_cloud.store.table_counts()
    reply = post(shared_cloud, body)
    assert reply.status_code == 403 and reply.json()["error"] == "unknown_code"
    assert shared_cloud.store.table_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("device_public_key", "not base64!"),
        ("device_public_key", base64.b64encode(b"x" * 31).decode()),
        ("kiosk_id", "K.1"),
        ("kiosk_id", ""),
        ("app_version", ""),
        ("provisioning_code", 5),
    ],
)
def test_a_bad_request_is_400_and_leaves_the_code_unused(
    shared_cloud: RunningCloud, field: str, value: object
) -> None:
    code, kiosk_id = shared_cloud.provision(), "K" + uuid.uuid4().hex[:10].upper()
    body = request_body(shared_cloud, code, kiosk_id)
    body[field] = value
    before = shared_cloud.store.table_counts()
    reply = post(shared_cloud, body)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert field in reply.json()["message"]
    assert shared_cloud.store.table_counts() == before
    assert post(shared_cloud, request_body(shared_cloud, code, kiosk_id)).status_code == 201
