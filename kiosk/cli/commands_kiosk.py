"""``kiosk scan``, ``kiosk undo``, ``kiosk activities`` and ``kiosk close-due``.

The command line equivalents of the kiosk screen: a USB barcode scanner typing
into a terminal can check volunteers in with ``kiosk scan -``.
"""

from __future__ import annotations

import sys

import click

from checkin_protocol.models import Method
from kiosk.cli.state import CliState, pass_state
from kiosk.services.outcome import Outcome, OutcomeKind, TotalSource
from kiosk.services.pass_scan import PASS_HINTS
from kiosk.store.activities import list_activities
from kiosk.store.events import on_site


def _total(outcome: Outcome) -> str:
    """The total as the card says it: the platform's (with its date when old) or this kiosk's own."""
    hours = f"{(outcome.total_seconds or 0) / 3600:.1f} h"
    if outcome.total_source is TotalSource.KIOSK:
        return f"total at this kiosk {hours}"
    as_of = f" (as of {outcome.total_as_of:%Y-%m-%d})" if outcome.total_as_of is not None else ""
    return f"total {hours}{as_of}"


def describe_outcome(outcome: Outcome) -> str:
    """One line for a person at a terminal (the GUI has its own, translated, texts)."""
    who = f"{outcome.display_name or ''} ({outcome.volunteer_id})" if outcome.volunteer_id else ""
    at = outcome.event.clock.local.strftime("%H:%M") if outcome.event else ""
    if outcome.kind is OutcomeKind.CHECKED_IN:
        return f"CHECKED IN  {who} at {at}  [{outcome.activity_id}]"
    if outcome.kind is OutcomeKind.CHECKED_OUT:
        visit = f"{(outcome.visit_seconds or 0) / 3600:.2f} h"
        return f"CHECKED OUT {who} at {at}, visit {visit}, {_total(outcome)}  [{outcome.activity_id}]"
    if outcome.kind is OutcomeKind.DUPLICATE and outcome.previous is not None:
        verb = "checked in" if outcome.previous.action.value == "in" else "checked out"
        when = outcome.previous.clock.local.strftime("%H:%M")
        return f"ALREADY {verb} {who} at {when} (undo: kiosk undo {outcome.previous.event_id})"
    if outcome.kind is OutcomeKind.UNDONE:
        return f"UNDONE {outcome.previous.event_id if outcome.previous else ''}"
    if outcome.kind is OutcomeKind.ACTIVITY_OPENED:
        return f"ACTIVITY OPEN {outcome.activity_id}"
    if outcome.kind is OutcomeKind.CHOOSE_ACTIVITY:
        return f"SEVERAL ACTIVITIES OPEN: choose one with --activity: {', '.join(outcome.choices)}"
    line = f"{outcome.kind.value.upper()}: {outcome.reason} {who}".rstrip()
    hint = PASS_HINTS.get(outcome.reason or "")
    return f"{line} ({hint})" if hint else line


@click.command()
@click.argument("code")
@click.option("--activity", "activity_id", help="Activity to check in at (when several are open).")
@click.option(
    "--method",
    type=click.Choice([Method.SCANNER.value, Method.QR.value]),
    default=Method.SCANNER.value,
    show_default=True,
)
@pass_state
def scan(state: CliState, code: str, activity_id: str | None, method: str) -> None:
    """Scan a card (check in or out) or an activity code (open it). CODE '-' reads lines from stdin.

    Exit status 1 when the last code was refused or could not be stored.
    """
    kiosk = state.kiosk()
    codes = (line for line in sys.stdin if line.strip()) if code == "-" else [code]
    ok = True
    for text in codes:
        outcome = kiosk.scanning.handle_code(text, Method(method), activity_id)
        click.echo(describe_outcome(outcome))
        ok = outcome.kind not in (OutcomeKind.REFUSED, OutcomeKind.FAILED, OutcomeKind.CHOOSE_ACTIVITY)
    if not ok:
        raise SystemExit(1)


@click.command()
@click.argument("event_id")
@pass_state
def undo(state: CliState, event_id: str) -> None:
    """Undo a recent check-in or check-out (within the undo window) with a compensating event."""
    kiosk = state.kiosk()
    outcome = kiosk.attendance.undo(event_id)
    click.echo(describe_outcome(outcome))
    if outcome.kind is not OutcomeKind.UNDONE:
        raise SystemExit(1)


@click.command()
@pass_state
def activities(state: CliState) -> None:
    """List the activities this kiosk knows, with their status and who is on site."""
    kiosk = state.kiosk()
    for activity in list_activities(kiosk.store.writer):
        here = len(on_site(kiosk.store.writer, activity.activity_id))
        cap = f"/{activity.capacity}" if activity.capacity else ""
        start = activity.starts_at.astimezone(kiosk.clock.now().local.tzinfo).strftime("%m-%d %H:%M")
        end = activity.ends_at.astimezone(kiosk.clock.now().local.tzinfo).strftime("%H:%M")
        click.echo(
            f"{activity.activity_id}  {activity.status.value:<9}  {start}-{end}  on site {here}{cap}  {activity.title}"
        )


@click.command("close-due")
@pass_state
def close_due(state: CliState) -> None:
    """Close activities past their end plus grace, closing forgotten check-outs for review."""
    kiosk = state.kiosk()
    for report in kiosk.attendance.close_due_activities():
        click.echo(f"closed {report.activity_id}: {report.closed_visits} open visits closed for review")


COMMANDS = [scan, undo, activities, close_due]
