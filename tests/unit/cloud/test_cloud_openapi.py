"""The OpenAPI schema and the interactive docs are served, and describe the protocol."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import requests
from helpers.cloud_server import running_cloud
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from checkin_protocol.codes.fields import check_id, check_text
from checkin_protocol.codes.tokens import MAX_ACTIVITY_ID, MAX_VOLUNTEER_ID
from checkin_protocol.face_records import MAX_FACE_RECORDS_PER_BATCH
from cloud.changes import parse_cursor
from cloud.errors import ApiError
from cloud.face_protocol import MAX_COORDINATOR_CHARS
from cloud.openapi import SchemaConflict, hoist_defs
from cloud.protocol import MAX_EVENTS_PER_BATCH, check_uuid, parse_time

# Fields that carry a protocol time, in requests and replies; any field named ``*_utc`` does too.
TIME_FIELDS = {"server_time", "sent_at_device", "wall_utc", "consented_utc", "enrolled_utc", "deleted_utc"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The OpenAPI schema as the running server serves it."""
    with running_cloud(tmp_path_factory.mktemp("cloud")) as cloud:
        yield requests.get(f"{cloud.api_url}/openapi.json", timeout=10).json()


def test_the_schema_lists_every_endpoint_with_its_body_and_errors(tmp_path: Path) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        reply = requests.get(f"{cloud.api_url}/openapi.json", timeout=10)
        docs = requests.get(f"{cloud.api_url}/docs", timeout=10)
    assert reply.status_code == 200
    schema = reply.json()
    paths = schema["paths"]
    assert {path: sorted(methods) for path, methods in paths.items()} == {
        "/api/v1/time": ["get"],
        "/api/v1/register": ["post"],
        "/api/v1/register/nonce": ["post"],
        "/api/v1/events": ["post"],
        "/api/v1/changes": ["get"],
        "/api/v1/face": ["post"],
        "/api/v1/face-key": ["get"],
        "/api/v1/passes": ["post"],
        "/api/v1/passes/{pass_id}": ["get"],
        "/api/v1/receipts/check": ["post"],
    }
    assert "201" in paths["/api/v1/register"]["post"]["responses"]
    for path in paths.values():
        for operation in path.values():
            assert "422" not in operation["responses"], "the server answers 400, never 422"
    assert {"400", "401", "413", "415"} <= set(paths["/api/v1/events"]["post"]["responses"])
    assert paths["/api/v1/events"]["post"]["security"] == [{"HTTPBearer": []}]
    components = schema["components"]["schemas"]
    assert set(components["ErrorBody"]["properties"]) == {"error", "message"}
    event_item = components["PushRequest"]["properties"]["events"]["items"]["anyOf"]
    assert event_item[0] == {"$ref": "#/components/schemas/EventRecord"}
    assert "rejected" in event_item[1]["description"], "anything else is answered per event, not refused"
    event = components["EventRecord"]
    assert len(event["required"]) == 15 and event["additionalProperties"] is False
    assert event["properties"]["action"]["enum"] == ["in", "out", "undo"]
    assert paths["/api/v1/face"]["post"]["security"] == [{"HTTPBearer": []}]
    face_item = components["FacePushRequest"]["properties"]["records"]["items"]["anyOf"]
    assert face_item[:2] == [
        {"$ref": "#/components/schemas/FaceEnrolmentRecord"},
        {"$ref": "#/components/schemas/FaceDeletionRecord"},
    ], "a face record is an enrolment or a deletion"
    assert components["FaceEnrolmentRecord"]["properties"]["consent"] == {
        "$ref": "#/components/schemas/FaceConsent"
    }
    assert "face_key" in components["RegisterResponse"]["properties"]
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def _walk(node: object, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object of the document with its JSON pointer."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{where}/{index}")


def _resolve(document: dict[str, Any], ref: str) -> object:
    node: object = document
    for part in ref.removeprefix("#/").split("/"):
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def test_the_served_schema_is_valid_openapi_and_every_ref_resolves(served: dict[str, Any]) -> None:
    validate(served)  # openapi-spec-validator: raises on any error
    refs = [(where, node["$ref"]) for where, node in _walk(served) if isinstance(node.get("$ref"), str)]
    assert refs, "the schema uses references"
    for where, ref in refs:
        assert ref.startswith("#/components/schemas/"), f"{where}: {ref} points outside components"
        _resolve(served, ref)
    nested = [where for where, node in _walk(served) if "$defs" in node]
    assert nested == [], "nested $defs are hoisted into components/schemas"


def _field_schemas(
    served: dict[str, Any], names: set[str], suffix: str | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """The schema of every property of those names (or ending in ``suffix``) anywhere in the document."""
    found = []
    for where, node in _walk(served):
        for name, schema in (node.get("properties") or {}).items():
            named = name in names or (suffix is not None and name.endswith(suffix))
            if named and isinstance(schema, dict):
                found.append((f"{where}/{name}", schema))
    return found


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of a nullable field's value (``anyOf: [value, {type: null}]``), else ``schema``."""
    choices = schema.get("anyOf")
    if isinstance(choices, list) and len(choices) == 2 and {"type": "null"} in choices:
        return next(choice for choice in choices if choice != {"type": "null"})
    return schema


def _time_schema(served: dict[str, Any]) -> dict[str, Any]:
    schemas = [(where, _not_null(s)) for where, s in _field_schemas(served, TIME_FIELDS, suffix="_utc")]
    assert {where.rsplit("/", 1)[1] for where, _ in schemas} >= TIME_FIELDS
    shapes = {(s.get("type"), s.get("format"), s.get("pattern")) for _, s in schemas}
    assert len(shapes) == 1, f"every time field has the same shape: {shapes}"
    return schemas[0][1]


def test_every_time_field_carries_the_servers_pattern_and_format(served: dict[str, Any]) -> None:
    schema = _time_schema(served)
    assert schema["type"] == "string" and schema["format"] == "date-time"
    assert schema["pattern"].startswith("^") and schema["pattern"].endswith("$")


def _parses(text: str) -> bool:
    try:
        parse_time(text)
    except ValueError:
        return False
    return True


_TIMES = st.one_of(
    st.datetimes().map(lambda d: d.isoformat(timespec="milliseconds") + "+00:00"),
    st.from_regex(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00", fullmatch=True),
    st.sampled_from(
        [
            "2026-11-29T01:02:03.456+00:00",
            "2026-11-29T01:02:03.456Z",
            "2026-11-29T01:02:03+00:00",
            "2026-11-29T01:02:03.456+08:00",
            "2026-02-30T01:02:03.456+00:00",
            "2024-02-29T23:59:59.999+00:00",
            "2026-12-31T23:59:60.000+00:00",
            "0000-01-01T00:00:00.000+00:00",
            "2026-11-29t01:02:03.456+00:00",
            "2026-11-29T01:02:03.456+00:00\n",
            "２０２６-11-29T01:02:03.456+00:00",
        ]
    ),
    st.text(max_size=40),
)


@settings(max_examples=400, derandomize=True)
@given(text=_TIMES)
def test_the_schema_of_a_time_accepts_exactly_what_the_server_parses(
    served: dict[str, Any], text: str
) -> None:
    validator = jsonschema_rs.validator_for(_time_schema(served), validate_formats=True)
    assert validator.is_valid(text) == _parses(text), repr(text)


def _cursor_parameter(served: dict[str, Any]) -> dict[str, Any]:
    parameters = served["paths"]["/api/v1/changes"]["get"]["parameters"]
    (cursor,) = [p for p in parameters if p["name"] == "cursor"]
    schema = cursor["schema"]
    assert isinstance(schema, dict)
    return schema


def _cursor_parses(text: str) -> bool:
    try:
        parse_cursor(text)
    except ApiError:
        return False
    return True


@settings(max_examples=300, derandomize=True)
@given(
    text=st.one_of(
        st.from_regex(r"[0-9]{0,25}", fullmatch=True),
        st.sampled_from(["", "0", "1" * 18, "1" * 19, "-1", "1.5", " 1", "１２", "1\n", "²"]),
        st.text(max_size=30),
    )
)
def test_the_schema_of_a_cursor_accepts_exactly_what_the_server_parses(
    served: dict[str, Any], text: str
) -> None:
    schema = _cursor_parameter(served)
    assert schema.get("type") == "string" and "maxLength" in schema and "pattern" in schema
    assert jsonschema_rs.is_valid(schema, text) == _cursor_parses(text), repr(text)


def test_the_next_cursor_of_a_reply_is_described_like_the_cursor_it_becomes(served: dict[str, Any]) -> None:
    (next_cursor,) = [s for _, s in _field_schemas(served, {"next_cursor"})]
    parameter = _cursor_parameter(served)
    assert next_cursor["type"] == "string" and next_cursor["maxLength"] == parameter["maxLength"]
    assert jsonschema_rs.is_valid(next_cursor, "0") and not jsonschema_rs.is_valid(next_cursor, "")


def test_a_batch_is_described_with_the_servers_size_limit(served: dict[str, Any]) -> None:
    schemas = served["components"]["schemas"]
    assert schemas["PushRequest"]["properties"]["events"]["maxItems"] == MAX_EVENTS_PER_BATCH
    assert schemas["FacePushRequest"]["properties"]["records"]["maxItems"] == MAX_FACE_RECORDS_PER_BATCH


def test_hoisting_moves_nested_defs_to_components_and_points_refs_there() -> None:
    consent = {"type": "object", "properties": {"at": {"type": "string"}}}
    record = {"$defs": {"Consent": consent}, "properties": {"consent": {"$ref": "#/$defs/Consent"}}}
    body = {"$ref": "#/components/schemas/Body"}
    document: dict[str, Any] = {
        "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {"schema": body}}}}}},
        "components": {"schemas": {"Body": {"properties": {"items": {"items": {"anyOf": [record, {}]}}}}}},
    }
    hoist_defs(document)
    schemas = document["components"]["schemas"]
    assert schemas["Consent"] == consent
    assert schemas["Body"]["properties"]["items"]["items"]["anyOf"][0] == {
        "properties": {"consent": {"$ref": "#/components/schemas/Consent"}}
    }
    validate({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, **document})


def test_hoisting_refuses_two_different_schemas_of_one_name() -> None:
    document: dict[str, Any] = {
        "paths": {},
        "components": {
            "schemas": {
                "Consent": {"type": "object"},
                "Record": {"$defs": {"Consent": {"type": "string"}}, "$ref": "#/$defs/Consent"},
            }
        },
    }
    with pytest.raises(SchemaConflict, match="Consent"):
        hoist_defs(document)


def _property(served: dict[str, Any], model: str, field: str) -> dict[str, Any]:
    schema = served["components"]["schemas"][model]["properties"][field]
    assert isinstance(schema, dict)
    return schema


def _accepts(check: Callable[[str], object], text: str) -> bool:
    try:
        check(text)
    except ValueError:
        return False
    return True


# Characters on both sides of every boundary the checks draw: ASCII, quotes, controls, spaces of all kinds.
_EDGE_CHARS = st.sampled_from(
    [
        "a",
        "Z",
        "0",
        "-",
        "~",
        "!",
        " ",
        '"',
        "\\",
        "\t",
        "\n",
        "\x7f",
        "\x85",
        "\xa0",
        "\u3000",
        "\ufeff",
        "张",
    ]
)
_TEXTS = st.one_of(
    st.text(_EDGE_CHARS, max_size=70),
    st.text(max_size=70),
    st.text(_EDGE_CHARS, min_size=60, max_size=70),
)
_ID_FIELDS = [
    ("EventRecord", "volunteer_id", MAX_VOLUNTEER_ID),
    ("EventRecord", "activity_id", MAX_ACTIVITY_ID),
    ("EventRecord", "boot_id", 64),
    ("FaceConsent", "notice_version", 32),
]


@pytest.mark.parametrize(("model", "field", "max_len"), _ID_FIELDS)
@settings(max_examples=200, derandomize=True)
@given(text=_TEXTS)
def test_the_schema_of_an_id_accepts_exactly_what_the_server_checks(
    served: dict[str, Any], model: str, field: str, max_len: int, text: str
) -> None:
    schema = _property(served, model, field)
    accepted = _accepts(lambda value: check_id(field, value, max_len), text)
    assert jsonschema_rs.is_valid(schema, text) == accepted, repr(text)


@settings(max_examples=300, derandomize=True)
@given(text=_TEXTS)
def test_the_schema_of_a_display_text_accepts_exactly_what_the_server_checks(
    served: dict[str, Any], text: str
) -> None:
    schema = _property(served, "FaceConsent", "coordinator")
    accepted = _accepts(lambda value: check_text("coordinator", value, MAX_COORDINATOR_CHARS), text)
    assert jsonschema_rs.is_valid(schema, text) == accepted, repr(text)


@settings(max_examples=300, derandomize=True)
@given(
    text=st.one_of(
        st.uuids().map(str),
        st.uuids().map(lambda u: str(u).upper()),
        st.uuids().map(lambda u: u.hex),
        st.uuids().map(lambda u: f"{{{u}}}"),
        st.uuids().map(lambda u: f"urn:uuid:{u}"),
        st.from_regex(r"[0-9a-fA-F-]{36}", fullmatch=True),
        st.text(max_size=40),
    )
)
def test_the_schema_of_a_uuid_accepts_exactly_what_the_server_checks(
    served: dict[str, Any], text: str
) -> None:
    validator = jsonschema_rs.validator_for(
        _property(served, "PushRequest", "batch_id"), validate_formats=True
    )
    assert validator.is_valid(text) == _accepts(check_uuid, text), repr(text)
