"""``kiosk register``, ``kiosk sync`` and ``kiosk sync-status``: the cloud, from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from checkin_protocol.bundle_files import BundleError
from checkin_protocol.provisioning_qr import FAMILY, ProvisioningQrError, parse_provisioning_qr
from checkin_protocol.server_url import is_plain_http_off_machine, normalise_server_url
from kiosk.cli.state import CliState, pass_state
from kiosk.store import sync_state
from kiosk.store.database import Transaction
from kiosk.store.face_sync import rejected_records as face_rejected_records
from kiosk.store.outbox import rejected_events
from kiosk.store.trust import count_trusted_keys
from kiosk.store.usb_bundles import last_import_utc
from kiosk.sync.client import SyncClient, open_sync_client
from kiosk.sync.errors import SyncError
from kiosk.sync.gaps import missing_words
from kiosk.sync.reports import offset_words
from kiosk.sync.status import read_status
from kiosk.sync.transport import HttpTransport
from kiosk.sync.usb_setup import register_offline

REJECTED_SHOWN = 20


def _read_code_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read the provisioning code from {path}: {exc}") from exc
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    raise click.ClickException(f"{path} is empty; it should hold the provisioning code (KP1:...)")


@click.command()
@click.argument("code", required=False)
@click.option(
    "--server",
    "server",
    metavar="URL",
    help="The cloud server, e.g. https://cloud.example.org. Default: the one registered with before.",
)
@click.option(
    "--code-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the provisioning code from this file (as on a USB stick) instead of typing it.",
)
@click.option(
    "--offline-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Set up for USB transfer from a provisioning file (*.kbundle), with no network.",
)
@click.option(
    "--keep-demo-key",
    is_flag=True,
    help="Keep accepting the demo cards and activity codes (kiosk demo-data) after joining the platform.",
)
@pass_state
def register(
    state: CliState,
    code: str | None,
    server: str | None,
    code_file: Path | None,
    offline_file: Path | None,
    keep_demo_key: bool,
) -> None:
    """Register this kiosk with the cloud using a one-time provisioning code (KP1:...).

    The text of the setup QR code (VKPROV1:..., from kiosk-cloud
    provision-kiosk --qr) works too: it carries the server's address.

    With no network at the venue, use --offline-file with the provisioning
    file from the platform instead; records then travel by USB stick
    (kiosk export-bundle / import-bundle).

    A kiosk that joins a platform stops trusting the demo key (its private
    half lies in the data folder, so anyone could sign cards with it), unless
    --keep-demo-key; the demo key never signs anything but demo codes.
    """
    if offline_file is not None:
        if code is not None or code_file is not None or server is not None:
            raise click.UsageError("--offline-file goes alone (no code, --code-file or --server)")
        _register_offline(state, offline_file, keep_demo_key)
        return
    if code_file is not None and code is None:
        code_text = _read_code_file(code_file)
    elif code is not None and code_file is None:
        code_text = code
    else:
        raise click.UsageError("give the provisioning code, or --code-file FILE (not both)")
    if code_text.strip().startswith(FAMILY):
        try:
            scanned = parse_provisioning_qr(code_text)
        except ProvisioningQrError as exc:
            raise click.BadParameter(exc.message, param_hint="CODE") from exc
        code_text, server = scanned.code, server or scanned.server_url
    kiosk = state.kiosk()
    if server is None:
        server = sync_state.get_value(kiosk.store.writer, sync_state.SERVER_URL)
        if server is None:
            raise click.UsageError("give the server address: --server URL")
    try:
        url = normalise_server_url(server)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--server") from exc
    if is_plain_http_off_machine(url):
        click.secho(
            f"WARNING: {url} is not encrypted (http); use https outside a test setup.", fg="yellow", err=True
        )
    transport = HttpTransport(url)
    try:
        SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, transport).register(
            code_text, keep_demo_key=keep_demo_key
        )
    except SyncError as exc:
        raise click.ClickException(f"registration failed: {exc.message}") from exc
    finally:
        transport.close()
    kiosk.reload_trust()
    keys = count_trusted_keys(kiosk.store.writer)
    click.echo(f"Registered kiosk {kiosk.kiosk_id} with {url}.")
    click.echo(f"  trusted platform keys: {keys}")
    conflicts = sync_state.trust_conflicts(kiosk.store.writer)
    if conflicts:
        click.secho(
            f"WARNING: the server names key ID(s) {', '.join(conflicts)} with another key than this "
            "kiosk trusts; the kiosk kept its own. Ask the platform administrator.",
            fg="red",
            err=True,
        )
    click.echo("Run `kiosk sync` to upload records and download the roster now.")


def _register_offline(state: CliState, path: Path, keep_demo_key: bool) -> None:
    kiosk = state.kiosk()
    try:
        setup = register_offline(
            kiosk.store, kiosk.kiosk_id, path, kiosk.clock.now().wall_utc, keep_demo_key=keep_demo_key
        )
    except BundleError as exc:
        raise click.ClickException(f"{path.name} refused: {exc}") from exc
    kiosk.reload_trust()
    click.echo(f"Kiosk {kiosk.kiosk_id} is set up for USB transfer (area {setup.area_id}).")
    click.echo(f"  trusted platform keys: {', '.join(setup.trusted_keys)}")
    for problem in setup.problems:
        click.secho(f"WARNING: {problem}", fg="yellow", err=True)
    click.echo(
        "Run `kiosk export-bundle DIR` to write the first bundle; it registers the kiosk at the platform."
    )


@click.command()
@pass_state
def sync(state: CliState) -> None:
    """Upload waiting records and face data; download roster, activity, revocation and face updates; exit 1 on failure."""
    kiosk = state.kiosk()
    try:
        client = open_sync_client(kiosk.store, kiosk.kiosk_id, kiosk.clock)
    except SyncError as exc:
        raise click.ClickException(exc.message) from exc
    try:
        report = client.sync_once()
    finally:
        if isinstance(client.transport, HttpTransport):
            client.transport.close()
    if report.pull is not None:
        kiosk.reload_trust()  # revocations and keys just pulled apply to the next scan
    for line in report.lines():
        click.echo(line)
    status = client.status()
    click.echo(f"waiting to sync: {status.waiting}")
    if status.face_waiting:
        click.echo(f"face records waiting: {status.face_waiting}")
    if not report.ok:
        click.secho("Sync failed (see above); the records stay on this kiosk.", fg="red", err=True)
        raise SystemExit(1)
    click.echo("Sync done.")


def _registration_words(db: Transaction, online: bool) -> str:
    if online:
        return "yes"
    usb = sync_state.get_values(db, (sync_state.PROVISIONING_CODE, sync_state.BUNDLE_PUBLIC_KEY))
    if usb[sync_state.PROVISIONING_CODE] is not None:
        return "for USB transfer; waiting for the platform's first receipt (kiosk import-bundle)"
    if usb[sync_state.BUNDLE_PUBLIC_KEY] is not None:
        return "for USB transfer (kiosk export-bundle / import-bundle)"
    return "no (kiosk register CODE --server URL, or --offline-file FILE)"


@click.command("sync-status")
@pass_state
def sync_status(state: CliState) -> None:
    """Registration, records and face records waiting or refused, last sync, last error and the clock offset."""
    kiosk = state.kiosk()
    db = kiosk.store.writer
    status = read_status(db)
    offset = status.clock_offset_s
    lines = [
        ("registered", _registration_words(db, status.registered)),
        ("server", status.server_url or "-"),
        ("device", status.device_id or "-"),
        ("waiting to sync", str(status.waiting)),
        ("refused by server", str(status.rejected)),
        ("face records waiting", str(status.face_waiting)),
        ("face records refused", str(status.face_rejected)),
        ("last sync", status.last_success_utc or "never"),
        ("last attempt", status.last_attempt_utc or "never"),
        ("last error", f"{status.last_error} ({status.last_error_utc})" if status.last_error else "none"),
        ("clock", offset_words(offset) if offset is not None else "not measured yet"),
    ]
    last_import = last_import_utc(db)
    if last_import is not None:
        lines.append(("last USB import", last_import))
    if status.trust_conflicts:
        lines.append(("key conflicts", ", ".join(status.trust_conflicts)))
    if status.missing_report is not None:
        lines.append(("missing at the cloud", missing_words(status.missing_report)))
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        click.echo(f"{key:<{width}}  {value}")
    if status.rejected:
        click.echo("")
        click.echo("Records the server refused (kept on this kiosk):")
        for event_id, seq, reason in rejected_events(db, REJECTED_SHOWN):
            click.echo(f"  #{seq} {event_id}: {reason}")
        if status.rejected > REJECTED_SHOWN:
            click.echo(f"  ... and {status.rejected - REJECTED_SHOWN} more")
    if status.face_rejected:
        click.echo("")
        click.echo("Face records the server refused (kept on this kiosk; enrol or delete again to retry):")
        for record_id, kind, volunteer_id, reason in face_rejected_records(db, REJECTED_SHOWN):
            click.echo(f"  {kind} of {volunteer_id} ({record_id}): {reason}")
        if status.face_rejected > REJECTED_SHOWN:
            click.echo(f"  ... and {status.face_rejected - REJECTED_SHOWN} more")


COMMANDS = [register, sync, sync_status]
