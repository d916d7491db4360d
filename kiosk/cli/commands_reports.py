"""``kiosk status``, ``kiosk export`` and ``kiosk doctor``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from checkin_protocol.day_options import REPORT_DAY, choose_days
from kiosk.cli.self_test_cli import self_test_command
from kiosk.cli.state import CliState, pass_state
from kiosk.services.export import visits_between, write_visits_csv
from kiosk.store import sync_state
from kiosk.store.events import pending_outbox_count
from kiosk.store.overview import store_counts


@click.command()
@pass_state
def status(state: CliState) -> None:
    """Counts, records waiting to sync, last sync, and where the data lives."""
    kiosk = state.kiosk()
    db = kiosk.store.writer
    counts = store_counts(db)
    last_sync = sync_state.get_value(db, sync_state.LAST_SUCCESS_UTC)
    report = kiosk.store.report
    lines = [
        ("kiosk", kiosk.kiosk_id),
        ("data folder", f"{kiosk.config.data.path} ({kiosk.config.data.origin})"),
        (
            "database",
            f"{report.journal_mode} journal, synchronous={report.synchronous}, on {report.filesystem}",
        ),
        ("volunteers", str(counts.volunteers)),
        ("organisations", str(counts.organisations)),
        ("activities", str(counts.activities)),
        ("open activities", str(counts.open_activities)),
        ("events", str(counts.events)),
        ("waiting to sync", str(pending_outbox_count(db))),
        ("last sync", last_sync or "never"),
        ("trusted keys", str(counts.trusted_keys)),
        ("revoked cards", str(counts.revocations)),
    ]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        click.echo(f"{key:<{width}}  {value}")


@click.command()
@click.option("--date", "day", type=REPORT_DAY, help="One day (local date). Default: today.")
@click.option("--from", "first", type=REPORT_DAY, help="First day of a range (2000-01-01 to 2099-12-31).")
@click.option("--to", "last", type=REPORT_DAY, help="Last day of a range (inclusive).")
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="CSV file to write. Default: stdout."
)
@pass_state
def export(
    state: CliState, day: date | None, first: date | None, last: date | None, out: Path | None
) -> None:
    """Export the visits of a day or a date range as CSV (UTF-8 with BOM, opens in Excel).

    A visit counts to the local date of its check-in. Open visits appear with
    an empty check-out; auto-closed ones are marked for review.
    """
    kiosk = state.kiosk()
    start, end = choose_days(day, first, last, kiosk.clock.now().local.date())
    visits = visits_between(kiosk.store.writer, start, end, kiosk.policy)
    if out is None:
        rows = write_visits_csv(kiosk.store.writer, visits, sys.stdout)
    else:
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            rows = write_visits_csv(kiosk.store.writer, visits, fh)
        click.echo(f"{rows} visits from {start} to {end} written to {out}", err=True)


@click.command()
@click.option("--full", is_flag=True, help="Full integrity check (slower) instead of the quick one.")
@click.option(
    "--camera/--no-camera",
    default=True,
    show_default=True,
    help="Open the configured camera and read a frame (--no-camera while the kiosk screen runs and holds it).",
)
@pass_state
def doctor(state: CliState, full: bool, camera: bool) -> None:
    """The self-test: data folder, database, journal mode, disk, camera, clock, cloud, audit chain, face models.

    Prints one line per check (ok, WARN, FAIL) and writes them to the log;
    exit 1 when a check failed. A missing camera is a warning here (cards by
    USB scanner still work); `kiosk run --self-test` counts it as a failure.
    """
    code = self_test_command(state, camera=camera, camera_required=False, full=full)
    if code:
        raise SystemExit(code)


COMMANDS = [status, export, doctor]
