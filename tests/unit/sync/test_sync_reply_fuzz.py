"""Whatever a server (or a fake one) answers, the kiosk's sync reads it or says ``SyncError``, never crashes.

The parsers of replies (``parse_reply``, ``parse_changes_page``,
``parse_push_reply``, ``parse_face_reply``, ``parse_server_time``) get
random bytes and random JSON; the changes they let through are applied to a
real store, where a change that cannot be stored is a problem in the report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from helpers.fakes import AREA_KEY
from helpers.fuzz import fuzz_settings
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checkin_protocol.face_records import seal_template
from checkin_protocol.face_template_format import descriptor_bytes
from kiosk.store.database import Store, open_store
from kiosk.store.face_templates import save_area_key
from kiosk.sync.client import parse_server_time
from kiosk.sync.errors import SyncError
from kiosk.sync.face_push import parse_face_reply
from kiosk.sync.outbox import parse_push_reply
from kiosk.sync.pull import ChangesPage, apply_page, parse_changes_page
from kiosk.sync.transport import parse_reply

FUZZ = fuzz_settings(500)
NOW = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
MODEL = "dlib-resnet-v1"
# A template that opens, so that enrolments of V1 get as far as storing it.
TEMPLATE = seal_template(AREA_KEY, "t1", "V1", MODEL, bytes(descriptor_bytes(MODEL) or 0))

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, -(2**63) - 1, 10**30, 0, -1])
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(
        ["", "2026-11-29T01:00:00.000+00:00", "2026-11-29T01:00", "city", "V1", "A1", "x" * 300]
    )
)
JSON = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(
    status=st.sampled_from([200, 201, 204, 301, 400, 401, 404, 409, 429, 500, 503]),
    body=st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()),
    headers=st.dictionaries(st.sampled_from(["Retry-After", "Location"]), st.text(max_size=20), max_size=2),
)
@example(status=200, body=b"[" * 100_000, headers={})
@example(status=400, body=b'{"error": ' + b"{" * 50_000, headers={})
@example(status=429, body=b"", headers={"Retry-After": "1e999"})
@example(status=200, body=b'{"a": NaN}', headers={})
def test_any_reply_is_a_json_object_or_a_sync_error(
    status: int, body: bytes, headers: dict[str, str]
) -> None:
    try:
        parsed = parse_reply(status, headers, body)
    except SyncError as exc:
        assert exc.message and exc.kind in ("busy", "server", "refused", "garbled")
        assert exc.retry_after_s is None or 0 <= exc.retry_after_s < float("inf")
        return
    assert 200 <= status < 300 and isinstance(parsed, dict)


@FUZZ
@given(JSON.filter(lambda v: isinstance(v, dict)) | st.dictionaries(st.sampled_from(
    ["changes", "next_cursor", "more", "server_time", "accepted", "duplicate", "superseded", "rejected"]
), JSON, max_size=6))  # fmt: skip
def test_any_reply_object_is_read_or_is_a_garbled_sync_error(reply: dict[str, Any]) -> None:
    for parse in (parse_changes_page, parse_push_reply, parse_face_reply, parse_server_time):
        try:
            parse(reply)
        except SyncError as exc:
            assert exc.kind == "garbled" and exc.message


# -- changes applied to a real store ------------------------------------------------------------------

_FIELDS = {
    "organisation": ["org_id", "name", "level", "parent_id"],
    "volunteer": ["volunteer_id", "name", "phone", "org_id", "active"],
    "activity": [
        "activity_id", "title", "org_id", "org_name", "org_level", "venue", "starts_at", "ends_at",
        "category", "capacity", "checkin_opens_before_min", "checkin_closes_after_start_min", "signup_required",
    ],
    "signup": ["activity_id", "volunteer_id"],
    "revocation": ["volunteer_id", "card_no", "reason"],
    "trusted_key": ["key_id", "public_key", "purposes"],
    "face_enrolment": [
        "volunteer_id", "record_id", "model_version", "templates", "consent", "enrolled_utc", "origin_kiosk",
        "qr_only",
    ],
    "face_deletion": ["volunteer_id", "record_id", "deleted_utc", "origin_kiosk"],
}  # fmt: skip
_GOOD = {
    "level": "county", "org_level": "village", "active": True, "signup_required": False, "capacity": 10,
    "checkin_opens_before_min": 30, "checkin_closes_after_start_min": None, "card_no": 1,
    "starts_at": "2026-11-29T01:00:00.000+00:00", "ends_at": "2026-11-29T05:00:00.000+00:00",
    "enrolled_utc": "2026-11-29T01:00:00.000+00:00", "deleted_utc": "2026-11-29T01:00:00.000+00:00",
    "model_version": "dlib-resnet-v1", "purposes": "cards", "public_key": "A" * 43 + "=",
    "templates": [TEMPLATE],
    "consent": {"consented_utc": "2026-11-29T01:00:00.000+00:00", "coordinator": "c", "notice_version": "1"},
    "qr_only": {
        "reason": "look_alike", "other_volunteer_id": "V9", "coordinator": "c",
        "decided_utc": "2026-11-29T01:00:00.000+00:00",
    },
}  # fmt: skip


@st.composite
def _change(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from([*_FIELDS, "unknown"]))
    key = draw(st.sampled_from(["V1", "A1", "O1", "p9", "V1/1", "A1/V1"]) | st.text(max_size=8))
    fields = _FIELDS.get(kind, ["x"])
    data = {
        name: draw(st.just(_GOOD.get(name, key)) | JSON, label=name)
        for name in fields
        if draw(st.booleans().map(lambda keep: keep or draw(st.integers(0, 9)) > 0), label=f"has {name}")
    }
    return {
        "kind": kind,
        "op": draw(st.sampled_from(["upsert", "upsert", "delete", "merge"])),
        "key": key,
        "data": draw(st.just(data) | st.none() | JSON, label="data"),
    }


@pytest.fixture(scope="module")
def shared_area_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = open_store(tmp_path_factory.mktemp("kiosk") / "kiosk.db")
    save_area_key(opened.path, AREA_KEY)
    yield opened
    opened.close()


@settings(FUZZ, max_examples=300)  # each page is a committed transaction
@given(
    changes=st.lists(_change(), max_size=6),
    cursor=st.text(max_size=10),
    more=st.booleans(),
    server_time=st.none() | st.sampled_from(["2026-11-29T01:00:00.000+00:00", "garbage"]),
)
def test_any_page_of_changes_is_applied_or_reported_change_by_change(
    shared_area_store: Store, changes: list[dict[str, Any]], cursor: str, more: bool, server_time: str | None
) -> None:
    reply = {"changes": changes, "next_cursor": cursor, "more": more, "server_time": server_time}
    try:
        page: ChangesPage = parse_changes_page(reply)
    except SyncError as exc:
        assert exc.kind == "garbled"
        return
    result = apply_page(shared_area_store, page, NOW, "KFUZZ00001")
    assert result.applied + len(result.problems) == len(page.changes)


def test_a_number_too_large_for_the_database_is_a_skipped_change_not_a_crash(
    shared_area_store: Store,
) -> None:
    revocation = {"volunteer_id": "V1", "card_no": 2**64, "reason": None}
    page = parse_changes_page(
        {
            "changes": [
                {"kind": "revocation", "op": "upsert", "key": "V1/huge", "data": revocation},
                {"kind": "volunteer", "op": "upsert", "key": "V2", "data": {
                    "volunteer_id": "V2", "name": "王芳", "phone": None, "org_id": None, "active": True,
                }},
            ],
            "next_cursor": "7",
            "more": False,
        }
    )  # fmt: skip
    result = apply_page(shared_area_store, page, NOW, "KFUZZ00001")
    assert result.applied == 1 and len(result.problems) == 1
    assert "revocation V1/huge: cannot be stored" in result.problems[0]
