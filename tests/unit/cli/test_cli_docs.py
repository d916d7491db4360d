"""Every ``kiosk`` command has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kiosk.cli.main import cli

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.extend(_commands(command, full + " "))
        else:
            found.append((full, command))
    return found


COMMANDS = _commands(cli)


def test_the_expected_commands_exist() -> None:
    names = {name for name, _ in COMMANDS}
    required = {"demo-data", "import-roster", "issue card", "issue activity", "verify", "status", "export"}
    assert required | {"doctor", "run"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_and_is_in_the_readme(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"`kiosk {name}` has no help text"
    assert f"`kiosk {name}" in README, f"`kiosk {name}` is not documented in README.md"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
