"""Sealing and signing of USB bundles: what opens, and everything that must not."""

from __future__ import annotations

import json
import os
import zlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from checkin_protocol.sealed import (
    SealError,
    SignedDocument,
    b64,
    open_sealed,
    seal,
    sign_document,
    unb64,
    x25519_public_b64,
    x25519_public_from,
)

AAD = b'{"kind":"events"}'


@given(st.binary(max_size=4096), st.binary(max_size=64))
def test_sealed_bytes_open_with_the_recipient_key_and_the_same_header(plain: bytes, aad: bytes) -> None:
    recipient = X25519PrivateKey.generate()
    sealed = seal(plain, recipient.public_key(), aad)
    assert open_sealed(sealed, recipient, aad, max_plain=len(plain)) == plain


def test_every_seal_is_different_even_for_the_same_bytes() -> None:
    recipient = X25519PrivateKey.generate()
    first, second = (seal(b"same", recipient.public_key(), AAD) for _ in range(2))
    assert first["ephemeral_public_key"] != second["ephemeral_public_key"]
    assert first["ciphertext"] != second["ciphertext"]


def test_another_key_cannot_open_it() -> None:
    sealed = seal(b"records", X25519PrivateKey.generate().public_key(), AAD)
    with pytest.raises(SealError, match="made for someone else"):
        open_sealed(sealed, X25519PrivateKey.generate(), AAD, max_plain=100)


def test_a_changed_header_or_ciphertext_byte_is_refused() -> None:
    recipient = X25519PrivateKey.generate()
    sealed = seal(b"records", recipient.public_key(), AAD)
    with pytest.raises(SealError, match="changed"):
        open_sealed(sealed, recipient, AAD.replace(b"events", b"evenTs"), max_plain=100)
    raw = bytearray(unb64(sealed["ciphertext"], "x"))
    for index in (0, len(raw) // 2, len(raw) - 1):
        flipped = bytearray(raw)
        flipped[index] ^= 0x01
        with pytest.raises(SealError, match="changed"):
            open_sealed({**sealed, "ciphertext": b64(bytes(flipped))}, recipient, AAD, max_plain=100)


@pytest.mark.parametrize(
    ("part", "value", "words"),
    [
        ("nonce", "AAAA", "the nonce must be 12 bytes"),
        ("ephemeral_public_key", "not base64!", "the ephemeral key is not base64"),
        ("ciphertext", None, "the encrypted data is missing"),
    ],
)
def test_a_malformed_sealed_part_is_refused_in_words(part: str, value: object, words: str) -> None:
    recipient = X25519PrivateKey.generate()
    sealed: dict[str, object] = dict(seal(b"x", recipient.public_key(), AAD))
    sealed[part] = value
    with pytest.raises(SealError, match=words):
        open_sealed(sealed, recipient, AAD, max_plain=100)


def test_content_that_inflates_beyond_the_limit_is_refused_without_inflating_it_all() -> None:
    recipient = X25519PrivateKey.generate()
    plain = bytes(50 * 1024 * 1024)  # compresses to about 50 kB
    sealed = seal(plain, recipient.public_key(), AAD)
    assert len(sealed["ciphertext"]) < 200_000
    with pytest.raises(SealError, match="larger than"):
        open_sealed(sealed, recipient, AAD, max_plain=1024 * 1024)


def test_damaged_compressed_content_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Encrypted correctly but not zlib inside (a broken writer): a clear refusal, no crash."""
    recipient = X25519PrivateKey.generate()
    monkeypatch.setattr(zlib, "compress", lambda data, level=-1: os.urandom(32))
    sealed = seal(b"x", recipient.public_key(), AAD)
    monkeypatch.undo()
    with pytest.raises(SealError, match="damaged"):
        open_sealed(sealed, recipient, AAD, max_plain=100)


def test_a_signed_document_verifies_only_with_its_key_and_its_exact_payload() -> None:
    key = Ed25519PrivateKey.generate()
    document = sign_document({"kind": "receipt", "accepted": ["a"]}, key, "p1")
    assert SignedDocument.parse(document).verify(key.public_key()) == {"kind": "receipt", "accepted": ["a"]}
    with pytest.raises(SealError, match="signature does not match"):
        SignedDocument.parse(document).verify(Ed25519PrivateKey.generate().public_key())
    changed = {**document, "payload": document["payload"].replace('"a"', '"b"')}
    with pytest.raises(SealError, match="signature does not match"):
        SignedDocument.parse(changed).verify(key.public_key())
    assert json.loads(document["payload"]) == {"accepted": ["a"], "kind": "receipt"}


@pytest.mark.parametrize(
    "value",
    [
        None,
        [],
        {"payload": "{}", "signer": "p1"},
        {"payload": 1, "signer": "p1", "signature": b64(bytes(64))},
    ],
)
def test_a_malformed_signed_document_is_refused(value: object) -> None:
    with pytest.raises(SealError):
        SignedDocument.parse(value)


def test_an_x25519_public_key_round_trips_through_its_text_and_bad_text_is_refused() -> None:
    key = X25519PrivateKey.generate()
    assert x25519_public_b64(x25519_public_from(x25519_public_b64(key))) == x25519_public_b64(key)
    with pytest.raises(SealError, match="32 bytes"):
        x25519_public_from(b64(bytes(31)))
