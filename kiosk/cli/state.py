"""State shared by the ``kiosk`` subcommands: the global options and the kiosk built from them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import click

from checkin_protocol.private_files import make_private_dir
from kiosk.app import Kiosk, build_kiosk, setup_logging
from kiosk.config import Config, ConfigError, load_config, resolve_data_dir
from kiosk.store.database import StoreError


@dataclass
class CliState:
    """What the global options chose; the kiosk is built on first use."""

    data_option: Path | None
    config_option: Path | None
    verbose: bool
    _config: Config | None = None
    _kiosk: Kiosk | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(resolve_data_dir(self.data_option), self.config_option)
            except ConfigError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._config

    def override(self, section: str, key: str, value: object) -> None:
        """Change one setting before the kiosk is built (the demo's shorter windows)."""
        config = self.config
        values = {name: dict(table) for name, table in config.values.items()}
        values[section][key] = value
        self._config = replace(config, values=values)

    def kiosk(self) -> Kiosk:
        if self._kiosk is None:
            config = self.config
            try:
                make_private_dir(config.data.path)
                setup_logging(config, self.verbose)
                self._kiosk = build_kiosk(config)
            except (StoreError, OSError) as exc:
                raise click.ClickException(
                    f"cannot open the kiosk data in {config.data.path}: {exc}"
                ) from exc
            report = self._kiosk.store.report
            if report.quarantined_to is not None:
                click.secho(
                    f"WARNING: the database was damaged ({report.damage}). It was moved, untouched, to "
                    f"{report.quarantined_to} and a new empty database was started. Keep that folder "
                    "and contact support: records not yet synced may be recoverable from it.",
                    fg="red",
                    err=True,
                )
        return self._kiosk

    def close(self) -> None:
        if self._kiosk is not None:
            self._kiosk.close()
            self._kiosk = None


pass_state = click.make_pass_decorator(CliState)
