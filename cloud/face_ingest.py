"""Face push (``POST /api/v1/face``): judge every record on its own, store a batch in one transaction.

Checks, in order, each giving the record's one verdict:

1. ``invalid:<field>``: a field missing, of the wrong type or out of range
   (``invalid:record`` when it is not an object, ``invalid:kind`` for a kind
   other than ``enrolment`` / ``deletion``; ``invalid:qr_only`` for a mark
   whose reason is not ``look_alike``, whose IDs or coordinator are bad, or
   that names the volunteer as their own look-alike); ``invalid:enrolled_utc``,
   ``invalid:consent``, ``invalid:deleted_utc`` for a time more than
   :data:`FACE_CLOCK_TOLERANCE` ahead of the server's clock once corrected
   (:func:`batch_offset`).
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
   (this record ID is stored with other content, its QR-only mark included).

A record refused or superseded stores nothing, but when its volunteer is
known (it was read), the area's kiosks are sent that volunteer's current
record again (one change-log entry): the kiosk that pushed it held back the
records it pulled for that volunteer while its own waited, and now catches up.

A deletion deletes every enrolment of the volunteer in every area, whatever
their times (only one made knowing this very deletion, naming it in
``replaces``, stays): their ciphertexts are deleted for real. It is logged
for good (sent again, it is a ``duplicate``) and becomes the volunteer's
tombstone, which takes effect when it arrives (:attr:`TombstoneRow.effective_utc`):
an enrolment arriving after it is stored only when it names it in
``replaces`` or carries a consent given after it, so a kiosk that had not
heard of the deletion cannot bring the face back on the old consent.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from pydantic import BaseModel, ValidationError

from checkin_protocol.face_records import (
    FACE_CLOCK_TOLERANCE,
    MAX_FACE_RECORDS_PER_BATCH,
    ciphertext_size,
    open_template,
)
from checkin_protocol.face_template_format import MAX_TEMPLATES, MIN_TEMPLATES
from checkin_protocol.sealed import SealError
from cloud.errors import ApiError
from cloud.face_keys import AreaFaceKeys
from cloud.face_protocol import (
    FaceDeletionRecord,
    FaceEnrolmentRecord,
    FacePushRequest,
    FacePushResponse,
    FaceRejection,
)
from cloud.face_queries import DELETION, ENROLMENT, EnrolmentRow, FaceMark, TombstoneRow, qr_only_text
from cloud.ingest import echoed_id, invalid_field
from cloud.protocol import format_time
from cloud.queries import Writer
from cloud.storage import Storage

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
    """A record that passed every check, with its times on the server's clock (consent: enrolments only)."""

    record: FaceEnrolmentRecord | FaceDeletionRecord
    corrected_utc: str
    consent_utc: str | None = None

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


def batch_offset(clock_offset_s: float | None, sent_at_device: datetime, now: datetime) -> float:
    """The correction of a batch's times: the kiosk's measured offset, but never past the batch's own sending.

    A batch cannot have been sent after it arrived, so ``now - sent_at_device``
    bounds the offset: a kiosk whose fast clock was never measured (a USB
    kiosk) has its records placed no later than the batch's arrival instead
    of refused. The bound can only move times earlier, which never lets a
    record win more.
    """
    return min(clock_offset_s or 0.0, (now - sent_at_device).total_seconds())


def _on_server_clock(moment: datetime, offset_s: float, now: datetime) -> str | None:
    """``moment`` corrected by ``offset_s``; None when it lies beyond the tolerance ahead of ``now``."""
    try:
        corrected = moment + timedelta(seconds=offset_s)
    except OverflowError:
        return None
    return format_time(corrected) if corrected <= now + FACE_CLOCK_TOLERANCE else None


def judge_record(
    raw: object, device_id: str, area_key: bytes, offset_s: float, now: datetime
) -> _Judged | _Refused:
    """Check one record of a batch pushed by ``device_id``: a :class:`_Judged` or its rejection.

    ``offset_s`` is the batch's correction (:func:`batch_offset`), ``now`` the server's time.
    """
    record = _validate(raw)
    if isinstance(record, FaceRejection):
        return _Refused(record)

    def refuse(reason: str) -> _Refused:
        return _Refused(FaceRejection(record_id=record.record_id, reason=reason), record.volunteer_id)

    mark = record.qr_only if isinstance(record, FaceEnrolmentRecord) else None
    if mark is not None and mark.other_volunteer_id == record.volunteer_id:
        return refuse("invalid:qr_only")  # nobody is their own look-alike

    if isinstance(record, FaceEnrolmentRecord):
        times = {"enrolled_utc": record.enrolled_utc, "consent": record.consent.consented_utc}
    else:
        times = {"deleted_utc": record.deleted_utc}
    corrected: dict[str, str] = {}
    for field, moment in times.items():
        on_server_clock = _on_server_clock(moment, offset_s, now)
        if on_server_clock is None:
            return refuse(f"invalid:{field}")
        corrected[field] = on_server_clock
    if record.kiosk_id != device_id:
        return refuse("wrong_kiosk")
    if isinstance(record, FaceEnrolmentRecord):
        verdict = _template_verdict(record, area_key)
        if verdict is not None:
            return refuse(verdict)
        # A consent cannot follow its enrolment: the later claim counts no further than the enrolment.
        return _Judged(
            record, corrected["enrolled_utc"], min(corrected["consent"], corrected["enrolled_utc"])
        )
    return _Judged(record, corrected["deleted_utc"])


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
        same = (
            current.kiosk_id,
            current.model_version,
            current.enrolled_utc,
            current.template_ids(),
            current.qr_only,
        ) == (
            record.kiosk_id,
            record.model_version,
            format_time(record.enrolled_utc),
            [t.template_id for t in record.templates],
            _qr_only_text(record),
        )
        return "duplicate" if same else "conflict"
    if writer.face_record_owner(record.record_id) is not None:
        return "conflict"  # the ID of a deletion taken, or of an enrolment in another area
    if (current is None or newer(item.mark, current.mark)) and _passes(item, tombstone):
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
                _qr_only_text(record),
            )
        )
        return "accepted"
    writer.log_face_change(record.volunteer_id, batch.area_id)
    return "superseded"


def _qr_only_text(record: FaceEnrolmentRecord) -> str | None:
    """The stored form of the record's QR-only mark (None: none)."""
    mark = record.qr_only
    if mark is None:
        return None
    return qr_only_text(
        {
            "reason": mark.reason,
            "other_volunteer_id": mark.other_volunteer_id,
            "coordinator": mark.coordinator,
            "decided_utc": format_time(mark.decided_utc),
        }
    )


def _passes(item: _Judged, tombstone: TombstoneRow | None) -> bool:
    """Whether an enrolment may follow the volunteer's deletion: made knowing it, or on a consent after it.

    Not by the enrolment's own time: a kiosk that had not heard of the
    deletion can enrol again later on the consent the volunteer withdrew.
    """
    if tombstone is None or item.record.replaces == tombstone.record_id:
        return True
    assert item.consent_utc is not None
    return item.consent_utc > tombstone.effective_utc  # one fixed format: text order is time order


def _store_deletion(writer: Writer, item: _Judged, batch: _Batch) -> str:
    record = item.record
    assert isinstance(record, FaceDeletionRecord)
    taken = writer.face_deletion(record.record_id)
    if taken is not None:
        same = taken == (record.volunteer_id, record.kiosk_id, format_time(record.deleted_utc))
        return "duplicate" if same else "conflict"
    if writer.face_record_owner(record.record_id) is not None:
        return "conflict"
    for enrolment in writer.face_enrolments_of(record.volunteer_id):
        if enrolment.replaces != record.record_id:  # else made knowing this very deletion: it stays
            writer.delete_face_enrolment(enrolment.area_id, record.volunteer_id)
            batch.deleted_ciphertexts = True
    row = TombstoneRow(
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
    writer.log_face_deletion(row)
    tombstone = writer.face_tombstone(record.volunteer_id)
    if tombstone is None or row.effective_utc >= tombstone.effective_utc:  # the later effect stays in force
        writer.put_face_tombstone(row)
    writer.log_face_change(record.volunteer_id, batch.area_id)
    return "accepted"


def ingest_faces(
    store: Storage, area_keys: AreaFaceKeys, device_id: str, request: FacePushRequest, now: datetime
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
    offset = batch_offset(request.clock_offset_s, request.sent_at_device, now)
    judged = [judge_record(raw, device_id, key, offset, now) for raw in request.records]
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
