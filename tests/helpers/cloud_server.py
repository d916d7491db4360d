"""The real reference cloud server, running in this process, for tests that talk HTTP to it.

Usage::

    from helpers.cloud_server import running_cloud

    def test_something(tmp_path):
        with running_cloud(tmp_path / "cloud") as cloud:
            code = cloud.provision()                   # a fresh one-time provisioning code
            requests.get(f"{cloud.api_url}/time", timeout=5)
            cloud.store.table_counts()                 # look into the database directly
            card = cloud.issuer.issue_card("V1", "张*", issued_on=date(2026, 1, 1))

``running_cloud(folder)`` runs ``kiosk-cloud init`` on ``folder`` (created if
missing; an initialised folder is reused as it is), starts uvicorn on
127.0.0.1 with a free port in a background thread, waits until
``GET /api/v1/time`` answers, and stops the server (and closes the store)
when the block ends, even if the test failed. ``running_cloud(folder, clock)``
gives the server a clock the test moves (``clock() -> datetime``, UTC).

``RunningCloud`` fields:

- ``base_url``: ``http://127.0.0.1:<port>``, the server root, no trailing slash;
- ``api_url``: ``base_url + "/api/v1"``;
- ``store``: the server's own :class:`cloud.storage.CloudStore` (thread-safe:
  ``store.read()`` / ``store.write()`` / ``store.table_counts()`` / ``store.import_roster(path)``);
- ``issuer``: a :class:`checkin_protocol.codes.issuer.Issuer` with the platform's card key
  (key ID ``issuer.key_id``, public key ``issuer.public_key_b64``);
- ``activity_issuer``: the same for the platform's activity-code key (keys have one purpose);
- ``data``: the data folder;
- ``instance``: the :class:`cloud.instance.CloudInstance` (store, keys, clock);
- ``provision(area="test") -> str``: issue a new provisioning code;
- ``register(kiosk_id, area="test") -> dict[str, str]``: register a kiosk over
  HTTP with a fresh code (a random device key) and return the headers that
  authenticate it (``{"Authorization": "Bearer <device_id>.<secret>"}``);
- ``registration_body(code, kiosk_id, key) -> dict``: a ``POST /register``
  body for ``key``'s public half, with a fresh nonce of the server signed by
  ``key`` (the proof of the device key every registration carries).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes.issuer import Issuer, generate_signing_key, public_key_b64
from checkin_protocol.event_rows import EVENT_COLUMNS
from checkin_protocol.registration_proof import sign_registration
from cloud.instance import Clock, CloudInstance, utc_now
from cloud.local import local_cloud
from cloud.provisioning import new_provisioning_code
from cloud.storage import Storage


@dataclass(frozen=True)
class RunningCloud:
    """A cloud server running in a background thread (see the module docstring)."""

    base_url: str
    api_url: str
    store: Storage
    issuer: Issuer
    activity_issuer: Issuer
    data: Path
    instance: CloudInstance

    def provision(self, area: str = "test") -> str:
        """A new one-time provisioning code (``KP1:<area>:...``) for a kiosk of ``area``."""
        return new_provisioning_code(self.store, area, self.instance.clock())

    def registration_body(self, code: str, kiosk_id: str, key: Ed25519PrivateKey) -> dict[str, str]:
        """A ``POST /register`` body for ``key``, signed by it over a nonce fetched for ``kiosk_id`` now."""
        reply = requests.post(f"{self.api_url}/register/nonce", json={"kiosk_id": kiosk_id}, timeout=10)
        if reply.status_code != 201:
            raise RuntimeError(f"no registration nonce for {kiosk_id}: {reply.status_code} {reply.text}")
        nonce = str(reply.json()["nonce"])
        return {
            "provisioning_code": code,
            "kiosk_id": kiosk_id,
            "app_version": "test",
            "device_public_key": public_key_b64(key),
            "nonce": nonce,
            "device_signature": sign_registration(key, nonce, kiosk_id, code),
        }

    def register(self, kiosk_id: str, area: str = "test") -> dict[str, str]:
        """Register ``kiosk_id`` over HTTP; the ``Authorization`` header of its credentials."""
        body = self.registration_body(self.provision(area), kiosk_id, generate_signing_key())
        reply = requests.post(f"{self.api_url}/register", json=body, timeout=10)
        if reply.status_code != 201:
            raise RuntimeError(f"registering {kiosk_id} failed: {reply.status_code} {reply.text}")
        credentials = reply.json()
        return {"Authorization": f"Bearer {credentials['device_id']}.{credentials['device_secret']}"}


def kiosk_event_rows(store: Storage, kiosk_id: str) -> list[tuple[Any, ...]]:
    """The kiosk's fields of every event the server holds from ``kiosk_id``, by seq (as ``event_to_row``)."""
    with store.read() as reader:
        rows = reader._conn.execute(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE kiosk_id = ? ORDER BY seq", (kiosk_id,)
        ).fetchall()
    return [tuple(r) for r in rows]


@contextmanager
def running_cloud(
    folder: Path, clock: Clock = utc_now, database: str | None = None
) -> Iterator[RunningCloud]:
    """Initialise ``folder``, serve it on 127.0.0.1 (free port) until the block ends; ``clock`` is the server's.

    ``database``: a ``postgresql://`` URL the server keeps its data in (None: ``cloud.db`` in ``folder``).
    """
    with local_cloud(Path(folder), clock=clock, database=database) as cloud:
        yield RunningCloud(
            base_url=cloud.base_url,
            api_url=f"{cloud.base_url}/api/v1",
            store=cloud.instance.store,
            issuer=cloud.instance.keys.card_issuer,
            activity_issuer=cloud.instance.keys.activity_issuer,
            data=Path(folder),
            instance=cloud.instance,
        )
