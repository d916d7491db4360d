"""A cloud data folder: the database ``cloud.db`` and the platform keys in ``keys/``.

:func:`init_instance` creates what is missing and is safe to run again;
:func:`open_instance` opens a folder ``init`` has prepared. The CLI, the
server and the tests all start here. With ``database`` (a ``postgresql://``
URL) the data lives in that PostgreSQL database instead of ``cloud.db``;
the platform keys stay in the folder either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from checkin_protocol.private_files import create_private_file, make_private_dir, tighten
from cloud.keys import KeysMissingError, PlatformKeys, ensure_keys, load_keys
from cloud.storage import Storage, is_postgres_url, open_cloud_store
from cloud.visit_projection import ensure_dashboard_ready

DATABASE_FILE = "cloud.db"
KEYS_DIR = "keys"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The server's clock: the current time, timezone-aware UTC."""
    return datetime.now(UTC)


@dataclass
class CloudInstance:
    """An open data folder: its store and keys, and the clock the services use."""

    data: Path
    store: Storage
    keys: PlatformKeys
    clock: Clock = utc_now

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> CloudInstance:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def init_instance(
    data: Path, clock: Clock = utc_now, database: str | None = None
) -> tuple[CloudInstance, bool]:
    """Create the folder, database and keys where missing; (instance, whether anything was created).

    ``database``: a ``postgresql://`` URL of an existing (maybe empty) database; None: ``cloud.db``.
    """
    make_private_dir(data)
    tighten(data)
    if database is not None and is_postgres_url(database):
        existed = True  # the database's own migrations say what they created; the keys say the rest
        store = open_cloud_store(database)
    else:
        path = data / DATABASE_FILE
        existed = path.exists()
        create_private_file(path)
        store = open_cloud_store(path)
    try:
        keys, created = ensure_keys(data / KEYS_DIR, store, clock())
        ensure_dashboard_ready(store, clock())
    except BaseException:
        store.close()
        raise
    return CloudInstance(data, store, keys, clock), created or not existed


def open_instance(data: Path, clock: Clock = utc_now, database: str | None = None) -> CloudInstance:
    """Open a folder ``kiosk-cloud init`` prepared; ``KeysMissingError`` when it has no keys."""
    postgres = database is not None and is_postgres_url(database)
    if not postgres and not (data / DATABASE_FILE).exists():
        raise KeysMissingError(f"{data} is not a cloud data folder; run `kiosk-cloud --data {data} init`")
    if postgres and not data.is_dir():
        raise KeysMissingError(f"{data} has no platform keys; run `kiosk-cloud --data {data} init`")
    tighten(data)  # volunteers' data and the platform's keys: the server's user only
    store = open_cloud_store(database if postgres and database is not None else data / DATABASE_FILE)
    try:
        keys = load_keys(data / KEYS_DIR, store)
        ensure_dashboard_ready(store, clock())
    except BaseException:
        store.close()
        raise
    return CloudInstance(data, store, keys, clock)
