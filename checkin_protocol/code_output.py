"""Shared by ``kiosk issue`` and ``kiosk-cloud issue``: local times in, code text and QR images out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import click

from checkin_protocol.codes.qr_images import qr_version, save_qr
from checkin_protocol.report_days import FIRST_REPORT_DAY, LAST_REPORT_DAY

# Minutes east of UTC that a time zone can have (datetime refuses a whole day or more).
MAX_UTC_OFFSET_MIN = 24 * 60 - 1


def check_qr_path(out: Path | None) -> None:
    """Refuse an ``--out`` that is neither .png nor .svg, before anything is signed."""
    if out is not None and out.suffix.lower() not in (".png", ".svg"):
        raise click.UsageError("--out must end in .png or .svg")


def emit_code(text: str, out: Path | None) -> None:
    """Print the code's text; also write its QR image when ``out`` is given."""
    click.echo(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        save_qr(text, out)
        click.echo(f"QR code (version {qr_version(text)}) written to {out}", err=True)


def parse_local_time(value: str, offset_min: int) -> datetime:
    """'YYYY-MM-DD HH:MM' at ``offset_min`` minutes east of UTC, as an aware UTC datetime.

    The day must lie in the report range (2000-01-01 to 2099-12-31): an
    activity outside it could never be reported, and the year 1 or 9999 would
    overflow when moved to UTC.
    """
    if not -MAX_UTC_OFFSET_MIN <= offset_min <= MAX_UTC_OFFSET_MIN:
        raise click.BadParameter(
            f"--utc-offset must be between {-MAX_UTC_OFFSET_MIN} and {MAX_UTC_OFFSET_MIN} minutes, "
            f"got {offset_min} (China is 480)"
        )
    try:
        naive = datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError as exc:
        raise click.BadParameter(f"{value!r}: use YYYY-MM-DD HH:MM (local time)") from exc
    if not FIRST_REPORT_DAY <= naive.date() <= LAST_REPORT_DAY:
        raise click.BadParameter(
            f"{value} is out of range: give a time from {FIRST_REPORT_DAY} to {LAST_REPORT_DAY}"
        )
    return naive.replace(tzinfo=timezone(timedelta(minutes=offset_min))).astimezone(UTC)
