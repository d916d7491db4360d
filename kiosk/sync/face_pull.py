"""Applying the face records of a ``/changes`` page: enrolments and deletions from the kiosk's area.

Runs inside the page's write transaction (:func:`kiosk.sync.pull.apply_page`),
one change under its own savepoint, so a record that cannot be used is
undone alone and reported:

- ``face_enrolment``: the templates are opened with the area face key and
  stored again under this kiosk's own face key, replacing the volunteer's
  templates; the consent is copied (coordinator, notice, the kiosk it was
  recorded at). A model this kiosk does not know, or a ciphertext that does
  not open (changed, or another key), stores nothing and is reported. The
  enrolment's ``qr_only`` mark (``look_alike``) is saved for the volunteer,
  replacing the one they had; an enrolment without one (``null``, or left
  out by an older cloud) clears their ``look_alike`` mark, which the newer
  enrolment replaced (a ``same_person`` mark stays: it never travels). The
  gallery's fingerprint covers the marks, so it reloads.
- ``face_deletion``: the volunteer's templates are deleted and every consent
  of theirs here withdrawn (one given since must be asked for again);
  nothing is queued for the cloud (it came from there).

A record's times are on the platform's clock. One dated more than
:data:`FACE_CLOCK_TOLERANCE` after the page's ``server_time`` (without one:
this kiosk's clock corrected by its measured offset) is refused with
``invalid:<field>`` and changes nothing: a time that has not come yet would
outlast every record after it. The times stored are on this kiosk's own
clock (the platform's minus the measured offset), like those of its own
records, so a consent sent on from here is not corrected twice.

A record this kiosk already holds (its own, echoed back) changes nothing. A
volunteer with a record made here still waiting for the cloud is left
alone: the cloud decides between the two when it arrives, and tells this
kiosk in a later page if the other one won.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from cryptography.exceptions import InvalidTag

from checkin_protocol.event_rows import format_utc
from checkin_protocol.face_records import FACE_CLOCK_TOLERANCE, FACE_DELETION, FACE_ENROLMENT, open_template
from checkin_protocol.face_template_format import MAX_TEMPLATES, descriptor_bytes
from checkin_protocol.sealed import SealError
from kiosk.store import face_records, face_sync
from kiosk.store import sync_state as state
from kiosk.store.audit import append_audit
from kiosk.store.database import Transaction
from kiosk.store.face_qr_only import LOOK_ALIKE, clear_look_alike, save_qr_only
from kiosk.store.face_templates import add_template, delete_templates, load_area_key, load_face_key

log = logging.getLogger(__name__)

__all__ = ["FACE_DELETION", "FACE_ENROLMENT", "FaceApplier"]


def _text(data: dict[str, Any], name: str) -> str:
    value = data[name]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be text")
    return value


def _time(data: dict[str, Any], name: str) -> tuple[str, datetime]:
    text = _text(data, name)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{name} must carry its UTC offset")
    return text, moment


def _received_mark(data: dict[str, Any], volunteer_id: str) -> tuple[str, str, datetime] | None:
    """(other volunteer, coordinator, decided) of an enrolment's QR-only mark; None for none (or left out)."""
    mark = data.get("qr_only")
    if mark is None:
        return None
    if not isinstance(mark, dict) or mark.get("reason") != LOOK_ALIKE:
        raise ValueError(f"qr_only must be null or a {LOOK_ALIKE} mark")
    other = _text(mark, "other_volunteer_id")
    if other == volunteer_id:
        raise ValueError("qr_only names the volunteer as their own look-alike")
    return other, _text(mark, "coordinator"), _time(mark, "decided_utc")[1]


def _record_times(kind: str, data: dict[str, Any]) -> dict[str, datetime]:
    """The times a record carries, by the field a refusal names."""
    if kind == FACE_DELETION:
        return {"deleted_utc": _time(data, "deleted_utc")[1]}
    consent = data["consent"]
    if not isinstance(consent, dict):
        raise ValueError("consent must be an object")
    return {"enrolled_utc": _time(data, "enrolled_utc")[1], "consent": _time(consent, "consented_utc")[1]}


class FaceApplier:
    """Applies the face changes of pages to one store; keys are read when first needed.

    After the page's transaction commits, the caller empties the WAL when
    :attr:`deleted` (deleted templates must not linger there) and reloads the
    face gallery when :attr:`changed`.
    """

    def __init__(self, database: Path, kiosk_id: str | None = None, server_time: str | None = None) -> None:
        self._database = database
        self._kiosk_id = kiosk_id
        self._server_time = server_time
        self._area_key: bytes | None = None
        self._own_key: bytes | None = None
        self._offset: timedelta | None = None
        self.changed = False
        self.deleted = False

    def _clock_offset(self, db: Transaction) -> timedelta:
        """The platform's clock minus this kiosk's, as last measured (none: zero), read once per page."""
        if self._offset is None:
            self._offset = timedelta(seconds=state.get_float(db, state.CLOCK_OFFSET_S) or 0.0)
        return self._offset

    def _platform_now(self, db: Transaction, at: datetime) -> datetime:
        """The platform's time now: the page's ``server_time``, else this kiosk's clock corrected."""
        if self._server_time is not None:
            try:
                stated = datetime.fromisoformat(self._server_time)
            except ValueError:
                stated = None
            if stated is not None and stated.tzinfo is not None:
                return stated
        return at + self._clock_offset(db)

    def _here(self, db: Transaction, moment: datetime) -> datetime:
        """A time on the platform's clock as this kiosk's clock reads it."""
        return (moment - self._clock_offset(db)).astimezone(UTC)

    def _refused_time(self, db: Transaction, kind: str, data: dict[str, Any], at: datetime) -> str | None:
        """Why a record's times cannot be, or None."""
        limit = self._platform_now(db, at) + FACE_CLOCK_TOLERANCE
        for field, moment in _record_times(kind, data).items():
            if moment > limit:
                log.warning(
                    "face record of %s refused: %s lies ahead of the platform's clock",
                    data["volunteer_id"],
                    field,
                )
                return (
                    f"{kind} of {data['volunteer_id']} refused (invalid:{field}): "
                    f"{moment.isoformat(timespec='milliseconds')} is more than "
                    f"{FACE_CLOCK_TOLERANCE.total_seconds() / 60:.0f} minutes after the platform's clock "
                    f"({format_utc(limit - FACE_CLOCK_TOLERANCE)}); nothing stored"
                )
        return None

    def _area(self) -> bytes | None:
        """The area face key (None: none yet), read once per page."""
        if self._area_key is None:
            self._area_key = load_area_key(self._database)
        return self._area_key

    def _own(self) -> bytes:
        """This kiosk's face key, made if missing, read once per page."""
        if self._own_key is None:
            self._own_key = load_face_key(self._database, create=True)
        assert self._own_key is not None
        return self._own_key

    def apply(
        self, db: Transaction, kind: str, op: str, key: str, data: dict[str, Any] | None, at: datetime
    ) -> str | None:
        """Apply one face change; a problem (the change was skipped) or None.

        ``ValueError`` for a change that cannot be used (the caller rolls it
        back and reports it).
        """
        if op != "upsert" or data is None:
            return f"{kind} {key}: operation {op!r} is not one of face records; skipped"
        volunteer_id = _text(data, "volunteer_id")
        if volunteer_id != key:
            raise ValueError(f"the record is of volunteer {volunteer_id!r}, not {key!r}")
        record_id = _text(data, "record_id")
        refused = self._refused_time(db, kind, data, at)
        if refused is not None:
            return refused
        if face_sync.has_pending(db, volunteer_id):
            log.info(
                "face record %s of %s left for now: a record made here waits for the cloud", record_id, key
            )
            return None
        mark = face_sync.current_record(db, volunteer_id)
        if mark is not None and mark.record_id == record_id:
            return None  # held already (an echo of this kiosk's own record, or a page applied twice)
        if kind == FACE_DELETION:
            self._delete(db, volunteer_id, record_id, data, at)
            return None
        return self._enrol(db, volunteer_id, record_id, data, at)

    def _audit(self, db: Transaction, action: str, at: datetime, detail: dict[str, Any]) -> None:
        kiosk_id = self._kiosk_id or state.get_value(db, state.DEVICE_ID) or "unregistered"
        append_audit(db, kiosk_id=kiosk_id, action=action, at=at, detail=detail)

    def _enrol(
        self, db: Transaction, volunteer_id: str, record_id: str, data: dict[str, Any], at: datetime
    ) -> str | None:
        model = _text(data, "model_version")
        if descriptor_bytes(model) is None:
            return f"face enrolment of {volunteer_id} uses model {model!r}, which this kiosk does not know; nothing stored"
        area_key = self._area()
        if area_key is None:
            return f"face enrolment of {volunteer_id}: this kiosk has no area face key yet; skipped"
        templates, consent = data["templates"], data["consent"]
        if not isinstance(templates, list) or not 1 <= len(templates) <= MAX_TEMPLATES:
            raise ValueError(f"templates must be a list of 1 to {MAX_TEMPLATES}")
        if not isinstance(consent, dict) or not all(isinstance(t, dict) for t in templates):
            raise ValueError("consent and templates must be objects")
        enrolled_at = self._here(db, _time(data, "enrolled_utc")[1])
        enrolled_text = format_utc(enrolled_at)
        consented_text = format_utc(self._here(db, _time(consent, "consented_utc")[1]))
        origin = _text(data, "origin_kiosk")
        qr_only = _received_mark(data, volunteer_id)
        try:
            plain = [open_template(area_key, t, volunteer_id, model) for t in templates]
        except (InvalidTag, SealError) as exc:
            log.warning("face enrolment %s of %s refused: a template does not open", record_id, volunteer_id)
            raise ValueError(
                f"a template does not open with the area key ({str(exc) or 'changed, or made with another key'})"
            ) from None
        own_key = self._own()
        replaced = delete_templates(db, volunteer_id)
        for template, descriptor in zip(templates, plain, strict=True):
            vector = np.frombuffer(descriptor, dtype=np.float32)
            add_template(db, own_key, template["template_id"], volunteer_id, model, vector, enrolled_at)
        face_records.save_received_consent(
            db,
            volunteer_id,
            consented_text,
            _text(consent, "coordinator"),
            _text(consent, "notice_version"),
            origin,
        )
        face_records.forget_deletion(db, volunteer_id)
        face_sync.set_current(db, volunteer_id, record_id, face_sync.ENROLMENT, enrolled_text, origin)
        detail: dict[str, Any] = {
            "volunteer_id": volunteer_id,
            "origin_kiosk": origin,
            "templates": len(plain),
            "replaced": replaced,
            "model_version": model,
        }
        if qr_only is not None:
            other, coordinator, decided = qr_only
            decided_text = format_utc(min(self._here(db, decided), enrolled_at))  # never after its enrolment
            save_qr_only(db, volunteer_id, other, LOOK_ALIKE, coordinator, decided_text)
            detail["qr_only"] = {"reason": LOOK_ALIKE, "other_volunteer_id": other}
        elif clear_look_alike(db, volunteer_id):
            detail["qr_only_cleared"] = True
        self._audit(db, "face.enrolled_elsewhere", at, detail)
        self.changed = True
        return None

    def _delete(
        self, db: Transaction, volunteer_id: str, record_id: str, data: dict[str, Any], at: datetime
    ) -> None:
        deleted_text = format_utc(self._here(db, _time(data, "deleted_utc")[1]))
        origin = _text(data, "origin_kiosk")
        removed = delete_templates(db, volunteer_id)
        # Every consent goes, even one given here since: whether it came after the deletion took effect
        # cannot be told from two clocks, and an enrolment on a consent the volunteer withdrew must not follow.
        face_records.withdraw_consents(db, volunteer_id, deleted_text)
        face_sync.set_current(db, volunteer_id, record_id, face_sync.DELETION, deleted_text, origin)
        detail = {"volunteer_id": volunteer_id, "origin_kiosk": origin, "templates": removed}
        self._audit(db, "face.deleted_elsewhere", at, detail)
        self.changed = True
        self.deleted = self.deleted or removed > 0
