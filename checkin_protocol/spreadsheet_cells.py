"""Cells for the CSV and XLSX files the project writes, made safe to open in a spreadsheet.

A name, an organisation or an ID comes from a roster or an activity that
someone else typed, so it may be ``=cmd|' /C calc'!A0``: Excel, WPS and
LibreOffice read a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (DDE payloads included), and a leading tab, carriage return or line
feed can hide such a start. Following OWASP's CSV injection guidance, text
that starts with one of :data:`FORMULA_STARTS` gets a leading ``'``, which
spreadsheets read as "this is text".

Choices:

- The full-width ``＝ ＋ － ＠`` are quoted too: WPS, common with Chinese
  coordinators, turns them into their ASCII forms.
- Text that already starts with ``'`` is quoted as well, so one leading quote
  is always ours and the original is always the cell without it.
- Only text is touched: numbers, dates, times and empty cells pass unchanged
  (a negative number is a number, not a formula). Writers hand figures over
  as numbers (``Decimal`` for a figure with fixed decimals), not as text.

Every writer passes every cell through :func:`safe_cell` (or a row through
:func:`safe_row`): ``kiosk report --csv/--xlsx``, ``kiosk export``,
``kiosk-cloud report --csv`` and the demo's roster, cards and codes. It lives
in the domain, which imports nothing of the project and no Qt or database,
because both the kiosk and the cloud write spreadsheets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar, cast

FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠'")
"""First characters that make a text cell start with a quote."""

_Cell = TypeVar("_Cell")


def safe_cell(value: _Cell) -> _Cell:
    """``value`` as a spreadsheet cell: text that would start a formula gets a leading ``'``.

    Anything that is not text (a number, a date, ``None``) is returned as it is.
    """
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return cast(_Cell, "'" + value)
    return value


def safe_row(values: Iterable[_Cell]) -> list[_Cell]:
    """A row of cells, each through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]
