"""The USB journey as the platform's administrator and a venue's coordinator type it.

``kiosk-cloud provision-kiosk --offline-file`` → ``kiosk register --offline-file``
→ scans → ``kiosk export-bundle`` → ``kiosk-cloud import-bundle`` →
``kiosk import-bundle``: the records reach the cloud once, the roster and
activity reach the kiosk, and every second import changes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

from cloud.cli import cli as cloud_cli
from kiosk.cli.main import cli as kiosk_cli


def _run(command: object, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(command, list(args))  # type: ignore[arg-type]
    return result.exit_code, result.output


def _lines_with(out: str, words: str) -> list[str]:
    return [line for line in out.splitlines() if words in line]


def test_a_venue_with_no_network_runs_on_a_usb_stick(tmp_path: Path) -> None:
    cloud, kiosk, stick = tmp_path / "cloud", tmp_path / "kiosk", tmp_path / "stick"
    stick.mkdir()
    assert _run(cloud_cli, "--data", str(cloud), "init")[0] == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("volunteer_id,name,phone,org_id\nV0001,雷彩霞,13800000001,\n", encoding="utf-8")
    assert _run(cloud_cli, "--data", str(cloud), "import-roster", str(roster))[0] == 0
    china = timezone(timedelta(hours=8))  # the activity's times are Beijing time (--utc-offset 480)
    start = datetime.now(china).replace(second=0, microsecond=0) - timedelta(minutes=5)
    end = start + timedelta(hours=8)
    code, activity_code = _run(
        cloud_cli, "--data", str(cloud), "issue", "activity", "A1", "--title", "图书整理",
        "--org-name", "市图书馆", "--org-level", "city", "--venue", "市图书馆",
        "--start", f"{start:%Y-%m-%d %H:%M}", "--end", f"{end:%Y-%m-%d %H:%M}", "--category", "文化",
    )  # fmt: skip
    assert code == 0, activity_code
    code, card = _run(cloud_cli, "--data", str(cloud), "issue", "card", "V0001")
    assert code == 0, card

    setup = stick / "setup.kbundle"
    code, out = _run(
        cloud_cli, "--data", str(cloud), "provision-kiosk", "--area", "lib", "--offline-file", str(setup)
    )
    assert code == 0 and "\nKP1:lib:" in out, out
    assert setup.stat().st_mode & 0o077 == 0, "the file holds a secret code: owner only"

    code, out = _run(kiosk_cli, "--data", str(kiosk), "export-bundle", str(stick))
    assert code != 0 and "kiosk register --offline-file" in out
    code, out = _run(kiosk_cli, "--data", str(kiosk), "register", "--offline-file", str(setup))
    assert code == 0 and "set up for USB transfer (area lib)" in out, out
    code, out = _run(kiosk_cli, "--data", str(kiosk), "sync-status")
    assert "waiting for the platform's first receipt" in out

    # First trip: no records yet; the bundle registers the kiosk and asks for the roster.
    code, out = _run(kiosk_cli, "--data", str(kiosk), "export-bundle", str(stick))
    assert code == 0 and "0 records written" in out, out
    code, out = _run(cloud_cli, "--data", str(cloud), "import-bundle", str(stick))
    assert code == 0 and "kiosk registered" in out and "update for kiosk" in out, out
    code, out = _run(kiosk_cli, "--data", str(kiosk), "import-bundle", str(stick))
    assert code == 0, out
    assert _lines_with(out, "changes imported") and _lines_with(out, "receipt imported"), out

    code, out = _run(kiosk_cli, "--data", str(kiosk), "scan", activity_code.strip())
    assert code == 0 and "ACTIVITY OPEN A1" in out, out
    code, out = _run(kiosk_cli, "--data", str(kiosk), "scan", card.strip())
    assert code == 0 and out.startswith("CHECKED IN"), out

    # Second trip: the check-in goes; importing everything twice changes nothing.
    code, out = _run(kiosk_cli, "--data", str(kiosk), "export-bundle", str(stick))
    assert code == 0 and "1 records written" in out, out
    code, out = _run(cloud_cli, "--data", str(cloud), "import-bundle", str(stick))
    assert code == 0 and "1 new, 0 already here, 0 refused" in out, out
    code, again = _run(cloud_cli, "--data", str(cloud), "import-bundle", str(stick))
    assert code == 0 and "1 new" not in again and _lines_with(again, "imported before; nothing changed"), (
        again
    )
    code, out = _run(kiosk_cli, "--data", str(kiosk), "import-bundle", str(stick))
    assert code == 0 and "1 records delivered" in out and "waiting to sync: 0" in out, out
    code, out = _run(kiosk_cli, "--data", str(kiosk), "import-bundle", str(stick))
    assert code == 0 and "delivered" not in out and "waiting to sync: 0" in out, out

    code, out = _run(cloud_cli, "--data", str(cloud), "report")
    assert code == 0 and "V0001" in out and "1 visits" in out, out
    code, out = _run(kiosk_cli, "--data", str(kiosk), "sync-status")
    assert "for USB transfer (kiosk export-bundle / import-bundle)" in out and "last USB import" in out


def test_a_damaged_or_foreign_file_gets_a_clear_refusal_and_exit_1(tmp_path: Path) -> None:
    cloud, kiosk, stick = tmp_path / "cloud", tmp_path / "kiosk", tmp_path / "stick"
    stick.mkdir()
    _run(cloud_cli, "--data", str(cloud), "init")
    setup = stick / "setup.kbundle"
    _run(cloud_cli, "--data", str(cloud), "provision-kiosk", "--offline-file", str(setup))
    _run(kiosk_cli, "--data", str(kiosk), "register", "--offline-file", str(setup))
    _run(kiosk_cli, "--data", str(kiosk), "export-bundle", str(stick))
    [bundle] = stick.glob("*-events-*.kbundle")

    garbage = stick / "garbage.kbundle"
    garbage.write_bytes(b"\x89PNG\r\n not a bundle")
    code, out = _run(kiosk_cli, "--data", str(kiosk), "import-bundle", str(garbage))
    assert code == 1 and "not a kiosk bundle" in out, out
    code, out = _run(cloud_cli, "--data", str(cloud), "import-bundle", str(garbage))
    assert code == 1 and "refused: this is not a kiosk bundle" in out, out

    value = json.loads(bundle.read_bytes())
    value["created_utc"] = "2020-01-01T00:00:00.000+00:00"
    tampered = stick / "tampered.kbundle"
    tampered.write_text(json.dumps(value), encoding="utf-8")
    code, out = _run(cloud_cli, "--data", str(cloud), "import-bundle", str(tampered))
    assert code == 1 and "it was changed, or it was made for someone else" in out, out

    code, out = _run(kiosk_cli, "--data", str(kiosk), "import-bundle", str(bundle))
    assert code == 1 and "take them to the platform" in out, out
    code, out = _run(kiosk_cli, "--data", str(kiosk), "import-bundle", str(tmp_path / "unplugged"))
    assert code == 1 and "does not exist (is the USB stick plugged in?)" in out, out
    code, out = _run(cloud_cli, "--data", str(cloud), "export-changes", "--kiosk", "K-NOBODY", str(stick))
    assert code == 1 and "not registered here" in out, out
