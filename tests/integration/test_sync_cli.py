"""``kiosk register``, ``kiosk sync`` and ``kiosk sync-status`` as a coordinator runs them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from click.testing import CliRunner
from helpers.cloud_server import RunningCloud

from kiosk.cli.main import cli


def _kiosk(data: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(data), *args])
    return result.exit_code, result.output


def _fields(out: str) -> dict[str, str]:
    """The ``name  value`` lines of a status listing."""
    pairs = (line.split("  ", 1) for line in out.splitlines() if "  " in line)
    return {name.strip(): value.strip() for name, value in pairs}


def test_register_sync_and_status_from_the_command_line(cloud: RunningCloud, tmp_path: Path) -> None:
    data = tmp_path / "kiosk"
    code, out = _kiosk(data, "sync")
    assert code != 0 and "not registered" in out

    code_file = tmp_path / "code.txt"
    code_file.write_text(f"\n{cloud.provision()}\n", encoding="utf-8")
    code, out = _kiosk(
        data, "register", "--code-file", str(code_file), "--server", cloud.base_url + "/api/v1/"
    )
    assert code == 0, out
    assert f"with {cloud.base_url}." in out and "trusted platform keys: 4" in out

    code, out = _kiosk(data, "demo-data", "--volunteers", "5")
    assert code == 0, out
    card = cloud.issuer.issue_card("V0001", "雷*霞", issued_on=date(2026, 1, 1))
    code, out = _kiosk(data, "scan", card)
    assert code == 0 and out.startswith("CHECKED IN"), out

    code, out = _kiosk(data, "sync")
    assert code == 0, out
    assert "upload: sent 1 record" in out and "waiting to sync: 0" in out and "Sync done." in out

    with cloud.store.write() as writer:
        writer.revoke("V0001", 1, "lost", datetime.now(UTC))
    code, out = _kiosk(data, "sync")
    assert code == 0 and "download: received 1 update" in out, out
    code, out = _kiosk(data, "scan", card)
    assert "revoked" in out.lower(), "the card revoked on the server must be refused after a sync"

    code, out = _kiosk(data, "sync-status")
    assert code == 0
    fields = _fields(out)
    assert fields["registered"] == "yes" and fields["server"] == cloud.base_url
    assert (fields["waiting to sync"], fields["refused by server"], fields["last error"]) == (
        "0",
        "0",
        "none",
    )
    assert fields["last sync"] != "never"


def test_a_used_code_and_a_dead_server_fail_in_plain_words(cloud: RunningCloud, tmp_path: Path) -> None:
    code_text = cloud.provision()
    assert _kiosk(tmp_path / "a", "register", code_text, "--server", cloud.base_url)[0] == 0
    code, out = _kiosk(tmp_path / "b", "register", code_text, "--server", cloud.base_url)
    assert code == 1 and "registration failed: this provisioning code was already used" in out

    code, out = _kiosk(tmp_path / "c", "register", "--server", cloud.base_url)
    assert code == 2 and "provisioning code" in out

    assert _fields(_kiosk(tmp_path / "a", "sync-status")[1])["registered"] == "yes"
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens
    assert _kiosk(tmp_path / "d", "register", cloud.provision(), "--server", dead)[0] == 1
