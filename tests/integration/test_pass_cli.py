"""``kiosk scan`` with a phone pass code, on a real demo data folder and the real clock."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes.pass_codes import sign_pass_code, step_of
from checkin_protocol.codes.trust import public_bytes_b64
from kiosk.app import build_kiosk
from kiosk.cli.main import cli
from kiosk.config import DataDir, load_config
from kiosk.store import passes

PASS_ID = "P0A1B2C3D4E"


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, str, Ed25519PrivateKey]:
    """A demo data folder whose first volunteer has a phone pass; the folder, the volunteer, the phone."""
    data = tmp_path / "kiosk-data"
    result = CliRunner().invoke(cli, ["--data", str(data), "demo-data", "--volunteers", "5"])
    assert result.exit_code == 0, result.output
    with (data / "demo" / "cards" / "cards.csv").open(encoding="utf-8-sig") as fh:
        volunteer_id = next(csv.DictReader(fh))["volunteer_id"]
    phone = Ed25519PrivateKey.generate()
    kiosk = build_kiosk(load_config(DataDir(data, "cli"), env={}))
    try:
        with kiosk.store.write() as db:
            key = public_bytes_b64(phone.public_key())
            passes.upsert_pass(db, PASS_ID, volunteer_id, key, "2026-01-01T00:00:00.000+00:00", None)
    finally:
        kiosk.close()
    return data, volunteer_id, phone


def _scan(data: Path, text: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(data), "scan", text])
    return result.exit_code, result.output


def test_scan_says_what_to_do_with_a_stale_or_used_code(demo: tuple[Path, str, Ed25519PrivateKey]) -> None:
    data, volunteer_id, phone = demo
    code, out = _scan(data, sign_pass_code(PASS_ID, step_of(time.time() - 120), phone))
    assert code == 1
    assert out.strip() == (
        "REFUSED: pass_stale (the phone's code is out of date: refresh it on the phone and scan again)"
    )

    fresh = sign_pass_code(PASS_ID, step_of(time.time()), phone)
    code, out = _scan(data, fresh)
    assert code == 0 and out.startswith("CHECKED IN") and volunteer_id in out

    code, out = _scan(data, fresh)
    assert code == 1 and out.startswith("REFUSED: pass_replayed") and "next code" in out
