"""What the desk shows about a volunteer's face data: consent, templates, when they were made, QR code only.

Read on any connection (the desk reads on the window's read-only one); the
writes are :class:`kiosk.services.face_enrolment.FaceEnrolment`'s. Only
counts and dates are read, never a template. A volunteer a coordinator
marked QR code only at enrolment (:mod:`kiosk.store.face_qr_only`) shows
that first, with the reason and the other volunteer's masked name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from checkin_protocol.models import mask_name
from kiosk.store.database import Transaction
from kiosk.store.face_consents import Consent, consent_records
from kiosk.store.face_qr_only import QrOnlyMark, qr_only_marks
from kiosk.store.face_templates import template_summaries
from kiosk.store.roster import volunteer_names


class FaceState(StrEnum):
    """A volunteer's face check-in, in one word."""

    NOT_ENROLLED = "not_enrolled"
    """No consent and no templates."""
    CONSENTED = "consented"
    """Consent recorded, no templates yet (e.g. recorded at a desk without a camera)."""
    ENROLLED = "enrolled"
    """Consent active and templates stored."""
    WITHDRAWN = "withdrawn"
    """The volunteer asked for deletion: consent withdrawn, templates deleted."""
    QR_ONLY = "qr_only"
    """A coordinator decided at enrolment that they check in by QR code only (whatever templates are kept)."""


@dataclass(frozen=True)
class FaceStatus:
    """A volunteer's consent record (if any) and their stored templates."""

    volunteer_id: str
    consent: Consent | None
    templates: int
    enrolled_utc: str | None
    """When the newest template was stored (UTC, ISO 8601)."""
    qr_only: QrOnlyMark | None = None
    """The coordinator's QR-only decision, if any."""
    qr_only_other_name: str = ""
    """The masked name of the volunteer the decision names (empty when the roster does not know them)."""

    @property
    def state(self) -> FaceState:
        if self.qr_only is not None:
            return FaceState.QR_ONLY
        if self.consent is not None and not self.consent.active:
            return FaceState.WITHDRAWN
        if self.templates and self.consent is not None:
            return FaceState.ENROLLED
        if self.consent is not None:
            return FaceState.CONSENTED
        return FaceState.NOT_ENROLLED

    @property
    def has_data(self) -> bool:
        """Whether there is anything to delete: templates, or a consent still active."""
        return self.templates > 0 or (self.consent is not None and self.consent.active)


def face_statuses(db: Transaction, volunteer_ids: Sequence[str]) -> dict[str, FaceStatus]:
    """The face status of each of ``volunteer_ids`` (those with nothing are NOT_ENROLLED)."""
    ids = list(dict.fromkeys(volunteer_ids))
    if not ids:
        return {}
    consents = consent_records(db, ids)
    templates = template_summaries(db, ids)
    marks = qr_only_marks(db, ids)
    others = volunteer_names(db, [mark.other_volunteer_id for mark in marks.values()])
    statuses = {}
    for volunteer_id in ids:
        count, newest = templates.get(volunteer_id, (0, None))
        mark = marks.get(volunteer_id)
        other = others.get(mark.other_volunteer_id) if mark is not None else None
        statuses[volunteer_id] = FaceStatus(
            volunteer_id,
            consents.get(volunteer_id),
            count,
            newest,
            mark,
            mask_name(other.name) if other is not None else "",
        )
    return statuses


def face_status(db: Transaction, volunteer_id: str) -> FaceStatus:
    """The face status of one volunteer."""
    return face_statuses(db, [volunteer_id])[volunteer_id]
