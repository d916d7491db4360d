"""USB setup on the kiosk: its keys for bundles, and offline provisioning from the platform's file.

- :func:`register_offline` reads the provisioning file ``kiosk-cloud
  provision-kiosk --offline-file`` wrote (signed by the platform's
  provisioning key it carries): the platform keys to trust, each for its
  purposes, the cloud's bundle key and a one-time code. The kiosk makes its
  device keys and stops trusting the demo key.
- :func:`platform_bundle_key` is the key a receipt or update must be signed
  with (:mod:`kiosk.sync.usb` imports them).
- :func:`ensure_box_key` is the kiosk's X25519 key the updates are sealed for.

See ``docs/sync-protocol.md``, "USB bundles", and ``docs/security.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from checkin_protocol.bundle_files import BundleError, BundleFile, read_bundle
from checkin_protocol.codes.trust import KeyPurpose, public_key_from
from checkin_protocol.sealed import MAX_PAYLOAD_BYTES, SealError, x25519_public_from
from checkin_protocol.untrusted_json import JsonRefused, loads_untrusted
from kiosk.store import sync_state as state
from kiosk.store.audit import append_audit
from kiosk.store.database import Store, Transaction
from kiosk.store.device_keys import box_key, database_file
from kiosk.store.trust import stored_public_key, trusted_key_for
from kiosk.sync.credentials import ensure_device_key, forget_demo_key, parse_platform_key, trust_platform_key

# -- the kiosk's keys --------------------------------------------------------------------------


def ensure_box_key(db: Transaction) -> X25519PrivateKey:
    """The kiosk's X25519 key for change bundles: a key file in ``keys/``, made on first use."""
    key = box_key(database_file(db), create=True)
    assert key is not None  # made when missing
    return key


def platform_bundle_key(db: Transaction, key_id: str) -> Ed25519PublicKey:
    """The key a receipt or update must be signed with: one the platform gave this kiosk for bundles.

    Only keys from the platform the kiosk registered with are trusted for
    bundles (never the demo key, nor a key that signs cards or activity
    codes only), so no one else can mark records delivered.
    """
    key = trusted_key_for(db, key_id, KeyPurpose.BUNDLE)
    if key is not None:
        return key
    if stored_public_key(db, key_id) is not None:
        raise BundleError(
            f"it is signed with key {key_id!r}, which this kiosk trusts for cards or activity codes only, "
            "never for the platform's bundles: it is not from the platform"
        )
    raise BundleError(
        f"it is signed with key {key_id!r}, which this kiosk does not trust for bundles "
        "(not from the platform this kiosk is registered with, or the kiosk is not registered yet)"
    )


# -- offline provisioning ---------------------------------------------------------------------


@dataclass(frozen=True)
class OfflineSetup:
    """What an offline provisioning file set up."""

    area_id: str
    trusted_keys: tuple[str, ...]
    problems: tuple[str, ...]


def _provisioning_payload(bundle: BundleFile) -> dict[str, Any]:
    """The payload of a provisioning file, signed by one of the keys it carries."""
    if bundle.kind != "provisioning":
        raise BundleError(f"this is a {bundle.kind} bundle, not a provisioning file")
    document = bundle.document()
    try:
        claimed = loads_untrusted(document.payload_text, max_bytes=MAX_PAYLOAD_BYTES)
    except JsonRefused as exc:
        raise BundleError(f"the provisioning file's content cannot be read: {exc.reason}") from None
    keys = claimed.get("platform_keys") if isinstance(claimed, dict) else None
    if not isinstance(keys, list):
        raise BundleError("the provisioning file names no platform keys")
    try:
        carried = [parse_platform_key(k) for k in keys]
    except ValueError as exc:
        raise BundleError(f"the provisioning file's keys cannot be read: {exc}") from None
    signer = next((k for k in carried if k.key_id == document.signer), None)
    if signer is None:
        raise BundleError("the provisioning file is not signed by one of the platform keys it carries")
    if KeyPurpose.PROVISIONING not in signer.purposes:
        raise BundleError(
            f"the provisioning file is signed with key {signer.key_id!r}, which is not the platform's "
            "provisioning key; ask the platform for a new provisioning file"
        )
    try:
        signer_key = public_key_from(signer.public_key)
    except ValueError as exc:
        raise BundleError(f"the provisioning file's key is unusable: {exc}") from None
    payload = bundle.verified_payload(document, signer_key)
    for name in ("provisioning_code", "area_id", "bundle_public_key"):
        if not isinstance(payload.get(name), str) or not payload[name]:
            raise BundleError(f"the provisioning file has no {name}")
    try:
        x25519_public_from(payload["bundle_public_key"], "the cloud's bundle key")
    except SealError as exc:
        raise BundleError(str(exc)) from None
    return payload


def register_offline(
    store: Store, kiosk_id: str, path: Path, now: datetime, *, keep_demo_key: bool = False
) -> OfflineSetup:
    """Set the kiosk up for USB transfer from a provisioning file; :class:`BundleError` if refused.

    Refused (nothing changed) for a kiosk registered online already, or one
    whose trusted keys say the file is from another platform. The demo key
    is no longer trusted afterwards unless ``keep_demo_key``.
    """
    payload = _provisioning_payload(read_bundle(path))
    platform_keys = [parse_platform_key(k) for k in payload["platform_keys"]]
    keys = [(k.key_id, k.public_key) for k in platform_keys]
    with store.write() as db:
        if state.get_value(db, state.DEVICE_SECRET) is not None:
            raise BundleError(
                "this kiosk is registered with a cloud server already; it does not need a provisioning file"
            )
        forget_demo_key(db, kiosk_id, now, keep_demo_key)  # undone with the rest if refused below
        for key_id, public_key in keys:
            trusted = stored_public_key(db, key_id)
            if trusted is not None and trusted != public_key:
                raise BundleError(
                    f"the file's key {key_id} differs from the one this kiosk trusts: it is from another platform"
                )
        problems = [p for k in platform_keys if (p := trust_platform_key(db, k, now)) is not None]
        ensure_device_key(db)
        ensure_box_key(db)
        state.set_value(db, state.AREA_ID, payload["area_id"])
        state.set_value(db, state.BUNDLE_PUBLIC_KEY, payload["bundle_public_key"])
        state.set_value(db, state.PROVISIONING_CODE, payload["provisioning_code"])
        server_url = payload.get("server_url")
        if isinstance(server_url, str) and server_url and state.get_value(db, state.SERVER_URL) is None:
            state.set_value(db, state.SERVER_URL, server_url)
        append_audit(
            db,
            kiosk_id=kiosk_id,
            action="usb_provisioned",
            at=now,
            detail={
                "area_id": payload["area_id"],
                "keys": [k for k, _ in keys],
                "file_bundle_id": payload["bundle_id"],
            },
        )
    return OfflineSetup(payload["area_id"], tuple(k for k, _ in keys), tuple(problems))
