"""``kiosk-cloud import-bundle`` and ``export-changes``: the platform's end of the USB stick."""

from __future__ import annotations

from pathlib import Path

import click

from checkin_protocol.bundle_files import (
    SUFFIX,
    BundleError,
    bundle_files,
    parse_bundle,
    read_bundle_bytes,
    write_bundle,
)
from cloud.bundles import ChangesExport, EventsImport, export_changes, import_events_bundle, not_records
from cloud.cli_state import CloudCli, pass_cli
from cloud.instance import CloudInstance


def _receipt_name(result: EventsImport) -> str:
    span = f"{result.first_seq}-{result.last_seq}" if result.first_seq is not None else result.bundle_id[:8]
    return f"{result.kiosk_id}-receipt-{span}{SUFFIX}"


def _write_changes(export: ChangesExport, out: Path) -> Path:
    path = out / f"{export.kiosk_id}-changes-{export.next_cursor}{SUFFIX}"
    return write_bundle(export.bundle, path)


class _Refused(Exception):
    """A bundle was refused (already reported on the terminal)."""


def _import_one(instance: CloudInstance, file: Path, out: Path | None) -> EventsImport | None:
    """Import one file and write its receipt; None when it is not records (receipts, updates).

    Every file gets a line: imported, skipped (and what it is) or refused
    (and why). :class:`_Refused` (after saying why) when the bundle is refused.
    """
    try:
        data = read_bundle_bytes(file)
        bundle = parse_bundle(data, file)
        if bundle.kind != "events":
            click.echo(f"{file.name}: skipped, {not_records(instance, bundle)}")
            return None
        result = import_events_bundle(instance, data, instance.clock())
    except (BundleError, OSError) as exc:
        click.secho(f"{file.name}: refused: {exc}", fg="red", err=True)
        raise _Refused from None
    receipt = write_bundle(result.receipt, (out or file.parent) / _receipt_name(result))
    if result.already:
        click.echo(f"{file.name}: imported before; nothing changed. Receipt written again: {receipt.name}")
    else:
        registered = "; kiosk registered" if result.registered_now else ""
        click.echo(
            f"{file.name}: kiosk {result.kiosk_id}: {result.accepted} new, {result.duplicate} already here, "
            f"{result.rejected} refused{registered}. Receipt: {receipt.name}"
        )
    return result


@click.command("import-bundle")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write receipts and updates here. Default: beside each bundle (back onto the stick).",
)
@click.option("--no-changes", is_flag=True, help="Write only receipts, no roster/activity update.")
@pass_cli
def import_bundle(state: CloudCli, paths: tuple[Path, ...], out: Path | None, no_changes: bool) -> None:
    """Import records a kiosk exported (files, or folders of *.kbundle) and write receipts.

    Each bundle is checked (encrypted for this platform, signed by the kiosk)
    and its records stored exactly once; importing it again changes nothing.
    Beside each receipt goes an update for the kiosk: everything new since
    its last update. Exit 1 when a bundle was refused.
    """
    if out is not None and not out.is_dir():
        raise click.BadParameter(f"{out} is not a folder", param_hint="--out")
    refused = False
    updates: dict[str, Path] = {}
    with state.instance() as instance:
        for path in paths:
            for file in bundle_files(path):
                try:
                    result = _import_one(instance, file, out)
                except _Refused:
                    refused = True
                    continue
                if result is not None:
                    updates[result.kiosk_id] = out or file.parent
        if not no_changes:
            for kiosk_id, folder in sorted(updates.items()):
                try:
                    export = export_changes(instance, kiosk_id, instance.clock())
                except BundleError as exc:
                    click.secho(f"no update for kiosk {kiosk_id}: {exc}", fg="red", err=True)
                    refused = True
                    continue
                if export.changes == 0:
                    click.echo(f"kiosk {kiosk_id} is up to date: no update needed")
                    continue
                written = _write_changes(export, folder)
                click.echo(f"update for kiosk {kiosk_id}: {export.changes} changes: {written.name}")
    if refused:
        raise SystemExit(1)


@click.command("export-changes")
@click.option("--kiosk", "kiosk_id", required=True, help="The kiosk the update is for.")
@click.option("--since", metavar="CURSOR", help="Start after this cursor. Default: the kiosk's last report.")
@click.option("--full", is_flag=True, help="Everything from the beginning (a kiosk set up again).")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@pass_cli
def export_changes_command(
    state: CloudCli, kiosk_id: str, since: str | None, full: bool, folder: Path
) -> None:
    """Write an update (roster, activities, sign-ups, revocations, keys) for one kiosk into FOLDER.

    Encrypted for that kiosk and signed by the platform; the kiosk takes it
    with `kiosk import-bundle`. The kiosk must have sent one bundle first.
    """
    if since is not None and full:
        raise click.UsageError("use --since or --full, not both")
    if not folder.is_dir():
        raise click.BadParameter(f"{folder} is not a folder", param_hint="FOLDER")
    with state.instance() as instance:
        try:
            export = export_changes(instance, kiosk_id, instance.clock(), since, full=full)
        except BundleError as exc:
            raise click.ClickException(str(exc)) from exc
    written = _write_changes(export, folder)
    click.echo(f"{export.changes} changes for kiosk {kiosk_id} written to {written}")


COMMANDS = [import_bundle, export_changes_command]
