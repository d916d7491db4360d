"""Fuzzing the readers of what a USB stick or a camera brings: bundle files, the setup QR text, the stick scan.

Each reader either gives its result or its own documented refusal
(:class:`BundleError`, :class:`ProvisioningQrError`, a line of
:class:`StickScan`), whatever the input: random bytes, valid inputs with
bytes changed, cut or inserted, headers edited, and JSON nested where a
value was expected. Never another exception.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from helpers.fuzz import fuzz_settings
from hypothesis import example, given
from hypothesis import strategies as st

from checkin_protocol.bundle_files import BundleError, build_bundle, new_header, parse_bundle
from checkin_protocol.provisioning_qr import (
    PREFIX,
    ProvisioningQrError,
    parse_provisioning_qr,
    provisioning_qr_text,
)
from kiosk.services.provisioning_files import scan_for_provisioning_files

FUZZ = fuzz_settings(500)
CREATED = "2026-11-29T01:00:00.000+00:00"
SIGNER = Ed25519PrivateKey.from_private_bytes(bytes([3]) * 32)
RECIPIENT = X25519PrivateKey.from_private_bytes(bytes([5]) * 32)


def _bundle_bytes(kind: str) -> bytes:
    header = new_header(kind, None if kind == "provisioning" else "K1", CREATED)
    payload = {"events": [{"seq": 1, "name": "雷彩霞"}], "pull_cursor": None, "created_utc": CREATED}
    recipient = RECIPIENT.public_key() if kind in ("events", "changes") else None
    return json.dumps(build_bundle(header, payload, SIGNER, "p1", recipient), ensure_ascii=False).encode()


VALID = {kind: _bundle_bytes(kind) for kind in ("events", "changes", "receipt", "provisioning")}

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
JSON = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=15,
)
NESTED = st.builds(
    lambda depth, opener: opener * depth, st.integers(30, 3000), st.sampled_from(["[", '{"a":'])
)


def _read_fully(data: bytes) -> None:
    """The whole read of a bundle, as the kiosk and the cloud do it: header, content, signature."""
    try:
        bundle = parse_bundle(data)
        document = bundle.document(RECIPIENT)
        bundle.verified_payload(document, SIGNER.public_key())
        bundle.sealed_as("events", RECIPIENT)
    except BundleError as exc:
        assert str(exc)


@FUZZ
@given(st.binary(max_size=600))
@example(b"[" * 6144)
@example(b"\x00" * 64)
@example(b"\xef\xbb\xbf{}")
def test_any_bytes_are_a_bundle_or_a_refusal(data: bytes) -> None:
    _read_fully(data)


@FUZZ
@given(kind=st.sampled_from(sorted(VALID)), data=st.data())
def test_a_valid_bundle_with_bytes_changed_cut_or_inserted_is_read_or_refused(kind: str, data: Any) -> None:
    raw = bytearray(VALID[kind])
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        at = data.draw(st.integers(0, len(raw)), label="at")
        edit = data.draw(st.sampled_from(["flip", "cut", "insert", "truncate"]), label="edit")
        if edit == "flip" and at < len(raw):
            raw[at] ^= 1 << data.draw(st.integers(0, 7), label="bit")
        elif edit == "cut":
            del raw[at : at + data.draw(st.integers(1, 40), label="length")]
        elif edit == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=12) | NESTED.map(str.encode), label="bytes")
        else:
            del raw[at:]
    _read_fully(bytes(raw))


_PLACES = ("header", "kind", "version", "bundle_id", "kiosk_id", "created_utc", "body", "body_field")


@FUZZ
@given(kind=st.sampled_from(sorted(VALID)), place=st.sampled_from(_PLACES), value=JSON | NESTED)
@example(kind="events", place="kind", value="changes")
@example(kind="events", place="kind", value="receipt")
@example(kind="receipt", place="body_field", value="[" * 5000)
def test_any_value_in_any_place_of_a_bundle_is_read_or_refused(kind: str, place: str, value: Any) -> None:
    bundle = json.loads(VALID[kind])
    body = "sealed" if kind in ("events", "changes") else "signed"
    if place == "header":
        bundle[str(value)[:20]] = value
    elif place == "body":
        bundle[body] = value
    elif place == "body_field":
        field = "ciphertext" if body == "sealed" else "payload"
        bundle[body][field] = value
    else:
        bundle[place] = value
    text = json.dumps(bundle)
    if isinstance(value, str) and value.startswith(("[[", '{"a":')):
        text = text.replace(json.dumps(value), value)  # the nesting itself, not a string of it
    _read_fully(text.encode("utf-8", "surrogatepass"))


# -- the setup QR text ---------------------------------------------------------------------------------

QR = provisioning_qr_text("https://cloud.example.org", "KP1:north:" + "A" * 32)


def _wrapped(raw: bytes) -> str:
    return PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _read_qr(text: str) -> None:
    try:
        parsed = parse_provisioning_qr(text)
    except ProvisioningQrError as exc:
        assert exc.reason in ("foreign", "volunteer_code", "bare_code", "unsupported_version", "malformed")
        assert exc.message
        return
    assert parsed.code.startswith("KP1:") and parsed.server_url.startswith(("http://", "https://"))


@FUZZ
@given(
    st.binary(max_size=700).map(_wrapped)
    | JSON.map(lambda v: _wrapped(json.dumps(v).encode()))
    | NESTED.map(lambda n: _wrapped(n[:700].encode()))
)
@example(_wrapped(b"[" * 760))
@example(_wrapped(b'{"code": "KP1:north:' + b"A" * 32 + b'", "url": ' + b"[" * 600 + b"}"))
def test_any_content_behind_the_prefix_is_a_setup_code_or_a_refusal(text: str) -> None:
    _read_qr(text)


@FUZZ
@given(data=st.data())
def test_the_setup_code_with_characters_changed_is_read_or_refused(data: Any) -> None:
    text = QR
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        at = data.draw(st.integers(0, len(text)), label="at")
        insert = data.draw(st.text(max_size=3), label="insert")
        text = text[:at] + insert + text[at + data.draw(st.integers(0, 3), label="cut") :]
    _read_qr(text)


# -- the setup's look at a stick -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def stick(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stick")


@FUZZ
@given(
    files=st.lists(st.binary(max_size=300) | st.sampled_from(list(VALID.values())), min_size=1, max_size=4)
)
def test_any_files_on_a_stick_are_found_or_named_with_a_reason(stick: Path, files: list[bytes]) -> None:
    for old in stick.glob("*.kbundle"):
        old.unlink()
    for number, content in enumerate(files):
        (stick / f"{number}.kbundle").write_bytes(content)
    scan = scan_for_provisioning_files([stick])
    provisioning = {f"{n}.kbundle" for n, content in enumerate(files) if content == VALID["provisioning"]}
    assert {path.name for path in scan.found} == provisioning
    assert all(reason and path.name not in provisioning for path, reason in scan.unreadable)
