"""Who a phone pass is for: the volunteer a registration's proof names, or a refusal.

A phone may become a volunteer's pass only with something only that
volunteer is meant to hold (docs/phone-pass.md):

- their **card** (``VC1:…``, the text a phone's camera app reads from the QR
  code): signed by a key the platform trusts for cards, not revoked, not
  expired on the cloud's date;
- a **service receipt** (``VR1:…``, or the ``…/R/VR1:…`` URL the check-out
  card shows): signed by the device key of the kiosk it names, for a
  check-out within :data:`RECEIPT_VALID_FOR` of the cloud's clock (so a
  receipt found in an old photo does not make a pass).

Either way the volunteer must be in the roster and active. Every refusal is
an :class:`~cloud.errors.ApiError` 403 with its code (:data:`BAD_PROOF`,
:data:`PROOF_EXPIRED`, :data:`CARD_REVOKED`, :data:`UNKNOWN_VOLUNTEER`): the
request is well formed, the proof grants nothing (as ``unknown_code`` at
registration), which the OpenAPI document can promise and keep.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from checkin_protocol.codes.receipts import ReceiptRefused, read_receipt
from checkin_protocol.codes.results import Refusal
from checkin_protocol.codes.trust import RevocationList, TrustedKeys, parse_purposes, public_key_from
from checkin_protocol.codes.verifier import TokenVerifier
from cloud.errors import ApiError
from cloud.queries import Reader

#: How far from the cloud's clock a receipt's check-out may be and still prove who the volunteer is.
RECEIPT_VALID_FOR = timedelta(hours=24)
#: The most characters of a proof: a receipt's URL at its longest (:mod:`checkin_protocol.codes.receipts`).
MAX_PROOF_CHARS = 2000

BAD_PROOF = "bad_proof"
PROOF_EXPIRED = "proof_expired"
CARD_REVOKED = "card_revoked"
UNKNOWN_VOLUNTEER = "unknown_volunteer"


def _refused(code: str, message: str) -> ApiError:
    return ApiError(403, code, message)


def _trusted_keys(reader: Reader) -> TrustedKeys:
    return TrustedKeys(
        (key_id, public_key, parse_purposes(purposes))
        for key_id, public_key, purposes in reader.trusted_keys()
    )


def volunteer_of_card(reader: Reader, text: str, now: datetime) -> str:
    """The volunteer of a valid card text; ``ApiError`` 403 for a card that proves nothing now."""
    # Revocations are asked of the database for this one card, not loaded whole.
    result = TokenVerifier(_trusted_keys(reader), RevocationList()).verify_card(text, now.astimezone().date())
    if not result.ok:
        if result.refusal is Refusal.EXPIRED:
            raise _refused(PROOF_EXPIRED, "the card has expired; ask for a new card")
        raise _refused(BAD_PROOF, f"not a card of this platform ({result.refusal}: {result.detail})")
    card = result.card
    assert card is not None  # verify_card refuses anything else
    if reader.card_revoked(card.volunteer_id, card.card_no):
        raise _refused(CARD_REVOKED, "this card was revoked; ask for a new card")
    return card.volunteer_id


def volunteer_of_receipt(reader: Reader, text: str, now: datetime) -> str:
    """The volunteer of a true, recent service receipt; ``ApiError`` 403 otherwise."""
    try:
        signed = read_receipt(text)
    except ReceiptRefused as exc:
        raise _refused(
            BAD_PROOF, f"neither a card nor a service receipt ({exc.reason}: {exc.detail})"
        ) from None
    receipt = signed.receipt
    device = reader.device(receipt.kiosk_id)
    if device is None or not signed.verify(public_key_from(device.public_key)):
        raise _refused(BAD_PROOF, "the receipt is not signed by a kiosk of this platform")
    if abs(now - receipt.checked_out) > RECEIPT_VALID_FOR:
        raise _refused(PROOF_EXPIRED, "the receipt is more than a day old; use the card or a newer receipt")
    return receipt.volunteer_id


def proven_volunteer(reader: Reader, proof: str, now: datetime) -> tuple[str, str]:
    """The volunteer a proof names and the roster's name of them; ``ApiError`` 403 when it proves nothing.

    A text starting ``VC`` (any case) is read as a card, anything else as a
    receipt or its URL.
    """
    text = proof.strip()
    if len(text) > MAX_PROOF_CHARS:
        raise _refused(BAD_PROOF, f"the proof is longer than {MAX_PROOF_CHARS} characters")
    is_card = text[:2].upper() == "VC"
    volunteer_id = (
        volunteer_of_card(reader, text, now) if is_card else volunteer_of_receipt(reader, text, now)
    )
    row = reader.row("volunteer", volunteer_id)
    if row is None or not row["active"]:
        raise _refused(UNKNOWN_VOLUNTEER, "the volunteer is not (or no longer) in the platform's roster")
    return volunteer_id, str(row["name"])
