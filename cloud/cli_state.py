"""What every ``kiosk-cloud`` command receives: the data folder, and a way to open it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from cloud.instance import CloudInstance, open_instance
from cloud.keys import KeysMissingError
from cloud.storage import DatabaseUnavailable

DEFAULT_DATA = Path("cloud-data")


@dataclass(frozen=True)
class CloudCli:
    """The state the group passes to its commands."""

    data: Path
    database: str | None = None  # a postgresql:// URL; None: cloud.db in the data folder

    @contextmanager
    def instance(self) -> Iterator[CloudInstance]:
        """The opened data folder for the command's duration; a clear error when it is not set up."""
        try:
            instance = open_instance(self.data, database=self.database)
        except (KeysMissingError, DatabaseUnavailable) as exc:
            raise click.ClickException(str(exc)) from exc
        with instance:
            yield instance


pass_cli = click.make_pass_decorator(CloudCli)
