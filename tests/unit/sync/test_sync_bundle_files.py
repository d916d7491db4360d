"""The USB bundle file: headers that are checked, and bodies that must match them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from checkin_protocol import bundle_files
from checkin_protocol.bundle_files import (
    BundleError,
    build_bundle,
    new_header,
    parse_bundle,
    read_bundle,
    write_bundle,
)
from checkin_protocol.sealed import sign_document

CREATED = "2026-11-29T01:00:00.000+00:00"
SIGNER = Ed25519PrivateKey.generate()


def _receipt(**payload: Any) -> dict[str, Any]:
    return build_bundle(new_header("receipt", "K1", CREATED), {"accepted": [], **payload}, SIGNER, "p1")


def _bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value).encode("utf-8")


def test_a_signed_bundle_reads_back_and_verifies() -> None:
    bundle = parse_bundle(_bytes(_receipt()))
    payload = bundle.verified_payload(bundle.document(), SIGNER.public_key())
    assert payload["kind"] == "receipt" and payload["kiosk_id"] == "K1" and payload["accepted"] == []


def test_a_sealed_bundle_needs_its_recipient_key() -> None:
    recipient = X25519PrivateKey.generate()
    value = build_bundle(
        new_header("changes", "K1", CREATED), {"pages": []}, SIGNER, "p1", recipient.public_key()
    )
    bundle = parse_bundle(_bytes(value))
    with pytest.raises(BundleError, match="no key to open it"):
        bundle.document()
    with pytest.raises(BundleError, match="made for someone else"):
        bundle.document(X25519PrivateKey.generate())
    assert bundle.verified_payload(bundle.document(recipient), SIGNER.public_key())["pages"] == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"format": "something-else"}, "not a kiosk bundle"),
        ({"version": 2}, "version 2 is not known"),
        ({"kind": "photos"}, "unknown bundle kind"),
        ({"bundle_id": "not-a-uuid"}, "no valid bundle ID"),
        ({"bundle_id": "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"}, "no valid bundle ID"),
        ({"kiosk_id": 7}, "names no kiosk"),
        ({"created_utc": None}, "no creation time"),
        ({"extra": 1}, "unexpected or missing parts \\(extra\\)"),
    ],
)
def test_a_bad_header_is_refused_in_words(change: dict[str, Any], words: str) -> None:
    with pytest.raises(BundleError, match=words):
        parse_bundle(_bytes({**_receipt(), **change}))


def test_a_header_that_disagrees_with_the_signed_payload_is_refused() -> None:
    header = new_header("receipt", "K1", CREATED)
    document = sign_document(
        {"kind": "receipt", "kiosk_id": "K2", "bundle_id": header["bundle_id"]}, SIGNER, "p1"
    )
    bundle = parse_bundle(_bytes({**header, "signed": document}))
    with pytest.raises(BundleError, match="does not match the file's header \\(kiosk_id\\)"):
        bundle.verified_payload(bundle.document(), SIGNER.public_key())


def test_a_file_larger_than_a_bundle_may_be_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_bundle(_receipt(), tmp_path / "r.kbundle")
    monkeypatch.setattr(bundle_files, "MAX_FILE_BYTES", 100)
    with pytest.raises(BundleError, match="more than a bundle may be"):
        read_bundle(path)


def test_a_missing_file_is_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="cannot be read"):
        read_bundle(tmp_path / "gone.kbundle")


def test_a_folder_lists_its_bundles_but_not_half_written_ones(tmp_path: Path) -> None:
    write_bundle(_receipt(), tmp_path / "b.kbundle")
    write_bundle(_receipt(), tmp_path / "a.kbundle")
    (tmp_path / ".a.kbundle.1234.part").write_text("half")
    (tmp_path / "notes.txt").write_text("x")
    assert [p.name for p in bundle_files.bundle_files(tmp_path)] == ["a.kbundle", "b.kbundle"]
