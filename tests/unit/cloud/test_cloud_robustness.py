"""Hostile and broken requests get the right 4xx, in the protocol's error form, and change nothing."""

from __future__ import annotations

import gzip
import json
import uuid
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from helpers.cloud_server import RunningCloud

from cloud.body_guard import gunzip_limited
from cloud.errors import ApiError

KIOSK = "K0000000R01"
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def auth(shared_cloud: RunningCloud) -> dict[str, str]:
    return shared_cloud.register(KIOSK)


def event(seq: int) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "kiosk_id": KIOSK,
        "seq": seq,
        "volunteer_id": "V1",
        "activity_id": "A1",
        "action": "in",
        "method": "scanner",
        "wall_utc": "2026-03-12T00:30:00.000+00:00",
        "utc_offset_min": 480,
        "monotonic_ns": seq,
        "boot_id": "b1",
        "ref_event_id": None,
        "auto_closed": False,
        "credit_seconds": None,
        "actor": None,
    }


def body(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "batch_id": str(uuid.uuid4()),
        "sent_at_device": "2026-03-12T00:31:00.000+00:00",
        "clock_offset_s": 1.5,
        "events": events,
    }


def refused(
    cloud: RunningCloud, status: int, error: str, *, headers: dict[str, str], **request: Any
) -> dict[str, Any]:
    """Send a request that must be refused; check the reply and that nothing changed."""
    before = cloud.store.table_counts()
    reply = requests.post(f"{cloud.api_url}/events", headers=headers, timeout=30, **request)
    assert reply.status_code == status, reply.text
    payload = reply.json()
    assert set(payload) == {"error", "message"} and payload["error"] == error
    assert payload["message"] and "Traceback" not in payload["message"]
    assert cloud.store.table_counts() == before
    return dict(payload)


def json_headers(auth: dict[str, str], **extra: str) -> dict[str, str]:
    return {**auth, "Content-Type": "application/json", **extra}


@pytest.mark.parametrize(
    "data",
    [b"{", b'{"batch_id": ', b"[1,", b"\xff\xfe{}", b"{'single': 'quotes'}", b"[" * 100_000 + b"]" * 100_000],
    ids=["open-brace", "cut-short", "open-array", "not-utf8", "python-literal", "nested-too-deep"],
)
def test_malformed_json_is_400_malformed_json(
    shared_cloud: RunningCloud, auth: dict[str, str], data: bytes
) -> None:
    refused(shared_cloud, 400, "malformed_json", headers=json_headers(auth), data=data)


def test_an_empty_body_is_400_malformed_json(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    refused(shared_cloud, 400, "malformed_json", headers=json_headers(auth), data=b"")


def test_a_body_over_4_mib_on_the_wire_is_413(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    huge = json.dumps(body([event(1)] * 15_000)).encode()
    assert len(huge) > 4 * MIB
    refused(shared_cloud, 413, "too_large", headers=json_headers(auth), data=huge)


def test_a_chunked_body_over_4_mib_is_413_while_reading(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count as it reads
        for _ in range(6):
            yield b" " * MIB

    refused(shared_cloud, 413, "too_large", headers=json_headers(auth), data=chunks())


def test_a_gzip_bomb_is_413_without_inflating_it_all(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    bomb = gzip.compress(b" " * (64 * MIB), compresslevel=9)
    assert len(bomb) < 4 * MIB
    refused(
        shared_cloud, 413, "too_large", headers=json_headers(auth, **{"Content-Encoding": "gzip"}), data=bomb
    )


def test_a_gzip_body_is_accepted(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    events = [event(seq) for seq in range(1, 4)]
    data = gzip.compress(json.dumps(body(events)).encode())
    reply = requests.post(
        f"{shared_cloud.api_url}/events",
        data=data,
        headers=json_headers(auth, **{"Content-Encoding": "gzip"}),
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["accepted"] == [e["event_id"] for e in events]


def test_bad_gzip_is_400(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    headers = json_headers(auth, **{"Content-Encoding": "gzip"})
    refused(shared_cloud, 400, "malformed_gzip", headers=headers, data=b"{not gzip}")
    refused(shared_cloud, 400, "malformed_gzip", headers=headers, data=gzip.compress(b"{}" * 1000)[:-20])


@pytest.mark.parametrize(
    ("content_type", "encoding", "error"),
    [
        ("text/plain", None, "unsupported_media_type"),
        ("application/x-www-form-urlencoded", None, "unsupported_media_type"),
        ("application/json; charset=latin-1", None, "unsupported_media_type"),
        (None, None, "unsupported_media_type"),
        ("application/json", "br", "unsupported_encoding"),
    ],
)
def test_a_body_that_is_not_json_is_415(
    shared_cloud: RunningCloud,
    auth: dict[str, str],
    content_type: str | None,
    encoding: str | None,
    error: str,
) -> None:
    headers = dict(auth)
    if content_type is not None:
        headers["Content-Type"] = content_type
    if encoding is not None:
        headers["Content-Encoding"] = encoding
    refused(shared_cloud, 415, error, headers=headers, data=json.dumps(body([event(100)])).encode())


def test_json_with_a_charset_parameter_is_fine(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    reply = requests.post(
        f"{shared_cloud.api_url}/events",
        data=json.dumps(body([])).encode(),
        headers=json_headers(auth, **{"Content-Type": "application/json; charset=UTF-8"}),
        timeout=10,
    )
    assert reply.status_code == 200, reply.text


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer K0000000X99.c2VjcmV0",  # unknown device
        "Bearer K0000000R01.wrong-secret",  # known device, wrong secret
        "Bearer K0000000R01",  # no secret
        "Basic dXNlcjpwYXNz",
        "Bearer " + "A" * 500,
    ],
    ids=["missing", "unknown-device", "wrong-secret", "no-secret", "basic", "too-long"],
)
def test_bad_credentials_are_401_and_all_look_the_same(
    shared_cloud: RunningCloud, auth: dict[str, str], authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    payload = refused(shared_cloud, 401, "unauthenticated", headers=headers, json=body([event(200)]))
    assert payload == {
        "error": "unauthenticated",
        "message": "the device credentials are not valid; register the kiosk again",
    }
    reply = requests.get(f"{shared_cloud.api_url}/changes", headers=headers, timeout=10)
    assert reply.status_code == 401 and reply.json() == payload


def test_more_than_500_events_is_400_batch_too_large(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    refused(
        shared_cloud, 400, "batch_too_large", headers=auth, json=body([event(1000 + i) for i in range(501)])
    )


def test_exactly_500_events_are_taken(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    reply = requests.post(
        f"{shared_cloud.api_url}/events",
        headers=auth,
        json=body([event(2000 + i) for i in range(500)]),
        timeout=30,
    )
    assert reply.status_code == 200 and len(reply.json()["accepted"]) == 500


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"batch_id": None}, "batch_id"),
        ({"batch_id": "x"}, "batch_id"),
        ({"sent_at_device": "yesterday"}, "sent_at_device"),
        ({"clock_offset_s": "12"}, "clock_offset_s"),
        ({"clock_offset_s": 1e12}, "clock_offset_s"),
        ({"events": {"a": 1}}, "events"),
    ],
)
def test_a_request_that_does_not_fit_the_model_is_400_invalid_request_in_plain_words(
    shared_cloud: RunningCloud, auth: dict[str, str], change: dict[str, Any], field: str
) -> None:
    payload = refused(shared_cloud, 400, "invalid_request", headers=auth, json=body([event(300)]) | change)
    assert payload["message"].startswith(f"{field}: ")


def test_a_missing_field_is_named(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    data = body([event(301)])
    del data["events"]
    assert (
        refused(shared_cloud, 400, "invalid_request", headers=auth, json=data)["message"]
        == "events: Field required"
    )
    assert refused(shared_cloud, 400, "invalid_request", headers=auth, json=[data])["message"]


def test_unknown_paths_and_methods_answer_in_the_error_form(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    missing = requests.get(f"{shared_cloud.api_url}/nothing-here", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    wrong_method = requests.get(f"{shared_cloud.api_url}/events", headers=auth, timeout=10)
    assert wrong_method.status_code == 405 and wrong_method.json()["error"] == "method_not_allowed"


def test_gunzip_limited_inflates_several_members_and_stops_at_the_limit() -> None:
    assert gunzip_limited(gzip.compress(b"ab") + gzip.compress(b"cd"), 10) == b"abcd"
    assert gunzip_limited(gzip.compress(b"x" * 10), 10) == b"x" * 10
    with pytest.raises(ApiError) as too_large:
        gunzip_limited(gzip.compress(b"x" * 11), 10)
    assert too_large.value.status == 413
    raw_deflate = zlib.compress(b"{}")  # zlib framing, not gzip
    with pytest.raises(ApiError) as not_gzip:
        gunzip_limited(raw_deflate, 10)
    assert not_gzip.value.error == "malformed_gzip"
