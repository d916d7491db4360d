"""``kiosk-cloud staff add|list|disable|enable|passwd``: the dashboard's staff accounts.

Accounts live in the cloud's database (SQLite or PostgreSQL), so every
worker process sees them at once. A password is typed twice at a hidden
prompt, or read from the first line of standard input with
``--password-stdin`` (for scripts); it never appears on the command line.
Disabling an account, or changing its password, ends its sessions.
"""

from __future__ import annotations

import sys

import click

from cloud.cli_state import CloudCli, pass_cli
from cloud.dashboard.staff import (
    MIN_PASSWORD_LENGTH,
    ROLES,
    StaffAccountError,
    change_password,
    check_new_password,
    create_account,
    list_accounts,
    live_session_counts,
    set_account_disabled,
    username_key,
)

password_stdin_option = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of standard input."
)


def _password(from_stdin: bool) -> str:
    """The new password: from stdin, or typed twice at a hidden prompt; checked for length."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
            hide_input=True,
            confirmation_prompt="Repeat the password",
        )
    try:
        check_new_password(password)
    except StaffAccountError as exc:
        raise click.ClickException(str(exc)) from exc
    return password


@click.group()
def staff() -> None:
    """Staff accounts of the dashboard at /dashboard (viewers see names masked, managers in full)."""


@staff.command("add")
@click.argument("username")
@click.option(
    "--role", type=click.Choice(ROLES), required=True, help="viewer: names masked; manager: in full."
)
@click.option(
    "--area", "area", metavar="ORG_ID", help="Organisation whose subtree it sees. Default: every area."
)
@password_stdin_option
@pass_cli
def add(state: CloudCli, username: str, role: str, area: str | None, password_stdin: bool) -> None:
    """Add an account USERNAME (not case-sensitive) that signs in at /dashboard/login."""
    password = _password(password_stdin)
    with state.instance() as instance:
        try:
            account = create_account(instance.store, username, password, role, area, instance.clock())
        except StaffAccountError as exc:
            raise click.ClickException(str(exc)) from exc
    where = f"area {account.area_org_id}" if account.area_org_id else "every area"
    click.echo(f"Added {account.username} ({account.role}, {where})")


@staff.command("list")
@pass_cli
def list_command(state: CloudCli) -> None:
    """List the accounts: role, area, whether disabled, live sessions."""
    with state.instance() as instance:
        accounts = list_accounts(instance.store)
        sessions = live_session_counts(instance.store, instance.clock())
    if not accounts:
        click.echo("No staff accounts; add one with `kiosk-cloud staff add USERNAME --role viewer|manager`")
        return
    click.echo(f"{'username':<24} {'role':<8} {'area':<20} {'state':<9} {'sessions':>8}  created")
    for account in accounts:
        click.echo(
            f"{account.username:<24} {account.role:<8} {account.area_org_id or '(all)':<20} "
            f"{'disabled' if account.disabled else 'active':<9} {sessions.get(account.username, 0):>8}  "
            f"{account.created_utc[:19]}Z"
        )


@staff.command("disable")
@click.argument("username")
@pass_cli
def disable(state: CloudCli, username: str) -> None:
    """Disable USERNAME: it cannot sign in, and its sessions end now."""
    with state.instance() as instance:
        try:
            ended = set_account_disabled(instance.store, username, True)
        except StaffAccountError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Disabled {username_key(username)}; {ended} sessions ended")


@staff.command("enable")
@click.argument("username")
@pass_cli
def enable(state: CloudCli, username: str) -> None:
    """Let a disabled USERNAME sign in again."""
    with state.instance() as instance:
        try:
            set_account_disabled(instance.store, username, False)
        except StaffAccountError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Enabled {username_key(username)}")


@staff.command("passwd")
@click.argument("username")
@password_stdin_option
@pass_cli
def passwd(state: CloudCli, username: str, password_stdin: bool) -> None:
    """Give USERNAME a new password; its sessions end."""
    password = _password(password_stdin)
    with state.instance() as instance:
        try:
            ended = change_password(instance.store, username, password)
        except StaffAccountError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Changed the password of {username_key(username)}; {ended} sessions ended")


COMMANDS = (staff,)
