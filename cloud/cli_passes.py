"""``kiosk-cloud pass list|revoke``: staff look at a volunteer's phone passes and end them (a lost phone).

A revoked pass reaches the kiosks with their next pull (or USB update), and
the pass page on the phone says "此手机签到码已停用" the next time it is
online. The volunteer registers the new phone from their card as before.
"""

from __future__ import annotations

import click

from cloud.cli_state import CloudCli, pass_cli
from cloud.passes import passes_of, revoke_passes


@click.group("pass")
def pass_group() -> None:
    """Volunteers' phone passes (docs/phone-pass.md)."""


@pass_group.command("list")
@click.argument("volunteer_id")
@pass_cli
def list_passes(state: CloudCli, volunteer_id: str) -> None:
    """Every phone pass of a volunteer, oldest first: ID, registered, and in use or revoked when."""
    with state.instance() as instance:
        rows = passes_of(instance.store, volunteer_id)
    if not rows:
        click.echo(f"{volunteer_id} has no phone pass")
        return
    for row in rows:
        status = "in use" if row.revoked_utc is None else f"revoked {row.revoked_utc}"
        click.echo(f"{row.pass_id}  registered {row.created_utc}  {status}  key {row.public_key[:8]}…")


@pass_group.command("revoke")
@click.argument("volunteer_id")
@pass_cli
def revoke(state: CloudCli, volunteer_id: str) -> None:
    """End every phone pass of a volunteer still in use (a lost phone); kiosks refuse it after their next pull."""
    with state.instance() as instance:
        ended = revoke_passes(instance.store, volunteer_id, instance.clock())
    if not ended:
        click.echo(f"{volunteer_id} has no phone pass in use")
        return
    click.echo(f"revoked {', '.join(ended)} of {volunteer_id}")


COMMANDS = [pass_group]
