"""The venue's gallery for identification on the kiosk screen, read from the store when enrolments change.

:meth:`FaceEnrolment.load_gallery <kiosk.services.face_enrolment.FaceEnrolment.load_gallery>`
decrypts every template of volunteers with an active consent; doing that
after every write (a check-in writes too) would be wasteful, so
:class:`GalleryLoader` first reads a fingerprint of what the gallery depends
on (the template IDs of this model version, and the consents with their
withdrawals: a few small rows) and only loads when it differs from the last
load. Both run on the connection of the thread that owns the store's writer.
"""

from __future__ import annotations

import hashlib
import logging

import numpy as np

from kiosk.face.matching import Gallery
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.store.database import DatabaseFailure, Transaction
from kiosk.store.face_consents import consent_changes
from kiosk.store.face_templates import FaceKeyError, template_owners

log = logging.getLogger(__name__)


def gallery_fingerprint(db: Transaction, model_version: str) -> str:
    """A digest of the rows the gallery is made from: it changes with any enrolment, deletion or consent."""
    digest = hashlib.sha256(model_version.encode())
    for owner in template_owners(db, model_version):
        digest.update(repr(tuple(owner)).encode())
    digest.update(b"|consents|")
    for consent in consent_changes(db):
        digest.update(repr(tuple(consent)).encode())
    return digest.hexdigest()


def build_gallery(templates: list[tuple[str, np.ndarray]]) -> Gallery:
    """A gallery of ``(volunteer ID, descriptor)`` rows (an empty one for none)."""
    if not templates:
        return Gallery()
    return Gallery.from_templates([owner for owner, _ in templates], np.stack([d for _, d in templates]))


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
            gallery = build_gallery(self._enrolment.load_gallery(self.model_version))
        except (DatabaseFailure, FaceKeyError, OSError, ValueError) as exc:
            log.error("the face gallery could not be loaded; face check-in is off: %s", exc)
            self._fingerprint = None
            return Gallery()
        self._fingerprint = fingerprint
        log.info("face gallery loaded: %d volunteers, %d templates", len(gallery.volunteers), len(gallery))
        return gallery
