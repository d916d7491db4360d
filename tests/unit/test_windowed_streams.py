"""The windowed ``kiosk.exe`` (PyInstaller ``console=False``): no console, so ``sys.stdout`` and ``sys.stderr`` are None.

Each entry point the windowed executable runs (a bare ``--self-test``, ``run``,
``watchdog``) is started here through the bundle's entry point
(``kiosk/bundle_entry.py``) in a Python whose four standard output streams are
set to None before anything of the kiosk is imported, as the windowed
bootloader leaves them. What must hold: nothing crashes, the exit code is the
command's, and the result reaches a file (``logs/self-test.txt``,
``kiosk.log``, ``watchdog.log``) since nothing printed can be seen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli.main import cli
from kiosk.cli.self_test_cli import FALLBACK_FILE, RESULT_FILE

WINDOWED = (
    "import sys\n"
    "sys.stdout = sys.stderr = sys.__stdout__ = sys.__stderr__ = None\n"
    "sys.argv[0] = 'kiosk'\n"
    "from kiosk.bundle_entry import main\n"
    "main()\n"
)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("windowed") / "kiosk-data"
    result = CliRunner().invoke(cli, ["--data", str(folder), "demo-data", "--volunteers", "5"])
    assert result.exit_code == 0, result.output
    return folder


def _windowed(args: list[str], tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the bundle's entry point on ``args`` with no standard streams; the OS-level output is kept."""
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_CAMERA__SOURCE": "synthetic",
        "PYTHONPATH": str(ROOT),
        # tempfile's folder, on POSIX and on Windows.
        "TMPDIR": str(tmp),
        "TEMP": str(tmp),
        "TMP": str(tmp),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", WINDOWED, *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=100,
        env=environment,
        cwd=tmp,
    )


def _no_python_error(result: subprocess.CompletedProcess[str]) -> None:
    # With sys.stderr None, Python itself reports what it could not print at the OS level.
    for words in ("Traceback", "lost sys.stderr", "Exception ignored", "Error:"):
        assert words not in result.stdout + result.stderr, result.stdout + result.stderr


def test_a_bare_self_test_leaves_its_result_in_the_logs_folder(data: Path, tmp_path: Path) -> None:
    result = _windowed(["--data", str(data), "--self-test"], tmp_path)
    assert result.returncode == 0
    _no_python_error(result)
    lines = (data / "logs" / RESULT_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("volunteer-kiosk ")
    assert any(line.startswith("[ok  ] camera     synthetic") for line in lines)
    assert lines[-1].startswith("self-test: ") and ", 0 failed," in lines[-1]
    assert "self-test ok camera: synthetic" in (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert not (tmp_path / FALLBACK_FILE).exists()


def test_a_failed_self_test_exits_1_and_says_why_in_the_file(data: Path, tmp_path: Path) -> None:
    result = _windowed(
        ["--data", str(data), "--self-test"],
        tmp_path,
        KIOSK_CAMERA__SOURCE="device",
        KIOSK_CAMERA__DEVICE=str(tmp_path / "video9"),
    )
    assert result.returncode == 1
    _no_python_error(result)
    lines = (data / "logs" / RESULT_FILE).read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("[FAIL] camera") for line in lines)
    assert "1 failed" in lines[-1]


def test_a_self_test_that_cannot_open_the_data_goes_to_the_temporary_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = _windowed(["--data", str(blocker / "kiosk-data"), "--self-test"], tmp_path)
    assert result.returncode == 1
    _no_python_error(result)
    lines = (tmp_path / FALLBACK_FILE).read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("[FAIL] access") or line.startswith("[FAIL] data") for line in lines), lines
    assert "failed" in lines[-1]


def test_the_kiosk_screen_runs_and_stops_with_no_console(data: Path, tmp_path: Path) -> None:
    result = _windowed(["--data", str(data), "run", "--seconds", "2"], tmp_path)
    assert result.returncode == 0
    _no_python_error(result)
    log = (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "kiosk GUI stopped (0)" in log


def test_the_watchdog_runs_the_kiosk_with_no_console(data: Path, tmp_path: Path) -> None:
    result = _windowed(
        ["--data", str(data), "watchdog", "--max-restarts", "1", "--", "run", "--seconds", "2"], tmp_path
    )
    assert result.returncode == 0
    _no_python_error(result)
    log = (data / "logs" / "watchdog.log").read_text(encoding="utf-8")
    assert "the kiosk exited cleanly" in log
