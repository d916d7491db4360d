"""``kiosk-cloud issue card|activity``, ``revoke`` and ``signup``: what the platform signs and publishes.

Cards and activity codes are signed with the platform key (``keys/``) by the
kiosk's own :class:`checkin_protocol.codes.issuer.Issuer`. An issued activity is also
recorded in ``activities``, and revocations and sign-ups in their tables, so
kiosks pull them with their next ``/changes``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from checkin_protocol.code_output import check_qr_path, emit_code, parse_local_time
from checkin_protocol.models import Activity, OrgLevel, mask_name
from cloud.cli_state import CloudCli, pass_cli
from cloud.protocol import format_time
from cloud.visit_projection import refresh_activity

out_option = click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the QR code (.png or .svg).",
)


@click.group()
def issue() -> None:
    """Issue signed volunteer cards and activity codes with the platform key."""


@issue.command("card")
@click.argument("volunteer_id")
@click.option("--name", help="Name to print (masked automatically). Default: from the roster.")
@click.option("--card-no", type=click.IntRange(1, 9999), default=1, show_default=True, help="Which card.")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]), help="Last day the card is good.")
@out_option
@pass_cli
def issue_card(
    state: CloudCli,
    volunteer_id: str,
    name: str | None,
    card_no: int,
    expires: datetime | None,
    out: Path | None,
) -> None:
    """Issue a volunteer card and print its text (VC1:...)."""
    check_qr_path(out)
    with state.instance() as instance:
        if name is None:
            with instance.store.read() as reader:
                row = reader.row("volunteer", volunteer_id)
            if row is None:
                raise click.UsageError(f"{volunteer_id} is not in the roster; give --name")
            name = str(row["name"])
        try:
            text = instance.keys.card_issuer.issue_card(
                volunteer_id,
                mask_name(name),
                card_no=card_no,
                issued_on=instance.clock().astimezone().date(),
                expires_on=expires.date() if expires else None,
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    emit_code(text, out)


@issue.command("activity")
@click.argument("activity_id")
@click.option("--title", required=True)
@click.option("--org", "org_id", help="Organisation ID from the roster (gives its name and level).")
@click.option("--org-name", help="Organisation name (default: from --org).")
@click.option(
    "--org-level", type=click.Choice([level.value for level in OrgLevel]), help="Default: from --org."
)
@click.option("--venue", required=True)
@click.option("--start", required=True, help="Start, local time: 'YYYY-MM-DD HH:MM'.")
@click.option("--end", required=True, help="End, local time: 'YYYY-MM-DD HH:MM'.")
@click.option("--category", required=True)
@click.option(
    "--capacity", type=click.IntRange(1), help="Most volunteers on site at once. Default: no limit."
)
@click.option("--signup-required", is_flag=True, help="Only volunteers signed up may check in.")
@click.option("--opens-before", type=click.IntRange(0, 10080), default=30, show_default=True, help="Minutes.")
@click.option(
    "--closes-after", type=click.IntRange(0, 10080), help="Minutes after the start. Default: the end."
)
@click.option(
    "--utc-offset", type=int, default=480, show_default=True, help="Minutes east of UTC of the times."
)
@out_option
@pass_cli
def issue_activity(state: CloudCli, /, activity_id: str, **options: object) -> None:
    """Issue an activity code (VA1:...) and publish the activity to kiosks."""
    out = options["out"]
    assert out is None or isinstance(out, Path)
    check_qr_path(out)
    offset = int(str(options["utc_offset"]))
    with state.instance() as instance:
        org_id = options["org_id"]
        org_name, org_level = options["org_name"], options["org_level"]
        if org_id is not None:
            with instance.store.read() as reader:
                org = reader.row("organisation", str(org_id))
            if org is None:
                raise click.UsageError(
                    f"organisation {org_id} is not in the roster; give --org-name and --org-level"
                )
            org_name, org_level = org_name or org["name"], org_level or org["level"]
        if org_name is None or org_level is None:
            raise click.UsageError("give --org, or --org-name and --org-level")
        start, end = (
            parse_local_time(str(options["start"]), offset),
            parse_local_time(str(options["end"]), offset),
        )
        if end <= start:
            raise click.UsageError("the end must be after the start")
        try:
            activity = Activity(
                activity_id=activity_id,
                title=str(options["title"]),
                org_id=None if org_id is None else str(org_id),
                org_name=str(org_name),
                org_level=OrgLevel(str(org_level)),
                venue=str(options["venue"]),
                starts_at=start,
                ends_at=end,
                category=str(options["category"]),
                capacity=None if options["capacity"] is None else int(str(options["capacity"])),
                checkin_opens_before_min=int(str(options["opens_before"])),
                checkin_closes_after_start_min=(
                    None if options["closes_after"] is None else int(str(options["closes_after"]))
                ),
                signup_required=bool(options["signup_required"]),
            )
            text = instance.keys.activity_issuer.issue_activity(
                activity, issued_on=instance.clock().astimezone().date()
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        with instance.store.write() as writer:
            writer.upsert_activity(activity_values(activity))
            # Its organisation or category may have changed (the totals cannot: written only if they differ).
            refresh_activity(writer, activity.activity_id, instance.clock())
    emit_code(text, out)


def activity_values(activity: Activity) -> dict[str, object]:
    """The ``activities`` row of an activity (the fields kiosks pull)."""
    return {
        "activity_id": activity.activity_id,
        "title": activity.title,
        "org_id": activity.org_id,
        "org_name": activity.org_name,
        "org_level": activity.org_level.value,
        "venue": activity.venue,
        "starts_at": format_time(activity.starts_at),
        "ends_at": format_time(activity.ends_at),
        "category": activity.category,
        "capacity": activity.capacity,
        "checkin_opens_before_min": activity.checkin_opens_before_min,
        "checkin_closes_after_start_min": activity.checkin_closes_after_start_min,
        "signup_required": int(activity.signup_required),
    }


@click.command()
@click.argument("volunteer_id")
@click.option("--card-no", type=click.IntRange(1, 9999), help="The card to revoke (a lost card).")
@click.option("--all-cards", is_flag=True, help="Every card of the volunteer, past and future.")
@click.option("--reason", help="Why (kept with the revocation).")
@pass_cli
def revoke(
    state: CloudCli, volunteer_id: str, card_no: int | None, all_cards: bool, reason: str | None
) -> None:
    """Revoke one card of a volunteer, or all of them; kiosks refuse it after their next pull."""
    if (card_no is None) == (not all_cards):
        raise click.UsageError("give exactly one of --card-no N and --all-cards")
    with state.instance() as instance, instance.store.write() as writer:
        added = writer.revoke(volunteer_id, card_no or 0, reason, instance.clock())
    which = "every card" if all_cards else f"card {card_no}"
    click.echo(f"{which} of {volunteer_id} {'revoked' if added else 'was revoked already'}")


@click.command()
@click.argument("activity_id")
@click.argument("volunteer_ids", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Remove these sign-ups instead.")
@pass_cli
def signup(state: CloudCli, activity_id: str, volunteer_ids: tuple[str, ...], remove: bool) -> None:
    """Sign volunteers up for an activity (or --remove them); kiosks pull the list."""
    with state.instance() as instance, instance.store.write() as writer:
        for volunteer_id in volunteer_ids:
            if remove:
                writer.remove_signup(activity_id, volunteer_id)
            else:
                writer.add_signup(activity_id, volunteer_id)
    click.echo(f"{len(volunteer_ids)} sign-ups {'removed from' if remove else 'added to'} {activity_id}")


COMMANDS = [issue, revoke, signup]
