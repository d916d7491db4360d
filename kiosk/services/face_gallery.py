"""The venue's gallery for identification on the kiosk screen, read from the store when enrolments change.

:meth:`FaceEnrolment.load_gallery <kiosk.services.face_enrolment.FaceEnrolment.load_gallery>`
decrypts every template of volunteers with an active consent; doing that
after every write (a check-in writes too) would be wasteful, so
:class:`GalleryLoader` first reads a fingerprint of what the gallery depends
on (the template IDs of this model version, the consents with their
withdrawals, and the volunteers who check in by QR code only: a few small
rows) and only loads when it differs from the last load. Both run on the
connection of the thread that owns the store's writer.

The QR-only volunteers (:mod:`kiosk.store.face_qr_only`) are the gallery's
``qr_only``: their templates stay so that their face is never taken for
their look-alike's, but a face nearest to them is never named.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

import numpy as np

from kiosk.face.matching import Gallery
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.store.database import DatabaseFailure, Transaction
from kiosk.store.face_consents import consent_changes
from kiosk.store.face_qr_only import qr_only_changes, qr_only_volunteers
from kiosk.store.face_templates import FaceKeyError, template_owners

log = logging.getLogger(__name__)


def gallery_fingerprint(db: Transaction, model_version: str) -> str:
    """A digest of what the gallery is made of: an enrolment, deletion, consent or QR-only mark changes it."""
    digest = hashlib.sha256(model_version.encode())
    for owner in template_owners(db, model_version):
        digest.update(repr(tuple(owner)).encode())
    digest.update(b"|consents|")
    for consent in consent_changes(db):
        digest.update(repr(tuple(consent)).encode())
    digest.update(b"|qr-only|")
    for mark in qr_only_changes(db):
        digest.update(repr(tuple(mark)).encode())
    return digest.hexdigest()


def build_gallery(templates: list[tuple[str, np.ndarray]], qr_only: Iterable[str] = ()) -> Gallery:
    """A gallery of ``(volunteer ID, descriptor)`` rows (empty for none); ``qr_only`` are never named."""
    if not templates:
        return Gallery(qr_only=qr_only)
    return Gallery.from_templates(
        [owner for owner, _ in templates], np.stack([d for _, d in templates]), qr_only=qr_only
    )


class GalleryLoader:
    """Loads the gallery of one model version, again only when the enrolments changed."""

    def __init__(self, enrolment: FaceEnrolment, db: Transaction, model_version: str) -> None:
        self._enrolment = enrolment
        self._db = db
        self.model_version = model_version
        self._fingerprint: str | None = None

    def reload_if_changed(self) -> Gallery | None:
        """The gallery when it changed since the last call (or on the first call), else ``None``.

        A store or key that cannot be read gives an empty gallery (face
        check-in stops; QR codes work) and an error in the log.
        """
        try:
            fingerprint = gallery_fingerprint(self._db, self.model_version)
            if fingerprint == self._fingerprint:
                return None
            qr_only = qr_only_volunteers(self._db)
            gallery = build_gallery(self._enrolment.load_gallery(self.model_version), qr_only)
        except (DatabaseFailure, FaceKeyError, OSError, ValueError) as exc:
            log.error("the face gallery could not be loaded; face check-in is off: %s", exc)
            self._fingerprint = None
            return Gallery()
        self._fingerprint = fingerprint
        log.info(
            "face gallery loaded: %d volunteers (%d QR code only), %d templates",
            len(gallery.volunteers),
            len(gallery.qr_only & set(gallery.volunteers)),
            len(gallery),
        )
        return gallery
