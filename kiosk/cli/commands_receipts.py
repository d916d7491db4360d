"""``kiosk receipt check``: the desk's check of a service receipt, on the command line.

The same answers as the desk's Receipts page (:mod:`kiosk.services.receipts`):
a receipt this kiosk signed is valid or not, with the visit and whether this
kiosk holds it and delivered it; another kiosk's receipt is for the platform
to check. Exit status: 0 valid, 1 not valid or not a readable receipt, 3 to
be checked on the platform (another kiosk's, or this kiosk has no key).
"""

from __future__ import annotations

import sys

import click

from kiosk.cli.state import CliState, pass_state
from kiosk.services.receipts import EventFinding, HeldEvent, ReceiptCheck, ReceiptVerdict, check_receipt

EXIT_VALID = 0
EXIT_NOT_VALID = 1
EXIT_CHECK_ON_PLATFORM = 3

_VERDICTS = {
    ReceiptVerdict.VALID: "VALID: this kiosk signed this receipt",
    ReceiptVerdict.INVALID: "NOT VALID: it names this kiosk but its signature does not match (altered or forged)",
    ReceiptVerdict.ANOTHER_KIOSK: "ANOTHER KIOSK: this kiosk cannot check it; check it on the platform",
    ReceiptVerdict.UNVERIFIABLE: "CANNOT CHECK: this kiosk has no device key; check it on the platform",
}
_EXIT = {
    ReceiptVerdict.VALID: EXIT_VALID,
    ReceiptVerdict.INVALID: EXIT_NOT_VALID,
    ReceiptVerdict.UNREADABLE: EXIT_NOT_VALID,
    ReceiptVerdict.ANOTHER_KIOSK: EXIT_CHECK_ON_PLATFORM,
    ReceiptVerdict.UNVERIFIABLE: EXIT_CHECK_ON_PLATFORM,
}
_FINDINGS = {
    EventFinding.HELD: "held here",
    EventFinding.UNDONE: "held here, undone afterwards",
    EventFinding.DIFFERENT: "an event with this ID differs from the receipt",
    EventFinding.MISSING: "not held here (records reset or restored?)",
}


def _event_line(event: HeldEvent | None) -> str:
    if event is None:
        return "-"
    if event.finding is EventFinding.MISSING:
        return _FINDINGS[event.finding]
    if event.rejected:
        delivery = "refused by the platform"
    elif event.delivered_utc is not None:
        delivery = f"delivered to the platform {event.delivered_utc}"
    else:
        delivery = "not delivered yet (goes with the next sync)"
    return f"{_FINDINGS[event.finding]}; {delivery}"


def describe(check: ReceiptCheck) -> list[str]:
    """The lines ``kiosk receipt check`` prints for ``check``."""
    if check.verdict is ReceiptVerdict.UNREADABLE:
        refusal = check.refusal.value if check.refusal is not None else "malformed"
        return [f"NOT A RECEIPT: {refusal}"]
    lines = [_VERDICTS[check.verdict]]
    receipt = check.receipt
    if receipt is not None:
        rows = [
            ("kiosk", receipt.kiosk_id),
            (
                "volunteer",
                f"{check.volunteer_name} ({receipt.volunteer_id})"
                if check.volunteer_name
                else receipt.volunteer_id,
            ),
            (
                "activity",
                f"{check.activity_title} ({receipt.activity_id})"
                if check.activity_title
                else receipt.activity_id,
            ),
            ("checked in", receipt.checked_in.isoformat()),
            ("checked out", receipt.checked_out.isoformat()),
            ("minutes", str(receipt.minutes)),
        ]
        if check.verdict is ReceiptVerdict.VALID:
            rows += [("check-in", _event_line(check.check_in)), ("check-out", _event_line(check.check_out))]
        if check.platform_url:
            rows.append(("platform page", check.platform_url))
        lines += [f"{key:<14} {value}" for key, value in rows]
    return lines


@click.group()
def receipt() -> None:
    """Service receipts: the signed visit a check-out card shows as a QR code."""


@receipt.command("check")
@click.argument("text")
@pass_state
def receipt_check(state: CliState, text: str) -> None:
    """Check a receipt (VR1:... or its web address) offline: valid, the visit, held and delivered here.

    Exit 0 valid, 1 not valid or unreadable, 3 another kiosk's (check it on the platform). TEXT '-' reads stdin.
    """
    kiosk = state.kiosk()
    scanned = sys.stdin.read() if text == "-" else text
    check = check_receipt(kiosk.store.writer, kiosk.kiosk_id, scanned)
    for line in describe(check):
        click.echo(line)
    if check.verdict is not ReceiptVerdict.VALID:
        raise SystemExit(_EXIT[check.verdict])


COMMANDS = [receipt]
