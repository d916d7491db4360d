"""Signed volunteer cards and activity codes, verified fully offline.

The platform signs tokens with Ed25519; a kiosk holds only public keys (by key
ID, so keys can rotate) and a revocation list. The formats are documented in
``docs/codes.md``.
"""

from checkin_protocol.codes.framing import TokenKind
from checkin_protocol.codes.issuer import (
    Issuer,
    generate_signing_key,
    load_private_key,
    public_key_b64,
    save_private_key,
)
from checkin_protocol.codes.results import Refusal, VerifyResult
from checkin_protocol.codes.tokens import ActivityCode, Token, VolunteerCard
from checkin_protocol.codes.trust import RevocationList, TrustedKeys
from checkin_protocol.codes.verifier import TokenVerifier

__all__ = [
    "ActivityCode",
    "Issuer",
    "Refusal",
    "RevocationList",
    "Token",
    "TokenKind",
    "TokenVerifier",
    "TrustedKeys",
    "VerifyResult",
    "VolunteerCard",
    "generate_signing_key",
    "load_private_key",
    "public_key_b64",
    "save_private_key",
]
