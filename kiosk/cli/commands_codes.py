"""``kiosk issue card|activity`` and ``kiosk verify``."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from checkin_protocol.code_output import check_qr_path, emit_code, parse_local_time
from checkin_protocol.codes.issuer import Issuer, load_private_key
from checkin_protocol.codes.tokens import ActivityCode, VolunteerCard
from checkin_protocol.models import Activity, OrgLevel, mask_name
from kiosk.cli.state import CliState, pass_state
from kiosk.demo.install import DEMO_KEY_ID, demo_key_path
from kiosk.store.activities import get_activity
from kiosk.store.roster import get_volunteer


def _issuer(state: CliState, key: Path | None, key_id: str | None) -> Issuer:
    if key is None:
        key = demo_key_path(state.config)
        if not key.exists():
            raise click.UsageError("no --key given and no demo key here; run `kiosk demo-data` or pass --key")
        key_id = key_id or DEMO_KEY_ID
    if key_id is None:
        raise click.UsageError("--key-id is required with --key")
    try:
        return Issuer(load_private_key(key), key_id)
    except (OSError, ValueError, TypeError) as exc:
        raise click.ClickException(f"cannot use the signing key {key}: {exc}") from exc


key_option = click.option(
    "--key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Ed25519 signing key (PEM). Default: the demo key of this data folder.",
)
key_id_option = click.option("--key-id", help="Key ID kiosks know the key by (required with --key).")
out_option = click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the QR code (.png or .svg).",
)


@click.group()
def issue() -> None:
    """Issue signed volunteer cards and activity codes (needs a signing key).

    Production keys live with the cloud; on a kiosk only the demo key exists.
    """


@issue.command("card")
@click.argument("volunteer_id")
@click.option("--name", help="Name to show (masked automatically). Default: from the roster.")
@click.option("--card-no", type=click.IntRange(1, 9999), default=1, show_default=True, help="Which card.")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), help="Last day the card is good.")
@key_option
@key_id_option
@out_option
@pass_state
def issue_card(
    state: CliState,
    volunteer_id: str,
    name: str | None,
    card_no: int,
    expires: datetime | None,
    key: Path | None,
    key_id: str | None,
    out: Path | None,
) -> None:
    """Issue a volunteer card and print its text (VC1:...)."""
    check_qr_path(out)
    kiosk = state.kiosk()
    if name is None:
        volunteer = get_volunteer(kiosk.store.writer, volunteer_id)
        if volunteer is None:
            raise click.UsageError(f"{volunteer_id} is not in the roster; give --name")
        name = volunteer.name
    issuer = _issuer(state, key, key_id)
    try:
        text = issuer.issue_card(
            volunteer_id,
            mask_name(name),
            card_no=card_no,
            issued_on=kiosk.clock.now().local.date(),
            expires_on=expires.date() if expires else None,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    emit_code(text, out)


@issue.command("activity")
@click.argument("activity_id")
@click.option("--title")
@click.option("--org-name")
@click.option("--org-level", type=click.Choice([level.value for level in OrgLevel]))
@click.option("--venue")
@click.option("--start", help="Start, local time: 'YYYY-MM-DD HH:MM'.")
@click.option("--end", help="End, local time: 'YYYY-MM-DD HH:MM'.")
@click.option("--category")
@click.option("--capacity", type=click.IntRange(1), help="Most volunteers on site at once.")
@click.option("--signup-required/--no-signup-required", default=None)
@click.option("--utc-offset", type=int, default=480, show_default=True, help="Minutes east of UTC.")
@key_option
@key_id_option
@out_option
@pass_state
def issue_activity(state: CliState, /, activity_id: str, **options: object) -> None:
    """Issue an activity code (VA1:...). Fields default to the activity already known here."""
    check_qr_path(options["out"])  # type: ignore[arg-type]
    kiosk = state.kiosk()
    known = get_activity(kiosk.store.writer, activity_id)
    offset = int(options["utc_offset"])  # type: ignore[call-overload]
    fields: dict[str, object] = {}
    for name in ("title", "org_name", "venue", "category", "capacity"):
        value = options[name] if options[name] is not None else (getattr(known, name) if known else None)
        fields[name] = value
    level = options["org_level"] or (known.org_level.value if known else None)
    start = (
        parse_local_time(str(options["start"]), offset)
        if options["start"]
        else (known.starts_at if known else None)
    )
    end = (
        parse_local_time(str(options["end"]), offset)
        if options["end"]
        else (known.ends_at if known else None)
    )
    signup = options["signup_required"]
    if signup is None:
        signup = known.signup_required if known else False
    missing = [n for n, v in {**fields, "org_level": level, "start": start, "end": end}.items() if v is None]
    missing = [n for n in missing if n != "capacity"]
    if missing:
        raise click.UsageError(
            f"{activity_id} is not known here; give --{', --'.join(m.replace('_', '-') for m in missing)}"
        )
    assert isinstance(start, datetime) and isinstance(end, datetime)
    if end <= start:
        raise click.UsageError("the end must be after the start")
    try:
        activity = Activity(
            activity_id=activity_id,
            title=str(fields["title"]),
            org_id=known.org_id if known else None,
            org_name=str(fields["org_name"]),
            org_level=OrgLevel(str(level)),
            venue=str(fields["venue"]),
            starts_at=start,
            ends_at=end,
            category=str(fields["category"]),
            capacity=fields["capacity"],  # type: ignore[arg-type]
            signup_required=bool(signup),
        )
        text = _issuer(state, options["key"], options["key_id"]).issue_activity(  # type: ignore[arg-type]
            activity, issued_on=kiosk.clock.now().local.date()
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    emit_code(text, options["out"])  # type: ignore[arg-type]


def _describe(token: VolunteerCard | ActivityCode) -> list[tuple[str, str]]:
    if isinstance(token, VolunteerCard):
        return [
            ("kind", "volunteer card"),
            ("volunteer", token.volunteer_id),
            ("name", token.display_name),
            ("card no.", str(token.card_no)),
            ("issued", token.issued_on.isoformat()),
            ("expires", token.expires_on.isoformat() if token.expires_on else "never"),
            ("key", token.key_id),
        ]
    a = token.activity
    return [
        ("kind", "activity code"),
        ("activity", a.activity_id),
        ("title", a.title),
        ("organisation", f"{a.org_name} ({a.org_level.value})"),
        ("venue", a.venue),
        ("time", f"{a.starts_at.isoformat()} – {a.ends_at.isoformat()}"),
        ("check-in", f"{a.checkin_opens_at.isoformat()} – {a.checkin_closes_at.isoformat()}"),
        ("category", a.category),
        ("capacity", str(a.capacity) if a.capacity is not None else "unlimited"),
        ("sign-up", "required" if a.signup_required else "not required"),
        ("key", token.key_id),
    ]


@click.command()
@click.argument("code")
@pass_state
def verify(state: CliState, code: str) -> None:
    """Tell what a code is, or exactly why it is refused (exit 1). CODE '-' reads stdin."""
    kiosk = state.kiosk()
    text = sys.stdin.read() if code == "-" else code
    result = kiosk.verifier.verify(text, today=kiosk.clock.now().local.date())
    if result.token is None:
        reason = result.refusal.value if result.refusal else "malformed"
        click.echo(f"REFUSED: {reason} ({result.detail})")
        raise SystemExit(1)
    for key, value in _describe(result.token):
        click.echo(f"{key:<13} {value}")


COMMANDS = [issue, verify]
