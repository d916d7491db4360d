"""The keys and revocations this kiosk trusts now: one object, swapped whole when they change.

A sync, a USB update or a registration changes the stored keys and
revocations; :meth:`CurrentTrust.reload` then reads both and swaps them in
one assignment, so a scan on another thread sees the old pair or the new
pair, never a new verifier with old revocations. The services that check
cards (scanning, attendance, the desk) hold this object rather than copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checkin_protocol.codes.results import VerifyResult
from checkin_protocol.codes.trust import RevocationList, TrustedKeys
from checkin_protocol.codes.verifier import TokenVerifier
from kiosk.store.database import Store
from kiosk.store.trust import load_revocations, load_trusted_keys


@dataclass(frozen=True)
class TrustSnapshot:
    """The verifier of this moment and the revocations it was built with."""

    verifier: TokenVerifier
    revocations: RevocationList


class CurrentTrust:
    """The trusted keys and revocations in force; a :class:`~kiosk.services.attendance.RevocationCheck`."""

    def __init__(self, snapshot: TrustSnapshot) -> None:
        self._snapshot = snapshot

    @classmethod
    def load(cls, store: Store) -> CurrentTrust:
        """The keys and revocations stored now."""
        return cls(_read(store))

    def reload(self, store: Store) -> None:
        """Re-read keys and revocations after they changed in the store, and swap them in at once."""
        self._snapshot = _read(store)

    @property
    def verifier(self) -> TokenVerifier:
        """The token verifier with the keys in force."""
        return self._snapshot.verifier

    @property
    def trusted(self) -> TrustedKeys:
        """The keys in force."""
        return self._snapshot.verifier.trusted

    def verify(self, text: str, today: date) -> VerifyResult:
        """Verify a scanned card or activity code with the keys and revocations in force."""
        return self._snapshot.verifier.verify(text, today=today)

    def is_revoked(self, volunteer_id: str, card_no: int) -> bool:
        """Whether a card (card_no 0: the volunteer) is revoked in the list in force."""
        return self._snapshot.revocations.is_revoked(volunteer_id, card_no)


def _read(store: Store) -> TrustSnapshot:
    revocations = load_revocations(store.writer)
    return TrustSnapshot(TokenVerifier(load_trusted_keys(store.writer), revocations), revocations)
