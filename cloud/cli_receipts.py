"""``kiosk-cloud receipt check TEXT``: staff check a service receipt a volunteer brings in a dispute.

It prints what the receipt page shows (docs/receipts.md), in English and
with the volunteer's name masked as on the page: genuine or why not, the
visit, and whether the platform holds it; ``--json`` prints the answer of
``POST /api/v1/receipts/check`` instead. The exit status is 0 for a
genuine receipt whose visit the platform holds as it says, 1 for one not
synced yet or differing (to look into), 2 for a refused receipt.
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import click

from cloud.cli_state import CloudCli, pass_cli
from cloud.receipt_api import check_response
from cloud.receipt_findings import PlatformStatus, ReceiptFindings, check_receipt

_PLATFORM_LINES = {
    PlatformStatus.RECORDED: "recorded on the platform",
    PlatformStatus.AT_KIOSK: "recorded at the kiosk only: it reaches the platform when the kiosk syncs",
    PlatformStatus.DIFFERS: "the platform's records differ from the receipt: review it",
}


def _hours(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours} h {minutes:02d} min"


def finding_lines(findings: ReceiptFindings) -> list[str]:
    """The findings as the lines the command prints."""
    lines = [("genuine: " if findings.valid else "refused: ") + findings.detail]
    receipt = findings.receipt
    if receipt is None or findings.platform is None:
        return lines
    zone = timezone(timedelta(minutes=findings.utc_offset_min))
    where = "the kiosk's local time" if findings.local_time_known else "China Standard Time"
    name = f" {findings.volunteer_name}" if findings.volunteer_name else " (not in the roster)"
    activity = findings.activity_title or "(no such activity on the platform)"
    lines += [
        f"  volunteer    {receipt.volunteer_id}{name}",
        f"  activity     {receipt.activity_id} {activity}"
        + (f", {findings.venue}" if findings.venue else ""),
        f"  checked in   {receipt.checked_in.astimezone(zone):%Y-%m-%d %H:%M} ({where})",
        f"  checked out  {receipt.checked_out.astimezone(zone):%Y-%m-%d %H:%M}",
        f"  credited     {_hours(receipt.minutes * 60)}",
        f"  events       in {receipt.in_event_id}, out {receipt.out_event_id}",
        f"  platform     {_PLATFORM_LINES[findings.platform]}",
    ]
    lines += [f"    - {difference.value.replace('_', ' ')}" for difference in findings.differences]
    if findings.platform_seconds is not None:
        lines.append(f"  the platform credits {_hours(findings.platform_seconds)} for this visit")
    if findings.platform_total is not None:
        lines.append(f"  platform total {_hours(findings.platform_total.total_seconds)}")
    return lines


def exit_status(findings: ReceiptFindings) -> int:
    """0: genuine and recorded as it says; 1: genuine, not synced yet or differing; 2: refused."""
    if not findings.valid:
        return 2
    return 0 if findings.platform is PlatformStatus.RECORDED else 1


@click.group("receipt")
def receipt() -> None:
    """Service receipts volunteers scan from the kiosk's check-out card (docs/receipts.md)."""


@receipt.command("check")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer instead of lines.")
@pass_cli
def check_command(state: CloudCli, text: str, as_json: bool) -> None:
    """Check a receipt (its VR1: text or the URL of its page): genuine or not, and whether the platform has it.

    Exit status 0: genuine and recorded on the platform as it says; 1: genuine
    but not synced yet, or the platform's records differ; 2: refused.
    """
    with state.instance() as instance:
        findings = check_receipt(instance.store, text, instance.clock().astimezone(UTC))
    if as_json:
        click.echo(check_response(findings).model_dump_json(indent=2))
    else:
        for line in finding_lines(findings):
            click.echo(line)
    click.get_current_context().exit(exit_status(findings))


COMMANDS = (receipt,)
