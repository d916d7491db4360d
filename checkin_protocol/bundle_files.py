"""The USB bundle file: a JSON header and a signed document, sealed or in the clear.

Shared by the kiosk (``kiosk export-bundle`` / ``import-bundle``) and the
reference cloud (``kiosk-cloud import-bundle`` / ``export-changes`` /
``provision-kiosk --offline-file``). ``docs/sync-protocol.md`` describes the
format for the platform's team; in short::

    {"format": "volunteer-kiosk-bundle", "version": 1, "kind": "<kind>",
     "kiosk_id": "<id>" | null, "bundle_id": "<uuid>", "created_utc": "<time>",
     "sealed": {...}  or  "signed": {...}}

Kinds: ``events`` (kiosk to cloud, sealed for the cloud's bundle key, signed
by the device key), ``changes`` (cloud to kiosk, sealed for the kiosk's box
key, signed by a platform key), ``receipt`` and ``provisioning`` (cloud to
kiosk, signed by a platform key, not sealed: a receipt holds only event IDs,
a provisioning file is a secret until used, like the code it carries).

The header is the associated data of the sealing, and the signed payload
repeats ``kind``, ``kiosk_id`` and ``bundle_id``, so a header changed on the
stick is refused either way. Files are written to a temporary name, flushed
to the device and renamed, so a stick pulled out mid-write leaves either the
whole file or none under the final name.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from checkin_protocol.bounded_read import FileRefused, FileTooLarge, read_bounded
from checkin_protocol.durable_files import write_file_durably
from checkin_protocol.sealed import (
    SealError,
    SignedDocument,
    canonical_json,
    open_sealed,
    seal,
    sign_document,
)
from checkin_protocol.untrusted_json import JsonRefused, loads_untrusted

FORMAT = "volunteer-kiosk-bundle"
VERSION = 1
SUFFIX = ".kbundle"
KINDS = ("events", "changes", "receipt", "provisioning")
SEALED_KINDS = frozenset({"events", "changes"})
#: A bundle file larger than this is refused before it is read. The largest real one, an
#: update carrying a 500,000-volunteer roster, is 17 MB; an events bundle of 20,000 records 0.8 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: The most a sealed bundle may hold once decrypted and decompressed (that update: about 100 MB).
MAX_PLAIN_BYTES = 512 * 1024 * 1024
_HEADER_FIELDS = ("format", "version", "kind", "kiosk_id", "bundle_id", "created_utc")


class BundleError(Exception):
    """A bundle that is refused; the message says why in plain words, and nothing was changed."""


@dataclass(frozen=True)
class BundleFile:
    """A bundle as read from disk: its checked header and its still unopened body."""

    path: Path | None
    header: dict[str, Any]
    body: Any

    @property
    def kind(self) -> str:
        return str(self.header["kind"])

    @property
    def kiosk_id(self) -> str | None:
        value = self.header["kiosk_id"]
        return None if value is None else str(value)

    @property
    def bundle_id(self) -> str:
        return str(self.header["bundle_id"])

    @property
    def associated_data(self) -> bytes:
        return canonical_json(self.header).encode("utf-8")

    def document(self, recipient: X25519PrivateKey | None = None) -> SignedDocument:
        """The signed document inside: opened with ``recipient`` for a sealed kind.

        :class:`BundleError` when it cannot be opened or read.
        """
        try:
            if self.kind in SEALED_KINDS:
                if recipient is None:
                    raise BundleError(f"this {self.kind} bundle is encrypted and there is no key to open it")
                plain = open_sealed(self.body, recipient, self.associated_data, max_plain=MAX_PLAIN_BYTES)
                try:
                    inner = loads_untrusted(plain, max_bytes=MAX_PLAIN_BYTES)
                except JsonRefused as exc:
                    raise BundleError(f"its content is not a signed document: {exc.reason}") from None
                return SignedDocument.parse(inner)
            return SignedDocument.parse(self.body)
        except SealError as exc:
            raise BundleError(str(exc)) from None

    def sealed_as(self, kind: str, recipient: X25519PrivateKey) -> bool:
        """Whether the sealed body opens for ``recipient`` once the header's kind reads ``kind``.

        The header is sealed with the content, so a body that opens only with
        another kind is a bundle of that kind whose header was edited.
        """
        if not isinstance(self.body, dict) or kind == self.kind:
            return False
        header = {**self.header, "kind": kind}
        try:
            open_sealed(
                self.body, recipient, canonical_json(header).encode("utf-8"), max_plain=MAX_PLAIN_BYTES
            )
        except SealError:
            return False
        return True

    def verified_payload(self, document: SignedDocument, key: Ed25519PublicKey) -> dict[str, Any]:
        """The payload once its signature holds for ``key`` and it names this header's bundle."""
        try:
            payload = document.verify(key)
        except SealError as exc:
            raise BundleError(str(exc)) from None
        for name in ("kind", "kiosk_id", "bundle_id"):
            if payload.get(name) != self.header[name]:
                raise BundleError(f"the signed content does not match the file's header ({name})")
        return payload


def new_header(kind: str, kiosk_id: str | None, created_utc: str) -> dict[str, Any]:
    """A header for a new bundle, with a fresh bundle ID."""
    if kind not in KINDS:
        raise ValueError(f"unknown bundle kind {kind!r}")
    return {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "kiosk_id": kiosk_id,
        "bundle_id": str(uuid.uuid4()),
        "created_utc": created_utc,
    }


def build_bundle(
    header: dict[str, Any],
    payload: dict[str, Any],
    signing_key: Ed25519PrivateKey,
    signer: str,
    recipient: X25519PublicKey | None = None,
) -> dict[str, Any]:
    """The whole bundle: ``payload`` (plus the header's names) signed, and sealed for its kind."""
    signed_payload = {
        **payload,
        "kind": header["kind"],
        "kiosk_id": header["kiosk_id"],
        "bundle_id": header["bundle_id"],
    }
    document = sign_document(signed_payload, signing_key, signer)
    if header["kind"] not in SEALED_KINDS:
        return {**header, "signed": document}
    if recipient is None:
        raise ValueError(f"a {header['kind']} bundle must be sealed for a recipient")
    aad = canonical_json(header).encode("utf-8")
    return {**header, "sealed": seal(canonical_json(document).encode("utf-8"), recipient, aad)}


def _cut(text: str, limit: int) -> str:
    """Text from a file, for a message, cut short: a hostile file could make it huge."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: Any) -> str:
    return _cut(repr(value), 40)


def _check_header(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise BundleError("this is not a kiosk bundle")
    if value.get("version") != VERSION:
        raise BundleError(
            f"bundle format version {_shown(value.get('version'))} is not known to this version"
        )
    header = {name: value.get(name) for name in _HEADER_FIELDS}
    if header["kind"] not in KINDS:
        raise BundleError(
            f"unknown bundle kind {_shown(header['kind'])}: the file's header was edited, "
            "or it was made by a newer version"
        )
    if header["kiosk_id"] is not None and not isinstance(header["kiosk_id"], str):
        raise BundleError("the bundle names no kiosk")
    try:
        if str(uuid.UUID(str(header["bundle_id"]))) != header["bundle_id"]:
            raise ValueError
    except ValueError:
        raise BundleError("the bundle has no valid bundle ID") from None
    if not isinstance(header["created_utc"], str):
        raise BundleError("the bundle has no creation time")
    body_name = "sealed" if header["kind"] in SEALED_KINDS else "signed"
    expected = {*_HEADER_FIELDS, body_name}
    if set(value) != expected:
        odd = sorted(set(value) ^ expected)
        raise BundleError(
            f"the bundle has unexpected or missing parts ({_cut(', '.join(odd), 80)}): "
            "the file was edited or damaged"
        )
    return header


def parse_bundle(data: bytes, path: Path | None = None) -> BundleFile:
    """Read a bundle's bytes; :class:`BundleError` when it is not a bundle of this format."""
    try:
        value = loads_untrusted(data, max_bytes=MAX_FILE_BYTES)
    except JsonRefused as exc:
        raise BundleError(f"this is not a kiosk bundle: {exc.reason}") from None
    header = _check_header(value)
    body = value["sealed" if header["kind"] in SEALED_KINDS else "signed"]
    return BundleFile(path, header, body)


def read_bundle_bytes(path: Path, limit: int | None = None) -> bytes:
    """A bundle file's bytes, at most ``limit`` (default :data:`MAX_FILE_BYTES`).

    :class:`BundleError` for more, for what is not a plain file, or when it cannot be read.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        return read_bounded(path, limit)
    except FileTooLarge as exc:
        raise BundleError(f"the file is {exc.size} bytes, more than a bundle may be ({limit})") from None
    except FileRefused as exc:
        raise BundleError(exc.reason) from None
    except OSError as exc:
        raise BundleError(f"the file cannot be read: {exc.strerror or exc}") from None


def read_bundle(path: Path) -> BundleFile:
    """Read and check a bundle file; :class:`BundleError` when it cannot be read or is not a bundle."""
    return parse_bundle(read_bundle_bytes(path), path)


def write_bundle(bundle: dict[str, Any], path: Path) -> Path:
    """Write ``bundle`` to ``path`` durably: a temporary file, flushed, then renamed into place."""
    data = json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_file_durably(path, data)
    return path


def bundle_files(path: Path) -> list[Path]:
    """``path`` itself, or the ``*.kbundle`` files of a folder, by name."""
    if path.is_dir():
        return sorted(
            p for p in path.iterdir() if p.suffix == SUFFIX and p.is_file() and not p.name.startswith(".")
        )
    return [path]
