"""Pushing face records (``POST /api/v1/face``): build a batch, send it, settle it after the reply.

The same discipline as events (:mod:`kiosk.sync.push`): the oldest pending
records first, a new ``batch_id`` per attempt, nothing marked before the
reply is in hand, the whole reply settled in one local transaction, a failed
attempt counted and the records sent again next time (the cloud answers
``duplicate``). An enrolment's templates are read from the kiosk's store
(its own face key), encrypted afresh under the area key for each attempt and
never written anywhere in that form; it carries the volunteer's ``look_alike``
QR-only mark (:mod:`kiosk.store.face_qr_only`), set or cleared in the
enrolment's own transaction, or ``null``. A deletion carries only the
volunteer and the time.

Times: a record carries the kiosk's clock when it was made, which the cloud
corrects by the offset sent with the batch and refuses beyond a tolerance
ahead of its own clock. So that no record of this kiosk looks newer than it
is, a clock found set back by a new measurement moves the waiting records
and the consents back with it (:func:`follow_clock_change`), and a deletion
made while the clock was ahead is sent dated now (:func:`build_batch`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from checkin_protocol.event_rows import format_utc
from checkin_protocol.face_records import MAX_FACE_RECORDS_PER_BATCH, seal_template
from kiosk.store import face_sync
from kiosk.store.database import Store, Transaction
from kiosk.store.face_qr_only import LOOK_ALIKE, QrOnlyMark, qr_only_mark
from kiosk.store.face_records import active_consent
from kiosk.store.face_templates import FaceKeyError, StoredTemplate, load_face_key, volunteer_templates
from kiosk.sync.credentials import DeviceCredentials
from kiosk.sync.errors import SyncError
from kiosk.sync.executor import Executor
from kiosk.sync.outbox import id_list
from kiosk.sync.reports import FacePushReport
from kiosk.sync.transport import Transport

log = logging.getLogger(__name__)

SETTLED_OUTCOMES = ("accepted", "duplicate", "superseded")
#: A change of the measured clock offset this large is a clock that was set, not a measurement's jitter.
CLOCK_SET_S = 60.0


@dataclass(frozen=True)
class FaceReply:
    """A checked ``200`` reply of ``POST /face``."""

    settled: dict[str, str]  # record ID -> accepted / duplicate / superseded
    rejected: dict[str, str]  # record ID -> reason


def parse_face_reply(reply: dict[str, Any]) -> FaceReply:
    """Check the shape of a face push reply; ``SyncError`` ``garbled`` when it is wrong."""
    settled: dict[str, str] = {}
    for outcome in SETTLED_OUTCOMES:
        for record_id in id_list(reply, outcome):
            settled.setdefault(record_id, outcome)
    rejected: dict[str, str] = {}
    items = reply.get("rejected")
    if not isinstance(items, list):
        raise SyncError("garbled", "the server's reply to a face push could not be read (no rejected list)")
    for item in items:
        if not (isinstance(item, dict) and isinstance(item.get("reason"), str)):
            raise SyncError(
                "garbled", "the server's reply to a face push could not be read (a bad rejection)"
            )
        named = item.get("record_id")
        if isinstance(named, str) and named not in settled:
            rejected.setdefault(named, item["reason"])
    return FaceReply(settled, rejected)


def _deletion(record: face_sync.PendingRecord, kiosk_id: str) -> dict[str, Any]:
    return {
        "record_id": record.record_id,
        "kind": face_sync.DELETION,
        "kiosk_id": kiosk_id,
        "volunteer_id": record.volunteer_id,
        "deleted_utc": record.at_utc,
        "replaces": record.replaces,
    }


def _enrolment(
    record: face_sync.PendingRecord,
    kiosk_id: str,
    consent: tuple[str, str, str],
    templates: list[StoredTemplate],
    area_key: bytes,
    qr_only: QrOnlyMark | None,
) -> dict[str, Any]:
    model = templates[0].model_version
    return {
        "record_id": record.record_id,
        "kind": face_sync.ENROLMENT,
        "kiosk_id": kiosk_id,
        "volunteer_id": record.volunteer_id,
        "model_version": model,
        "enrolled_utc": record.at_utc,
        "replaces": record.replaces,
        "consent": {"consented_utc": consent[0], "coordinator": consent[1], "notice_version": consent[2]},
        "templates": [
            seal_template(area_key, t.template_id, t.volunteer_id, model, t.descriptor.tobytes())
            for t in templates
            if t.model_version == model
        ],
        "qr_only": _wire_mark(qr_only),
    }


def _wire_mark(mark: QrOnlyMark | None) -> dict[str, str] | None:
    """The enrolment's QR-only mark on the wire: a ``look_alike`` one only (``same_person`` keeps no templates)."""
    if mark is None or mark.reason != LOOK_ALIKE:
        return None
    return {
        "reason": mark.reason,
        "other_volunteer_id": mark.other_volunteer_id,
        "coordinator": mark.coordinator,
        "decided_utc": mark.decided_utc,
    }


def build_batch(
    db: Transaction,
    face_key: bytes | None,
    kiosk_id: str,
    area_key: bytes,
    now: datetime,
    limit: int = MAX_FACE_RECORDS_PER_BATCH,
) -> list[dict[str, Any]]:
    """The oldest pending records, at most ``limit``, as the protocol's objects (inside a write transaction).

    A deletion dated after ``now`` (the clock was ahead when it was made) is
    dated ``now`` first, for good. An enrolment whose data this kiosk no
    longer holds (replaced by a newer record, templates or consent gone) is
    settled here as ``replaced_here`` and not sent; one whose templates cannot
    be opened with this kiosk's key is kept as refused here, for the
    coordinator. An enrolment dated ahead is sent as it is: the cloud refuses
    it (``invalid:enrolled_utc``) rather than let it look newer than it is.
    """
    records: list[dict[str, Any]] = []
    stale: list[str] = []
    unreadable: dict[str, str] = {}
    for record_id in face_sync.date_deletions_no_later_than(db, now):
        log.warning(
            "face deletion %s was dated ahead of this kiosk's clock (set back since); sent dated now",
            record_id,
        )
    for record in face_sync.pending_records(db, limit):
        if record.kind == face_sync.DELETION:
            records.append(_deletion(record, kiosk_id))
            continue
        mark = face_sync.current_record(db, record.volunteer_id)
        consent = active_consent(db, record.volunteer_id)
        try:
            templates = volunteer_templates(db, face_key, record.volunteer_id) if face_key else []
        except FaceKeyError:
            unreadable[record.record_id] = (
                "unreadable_here: the templates do not open with this kiosk's face key"
            )
            continue
        if mark is None or mark.record_id != record.record_id or consent is None or not templates:
            stale.append(record.record_id)
            continue
        qr_only = qr_only_mark(db, record.volunteer_id)
        records.append(_enrolment(record, kiosk_id, consent, templates, area_key, qr_only))
    face_sync.settle_here(db, stale, "replaced_here", now)
    face_sync.reject(db, unreadable, "")
    return records


def follow_clock_change(db: Transaction, previous: float | None, measured: float) -> int:
    """After a new clock measurement (inside its write transaction): follow a clock set back; rows moved.

    ``previous`` and ``measured`` are the offsets (server minus device)
    before and now. When it grew by :data:`CLOCK_SET_S` or more, the clock
    was set back since the last measurement: the waiting face records and
    the active consents, made on the clock as it was, are moved back by the
    change (:func:`kiosk.store.face_sync.move_back`). Those made after the
    change then look older than they are, which can only make them lose.
    """
    if previous is None or measured - previous < CLOCK_SET_S:
        return 0
    return face_sync.move_back(db, measured - previous)


def push_face_batch(
    run: Executor,
    store: Store,
    transport: Transport,
    credentials: DeviceCredentials,
    area_key: bytes,
    offset: float | None,
    now: Callable[[], datetime],
    report: FacePushReport,
) -> bool:
    """Send the oldest pending face records and settle them; add to ``report``.

    False when there was nothing to send or the batch failed (``report.error`` set).
    """
    face_key = load_face_key(store.path, create=False)

    def build() -> list[dict[str, Any]]:
        with store.write() as db:
            return build_batch(db, face_key, credentials.device_id, area_key, now())

    records = run(build)
    if not records:
        return False
    ids = [str(r["record_id"]) for r in records]
    batch_id = str(uuid.uuid4())
    body = {
        "batch_id": batch_id,
        "sent_at_device": format_utc(now()),
        "clock_offset_s": offset,
        "records": records,
    }
    try:
        reply = parse_face_reply(transport.post_json("/face", body, token=credentials.bearer_token))
    except SyncError as exc:
        log.info("push of face batch %s (%d records) failed: %s", batch_id, len(ids), exc.kind)

        def count_failure() -> None:
            with store.write() as db:
                face_sync.count_failure(db, ids, batch_id)

        run(count_failure)
        report.error = exc
        return False
    sent = set(ids)
    settled = {i: o for i, o in reply.settled.items() if i in sent}
    rejected = {i: r for i, r in reply.rejected.items() if i in sent}

    def settle() -> None:
        with store.write() as db:
            face_sync.settle(db, settled, batch_id, now())
            face_sync.reject(db, rejected, batch_id)

    run(settle)
    report.add(len(ids), settled, rejected)
    for record_id, reason in sorted(rejected.items()):
        log.warning("the server refused face record %s: %s", record_id, reason)
    unanswered = len(sent - settled.keys() - rejected.keys())
    if unanswered:
        report.error = SyncError(
            "garbled", f"the server did not answer for {unanswered} face records; they stay waiting"
        )
        return False
    return True
