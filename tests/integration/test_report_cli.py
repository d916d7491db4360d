"""``kiosk report`` on a real data folder: summary, CSV, XLSX, PDF and the roll-call."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from kiosk.cli.main import cli


@dataclass(frozen=True)
class Demo:
    data: Path
    activity_id: str
    checked_in: dict[str, tuple[str, str]]  # volunteer ID -> (name, organisation), from the roster


def _kiosk(data: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--data", str(data), *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """A demo kiosk where two volunteers checked in at the activity open now."""
    data = tmp_path_factory.mktemp("kiosk-data")
    code, out = _kiosk(data, "demo-data", "--volunteers", "20")
    assert code == 0, out
    match = re.search(r"open now:\s+(\S+)", out)
    assert match, out
    with (data / "demo" / "roster.csv").open(encoding="utf-8-sig") as fh:
        roster = {row["volunteer_id"]: (row["name"], row["org_name"]) for row in csv.DictReader(fh)}
    with (data / "demo" / "cards" / "cards.csv").open(encoding="utf-8-sig") as fh:
        cards = [row for row, _ in zip(csv.DictReader(fh), range(2), strict=False)]
    for card in cards:
        code, out = _kiosk(data, "scan", card["card"])
        assert code == 0 and out.startswith("CHECKED IN"), out
    return Demo(data, match.group(1), {c["volunteer_id"]: roster[c["volunteer_id"]] for c in cards})


def test_report_prints_a_summary_and_writes_csv_and_xlsx(demo: Demo, tmp_path: Path) -> None:
    code, out = _kiosk(
        demo.data, "report", "--csv", str(tmp_path / "r.csv"), "--xlsx", str(tmp_path / "r.xlsx")
    )
    assert code == 0, out
    assert "all activities: 2 visits, 2 volunteers, 0.00 h, 0 to review" in out
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["志愿者编号", "姓名", "所属组织"]
    assert {row[0]: (row[1], row[2]) for row in rows[1:-1]} == demo.checked_in
    assert rows[-1] == ["合计", "2 人", "", "2", "0.00", "0"]
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["汇总", "志愿者", "服务类别", "组织", "签到记录"]
    assert book.properties.title.startswith("志愿服务时长报表 ")
    visits = list(book["签到记录"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[1] for row in visits) == sorted(demo.checked_in)
    assert all(
        row[4] == demo.activity_id and row[8] is None and row[11] == "在场（未签退）" for row in visits
    )


def test_report_of_one_activity_writes_the_pdf_and_the_roll_call(
    demo: Demo, tmp_path: Path, qtbot: QtBot
) -> None:
    pdf, roll_call = tmp_path / "r.pdf", tmp_path / "roll.pdf"
    code, out = _kiosk(
        demo.data, "report", "--activity", demo.activity_id, "--pdf", str(pdf), "--roll-call", str(roll_call)
    )
    assert code == 0, out
    assert "2 visits, 2 volunteers" in out
    assert "roll-call of 2 people on site" in out
    for path in (pdf, roll_call):
        assert path.read_bytes().startswith(b"%PDF")
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
        assert all(volunteer_id in text for volunteer_id in demo.checked_in)


def test_other_days_and_activities_are_empty(demo: Demo) -> None:
    code, out = _kiosk(demo.data, "report", "--from", "2001-01-01", "--to", "2001-01-31")
    assert code == 0 and "2001-01-01 to 2001-01-31  all activities: 0 visits" in out  # the terminal: English


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-11-29", "--from", "2026-11-28"], "use either --date or --from/--to"),
        (["--from", "2026-11-29", "--to", "2026-11-28"], "--to is before --from"),
        (["--roll-call", "roll.pdf"], "--roll-call needs --activity"),
    ],
)
def test_report_refuses_contradictory_options(demo: Demo, args: list[str], message: str) -> None:
    code, out = _kiosk(demo.data, "report", *args)
    assert code == 2 and message in out


def test_report_of_an_unknown_activity_says_so(demo: Demo) -> None:
    code, out = _kiosk(demo.data, "report", "--activity", "NOPE")
    assert code == 1 and "unknown activity NOPE" in out


def test_a_file_that_cannot_be_written_is_explained(demo: Demo, tmp_path: Path) -> None:
    code, out = _kiosk(demo.data, "report", "--xlsx", str(tmp_path / "missing" / "r.xlsx"))
    assert code == 1 and "cannot write the report" in out
