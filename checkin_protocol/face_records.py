"""Face templates on the wire (docs/sync-protocol.md, "Face templates"), shared by the kiosk and the cloud.

A template travels encrypted under its area's face key: AES-256-GCM with a
fresh random 96-bit nonce and the associated data
``template_id|volunteer_id|model_version``, the same binding as at rest, so
a ciphertext moved to another template, volunteer or model does not open.
On the wire a template is ``{"template_id", "nonce", "ciphertext"}`` with
standard base64; the ciphertext is the descriptor's bytes (float32,
little-endian) followed by the 16-byte tag. Plaintext never leaves the
process that holds it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from checkin_protocol.face_template_format import NONCE_BYTES, TAG_BYTES, associated_data, descriptor_bytes
from checkin_protocol.sealed import SealError, b64, unb64

#: Face records per push (an enrolment is about 4 KB of JSON: a batch stays well under the body limit).
MAX_FACE_RECORDS_PER_BATCH = 200
#: The change kinds of the changes feed that carry face records.
FACE_ENROLMENT = "face_enrolment"
FACE_DELETION = "face_deletion"
FACE_KINDS = frozenset({FACE_ENROLMENT, FACE_DELETION})
#: How far a face record's time may lie ahead of the clock it is checked against: the server's own
#: at the cloud (after the kiosk's measured offset), the page's ``server_time`` at a kiosk. Beyond it the
#: record is refused (``invalid:enrolled_utc``, ``invalid:consent``, ``invalid:deleted_utc``): a time
#: in the future would otherwise win over every record made after it (docs/sync-protocol.md).
FACE_CLOCK_TOLERANCE = timedelta(minutes=10)


def seal_template(
    area_key: bytes, template_id: str, volunteer_id: str, model_version: str, plain: bytes
) -> dict[str, str]:
    """One template encrypted for the wire under the area key (a fresh nonce each time)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(area_key).encrypt(nonce, plain, associated_data(template_id, volunteer_id, model_version))
    return {"template_id": template_id, "nonce": b64(nonce), "ciphertext": b64(sealed)}


def ciphertext_size(model_version: str) -> int | None:
    """The ciphertext length of one template of ``model_version``; None for an unknown model."""
    plain = descriptor_bytes(model_version)
    return None if plain is None else plain + TAG_BYTES


def open_template(
    area_key: bytes, template: Mapping[str, Any], volunteer_id: str, model_version: str
) -> bytes:
    """The descriptor bytes of a wire template.

    :class:`~checkin_protocol.sealed.SealError` when a field is missing or of the
    wrong size, ``cryptography.exceptions.InvalidTag`` when the ciphertext
    was changed or made with another key or for another template, volunteer
    or model.
    """
    template_id = template.get("template_id")
    if not isinstance(template_id, str) or not template_id:
        raise SealError("a template has no template_id")
    nonce = unb64(template.get("nonce"), "a template's nonce", NONCE_BYTES)
    size = ciphertext_size(model_version)
    sealed = unb64(template.get("ciphertext"), "a template's ciphertext", size)
    return AESGCM(area_key).decrypt(nonce, sealed, associated_data(template_id, volunteer_id, model_version))
