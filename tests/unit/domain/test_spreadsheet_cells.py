"""``safe_cell``: the one rule every CSV and XLSX writer uses against formula injection."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from helpers.hostile_text import DDE_PAYLOADS, TRIGGERS, hostile_text, neutralised
from hypothesis import given
from hypothesis import strategies as st

from checkin_protocol.spreadsheet_cells import FORMULA_STARTS, safe_cell, safe_row


@pytest.mark.parametrize("text", [*DDE_PAYLOADS, *(t + "1+1" for t in TRIGGERS), "'quoted", "'"])
def test_text_that_would_start_a_formula_gets_a_leading_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["", "雷彩霞", "V000000001", "江城市志愿服务联合会", "a=b", " =1+1", "1-2", "合计", "5 人", "2026-11-29"],
)
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert safe_cell(text) == text


@pytest.mark.parametrize(
    "value", [-1, 0, -2.5, Decimal("-1.50"), date(2026, 11, 29), datetime(2026, 11, 29, 9, 0), None, True]
)
def test_numbers_dates_and_empty_cells_stay_what_they_are(value: object) -> None:
    # A negative number is a number in a spreadsheet, not a formula: it keeps its type and value.
    assert safe_cell(value) is value


def test_the_documented_first_characters_are_the_ones_tested() -> None:
    assert set(FORMULA_STARTS) == {*TRIGGERS, "'"}


def test_a_row_is_made_safe_cell_by_cell() -> None:
    assert safe_row(["=1+1", 3, "王芳", None]) == ["'=1+1", 3, "王芳", None]


@given(text=hostile_text)
def test_the_original_is_recoverable_and_the_cell_never_starts_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert neutralised(cell, text)
    assert cell[:1] not in TRIGGERS
    assert (cell[1:] if cell.startswith("'") else cell) == text  # one leading quote is always ours


@given(row=st.lists(hostile_text, max_size=8))
def test_a_csv_row_read_back_has_only_neutralised_cells(row: list[str]) -> None:
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(row))
    (read,) = list(csv.reader(io.StringIO(out.getvalue(), newline=""))) or [[]]
    if row == [""]:
        read = [""]  # csv writes a row of one empty cell as an empty line
    assert len(read) == len(row)
    assert all(neutralised(cell, original) for cell, original in zip(read, row, strict=True))


def test_every_module_that_writes_a_spreadsheet_uses_safe_cell() -> None:
    """A new CSV or XLSX writer must go through the same function (docs/coordinator-desk.md)."""
    root = Path(__file__).resolve().parents[3]
    writers = [
        path
        for package in ("kiosk", "cloud")
        for path in sorted((root / package).rglob("*.py"))
        if re.search(r"\bcsv\.(writer|DictWriter)\(|\bWorkbook\(\)", path.read_text(encoding="utf-8"))
    ]
    assert len(writers) >= 5, writers  # report files, export, cloud report, demo roster and install
    unsafe = [
        str(path.relative_to(root))
        for path in writers
        if "from checkin_protocol.spreadsheet_cells import" not in path.read_text(encoding="utf-8")
    ]
    assert unsafe == [], f"these write CSV/XLSX without safe_cell: {unsafe}"
