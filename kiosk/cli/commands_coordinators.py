"""``kiosk coordinator``: the coordinator accounts of this kiosk, each with its own PIN.

A PIN is never an argument (it would stay in the shell history and show in the
process list): it is prompted twice, hidden, or read with ``--pin-file FILE``
from the first line of a file, ``-`` meaning standard input, for scripts.
Changes are recorded in the audit log with the actor ``cli``.
"""

from __future__ import annotations

from datetime import datetime

import click

from kiosk.cli.state import CliState, pass_state
from kiosk.services.pin import PinGuard, is_valid_pin
from kiosk.services.pin_hash import NEW_PIN_RULE

ACTOR = "cli"
_PIN_FILE_MAX_BYTES = 256  # a PIN and a line end; anything longer is not a PIN file

pin_file_option = click.option(
    "--pin-file",
    metavar="FILE",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Read the PIN from the first line of FILE ('-': standard input) instead of asking for it.",
)


def _guard(state: CliState) -> PinGuard:
    kiosk = state.kiosk()
    return PinGuard(kiosk.store, kiosk.clock, kiosk.kiosk_id)


def _read_pin_file(path: str) -> str:
    """The PIN on the first line of ``path`` (``-``: standard input); never shown in an error."""
    try:
        with click.open_file(path, "rb") as fh:
            data = fh.read(_PIN_FILE_MAX_BYTES + 1)
    except OSError as exc:
        raise click.ClickException(f"cannot read the PIN file {path}: {exc.strerror or exc}") from exc
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise click.ClickException("the PIN file is not text; it should hold only the PIN") from exc
    pin = lines[0].strip() if lines and len(data) <= _PIN_FILE_MAX_BYTES else ""
    if not is_valid_pin(pin):
        raise click.ClickException(
            f"the PIN file should hold only the PIN on its first line, and {NEW_PIN_RULE}; nothing was changed"
        )
    return pin


def _ask_pin(pin_file: str | None, prompt: str) -> str:
    """The new PIN: from ``--pin-file``, else typed twice, hidden."""
    if pin_file is not None:
        return _read_pin_file(pin_file)
    pin = str(click.prompt(prompt, hide_input=True, confirmation_prompt=True))
    if not is_valid_pin(pin):
        raise click.ClickException(f"{NEW_PIN_RULE}; nothing was changed")
    return pin


def _when(value: datetime | None, state: CliState) -> str:
    if value is None:
        return "-"
    return value.astimezone(state.kiosk().clock.now().local.tzinfo).strftime("%Y-%m-%d %H:%M")


@click.group()
def coordinator() -> None:
    """Coordinator accounts: each coordinator has a name and a PIN of their own.

    The PIN opens the coordinator menu on the kiosk screen and tells the kiosk
    who is acting; what they do is recorded under their name and account ID.
    """


@coordinator.command("add")
@click.argument("name")
@pin_file_option
@pass_state
def add(state: CliState, name: str, pin_file: str | None) -> None:
    """Add a coordinator named NAME, with a PIN of their own.

    The PIN (6 to 8 digits, not one another coordinator uses) is asked for
    twice, hidden, unless --pin-file gives it. The new account's ID (c1, c2,
    ...) is printed; IDs are never reused.
    """
    pin = _ask_pin(pin_file, f"PIN for {name}")
    try:
        added = _guard(state).add_coordinator(name, pin, ACTOR)
    except ValueError as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from exc
    click.echo(f"Added coordinator {added.actor}.")


@coordinator.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also list removed accounts.")
@pass_state
def list_coordinators(state: CliState, show_all: bool) -> None:
    """List the coordinator accounts: ID, name and when each was added."""
    accounts = _guard(state).accounts(include_removed=show_all)
    if not accounts:
        click.echo("No coordinator accounts; add one with `kiosk coordinator add NAME`.")
        return
    for account in accounts:
        line = f"{account.coordinator.coordinator_id}\t{account.coordinator.name}\t"
        line += f"added {_when(account.created_utc, state)}"
        if not account.active:
            line += f"\tremoved {_when(account.removed_utc, state)}"
        click.echo(line)


@coordinator.command("remove")
@click.argument("coordinator_id", metavar="ID")
@pass_state
def remove(state: CliState, coordinator_id: str) -> None:
    """Remove coordinator ID, whose PIN then stops working.

    The account stays listed with --all, so past actions recorded under its
    name and ID stay explained. The last coordinator cannot be removed.
    """
    try:
        removed = _guard(state).remove_coordinator(coordinator_id, ACTOR)
    except ValueError as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from exc
    click.echo(f"Removed coordinator {removed.actor}.")


@coordinator.command("set-pin")
@click.argument("coordinator_id", metavar="ID")
@pin_file_option
@pass_state
def set_pin(state: CliState, coordinator_id: str, pin_file: str | None) -> None:
    """Give coordinator ID a new PIN.

    The PIN (6 to 8 digits) is asked for twice, hidden, unless --pin-file
    gives it. Setting a PIN also lifts a lock-out of the kiosk's PIN pad after
    wrong tries, and starts its growing lock-outs over.
    """
    guard = _guard(state)
    known = {c.coordinator_id: c for c in guard.coordinators()}
    if coordinator_id not in known:
        raise click.ClickException(
            f"there is no active coordinator {coordinator_id}; see `kiosk coordinator list`"
        )
    pin = _ask_pin(pin_file, f"New PIN for {known[coordinator_id].actor}")
    try:
        changed = guard.set_coordinator_pin(coordinator_id, pin, ACTOR)
    except ValueError as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from exc
    click.echo(f"Set a new PIN for coordinator {changed.actor}.")


COMMANDS: list[click.Command] = [coordinator]
