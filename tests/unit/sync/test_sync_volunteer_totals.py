"""A volunteer's platform total arrives with their row: by ``/changes`` and by a USB update."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.bundle_files import build_bundle, new_header, write_bundle
from checkin_protocol.codes.issuer import public_key_b64
from checkin_protocol.codes.trust import KeyPurpose
from kiosk.store.database import Store
from kiosk.store.device_keys import box_key
from kiosk.store.trust import CLOUD_SOURCE, trust_key
from kiosk.store.volunteer_totals import PlatformTotal, get_total
from kiosk.sync.pull import Change, ChangesPage, apply_page
from kiosk.sync.usb import import_bundles

AT = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _volunteer(**extra: Any) -> dict[str, Any]:
    return {"volunteer_id": "V1", "name": "雷彩霞", "phone": None, "org_id": None, "active": True, **extra}


def _page(*changes: Change, cursor: str = "1") -> ChangesPage:
    return ChangesPage(changes, cursor, False)


def _up(data: dict[str, Any]) -> Change:
    return Change("volunteer", "upsert", str(data["volunteer_id"]), data)


def test_a_volunteer_with_a_total_keeps_it_with_the_time_it_arrived(store: Store) -> None:
    page = _page(_up(_volunteer(total_seconds=1_080_000, total_computed_utc="2026-11-29T08:30:00+08:00")))
    result = apply_page(store, page, AT)
    assert result.problems == [] and result.applied == 1
    assert get_total(store.writer, "V1") == PlatformTotal(
        1_080_000, "2026-11-29T00:30:00.000+00:00", "2026-11-29T01:00:00.000+00:00"
    )

    apply_page(
        store, _page(_up(_volunteer(total_seconds=1_088_100, total_computed_utc=None)), cursor="2"), LATER
    )
    assert get_total(store.writer, "V1") == PlatformTotal(1_088_100, None, "2026-11-30T02:00:00.000+00:00")


def test_an_older_cloud_without_totals_leaves_no_total_and_the_roster_still_applies(store: Store) -> None:
    apply_page(store, _page(_up(_volunteer(total_seconds=3600))), AT)
    result = apply_page(store, _page(_up(_volunteer(name="雷彩霞二")), cursor="2"), LATER)
    assert result.problems == [] and result.applied == 1
    assert store.writer.execute("SELECT name FROM volunteers").fetchall() == [("雷彩霞二",)]
    assert get_total(store.writer, "V1") is None, "a cloud that does not say: the total is not known"


@pytest.mark.parametrize(
    "bad",
    [
        {"total_seconds": -1},
        {"total_seconds": 1.5},
        {"total_seconds": True},
        {"total_seconds": "3600"},
        {"total_seconds": 3600, "total_computed_utc": "yesterday"},
        {"total_seconds": 3600, "total_computed_utc": "2026-11-29T08:30:00"},
    ],
)
def test_a_malformed_total_skips_the_change_like_any_bad_field(store: Store, bad: dict[str, Any]) -> None:
    result = apply_page(store, _page(_up(_volunteer(**bad))), AT)
    assert result.applied == 0 and len(result.problems) == 1 and "volunteer V1" in result.problems[0]
    assert get_total(store.writer, "V1") is None
    assert store.writer.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0] == 0


def test_a_deleted_volunteer_takes_their_total_along(store: Store) -> None:
    apply_page(store, _page(_up(_volunteer(total_seconds=3600))), AT)
    apply_page(store, _page(Change("volunteer", "delete", "V1", None), cursor="2"), LATER)
    assert get_total(store.writer, "V1") is None


def test_a_usb_update_brings_totals_stamped_with_the_time_it_was_imported(
    store: Store, tmp_path: Path
) -> None:
    signer = Ed25519PrivateKey.generate()
    with store.write() as db:
        trust_key(db, "p1", public_key_b64(signer), CLOUD_SOURCE, AT, {KeyPurpose.BUNDLE})
    recipient = box_key(store.path, create=True)
    assert recipient is not None
    pages = [
        {
            "changes": [
                {"kind": "volunteer", "op": "upsert", "key": "V1", "data": _volunteer(total_seconds=7200)}
            ],
            "next_cursor": "9",
        }
    ]
    header = new_header("changes", "K1", "2026-11-29T00:00:00.000+00:00")
    bundle = build_bundle(header, {"pages": pages, "from_cursor": None}, signer, "p1", recipient.public_key())
    path = write_bundle(bundle, tmp_path / "update.kbundle")

    report = import_bundles(store, "K1", path, LATER)

    assert [o.result for o in report.outcomes] == ["imported"], report.outcomes
    assert get_total(store.writer, "V1") == PlatformTotal(7200, None, "2026-11-30T02:00:00.000+00:00")
