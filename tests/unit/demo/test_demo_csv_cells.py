"""The demo's CSV files (roster, cards, activity codes) never start a formula, and its own content never needs quoting.

The roster is read back by ``kiosk import-roster``, which takes names as
written: a quote the writer added would become part of the name. So the
writer quotes like every other one, and the demo content is such that it
never has to (asserted here for the whole alphabet, not just one seed).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.hostile_text import TRIGGERS

import kiosk.demo.install
import kiosk.demo.roster
from checkin_protocol.models import Activity, OrgLevel
from checkin_protocol.spreadsheet_cells import safe_cell
from kiosk.cli.main import cli
from kiosk.demo.activities import demo_activities
from kiosk.demo.names import GIVEN_NAME_CHARS, SURNAMES
from kiosk.demo.roster import CSV_HEADER, demo_organisations, write_roster_csv

PAYLOAD = "=cmd|' /C calc'!A0"


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_no_demo_name_organisation_or_level_starts_with_a_formula_character() -> None:
    starts = {surname[0] for surname, _ in SURNAMES} | set(GIVEN_NAME_CHARS)
    assert not starts & {*TRIGGERS, "'"}
    for org in demo_organisations():
        assert safe_cell(org.org_id) == org.org_id and safe_cell(org.name) == org.name
    assert all(safe_cell(level.value) == level.value for level in OrgLevel)


def test_a_generated_roster_is_written_exactly_as_generated(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    write_roster_csv(path, 5000, seed=11)
    rows = _cells(path)
    assert rows[0] == list(CSV_HEADER)
    assert all(safe_cell(cell) == cell for row in rows for cell in row)


def _hostile_activities(now: datetime, tz_offset_min: int = 480) -> list[Activity]:
    return [replace(a, title=PAYLOAD) for a in demo_activities(now, tz_offset_min)]


def test_the_demo_files_quote_a_cell_that_would_start_a_formula(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kiosk.demo.roster, "random_name", lambda rng: "@1+1" + rng.choice("甲乙"))
    monkeypatch.setattr(kiosk.demo.install, "demo_activities", _hostile_activities)
    result = CliRunner().invoke(cli, ["--data", str(tmp_path), "demo-data", "--volunteers", "3"])
    assert result.exit_code == 0, result.output
    demo = tmp_path / "demo"
    roster, cards, codes = (
        _cells(demo / "roster.csv"),
        _cells(demo / "cards" / "cards.csv"),
        _cells(demo / "activity-codes" / "codes.csv"),
    )
    for rows in (roster, cards, codes):
        assert all(cell[:1] not in TRIGGERS for row in rows for cell in row), rows
    assert {row[1] for row in roster[1:]} <= {"'@1+1甲", "'@1+1乙"}
    assert all(row[1].startswith("'") for row in cards[1:])  # a masked name keeps its first character
    assert {row[1] for row in codes[1:]} == {"'" + PAYLOAD}
