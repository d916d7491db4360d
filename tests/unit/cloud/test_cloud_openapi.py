"""The OpenAPI schema and the interactive docs are served, and describe the protocol."""

from __future__ import annotations

from pathlib import Path

import requests
from helpers.cloud_server import running_cloud


def test_the_schema_lists_the_six_endpoints_with_their_bodies_and_errors(tmp_path: Path) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        reply = requests.get(f"{cloud.api_url}/openapi.json", timeout=10)
        docs = requests.get(f"{cloud.api_url}/docs", timeout=10)
    assert reply.status_code == 200
    schema = reply.json()
    paths = schema["paths"]
    assert {path: sorted(methods) for path, methods in paths.items()} == {
        "/api/v1/time": ["get"],
        "/api/v1/register": ["post"],
        "/api/v1/events": ["post"],
        "/api/v1/changes": ["get"],
        "/api/v1/face": ["post"],
        "/api/v1/face-key": ["get"],
    }
    assert "201" in paths["/api/v1/register"]["post"]["responses"]
    for path in paths.values():
        for operation in path.values():
            assert "422" not in operation["responses"], "the server answers 400, never 422"
    assert {"400", "401", "413", "415"} <= set(paths["/api/v1/events"]["post"]["responses"])
    assert paths["/api/v1/events"]["post"]["security"] == [{"HTTPBearer": []}]
    components = schema["components"]["schemas"]
    assert set(components["ErrorBody"]["properties"]) == {"error", "message"}
    event = components["PushRequest"]["properties"]["events"]["items"]
    assert len(event["required"]) == 15 and event["additionalProperties"] is False
    assert event["properties"]["action"]["enum"] == ["in", "out", "undo"]
    assert paths["/api/v1/face"]["post"]["security"] == [{"HTTPBearer": []}]
    face_record = components["FacePushRequest"]["properties"]["records"]["items"]
    assert len(face_record["oneOf"]) == 2, "a face record is an enrolment or a deletion"
    assert "face_key" in components["RegisterResponse"]["properties"]
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
