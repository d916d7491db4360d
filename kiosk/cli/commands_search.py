"""``kiosk find``: look a volunteer up as the coordinator desk does."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
