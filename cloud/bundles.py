"""USB bundles at the cloud: offline provisioning files, importing events, receipts, change bundles.

The file format is :mod:`checkin_protocol.bundle_files`; the kiosk's side is
:mod:`kiosk.sync.usb`. An events bundle is opened with the platform's
bundle key and its signature checked against the device key registered for
the kiosk; a kiosk not registered yet is registered by the provisioning code
the bundle carries, but only after the signature holds for the device key
the bundle names. The events are then judged exactly like a push
(:func:`cloud.ingest.ingest`, in batches of 500), and its face records like
a face push (:func:`cloud.face_ingest.ingest_faces`, in batches of 200), so
importing is idempotent by record ID. The receipt is kept: importing the
same bundle again writes the same receipt and changes nothing. A change
bundle carries the kiosk's area face key (sealed for the kiosk, like the
rest of it) and its area's face records.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from checkin_protocol.bundle_files import BundleError, BundleFile, build_bundle, new_header, parse_bundle
from checkin_protocol.codes.trust import public_key_from
from checkin_protocol.face_records import MAX_FACE_RECORDS_PER_BATCH
from checkin_protocol.sealed import MAX_PAYLOAD_BYTES, SealError, b64, x25519_public_from
from checkin_protocol.untrusted_json import JsonRefused, loads_untrusted
from cloud.changes import read_changes
from cloud.errors import ApiError
from cloud.face_ingest import ingest_faces
from cloud.face_protocol import FacePushRequest
from cloud.ingest import ingest
from cloud.instance import CloudInstance
from cloud.kiosk_status import note_bundle_seen
from cloud.protocol import MAX_CHANGES_LIMIT, MAX_EVENTS_PER_BATCH, PushRequest, format_time
from cloud.provisioning import new_provisioning_code, register_by_bundle

log = logging.getLogger(__name__)


# -- offline provisioning -------------------------------------------------------------------------


def provisioning_bundle(
    instance: CloudInstance, area: str, now: datetime, server_url: str | None = None
) -> tuple[str, dict[str, Any]]:
    """A new one-time code and the provisioning file that carries it (signed by the platform's provisioning key).

    The file holds the code, the platform keys to trust, the bundle key and,
    if given, the server's address for a later online registration.
    ``ValueError`` for a bad area.
    """
    code = new_provisioning_code(instance.store, area, now)
    with instance.store.read() as reader:
        keys = reader.trusted_keys()
    issuer = instance.keys.provisioning_signer
    payload = {
        "provisioning_code": code,
        "area_id": area,
        "platform_keys": [{"key_id": k, "public_key": v, "purposes": p} for k, v, p in keys],
        "bundle_public_key": instance.keys.bundle_public_key_b64,
        "server_url": server_url,
        "created_utc": format_time(now),
    }
    header = new_header("provisioning", None, format_time(now))
    return code, build_bundle(header, payload, issuer.signing_key, issuer.key_id)


# -- importing an events bundle -------------------------------------------------------------------


@dataclass(frozen=True)
class EventsImport:
    """What importing one events bundle did, and the receipt to hand back."""

    kiosk_id: str
    bundle_id: str
    receipt: dict[str, Any]
    already: bool
    registered_now: bool
    accepted: int
    duplicate: int
    rejected: int
    first_seq: int | None
    last_seq: int | None


def _claimed_payload(document_text: str) -> dict[str, Any]:
    """The payload as it claims to be, read before its signature is checked: so, guarded."""
    try:
        claimed = loads_untrusted(document_text, max_bytes=MAX_PAYLOAD_BYTES)
    except JsonRefused as exc:
        raise BundleError(f"the bundle's content cannot be read: {exc.reason}") from None
    if not isinstance(claimed, dict):
        raise BundleError("the bundle's content is not a JSON object")
    return claimed


def not_records(instance: CloudInstance, bundle: BundleFile) -> str:
    """What a bundle that is not an events bundle is, for the line saying it was left alone.

    :class:`BundleError` when it is an events bundle whose header's ``kind``
    was edited: its sealed content opens with the platform's bundle key only
    when the header says ``events`` again. Such a file is refused, never
    skipped in silence.
    """
    if bundle.sealed_as("events", instance.keys.bundle_key):
        raise BundleError(
            f"its header says {bundle.kind}, but it holds records sealed for this platform: the header "
            "was edited on the way. Export the records again on the kiosk"
        )
    return f"a {bundle.kind} bundle for a kiosk, not records"


def _verified_events_payload(
    instance: CloudInstance, bundle: BundleFile, now: datetime
) -> tuple[dict[str, Any], bool]:
    """The payload once it is proven to come from the kiosk; registers a new kiosk by its code."""
    kiosk_id = bundle.kiosk_id
    if kiosk_id is None:
        raise BundleError("the bundle names no kiosk")
    document = bundle.document(instance.keys.bundle_key)
    with instance.store.read() as reader:
        device = reader.device(kiosk_id)
    claimed = _claimed_payload(document.payload_text)
    key_text = device.public_key if device is not None else claimed.get("device_public_key")
    try:
        key = public_key_from(str(key_text))
    except ValueError:
        raise BundleError("the bundle's device key is unusable") from None
    payload = bundle.verified_payload(document, key)
    if device is not None:
        return payload, False
    code = payload.get("provisioning_code")
    if not isinstance(code, str):
        raise BundleError(
            f"kiosk {kiosk_id} is not registered here and the bundle carries no provisioning code "
            "(set the kiosk up with a provisioning file from this platform)"
        )
    try:
        new = register_by_bundle(
            instance.store, kiosk_id, code, str(key_text), str(payload.get("app_version") or "?"), now
        )
    except ApiError as exc:
        raise BundleError(f"the kiosk cannot be registered: {exc.message}") from None
    log.info("kiosk %s registered by USB bundle", kiosk_id)
    return payload, new


def _push_requests(bundle_id: str, payload: dict[str, Any]) -> list[PushRequest]:
    events = payload.get("events")
    if not isinstance(events, list):
        raise BundleError("the bundle has no list of records")
    try:
        return [
            PushRequest.model_validate(
                {
                    "batch_id": bundle_id,
                    "sent_at_device": payload.get("created_utc"),
                    "clock_offset_s": payload.get("clock_offset_s"),
                    "events": events[start : start + MAX_EVENTS_PER_BATCH],
                }
            )
            for start in range(0, max(len(events), 1), MAX_EVENTS_PER_BATCH)
        ]
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BundleError(f"the bundle's {first['loc'][0]} is not valid: {first['msg']}") from None


def _face_requests(bundle_id: str, payload: dict[str, Any]) -> list[FacePushRequest]:
    records = payload.get("face_records", [])  # absent in bundles of kiosks without face sync
    if not isinstance(records, list):
        raise BundleError("the bundle's face records are not a list")
    step = MAX_FACE_RECORDS_PER_BATCH
    try:
        return [
            FacePushRequest.model_validate(
                {
                    "batch_id": bundle_id,
                    "sent_at_device": payload.get("created_utc"),
                    "clock_offset_s": payload.get("clock_offset_s"),
                    "records": records[start : start + step],
                }
            )
            for start in range(0, len(records), step)
        ]
    except ValidationError as exc:
        first = exc.errors()[0]
        raise BundleError(f"the bundle's {first['loc'][0]} is not valid: {first['msg']}") from None


def _ingest_faces(
    instance: CloudInstance, kiosk_id: str, requests: list[FacePushRequest], now: datetime
) -> dict[str, Any]:
    """The face records of an events bundle, judged like face pushes: the receipt's ``face`` part."""
    face: dict[str, Any] = {"accepted": [], "duplicate": [], "superseded": [], "rejected": []}
    for request in requests:
        reply = ingest_faces(instance.store, instance.keys.area_keys, kiosk_id, request, now)
        for name in ("accepted", "duplicate", "superseded"):
            face[name].extend(getattr(reply, name))
        face["rejected"].extend(r.model_dump() for r in reply.rejected)
    return face


def _seq_span(payload: dict[str, Any]) -> tuple[int | None, int | None]:
    """The first and last sequence number named (read before the records are checked: anything goes)."""
    events = payload.get("events")
    if not isinstance(events, list):
        return None, None  # refused when the records are checked
    seqs = [e["seq"] for e in events if isinstance(e, dict) and type(e.get("seq")) is int]
    return (min(seqs), max(seqs)) if seqs else (None, None)


def import_events_bundle(instance: CloudInstance, data: bytes, now: datetime) -> EventsImport:
    """Import one events bundle (its bytes); :class:`BundleError` with the reason when refused.

    A refusal changes nothing. The events are stored batch by batch; if the
    import is cut off, importing the file again stores the rest and reports
    the stored ones as duplicates.
    """
    bundle = parse_bundle(data)
    if bundle.kind != "events":
        raise BundleError(f"this is a {bundle.kind} bundle for a kiosk, not records from one")
    payload, registered_now = _verified_events_payload(instance, bundle, now)
    kiosk_id = str(bundle.kiosk_id)
    first, last = _seq_span(payload)
    with instance.store.read() as reader:
        kept = reader.bundle_receipt(kiosk_id, bundle.bundle_id)
    if kept is not None:
        receipt = json.loads(kept)
        return EventsImport(kiosk_id, bundle.bundle_id, receipt, True, False, 0, 0, 0, first, last)
    try:
        x25519_public_from(payload.get("device_box_public_key"), "the kiosk's box key")
    except SealError as exc:
        raise BundleError(str(exc)) from None
    cursor = payload.get("pull_cursor")
    if cursor is not None and not isinstance(cursor, str):
        raise BundleError("the bundle's pull cursor is not text")
    accepted: list[str] = []
    duplicate: list[str] = []
    rejected: list[dict[str, Any]] = []
    face_requests = _face_requests(bundle.bundle_id, payload)  # checked before anything is stored
    for request in _push_requests(bundle.bundle_id, payload):
        reply = ingest(instance.store, kiosk_id, request, now)
        accepted.extend(reply.accepted)
        duplicate.extend(reply.duplicate)
        rejected.extend(r.model_dump() for r in reply.rejected)
    receipt_payload = {
        "events_bundle_id": bundle.bundle_id,
        "imported_utc": format_time(now),
        "server_time": format_time(now),
        "accepted": accepted,
        "duplicate": duplicate,
        "rejected": rejected,
        "registered": True,
        "face": _ingest_faces(instance, kiosk_id, face_requests, now),
    }
    issuer = instance.keys.bundle_signer
    receipt = build_bundle(
        new_header("receipt", kiosk_id, format_time(now)), receipt_payload, issuer.signing_key, issuer.key_id
    )
    with instance.store.write() as writer:
        writer.record_bundle_import(
            kiosk_id,
            bundle.bundle_id,
            json.dumps(receipt, ensure_ascii=False, separators=(",", ":")),
            now,
            payload["device_box_public_key"],
            cursor,
            str(bundle.header["created_utc"]),
        )
        note_bundle_seen(writer, kiosk_id, bundle.header["created_utc"], payload.get("clock_offset_s"), now)
    return EventsImport(
        kiosk_id,
        bundle.bundle_id,
        receipt,
        False,
        registered_now,
        len(accepted),
        len(duplicate),
        len(rejected),
        first,
        last,
    )


# -- change bundles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangesExport:
    """A change bundle for one kiosk: the bundle, where it starts and ends, how many changes."""

    kiosk_id: str
    bundle: dict[str, Any]
    from_cursor: str | None
    next_cursor: str
    changes: int


def export_changes(
    instance: CloudInstance, kiosk_id: str, now: datetime, since: str | None = None, *, full: bool = False
) -> ChangesExport:
    """Everything after ``since`` (default: the cursor the kiosk last reported), sealed for the kiosk.

    ``full``: from the beginning, for a kiosk that has no cursor (set up again).
    The payload's ``missing`` is the kiosk's missing ranges as of the export,
    the list a page of changes carries (docs/sync-protocol.md, "Missing records").

    :class:`BundleError` when the kiosk is unknown or no bundle of it has
    been imported yet (its box key is not known), or the cursor is not one of
    this server.
    """
    with instance.store.read() as reader:
        device = reader.device(kiosk_id)
    if device is None:
        raise BundleError(f"kiosk {kiosk_id} is not registered here")
    if device.box_public_key is None:
        raise BundleError(
            f"no bundle from kiosk {kiosk_id} has been imported yet, so there is no key to encrypt "
            "its updates for: import one of its bundles first"
        )
    reported = not full and since is None
    start = device.reported_cursor if reported else (None if full else since)
    pages: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] | None = None
    cursor, count = start, 0
    while True:
        try:
            page = read_changes(instance.store, cursor, MAX_CHANGES_LIMIT, device.area_id, kiosk_id)
        except ApiError as exc:
            raise BundleError(f"cannot start at cursor {cursor!r}: {exc.message}") from None
        if missing is None:  # the kiosk's missing ranges, as of the first page (docs/sync-protocol.md)
            missing = [gap.as_wire() for gap in page.missing]
        pages.append({"changes": [asdict(c) for c in page.changes], "next_cursor": page.next_cursor})
        count += len(page.changes)
        cursor = page.next_cursor
        if not page.more:
            break
    payload = {
        "from_cursor": start,
        "reported_in": device.reported_bundle_id if reported else None,
        "pages": pages,
        "created_utc": format_time(now),
        "face_key": b64(instance.keys.area_keys.key(device.area_id)),
        "missing": missing or [],
    }
    issuer = instance.keys.bundle_signer
    bundle = build_bundle(
        new_header("changes", kiosk_id, format_time(now)),
        payload,
        issuer.signing_key,
        issuer.key_id,
        x25519_public_from(device.box_public_key),
    )
    return ChangesExport(kiosk_id, bundle, start, str(cursor), count)
