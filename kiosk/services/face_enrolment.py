"""Face data of volunteers at this kiosk: consent first, templates encrypted, one action to delete.

The rules (the issue's, and the choices written in docs/face.md):

- No template without a recorded consent (when, which coordinator, which
  version of the notice the volunteer was shown). A withdrawn consent blocks
  enrolment until a new one is recorded.
- An enrolment stores 3 to 5 templates (descriptors of good frames), never a
  photo; they are encrypted with the kiosk's face key
  (:mod:`kiosk.store.face_templates`).
- :meth:`FaceEnrolment.delete` is one action: the templates are deleted
  (securely), the consent marked withdrawn, and a deletion recorded to pass
  on to the cloud; the audit line names who did it, never any face data.
- Every enrolment and deletion is queued for the cloud in its own
  transaction (:func:`kiosk.store.face_sync.record_made_here`), so the other
  kiosks of the area learn of it (docs/sync-protocol.md, "Face templates").
- The gallery is loaded decrypted into memory only (:meth:`load_gallery`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from checkin_protocol.event_rows import format_utc
from checkin_protocol.face_template_format import MAX_TEMPLATES, MIN_TEMPLATES
from kiosk.clock import Clock
from kiosk.services.ids import new_event_id
from kiosk.store.audit import append_audit
from kiosk.store.database import DatabaseFailure, Store
from kiosk.store.face_consents import (
    Consent,
    consent_record,
    save_consent,
    save_deletion,
    volunteers_with_active_consent,
)
from kiosk.store.face_records import forget_deletion, withdraw_consents
from kiosk.store.face_sync import DELETION, ENROLMENT, record_made_here
from kiosk.store.face_templates import (
    Descriptor,
    add_template,
    delete_templates,
    erase_wal,
    load_face_key,
    load_templates,
)

log = logging.getLogger(__name__)

__all__ = ["MAX_TEMPLATES", "MIN_TEMPLATES", "NOTICE_VERSION", "Consent", "FaceEnrolment", "FaceRefusal"]

NOTICE_VERSION = "2026-11"  # the consent notice's version; bump when its text changes


class FaceRefusal:
    """Why an enrolment is refused."""

    NO_CONSENT = "no_consent"
    TOO_FEW = "too_few_frames"
    TOO_MANY = "too_many_frames"
    STORAGE_ERROR = "storage_error"


class FaceEnrolment:
    """Consent, enrolment, deletion and the gallery of one kiosk's store."""

    def __init__(self, store: Store, kiosk_id: str, clock: Clock) -> None:
        self._store = store
        self._kiosk_id = kiosk_id
        self._clock = clock

    def _now(self) -> datetime:
        return self._clock.now().wall_utc

    def consent(self, volunteer_id: str) -> Consent | None:
        """The volunteer's consent record, if any."""
        record = consent_record(self._store.writer, volunteer_id)
        return record

    def record_consent(
        self, volunteer_id: str, coordinator: str, notice_version: str = NOTICE_VERSION
    ) -> None:
        """The volunteer agreed (having read the notice); a new consent replaces a withdrawn one."""
        now = self._now()
        with self._store.write() as db:
            save_consent(db, volunteer_id, format_utc(now), coordinator, notice_version)
            append_audit(
                db,
                kiosk_id=self._kiosk_id,
                action="face.consent",
                at=now,
                actor=coordinator,
                detail={"volunteer_id": volunteer_id, "notice_version": notice_version},
            )

    def enrol(
        self, volunteer_id: str, descriptors: Sequence[Descriptor], coordinator: str, model_version: str
    ) -> str | None:
        """Store the volunteer's templates (replacing earlier ones); None when done, else a refusal."""
        consent = self.consent(volunteer_id)
        if consent is None or not consent.active:
            return FaceRefusal.NO_CONSENT
        if len(descriptors) < MIN_TEMPLATES:
            return FaceRefusal.TOO_FEW
        if len(descriptors) > MAX_TEMPLATES:
            return FaceRefusal.TOO_MANY
        now = self._now()
        try:
            key = load_face_key(self._store.path, create=True)
            assert key is not None
            with self._store.write() as db:
                replaced = delete_templates(db, volunteer_id)
                for descriptor in descriptors:
                    add_template(db, key, new_event_id(), volunteer_id, model_version, descriptor, now)
                forget_deletion(db, volunteer_id)
                record_made_here(db, ENROLMENT, volunteer_id, new_event_id(), now)
                append_audit(
                    db,
                    kiosk_id=self._kiosk_id,
                    action="face.enrolled",
                    at=now,
                    actor=coordinator,
                    detail={
                        "volunteer_id": volunteer_id,
                        "templates": len(descriptors),
                        "replaced": replaced,
                        "model_version": model_version,
                    },
                )
        except (DatabaseFailure, OSError) as exc:
            log.error("face enrolment of %s not stored: %s", volunteer_id, exc)
            return FaceRefusal.STORAGE_ERROR
        return None

    def delete(self, volunteer_id: str, coordinator: str) -> int:
        """Delete the volunteer's face data in one action; how many templates there were."""
        now = self._now()
        with self._store.write() as db:
            removed = delete_templates(db, volunteer_id)
            withdraw_consents(db, volunteer_id, format_utc(now))
            save_deletion(db, volunteer_id, format_utc(now), coordinator)
            record_made_here(db, DELETION, volunteer_id, new_event_id(), now)
            append_audit(
                db,
                kiosk_id=self._kiosk_id,
                action="face.deleted",
                at=now,
                actor=coordinator,
                detail={"volunteer_id": volunteer_id, "templates": removed},
            )
        erase_wal(self._store.writer, self._store.report.journal_mode)
        return removed

    def load_gallery(self, model_version: str) -> list[tuple[str, Descriptor]]:
        """(volunteer ID, descriptor) of every template of ``model_version`` with an active consent."""
        key = load_face_key(self._store.path, create=False)
        if key is None:
            return []
        active = volunteers_with_active_consent(self._store.writer)
        templates = load_templates(self._store.writer, key, model_version)
        return [(t.volunteer_id, t.descriptor) for t in templates if t.volunteer_id in active]
