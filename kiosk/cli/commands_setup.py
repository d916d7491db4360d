"""``kiosk demo-data``, ``kiosk import-roster``, ``kiosk run``, ``kiosk setup`` and ``kiosk demo``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

import click

from checkin_protocol.roster_file import RosterImportError
from kiosk.camera.configured import configured_camera
from kiosk.cli.self_test_cli import self_test_command
from kiosk.cli.state import CliState, pass_state
from kiosk.demo.demo_cloud import demo_cloud_starter
from kiosk.demo.install import DEMO_PIN, install_demo
from kiosk.store.audit import audit_alone
from kiosk.store.roster_import import import_roster
from kiosk.store.trust import count_trusted_keys


@click.command("demo-data")
@click.option("--volunteers", type=click.IntRange(1, 100_000), default=300, show_default=True)
@pass_state
def demo_data(state: CliState, volunteers: int) -> None:
    """Install demo data: a demo signing key, a roster, activities, card and activity-code images."""
    kiosk = state.kiosk()
    report = install_demo(kiosk.config, kiosk.store, kiosk.kiosk_id, kiosk.clock.now(), volunteers)
    kiosk.reload_trust()
    click.echo(f"Demo data in {report.folder}")
    click.echo(f"  volunteers:      {report.volunteers} (roster.csv)")
    click.echo(f"  activities:      {len(report.activities)} (activity-codes/*.png, *.svg, codes.csv)")
    click.echo(f"  cards:           {report.cards_csv.parent}/*.png and {report.cards_csv.name}")
    if report.open_activity_id:
        click.echo(f"  open now:        {report.open_activity_id}")
    click.echo(f"  coordinator PIN: {DEMO_PIN} (demo only)")


def _has_trusted_keys(state: CliState) -> bool:
    return bool(count_trusted_keys(state.kiosk().store.writer))


def _start_gui(
    state: CliState,
    synthetic: bool,
    seconds: float | None,
    setup: Literal["auto", "always", "never"] = "never",
    offer_synthetic: bool = False,
) -> None:
    # The GUI is imported here so the rest of the command line works without a display.
    from kiosk.ui.qt_app import run_gui

    kiosk = state.kiosk()
    if synthetic:
        values = {section: dict(table) for section, table in kiosk.config.values.items()}
        values["camera"]["source"] = "synthetic"
        factory = configured_camera(replace(kiosk.config, values=values))
    else:
        factory = configured_camera(kiosk.config)
    code = run_gui(kiosk, factory, seconds, setup=setup, offer_synthetic=offer_synthetic)
    if code:
        raise SystemExit(code)


seconds_option = click.option(
    "--seconds", type=click.FloatRange(min=1), help="Quit after this many seconds (smoke tests, screenshots)."
)


@click.command()
@seconds_option
@click.option(
    "--self-test",
    "self_test",
    is_flag=True,
    help="Only run the self-test with the configured camera, print it and exit (1 when a check failed).",
)
@pass_state
def run(state: CliState, seconds: float | None, self_test: bool) -> None:
    """Start the kiosk screen with the configured camera (full screen; exit with the coordinator PIN).

    A kiosk that is not set up yet shows the first-run setup first: the
    language, the connection to the platform, the camera and the first
    coordinator (run it again with `kiosk setup`).

    With --self-test no window opens: the self-test runs (a missing camera
    counts as a failure), is printed and logged, and the exit code says
    whether everything needed works.
    """
    if self_test:
        raise SystemExit(self_test_command(state, camera=True, camera_required=True))
    _start_gui(state, synthetic=False, seconds=seconds, setup="auto")


@click.command("setup")
@seconds_option
@click.option(
    "--demo-camera",
    is_flag=True,
    help="Also offer the synthetic demo camera (to try the kiosk without a webcam).",
)
@pass_state
def setup_command(state: CliState, seconds: float | None, demo_camera: bool) -> None:
    """Run the first-run setup again: language, connection to the platform, camera, coordinator; then the kiosk.

    `kiosk run` shows the setup by itself the first time; this shows it on
    purpose, e.g. to choose another camera or to connect a kiosk that was
    set up offline. What is set up already is kept.
    """
    _start_gui(state, synthetic=False, seconds=seconds, setup="always", offer_synthetic=demo_camera)


def _connect_to_demo_cloud(state: CliState, base_url: str, provision: Callable[[], str]) -> None:
    """Register the kiosk with the demo's local cloud once; later runs only point it at the new port."""
    from kiosk.store import sync_state
    from kiosk.sync.client import open_sync_client

    kiosk = state.kiosk()
    with kiosk.store.write() as db:
        registered = sync_state.get_value(db, sync_state.DEVICE_ID) is not None
        if registered:
            sync_state.set_value(db, sync_state.SERVER_URL, base_url)
    if not registered:
        # The demo's cards are signed by the demo key: keep trusting it for them (never for bundles).
        open_sync_client(kiosk.store, kiosk.kiosk_id, kiosk.clock, server_url=base_url).register(
            provision(), keep_demo_key=True
        )
        kiosk.reload_trust()
    click.echo(f"Local reference cloud at {base_url}; the status bar shows records reaching it.")


@click.command()
@seconds_option
@click.option(
    "--cloud/--no-cloud",
    default=True,
    show_default=True,
    help="Also run a local reference cloud server (in demo/cloud) and sync with it.",
)
@pass_state
def demo(state: CliState, seconds: float | None, cloud: bool) -> None:
    """Install demo data if needed and start the kiosk with a synthetic camera showing demo cards.

    The demo uses a 20-second duplicate window, so each volunteer shown again
    is checked out, and syncs with a local reference cloud. Hold a printed
    demo card to a webcam with `kiosk run`.
    """
    state.override("attendance", "duplicate_window_s", 20)
    if not _has_trusted_keys(state):
        click.echo("Installing the demo data first.")
        click.get_current_context().invoke(demo_data, volunteers=300)
    start_demo_cloud = demo_cloud_starter() if cloud else None
    if cloud and start_demo_cloud is None:
        if getattr(sys, "frozen", False):  # the bundle ships the kiosk only, never the reference cloud
            click.echo("The demo runs offline: the kiosk bundle does not include a cloud server.")
        else:
            click.echo(
                "The reference cloud is not installed (pip install -e '.[cloud]'): the demo runs offline."
            )
    if start_demo_cloud is None:
        _start_gui(state, synthetic=True, seconds=seconds)
        return
    with start_demo_cloud(state.config.demo_dir / "cloud") as demo_cloud:
        _connect_to_demo_cloud(state, demo_cloud.base_url, demo_cloud.new_provisioning_code)
        _start_gui(state, synthetic=True, seconds=seconds)


@click.command("import-roster")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows even when some rows are bad.")
@pass_state
def import_roster_command(state: CliState, file: Path, skip_bad_rows: bool) -> None:
    """Import volunteers from CSV or JSON Lines; bad rows are reported by line number.

    By default a file with any bad row imports nothing. Re-importing the same
    file changes nothing.
    """
    kiosk = state.kiosk()
    try:
        report = import_roster(kiosk.store.writer, file, skip_bad_rows=skip_bad_rows)
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
    audit_alone(
        kiosk.store,
        kiosk_id=kiosk.kiosk_id,
        action="roster.imported",
        at=kiosk.clock.now().wall_utc,
        detail={"file": file.name, "inserted": report.inserted, "updated": report.updated},
    )
    click.echo(
        f"{report.rows_read} rows read: {report.inserted} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.bad_rows)} bad; {report.organisations} organisations"
    )


COMMANDS = [demo_data, import_roster_command, run, setup_command, demo]
