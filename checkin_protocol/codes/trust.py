"""What a kiosk trusts: the platform's public keys, each for its purposes, and the cards it has revoked.

Both are plain in-memory objects; the store persists them (tables
``trusted_keys`` and ``revocations``) and the sync client updates them.

Every trusted key has the purposes it may sign for (:class:`KeyPurpose`): a
signature counts only from a key trusted for the purpose at hand, so a key
that signs cards (held by whoever prints cards, or the demo key that sits in
a kiosk's data folder) can never sign a receipt that marks records delivered.
"""

from __future__ import annotations

import base64
import binascii
import enum
from collections.abc import Iterable, Iterator

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from checkin_protocol.codes.fields import check_id
from checkin_protocol.codes.tokens import MAX_KEY_ID

PUBLIC_KEY_BYTES = 32


class KeyPurpose(enum.StrEnum):
    """What a platform key may sign."""

    CARD = "card"  #: volunteer cards (``VC1:``)
    ACTIVITY = "activity"  #: activity codes (``VA1:``)
    BUNDLE = "bundle"  #: the platform's USB bundles to kiosks: receipts and updates
    PROVISIONING = "provisioning"  #: offline provisioning files


#: The purposes of a key given without any: the two code kinds, never bundles or provisioning.
CODE_PURPOSES = frozenset({KeyPurpose.CARD, KeyPurpose.ACTIVITY})
#: What the demo key may sign (docs/security.md): demo cards and activity codes only.
DEMO_PURPOSES = CODE_PURPOSES


def parse_purposes(text: str) -> frozenset[KeyPurpose]:
    """The purposes of their stored or wire form (names separated by spaces); ``ValueError`` if none or unknown."""
    names = text.split() if isinstance(text, str) else None
    if not names:
        raise ValueError("a trusted key needs at least one purpose")
    try:
        return frozenset(KeyPurpose(name) for name in names)
    except ValueError:
        raise ValueError(
            f"unknown key purpose in {text!r}; known: {', '.join(p.value for p in KeyPurpose)}"
        ) from None


def format_purposes(purposes: Iterable[KeyPurpose]) -> str:
    """The stored and wire form of purposes: their names, sorted, separated by spaces."""
    return " ".join(sorted(KeyPurpose(p).value for p in purposes))


def public_key_from(value: bytes | str | Ed25519PublicKey) -> Ed25519PublicKey:
    """An Ed25519 public key from its raw 32 bytes, their standard base64, or the key itself."""
    if isinstance(value, Ed25519PublicKey):
        return value
    if isinstance(value, str):
        try:
            value = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("public key is not valid base64") from None
    if not isinstance(value, bytes) or len(value) != PUBLIC_KEY_BYTES:
        raise ValueError(f"an Ed25519 public key is {PUBLIC_KEY_BYTES} raw bytes")
    return Ed25519PublicKey.from_public_bytes(value)


def public_bytes_b64(key: Ed25519PublicKey) -> str:
    """The standard base64 of the raw 32-byte public key, as stored and synced."""
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


KeyEntry = (
    tuple[str, bytes | str | Ed25519PublicKey]
    | tuple[str, bytes | str | Ed25519PublicKey, Iterable[KeyPurpose]]
)


class TrustedKeys:
    """The platform public keys this kiosk accepts, by key ID, each for its purposes.

    Several keys can be trusted at once, so the platform can rotate: it adds
    a new key, issues with it, and removes the old one once its tokens are
    gone. Loaded key objects are kept, so verifying does not parse keys.
    Entries are ``(key_id, key)`` (trusted for :data:`CODE_PURPOSES`) or
    ``(key_id, key, purposes)``.
    """

    def __init__(self, keys: Iterable[KeyEntry] = ()) -> None:
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._b64: dict[str, str] = {}
        self._purposes: dict[str, frozenset[KeyPurpose]] = {}
        for entry in keys:
            self.add(*entry)

    def add(
        self,
        key_id: str,
        public_key: bytes | str | Ed25519PublicKey,
        purposes: Iterable[KeyPurpose] = CODE_PURPOSES,
    ) -> None:
        """Trust ``public_key`` under ``key_id`` for ``purposes``.

        Adding the same key again is harmless (its purposes are replaced); a
        different key under a key ID already trusted is refused with
        ``ValueError`` (remove the old first), and so is an empty or unknown purpose.
        """
        check_id("key_id", key_id, MAX_KEY_ID)
        key = public_key_from(public_key)
        allowed = frozenset(KeyPurpose(p) for p in purposes)
        if not allowed:
            raise ValueError(f"key_id {key_id} needs at least one purpose")
        b64 = public_bytes_b64(key)
        if key_id in self._b64 and self._b64[key_id] != b64:
            raise ValueError(f"key_id {key_id} is already trusted with a different key")
        self._keys[key_id] = key
        self._b64[key_id] = b64
        self._purposes[key_id] = allowed

    def remove(self, key_id: str) -> None:
        """Stop trusting ``key_id`` (no error if it was not trusted)."""
        self._keys.pop(key_id, None)
        self._b64.pop(key_id, None)
        self._purposes.pop(key_id, None)

    def get(self, key_id: str, purpose: KeyPurpose) -> Ed25519PublicKey | None:
        """The public key trusted under ``key_id`` for ``purpose``, or ``None``."""
        if purpose not in self._purposes.get(key_id, ()):
            return None
        return self._keys.get(key_id)

    def purposes(self, key_id: str) -> frozenset[KeyPurpose]:
        """What the key ``key_id`` is trusted for (empty when it is not trusted)."""
        return self._purposes.get(key_id, frozenset())

    def public_b64(self, key_id: str) -> str | None:
        """The stored form of the key trusted under ``key_id``, or ``None``."""
        return self._b64.get(key_id)

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """``(key_id, public key base64)`` pairs, in the order they were added."""
        return iter(list(self._b64.items()))

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"TrustedKeys({sorted(self._keys)})"


class RevocationList:
    """Revoked cards: one card of a volunteer, or with ``card_no`` 0 every card of theirs."""

    ALL_CARDS = 0

    def __init__(self, entries: Iterable[tuple[str, int]] = ()) -> None:
        self._revoked: dict[str, set[int]] = {}
        for volunteer_id, card_no in entries:
            self.add(volunteer_id, card_no)

    def add(self, volunteer_id: str, card_no: int = ALL_CARDS) -> None:
        """Revoke card ``card_no`` of ``volunteer_id``; ``0`` revokes all their cards."""
        # Looser than the card checks on purpose: an entry no card can match is
        # harmless, and loading the stored list must not fail on one.
        if type(volunteer_id) is not str or not volunteer_id:
            raise ValueError("volunteer_id must be a non-empty string")
        if type(card_no) is not int or card_no < 0:
            raise ValueError("card_no must be an integer, 0 for all cards")
        self._revoked.setdefault(volunteer_id, set()).add(card_no)

    def remove(self, volunteer_id: str, card_no: int = ALL_CARDS) -> None:
        """Lift exactly this entry (no error if it is not there)."""
        cards = self._revoked.get(volunteer_id)
        if cards is not None:
            cards.discard(card_no)
            if not cards:
                del self._revoked[volunteer_id]

    def is_revoked(self, volunteer_id: str, card_no: int) -> bool:
        """Whether card ``card_no`` of ``volunteer_id`` is revoked, alone or with all their cards."""
        cards = self._revoked.get(volunteer_id)
        return cards is not None and (self.ALL_CARDS in cards or card_no in cards)

    def __iter__(self) -> Iterator[tuple[str, int]]:
        """``(volunteer_id, card_no)`` entries, sorted."""
        return iter(sorted((v, c) for v, cards in self._revoked.items() for c in cards))

    def __len__(self) -> int:
        return sum(len(cards) for cards in self._revoked.values())

    def __repr__(self) -> str:
        return f"RevocationList({len(self)} entries)"
