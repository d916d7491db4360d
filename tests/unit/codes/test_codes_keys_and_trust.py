"""Signing keys on disk, trusted public keys and the revocation list."""

import base64
import os
import stat
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from checkin_protocol.codes import (
    RevocationList,
    TrustedKeys,
    generate_signing_key,
    load_private_key,
    public_key_b64,
    save_private_key,
)
from checkin_protocol.codes.trust import CODE_PURPOSES, KeyPurpose, format_purposes, parse_purposes

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")


def test_saved_key_loads_back_as_the_same_key(tmp_path: Path) -> None:
    key = generate_signing_key()
    save_private_key(tmp_path / "platform.pem", key)
    assert public_key_b64(load_private_key(tmp_path / "platform.pem")) == public_key_b64(key)
    assert (tmp_path / "platform.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


@posix_only
def test_saved_key_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0)  # even a permissive umask must not open the key up
    try:
        save_private_key(tmp_path / "platform.pem", generate_signing_key())
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "platform.pem").stat().st_mode) == 0o600


def test_an_existing_key_file_is_not_overwritten_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "platform.pem"
    first, second = generate_signing_key(), generate_signing_key()
    save_private_key(path, first)
    with pytest.raises(FileExistsError):
        save_private_key(path, second)
    assert public_key_b64(load_private_key(path)) == public_key_b64(first)
    save_private_key(path, second, overwrite=True)
    assert public_key_b64(load_private_key(path)) == public_key_b64(second)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["platform.pem"]


@posix_only
def test_an_overwritten_key_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "platform.pem"
    path.write_text("old")
    path.chmod(0o644)
    save_private_key(path, generate_signing_key(), overwrite=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_loading_a_key_of_another_type_is_refused(tmp_path: Path) -> None:
    pem = generate_private_key(SECP256R1()).private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    (tmp_path / "ec.pem").write_bytes(pem)
    with pytest.raises(ValueError, match="not an Ed25519"):
        load_private_key(tmp_path / "ec.pem")


def test_public_key_b64_is_the_raw_32_bytes_in_standard_base64() -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    raw = base64.b64decode(public_key_b64(key), validate=True)
    assert len(raw) == 32
    assert public_key_b64(key) == public_key_b64(key.public_key())


def test_trusted_keys_accept_base64_raw_bytes_or_key_objects() -> None:
    keys = [generate_signing_key() for _ in range(3)]
    trusted = TrustedKeys()
    trusted.add("a", public_key_b64(keys[0]))
    trusted.add("b", base64.b64decode(public_key_b64(keys[1])))
    trusted.add("c", keys[2].public_key())
    assert "a" in trusted and "b" in trusted and "c" in trusted
    assert "d" not in trusted
    assert len(trusted) == 3
    assert trusted.get("d", KeyPurpose.CARD) is None
    assert list(trusted) == [(kid, public_key_b64(k)) for kid, k in zip("abc", keys, strict=True)]
    # what the store saved, the store can load
    assert list(TrustedKeys(list(trusted))) == list(trusted)


def test_a_key_verifies_only_for_its_purposes() -> None:
    key = generate_signing_key()
    trusted = TrustedKeys([("c1", key.public_key(), {KeyPurpose.CARD}), ("d1", public_key_b64(key))])
    assert trusted.get("c1", KeyPurpose.CARD) is not None
    assert trusted.get("c1", KeyPurpose.ACTIVITY) is None
    assert trusted.get("c1", KeyPurpose.BUNDLE) is None
    # a key given without purposes signs the two kinds of code, never bundles or provisioning files
    assert trusted.purposes("d1") == CODE_PURPOSES
    assert trusted.get("d1", KeyPurpose.BUNDLE) is None and trusted.get("d1", KeyPurpose.PROVISIONING) is None
    with pytest.raises(ValueError, match="purpose"):
        trusted.add("e1", key.public_key(), ())


@pytest.mark.parametrize("text", ["", "  ", "card cards", "everything", "card\x00"])
def test_unknown_or_missing_purposes_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_purposes(text)
    assert parse_purposes(format_purposes([KeyPurpose.BUNDLE, KeyPurpose.CARD])) == {
        KeyPurpose.BUNDLE,
        KeyPurpose.CARD,
    }


def test_trusting_a_different_key_under_a_known_key_id_is_refused() -> None:
    first, second = public_key_b64(generate_signing_key()), public_key_b64(generate_signing_key())
    trusted = TrustedKeys([("k1", first)])
    trusted.add("k1", first)  # the same key again is harmless
    with pytest.raises(ValueError, match="already trusted"):
        trusted.add("k1", second)
    trusted.remove("k1")
    trusted.add("k1", second)
    assert trusted.public_b64("k1") == second


@pytest.mark.parametrize("value", ["not base64!", "", base64.b64encode(bytes(31)).decode(), bytes(33)])
def test_bad_public_keys_are_refused(value: str | bytes) -> None:
    with pytest.raises(ValueError):
        TrustedKeys().add("k1", value)


def test_bad_key_ids_are_refused_by_trusted_keys() -> None:
    with pytest.raises(ValueError, match="key_id"):
        TrustedKeys().add("far-too-long", public_key_b64(generate_signing_key()))


def test_revocation_list_single_card_and_all_cards() -> None:
    revocations = RevocationList([("V1", 2), ("V2", 0)])
    assert revocations.is_revoked("V1", 2)
    assert not revocations.is_revoked("V1", 1)
    assert not revocations.is_revoked("V1", 3)
    assert revocations.is_revoked("V2", 1)
    assert revocations.is_revoked("V2", 77)
    assert not revocations.is_revoked("V3", 1)
    assert list(revocations) == [("V1", 2), ("V2", 0)]
    assert len(revocations) == 2
    revocations.remove("V2", 0)
    assert not revocations.is_revoked("V2", 1)
    revocations.remove("V9", 1)  # lifting what is not there is harmless


@pytest.mark.parametrize(("volunteer_id", "card_no"), [("", 1), ("V1", -1), ("V1", True)])
def test_bad_revocation_entries_are_refused(volunteer_id: str, card_no: int) -> None:
    with pytest.raises(ValueError):
        RevocationList().add(volunteer_id, card_no)
