"""Every day option of ``kiosk report``, ``kiosk export`` and ``kiosk issue activity`` is checked.

A day outside 2000-01-01..2099-12-31, a day that does not exist or a range
that ends before it starts is a usage error (exit 2) that says what to type,
never an ``OverflowError`` traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from checkin_protocol.code_output import parse_local_time
from kiosk.cli.main import cli


def _kiosk(data: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--data", str(data), *args])


OUT_OF_RANGE = [
    (
        ["--date", "9999-12-31"],
        "'--date': 9999-12-31 is out of range: give a day from 2000-01-01 to 2099-12-31",
    ),
    (["--date", "0001-01-01"], "'--date': 0001-01-01 is out of range"),
    (["--from", "0001-01-01", "--to", "9999-12-31"], "'--from': 0001-01-01 is out of range"),
    (["--to", "2100-01-01"], "'--to': 2100-01-01 is out of range"),
    (["--date", "1999-12-31"], "'--date': 1999-12-31 is out of range"),
    (["--date", "2026-02-30"], "'--date': '2026-02-30' is not a date: use YYYY-MM-DD, e.g. 2026-11-29"),
    (["--from", "29/11/2026"], "'--from': '29/11/2026' is not a date"),
    (
        ["--from", "2026-11-29", "--to", "2026-11-28"],
        "--to is before --from (2026-11-28 is before 2026-11-29)",
    ),
    (["--date", "2026-11-29", "--from", "2026-11-28"], "use either --date or --from/--to"),
]


@pytest.mark.parametrize("command", ["report", "export"])
@pytest.mark.parametrize(("args", "message"), OUT_OF_RANGE)
def test_a_day_out_of_range_is_a_usage_error_that_says_what_to_type(
    tmp_path: Path, command: str, args: list[str], message: str
) -> None:
    result = _kiosk(tmp_path / "data", command, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output, result.output
    assert not isinstance(result.exception, OverflowError)


@pytest.mark.parametrize("command", ["report", "export"])
def test_the_first_and_the_last_day_of_the_range_are_accepted(tmp_path: Path, command: str) -> None:
    result = _kiosk(tmp_path / "data", command, "--from", "2000-01-01", "--to", "2099-12-31")
    assert result.exit_code == 0, result.output


def test_to_alone_before_today_names_today_as_the_first_day(tmp_path: Path) -> None:
    result = _kiosk(tmp_path / "data", "report", "--to", "2000-01-01")
    assert result.exit_code == 2
    assert "--to is before --from (2000-01-01 is before" in result.output
    assert "--from defaults to today" in result.output


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0001-01-01 00:00", "0001-01-01 00:00 is out of range: give a time from 2000-01-01 to 2099-12-31"),
        ("9999-12-31 23:59", "9999-12-31 23:59 is out of range"),
        ("2026-13-01 09:00", "'2026-13-01 09:00': use YYYY-MM-DD HH:MM (local time)"),
    ],
)
def test_an_activity_time_out_of_range_is_a_bad_parameter(value: str, message: str) -> None:
    with pytest.raises(click.BadParameter, match=re.escape(message)):
        parse_local_time(value, 480)


def test_an_impossible_utc_offset_is_a_bad_parameter() -> None:
    with pytest.raises(click.BadParameter, match="--utc-offset must be between -1439 and 1439 minutes"):
        parse_local_time("2026-11-29 09:00", 100_000)


def test_issue_activity_with_a_start_in_year_one_says_so(tmp_path: Path) -> None:
    result = _kiosk(
        tmp_path / "data",
        *("issue", "activity", "A9", "--title", "t", "--org-name", "o", "--org-level", "city"),
        *("--venue", "v", "--start", "0001-01-01 00:00", "--end", "0001-01-01 23:59", "--category", "c"),
    )
    assert result.exit_code == 2, result.output
    assert "0001-01-01 00:00 is out of range" in result.output
