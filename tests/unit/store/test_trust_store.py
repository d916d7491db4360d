"""Trusted keys and revocations persist, and a key ID never silently changes its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.domain.models import utc
from kiosk.identity.issuer import generate_signing_key, public_key_b64
from kiosk.store.database import open_store
from kiosk.store.trust import load_revocations, load_trusted_keys, revoke, trust_key

AT = utc(2026, 11, 29, 9)


def test_keys_and_revocations_round_trip(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k.db")
    first, second = public_key_b64(generate_signing_key()), public_key_b64(generate_signing_key())
    with store.write() as db:
        trust_key(db, "k1", first, "test", AT)
        trust_key(db, "k1", first, "test", AT)  # again: nothing changes
        trust_key(db, "k2", second, "test", AT)
        revoke(db, "V1", 2, AT, "lost")
        revoke(db, "V2", 0, AT)
    keys = load_trusted_keys(store.writer)
    assert dict(keys) == {"k1": first, "k2": second}
    revoked = load_revocations(store.writer)
    assert revoked.is_revoked("V1", 2) and not revoked.is_revoked("V1", 3)
    assert revoked.is_revoked("V2", 1) and revoked.is_revoked("V2", 7)
    store.close()


def test_a_different_key_under_a_known_id_is_refused(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k.db")
    with store.write() as db:
        trust_key(db, "k1", public_key_b64(generate_signing_key()), "test", AT)
    with pytest.raises(ValueError, match="already names another key"), store.write() as db:
        trust_key(db, "k1", public_key_b64(generate_signing_key()), "test", AT)
    with pytest.raises(ValueError), store.write() as db:
        trust_key(db, "k3", "not a key", "test", AT)
    assert len(load_trusted_keys(store.writer)) == 1
    store.close()
