"""An events bundle signed by a registered kiosk but holding anything: imported, or refused with nothing changed.

The signature and the sealing are right, so the cloud reads everything the
payload says (records, face records, clock offset, cursor, keys): the last
line of defence is its own validation, which must answer with
:class:`BundleError`, never another exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from helpers.fuzz import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from checkin_protocol.bundle_files import BundleError, build_bundle, new_header, parse_bundle
from checkin_protocol.codes.issuer import public_key_b64
from checkin_protocol.sealed import canonical_json, x25519_public_b64, x25519_public_from
from cloud.bundles import import_events_bundle, not_records
from cloud.instance import CloudInstance, init_instance
from cloud.provisioning import new_provisioning_code, register_by_bundle

FUZZ = fuzz_settings(400)
NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
KIOSK = "KBUNDLEFUZZ"
DEVICE = Ed25519PrivateKey.from_private_bytes(bytes([9]) * 32)
BOX = X25519PrivateKey.from_private_bytes(bytes([11]) * 32)

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, 10**30, -1, 0])
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["2026-11-29T01:00:00.000+00:00", "in", "out", "qr", "V1", "A1", KIOSK])
)
JSON = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
_EVENT_FIELDS = [
    "event_id", "kiosk_id", "seq", "volunteer_id", "activity_id", "action", "method", "wall_utc",
    "utc_offset_min", "monotonic_ns", "boot_id", "ref_event_id", "auto_closed", "credit_seconds", "actor",
]  # fmt: skip
_GOOD_EVENT = {
    "event_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "kiosk_id": KIOSK, "seq": 1, "volunteer_id": "V1",
    "activity_id": "A1", "action": "in", "method": "qr", "wall_utc": "2026-11-29T01:00:00.000+00:00",
    "utc_offset_min": 480, "monotonic_ns": 5, "boot_id": "b", "ref_event_id": None, "auto_closed": False,
    "credit_seconds": None, "actor": None,
}  # fmt: skip
EVENT = st.fixed_dictionaries({name: st.just(_GOOD_EVENT[name]) | JSON for name in _EVENT_FIELDS})
FACE_RECORD = st.dictionaries(
    st.sampled_from(["record_id", "kind", "kiosk_id", "volunteer_id", "templates", "consent", "deleted_utc"]),
    JSON,
    max_size=7,
)


@pytest.fixture(scope="module")
def registered_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CloudInstance]:
    instance, _ = init_instance(tmp_path_factory.mktemp("cloud"), clock=lambda: NOW)
    code = new_provisioning_code(instance.store, "fuzz", NOW)
    register_by_bundle(instance.store, KIOSK, code, public_key_b64(DEVICE), "test", NOW)
    yield instance
    instance.close()


def _events_bundle(cloud: CloudInstance, payload: dict[str, Any]) -> bytes:
    recipient = x25519_public_from(cloud.keys.bundle_public_key_b64)
    bundle = build_bundle(
        new_header("events", KIOSK, "2026-11-29T01:30:00.000+00:00"), payload, DEVICE, "device", recipient
    )
    return canonical_json(bundle).encode("utf-8")


@FUZZ
@given(
    events=st.lists(EVENT, max_size=3) | JSON,
    face_records=st.lists(FACE_RECORD, max_size=2) | JSON,
    extra=st.fixed_dictionaries(
        {},
        optional={
            "clock_offset_s": JSON,
            "pull_cursor": JSON,
            "created_utc": JSON,
            "device_box_public_key": st.just(x25519_public_b64(BOX)) | JSON,
            "app_version": JSON,
        },
    ),
)
def test_any_payload_of_a_registered_kiosk_is_imported_or_refused_with_nothing_changed(
    registered_instance: CloudInstance, events: Any, face_records: Any, extra: dict[str, Any]
) -> None:
    payload = {
        "events": events,
        "face_records": face_records,
        "device_box_public_key": x25519_public_b64(BOX),
        "created_utc": "2026-11-29T01:30:00.000+00:00",
        **extra,
    }
    data = _events_bundle(registered_instance, payload)
    before = registered_instance.store.table_counts()
    try:
        result = import_events_bundle(registered_instance, data, NOW)
    except BundleError as exc:
        assert str(exc)
        assert registered_instance.store.table_counts() == before
        return
    assert result.kiosk_id == KIOSK and result.receipt["kind"] == "receipt"


def test_an_events_bundle_whose_header_says_changes_is_told_apart_from_a_real_update(
    registered_instance: CloudInstance,
) -> None:
    edited = parse_bundle(
        _events_bundle(registered_instance, {"events": []}).replace(b'"kind":"events"', b'"kind":"changes"')
    )
    with pytest.raises(BundleError, match="its header says changes, but it holds records"):
        not_records(registered_instance, edited)
    sealed_for_a_kiosk = build_bundle(
        new_header("changes", KIOSK, "2026-11-29T01:30:00.000+00:00"), {}, DEVICE, "p1", BOX.public_key()
    )
    update = parse_bundle(canonical_json(sealed_for_a_kiosk).encode())
    assert not_records(registered_instance, update) == "a changes bundle for a kiosk, not records"


def test_the_control_a_well_formed_payload_is_imported(registered_instance: CloudInstance) -> None:
    payload = {
        "events": [{**_GOOD_EVENT, "event_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", "seq": 2}],
        "face_records": [],
        "device_box_public_key": x25519_public_b64(BOX),
        "created_utc": "2026-11-29T01:30:00.000+00:00",
    }
    result = import_events_bundle(registered_instance, _events_bundle(registered_instance, payload), NOW)
    assert (result.accepted + result.duplicate, result.rejected) == (1, 0)
