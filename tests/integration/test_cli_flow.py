"""The command line as a coordinator would use it, on a real data folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli.main import cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("kiosk-data")
    result = CliRunner().invoke(cli, ["--data", str(data), "demo-data", "--volunteers", "60"])
    assert result.exit_code == 0, result.output
    return data


def _kiosk(data: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(data), *args], input=input)
    return result.exit_code, result.output


def _first_card(data: Path) -> tuple[str, str]:
    with (data / "demo" / "cards" / "cards.csv").open(encoding="utf-8-sig") as fh:
        row = next(csv.DictReader(fh))
    return row["volunteer_id"], row["card"]


def test_demo_data_makes_images_keys_and_an_open_activity(demo: Path) -> None:
    assert (demo / "demo" / "issuer-key.pem").exists()
    assert len(list((demo / "demo" / "cards").glob("*.png"))) == 60
    assert list((demo / "demo" / "activity-codes").glob("*.svg"))
    code, out = _kiosk(demo, "status")
    assert code == 0
    assert "volunteers" in out and "60" in out
    assert "open activities  1" in out


def test_scan_a_card_then_export_the_visit(demo: Path) -> None:
    volunteer_id, card = _first_card(demo)
    code, out = _kiosk(demo, "scan", card)
    assert code == 0 and out.startswith("CHECKED IN") and volunteer_id in out
    code, out = _kiosk(demo, "scan", card)
    assert code == 0 and out.startswith("ALREADY checked in")
    code, out = _kiosk(demo, "export")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["volunteer_id"] for r in rows] == [volunteer_id]
    assert rows[0]["check_out"] == ""


def test_a_forged_card_is_refused_and_changes_nothing(demo: Path) -> None:
    _, card = _first_card(demo)
    forged = card[:-3] + ("AAA" if not card.endswith("AAA") else "BBB")
    before = _kiosk(demo, "status")[1]
    code, out = _kiosk(demo, "scan", forged)
    assert code == 1 and "REFUSED" in out
    code, out = _kiosk(demo, "verify", "https://example.com/not-ours")
    assert code == 1 and "foreign" in out
    after = _kiosk(demo, "status")[1]
    events_line = [line for line in before.splitlines() if line.startswith("events")]
    assert events_line == [line for line in after.splitlines() if line.startswith("events")]


def test_verify_describes_an_activity_code(demo: Path) -> None:
    with (demo / "demo" / "activity-codes" / "codes.csv").open(encoding="utf-8-sig") as fh:
        row = next(csv.DictReader(fh))
    code, out = _kiosk(demo, "verify", row["code"])
    assert code == 0 and "activity code" in out and row["title"] in out


def test_doctor_passes_on_a_healthy_kiosk(demo: Path) -> None:
    code, out = _kiosk(demo, "doctor")
    assert code == 0, out
    assert "journal_mode=wal synchronous=full" in out
    assert "hash chain intact" in out


def test_import_roster_reports_bad_lines_and_imports_nothing(demo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "roster.csv"
    bad.write_text("volunteer_id,name\nV900000001,张三\n,李四\n", encoding="utf-8")
    code, out = _kiosk(demo, "import-roster", str(bad))
    assert code == 1
    assert "line 3" in out and "nothing imported" in out
    status = _kiosk(demo, "status")[1]
    assert "volunteers       60" in status


def test_a_bad_config_file_is_explained(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[attendance]\nduplicate_window_s = 'soon'\n", encoding="utf-8")
    code, out = _kiosk(tmp_path, "status")
    assert code == 1
    assert "attendance.duplicate_window_s" in out and "whole number" in out


def test_a_damaged_database_is_set_aside_and_said_clearly(tmp_path: Path) -> None:
    assert _kiosk(tmp_path, "status")[0] == 0
    (tmp_path / "kiosk.db").write_bytes(b"\x00garbage" * 4096)
    for companion in ("kiosk.db-wal", "kiosk.db-shm"):
        (tmp_path / companion).unlink(missing_ok=True)
    result = CliRunner().invoke(cli, ["--data", str(tmp_path), "status"])
    assert result.exit_code == 0
    assert "WARNING: the database was damaged" in result.output
    kept = list((tmp_path / "quarantine").glob("*/kiosk.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x00garbage" * 4096
    code, out = _kiosk(tmp_path, "doctor")
    assert code == 0 and "1 entries, hash chain intact" in out


def test_issue_refuses_a_bad_image_name_before_printing_a_card(demo: Path, tmp_path: Path) -> None:
    volunteer_id, _ = _first_card(demo)
    code, out = _kiosk(demo, "issue", "card", volunteer_id, "--out", str(tmp_path / "card.jpg"))
    assert code == 2 and "--out must end in .png or .svg" in out
    assert "VC1:" not in out
    code, out = _kiosk(demo, "issue", "card", volunteer_id, "--out", str(tmp_path / "card.svg"))
    assert code == 0 and out.startswith("VC1:") and (tmp_path / "card.svg").exists()
