"""The Linux side of ``kiosk autostart``: an XDG autostart entry that runs ``kiosk watchdog`` at login.

The entry is ``$XDG_CONFIG_HOME/autostart/volunteer-kiosk.desktop``
(``~/.config/autostart/`` by default), filled from
``resources/deploy/volunteer-kiosk.desktop``: GNOME, KDE, Xfce, LXDE and the
others start it once per login; the watchdog restarts the kiosk after a
crash. ``Exec=`` is quoted as the Desktop Entry spec asks: an argument with
a space or another reserved character in double quotes, with ``"``, `````,
``$`` and ``\\`` escaped by a backslash, ``%`` doubled, and then the string
escapes of every value (a backslash written twice).
"""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.services.autostart import FAILED, OK, AutostartResult, KioskProgram, deploy_dir

DESKTOP_TEMPLATE = "volunteer-kiosk.desktop"
ENTRY_NAME = "volunteer-kiosk.desktop"
SYSTEMD_UNIT = "volunteer-kiosk.service"

#: Characters that make an ``Exec`` argument need quotes (the Desktop Entry spec's list).
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
_STRING_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def exec_argument(argument: str) -> str:
    """One ``Exec=`` argument, quoted as the Desktop Entry spec says (before the string escapes)."""
    if argument and not _EXEC_RESERVED.intersection(argument):
        quoted = argument
    else:
        quoted = '"' + re.sub(r'(["`$\\])', r"\\\1", argument) + '"'
    return quoted.replace("%", "%%")  # a literal % is written %% (field codes)


def exec_line(arguments: tuple[str, ...] | list[str]) -> str:
    """The command line of ``Exec=`` (quoted arguments, before the string escapes)."""
    return " ".join(exec_argument(argument) for argument in arguments)


def desktop_string(value: str) -> str:
    """``value`` with the escapes of a Desktop Entry string (backslash, newline, tab, return)."""
    return "".join(_STRING_ESCAPES.get(char, char) for char in value)


def desktop_entry(template: str, program: KioskProgram) -> str:
    """The entry of ``template`` with ``Exec=`` and ``Path=`` set to ``program``."""
    command = exec_line([program.executable, *program.arguments])
    lines = ["# Written by `kiosk autostart install`; remove it with `kiosk autostart remove`."]
    in_entry = False
    for line in template.splitlines():
        in_entry = in_entry or line.strip() == "[Desktop Entry]"
        if not in_entry:
            continue  # the template's own comments tell how to edit it by hand
        if line.startswith("Exec="):
            line = f"Exec={desktop_string(command)}"
        elif line.startswith("Path="):
            line = f"Path={desktop_string(program.working_dir)}"
        lines.append(line)
    if not in_entry:
        raise ValueError("the autostart template has no [Desktop Entry] group")
    return "\n".join(lines) + "\n"


def autostart_dir(env: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """``$XDG_CONFIG_HOME/autostart``, or ``~/.config/autostart`` (the XDG Autostart spec)."""
    env = os.environ if env is None else env
    config_home = env.get("XDG_CONFIG_HOME", "")
    if config_home and Path(config_home).is_absolute():
        return Path(config_home) / "autostart"
    return (home or Path.home()) / ".config" / "autostart"


@dataclass
class DesktopAutostart:
    """The kiosk's XDG autostart entry, written, removed and read back."""

    program: KioskProgram
    entry_file: Path
    templates: Path | None = None

    def install(self) -> AutostartResult:
        """Write the entry (replacing an older one)."""
        template = (self.templates or deploy_dir()) / DESKTOP_TEMPLATE
        try:
            text = desktop_entry(template.read_text(encoding="utf-8"), self.program)
            self.entry_file.parent.mkdir(parents=True, exist_ok=True)
            self.entry_file.write_text(text, encoding="utf-8")
        except (OSError, ValueError) as exc:
            return AutostartResult(FAILED, f"Cannot write the autostart entry {self.entry_file}: {exc}")
        message = (
            f"Installed the autostart entry {self.entry_file}: at every login the desktop runs\n"
            f"  {exec_line([self.program.executable, *self.program.arguments])}\n"
            f"  in {self.program.working_dir}\nLog out and in again to try it."
        )
        unit = self.entry_file.parent.parent / "systemd" / "user" / SYSTEMD_UNIT
        if unit.exists():
            message += f"\nNote: the systemd user unit {unit} is there too: use one of them, not both."
        return AutostartResult(OK, message)

    def remove(self) -> AutostartResult:
        """Delete the entry; none there is not an error."""
        try:
            self.entry_file.unlink()
        except FileNotFoundError:
            return AutostartResult(OK, f"There is no autostart entry {self.entry_file}: nothing to remove.")
        except OSError as exc:
            return AutostartResult(FAILED, f"Cannot remove {self.entry_file}: {exc}")
        return AutostartResult(OK, f"Removed the autostart entry {self.entry_file}.")

    def status(self) -> AutostartResult:
        """Whether the entry is there and what it starts (exit 1 when it is not there)."""
        if not self.entry_file.is_file():
            return AutostartResult(
                FAILED, f"No autostart entry {self.entry_file}: install it with `kiosk autostart install`."
            )
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
        try:
            parser.read(self.entry_file, encoding="utf-8")
            entry = parser["Desktop Entry"]
        except (OSError, KeyError, UnicodeDecodeError, configparser.Error) as exc:
            return AutostartResult(FAILED, f"The autostart entry {self.entry_file} cannot be read: {exc}")
        switched_off = entry.get("Hidden") == "true" or entry.get("X-GNOME-Autostart-enabled") == "false"
        return AutostartResult(
            OK,
            f"The autostart entry {self.entry_file} is installed"
            f"{', but switched off in the desktop settings' if switched_off else ''}. It runs\n"
            f"  {entry.get('Exec', '(nothing)')}\n  in {entry.get('Path', '(the home folder)')}",
        )
