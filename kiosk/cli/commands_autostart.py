"""``kiosk autostart install | remove | status``: start the kiosk at login, without editing a file by hand.

Windows gets a Task Scheduler task, Linux an XDG desktop autostart entry
(``kiosk/services/autostart.py``, ``kiosk/services/desktop_autostart.py``);
both run ``kiosk watchdog``, which restarts the kiosk after a crash.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from checkin_protocol.private_files import CommandRunner, run_command
from kiosk.cli.state import CliState, pass_state
from kiosk.config import CONFIG_FILE_NAME
from kiosk.services.autostart import OK, Autostart, AutostartResult, WindowsTask, kiosk_program
from kiosk.services.desktop_autostart import ENTRY_NAME, DesktopAutostart, autostart_dir

#: The filled task, kept in the data folder (what ``schtasks /Create /XML`` read).
TASK_FILE_NAME = "volunteer-kiosk-task.xml"


def start_options(state: CliState) -> list[str]:
    """The global options the kiosk started at login needs: those it would not find by itself."""
    config = state.config
    options: list[str] = []
    if config.data.origin in ("cli", "env"):  # not $KIOSK_DATA at logon, nor a relative --data
        options += ["--data", str(config.data.path)]
    if config.config_file != config.data.path / CONFIG_FILE_NAME:
        options += ["--config", str(config.config_file.resolve())]
    return options


def system_autostart(
    state: CliState,
    *,
    windows: bool | None = None,
    executable: str | None = None,
    frozen: bool | None = None,
    run: CommandRunner = run_command,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Autostart:
    """This system's kind of autostart for the kiosk of ``state`` (the arguments are for tests)."""
    windows = os.name == "nt" if windows is None else windows
    if not windows and sys.platform == "darwin":
        raise click.ClickException("kiosk autostart is for Windows and Linux; on macOS use Login Items.")
    program = kiosk_program(start_options(state), windows=windows, executable=executable, frozen=frozen)
    if windows:
        return WindowsTask(program, state.config.data.path / TASK_FILE_NAME, run)
    return DesktopAutostart(program, autostart_dir(env, home) / ENTRY_NAME)


def _finish(result: AutostartResult) -> None:
    click.echo(result.message, err=result.exit_code != OK)
    if result.exit_code != OK:
        raise SystemExit(result.exit_code)


@click.group()
def autostart() -> None:
    """Start the kiosk by itself when the computer's user logs in (and restart it after a crash).

    Windows: a Task Scheduler task running kiosk.exe watchdog (install and
    remove need an administrator: run kiosk-console.exe as administrator).
    Linux: a desktop autostart entry in ~/.config/autostart. Exit codes:
    1 failed (status: not installed), 3 needs an administrator, 4 no schtasks.
    """


@autostart.command()
@pass_state
def install(state: CliState) -> None:
    """Install (or update) the autostart entry for this kiosk and its data folder (docs/staying-up.md)."""
    _finish(system_autostart(state).install())


@autostart.command()
@pass_state
def remove(state: CliState) -> None:
    """Remove the autostart entry; the kiosk then no longer starts at login."""
    _finish(system_autostart(state).remove())


@autostart.command()
@pass_state
def status(state: CliState) -> None:
    """Say whether the autostart entry is installed and what it starts (exit 1 when it is not)."""
    _finish(system_autostart(state).status())


COMMANDS = [autostart]
