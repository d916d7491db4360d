"""Importing a roster: what a coordinator's file does to the kiosk, and what a bad file cannot do."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checkin_protocol.roster_file import ImportReport, RosterImportError
from checkin_protocol.roster_rows import FIELDS, FORBIDDEN_CHAR_RE, ID_RE, check_row
from kiosk.store.database import open_store
from kiosk.store.migrations import MIGRATIONS
from kiosk.store.roster_import import import_roster

HEADER = ",".join(FIELDS)
ORG_ROW = "ORG-D01,临江区志愿者协会,county,"  # org_id .. org_parent_id of a county defined in the file

Snapshot = tuple[list[tuple[object, ...]], list[tuple[object, ...]]]


def snapshot(db: sqlite_utils.Database) -> Snapshot:
    orgs = db.execute("SELECT * FROM organisations ORDER BY org_id").fetchall()
    volunteers = db.execute("SELECT * FROM volunteers ORDER BY volunteer_id").fetchall()
    return orgs, volunteers


def volunteers(db: sqlite_utils.Database) -> dict[str, tuple[object, ...]]:
    rows = db.execute("SELECT volunteer_id, name, phone, org_id, active FROM volunteers").fetchall()
    return {row[0]: row[1:] for row in rows}


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("".join(line + "\n" for line in lines).encode(encoding))
    return path


def seed_existing(db: sqlite_utils.Database, tmp_path: Path) -> Snapshot:
    """Some roster already on the kiosk, so that 'changes nothing' means something."""
    source = write(
        tmp_path / "existing.csv",
        [HEADER, f"V900,雷彩霞,13900000000,{ORG_ROW},1", "V901,王芳,,ORG-D01,,,,0"],
    )
    assert import_roster(db, source).imported
    return snapshot(db)


# --- good files ---------------------------------------------------------------------------------


def test_a_good_csv_imports_volunteers_and_organisations(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = write(
        tmp_path / "roster.csv",
        [
            HEADER,
            "ORG-C01x,未入会,,,,,,",  # a volunteer of no organisation (ID with letters after digits)
            f"V001,雷彩霞,+86 139-1234-5678,{ORG_ROW},是",
            "V002, 王芳 ,13812345678,ORG-D01,,,,否",
            "V003,欧阳娜娜,027-8765-4321,ORG-V01,滨江花园社区志愿服务队,社区,ORG-D01,TRUE",
            "V_004,Li Wei,,,,,,",
        ],
    )
    report = import_roster(db, path)
    assert report == ImportReport(5, 5, 0, 0, 2, [], [], imported=True)
    assert volunteers(db) == {
        "ORG-C01x": ("未入会", None, None, 1),
        "V001": ("雷彩霞", "13912345678", "ORG-D01", 1),
        "V002": ("王芳", "13812345678", "ORG-D01", 0),
        "V003": ("欧阳娜娜", "02787654321", "ORG-V01", 1),
        "V_004": ("Li Wei", None, None, 1),
    }
    assert snapshot(db)[0] == [
        ("ORG-D01", "临江区志愿者协会", "county", None),
        ("ORG-V01", "滨江花园社区志愿服务队", "village", "ORG-D01"),
    ]


def test_a_good_jsonl_imports_and_mentions_unknown_fields_once(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    objects = [
        {"volunteer_id": "V1", "name": "张伟", "phone": 13912345678, "active": True, "wechat": "x"},
        {"volunteer_id": 2, "name": "李娜", "phone": None, "active": 0, "org_id": "ORG-T01",
         "org_name": "滨江街道志愿服务站", "org_level": "街道", "org_parent_id": None, "note": "y"},
        {"volunteer_id": "V3", "name": "赵敏", "org_id": "ORG-T01", "wechat": "z"},
    ]  # fmt: skip
    path = tmp_path / "roster.jsonl"
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n\n", encoding="utf-8")
    report = import_roster(db, path)
    assert report.imported and report.bad_rows == []
    assert (report.rows_read, report.inserted, report.organisations) == (3, 3, 1)
    assert report.warnings == ["ignored unknown fields: note, wechat"]
    assert volunteers(db) == {
        "V1": ("张伟", "13912345678", None, 1),
        "2": ("李娜", None, "ORG-T01", 0),
        "V3": ("赵敏", None, "ORG-T01", 1),
    }


def test_unknown_csv_columns_are_ignored_with_one_warning(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", ["Name,Remark,volunteer_id,", "张伟,a,V1,", "李娜,b,V2,"])
    report = import_roster(db, path)
    assert report.imported and report.warnings == ["ignored unknown columns: remark"]
    assert volunteers(db) == {"V1": ("张伟", None, None, 1), "V2": ("李娜", None, None, 1)}


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("gb18030", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", "\ufeff".encode("gb18030"))],
    ids=["gb18030", "utf-8 with BOM", "gb18030 with BOM"],
)
def test_excel_encodings_are_read(
    db: sqlite_utils.Database, tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    lines = [HEADER, "V1,雷彩霞,,ORG-V01,滨江花园社区志愿服务队,村,,", "V2,欧阳娜娜,,ORG-V01,,,,"]
    path = tmp_path / "excel.csv"
    path.write_bytes(prefix + "\r\n".join(lines).encode(encoding) + b"\r\n")
    report = import_roster(db, path)
    assert report.imported and report.inserted == 2 and report.warnings == []
    assert volunteers(db)["V1"] == ("雷彩霞", None, "ORG-V01", 1)
    assert snapshot(db)[0] == [("ORG-V01", "滨江花园社区志愿服务队", "village", None)]


@pytest.mark.parametrize(
    ("word", "level"),
    [("市", "city"), ("区", "county"), ("县", "county"), ("乡", "township"), ("镇", "township"),
     ("街道", "township"), ("村", "village"), ("社区", "village"), ("Village", "village")],
)  # fmt: skip
def test_chinese_level_names_map_to_the_four_levels(
    db: sqlite_utils.Database, tmp_path: Path, word: str, level: str
) -> None:
    path = write(tmp_path / "r.csv", [HEADER, f"V1,张伟,,ORG-1,某志愿服务队,{word},,"])
    assert import_roster(db, path).imported
    assert db.execute("SELECT level FROM organisations").fetchone()[0] == level


# --- bad rows -----------------------------------------------------------------------------------

BAD_ROWS = [
    (",张伟,,,,,,", "volunteer_id is missing"),
    ("V 1,张伟,,,,,,", "volunteer_id may contain only"),
    ("V123456789012345678901,张伟,,,,,,", "volunteer_id is longer than 20"),
    ("V9,,,,,,,", "name is missing"),
    ("V9, ,,,,,,", "name is missing"),
    ("V9," + "张" * 31 + ",,,,,,", "name is longer than 30"),
    ('V9,"张\t伟",,,,,,', "name contains an invisible or control character (U+0009)"),
    ("V9,张\u202e伟,,,,,,", "(U+202E)"),
    ("V9,张伟,1391234567a,,,,,", "phone may contain only digits"),
    ("V9,张伟,139123456789,,,,,", "phone has 12 digits and starts with 1"),
    ("V9,张伟,12912345678,,,,,", "mainland mobiles start with 13 to 19"),
    ("V9,张伟,123456,,,,,", "phone has 6 digits and starts with 1"),
    ("V9,张伟,0271234,,,,,", None),  # a landline without area code is fine: the control row
    ("V9,张伟,0271,,,,,", "phone has 4 digits; expected 7 to 15"),
    ("V9,张伟,,,,,,maybe", "active must be one of"),
    ("V9,张伟,,ORG 1,,,,", "org_id may contain only"),
    ("V9,张伟,,ORG-9,某队,,,", "org_level is missing"),
    ("V9,张伟,,ORG-9,,county,,", "org_name is missing"),
    ("V9,张伟,,,某队,county,,", "org_id is missing"),
    ("V9,张伟,,ORG-9,某队,province,,", "org_level must be city, county, township or village"),
    ("V9,张伟,,ORG-9,某队,county,ORG-9,", "org_parent_id names the organisation itself"),
    ("V9,张伟,,ORG-9,,,,", "org_id ORG-9 is not a known organisation"),
    ("V9,张伟,,ORG-D01,另一个名字,county,,", "organisation ORG-D01 is described differently on line 2"),
    ("V9,张伟,,,,,,,extra", "the line has 9 values but the header names 8 columns"),
    ("V1,李娜,,,,,,", "volunteer_id V1 appears again (first on line 2)"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS, ids=[m or "control" for _, m in BAD_ROWS])
def test_a_bad_row_is_reported_by_line_and_by_default_nothing_is_imported(
    db: sqlite_utils.Database, tmp_path: Path, row: str, message: str | None
) -> None:
    before = seed_existing(db, tmp_path)
    path = write(tmp_path / "r.csv", [HEADER, f"V1,雷彩霞,,{ORG_ROW},", row, "V2,王芳,,ORG-D01,,,,"])
    report = import_roster(db, path)
    if message is None:
        assert report.imported and report.bad_rows == []
        return
    assert not report.imported
    assert [(bad.line, message in bad.message) for bad in report.bad_rows] == [(3, True)]
    assert report.rows_read == 3 and report.inserted == report.updated == report.unchanged == 0
    assert snapshot(db) == before

    report = import_roster(db, path, skip_bad_rows=True)
    assert report.imported and (report.inserted, len(report.bad_rows)) == (2, 1)
    assert {"V1", "V2"} <= volunteers(db).keys() and "V9" not in volunteers(db)


def test_a_bad_row_names_its_volunteer_only_when_the_id_is_valid(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    path = write(tmp_path / "r.csv", [HEADER, "V1,,,,,,,", "V 2,张伟,,,,,,", "V3,张伟,x,,,,,nope"])
    bad = import_roster(db, path).bad_rows
    assert [(b.line, b.volunteer_id) for b in bad] == [(2, "V1"), (3, None), (4, "V3")]
    assert bad[2].message.count(";") == 1  # both problems of the row, in one message
    assert "张伟" not in "".join(b.message for b in bad)  # messages never repeat a name


def test_line_numbers_count_file_lines_across_quoted_newlines(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    path = write(tmp_path / "r.csv", [HEADER, 'V1,"雷\n彩霞",,,,,,', "", "V2,,,,,,,"])
    bad = import_roster(db, path).bad_rows
    assert [(b.line, b.volunteer_id) for b in bad] == [(2, "V1"), (5, "V2")]


def test_an_org_id_may_refer_to_an_organisation_defined_further_down_or_already_known(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_existing(db, tmp_path)  # knows ORG-D01
    path = write(
        tmp_path / "r.csv",
        [
            HEADER,
            "V1,张伟,,ORG-T01,,,,",
            "V2,李娜,,ORG-D01,,,,",
            "V3,王芳,,ORG-T01,滨江街道志愿服务站,镇,ORG-D01,",
        ],
    )
    report = import_roster(db, path)
    assert report.imported and report.warnings == []
    assert volunteers(db)["V1"][2] == "ORG-T01"


def test_an_organisation_is_updated_when_the_file_describes_it_anew(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_existing(db, tmp_path)
    path = write(tmp_path / "r.csv", [HEADER, "V1,张伟,,ORG-D01,临江区青年志愿者协会,区,ORG-C01,"])
    report = import_roster(db, path)
    assert report.imported and report.organisations == 1
    assert report.warnings == ["parent organisations not known to the kiosk: ORG-C01"]
    assert snapshot(db)[0] == [("ORG-D01", "临江区青年志愿者协会", "county", "ORG-C01")]


# --- fatal files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "does not exist"),
        ("garbage.csv", bytes(range(256)) * 4, "not a text file"),
        ("garbage.jsonl", b"\x81\xff\xfe\x80" * 50, "neither UTF-8 nor GB18030"),
        (
            "damaged.csv",
            (HEADER + "\nV1,雷彩霞欧阳娜娜张伟,,,,,,\n").encode() + b"V2,\xff\n",
            "damaged byte on line 3",
        ),
        ("book.csv", b"PK\x03\x04" + bytes(100), "Excel workbook"),
        ("utf16.csv", (HEADER + "\n").encode("utf-16"), "UTF-16"),
        ("empty.csv", b"", "is empty"),
        ("blank.jsonl", b"\xef\xbb\xbf \n\r\n", "is empty"),
        ("header-only.csv", (HEADER + "\n").encode(), "no volunteer rows"),
        ("no-header.csv", "V1,雷彩霞,13912345678\n".encode(), "no volunteer_id column"),
        ("no-name.csv", b"volunteer_id,phone\nV1,13912345678\n", "no name column"),
        ("twice.csv", b"volunteer_id,name,name\nV1,a,b\n", "names the column name twice"),
        ("array.jsonl", b'[{"volunteer_id": "V1", "name": "a"}]\n', "no line that is a JSON object"),
        ("pretty.jsonl", b'{\n  "volunteer_id": "V1",\n  "name": "a"\n}\n', "no line that is a JSON object"),
        ("roster.xlsx", b"whatever", "must be a .csv file or a JSON Lines file"),
        ("huge-field.csv", b'volunteer_id,name\nV1,"' + b"x\n" * 100_000 + b'"\n', "cannot be read as CSV"),
        (
            "long-line.csv",
            b"volunteer_id,name\nV1," + b"x" * 20_000 + b"\n",
            "line 2 is 20,003 characters long",
        ),
    ],
)
def test_a_file_that_is_no_roster_raises_and_changes_nothing(
    db: sqlite_utils.Database, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    before = seed_existing(db, tmp_path)
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RosterImportError, match=message):
        import_roster(db, path)
    assert snapshot(db) == before


def test_a_folder_is_no_roster(db: sqlite_utils.Database, tmp_path: Path) -> None:
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(RosterImportError, match="is a folder"):
        import_roster(db, tmp_path / "folder.csv")


# --- re-import ----------------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing_and_a_changed_name_counts_as_updated(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    lines = [HEADER, f"V1,雷彩霞,13912345678,{ORG_ROW},1", "V2,王芳,,ORG-D01,,,,0", "V3,张伟,,,,,,"]
    path = write(tmp_path / "r.csv", lines)
    first = import_roster(db, path)
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    state = snapshot(db)
    second = import_roster(db, path)
    assert (second.inserted, second.updated, second.unchanged, second.imported) == (0, 0, 3, True)
    assert snapshot(db) == state

    lines[2] = "V2,王芳芳,,ORG-D01,,,,0"
    third = import_roster(db, write(path, [*lines, "V4,李娜,,,,,,"]))
    assert (third.inserted, third.updated, third.unchanged) == (1, 1, 2)
    assert volunteers(db)["V2"][0] == "王芳芳"


def test_a_column_the_file_lacks_keeps_the_stored_values(db: sqlite_utils.Database, tmp_path: Path) -> None:
    seed_existing(db, tmp_path)  # V900 has a phone and ORG-D01, V901 is inactive
    report = import_roster(
        db, write(tmp_path / "names.csv", ["volunteer_id,name", "V900,雷彩霞", "V901,王芳"])
    )
    assert (report.updated, report.unchanged) == (0, 2)
    report = import_roster(db, write(tmp_path / "names.csv", ["volunteer_id,name", "V900,雷霞", "V901,王芳"]))
    assert report.updated == 1
    assert volunteers(db)["V900"] == ("雷霞", "13900000000", "ORG-D01", 1)
    assert volunteers(db)["V901"][3] == 0


def test_import_through_the_kiosk_store_and_inside_its_write_transaction(tmp_path: Path) -> None:
    store = open_store(tmp_path / "kiosk.db")
    path = write(tmp_path / "r.csv", [HEADER, "V1,张伟,,,,,,"])
    assert import_roster(store.writer, path).inserted == 1
    with store.write() as db:
        assert import_roster(db, path).unchanged == 1
    assert not store.writer.conn.in_transaction
    store.close()


# --- properties ---------------------------------------------------------------------------------


def test_the_forbidden_characters_are_the_controls_formats_and_separators() -> None:
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            assert FORBIDDEN_CHAR_RE.match(char), f"U+{code:04X} ({category}) is allowed in names"
        elif FORBIDDEN_CHAR_RE.match(char):
            assert category == "Cn", f"U+{code:04X} ({category}) is refused in names"


_DB = sqlite_utils.Database(memory=True)
MIGRATIONS.apply(_DB)


def _fresh_db() -> sqlite_utils.Database:
    _DB.execute("DELETE FROM volunteers")
    _DB.execute("DELETE FROM organisations")
    _DB.conn.commit()
    _DB.execute("INSERT INTO organisations VALUES ('ORG-1', '某队', 'village', NULL)")
    _DB.execute("INSERT INTO volunteers VALUES ('V0', '雷彩霞', NULL, 'ORG-1', 1)")
    _DB.conn.commit()
    return _DB


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), suffix=st.sampled_from([".csv", ".jsonl"]), skip=st.booleans())
@example(text=HEADER + "\nV1,a\r\rb,,,,,,\n", suffix=".csv", skip=False)
@example(text='{"volunteer_id": "V1", "name": "\\ud800"}\n', suffix=".jsonl", skip=False)
@example(
    text='{"volunteer_id": "V1", "name": "a", "phone": 1e400}\n' + "[" * 100_000, suffix=".jsonl", skip=True
)
@example(text="volunteer_id,name\n" + "\u2028V1,\u3000a\n", suffix=".csv", skip=True)
def test_any_text_either_imports_valid_rows_or_raises_roster_import_error_and_changes_nothing(
    tmp_path: Path, text: str, suffix: str, skip: bool
) -> None:
    db = _fresh_db()
    before = snapshot(db)
    path = tmp_path / f"any{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        report = import_roster(db, path, skip_bad_rows=skip)
    except RosterImportError:
        assert snapshot(db) == before
        return
    if not report.imported:
        assert snapshot(db) == before
    for volunteer_id, name, phone, org_id, active in db.execute("SELECT * FROM volunteers"):
        assert ID_RE.fullmatch(volunteer_id) and name == name.strip() and 0 < len(name) <= 30
        assert not FORBIDDEN_CHAR_RE.search(name) and active in (0, 1)
        assert phone is None or (phone.isascii() and phone.isdigit())
        assert (
            org_id is None or db.execute("SELECT 1 FROM organisations WHERE org_id = ?", [org_id]).fetchone()
        )


_FIELD_VALUES = {
    "volunteer_id": st.sampled_from(["V1", "v-1_", " V1", "V1 ", "", "V\u00e91", "X" * 20, "X" * 21]),
    "name": st.one_of(st.sampled_from(["雷彩霞", " 王芳", "王芳\u3000", "王 芳", "a" * 30, "a" * 31, "\t"]), st.text()),
    "phone": st.sampled_from(["", "13912345678", "+8613912345678", "139 1234 5678", "１３９１２３４５６７８",
                              "12912345678", "0271234", "1391234567", " ", "+1 555"]),
    "org_id": st.sampled_from(["", "ORG-1", "ORG-2", " ORG-1"]),
    "org_name": st.sampled_from(["", "某队", " 某队", "某\x00队"]),
    "org_level": st.sampled_from(["", "village", "Village", "村", "county", "nowhere"]),
    "org_parent_id": st.sampled_from(["", "ORG-1", "ORG-2"]),
    "active": st.sampled_from(["", "1", "0", "true", "FALSE", " yes", "是", "否", "2"]),
}  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.fixed_dictionaries(_FIELD_VALUES), suffix=st.sampled_from([".csv", ".jsonl"]))
def test_a_row_is_stored_exactly_as_the_rules_normalise_it(
    tmp_path: Path, row: dict[str, str], suffix: str
) -> None:
    """The importer's fast path and its full check agree with :func:`check_row`."""
    raw = tuple(row[f] for f in FIELDS)
    db = _fresh_db()
    path = tmp_path / f"one{suffix}"
    if suffix == ".csv":
        out = io.StringIO(newline="")
        csv.writer(out).writerows([FIELDS, raw])
        path.write_bytes(out.getvalue().encode("utf-8", errors="surrogatepass"))
    else:
        path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    try:
        report = import_roster(db, path)
    except RosterImportError:
        # A row of empty values is no row; a NUL byte makes a CSV file binary.
        assert not any(raw) or (suffix == ".csv" and "\x00" in "".join(raw))
        return
    expected = check_row(raw)
    stored = db.execute("SELECT * FROM volunteers WHERE volunteer_id != 'V0'").fetchall()
    if isinstance(expected, list):
        unknown_org = False
    else:
        volunteer, org = expected
        unknown_org = org is None and volunteer[3] not in (None, "ORG-1")
    if isinstance(expected, list) or unknown_org:
        assert not report.imported and stored == [] and len(report.bad_rows) == 1
    else:
        assert report.imported and stored == [expected.volunteer]
        if expected.organisation is not None:
            got = db.execute("SELECT * FROM organisations WHERE org_id = ?", [expected.organisation[0]])
            assert got.fetchall() == [expected.organisation]
