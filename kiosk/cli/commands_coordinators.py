"""``kiosk coordinator``: the coordinator accounts of this kiosk, each with its own PIN."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
