"""Registration nonces (``POST /api/v1/register/nonce``): fresh, short-lived, single-use, bounded.

A kiosk asks for a nonce, signs it with its device key
(:mod:`checkin_protocol.registration_proof`) and sends the signature with
``POST /register``; the nonce is deleted in the registration's own
transaction, so it works once. Without the nonce a signature could be
replayed; without the signature, anyone who knew a used code and a kiosk's
public key could take over the kiosk's credentials.

Nobody is authenticated when asking, so the table must not grow at an
attacker's pace: each new nonce first deletes the expired ones, then, past
:data:`MAX_OUTSTANDING_NONCES`, the oldest. A flood can therefore only push
out nonces older than the flood's last thousand requests; a kiosk signs and
sends its nonce within a second of getting it.
"""

from __future__ import annotations

import base64
import logging
import secrets
from datetime import datetime, timedelta

from cloud.errors import ApiError
from cloud.protocol import RegistrationNonceResponse, format_time
from cloud.queries import Writer
from cloud.storage import Storage

log = logging.getLogger(__name__)

NONCE_BYTES = 32
NONCE_LIFETIME = timedelta(minutes=5)
#: Nonces kept at once: far above real use (a few kiosks registering in the same minutes).
MAX_OUTSTANDING_NONCES = 1000


def new_nonce_text() -> str:
    """32 random bytes as base64url without padding (43 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(NONCE_BYTES)).rstrip(b"=").decode("ascii")


def issue_nonce(store: Storage, kiosk_id: str, now: datetime) -> RegistrationNonceResponse:
    """Hand out a new nonce for ``kiosk_id``, valid for :data:`NONCE_LIFETIME`."""
    nonce = new_nonce_text()
    expires = format_time(now + NONCE_LIFETIME)
    with store.write() as writer:
        writer.drop_expired_nonces(format_time(now))
        writer.add_registration_nonce(nonce, kiosk_id, expires)
        pushed_out = writer.keep_newest_nonces(MAX_OUTSTANDING_NONCES)
    if pushed_out:
        log.warning("more than %d registration nonces out: dropped the oldest", MAX_OUTSTANDING_NONCES)
    return RegistrationNonceResponse(nonce=nonce, expires_utc=expires)


def use_nonce(writer: Writer, nonce: str, kiosk_id: str, now: datetime) -> None:
    """Spend ``nonce`` for ``kiosk_id`` inside the registration's transaction; 403 ``bad_nonce`` otherwise.

    The deletion commits with the registration, or rolls back with its refusal.
    """
    row = writer.registration_nonce(nonce)
    if row is None or row.kiosk_id != kiosk_id or row.expires_utc <= format_time(now):
        raise ApiError(
            403,
            "bad_nonce",
            "this registration nonce is unknown, used, expired or for another kiosk; "
            "ask for a new one (POST /register/nonce) and sign it",
        )
    writer.use_registration_nonce(nonce)
