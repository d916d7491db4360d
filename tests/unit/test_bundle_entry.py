"""The bundle's entry point: no command starts the kiosk, a bare --self-test checks it, the rest passes through."""

from __future__ import annotations

import pytest

from kiosk.bundle_entry import bundle_argv


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["run"]),
        (["--data", "D:/kiosk-data"], ["--data", "D:/kiosk-data", "run"]),
        (["--data=/media/stick", "-v"], ["--data=/media/stick", "-v", "run"]),
        (["--self-test"], ["run", "--self-test"]),
        (
            ["--data", "d", "--config", "c.toml", "--self-test"],
            ["--data", "d", "--config", "c.toml", "run", "--self-test"],
        ),
        (["--version"], ["--version"]),
        (["--help"], ["--help"]),
        (["status"], ["status"]),
        (["--data", "d", "demo", "--seconds", "5"], ["--data", "d", "demo", "--seconds", "5"]),
        (["run", "--self-test"], ["run", "--self-test"]),
        (["--data"], ["--data"]),  # a folder is missing: click says so, rather than the kiosk starting
    ],
)
def test_bundle_arguments_become_kiosk_commands(argv: list[str], expected: list[str]) -> None:
    assert bundle_argv(argv) == expected
