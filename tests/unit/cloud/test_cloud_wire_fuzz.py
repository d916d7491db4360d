"""Whatever body arrives, the server answers in the protocol's error form (or takes it), never with a 500.

Bodies are random bytes, random JSON and nested JSON, plain and gzip, sent
to every route that takes a body: the nesting limit over HTTP to the real
server on 127.0.0.1, the fuzzing straight into the same ASGI app (with its
body guard and error handlers) in this process, which is fifty times
quicker than a round trip and lets an unexpected exception surface as itself.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
import requests
from fastapi import FastAPI
from helpers.cloud_server import RunningCloud
from helpers.fuzz import fuzz_settings
from hypothesis import example, given
from hypothesis import strategies as st
from starlette.types import Message, Scope

from checkin_protocol.untrusted_json import MAX_DEPTH
from cloud.api import create_app

KIOSK = "K0000000W01"
POST_ROUTES = ("/register/nonce", "/register", "/events", "/face")
ANSWERS = {200, 201, 400, 401, 403, 409, 413, 415}
FUZZ = fuzz_settings(500)


@pytest.fixture(scope="module")
def session(shared_cloud: RunningCloud) -> Iterator[requests.Session]:
    with requests.Session() as http:
        http.headers.update(shared_cloud.register(KIOSK))
        yield http


def _post(cloud: RunningCloud, http: requests.Session, route: str, data: bytes, gzipped: bool) -> Any:
    headers = {"Content-Type": "application/json"}
    if gzipped:
        data = gzip.compress(data, mtime=0)
        headers["Content-Encoding"] = "gzip"
    reply = http.post(f"{cloud.api_url}{route}", data=data, headers=headers, timeout=30)
    assert reply.status_code in ANSWERS, (reply.status_code, reply.text)
    payload = reply.json()
    if reply.status_code >= 400:
        assert set(payload) == {"error", "message"} and payload["message"], payload
    return reply.status_code, payload


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("route", POST_ROUTES)
def test_a_body_nested_past_the_limit_is_malformed_json_before_the_app_reads_it(
    shared_cloud: RunningCloud, session: requests.Session, route: str, gzipped: bool
) -> None:
    before = shared_cloud.store.table_counts()
    deep = b'{"batch_id": ' + b"[" * (MAX_DEPTH + 8) + b"]" * (MAX_DEPTH + 8) + b"}"
    status, payload = _post(shared_cloud, session, route, deep, gzipped)
    assert (status, payload["error"]) == (400, "malformed_json"), payload
    assert f"nested {MAX_DEPTH + 9} levels deep" in payload["message"], payload
    assert shared_cloud.store.table_counts() == before


def test_a_body_at_the_limit_reaches_the_app(shared_cloud: RunningCloud, session: requests.Session) -> None:
    nested: Any = "x"
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    status, payload = _post(
        shared_cloud, session, "/events", json.dumps({"batch_id": nested}).encode(), False
    )
    assert (status, payload["error"]) == (400, "invalid_request"), (
        payload
    )  # judged by the model, not the guard


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)
_FIELDS = st.sampled_from(
    ["batch_id", "events", "records", "kiosk_id", "provisioning_code", "sent_at_device"]
)
_SHAPED = st.dictionaries(_FIELDS, _JSON, max_size=5).map(lambda d: json.dumps(d).encode())


@pytest.fixture(scope="module")
def app(shared_cloud: RunningCloud) -> FastAPI:
    return create_app(shared_cloud.instance)


def _asgi_post(app: FastAPI, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    """One POST through the ASGI app, as uvicorn would hand it over; (status, body) of the reply."""
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    messages: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
    reply: dict[str, Any] = {"status": None, "body": b""}

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            reply["status"] = message["status"]
        elif message["type"] == "http.response.body":
            reply["body"] += message.get("body", b"")

    anyio.run(app, scope, receive, send)
    return int(reply["status"]), bytes(reply["body"])


@FUZZ
@given(
    route=st.sampled_from(POST_ROUTES),
    data=st.binary(max_size=300) | _JSON.map(lambda v: json.dumps(v).encode()) | _SHAPED,
    gzipped=st.booleans(),
)
@example(route="/events", data=b"[" * 100_000, gzipped=True)
@example(route="/events", data=b'{"batch_id": NaN}', gzipped=False)
@example(route="/register", data=b"\xef\xbb\xbf{}", gzipped=False)
def test_any_body_gets_an_answer_in_the_protocol_form(
    app: FastAPI, session: requests.Session, route: str, data: bytes, gzipped: bool
) -> None:
    headers = {"Content-Type": "application/json", "Authorization": str(session.headers["Authorization"])}
    if gzipped:
        data = gzip.compress(data, mtime=0)
        headers["Content-Encoding"] = "gzip"
    status, body = _asgi_post(app, f"/api/v1{route}", headers, data)
    assert status in ANSWERS, (status, body)
    payload = json.loads(body)
    if status >= 400:
        assert set(payload) == {"error", "message"} and payload["message"], payload
