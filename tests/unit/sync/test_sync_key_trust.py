"""Keys the platform sends: trusted for the purposes they name, never widening a key from elsewhere."""

from __future__ import annotations

from pathlib import Path

from checkin_protocol.codes.issuer import generate_signing_key, public_key_b64
from checkin_protocol.codes.trust import CODE_PURPOSES, KeyPurpose
from checkin_protocol.models import utc
from kiosk.store import sync_state as state
from kiosk.store.database import open_store
from kiosk.store.trust import DEMO_SOURCE, load_trusted_keys, trust_key
from kiosk.sync.credentials import PlatformKey, parse_platform_key, trust_platform_key

AT = utc(2026, 11, 29, 9)


def test_the_platform_cannot_make_the_demo_key_sign_bundles(tmp_path: Path) -> None:
    store = open_store(tmp_path / "kiosk.db")
    demo = public_key_b64(generate_signing_key())
    with store.write() as db:
        trust_key(db, "demo1", demo, DEMO_SOURCE, AT, CODE_PURPOSES)
        problem = trust_platform_key(db, PlatformKey("demo1", demo, frozenset({KeyPurpose.BUNDLE})), AT)
    assert problem is not None and "kept the one it trusts" in problem
    assert load_trusted_keys(store.writer).purposes("demo1") == CODE_PURPOSES
    assert state.trust_conflicts(store.writer) == ["demo1"]
    store.close()


def test_a_platform_key_is_trusted_for_the_purposes_it_names_and_without_them_for_codes_only(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path / "kiosk.db")
    bundle, older = public_key_b64(generate_signing_key()), public_key_b64(generate_signing_key())
    with store.write() as db:
        assert (
            trust_platform_key(
                db, parse_platform_key({"key_id": "b1", "public_key": bundle, "purposes": "bundle"}), AT
            )
            is None
        )
        assert trust_platform_key(db, parse_platform_key({"key_id": "p0", "public_key": older}), AT) is None
    keys = load_trusted_keys(store.writer)
    assert keys.purposes("b1") == {KeyPurpose.BUNDLE}
    assert keys.purposes("p0") == CODE_PURPOSES, "a key sent without purposes never signs bundles"
    store.close()
