"""``kiosk watchdog``: keep the kiosk running, restarting it after a crash."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

import click

from kiosk.app import LOG_FILE_BYTES, LOG_FILE_COUNT
from kiosk.cli.state import CliState, pass_state
from kiosk.services.watchdog import RestartPolicy, Watchdog, kiosk_command

WATCHDOG_LOG = "watchdog.log"


def _log_restarts(log_dir: Path) -> None:
    """The watchdog's own rotating log (the kiosk it runs writes kiosk.log), and the terminal."""
    logger = logging.getLogger("kiosk.services.watchdog")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for old in list(logger.handlers):  # a second run in one process (tests) replaces the first's
        logger.removeHandler(old)
        old.close()
    formatter = logging.Formatter("%(asctime)s %(levelname)s watchdog: %(message)s")
    if sys.stderr is not None:  # None in the windowed kiosk.exe, which has no console
        stderr = logging.StreamHandler()
        stderr.setFormatter(formatter)
        logger.addHandler(stderr)
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / WATCHDOG_LOG, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_COUNT, encoding="utf-8"
        )
    except OSError as exc:  # a read-only stick: keep the kiosk up anyway, say it on the terminal
        logger.error("cannot write %s: %s", log_dir / WATCHDOG_LOG, exc)
        return
    handler.setFormatter(formatter)
    logger.addHandler(handler)


def _global_options(state: CliState) -> list[str]:
    """The global options this command got, for the kiosk it starts."""
    options: list[str] = []
    if state.data_option is not None:
        options += ["--data", str(state.data_option)]
    if state.config_option is not None:
        options += ["--config", str(state.config_option)]
    if state.verbose:
        options.append("-v")
    return options


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option(
    "--max-restarts",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Give up after this many restarts (0: never).",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@pass_state
def watchdog(state: CliState, max_restarts: int, args: tuple[str, ...]) -> None:
    """Run `kiosk run` (or `kiosk ARGS`, given after --) and start it again after a crash.

    Restarts wait 1 s, 2 s, 4 s … at most 60 s (1 s again after 10 minutes of
    good running). A clean exit (the coordinator's Exit) ends the watchdog
    too; SIGTERM or Ctrl+C stop both. Every restart is logged in
    logs/watchdog.log. Example: kiosk watchdog -- demo --no-cloud
    """
    _log_restarts(state.config.log_dir)
    command = kiosk_command([*_global_options(state), *(args or ("run",))])
    dog = Watchdog(command, RestartPolicy(max_restarts=max_restarts))
    dog.install_signal_handlers()
    code = dog.run()
    if code:
        raise SystemExit(code)


COMMANDS = [watchdog]
