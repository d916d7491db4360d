"""The ``kiosk`` command: set a kiosk up, check codes, scan, report, and (later) run the GUI.

Every subcommand has ``--help``; ``tests/unit/cli/test_cli_docs.py`` checks
that each one is documented in the README.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checkin_protocol import __version__
from checkin_protocol.private_files import owner_only_umask
from kiosk.cli import (
    commands_autostart,
    commands_codes,
    commands_coordinators,
    commands_desk_reports,
    commands_kiosk,
    commands_receipts,
    commands_reports,
    commands_search,
    commands_setup,
    commands_sync,
    commands_usb,
    commands_watchdog,
)
from kiosk.cli.state import CliState


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kiosk")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Data folder (database, config, keys, logs). Default: kiosk-data/ beside the program "
    "if present, else the user data folder; or $KIOSK_DATA.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Configuration file. Default: config.toml in the data folder; or $KIOSK_CONFIG.",
)
@click.option("-v", "--verbose", is_flag=True, help="More detail in the log file.")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, config_file: Path | None, verbose: bool) -> None:
    """Volunteer check-in kiosk (志愿服务签到机).

    Stores every check-in and check-out locally first, verifies signed
    volunteer cards and activity codes offline, and syncs with the cloud.
    """
    state = CliState(data_dir, config_file, verbose)
    ctx.obj = state
    ctx.call_on_close(state.close)


def main() -> None:
    """Console-script entry point."""
    # Chinese names in a Windows console: never crash on printing them. (The windowed kiosk.exe
    # has no console: its streams are None, and click.echo then prints nothing.)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    # Every file this program makes (databases, keys, logs, reports) is its user's alone (docs/security.md).
    owner_only_umask()
    cli(prog_name="kiosk")


for _module in (
    commands_setup,
    commands_codes,
    commands_kiosk,
    commands_reports,
    commands_sync,
    commands_usb,
    commands_search,
    commands_coordinators,
    commands_desk_reports,
    commands_watchdog,
    commands_autostart,
    commands_receipts,
):
    for _command in _module.COMMANDS:
        cli.add_command(_command)
