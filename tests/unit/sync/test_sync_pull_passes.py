"""The ``pass`` kind of /changes pages: stored, revoked, deleted; a bad row is skipped and reported.

The page is parsed from the JSON a cloud sends (``parse_changes_page``), as a pull or a USB update does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes.trust import public_bytes_b64
from kiosk.store import passes
from kiosk.store.database import Store
from kiosk.sync.pull import apply_page, parse_changes_page

AT = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
KEY = public_bytes_b64(Ed25519PrivateKey.generate().public_key())


def _pass(**overrides: Any) -> dict[str, Any]:
    row = {
        "pass_id": "P0123456789",
        "volunteer_id": "V001",
        "public_key": KEY,
        "created_utc": "2026-11-28T08:00:00.000+00:00",
        "revoked_utc": None,
    }
    return {**row, **overrides}


def _page(*changes: dict[str, Any], cursor: str = "7") -> dict[str, Any]:
    return {
        "changes": list(changes),
        "next_cursor": cursor,
        "more": False,
        "server_time": "2026-11-29T01:00:00.000+00:00",
    }


def _upsert(data: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "pass", "op": "upsert", "key": data["pass_id"], "data": data}


def test_a_pass_is_stored_then_revoked_and_applying_a_page_twice_changes_nothing(store: Store) -> None:
    page = parse_changes_page(_page(_upsert(_pass())))
    for _ in range(2):
        result = apply_page(store, page, AT)
        assert (result.applied, result.problems) == (1, [])
    held = passes.get_pass(store.writer, "P0123456789")
    assert held is not None and (held.volunteer_id, held.public_key, held.revoked) == ("V001", KEY, False)
    assert held.created_utc == "2026-11-28T08:00:00.000+00:00"

    apply_page(
        store, parse_changes_page(_page(_upsert(_pass(revoked_utc="2026-11-29T00:30:00.000+00:00")))), AT
    )
    revoked = passes.get_pass(store.writer, "P0123456789")
    assert revoked is not None and revoked.revoked_utc == "2026-11-29T00:30:00.000+00:00"


def test_a_deleted_pass_is_forgotten_with_its_step(store: Store) -> None:
    apply_page(store, parse_changes_page(_page(_upsert(_pass()))), AT)
    with store.write() as db:
        passes.record_step(db, "P0123456789", 10, "t")
    apply_page(
        store,
        parse_changes_page(_page({"kind": "pass", "op": "delete", "key": "P0123456789", "data": None})),
        AT,
    )
    assert passes.get_pass(store.writer, "P0123456789") is None
    assert passes.last_step(store.writer, "P0123456789") is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("public_key", "not base64!"),
        ("public_key", "AAAA"),  # 3 bytes, not 32
        ("pass_id", "P 1"),
        ("pass_id", "P" * 17),
        ("volunteer_id", None),
        ("created_utc", "yesterday"),
        ("created_utc", "2026-11-28T08:00:00"),  # no UTC offset
        ("revoked_utc", 5),
    ],
)
def test_a_pass_that_cannot_be_stored_is_skipped_and_reported_and_the_rest_applies(
    store: Store, field: str, value: object
) -> None:
    good = _pass(pass_id="P9999999999")
    result = apply_page(store, parse_changes_page(_page(_upsert(_pass(**{field: value})), _upsert(good))), AT)
    assert result.applied == 1
    assert len(result.problems) == 1 and result.problems[0].startswith("pass ")
    assert [p.pass_id for p in passes.passes_of(store.writer, "V001")] == ["P9999999999"]


def test_a_row_missing_a_column_is_skipped(store: Store) -> None:
    data = _pass()
    del data["revoked_utc"]
    result = apply_page(store, parse_changes_page(_page(_upsert(data))), AT)
    assert result.applied == 0 and len(result.problems) == 1
