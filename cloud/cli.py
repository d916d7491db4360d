"""The ``kiosk-cloud`` command: set up, run and feed the reference cloud server.

Every command has ``--help``; the global ``--data DIR`` (or ``$KIOSK_CLOUD_DATA``)
names the data folder, ``./cloud-data`` by default; ``--database URL`` (or
``$KIOSK_CLOUD_DATABASE``) keeps the data in PostgreSQL instead of
``cloud.db`` (the platform keys stay in the data folder).
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from checkin_protocol import __version__
from checkin_protocol.bundle_files import write_bundle
from checkin_protocol.codes.qr_images import save_qr
from checkin_protocol.day_options import REPORT_DAY, choose_days
from checkin_protocol.private_files import owner_only_umask, prepare_private_output
from checkin_protocol.provisioning_qr import provisioning_qr_text
from checkin_protocol.roster_file import RosterImportError
from checkin_protocol.server_url import normalise_server_url
from cloud import cli_bundles, cli_issue, cli_passes, cli_receipts, cli_staff
from cloud.bundles import provisioning_bundle
from cloud.cli_state import DEFAULT_DATA, CloudCli, pass_cli
from cloud.instance import init_instance
from cloud.provisioning import DEFAULT_AREA, new_provisioning_code
from cloud.reports import Report, build_report, write_visits_csv
from cloud.seq_gaps import gap_report_lines, read_gap_report
from cloud.server import DEFAULT_HOST, DEFAULT_PORT, WorkersFailed, serve, serve_workers
from cloud.storage import DatabaseUnavailable, is_postgres_url


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kiosk-cloud")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    envvar="KIOSK_CLOUD_DATA",
    help="Data folder: database cloud.db and the platform keys in keys/. Or $KIOSK_CLOUD_DATA.",
)
@click.option(
    "--database",
    metavar="URL",
    envvar="KIOSK_CLOUD_DATABASE",
    help="PostgreSQL database (postgresql://user@host/name) instead of cloud.db. Or $KIOSK_CLOUD_DATABASE.",
)
@click.pass_context
def cli(ctx: click.Context, data: Path, database: str | None) -> None:
    """Reference cloud server of the volunteer check-in kiosk (sync protocol version 1)."""
    if database is not None and not is_postgres_url(database):
        raise click.BadParameter("give a postgresql:// URL", param_hint="--database")
    ctx.obj = CloudCli(data, database)


@cli.command()
@pass_cli
def init(state: CloudCli) -> None:
    """Create the data folder, database and platform keys (running it again changes nothing)."""
    try:
        instance, created = init_instance(state.data, database=state.database)
    except DatabaseUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    with instance:
        keys = instance.keys
        click.echo(f"{'Initialised' if created else 'Already initialised, nothing changed:'} {state.data}")
        for purpose, signer in keys.signers.items():
            click.echo(f"  {purpose.value + ' key':<17} {signer.key_id:<4} {signer.public_key_b64}")
        click.echo(f"  {'bundle box key':<17} {'':<4} {keys.bundle_public_key_b64}")


@cli.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes. 1 serves from this process; more run uvicorn's supervisor, each worker "
    "with its own database connections (PostgreSQL is meant for this: docs/cloud-deploy.md).",
)
@pass_cli
def serve_command(state: CloudCli, host: str, port: int, workers: int) -> None:
    """Serve the API at http://HOST:PORT/api/v1 until Ctrl+C or SIGTERM (docs at /api/v1/docs)."""
    # Opened here first even for workers: migrations run once, and a mistake is one clear message.
    with state.instance() as instance:
        click.echo(f"Serving {state.data} at http://{host}:{port}/api/v1 with {workers} worker(s)", err=True)
        if workers == 1:
            serve(instance, host, port)
            return
    if state.database is None:
        click.echo(
            "warning: on SQLite the workers take turns at one file lock and wait unevenly for it; "
            "PostgreSQL is meant for --workers above 1 (docs/cloud-deploy.md)",
            err=True,
        )
    try:
        serve_workers(state.data, state.database, workers, host, port)
    except WorkersFailed as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("provision-kiosk")
@click.option("--area", default=DEFAULT_AREA, show_default=True, help="Area the kiosk belongs to.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the code to this file."
)
@click.option(
    "--qr",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the setup QR code (.png or .svg) a kiosk scans at first start: "
    "the code and --server-url (VKPROV1:...).",
)
@click.option(
    "--offline-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a provisioning file (*.kbundle) for a kiosk with no network: kiosk register --offline-file.",
)
@click.option(
    "--server-url",
    metavar="URL",
    help="The server's address as kiosks reach it (https://...): needed with --qr; with "
    "--offline-file, the address the kiosk should use if it ever gets a network.",
)
@pass_cli
def provision_kiosk(
    state: CloudCli,
    area: str,
    out: Path | None,
    qr: Path | None,
    offline_file: Path | None,
    server_url: str | None,
) -> None:
    """Print a one-time provisioning code (KP1:...) that registers one kiosk.

    --qr with --server-url also writes the setup QR code that the kiosk's
    first-run setup scans (the server's address and the code). For a venue
    with no network, --offline-file also writes the code, the platform keys
    and the bundle key into a signed file to carry on a USB stick.
    """
    if qr is not None and qr.suffix.lower() not in (".png", ".svg"):
        raise click.UsageError("--qr must end in .png or .svg")
    if server_url is not None and offline_file is None and qr is None:
        raise click.UsageError("--server-url goes with --qr or --offline-file")
    if qr is not None and server_url is None:
        raise click.UsageError(
            "--qr needs --server-url URL: the setup QR code tells the kiosk where to register"
        )
    if server_url is not None:
        try:
            server_url = normalise_server_url(server_url)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--server-url") from exc
    with state.instance() as instance:
        try:
            if offline_file is None:
                code = new_provisioning_code(instance.store, area, instance.clock())
            else:
                code, bundle = provisioning_bundle(instance, area, instance.clock(), server_url)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--area") from exc
    # Each file holds the code, a secret until a kiosk uses it: owner-only before a byte is written.
    if offline_file is not None:
        write_bundle(bundle, offline_file)  # written owner-only, then renamed into place
        click.echo(f"provisioning file written to {offline_file}", err=True)
    click.echo(code)
    if out is not None:
        prepare_private_output(out)
        out.write_text(code + "\n", encoding="ascii")
        click.echo(f"code written to {out}", err=True)
    if qr is not None and server_url is not None:
        prepare_private_output(qr)
        save_qr(provisioning_qr_text(server_url, code), qr)
        click.echo(f"setup QR code (for {server_url}) written to {qr}", err=True)


@cli.command("import-roster")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows even when some rows are bad.")
@pass_cli
def import_roster_command(state: CloudCli, file: Path, skip_bad_rows: bool) -> None:
    """Import volunteers and organisations from CSV or JSON Lines; kiosks pull the changes.

    By default a file with any bad row imports nothing. Re-importing the same
    file changes nothing.
    """
    with state.instance() as instance:
        try:
            report = instance.store.import_roster(file, skip_bad_rows=skip_bad_rows)
        except RosterImportError as exc:
            raise click.ClickException(f"nothing imported: {exc}") from exc
    for bad in report.bad_rows:
        click.echo(f"line {bad.line}: {bad.message}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not report.imported:
        raise click.ClickException(
            f"nothing imported: {len(report.bad_rows)} bad rows (fix them, or use --skip-bad-rows)"
        )
    click.echo(
        f"{report.rows_read} rows read: {report.inserted} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.bad_rows)} bad; {report.organisations} organisations"
    )


def _print_report(report: Report) -> None:
    click.echo(f"Service hours {report.first} to {report.last}: {len(report.visits)} visits")
    for row in report.hours:
        click.echo(
            f"  {row.volunteer_id:<20} {row.name:<10} {row.visits:>4} visits {row.hours:>8.2f} h"
            + (f"  ({row.to_review} to review)" if row.to_review else "")
        )
    click.echo(f"Visits to review: {len(report.review)}")
    for visit in report.review:
        when = visit.check_in.clock.local.isoformat(timespec="minutes")
        click.echo(
            f"  {visit.volunteer_id:<20} {visit.activity_id:<16} in {when} at {visit.check_in.kiosk_id}: "
            + ", ".join(report.reasons(visit))
        )
        for detail in report.details(visit):  # presence signals: the other visit's place and times
            click.echo(f"    {detail}")
    if report.flagged:
        click.echo(f"Events in no visit: {len(report.flagged)}")
        for flagged in report.flagged:
            click.echo(f"  {flagged.event.event_id} {flagged.event.volunteer_id}: {flagged.reason.value}")


@cli.command()
@click.option("--date", "day", type=REPORT_DAY, help="One service date. Default: today.")
@click.option(
    "--from", "first", type=REPORT_DAY, help="First service date of a range (2000-01-01 to 2099-12-31)."
)
@click.option("--to", "last", type=REPORT_DAY, help="Last service date (inclusive).")
@click.option(
    "--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write the visits as CSV."
)
@pass_cli
def report(
    state: CloudCli,
    day: date | None,
    first: date | None,
    last: date | None,
    csv_file: Path | None,
) -> None:
    """Hours per volunteer from all kiosks' events, and the visits to review.

    A visit counts to the kiosk-local date of its check-in; times are the
    server-corrected times. Auto-closed and still-open visits are listed for review, and
    those that look like someone checked in for someone else (two places at once, two
    kiosks within seconds, a card after a phone pass), each with the other visit.
    Last, the records the platform lacks, of any date: per kiosk, the
    sequence numbers that never arrived or were refused.
    """
    start, end = choose_days(day, first, last, datetime.now().astimezone().date())
    with state.instance() as instance:
        result = build_report(instance.store, start, end)
        gaps = read_gap_report(instance.store)
    _print_report(result)
    for line in gap_report_lines(gaps):
        click.echo(line)
    if csv_file is not None:
        with csv_file.open("w", encoding="utf-8-sig", newline="") as out:
            rows = write_visits_csv(result, out)
        click.echo(f"{rows} visits written to {csv_file}", err=True)


for _command in (
    *cli_issue.COMMANDS,
    *cli_bundles.COMMANDS,
    *cli_staff.COMMANDS,
    *cli_passes.COMMANDS,
    *cli_receipts.COMMANDS,
):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    # Every file this program makes (databases, keys, logs, reports) is its user's alone (docs/security.md).
    owner_only_umask()
    cli(prog_name="kiosk-cloud")
