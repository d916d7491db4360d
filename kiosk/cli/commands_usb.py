"""``kiosk export-bundle`` and ``kiosk import-bundle``: records and updates on a USB stick."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.cli.state import CliState, pass_state
from kiosk.store.outbox import waiting_count
from kiosk.sync.usb import UsbError, export_events, import_bundles

_RESULT_COLOURS = {"imported": "green", "already": None, "skipped": None, "refused": "red"}


@click.command("export-bundle")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@pass_state
def export_bundle(state: CliState, folder: Path) -> None:
    """Write the records waiting to sync into FOLDER (a USB stick) for the platform.

    The bundle is signed by this kiosk and encrypted for the platform. The
    records stay waiting here until the platform's receipt is imported
    (kiosk import-bundle); exporting again writes them again, harmlessly.
    """
    kiosk = state.kiosk()
    try:
        written = export_events(kiosk.store, kiosk.kiosk_id, folder, kiosk.clock.now().wall_utc)
    except UsbError as exc:
        raise click.ClickException(str(exc)) from exc
    for bundle in written:
        click.echo(f"{bundle.path}  {bundle.events} records")
    total = sum(b.events for b in written)
    click.echo(f"{total} records written to {folder} in {len(written)} file(s).")
    click.echo("Take them to the platform (kiosk-cloud import-bundle), then import its reply here.")


@click.command("import-bundle")
@click.argument("path", type=click.Path(path_type=Path))
@pass_state
def import_bundle(state: CliState, path: Path) -> None:
    """Import the platform's reply from PATH: receipts and roster/activity updates (a file or a folder).

    A receipt marks the records it names as delivered; an update brings the
    roster, activities, revocations and keys. Importing a file twice changes
    nothing; a changed or foreign file is refused and changes nothing. Exit 1
    when a file was refused.
    """
    kiosk = state.kiosk()
    try:
        report = import_bundles(kiosk.store, kiosk.kiosk_id, path, kiosk.clock.now().wall_utc)
    except UsbError as exc:
        raise click.ClickException(str(exc)) from exc
    if report.trust_changed:
        kiosk.reload_trust()
    if not report.outcomes:
        click.echo(f"no bundles (*.kbundle) in {path}")
    for outcome in report.outcomes:
        click.secho(
            f"{outcome.path.name}: {f'{outcome.kind} ' if outcome.kind else ''}{outcome.result}: {outcome.message}",
            fg=_RESULT_COLOURS[outcome.result],
            err=outcome.result == "refused",
        )
    click.echo(f"waiting to sync: {waiting_count(kiosk.store.writer)}")
    if report.refused:
        raise SystemExit(1)


COMMANDS = [export_bundle, import_bundle]
