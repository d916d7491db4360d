"""The OS files that keep the kiosk up (resources/deploy/) parse and carry the keys that matter."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "resources" / "deploy"
TASK_NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def _ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive here
    parser.read(path, encoding="utf-8")
    return parser


def test_the_systemd_user_unit_restarts_on_failure_only() -> None:
    unit = _ini(DEPLOY / "volunteer-kiosk.service")
    assert unit["Unit"]["Description"]
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    service = unit["Service"]
    assert service["Restart"] == "on-failure"
    assert service["ExecStart"].endswith("/kiosk run")
    assert service["ExecStart"].startswith("/")  # systemd wants an absolute path
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    text = (DEPLOY / "volunteer-kiosk.service").read_text(encoding="utf-8")
    assert "KIOSK_DIR" in text and "portable" in text  # the placeholder path is explained


def test_the_autostart_entry_runs_the_watchdog() -> None:
    entry = _ini(DEPLOY / "volunteer-kiosk.desktop")["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] and entry["Name[zh_CN]"]
    assert entry["Exec"].endswith("kiosk watchdog")
    assert entry["Terminal"] == "false"


def test_the_task_scheduler_task_starts_at_logon_and_restarts_on_failure() -> None:
    root = ET.parse(DEPLOY / "volunteer-kiosk-task.xml").getroot()
    assert root.tag == "{http://schemas.microsoft.com/windows/2004/02/mit/task}Task"
    assert root.find("t:Triggers/t:LogonTrigger/t:Enabled", TASK_NS).text == "true"  # type: ignore[union-attr]
    settings = root.find("t:Settings", TASK_NS)
    assert settings is not None
    assert settings.findtext("t:ExecutionTimeLimit", namespaces=TASK_NS) == "PT0S"
    restart = settings.find("t:RestartOnFailure", TASK_NS)
    assert restart is not None
    assert restart.findtext("t:Interval", namespaces=TASK_NS) == "PT1M"  # the schema's minimum
    assert 1 <= int(restart.findtext("t:Count", namespaces=TASK_NS) or "0") <= 255
    action = root.find("t:Actions/t:Exec", TASK_NS)
    assert action is not None
    assert action.findtext("t:Command", namespaces=TASK_NS, default="").endswith("kiosk.exe")
    assert action.findtext("t:Arguments", namespaces=TASK_NS) == "watchdog"
    principal = root.find("t:Principals/t:Principal", TASK_NS)
    assert (
        principal is not None and principal.findtext("t:LogonType", namespaces=TASK_NS) == "InteractiveToken"
    )


def test_the_windows_kiosk_mode_notes_cover_assigned_access_and_shell_launcher() -> None:
    text = (DEPLOY / "windows-kiosk-mode.txt").read_text(encoding="utf-8")
    for words in ("Assigned Access", "Shell Launcher", "SetCustomShell", "kiosk.exe", "--self-test"):
        assert words in text


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    text = (DEPLOY / "volunteer-kiosk.service").read_text(encoding="utf-8")
    unit = tmp_path / "volunteer-kiosk.service"
    # The placeholder program does not exist here; systemd checks that ExecStart can run.
    unit.write_text(text.replace("/opt/volunteer-kiosk", str(Path(sys.executable).parent)), encoding="utf-8")
    if not (Path(sys.executable).parent / "kiosk").exists():
        pytest.skip("the kiosk script is not installed beside this Python")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and not re.search(r"Unknown key '(RestartSteps|RestartMaxDelaySec)'", line)
    ]
    assert complaints == [], complaints  # systemd older than 254 only ignores the back-off keys
