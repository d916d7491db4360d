"""Trusted keys persist with their purposes, a key ID never silently changes its key, and demo keys stay demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkin_protocol.codes.issuer import generate_signing_key, public_key_b64
from checkin_protocol.codes.trust import CODE_PURPOSES, KeyPurpose
from checkin_protocol.models import utc
from kiosk.store.database import open_store
from kiosk.store.trust import (
    DEMO_SOURCE,
    drop_demo_keys,
    load_revocations,
    load_trusted_keys,
    revoke,
    trust_key,
    trusted_key_for,
)

AT = utc(2026, 11, 29, 9)
CARDS = frozenset({KeyPurpose.CARD})
BUNDLES = frozenset({KeyPurpose.BUNDLE})


def test_keys_and_revocations_round_trip(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k.db")
    first, second = public_key_b64(generate_signing_key()), public_key_b64(generate_signing_key())
    with store.write() as db:
        trust_key(db, "k1", first, "test", AT, CARDS)
        trust_key(db, "k1", first, "test", AT, CARDS)  # again: nothing changes
        trust_key(db, "k2", second, "test", AT, BUNDLES)
        revoke(db, "V1", 2, AT, "lost")
        revoke(db, "V2", 0, AT)
    keys = load_trusted_keys(store.writer)
    assert dict(keys) == {"k1": first, "k2": second}
    assert keys.purposes("k1") == CARDS and keys.purposes("k2") == BUNDLES
    revoked = load_revocations(store.writer)
    assert revoked.is_revoked("V1", 2) and not revoked.is_revoked("V1", 3)
    assert revoked.is_revoked("V2", 1) and revoked.is_revoked("V2", 7)
    store.close()


def test_a_different_key_under_a_known_id_is_refused(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k.db")
    with store.write() as db:
        trust_key(db, "k1", public_key_b64(generate_signing_key()), "test", AT, CARDS)
    with pytest.raises(ValueError, match="already names another key"), store.write() as db:
        trust_key(db, "k1", public_key_b64(generate_signing_key()), "test", AT, CARDS)
    with pytest.raises(ValueError), store.write() as db:
        trust_key(db, "k3", "not a key", "test", AT, CARDS)
    with pytest.raises(ValueError, match="purpose"), store.write() as db:
        trust_key(db, "k4", public_key_b64(generate_signing_key()), "test", AT, ())
    assert len(load_trusted_keys(store.writer)) == 1
    store.close()


def test_a_key_is_found_only_for_its_purposes(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k.db")
    key = public_key_b64(generate_signing_key())
    with store.write() as db:
        trust_key(db, "c1", key, "cloud", AT, CARDS)
    assert trusted_key_for(store.writer, "c1", KeyPurpose.CARD) is not None
    assert trusted_key_for(store.writer, "c1", KeyPurpose.BUNDLE) is None
    assert trusted_key_for(store.writer, "zz", KeyPurpose.CARD) is None
    with store.write() as db:  # the platform may change a key's purposes (same key)
        trust_key(db, "c1", key, "cloud", AT, BUNDLES)
    assert trusted_key_for(store.writer, "c1", KeyPurpose.BUNDLE) is not None
    assert trusted_key_for(store.writer, "c1", KeyPurpose.CARD) is None
    store.close()


def test_a_demo_key_is_never_trusted_for_bundles_or_provisioning(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k.db")
    key = public_key_b64(generate_signing_key())
    for purposes in (BUNDLES, {KeyPurpose.PROVISIONING}, CODE_PURPOSES | BUNDLES):
        with pytest.raises(ValueError, match="demo"), store.write() as db:
            trust_key(db, "demo1", key, DEMO_SOURCE, AT, purposes)
    with store.write() as db:
        trust_key(db, "demo1", key, DEMO_SOURCE, AT, CODE_PURPOSES)
        trust_key(db, "p1", public_key_b64(generate_signing_key()), "cloud", AT, CARDS)
    with store.write() as db:
        assert drop_demo_keys(db) == ["demo1"]
    assert dict(load_trusted_keys(store.writer)).keys() == {"p1"}
    store.close()
