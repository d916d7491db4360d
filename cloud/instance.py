"""A cloud data folder: the database ``cloud.db`` and the platform keys in ``keys/``.

:func:`init_instance` creates what is missing and is safe to run again;
:func:`open_instance` opens a folder ``init`` has prepared. The CLI, the
server and the tests all start here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from checkin_protocol.private_files import create_private_file, make_private_dir, tighten
from cloud.keys import KeysMissingError, PlatformKeys, ensure_keys, load_keys
from cloud.storage import CloudStore

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
    store: CloudStore
    keys: PlatformKeys
    clock: Clock = utc_now

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> CloudInstance:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def init_instance(data: Path, clock: Clock = utc_now) -> tuple[CloudInstance, bool]:
    """Create the folder, database and keys where missing; (instance, whether anything was created)."""
    make_private_dir(data)
    tighten(data)
    database = data / DATABASE_FILE
    existed = database.exists()
    create_private_file(database)
    store = CloudStore.open(database)
    try:
        keys, created = ensure_keys(data / KEYS_DIR, store, clock())
    except BaseException:
        store.close()
        raise
    return CloudInstance(data, store, keys, clock), created or not existed


def open_instance(data: Path, clock: Clock = utc_now) -> CloudInstance:
    """Open a folder ``kiosk-cloud init`` prepared; ``KeysMissingError`` when it has no keys."""
    if not (data / DATABASE_FILE).exists():
        raise KeysMissingError(f"{data} is not a cloud data folder; run `kiosk-cloud --data {data} init`")
    tighten(data)  # volunteers' data and the platform's keys: the server's user only
    store = CloudStore.open(data / DATABASE_FILE)
    try:
        keys = load_keys(data / KEYS_DIR, store)
    except BaseException:
        store.close()
        raise
    return CloudInstance(data, store, keys, clock)
