"""Verify scanned token texts fully offline, against trusted keys and revocations."""

from __future__ import annotations

import logging
from datetime import date

from cryptography.exceptions import InvalidSignature

from checkin_protocol.codes.framing import TokenKind, signing_input, unframe
from checkin_protocol.codes.results import Refusal, TokenRefused, VerifyResult
from checkin_protocol.codes.tokens import ActivityCode, Token, VolunteerCard
from checkin_protocol.codes.trust import KeyPurpose, RevocationList, TrustedKeys

log = logging.getLogger(__name__)

INTERNAL_ERROR = "internal error"


class TokenVerifier:
    """Check a scanned text: our format, a trusted key, a good signature, not expired or revoked.

    ``trusted`` and ``revocations`` are held by reference, so updates made
    to them (by sync) apply to the next scan. :meth:`verify` never raises:
    every outcome is a :class:`VerifyResult`.
    """

    def __init__(self, trusted: TrustedKeys, revocations: RevocationList) -> None:
        self.trusted = trusted
        self.revocations = revocations

    def verify(self, text: str, today: date) -> VerifyResult:
        """Verify a card or an activity code; ``today`` is the kiosk's local date.

        Checks, in order: framing (FOREIGN, UNSUPPORTED_VERSION, MALFORMED),
        fields (MALFORMED), key (UNKNOWN_KEY), signature (BAD_SIGNATURE), then
        for cards revocation (REVOKED) before expiry (EXPIRED). An issue date
        in the future is accepted: kiosk clocks may be wrong.
        """
        try:
            if not isinstance(text, str):
                raise TokenRefused(Refusal.FOREIGN, f"not text but {type(text).__name__}")
            return VerifyResult.accepted(self._verify(text, today))
        except TokenRefused as refused:
            return VerifyResult.refused(refused.refusal, refused.detail)
        except Exception:  # a scan must never crash the kiosk; the fuzz tests look for this detail
            log.exception("token verification failed unexpectedly")
            return VerifyResult.refused(Refusal.MALFORMED, INTERNAL_ERROR)

    def verify_card(self, text: str, today: date) -> VerifyResult:
        """Like :meth:`verify`, but a valid activity code is refused as WRONG_KIND."""
        result = self.verify(text, today)
        if result.ok and not isinstance(result.token, VolunteerCard):
            return VerifyResult.refused(Refusal.WRONG_KIND, "an activity code where a card was expected")
        return result

    def verify_activity(self, text: str, today: date) -> VerifyResult:
        """Like :meth:`verify`, but a valid card is refused as WRONG_KIND."""
        result = self.verify(text, today)
        if result.ok and not isinstance(result.token, ActivityCode):
            return VerifyResult.refused(Refusal.WRONG_KIND, "a card where an activity code was expected")
        return result

    def _verify(self, text: str, today: date) -> Token:
        framed = unframe(text)
        token: Token
        try:
            if framed.kind is TokenKind.CARD:
                token = VolunteerCard.from_payload(framed.payload)
            else:
                token = ActivityCode.from_payload(framed.payload)
        except ValueError as exc:
            raise TokenRefused(Refusal.MALFORMED, str(exc)) from None
        purpose = KeyPurpose.CARD if framed.kind is TokenKind.CARD else KeyPurpose.ACTIVITY
        key = self.trusted.get(token.key_id, purpose)
        if key is None:
            if token.key_id in self.trusted:
                raise TokenRefused(
                    Refusal.UNKNOWN_KEY, f"key {token.key_id} is not trusted for {purpose} codes"
                )
            raise TokenRefused(Refusal.UNKNOWN_KEY, f"key {token.key_id} is not trusted")
        try:
            key.verify(framed.signature, signing_input(framed.kind, framed.payload))
        except InvalidSignature:
            raise TokenRefused(
                Refusal.BAD_SIGNATURE, f"signature does not match key {token.key_id}"
            ) from None
        if isinstance(token, VolunteerCard):
            if self.revocations.is_revoked(token.volunteer_id, token.card_no):
                raise TokenRefused(
                    Refusal.REVOKED, f"card {token.card_no} of volunteer {token.volunteer_id} is revoked"
                )
            if token.is_expired(today):
                raise TokenRefused(Refusal.EXPIRED, f"card expired on {token.expires_on}")
        return token
