"""A wrong method on a path that exists is 405 with an ``Allow`` header, whatever the body (RFC 9110).

The paths and their methods are read from the served OpenAPI schema, so a
route added later is covered without touching this file.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from helpers.cloud_server import RunningCloud

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
# Requests a client might send with the wrong method: no body, a JSON body, a body the body guard would refuse.
BODIES: dict[str, dict[str, Any]] = {
    "no body": {},
    "a JSON body": {"json": {"anything": 1}},
    "a text body": {"data": b"hello", "headers": {"Content-Type": "text/plain"}},
    "a bad gzip body": {
        "data": b"not gzip",
        "headers": {"Content-Type": "application/json", "Content-Encoding": "gzip"},
    },
    "an empty JSON body": {"data": b"", "headers": {"Content-Type": "application/json"}},
}


@pytest.fixture(scope="module")
def declared(shared_cloud: RunningCloud) -> dict[str, set[str]]:
    """Each path of the served schema and its declared methods (upper case)."""
    paths = requests.get(f"{shared_cloud.api_url}/openapi.json", timeout=10).json()["paths"]
    return {path: {method.upper() for method in operations} for path, operations in paths.items()}


def allowed(reply: requests.Response) -> set[str]:
    return {method.strip() for method in reply.headers.get("Allow", "").split(",") if method.strip()}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_a_method_a_path_does_not_take_is_405_listing_the_methods_it_takes(
    shared_cloud: RunningCloud, declared: dict[str, set[str]], body: dict[str, Any]
) -> None:
    auth = {"Authorization": "Bearer nobody.nothing"}  # 405 comes before authentication
    for path, methods in declared.items():
        for method in sorted(set(METHODS) - methods):
            kwargs = {**body, "headers": {**auth, **body.get("headers", {})}}
            reply = requests.request(method, f"{shared_cloud.base_url}{path}", timeout=10, **kwargs)
            where = f"{method} {path} with {body or 'no body'}"
            assert reply.status_code == 405, f"{where}: {reply.status_code} {reply.text}"
            if method != "HEAD":  # a reply to HEAD has no body
                assert reply.json()["error"] == "method_not_allowed", where
            assert allowed(reply) == methods, f"{where}: Allow {reply.headers.get('Allow')!r}"


def test_the_405_message_names_the_methods_in_plain_words(shared_cloud: RunningCloud) -> None:
    reply = requests.put(f"{shared_cloud.api_url}/changes", timeout=10)
    assert reply.status_code == 405
    assert reply.json()["message"] == "PUT is not allowed here; use GET"


def test_an_unknown_path_is_404_whatever_the_body(shared_cloud: RunningCloud) -> None:
    for body in BODIES.values():
        reply = requests.post(f"{shared_cloud.api_url}/nothing-here", timeout=10, **body)
        assert reply.status_code == 404 and reply.json()["error"] == "not_found", body


def test_the_right_method_with_a_body_that_is_not_json_is_still_415(shared_cloud: RunningCloud) -> None:
    headers = {"Authorization": "Bearer nobody.nothing", "Content-Type": "text/plain"}
    reply = requests.post(f"{shared_cloud.api_url}/events", data=b"hello", headers=headers, timeout=10)
    assert reply.status_code == 415 and reply.json()["error"] == "unsupported_media_type"
