"""``kiosk receipt check``: a real data folder's receipt, checked from the command line as the desk does."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.fakes import FakeClock, add_activities, make_activity

from checkin_protocol.codes.receipts import read_receipt, sign_receipt
from checkin_protocol.models import Identity, Method
from kiosk.app import build_kiosk
from kiosk.cli.commands_receipts import EXIT_CHECK_ON_PLATFORM, EXIT_NOT_VALID
from kiosk.cli.main import cli
from kiosk.config import DataDir, load_config
from kiosk.services.outcome import OutcomeKind
from kiosk.services.receipts import IssuedReceipt, ReceiptIssuer
from kiosk.store import sync_state
from kiosk.store.device_keys import device_key
from kiosk.store.pull_changes import upsert_volunteer

LEI = Identity("V000000001", "雷*霞", Method.QR, card_no=1)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "kiosk"


@pytest.fixture
def issued(data: Path) -> IssuedReceipt:
    """A kiosk set up for a platform: 雷彩霞 checks in, stays 2 h 15 min, checks out; her receipt."""
    clock = FakeClock()
    kiosk = build_kiosk(load_config(DataDir(data, "cli"), env={}), clock=clock)
    try:
        device_key(kiosk.store.path, create=True)
        add_activities(kiosk.store, make_activity(hours=12))
        with kiosk.store.write() as db:
            sync_state.set_value(db, sync_state.SERVER_URL, "http://127.0.0.1:8765")
            upsert_volunteer(db, LEI.volunteer_id, "雷彩霞", None, None, 1)
        assert kiosk.attendance.scan(LEI, "A20261129001").kind is OutcomeKind.CHECKED_IN
        clock.advance(2 * 3600 + 15 * 60)
        out = kiosk.attendance.scan(LEI, "A20261129001")
        receipt = ReceiptIssuer().issue(kiosk.store.writer, out)
        assert receipt is not None
        return receipt
    finally:
        kiosk.close()


def _check(data: Path, text: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(data), "receipt", "check", text])
    return result.exit_code, result.output


def test_own_receipt_is_valid_with_the_visit_and_its_delivery(data: Path, issued: IssuedReceipt) -> None:
    code, output = _check(data, issued.url)
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == "VALID: this kiosk signed this receipt"
    assert "volunteer      雷彩霞 (V000000001)" in lines
    assert "minutes        135" in lines
    assert "check-out      held here; not delivered yet (goes with the next sync)" in lines
    assert f"platform page  {issued.url}" in lines


def test_altered_receipt_is_not_valid(data: Path, issued: IssuedReceipt) -> None:
    signed = read_receipt(issued.text)
    payload = replace(signed.receipt, minutes=600).to_payload()
    altered = "VR1:" + base64.b32encode(payload + signed.signature).decode().rstrip("=")
    code, output = _check(data, altered)
    assert code == EXIT_NOT_VALID
    assert output.startswith("NOT VALID: it names this kiosk but its signature does not match")
    assert "minutes        600" in output and "check-out" not in output


def test_another_kiosks_receipt_goes_to_the_platform(data: Path, issued: IssuedReceipt) -> None:
    theirs = sign_receipt(replace(issued.receipt, kiosk_id="KOTHER0001"), Ed25519PrivateKey.generate())
    code, output = _check(data, theirs)
    assert code == EXIT_CHECK_ON_PLATFORM
    assert output.startswith("ANOTHER KIOSK: this kiosk cannot check it; check it on the platform")
    assert f"platform page  HTTP://127.0.0.1:8765/R/{theirs}" in output


@pytest.mark.parametrize(
    ("text", "said"), [("hello", "foreign"), ("VR1:AAAA", "malformed"), ("VR9:AA", "unsupported_version")]
)
def test_garbage_is_not_a_receipt(data: Path, issued: IssuedReceipt, text: str, said: str) -> None:
    assert _check(data, text) == (EXIT_NOT_VALID, f"NOT A RECEIPT: {said}\n")


def test_text_from_stdin(data: Path, issued: IssuedReceipt) -> None:
    result = CliRunner().invoke(cli, ["--data", str(data), "receipt", "check", "-"], input=issued.text + "\n")
    assert result.exit_code == 0 and result.output.startswith("VALID")
