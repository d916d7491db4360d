"""One worker process of ``kiosk-cloud serve --workers N``: the app, on its own :class:`CloudInstance`.

uvicorn's supervisor starts each worker as a fresh Python process and calls
:func:`create_worker_app` there (``WORKER_APP``, an app factory). The
worker learns what to serve from the environment the ``serve`` command
sets before it starts the workers:

- ``KIOSK_CLOUD_DATA``: the data folder (the platform keys; ``cloud.db`` on SQLite);
- ``KIOSK_CLOUD_DATABASE``: a ``postgresql://`` URL, or unset for ``cloud.db``.

These are the variables the ``kiosk-cloud`` command itself reads, so
``uvicorn --factory cloud.worker_app:create_worker_app`` run by hand with
them set serves the same folder (the ``kiosk-cloud`` command makes every
file owner-only, and its workers inherit that umask; the systemd unit sets
``UMask=0077`` too). Each worker opens its own store (its own
SQLite connections, or its own PostgreSQL pool) and closes it when the
worker stops (the app's lifespan). A worker that cannot open the instance
exits with uvicorn's start-up failure code, which makes the supervisor
stop every worker instead of restarting it forever.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator, Callable, Mapping, MutableMapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI
from uvicorn.config import STARTUP_FAILURE

from cloud.api import create_app
from cloud.cli_state import DEFAULT_DATA
from cloud.instance import DATABASE_FILE, CloudInstance, open_instance
from cloud.keys import KeysMissingError
from cloud.storage import DatabaseUnavailable, is_postgres_url

log = logging.getLogger(__name__)

#: The app factory as uvicorn's supervisor imports it in each worker.
WORKER_APP = "cloud.worker_app:create_worker_app"
DATA_VARIABLE = "KIOSK_CLOUD_DATA"
DATABASE_VARIABLE = "KIOSK_CLOUD_DATABASE"


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker serves: the data folder, and the PostgreSQL URL (None: ``cloud.db`` in the folder)."""

    data: Path
    database: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> WorkerSettings:
        """The settings in ``environ``; ``ValueError`` for a database that is not a ``postgresql://`` URL."""
        database = environ.get(DATABASE_VARIABLE) or None
        if database is not None and not is_postgres_url(database):
            raise ValueError(f"${DATABASE_VARIABLE} must be a postgresql:// URL")
        return cls(Path(environ.get(DATA_VARIABLE) or DEFAULT_DATA), database)

    def export(self, environ: MutableMapping[str, str]) -> None:
        """Write these settings into ``environ`` for worker processes to inherit (and clear an old URL)."""
        environ[DATA_VARIABLE] = str(self.data)
        if self.database is None:
            environ.pop(DATABASE_VARIABLE, None)
        else:
            environ[DATABASE_VARIABLE] = self.database


def closing_lifespan(
    instance: CloudInstance,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that closes ``instance`` (its connections or pool) when the worker stops."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            instance.close()
            log.info("worker %d stopped and closed its database connections", os.getpid())

    return lifespan


def create_worker_app() -> FastAPI:
    """The API app of this worker, on an instance opened from the environment (see the module docstring)."""
    try:
        settings = WorkerSettings.from_environment(os.environ)
        instance = open_instance(settings.data, database=settings.database)
    except (ValueError, KeysMissingError, DatabaseUnavailable) as exc:
        log.error("worker %d cannot open the cloud: %s", os.getpid(), exc)
        sys.exit(STARTUP_FAILURE)
    app = create_app(instance)
    app.include_router(APIRouter(lifespan=closing_lifespan(instance)))
    where = "PostgreSQL" if settings.database is not None else str(settings.data / DATABASE_FILE)
    log.info("worker %d serving %s (%s)", os.getpid(), settings.data, where)
    return app
