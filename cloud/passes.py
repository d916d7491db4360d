"""Phone passes: registering a phone for a volunteer, its status, and ending passes (docs/phone-pass.md).

A registration is one write transaction: the proof is checked
(:mod:`cloud.pass_proofs`), the volunteer's passes still in use end
(``revoked_utc`` = now: the newest phone is the only one that works) and the
new pass is kept. The change log carries both to every kiosk (kind ``pass``).

Two rules keep it cheap and safe to retry:

- the same phone key sent again while its pass is the volunteer's newest and
  in use (a reply lost on a bad network) gets that pass back, unchanged;
- otherwise a volunteer gets at most one new pass per :data:`PASS_INTERVAL`
  (429 ``rate_limited``), decided from the ``passes`` table itself, so every
  worker process agrees.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from checkin_protocol.codes.pass_codes import STEP_SECONDS
from checkin_protocol.codes.trust import public_bytes_b64, public_key_from
from checkin_protocol.models import mask_name
from cloud.errors import ApiError
from cloud.pass_proofs import proven_volunteer
from cloud.pass_queries import PassRow
from cloud.protocol import format_time
from cloud.storage import Storage

#: The least time between two new passes of one volunteer.
PASS_INTERVAL = timedelta(minutes=1)
#: A raw 32-byte Ed25519 public key in standard base64: 43 characters and one ``=`` (its spare bits zero).
PUBLIC_KEY_PATTERN = "^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$"
BAD_PUBLIC_KEY = "bad_public_key"
RATE_LIMITED = "rate_limited"


@dataclass(frozen=True, slots=True)
class RegisteredPass:
    """A pass as its phone keeps it: the ID, whose it is (masked name), when, and the code's step."""

    pass_id: str
    volunteer_id: str
    display_name: str
    created_utc: str
    step_seconds: int = STEP_SECONDS


def new_pass_id() -> str:
    """A fresh pass ID: ``P`` and 10 upper-case hex digits (40 random bits)."""
    return "P" + secrets.token_hex(5).upper()


def phone_public_key(text: str) -> str:
    """The stored form of a phone's Ed25519 public key (standard base64 of 32 bytes); 400 ``bad_public_key``."""
    if re.fullmatch(PUBLIC_KEY_PATTERN, text) is None:
        raise ApiError(400, BAD_PUBLIC_KEY, "public_key: not the base64 of a raw 32-byte Ed25519 public key")
    try:
        return public_bytes_b64(public_key_from(text))
    except ValueError as exc:
        raise ApiError(400, BAD_PUBLIC_KEY, f"public_key: {exc}") from None


def register_pass(store: Storage, proof: str, public_key: str, now: datetime) -> RegisteredPass:
    """Make ``public_key``'s phone the pass of the volunteer ``proof`` names, ending their older passes.

    ``ApiError``: 400 ``bad_public_key``; 403 from :func:`cloud.pass_proofs.proven_volunteer`;
    429 ``rate_limited`` for a second new pass of the volunteer within :data:`PASS_INTERVAL`.
    """
    key = phone_public_key(public_key)
    now_text = format_time(now)
    with store.write() as writer:
        volunteer_id, name = proven_volunteer(writer, proof, now)
        passes = writer.passes_of(volunteer_id)
        newest = passes[-1] if passes else None
        if newest is not None and newest.active and newest.public_key == key:
            return RegisteredPass(newest.pass_id, volunteer_id, mask_name(name), newest.created_utc)
        if newest is not None and now - datetime.fromisoformat(newest.created_utc) < PASS_INTERVAL:
            raise ApiError(
                429, RATE_LIMITED, "this volunteer registered a phone a moment ago; try in a minute"
            )
        writer.revoke_passes_of(volunteer_id, now_text)
        pass_id = new_pass_id()
        while writer.pass_row(pass_id) is not None:  # 40 bits: a clash is rare, never fatal
            pass_id = new_pass_id()
        writer.add_pass(PassRow(pass_id, volunteer_id, key, now_text))
    return RegisteredPass(pass_id, volunteer_id, mask_name(name), now_text)


def pass_is_active(store: Storage, pass_id: str) -> bool | None:
    """Whether the pass is in use (False: revoked; None: the cloud never gave it)."""
    with store.read() as reader:
        row = reader.pass_row(pass_id)
    return None if row is None else row.active


def passes_of(store: Storage, volunteer_id: str) -> list[PassRow]:
    """Every pass of the volunteer, oldest first."""
    with store.read() as reader:
        return reader.passes_of(volunteer_id)


def revoke_passes(store: Storage, volunteer_id: str, now: datetime) -> list[str]:
    """End every pass of the volunteer still in use (a lost phone); the IDs ended."""
    with store.write() as writer:
        return writer.revoke_passes_of(volunteer_id, format_time(now))
