"""What verifying a scanned text gives: an accepted token or a refusal reason.

The UI translates :class:`Refusal` values into messages for people;
``detail`` is a short English string for logs and developers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from checkin_protocol.codes.tokens import ActivityCode, Token, VolunteerCard


class Refusal(StrEnum):
    """Why a scanned text was not accepted."""

    FOREIGN = "foreign"  # not one of our codes at all: a URL, a WeChat code, random text, empty
    UNSUPPORTED_VERSION = "unsupported_version"  # our prefix, a version this kiosk does not know
    MALFORMED = "malformed"  # our prefix, but damaged or invalid content
    UNKNOWN_KEY = "unknown_key"  # signed with a key this kiosk does not trust
    BAD_SIGNATURE = "bad_signature"  # altered, or forged under a trusted key ID
    EXPIRED = "expired"  # a card past its expiry date
    REVOKED = "revoked"  # a card on the revocation list
    WRONG_KIND = "wrong_kind"  # a valid activity code where a card was expected, or the reverse


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """Either an accepted ``token`` or a ``refusal``, never both."""

    token: Token | None
    refusal: Refusal | None
    detail: str = ""

    def __post_init__(self) -> None:
        if (self.token is None) == (self.refusal is None):
            raise ValueError("a VerifyResult holds either a token or a refusal")

    @classmethod
    def accepted(cls, token: Token, detail: str = "") -> VerifyResult:
        """A result accepting ``token``."""
        return cls(token=token, refusal=None, detail=detail)

    @classmethod
    def refused(cls, refusal: Refusal, detail: str) -> VerifyResult:
        """A result refusing the text for ``refusal``."""
        return cls(token=None, refusal=refusal, detail=detail)

    @property
    def ok(self) -> bool:
        """Whether the text was accepted."""
        return self.refusal is None

    @property
    def card(self) -> VolunteerCard | None:
        """The accepted volunteer card, if that is what was scanned."""
        return self.token if isinstance(self.token, VolunteerCard) else None

    @property
    def activity_code(self) -> ActivityCode | None:
        """The accepted activity code, if that is what was scanned."""
        return self.token if isinstance(self.token, ActivityCode) else None


class TokenRefused(Exception):
    """Internal: raised inside verification, turned into a :class:`VerifyResult`."""

    def __init__(self, refusal: Refusal, detail: str) -> None:
        super().__init__(f"{refusal}: {detail}")
        self.refusal = refusal
        self.detail = detail
