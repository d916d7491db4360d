"""``kiosk doctor`` and ``kiosk run --self-test`` on a real data folder, as a coordinator runs them."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from checkin_protocol import __version__
from kiosk.app import build_kiosk
from kiosk.cli.main import cli
from kiosk.config import DataDir, load_config
from kiosk.services.self_test import CHECK_ORDER
from kiosk.store import sync_state as state


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kiosk-data")
    result = CliRunner().invoke(cli, ["--data", str(folder), "demo-data", "--volunteers", "20"])
    assert result.exit_code == 0, result.output
    return folder


def _kiosk(data: Path, *args: str, **env: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["--data", str(data), *args], env=env)
    return result.exit_code, result.output.splitlines()


def _line(lines: list[str], name: str) -> str:
    return next(line for line in lines if line[7:].startswith(f"{name} "))


def test_run_self_test_with_a_working_camera_passes_and_is_logged(data: Path) -> None:
    code, lines = _kiosk(data, "run", "--self-test", KIOSK_CAMERA__SOURCE="synthetic")
    assert code == 0, lines
    assert f"volunteer-kiosk {__version__}" in lines  # what a coordinator reads out on the phone
    assert _line(lines, "camera").startswith("[ok  ] camera     synthetic: picture 640×480")
    # Not registered: the cloud and the clock against it do not apply here (grey, not green).
    assert _line(lines, "cloud").startswith("[--  ] cloud      not registered")
    assert lines[-1].startswith(
        f"self-test: {len(CHECK_ORDER) - 2} ok, 0 warnings, 0 failed, 2 not used here in "
    )
    seconds = float(lines[-1].rsplit(" in ", 1)[1].removesuffix(" s"))
    assert seconds < 3
    logged = (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "self-test ok camera: synthetic: picture 640×480" in logged


def test_run_self_test_fails_without_the_camera_but_names_the_scanner(data: Path, tmp_path: Path) -> None:
    missing = str(tmp_path / "video9")
    code, lines = _kiosk(data, "run", "--self-test", KIOSK_CAMERA__DEVICE=missing)
    assert code == 1
    camera = _line(lines, "camera")
    assert camera.startswith("[FAIL] camera") and "USB barcode scanner still work" in camera
    assert "1 failed" in lines[-1]


def test_doctor_warns_about_a_missing_camera_and_passes(data: Path, tmp_path: Path) -> None:
    code, lines = _kiosk(data, "doctor", KIOSK_CAMERA__DEVICE=str(tmp_path / "video9"))
    assert code == 0
    assert _line(lines, "camera").startswith("[WARN] camera")


def _register(data: Path, server_url: str | None) -> None:
    """Pretend the kiosk registered with a cloud at ``server_url`` (None: forget it again)."""
    kiosk = build_kiosk(load_config(DataDir(data, "cli"), env={}))
    with kiosk.store.write() as db:
        state.set_value(db, state.SERVER_URL, server_url)
        state.set_value(db, state.DEVICE_ID, "D1" if server_url else None)
        state.set_value(db, state.DEVICE_SECRET, "secret" if server_url else None)
    kiosk.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_doctor_without_the_camera_and_a_cloud_that_cannot_be_reached(data: Path) -> None:
    code, lines = _kiosk(data, "doctor", "--no-camera")
    assert code == 0 and not any("] camera" in line for line in lines)
    assert _line(lines, "cloud").startswith("[--  ] cloud      not registered (offline use")
    _register(data, f"http://127.0.0.1:{_closed_port()}")
    try:
        code, lines = _kiosk(data, "doctor", "--no-camera")
        assert code == 0, "an unreachable cloud never fails the self-test: the kiosk works offline"
        assert _line(lines, "cloud").startswith("[WARN] cloud      cannot reach the server")
    finally:
        _register(data, None)
