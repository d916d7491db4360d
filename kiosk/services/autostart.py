"""Start the kiosk when the computer's user logs in, without editing a file by hand.

``kiosk autostart install | remove | status`` (``kiosk/cli/commands_autostart.py``)
fills the templates of ``resources/deploy/`` with the real place of the
running kiosk:

- Windows: a Task Scheduler task (``volunteer-kiosk-task.xml``) that runs
  ``kiosk.exe watchdog`` at logon. The filled task is written as UTF-16 LE
  with a byte-order mark (what ``schtasks`` reads without complaint) into the
  data folder and registered with ``schtasks /Create /XML``; creating it
  needs an administrator.
- Linux (and other XDG desktops): ``~/.config/autostart/volunteer-kiosk.desktop``
  whose ``Exec=`` runs ``kiosk watchdog`` (``kiosk/services/desktop_autostart.py``);
  no ``systemctl`` is involved.

The kiosk started is always the windowed ``kiosk.exe`` of the bundle's folder,
even when the command runs from ``kiosk-console.exe``; ``--data`` and
``--config`` are passed on when they are not the defaults the kiosk finds by
itself at logon. Commands run through an injectable :data:`CommandRunner`,
so the tests check the ``schtasks`` command lines with a fake.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Protocol

from checkin_protocol.private_files import CommandRunner, run_command

TASK_NAME = "Volunteer kiosk"
TASK_TEMPLATE = "volunteer-kiosk-task.xml"
#: The windowed executable of the Windows bundle (build.spec), which the task starts.
WINDOWED_EXE = "kiosk.exe"
CONSOLE_EXE = "kiosk-console.exe"
TASK_NS = "http://schemas.microsoft.com/windows/2004/02/mit/task"

#: Exit codes of ``kiosk autostart``.
OK = 0
FAILED = 1  # also: ``status`` found nothing installed
NOT_ADMIN = 3
NO_SCHTASKS = 4

# schtasks' words for "access denied" and "no such task", in English and Chinese Windows, and their HRESULTs.
_ACCESS_DENIED = ("access is denied", "拒绝访问", "存取被拒", "0x80070005")
_NOT_FOUND = ("cannot find the file specified", "找不到指定的文件", "does not exist", "0x80070002")


@dataclass(frozen=True)
class KioskProgram:
    """How to run the kiosk: the program, the folder it starts in, and the global options it needs.

    ``prefix`` is ``-m kiosk`` for a source install (the program is Python),
    empty for the bundle. ``console_executable`` is the one to type commands
    at (``kiosk-console.exe`` of the Windows bundle).
    """

    executable: str
    working_dir: str
    options: tuple[str, ...] = ()
    prefix: tuple[str, ...] = ()
    console_executable: str = ""

    @property
    def arguments(self) -> tuple[str, ...]:
        """The arguments that start the watchdog, which runs and restarts the kiosk."""
        return (*self.prefix, *self.options, "watchdog")

    def console_command(self, *words: str) -> list[str]:
        """The command line that runs ``kiosk [OPTIONS] WORDS`` at a command prompt."""
        return [self.console_executable or self.executable, *self.prefix, *self.options, *words]


@dataclass(frozen=True)
class AutostartResult:
    """What an autostart command did, in words for the terminal, and the exit code to end with."""

    exit_code: int
    message: str


class Autostart(Protocol):
    """One kind of autostart entry (a Task Scheduler task, a desktop autostart file)."""

    def install(self) -> AutostartResult: ...

    def remove(self) -> AutostartResult: ...

    def status(self) -> AutostartResult: ...


def deploy_dir() -> Path:
    """``resources/deploy``: in the source tree, or inside the frozen bundle (build.spec adds the templates)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources" / "deploy"
    return Path(__file__).resolve().parents[2] / "resources" / "deploy"


def _source_root() -> str:
    """The folder ``python -m kiosk`` finds the package in (a source install)."""
    return str(Path(__file__).resolve().parents[2])


def kiosk_program(
    options: Sequence[str] = (),
    *,
    windows: bool | None = None,
    executable: str | None = None,
    frozen: bool | None = None,
) -> KioskProgram:
    """The program that runs ``kiosk [OPTIONS] watchdog`` like the running kiosk.

    Frozen on Windows: ``kiosk.exe`` beside the running executable (the
    windowed one, also when this is ``kiosk-console.exe``). Frozen elsewhere:
    the running executable. From source: this Python (``pythonw.exe`` on
    Windows, so no console window stays open) with ``-m kiosk``.
    """
    windows = os.name == "nt" if windows is None else windows
    executable = sys.executable if executable is None else executable
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    path = PureWindowsPath(executable) if windows else PurePosixPath(executable)
    if frozen and windows:
        return KioskProgram(
            str(path.with_name(WINDOWED_EXE)),
            str(path.parent),
            tuple(options),
            console_executable=str(path.with_name(CONSOLE_EXE)),
        )
    if frozen:
        return KioskProgram(str(path), str(path.parent), tuple(options))
    windowed = path.with_name("pythonw.exe") if windows and path.name.lower() == "python.exe" else path
    return KioskProgram(
        str(windowed), _source_root(), tuple(options), ("-m", "kiosk"), console_executable=str(path)
    )


def windows_command_line(arguments: Sequence[str]) -> str:
    """``arguments`` as one Windows command line, quoted as the C runtime splits it again."""
    return subprocess.list2cmdline(list(arguments))


# --- Windows: a Task Scheduler task ------------------------------------------------------------------------------


def task_xml(template: bytes, program: KioskProgram) -> str:
    """The task of ``template`` with its ``<Exec>`` set to ``program`` (XML-escaped, Windows-quoted)."""
    root = ET.fromstring(template)  # comments are dropped: they tell how to edit the template by hand
    exec_action = root.find(f"{{{TASK_NS}}}Actions/{{{TASK_NS}}}Exec")
    if exec_action is None:
        raise ValueError("the task template has no <Actions><Exec>")
    values = {
        "Command": windows_command_line([program.executable]),
        "Arguments": windows_command_line(program.arguments),
        # Never quoted: Task Scheduler refuses a quoted "Start in" folder.
        "WorkingDirectory": program.working_dir,
    }
    for name, value in values.items():
        element = exec_action.find(f"{{{TASK_NS}}}{name}")
        if element is None:
            element = ET.SubElement(exec_action, f"{{{TASK_NS}}}{name}")
        element.text = value
    # The task namespace as the default one, as Task Scheduler writes it (ElementTree's
    # default_namespace= refuses the unqualified id= and Context= attributes).
    ET.register_namespace("", TASK_NS)
    body = ET.tostring(root, encoding="unicode")
    body = re.sub(r"\n[ \t]*(?=\n)", "", body)  # the blank lines the dropped comments left
    header = (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        "<!-- Written by `kiosk autostart install` from resources/deploy/volunteer-kiosk-task.xml.\n"
        "     Run that command again (or `kiosk autostart remove`) rather than editing this file. -->\n"
    )
    return (header + body + "\n").replace("\n", "\r\n")


def utf16_with_bom(text: str) -> bytes:
    """``text`` as UTF-16 LE with a byte-order mark: the encoding Task Scheduler's own exports use."""
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def _mentions(output: str, words: Sequence[str]) -> bool:
    folded = output.casefold()
    return any(word.casefold() in folded for word in words)


@dataclass
class WindowsTask:
    """The kiosk's Task Scheduler task, created, queried and deleted with ``schtasks``."""

    program: KioskProgram
    task_file: Path
    run: CommandRunner = run_command
    templates: Path | None = None

    def install(self) -> AutostartResult:
        """Fill the template, write it into the data folder and register it (``schtasks /Create``)."""
        template = (self.templates or deploy_dir()) / TASK_TEMPLATE
        try:
            xml = task_xml(template.read_bytes(), self.program)
            self.task_file.parent.mkdir(parents=True, exist_ok=True)
            self.task_file.write_bytes(utf16_with_bom(xml))
        except (OSError, ValueError, ET.ParseError) as exc:
            return AutostartResult(FAILED, f"Cannot write the task file {self.task_file}: {exc}")
        ran = self._schtasks("/Create", "/TN", TASK_NAME, "/XML", str(self.task_file), "/F")
        if isinstance(ran, AutostartResult):
            return ran
        code, output = ran
        if code == 0:
            return AutostartResult(
                OK,
                f'Installed the Task Scheduler task "{TASK_NAME}": at every logon it runs\n'
                f"  {self._command_line()}\n  in {self.program.working_dir}\n"
                "Log off and on again to try it. (The task file is kept in "
                f"{self.task_file}.)",
            )
        return self._failure("create", "install", code, output)

    def remove(self) -> AutostartResult:
        """Delete the task (``schtasks /Delete``); nothing to delete is not an error."""
        ran = self._schtasks("/Delete", "/TN", TASK_NAME, "/F")
        if isinstance(ran, AutostartResult):
            return ran
        code, output = ran
        if code == 0:
            return AutostartResult(OK, f'Removed the Task Scheduler task "{TASK_NAME}".')
        if _mentions(output, _NOT_FOUND):
            return AutostartResult(OK, f'There is no Task Scheduler task "{TASK_NAME}": nothing to remove.')
        return self._failure("delete", "remove", code, output)

    def status(self) -> AutostartResult:
        """Whether the task exists, as ``schtasks /Query`` shows it (exit 1 when it does not)."""
        ran = self._schtasks("/Query", "/TN", TASK_NAME)
        if isinstance(ran, AutostartResult):
            return ran
        code, output = ran
        if code == 0:
            return AutostartResult(
                OK, f'The Task Scheduler task "{TASK_NAME}" is installed:\n{output.strip()}'
            )
        if _mentions(output, _NOT_FOUND):
            return AutostartResult(
                FAILED, f'No Task Scheduler task "{TASK_NAME}": install it with `kiosk autostart install`.'
            )
        return self._failure("query", "status", code, output)

    def _command_line(self) -> str:
        return windows_command_line([self.program.executable, *self.program.arguments])

    def _schtasks(self, *args: str) -> tuple[int, str] | AutostartResult:
        try:
            return self.run(["schtasks", *args])
        except FileNotFoundError:
            instead = (
                f" Import {self.task_file} in Task Scheduler instead (Action > Import Task...)."
                if args[0] == "/Create"
                else ""
            )
            return AutostartResult(
                NO_SCHTASKS,
                "schtasks.exe, Windows' Task Scheduler command (in C:\\Windows\\System32), was not found."
                + instead,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return AutostartResult(FAILED, f"schtasks could not be run: {exc}")

    def _failure(self, verb: str, command: str, code: int, output: str) -> AutostartResult:
        said = output.strip() or f"exit {code}"
        if _mentions(output, _ACCESS_DENIED):
            again = windows_command_line(self.program.console_command("autostart", command))
            return AutostartResult(
                NOT_ADMIN,
                f"Windows refused to {verb} the task ({said}): that needs an administrator.\n"
                "Run kiosk-console.exe as administrator: open the Start menu, type cmd, right-click "
                '"Command Prompt", choose "Run as administrator", and type:\n'
                f"  {again}",
            )
        return AutostartResult(FAILED, f"schtasks could not {verb} the task: {said}")
