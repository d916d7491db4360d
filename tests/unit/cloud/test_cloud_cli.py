"""The ``kiosk-cloud`` command: every command documented, and each doing its job on a data folder."""

from __future__ import annotations

import stat
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from helpers.images import read_image

from checkin_protocol.codes.tokens import ActivityCode, VolunteerCard
from checkin_protocol.codes.trust import KeyPurpose, RevocationList, TrustedKeys
from checkin_protocol.codes.verifier import TokenVerifier
from checkin_protocol.provisioning_qr import ProvisioningQr, parse_provisioning_qr, provisioning_qr_text
from cloud.cli import cli
from cloud.ingest import ingest
from cloud.instance import open_instance
from cloud.protocol import PushRequest
from kiosk.camera.decoder_chain import default_chain


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix}{name} "))
    return found


COMMANDS = _commands(cli)


def run(data: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args], catch_exceptions=False)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "cloud-data"
    assert run(folder, "init").exit_code == 0
    return folder


def test_the_commands_of_the_brief_exist() -> None:
    names = {name for name, _ in COMMANDS}
    assert {
        "init",
        "serve",
        "provision-kiosk",
        "issue card",
        "issue activity",
        "import-roster",
        "report",
    } <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"`kiosk-cloud {name}` has no help text"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_init_creates_keys_readable_by_the_owner_only_and_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "cloud-data"
    first = run(folder, "init")
    assert first.exit_code == 0 and first.output.startswith("Initialised")
    keys = sorted((folder / "keys").iterdir())
    # one signing key per purpose: cards p1, activity codes a1, bundles b1, provisioning files v1
    assert [k.name for k in keys] == [
        "bundle-x25519.pem",
        "platform-a1.pem",
        "platform-b1.pem",
        "platform-p1.pem",
        "platform-v1.pem",
    ]
    assert all(stat.S_IMODE(k.stat().st_mode) == 0o600 for k in keys)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in (folder, folder / "keys"))
    assert stat.S_IMODE((folder / "cloud.db").stat().st_mode) == 0o600
    contents = [k.read_bytes() for k in keys]
    second = run(folder, "init")
    assert second.exit_code == 0 and second.output.startswith("Already initialised")
    assert second.output.splitlines()[1:] == first.output.splitlines()[1:]
    assert [k.read_bytes() for k in keys] == contents


def test_commands_on_a_folder_without_init_say_to_run_init(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "none"), "provision-kiosk"])
    assert result.exit_code == 1 and "kiosk-cloud" in result.output and "init" in result.output


def test_provision_kiosk_prints_a_code_and_writes_it_and_its_qr(data: Path, tmp_path: Path) -> None:
    (tmp_path / "code.png").write_bytes(b"an old picture, readable by all")
    (tmp_path / "code.png").chmod(0o644)
    result = run(
        data,
        "provision-kiosk",
        "--area",
        "north",
        "--out",
        str(tmp_path / "code.txt"),
        "--qr",
        str(tmp_path / "code.png"),
        "--server-url",
        "https://cloud.example.org/",
    )
    assert result.exit_code == 0
    code = result.stdout.strip()
    assert code.startswith("KP1:north:") and len(code.split(":")[2]) == 32
    assert (tmp_path / "code.txt").read_text().strip() == code
    assert stat.S_IMODE((tmp_path / "code.txt").stat().st_mode) == 0o600
    # the setup QR code carries the one-time code: the owner's alone, even over a file that was wider
    assert stat.S_IMODE((tmp_path / "code.png").stat().st_mode) == 0o600
    image = read_image(tmp_path / "code.png")
    texts = [r.text for r in default_chain().decode(image)]
    assert texts == [provisioning_qr_text("https://cloud.example.org", code)]
    assert parse_provisioning_qr(texts[0]) == ProvisioningQr("https://cloud.example.org", code)
    assert run(data, "provision-kiosk", "--area", "no:colons").exit_code == 2


def test_the_setup_qr_code_needs_the_server_address(data: Path, tmp_path: Path) -> None:
    without = run(data, "provision-kiosk", "--qr", str(tmp_path / "code.svg"))
    assert without.exit_code == 2 and "--server-url" in without.output
    bad = run(data, "provision-kiosk", "--qr", str(tmp_path / "code.svg"), "--server-url", "ftp://x")
    assert bad.exit_code == 2 and "not a server address" in bad.output
    assert not (tmp_path / "code.svg").exists()
    alone = run(data, "provision-kiosk", "--server-url", "https://cloud.example.org")
    assert alone.exit_code == 2
    svg = run(
        data, "provision-kiosk", "--qr", str(tmp_path / "code.svg"), "--server-url", "http://10.0.0.2:8765"
    )
    assert svg.exit_code == 0 and (tmp_path / "code.svg").read_text().lstrip().startswith("<?xml")


def test_import_roster_then_issue_a_card_that_a_kiosk_verifies(data: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "volunteer_id,name,org_id,org_name,org_level\nV1,雷彩霞,ORG-1,城关镇,township\n", "utf-8"
    )
    imported = run(data, "import-roster", str(roster))
    assert imported.exit_code == 0 and "1 new" in imported.output

    card = run(data, "issue", "card", "V1", "--card-no", "2", "--out", str(tmp_path / "card.svg"))
    assert card.exit_code == 0 and (tmp_path / "card.svg").exists()
    with open_instance(data) as instance:
        issuer = instance.keys.card_issuer
    verifier = TokenVerifier(
        TrustedKeys([(issuer.key_id, issuer.public_key_b64, {KeyPurpose.CARD})]), RevocationList()
    )
    result = verifier.verify_card(card.stdout.splitlines()[0], date.today())
    assert isinstance(result.token, VolunteerCard)
    assert result.token.display_name == "雷*霞" and result.token.card_no == 2

    unknown = CliRunner().invoke(cli, ["--data", str(data), "issue", "card", "V404"])
    assert unknown.exit_code == 2 and "--name" in unknown.output


def test_a_roster_with_a_bad_row_imports_nothing(data: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("volunteer_id,name\nV1,王芳\nV 2,李强\n", "utf-8")
    result = CliRunner().invoke(cli, ["--data", str(data), "import-roster", str(roster)])
    assert result.exit_code == 1 and "nothing imported" in result.output
    with open_instance(data) as instance:
        assert instance.store.table_counts()["volunteers"] == 0


def test_issue_activity_signs_the_code_and_publishes_the_activity(data: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "volunteer_id,name,org_id,org_name,org_level\nV1,王芳,ORG-17,城关镇志愿者服务队,township\n", "utf-8"
    )
    run(data, "import-roster", str(roster))
    result = run(
        data,
        *("issue", "activity", "A2025-0312", "--title", "植树节义务植树", "--org", "ORG-17"),
        *("--venue", "滨河公园东门", "--start", "2025-03-12 08:30", "--end", "2025-03-12 11:30"),
        *("--category", "环境保护", "--capacity", "40", "--signup-required", "--closes-after", "60"),
    )
    assert result.exit_code == 0, result.output
    with open_instance(data) as instance:
        issuer = instance.keys.activity_issuer
        with instance.store.read() as reader:
            row = reader.row("activity", "A2025-0312")
    verifier = TokenVerifier(
        TrustedKeys([(issuer.key_id, issuer.public_key_b64, {KeyPurpose.ACTIVITY})]), RevocationList()
    )
    token = verifier.verify_activity(result.stdout.strip(), date.today()).token
    assert isinstance(token, ActivityCode)
    activity = token.activity
    assert (activity.org_name, activity.org_level.value, activity.capacity) == (
        "城关镇志愿者服务队",
        "township",
        40,
    )
    assert row is not None and row["starts_at"] == "2025-03-12T00:30:00.000+00:00"
    assert (row["org_id"], row["signup_required"], row["checkin_closes_after_start_min"]) == ("ORG-17", 1, 60)

    no_org = CliRunner().invoke(
        cli,
        [
            *("--data", str(data), "issue", "activity", "A2", "--title", "t", "--venue", "v"),
            *("--start", "2025-03-12 08:30", "--end", "2025-03-12 11:30", "--category", "c"),
        ],
    )
    assert no_org.exit_code == 2 and "--org" in no_org.output


def test_revoke_and_signup_write_what_kiosks_pull(data: Path) -> None:
    assert run(data, "revoke", "V1", "--card-no", "1", "--reason", "lost").exit_code == 0
    assert "already" in run(data, "revoke", "V1", "--card-no", "1").output
    assert run(data, "revoke", "V1").exit_code == 2
    assert run(data, "signup", "A1", "V1", "V2").exit_code == 0
    assert run(data, "signup", "A1", "V2", "--remove").exit_code == 0
    with open_instance(data) as instance:
        counts = instance.store.table_counts()
    assert (counts["revocations"], counts["signups"]) == (1, 1)


def test_report_prints_hours_and_reviews_and_writes_csv(data: Path, tmp_path: Path) -> None:
    def record(seq: int, action: str, wall: str, **extra: object) -> dict[str, object]:
        return {
            "event_id": str(uuid.uuid4()), "kiosk_id": "K1", "seq": seq, "volunteer_id": "V1",
            "activity_id": "A1", "action": action, "method": "qr", "wall_utc": wall, "utc_offset_min": 480,
            "monotonic_ns": seq * 3600 * 10**9, "boot_id": "b", "ref_event_id": None, "auto_closed": False,
            "credit_seconds": None, "actor": None, **extra,
        }  # fmt: skip

    events = [
        record(1, "in", "2026-03-12T00:30:00.000+00:00"),
        record(2, "out", "2026-03-12T01:30:00.000+00:00"),
        record(3, "in", "2026-03-12T02:30:00.000+00:00", volunteer_id="V2"),
    ]
    request = PushRequest.model_validate(
        {"batch_id": str(uuid.uuid4()), "sent_at_device": "2026-03-12T05:00:00.000+00:00", "events": events}
    )
    with open_instance(data) as instance:
        ingest(instance.store, "K1", request, datetime.now(UTC))

    csv_path = tmp_path / "visits.csv"
    result = run(data, "report", "--date", "2026-03-12", "--csv", str(csv_path))
    assert result.exit_code == 0, result.output
    assert "V1" in result.stdout and "1.00 h" in result.stdout
    assert "Visits to review: 1" in result.stdout and "open" in result.stdout
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[0].startswith("service_date,volunteer_id")
    assert run(data, "report", "--date", "2026-03-12", "--from", "2026-03-01").exit_code == 2
    assert run(data, "report", "--from", "2026-03-12", "--to", "2026-03-01").exit_code == 2


def test_serve_runs_the_server_on_the_host_and_port_given(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path, str, int]] = []
    monkeypatch.setattr(
        "cloud.cli.serve", lambda instance, host, port: calls.append((instance.data, host, port))
    )
    assert run(data, "serve", "--port", "9999").exit_code == 0
    assert calls == [(data, "127.0.0.1", 9999)]
