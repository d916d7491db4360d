"""A roster file from outside has limits: size, lines, line length, columns, nesting; any bytes get an answer."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import sqlite_utils
from helpers.fuzz import fuzz_settings
from hypothesis import example, given
from hypothesis import strategies as st

from checkin_protocol import roster_file
from checkin_protocol.roster_file import RosterImportError
from checkin_protocol.roster_rows import FIELDS
from kiosk.store.migrations import MIGRATIONS
from kiosk.store.roster_import import import_roster

HEADER = ",".join(FIELDS)
FUZZ = fuzz_settings(500)


def _volunteers(db: sqlite_utils.Database) -> list[tuple[object, ...]]:
    return db.execute("SELECT * FROM volunteers ORDER BY volunteer_id").fetchall()


def _refused(db: sqlite_utils.Database, path: Path, words: str) -> None:
    before = _volunteers(db)
    with pytest.raises(RosterImportError, match=words):
        import_roster(db, path, skip_bad_rows=True)
    assert _volunteers(db) == before


def test_a_header_of_thousands_of_columns_is_refused_at_once(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    many = tmp_path / "many.csv"
    many.write_text("volunteer_id,name," + "x," * 3000 + "\nV1,a\n", encoding="utf-8")
    _refused(db, many, r"line 1 names 3,003 columns; a roster has at most 256")
    wide = tmp_path / "wide.csv"
    wide.write_text("volunteer_id," + "name," * 20_000 + "\nV1,a\n", encoding="utf-8")
    started = time.perf_counter()
    _refused(db, wide, r"line 1 is 100,013 characters long")
    assert time.perf_counter() - started < 2.0, "every column compared with every other"


def test_a_csv_line_longer_than_the_limit_is_refused_with_its_number(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"{HEADER}\nV1,a,,,,,,\nV2,{'x' * 20_000},,,,,,\n", encoding="utf-8")
    _refused(db, path, r"line 3 is 20,009 characters long; a roster line has at most 16,384")


def test_a_jsonl_line_too_long_or_too_deep_is_a_bad_row_with_its_number(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    path = tmp_path / "lines.jsonl"
    good = json.dumps({"volunteer_id": "V1", "name": "雷彩霞"}, ensure_ascii=False)
    long = json.dumps({"volunteer_id": "V2", "name": "x" * 20_000})
    deep = '{"volunteer_id": "V3", "name": ' + "[" * 5000 + "]" * 5000 + "}"
    path.write_text("\n".join([good, long, deep]) + "\n", encoding="utf-8")
    report = import_roster(db, path)
    assert [(bad.line, bad.message) for bad in report.bad_rows] == [
        (2, "the line is 20,034 characters long; a roster line has at most 16,384"),
        (
            3,
            "the line is not a JSON object of text fields: it is nested 5001 levels deep, more than the 32 allowed",
        ),
    ]
    assert not report.imported and _volunteers(db) == []


def test_a_file_larger_than_a_roster_may_be_is_refused_unread(
    db: sqlite_utils.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster_file, "MAX_ROSTER_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + "V1,a,,,,,,\n" * 100, encoding="utf-8")
    _refused(db, path, r"big.csv cannot be imported: it is 1,171 bytes, more than the 1,000")


def test_a_file_of_more_lines_than_a_roster_may_have_is_refused(
    db: sqlite_utils.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster_file, "MAX_ROSTER_LINES", 50)
    for suffix, row in ((".csv", "V1,a,,,,,,"), (".jsonl", '{"volunteer_id": "V1", "name": "a"}')):
        path = tmp_path / f"many{suffix}"
        path.write_text((HEADER + "\n" if suffix == ".csv" else "") + (row + "\n") * 60, encoding="utf-8")
        _refused(db, path, rf"many{suffix} has 6\d lines; a roster may have at most 50: split it")


def test_thousands_of_unknown_jsonl_fields_make_one_short_warning(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    path = tmp_path / "fields.jsonl"
    rows = [json.dumps({"volunteer_id": f"V{i}", "name": "a", f"extra{i}": 1}) for i in range(5000)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_roster(db, path)
    [warning] = report.warnings
    assert warning.startswith("ignored unknown fields: extra0, extra1, ") and warning.endswith(
        "and 4980 more"
    )


def test_a_pipe_named_like_a_roster_is_refused_not_waited_on(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    os.mkfifo(tmp_path / "pipe.csv")
    _refused(db, tmp_path / "pipe.csv", "not a plain file")


_ROSTERISH = st.sampled_from(
    [
        *(HEADER.encode(), b"\n", b"\r\n", b",", b'"', b"V1", b"\xef\xbb\xbf", b"[", b"{", b"\x00", b"\xff"),
        *("雷彩霞".encode(), "王芳".encode("gb18030"), b'{"volunteer_id": "V1", "name": "a"}'),
    ]
)


@FUZZ
@given(
    data=st.binary(max_size=400) | st.lists(_ROSTERISH, max_size=40).map(b"".join),
    suffix=st.sampled_from([".csv", ".jsonl", ".ndjson"]),
)
@example(data=b"\x81\x30" * 200, suffix=".csv")  # a GB18030 four-byte sequence cut short, again and again
@example(data=b"volunteer_id,name\n" + b"\x84\x31\xa4\x39" * 50, suffix=".csv")
@example(data=b"[" * 5000, suffix=".jsonl")
def test_any_bytes_import_or_are_refused_with_a_reason_and_nothing_else(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    database = sqlite_utils.Database(memory=True)
    MIGRATIONS.apply(database)
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    try:
        report = import_roster(database, path, skip_bad_rows=True)
    except RosterImportError as exc:
        assert str(exc) and _volunteers(database) == []
        return
    assert all(bad.line >= 1 and bad.message for bad in report.bad_rows)
