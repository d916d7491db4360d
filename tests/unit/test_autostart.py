"""``kiosk autostart``: the Task Scheduler task with ``schtasks`` faked, and the Linux desktop autostart entry.

The Windows side runs here with a fake frozen ``kiosk-console.exe`` under a
Chinese desktop folder with a space, and a fake ``schtasks``: what is checked
is the file written (UTF-16 LE with a byte-order mark, the template's task
with the real ``<Command>``, ``<Arguments>`` and ``<WorkingDirectory>``) and
the command lines run. Whether Task Scheduler accepts them is for the first
Windows run (docs/staying-up.md).
"""

from __future__ import annotations

import codecs
import configparser
import functools
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kiosk.cli import commands_autostart
from kiosk.cli.main import cli
from kiosk.services import autostart
from kiosk.services.autostart import (
    FAILED,
    NO_SCHTASKS,
    NOT_ADMIN,
    OK,
    TASK_NAME,
    KioskProgram,
    WindowsTask,
    deploy_dir,
    kiosk_program,
)
from kiosk.services.desktop_autostart import DesktopAutostart, autostart_dir, desktop_entry

DEPLOY = Path(__file__).resolve().parents[2] / "resources" / "deploy"
NS = {"t": autostart.TASK_NS}
STICK = r"C:\Users\张三\桌面\志愿者 签到"
DATA = r"D:\签到 数据 & 备份"
CREATED = 'SUCCESS: The scheduled task "Volunteer kiosk" has successfully been created.\r\n'
NOT_FOUND = "ERROR: The system cannot find the file specified.\r\n"


class FakeSchtasks:
    """Answers each ``schtasks`` command with the next answer, keeping the commands and the task file read."""

    def __init__(self, *answers: tuple[int, str] | OSError) -> None:
        self.answers = list(answers)
        self.commands: list[list[str]] = []
        self.task_files: list[bytes] = []

    def __call__(self, command: Sequence[str]) -> tuple[int, str]:
        self.commands.append(list(command))
        if "/XML" in command:
            self.task_files.append(Path(command[command.index("/XML") + 1]).read_bytes())
        answer = self.answers.pop(0)
        if isinstance(answer, OSError):
            raise answer
        return answer


def _program(executable: str = rf"{STICK}\kiosk-console.exe", options: Sequence[str] = ()) -> KioskProgram:
    return kiosk_program(options, windows=True, executable=executable, frozen=True)


def _task(tmp_path: Path, run: FakeSchtasks, options: Sequence[str] = ("--data", DATA)) -> WindowsTask:
    return WindowsTask(_program(options=options), tmp_path / "kiosk-data" / "volunteer-kiosk-task.xml", run)


@pytest.mark.parametrize("running", ["kiosk.exe", "kiosk-console.exe"])
def test_the_task_starts_the_windowed_kiosk_exe_of_the_running_bundle(running: str) -> None:
    program = _program(rf"{STICK}\{running}", ["--data", DATA])
    assert program.executable == rf"{STICK}\kiosk.exe"
    assert program.working_dir == STICK
    assert program.arguments == ("--data", DATA, "watchdog")
    assert program.console_command("autostart", "status") == [
        rf"{STICK}\kiosk-console.exe",
        "--data",
        DATA,
        "autostart",
        "status",
    ]


def test_from_source_on_windows_the_task_runs_pythonw_with_m_kiosk() -> None:
    program = kiosk_program([], windows=True, executable=r"C:\kiosk\.venv\Scripts\python.exe", frozen=False)
    assert program.executable == r"C:\kiosk\.venv\Scripts\pythonw.exe"
    assert program.arguments == ("-m", "kiosk", "watchdog")
    assert program.console_command("autostart", "install")[:3] == [
        r"C:\kiosk\.venv\Scripts\python.exe",
        "-m",
        "kiosk",
    ]


def test_install_writes_the_task_as_utf16_with_bom_and_registers_it(tmp_path: Path) -> None:
    schtasks = FakeSchtasks((0, CREATED))
    task = _task(tmp_path, schtasks)
    result = task.install()
    assert result.exit_code == OK, result.message
    assert schtasks.commands == [["schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(task.task_file), "/F"]]
    written = task.task_file.read_bytes()
    assert schtasks.task_files == [written]  # complete before schtasks read it
    assert written.startswith(codecs.BOM_UTF16_LE)
    text = written[2:].decode("utf-16-le")
    assert text.startswith('<?xml version="1.0" encoding="UTF-16"?>')
    assert "&amp; 备份" in text  # the & of the data folder is escaped
    root = ET.fromstring(written)  # the parser reads the BOM and the declaration
    action = root.find("t:Actions/t:Exec", NS)
    assert action is not None
    assert action.findtext("t:Command", namespaces=NS) == rf'"{STICK}\kiosk.exe"'
    assert action.findtext("t:Arguments", namespaces=NS) == f'--data "{DATA}" watchdog'
    assert action.findtext("t:WorkingDirectory", namespaces=NS) == STICK  # never quoted
    # The rest is the template's task.
    assert root.findtext("t:Triggers/t:LogonTrigger/t:Enabled", namespaces=NS) == "true"
    assert root.findtext("t:Settings/t:RestartOnFailure/t:Interval", namespaces=NS) == "PT1M"
    assert root.findtext("t:Principals/t:Principal/t:LogonType", namespaces=NS) == "InteractiveToken"
    assert root.find("t:Principals/t:Principal", NS).get("id") == "Author"  # type: ignore[union-attr]
    assert "KIOSK_DIR" not in text and r"C:\VolunteerKiosk" not in text
    assert rf'"{STICK}\kiosk.exe" --data "{DATA}" watchdog' in result.message


def test_the_default_data_folder_adds_no_option_and_a_plain_path_no_quotes(tmp_path: Path) -> None:
    task = WindowsTask(
        _program(r"E:\kiosk\kiosk-console.exe"), tmp_path / "task.xml", FakeSchtasks((0, CREATED))
    )
    assert task.install().exit_code == OK
    action = ET.fromstring(task.task_file.read_bytes()).find("t:Actions/t:Exec", NS)
    assert action is not None
    assert action.findtext("t:Command", namespaces=NS) == r"E:\kiosk\kiosk.exe"
    assert action.findtext("t:Arguments", namespaces=NS) == "watchdog"


@pytest.mark.parametrize(
    "refusal", ["ERROR: Access is denied.\r\n", "错误: 拒绝访问。\r\n"], ids=["english", "chinese"]
)
def test_access_denied_says_to_run_kiosk_console_as_administrator(tmp_path: Path, refusal: str) -> None:
    result = _task(tmp_path, FakeSchtasks((1, refusal))).install()
    assert result.exit_code == NOT_ADMIN
    assert "administrator" in result.message and refusal.strip() in result.message
    assert f'"{STICK}\\kiosk-console.exe" --data "{DATA}" autostart install' in result.message


def test_schtasks_missing_is_said_plainly_with_the_file_to_import(tmp_path: Path) -> None:
    task = _task(tmp_path, FakeSchtasks(FileNotFoundError(2, "No such file", "schtasks")))
    result = task.install()
    assert result.exit_code == NO_SCHTASKS
    assert "schtasks.exe" in result.message and str(task.task_file) in result.message
    assert task.task_file.is_file()  # still written, for Task Scheduler's Import Task


def test_any_other_schtasks_error_is_passed_on(tmp_path: Path) -> None:
    said = "ERROR: The task XML contains a value which is incorrectly formatted or out of range."
    result = _task(tmp_path, FakeSchtasks((1, said))).install()
    assert result.exit_code == FAILED and said in result.message


def test_status_queries_the_task_and_says_when_it_is_missing(tmp_path: Path) -> None:
    schtasks = FakeSchtasks((0, "Volunteer kiosk    N/A    Ready\r\n"), (1, NOT_FOUND))
    task = _task(tmp_path, schtasks)
    installed = task.status()
    assert installed.exit_code == OK and "Ready" in installed.message
    missing = task.status()
    assert missing.exit_code == FAILED and "autostart install" in missing.message
    assert schtasks.commands == [["schtasks", "/Query", "/TN", TASK_NAME]] * 2


def test_remove_deletes_the_task_and_nothing_to_remove_is_fine(tmp_path: Path) -> None:
    schtasks = FakeSchtasks((0, "SUCCESS\r\n"), (1, NOT_FOUND), (1, "ERROR: Access is denied.\r\n"))
    task = _task(tmp_path, schtasks)
    assert task.remove().exit_code == OK
    assert task.remove().exit_code == OK
    denied = task.remove()
    assert denied.exit_code == NOT_ADMIN and "autostart remove" in denied.message
    assert schtasks.commands == [["schtasks", "/Delete", "/TN", TASK_NAME, "/F"]] * 3


def test_the_templates_are_found_in_the_frozen_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert deploy_dir() == DEPLOY
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert deploy_dir() == tmp_path / "_internal" / "resources" / "deploy"


# --- Linux: the desktop autostart entry --------------------------------------------------------------------------

AWKWARD = '/media/张三/KIOSK STICK/kiosk-data "new" $HOME `x` \\ 100% it\'s'


def _read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive here
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def _unescape_string(value: str) -> str:
    """The Desktop Entry spec's string escapes undone (\\s \\n \\t \\r \\\\)."""
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    out, chars = [], iter(value)
    for char in chars:
        out.append(escapes[next(chars)] if char == "\\" else char)
    return "".join(out)


def _split_exec(command: str) -> list[str]:
    """Split ``Exec`` as the spec says: double-quoted arguments with \\" \\` \\$ \\\\ escaped, %% for %."""
    arguments: list[str] = []
    index = 0
    while index < len(command):
        if command[index] == " ":
            index += 1
            continue
        word = []
        if command[index] == '"':
            index += 1
            while command[index] != '"':
                if command[index] == "\\":
                    assert command[index + 1] in '"`$\\', command
                    index += 1
                else:
                    assert command[index] not in "`$", f"unescaped in quotes: {command}"
                word.append(command[index])
                index += 1
            index += 1
        else:
            while index < len(command) and command[index] != " ":
                word.append(command[index])
                index += 1
        arguments.append("".join(word).replace("%%", "%"))
    return arguments


def _linux_program(options: Sequence[str] = ("--data", AWKWARD)) -> KioskProgram:
    return kiosk_program(options, windows=False, executable="/media/张三/KIOSK STICK/kiosk", frozen=True)


def test_the_entry_round_trips_through_configparser_and_exec_quoting(tmp_path: Path) -> None:
    entry_file = autostart_dir({}, tmp_path / "home") / "volunteer-kiosk.desktop"
    assert entry_file == tmp_path / "home" / ".config" / "autostart" / "volunteer-kiosk.desktop"
    program = _linux_program()
    result = DesktopAutostart(program, entry_file).install()
    assert result.exit_code == OK, result.message
    entry = _read_entry(entry_file)
    assert entry["Type"] == "Application" and entry["Name[zh_CN]"] == "志愿服务签到机"
    assert entry["Terminal"] == "false"
    assert _split_exec(_unescape_string(entry["Exec"])) == [
        "/media/张三/KIOSK STICK/kiosk",
        "--data",
        AWKWARD,
        "watchdog",
    ]
    assert _unescape_string(entry["Path"]) == "/media/张三/KIOSK STICK"
    assert "KIOSK_DIR" not in entry_file.read_text(encoding="utf-8")


def test_a_plain_path_is_written_without_quotes() -> None:
    template = (DEPLOY / "volunteer-kiosk.desktop").read_text(encoding="utf-8")
    text = desktop_entry(
        template, kiosk_program([], windows=False, executable="/opt/kiosk/kiosk", frozen=True)
    )
    assert "Exec=/opt/kiosk/kiosk watchdog\n" in text and "Path=/opt/kiosk\n" in text


@pytest.mark.skipif(
    shutil.which("gio") is None or sys.platform != "linux", reason="GLib's gio is not installed"
)
def test_glib_launches_the_entry_with_the_same_arguments(tmp_path: Path) -> None:
    """GLib (GNOME's launcher code) reads the entry back: the fake kiosk records the arguments it got."""
    folder = tmp_path / "张三 的 KIOSK"
    folder.mkdir()
    fake_kiosk = folder / "kiosk $1"
    record = tmp_path / "arguments.txt"
    fake_kiosk.write_text(
        f"#!{sys.executable}\nimport os, sys\n"
        f"open({str(record)!r}, 'w', encoding='utf-8').write(repr([os.getcwd(), *sys.argv[1:]]))\n",
        encoding="utf-8",
    )
    fake_kiosk.chmod(0o700)
    program = kiosk_program(["--data", AWKWARD], windows=False, executable=str(fake_kiosk), frozen=True)
    entry_file = tmp_path / "autostart" / "volunteer-kiosk.desktop"
    assert DesktopAutostart(program, entry_file).install().exit_code == OK
    subprocess.run(["gio", "launch", str(entry_file)], check=True, timeout=30, capture_output=True)
    deadline = time.monotonic() + 20  # gio returns once the program is started
    while not (record.exists() and record.read_text(encoding="utf-8")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert record.read_text(encoding="utf-8") == repr([str(folder), "--data", AWKWARD, "watchdog"])


def test_status_and_remove_of_the_entry(tmp_path: Path) -> None:
    entry_file = tmp_path / "autostart" / "volunteer-kiosk.desktop"
    autostart_entry = DesktopAutostart(_linux_program(()), entry_file)
    assert autostart_entry.status().exit_code == FAILED
    assert autostart_entry.install().exit_code == OK
    status = autostart_entry.status()
    assert status.exit_code == OK and '"/media/张三/KIOSK STICK/kiosk" watchdog' in status.message
    assert "switched off" not in status.message
    entry_file.write_text(
        entry_file.read_text(encoding="utf-8").replace("Autostart-enabled=true", "Autostart-enabled=false"),
        encoding="utf-8",
    )
    assert "switched off" in autostart_entry.status().message
    assert autostart_entry.remove().exit_code == OK and not entry_file.exists()
    assert autostart_entry.remove().exit_code == OK


def test_xdg_config_home_is_used_when_absolute(tmp_path: Path) -> None:
    assert autostart_dir({"XDG_CONFIG_HOME": str(tmp_path)}, tmp_path / "home") == tmp_path / "autostart"
    assert autostart_dir({"XDG_CONFIG_HOME": "relative"}, tmp_path / "home") == (
        tmp_path / "home" / ".config" / "autostart"
    )


# --- the command ---------------------------------------------------------------------------------------------------


def _fake_system(monkeypatch: pytest.MonkeyPatch, **fakes: Any) -> None:
    real = commands_autostart.system_autostart
    monkeypatch.setattr(commands_autostart, "system_autostart", functools.partial(real, **fakes))


def test_the_command_on_windows_installs_with_the_data_folder_and_exits_3_when_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "签到 数据"
    schtasks = FakeSchtasks((0, CREATED), (1, "ERROR: Access is denied.\r\n"), (1, NOT_FOUND))
    _fake_system(
        monkeypatch, windows=True, executable=rf"{STICK}\kiosk-console.exe", frozen=True, run=schtasks
    )
    runner = CliRunner()
    installed = runner.invoke(cli, ["--data", str(data), "autostart", "install"])
    assert installed.exit_code == 0, installed.output
    task_file = data / "volunteer-kiosk-task.xml"
    assert schtasks.commands[0] == ["schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(task_file), "/F"]
    action = ET.fromstring(task_file.read_bytes()).find("t:Actions/t:Exec", NS)
    assert action is not None
    assert action.findtext("t:Arguments", namespaces=NS) == f'--data "{data.resolve()}" watchdog'
    refused = runner.invoke(cli, ["--data", str(data), "autostart", "remove"])
    assert refused.exit_code == NOT_ADMIN and "as administrator" in refused.stderr
    missing = runner.invoke(cli, ["--data", str(data), "autostart", "status"])
    assert missing.exit_code == FAILED and "No Task Scheduler task" in missing.stderr


def test_the_command_on_linux_passes_data_and_config_only_when_not_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    _fake_system(monkeypatch, windows=False, executable="/opt/kiosk/kiosk", frozen=True, env={}, home=home)
    entry_file = home / ".config" / "autostart" / "volunteer-kiosk.desktop"
    config = tmp_path / "site.toml"
    config.write_text("", encoding="utf-8")
    runner = CliRunner()
    data = tmp_path / "data"
    result = runner.invoke(cli, ["--data", str(data), "--config", str(config), "autostart", "install"])
    assert result.exit_code == 0, result.output
    assert _split_exec(_unescape_string(_read_entry(entry_file)["Exec"])) == [
        "/opt/kiosk/kiosk",
        "--data",
        str(data.resolve()),
        "--config",
        str(config.resolve()),
        "watchdog",
    ]
    # $KIOSK_DATA is not set at login: it is passed on too.
    result = runner.invoke(cli, ["autostart", "install"], env={"KIOSK_DATA": str(data), "KIOSK_CONFIG": ""})
    assert result.exit_code == 0, result.output
    assert _split_exec(_unescape_string(_read_entry(entry_file)["Exec"])) == [
        "/opt/kiosk/kiosk",
        "--data",
        str(data.resolve()),
        "watchdog",
    ]
    status = runner.invoke(cli, ["--data", str(data), "autostart", "status"])
    assert status.exit_code == 0 and str(entry_file) in status.output
    assert runner.invoke(cli, ["--data", str(data), "autostart", "remove"]).exit_code == 0
    assert runner.invoke(cli, ["--data", str(data), "autostart", "status"]).exit_code == FAILED
