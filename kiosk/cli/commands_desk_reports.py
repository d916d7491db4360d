"""``kiosk report``: visits and hours of a day, a date range or one activity, as CSV, XLSX or PDF."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
