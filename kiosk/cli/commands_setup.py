"""``kiosk demo-data``, ``kiosk import-roster`` and ``kiosk run``."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from kiosk.cli.state import CliState, pass_state
from kiosk.demo.install import install_demo
from kiosk.store.audit import append_audit
from kiosk.store.roster_import import RosterImportError, import_roster


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


def _print_usage_hint(state: CliState) -> None:
    program = sys.argv[0] if sys.argv and sys.argv[0].endswith("kiosk") else "kiosk"
    kiosk = f"{shlex.quote(program)} --data {shlex.quote(str(state.config.data.path))}"
    cards = shlex.quote(str(state.config.demo_dir / "cards" / "cards.csv"))
    click.echo(
        "\nThe kiosk screen is not built yet; until it is, try the kiosk from the command line:\n"
        f"  {kiosk} status\n"
        f'  {kiosk} scan "$(sed -n 2p {cards} | cut -d, -f3)"\n'
        f"  {kiosk} export\n"
        f"  {kiosk} doctor\n"
        "Card and activity-code images to print or show on a phone are in the demo folder."
    )


@click.command()
@pass_state
def run(state: CliState) -> None:
    """Start the kiosk. Until the kiosk screen lands: prepares demo data and says how to try it."""
    kiosk = state.kiosk()
    has_keys = kiosk.store.writer.execute("SELECT COUNT(*) FROM trusted_keys").fetchone()[0]
    if not has_keys:
        click.echo("No trusted keys yet: installing the demo data.")
        state_ctx = click.get_current_context()
        state_ctx.invoke(demo_data, volunteers=300)
    _print_usage_hint(state)


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
    with kiosk.store.write() as db:
        append_audit(
            db,
            kiosk_id=kiosk.kiosk_id,
            action="roster.imported",
            at=kiosk.clock.now().wall_utc,
            detail={"file": file.name, "inserted": report.inserted, "updated": report.updated},
        )
    click.echo(
        f"{report.rows_read} rows read: {report.inserted} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.bad_rows)} bad; {report.organisations} organisations"
    )


COMMANDS = [demo_data, import_roster_command, run]
