"""Face push (``POST /api/v1/face``): judge every record on its own, store a batch in one transaction.

Checks, in order, each giving the record's one verdict:

1. ``invalid:<field>``: a field missing, of the wrong type or out of range
   (``invalid:record`` when it is not an object, ``invalid:kind`` for a kind
   other than ``enrolment`` / ``deletion``).
2. ``wrong_kiosk``: ``kiosk_id`` is not the authenticated device.
3. ``invalid:templates``: a number of templates other than 3 to 5, or a
   template ID used twice; ``unknown_model``: a model version the platform
   has no format for.
4. ``bad_template``: a nonce or ciphertext that is not base64 of the size
   the model's descriptor makes.
5. ``undecryptable``: a template that does not open with the kiosk's area
   key (made with another key, or changed), checked in memory only.
6. Stored or not, by the order of the volunteer's records (:func:`newer`):
   ``accepted`` (stored), ``duplicate`` (this record is what is stored),
   ``superseded`` (a newer record is stored: nothing changes), ``conflict``
   (this record ID is stored with other content).

A record refused or superseded stores nothing, but when its volunteer is
known (it was read), the area's kiosks are sent that volunteer's current
record again (one change-log entry): the kiosk that pushed it held back the
records it pulled for that volunteer while its own waited, and now catches up.

A deletion wins over every enrolment of the volunteer it is newer than, in
every area: their ciphertexts are deleted for real, and the deletion is kept
(a tombstone) so an older enrolment that arrives later is not stored.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from pydantic import BaseModel, ValidationError

from cloud.errors import ApiError
from cloud.face_keys import AreaFaceKeys
from cloud.face_protocol import (
    FaceDeletionRecord,
    FaceEnrolmentRecord,
    FacePushRequest,
    FacePushResponse,
    FaceRejection,
)
from cloud.face_queries import DELETION, ENROLMENT, EnrolmentRow, FaceMark, TombstoneRow
from cloud.ingest import echoed_id, invalid_field
from cloud.protocol import format_time
from cloud.queries import Writer
from cloud.storage import CloudStore
from kiosk.store.face_templates import MAX_TEMPLATES, MIN_TEMPLATES
from kiosk.sync.face_records import MAX_FACE_RECORDS_PER_BATCH, ciphertext_size, open_template
from kiosk.sync.sealed import SealError

log = logging.getLogger(__name__)

_RANK = {ENROLMENT: 0, DELETION: 1}  # at the same moment, a deletion wins


def newer(a: FaceMark, b: FaceMark) -> bool:
    """Whether record ``a`` of a volunteer wins over record ``b``.

    A record that names the other in ``replaces`` was made knowing it, and
    wins whatever the clocks say; otherwise the later corrected time wins,
    a deletion before an enrolment at the same moment, then the larger ID.
    """
    if b.replaces == a.record_id:
        return False
    if a.replaces == b.record_id:
        return True
    return (a.corrected_utc, _RANK[a.kind], a.record_id) > (b.corrected_utc, _RANK[b.kind], b.record_id)


@dataclass(frozen=True, slots=True)
class _Judged:
    """A record that passed every check, with its corrected time."""

    record: FaceEnrolmentRecord | FaceDeletionRecord
    corrected_utc: str

    @property
    def mark(self) -> FaceMark:
        kind = ENROLMENT if isinstance(self.record, FaceEnrolmentRecord) else DELETION
        return FaceMark(self.record.record_id, kind, self.corrected_utc, self.record.replaces)


def _validate(raw: object) -> FaceEnrolmentRecord | FaceDeletionRecord | FaceRejection:
    if not isinstance(raw, dict):
        return FaceRejection(record_id=None, reason="invalid:record")
    kind = raw.get("kind")
    if kind not in ("enrolment", "deletion"):
        return FaceRejection(record_id=echoed_id(raw, "record_id"), reason="invalid:kind")
    model: type[BaseModel] = FaceEnrolmentRecord if kind == "enrolment" else FaceDeletionRecord
    try:
        record = model.model_validate(raw)
    except ValidationError as exc:
        return FaceRejection(record_id=echoed_id(raw, "record_id"), reason=f"invalid:{invalid_field(exc)}")
    assert isinstance(record, FaceEnrolmentRecord | FaceDeletionRecord)
    return record


def _template_verdict(record: FaceEnrolmentRecord, area_key: bytes) -> str | None:
    templates = record.templates
    ids = [t.template_id for t in templates]
    if not MIN_TEMPLATES <= len(templates) <= MAX_TEMPLATES or len(set(ids)) != len(ids):
        return "invalid:templates"
    if ciphertext_size(record.model_version) is None:
        return "unknown_model"
    for template in templates:
        try:
            open_template(area_key, template.model_dump(), record.volunteer_id, record.model_version)
        except SealError:
            return "bad_template"
        except InvalidTag:
            return "undecryptable"
    return None


@dataclass(frozen=True, slots=True)
class _Refused:
    """A record's rejection, and its volunteer when the record could be read."""

    rejection: FaceRejection
    volunteer_id: str | None = None


def judge_record(
    raw: object, device_id: str, area_key: bytes, clock_offset_s: float | None
) -> _Judged | _Refused:
    """Check one record of a batch pushed by ``device_id``: a :class:`_Judged` or its rejection."""
    record = _validate(raw)
    if isinstance(record, FaceRejection):
        return _Refused(record)

    def refuse(reason: str) -> _Refused:
        return _Refused(FaceRejection(record_id=record.record_id, reason=reason), record.volunteer_id)

    if record.kiosk_id != device_id:
        return refuse("wrong_kiosk")
    if isinstance(record, FaceEnrolmentRecord):
        verdict = _template_verdict(record, area_key)
        if verdict is not None:
            return refuse(verdict)
    moment = record.enrolled_utc if isinstance(record, FaceEnrolmentRecord) else record.deleted_utc
    try:
        corrected = format_time(moment + timedelta(seconds=clock_offset_s or 0.0))
    except OverflowError:
        return refuse(
            "invalid:enrolled_utc" if isinstance(record, FaceEnrolmentRecord) else "invalid:deleted_utc"
        )
    return _Judged(record, corrected)


@dataclass
class _Batch:
    """Where a batch is stored: the pushing device's area, the batch and the time."""

    device_id: str
    area_id: str
    batch_id: str
    now: str
    deleted_ciphertexts: bool = False


def _store_enrolment(writer: Writer, item: _Judged, batch: _Batch) -> str:
    record = item.record
    assert isinstance(record, FaceEnrolmentRecord)
    current = writer.face_enrolment(batch.area_id, record.volunteer_id)
    tombstone = writer.face_tombstone(record.volunteer_id)
    if current is not None and current.record_id == record.record_id:
        same = (current.kiosk_id, current.model_version, current.enrolled_utc, current.template_ids()) == (
            record.kiosk_id,
            record.model_version,
            format_time(record.enrolled_utc),
            [t.template_id for t in record.templates],
        )
        return "duplicate" if same else "conflict"
    if writer.face_record_owner(record.record_id) is not None:
        return "conflict"  # the ID of a stored deletion, or of an enrolment in another area
    if (current is None or newer(item.mark, current.mark)) and (
        tombstone is None or newer(item.mark, tombstone.mark)
    ):
        templates = json.dumps([t.model_dump() for t in record.templates], separators=(",", ":"))
        consent = record.consent
        writer.put_face_enrolment(
            EnrolmentRow(
                batch.area_id,
                record.volunteer_id,
                record.record_id,
                record.kiosk_id,
                record.model_version,
                format_time(record.enrolled_utc),
                item.corrected_utc,
                record.replaces,
                format_time(consent.consented_utc),
                consent.coordinator,
                consent.notice_version,
                templates,
                batch.now,
                batch.batch_id,
            )
        )
        return "accepted"
    writer.log_face_change(record.volunteer_id, batch.area_id)
    return "superseded"


def _store_deletion(writer: Writer, item: _Judged, batch: _Batch) -> str:
    record = item.record
    assert isinstance(record, FaceDeletionRecord)
    tombstone = writer.face_tombstone(record.volunteer_id)
    if tombstone is not None and tombstone.record_id == record.record_id:
        same = (tombstone.kiosk_id, tombstone.deleted_utc) == (
            record.kiosk_id,
            format_time(record.deleted_utc),
        )
        return "duplicate" if same else "conflict"
    if writer.face_record_owner(record.record_id) is not None:
        return "conflict"
    changed = False
    for enrolment in writer.face_enrolments_of(record.volunteer_id):
        if newer(item.mark, enrolment.mark):
            changed = writer.delete_face_enrolment(enrolment.area_id, record.volunteer_id) or changed
    batch.deleted_ciphertexts = batch.deleted_ciphertexts or changed
    if tombstone is None or newer(item.mark, tombstone.mark):
        writer.put_face_tombstone(
            TombstoneRow(
                record.volunteer_id,
                record.record_id,
                record.kiosk_id,
                batch.area_id,
                format_time(record.deleted_utc),
                item.corrected_utc,
                record.replaces,
                batch.now,
                batch.batch_id,
            )
        )
        changed = True
    writer.log_face_change(record.volunteer_id, batch.area_id)
    return "accepted" if changed else "superseded"


def ingest_faces(
    store: CloudStore, area_keys: AreaFaceKeys, device_id: str, request: FacePushRequest, now: datetime
) -> FacePushResponse:
    """Judge and store a batch of face records from ``device_id`` in one transaction.

    ``ApiError`` 400 ``batch_too_large`` (nothing stored) for more than
    :data:`MAX_FACE_RECORDS_PER_BATCH` records.
    """
    if len(request.records) > MAX_FACE_RECORDS_PER_BATCH:
        raise ApiError(
            400,
            "batch_too_large",
            f"a face batch holds at most {MAX_FACE_RECORDS_PER_BATCH} records, this one "
            f"{len(request.records)}; send smaller batches",
        )
    with store.read() as reader:
        device = reader.device(device_id)
    assert device is not None  # authenticated
    key = area_keys.key(device.area_id)
    judged = [judge_record(raw, device_id, key, request.clock_offset_s) for raw in request.records]
    batch = _Batch(device_id, device.area_id, request.batch_id, format_time(now))
    verdicts: dict[str, list[str]] = {"accepted": [], "duplicate": [], "superseded": []}
    rejected: list[FaceRejection] = []
    with store.write() as writer:
        for item in judged:
            if isinstance(item, _Refused):
                rejected.append(item.rejection)
                if item.volunteer_id is not None:
                    writer.log_face_change(item.volunteer_id, batch.area_id)
                continue
            store_one = _store_enrolment if isinstance(item.record, FaceEnrolmentRecord) else _store_deletion
            verdict = store_one(writer, item, batch)
            if verdict == "conflict":
                rejected.append(FaceRejection(record_id=item.record.record_id, reason="conflict"))
                writer.log_face_change(item.record.volunteer_id, batch.area_id)
            else:
                verdicts[verdict].append(item.record.record_id)
    if batch.deleted_ciphertexts:
        store.checkpoint()
    log.info(
        "face batch %s from %s: %s, %d rejected",
        request.batch_id,
        device_id,
        ", ".join(f"{len(ids)} {name}" for name, ids in verdicts.items()),
        len(rejected),
    )
    return FacePushResponse(**verdicts, rejected=rejected, server_time=format_time(now))
