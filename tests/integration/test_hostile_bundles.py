"""Hostile ``*.kbundle`` files on a stick: every reader refuses them with a reason and changes nothing.

The readers are the ones a venue and the platform run: ``kiosk
import-bundle``, ``kiosk-cloud import-bundle`` and the first-run setup's
scan of the stick. Each file is refused with exit 1 and one line saying
why (the setup: a line per file), never a traceback, and both databases
are byte for byte what they were.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from helpers.fakes import FakeClock

from checkin_protocol.bundle_files import MAX_FILE_BYTES, build_bundle, new_header
from checkin_protocol.codes.issuer import public_key_b64
from checkin_protocol.sealed import b64, canonical_json, seal, x25519_public_from
from cloud.cli import cli as cloud_cli
from cloud.instance import DATABASE_FILE, init_instance
from kiosk.app import build_kiosk
from kiosk.cli.main import cli as kiosk_cli
from kiosk.config import DataDir, load_config
from kiosk.services.provisioning_files import scan_for_provisioning_files
from kiosk.sync.usb_setup import ensure_box_key

CREATED = "2026-11-29T01:00:00.000+00:00"


@dataclass(frozen=True)
class Sides:
    """A kiosk data folder and a cloud data folder, both initialised, and the keys a forger can know."""

    kiosk: Path
    kiosk_id: str
    kiosk_box_public: X25519PublicKey
    cloud: Path
    cloud_bundle_public: X25519PublicKey


@pytest.fixture(scope="module")
def sides(tmp_path_factory: pytest.TempPathFactory) -> Sides:
    root = tmp_path_factory.mktemp("sides")
    instance, _ = init_instance(root / "cloud")
    cloud_key = x25519_public_from(instance.keys.bundle_public_key_b64)
    instance.close()
    kiosk = build_kiosk(load_config(DataDir(root / "kiosk", "cli"), env={}), clock=FakeClock())
    with kiosk.store.write() as db:
        box_public = ensure_box_key(db).public_key()
    kiosk_id = kiosk.kiosk_id
    kiosk.close()
    return Sides(root / "kiosk", kiosk_id, box_public, root / "cloud", cloud_key)


def _dump(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return list(conn.iterdump())


def _header(kind: str, kiosk_id: str | None) -> dict[str, object]:
    return new_header(kind, kiosk_id, CREATED)


def _sealed_bundle(kind: str, kiosk_id: str, plain: bytes, recipient: X25519PublicKey) -> bytes:
    """A bundle whose sealed content is ``plain``, made as anyone holding the public key can."""
    header = _header(kind, kiosk_id)
    aad = canonical_json(header).encode("utf-8")
    return json.dumps({**header, "sealed": seal(plain, recipient, aad)}).encode("utf-8")


def _signed_text(payload_text: str, key: Ed25519PrivateKey, signer: str) -> bytes:
    signature = b64(key.sign(payload_text.encode("utf-8")))
    return json.dumps({"payload": payload_text, "signer": signer, "signature": signature}).encode("utf-8")


def _events_bundle(sides: Sides, kiosk_id: str = "KFORGED0001") -> dict[str, object]:
    """A well-made events bundle of a kiosk the cloud does not know."""
    device = Ed25519PrivateKey.generate()
    payload = {"events": [], "created_utc": CREATED, "device_public_key": public_key_b64(device)}
    header = _header("events", kiosk_id)
    return build_bundle(header, payload, device, "device", sides.cloud_bundle_public)


def _with_kind(bundle: dict[str, object], kind: str) -> bytes:
    return json.dumps({**bundle, "kind": kind}).encode("utf-8")


# Each maker gets the two sides and returns the file's bytes.
DEEP_FOR_THE_KIOSK = "deep JSON in the content the kiosk decrypts"
HOSTILE: dict[str, Callable[[Sides], bytes]] = {
    "6 KB of nested brackets": lambda s: b"[" * 6144,
    "nested objects": lambda s: b'{"format":' * 3000,
    "a real header over a nested body": lambda s: (
        json.dumps(_header("events", "K1"))[:-1].encode() + b', "sealed": ' + b"[" * 6000 + b"]" * 6000 + b"}"
    ),
    "NUL bytes": lambda s: b"\x00" * 4096,
    "NUL bytes inside a bundle": lambda s: json.dumps(_events_bundle(s)).encode().replace(b'"', b'"\x00', 3),
    "invalid UTF-8": lambda s: b'{"format": "volunteer-kiosk-bundle", "kind": "\xff\xfe"}',
    "truncated": lambda s: json.dumps(_events_bundle(s)).encode()[:300],
    "deep JSON in the content the cloud decrypts": lambda s: _sealed_bundle(
        "events", "KFORGED0002", b"[" * 100_000, s.cloud_bundle_public
    ),
    "deep JSON in the payload the cloud reads before the signature": lambda s: _sealed_bundle(
        "events",
        "KFORGED0003",
        _signed_text('{"a":' * 50_000, Ed25519PrivateKey.generate(), "device"),
        s.cloud_bundle_public,
    ),
    DEEP_FOR_THE_KIOSK: lambda s: _sealed_bundle("changes", s.kiosk_id, b"[" * 100_000, s.kiosk_box_public),
    "an events bundle whose kind was edited to an unknown one": lambda s: _with_kind(
        _events_bundle(s), "eventz"
    ),
    "an events bundle whose kind was edited to changes": lambda s: _with_kind(_events_bundle(s), "changes"),
    "an events bundle whose kind was edited to receipt": lambda s: _with_kind(_events_bundle(s), "receipt"),
}


@dataclass(frozen=True)
class Hostile:
    """One hostile file on a stick, and which of :data:`HOSTILE` it is."""

    name: str
    path: Path


@pytest.fixture(params=sorted(HOSTILE), ids=lambda name: name.replace(" ", "-"))
def hostile(request: pytest.FixtureRequest, sides: Sides, tmp_path: Path) -> Hostile:
    stick = tmp_path / "stick"
    stick.mkdir()
    path = stick / "hostile.kbundle"
    path.write_bytes(HOSTILE[request.param](sides))
    return Hostile(request.param, path)


def _import(command: object, data: Path, path: Path, database: Path, exit_code: int = 1) -> list[str]:
    """Run ``import-bundle`` on ``path``: ``exit_code``, the database unchanged; the lines naming a file."""
    before = _dump(database)
    result = CliRunner().invoke(command, ["--data", str(data), "import-bundle", str(path)])  # type: ignore[arg-type]
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert _dump(database) == before
    return [line for line in result.output.splitlines() if ".kbundle: " in line]


def test_kiosk_import_bundle_refuses_with_one_line_and_changes_nothing(
    sides: Sides, hostile: Hostile
) -> None:
    [line] = _import(kiosk_cli, sides.kiosk, hostile.path, sides.kiosk / "kiosk.db")
    assert line.startswith("hostile.kbundle: ") and " refused: " in line, line
    assert len(line.split("refused: ", 1)[1]) > 10, line


def test_cloud_import_bundle_refuses_with_one_line_and_changes_nothing(
    sides: Sides, hostile: Hostile
) -> None:
    database = sides.cloud / DATABASE_FILE
    if hostile.name == DEEP_FOR_THE_KIOSK:
        # Sealed for a kiosk, so the platform cannot look inside: left for the kiosk, which refuses it.
        [line] = _import(cloud_cli, sides.cloud, hostile.path, database, exit_code=0)
        assert line == "hostile.kbundle: skipped, a changes bundle for a kiosk, not records", line
        return
    [line] = _import(cloud_cli, sides.cloud, hostile.path, database)
    assert line.startswith("hostile.kbundle: refused: ") and len(line) > 40, line


def test_an_edited_kind_is_refused_by_the_cloud_in_a_folder_too_and_real_updates_get_a_line(
    sides: Sides, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "edited.kbundle").write_bytes(_with_kind(_events_bundle(sides), "changes"))
    (stick / "update.kbundle").write_bytes(HOSTILE[DEEP_FOR_THE_KIOSK](sides))
    edited, update = _import(cloud_cli, sides.cloud, stick, sides.cloud / DATABASE_FILE)
    assert edited.startswith("edited.kbundle: refused: its header says changes, but it holds records"), edited
    assert update == "update.kbundle: skipped, a changes bundle for a kiosk, not records", update


# Well-formed bundles of other kinds (records, updates) are not the setup's to open: it reads headers.
NOT_THE_SETUPS = {
    "an events bundle whose kind was edited to changes",
    "deep JSON in the content the cloud decrypts",
    "deep JSON in the payload the cloud reads before the signature",
    DEEP_FOR_THE_KIOSK,
}


@pytest.mark.parametrize("name", sorted(set(HOSTILE) - NOT_THE_SETUPS), ids=lambda n: n.replace(" ", "-"))
def test_the_setup_scan_names_each_file_it_cannot_use(sides: Sides, tmp_path: Path, name: str) -> None:
    hostile = tmp_path / "hostile.kbundle"
    hostile.write_bytes(HOSTILE[name](sides))
    scan = scan_for_provisioning_files([tmp_path])
    assert scan.found == []
    [(path, reason)] = scan.unreadable
    assert path == hostile and len(reason) > 10, reason


def test_a_file_larger_than_a_bundle_may_be_is_refused_unread(sides: Sides, tmp_path: Path) -> None:
    huge = tmp_path / "huge.kbundle"
    with huge.open("wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used, and nothing may read it
    [line] = _import(kiosk_cli, sides.kiosk, huge, sides.kiosk / "kiosk.db")
    assert "more than a bundle may be" in line, line
    [line] = _import(cloud_cli, sides.cloud, huge, sides.cloud / DATABASE_FILE)
    assert "more than a bundle may be" in line, line
    assert scan_for_provisioning_files([tmp_path]).unreadable == []  # too large to be one: left unread


def test_a_pipe_named_like_a_bundle_is_refused_not_waited_on(sides: Sides, tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    pipe = tmp_path / "pipe.kbundle"
    os.mkfifo(pipe)  # reading it would wait for a writer for ever
    [line] = _import(kiosk_cli, sides.kiosk, pipe, sides.kiosk / "kiosk.db")
    assert "refused: it is not a plain file" in line, line
    [line] = _import(cloud_cli, sides.cloud, pipe, sides.cloud / DATABASE_FILE)
    assert "refused: it is not a plain file" in line, line


def test_kiosk_register_refuses_a_provisioning_file_whose_payload_is_nested_too_deep(
    sides: Sides, tmp_path: Path
) -> None:
    # The payload names the keys that sign it, so it is read before any signature holds.
    header = _header("provisioning", None)
    signed = json.loads(_signed_text('{"platform_keys": ' + "[" * 50_000, Ed25519PrivateKey.generate(), "p1"))
    path = tmp_path / "setup.kbundle"
    path.write_text(json.dumps({**header, "signed": signed}), encoding="utf-8")
    database = sides.kiosk / "kiosk.db"
    before = _dump(database)
    result = CliRunner().invoke(
        kiosk_cli, ["--data", str(sides.kiosk), "register", "--offline-file", str(path)]
    )
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "Error: setup.kbundle refused: the provisioning file's content cannot be read: it is nested" in (
        result.output
    ), result.output
    assert _dump(database) == before
