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
- **An enrolment knows its neighbours**: the new templates are searched
  against the gallery of their model (the volunteer's own templates left
  out), as the kiosk screen would search them. When the kiosk would take the
  new face for another volunteer (a new template, or their mean, accepted as
  someone else), or another volunteer's face is closer than
  :data:`ALREADY_ENROLLED_DISTANCE` (the same face, whatever the margin),
  the enrolment stops, nothing stored, for the coordinator to answer: the same person registered twice
  (:meth:`FaceEnrolment.record_same_person`: no templates, QR code only) or
  two people the model cannot tell apart
  (:meth:`FaceEnrolment.enrol_as_qr_only`: templates stored but never
  named). The answer is kept in ``face_qr_only``
  (:mod:`kiosk.store.face_qr_only`) and outlives a deletion, so a later
  enrolment is put to the coordinator again: for a volunteer marked so, their
  recorded other volunteer stops the enrolment up to :data:`NEAR_BAND` past
  the threshold, and an enrolment that stops for nobody clears the mark. A
  nearest neighbour under the threshold that the kiosk would not take for
  them does not stop the enrolment (the desk says to face the camera
  straight); the gallery's margin rule makes a close pair win by more.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from checkin_protocol.event_rows import format_utc
from checkin_protocol.face_template_format import MAX_TEMPLATES, MIN_TEMPLATES
from kiosk.clock import Clock
from kiosk.face.matching import OPERATING_THRESHOLD, Gallery, as_descriptors
from kiosk.services.ids import new_event_id
from kiosk.store.audit import append_audit
from kiosk.store.database import DatabaseFailure, Store, Transaction
from kiosk.store.face_consents import (
    Consent,
    consent_record,
    save_consent,
    save_deletion,
    volunteers_with_active_consent,
)
from kiosk.store.face_qr_only import (
    LOOK_ALIKE,
    SAME_PERSON,
    clear_qr_only,
    qr_only_mark,
    qr_only_volunteers,
    save_qr_only,
)
from kiosk.store.face_records import forget_deletion, withdraw_consents
from kiosk.store.face_sync import DELETION, ENROLMENT, record_made_here
from kiosk.store.face_templates import (
    Descriptor,
    FaceKeyError,
    add_template,
    delete_templates,
    erase_wal,
    load_face_key,
    load_templates,
)
from kiosk.store.roster import get_volunteer

log = logging.getLogger(__name__)

__all__ = [
    "ALREADY_ENROLLED_DISTANCE",
    "MAX_TEMPLATES",
    "MIN_TEMPLATES",
    "NEAR_BAND",
    "NOTICE_VERSION",
    "Consent",
    "EnrolmentResult",
    "FaceEnrolment",
    "FaceRefusal",
    "Neighbour",
]

NOTICE_VERSION = "2026-11"  # the consent notice's version; bump when its text changes

NEAR_BAND = 0.1
"""For a volunteer already marked QR-only, their recorded look-alike stops a new enrolment up to this
past the operating threshold (the coordinator is asked again rather than the mark quietly cleared)."""

ALREADY_ENROLLED_DISTANCE = 0.35
"""Another volunteer's face this close is the same face, whatever the margin says: the enrolment stops.

Measured on faces-east-asia (2,448 pairs of photos of different people, celebrity photos years apart):
the closest two different people are 0.393 apart; a tenth to a quarter of the same person's photo
pairs are under 0.30-0.35, and two captures at a desk camera are closer still."""


class FaceRefusal:
    """Why an enrolment is refused."""

    NO_CONSENT = "no_consent"
    TOO_FEW = "too_few_frames"
    TOO_MANY = "too_many_frames"
    STORAGE_ERROR = "storage_error"
    NEIGHBOUR = "face_of_another_volunteer"
    """The kiosk would take the new face for another volunteer's (or it is the same face): the coordinator decides."""
    GALLERY_UNREADABLE = "gallery_unreadable"
    """The stored templates cannot be opened, so the new face cannot be checked against them."""


@dataclass(frozen=True)
class Neighbour:
    """The enrolled volunteer nearest to a new enrolment's templates: an ID, a name, a distance."""

    volunteer_id: str
    masked_name: str
    """Their name as the roster has it, masked (雷*霞); empty when the roster does not know them."""
    distance: float
    """The smallest distance between one of the new templates and one of theirs."""


@dataclass(frozen=True)
class EnrolmentResult:
    """What :meth:`FaceEnrolment.enrol_checked` did (stored: ``refusal`` None), and the nearest neighbour."""

    refusal: str | None
    nearest: Neighbour | None = None
    """The nearest other volunteer of the gallery, or for :attr:`FaceRefusal.NEIGHBOUR` the one that stopped
    the enrolment (None: nobody else enrolled, or not looked at)."""

    @property
    def conflict(self) -> Neighbour | None:
        """The volunteer whose face the new one is taken for, when that stopped the enrolment."""
        return self.nearest if self.refusal == FaceRefusal.NEIGHBOUR else None

    @property
    def near(self) -> bool:
        """Stored, with another volunteer's face under the threshold: they must face the camera straight."""
        return (
            self.refusal is None and self.nearest is not None and self.nearest.distance < OPERATING_THRESHOLD
        )


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
        """Store the volunteer's templates (replacing earlier ones); None when done, else a refusal.

        See :meth:`enrol_checked`, whose refusal this is."""
        return self.enrol_checked(volunteer_id, descriptors, coordinator, model_version).refusal

    def enrol_checked(
        self, volunteer_id: str, descriptors: Sequence[Descriptor], coordinator: str, model_version: str
    ) -> EnrolmentResult:
        """Check the templates against the gallery; store them unless another volunteer's face is too near.

        Refused with :attr:`FaceRefusal.NEIGHBOUR` (and the neighbour) when
        the kiosk would name another volunteer for this face, or another
        volunteer's face is nearer than :data:`ALREADY_ENROLLED_DISTANCE`
        (or, for a volunteer marked QR-only, their recorded other volunteer
        is within :data:`NEAR_BAND` past the threshold): nothing is stored. Stored, an
        earlier QR-only mark of the volunteer is cleared.
        """
        refusal = self._refusal(volunteer_id, descriptors)
        if refusal is not None:
            return EnrolmentResult(refusal)
        try:
            mark = qr_only_mark(self._store.writer, volunteer_id)
            nearest, conflict = self._neighbours(
                volunteer_id, descriptors, model_version, mark.other_volunteer_id if mark else None
            )
        except FaceKeyError as exc:
            log.error("face enrolment of %s not checked against the gallery: %s", volunteer_id, exc)
            return EnrolmentResult(FaceRefusal.GALLERY_UNREADABLE)
        except (DatabaseFailure, OSError) as exc:
            log.error("face enrolment of %s not checked against the gallery: %s", volunteer_id, exc)
            return EnrolmentResult(FaceRefusal.STORAGE_ERROR)
        if conflict is not None:
            log.info("face enrolment of %s stopped: too near %s", volunteer_id, conflict.volunteer_id)
            return EnrolmentResult(FaceRefusal.NEIGHBOUR, conflict)
        stored = self._store_templates(volunteer_id, descriptors, coordinator, model_version, qr_only_of=None)
        return EnrolmentResult(stored, nearest)

    def enrol_as_qr_only(
        self,
        volunteer_id: str,
        descriptors: Sequence[Descriptor],
        coordinator: str,
        model_version: str,
        other_volunteer_id: str,
    ) -> str | None:
        """The coordinator's answer to a stopped enrolment: two people the model cannot tell apart.

        The templates are stored as by :meth:`enrol` (consent required) and
        the volunteer is marked QR-only (``look_alike``, the other volunteer
        named) in the same transaction: the gallery keeps their face so that
        it is never taken for the other volunteer's, but never names them.
        None when done, else a refusal.
        """
        refusal = self._refusal(volunteer_id, descriptors)
        if refusal is not None:
            return refusal
        return self._store_templates(
            volunteer_id, descriptors, coordinator, model_version, qr_only_of=other_volunteer_id
        )

    def record_same_person(self, volunteer_id: str, other_volunteer_id: str, coordinator: str) -> int:
        """The coordinator's answer to a stopped enrolment: the same person registered twice.

        No template is stored; the volunteer is marked QR-only
        (``same_person``, the other volunteer named). Templates they had from
        an earlier enrolment would make the other account's face ambiguous:
        they are deleted as by :meth:`delete` (consent withdrawn, the deletion
        passed on). Returns how many templates were deleted.
        """
        now = self._now()
        with self._store.write() as db:
            self._mark_qr_only(db, volunteer_id, other_volunteer_id, SAME_PERSON, coordinator, now)
            removed = delete_templates(db, volunteer_id)
            if removed:
                self._record_deletion(db, volunteer_id, coordinator, now, removed)
        if removed:
            erase_wal(self._store.writer, self._store.report.journal_mode)
        return removed

    def _refusal(self, volunteer_id: str, descriptors: Sequence[Descriptor]) -> str | None:
        consent = self.consent(volunteer_id)
        if consent is None or not consent.active:
            return FaceRefusal.NO_CONSENT
        if len(descriptors) < MIN_TEMPLATES:
            return FaceRefusal.TOO_FEW
        if len(descriptors) > MAX_TEMPLATES:
            return FaceRefusal.TOO_MANY
        return None

    def _neighbours(
        self,
        volunteer_id: str,
        descriptors: Sequence[Descriptor],
        model_version: str,
        recorded_other: str | None,
    ) -> tuple[Neighbour | None, Neighbour | None]:
        """(the nearest other volunteer, the one that stops the enrolment or None)."""
        others = [(owner, d) for owner, d in self.load_gallery(model_version) if owner != volunteer_id]
        if not others:
            return None, None
        gallery = Gallery.from_templates(
            [owner for owner, _ in others],
            np.stack([d for _, d in others]),
            qr_only=qr_only_volunteers(self._store.writer),
        )
        found = gallery.neighbours(descriptors, count=1)
        nearest = self._neighbour(*found[0])
        if nearest.distance < ALREADY_ENROLLED_DISTANCE:
            return nearest, nearest
        taken_for = _taken_for(gallery, descriptors)
        if taken_for is not None:
            distance = dict(gallery.neighbours(descriptors, count=len(gallery.volunteers)))[taken_for]
            return nearest, self._neighbour(taken_for, distance)
        if recorded_other is not None and recorded_other in gallery:
            theirs = gallery.templates_of(recorded_other).astype(np.float64)
            mine = as_descriptors(descriptors).astype(np.float64)
            distance = float(np.min(np.linalg.norm(mine[:, None, :] - theirs[None, :, :], axis=2)))
            if distance < OPERATING_THRESHOLD + NEAR_BAND:
                return nearest, self._neighbour(recorded_other, distance)
        return nearest, None

    def _neighbour(self, volunteer_id: str, distance: float) -> Neighbour:
        volunteer = get_volunteer(self._store.writer, volunteer_id)
        return Neighbour(volunteer_id, volunteer.masked_name if volunteer is not None else "", distance)

    def _store_templates(
        self,
        volunteer_id: str,
        descriptors: Sequence[Descriptor],
        coordinator: str,
        model_version: str,
        *,
        qr_only_of: str | None,
    ) -> str | None:
        """Store the templates (replacing earlier ones), QR-only as look-alike of ``qr_only_of`` or not."""
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
                if qr_only_of is not None:
                    self._mark_qr_only(db, volunteer_id, qr_only_of, LOOK_ALIKE, coordinator, now)
                elif clear_qr_only(db, volunteer_id):
                    append_audit(
                        db,
                        kiosk_id=self._kiosk_id,
                        action="face.qr_only_cleared",
                        at=now,
                        actor=coordinator,
                        detail={"volunteer_id": volunteer_id},
                    )
        except (DatabaseFailure, OSError) as exc:
            log.error("face enrolment of %s not stored: %s", volunteer_id, exc)
            return FaceRefusal.STORAGE_ERROR
        return None

    def _mark_qr_only(
        self,
        db: Transaction,
        volunteer_id: str,
        other_volunteer_id: str,
        reason: str,
        coordinator: str,
        now: datetime,
    ) -> None:
        save_qr_only(db, volunteer_id, other_volunteer_id, reason, coordinator, format_utc(now))
        append_audit(
            db,
            kiosk_id=self._kiosk_id,
            action="face.qr_only",
            at=now,
            actor=coordinator,
            detail={"volunteer_id": volunteer_id, "other_volunteer_id": other_volunteer_id, "reason": reason},
        )

    def delete(self, volunteer_id: str, coordinator: str) -> int:
        """Delete the volunteer's face data in one action; how many templates there were.

        A QR-only mark stays (it holds no face data), so a later enrolment is put to the coordinator again."""
        now = self._now()
        with self._store.write() as db:
            removed = delete_templates(db, volunteer_id)
            self._record_deletion(db, volunteer_id, coordinator, now, removed)
        erase_wal(self._store.writer, self._store.report.journal_mode)
        return removed

    def _record_deletion(
        self, db: Transaction, volunteer_id: str, coordinator: str, now: datetime, removed: int
    ) -> None:
        """Withdraw the consent, mark the deletion, queue it for the cloud, audit it (templates gone)."""
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

    def load_gallery(self, model_version: str) -> list[tuple[str, Descriptor]]:
        """(volunteer ID, descriptor) of every template of ``model_version`` with an active consent."""
        key = load_face_key(self._store.path, create=False)
        if key is None:
            return []
        active = volunteers_with_active_consent(self._store.writer)
        templates = load_templates(self._store.writer, key, model_version)
        return [(t.volunteer_id, t.descriptor) for t in templates if t.volunteer_id in active]


def _taken_for(gallery: Gallery, descriptors: Sequence[Descriptor]) -> str | None:
    """The volunteer the kiosk screen would name for this face (a template or their mean), or None."""
    matrix = as_descriptors(descriptors)
    for probe in (matrix.mean(axis=0), *matrix):
        match = gallery.identify(probe)
        would_name = match.distance < gallery.threshold and match.margin >= match.required_margin
        if match.candidate is not None and (
            match.accepted or (would_name and match.candidate in gallery.qr_only)
        ):
            return match.candidate  # a QR-only volunteer is never named, but the face is theirs all the same
    return None
