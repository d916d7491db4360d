"""Finding a volunteer at the coordinator desk: by name, pinyin, initials, phone digits or ID.

A real SQLite file, the roster imported by the kiosk's importer, the index
kept by ``refresh_index`` and searched on a reader connection, as the GUI does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers.fakes import open_test_store
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.cli.main import cli
from kiosk.services import volunteer_search
from kiosk.services.volunteer_search import (
    VolunteerMatch,
    index_backlog,
    refresh_index,
    search_keys,
    search_volunteers,
)
from kiosk.store.database import Store
from kiosk.store.roster_import import import_roster
from kiosk.store.volunteer_search_queries import VolunteerRow

HEADER = "volunteer_id,name,phone,org_id,org_name,org_level,org_parent_id,active"
ORG = "ORG-V01,滨江花园社区志愿服务队,village,"
ROSTER = [
    ("V000000001", "雷彩霞", "13812345678", "1"),
    ("V000000002", "雷鸣", "13900001111", "1"),
    ("V000000003", "欧阳彩霞", "13700002222", "1"),
    ("V000000004", "周彩霞", "13600003333", "0"),
    ("V000000005", "单雄信", "13500004444", "1"),
    ("V000000006", "曾国藩", "13400005555", "1"),
    ("V000000007", "阿依古丽·买买提", "13300006666", "1"),
    ("V000000008", "吕布", "", "1"),
    ("V000000010", "雷彩", "15000007777", "1"),
    ("W000000011", "李娜", "15100005678", "1"),
]


def write_roster(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    lines = [HEADER, *(f"{vid},{name},{phone},{ORG},{active}" for vid, name, phone, active in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_rows(store: Store, path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    report = import_roster(store.writer, write_roster(path, rows))
    assert report.imported, report.bad_rows


@pytest.fixture
def indexed_store(store: Store, tmp_path: Path) -> Store:
    """The kiosk store with ROSTER imported and the search index refreshed."""
    import_rows(store, tmp_path / "roster.csv", ROSTER)
    refresh_index(store)
    return store


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One indexed store for the property test (hypothesis runs the test many times)."""
    folder = tmp_path_factory.mktemp("search")
    store = open_test_store(folder / "k.db")
    import_rows(store, folder / "roster.csv", ROSTER)
    refresh_index(store)
    yield store
    store.close()


def search(store: Store, query: str, limit: int = 20) -> list[VolunteerMatch]:
    reader = store.reader()
    try:
        return search_volunteers(reader, query, limit)
    finally:
        reader.close()


def ids(matches: list[VolunteerMatch]) -> list[str]:
    return [m.volunteer_id for m in matches]


def test_the_initials_find_her(indexed_store: Store) -> None:
    matches = search(indexed_store, "lcx")
    assert ids(matches) == ["V000000001"]
    assert matches[0].matched_by == "initials"
    assert matches[0].name == "雷彩霞"
    assert matches[0].org_name == "滨江花园社区志愿服务队"
    assert matches[0].phone_tail == "5678"
    assert matches[0].active is True


@pytest.mark.parametrize("query", ["leicai", "LeiCai", "lei cai", "leicaixia", "LEICAIXIA"])
def test_the_pinyin_finds_her_in_any_case(indexed_store: Store, query: str) -> None:
    matches = search(indexed_store, query)
    assert "V000000001" in ids(matches)
    assert {m.matched_by for m in matches if m.volunteer_id == "V000000001"} == {"pinyin"}


def test_a_few_initials_find_everyone_they_start(indexed_store: Store) -> None:
    assert ids(search(indexed_store, "lc")) == ["V000000010", "V000000001"]  # 雷彩 (exact) before 雷彩霞


def test_a_name_prefix_finds_names_starting_with_it(indexed_store: Store) -> None:
    assert set(ids(search(indexed_store, "雷"))) == {"V000000001", "V000000002", "V000000010"}
    assert ids(search(indexed_store, "雷彩")) == ["V000000010", "V000000001"]  # the exact name first
    assert all(m.matched_by == "name" for m in search(indexed_store, "雷彩"))


def test_a_given_name_finds_every_surname(indexed_store: Store) -> None:
    matches = search(indexed_store, "彩霞")
    assert set(ids(matches)) == {"V000000001", "V000000003", "V000000004"}  # 雷, 欧阳, 周
    assert all(m.matched_by == "name" for m in matches)


def test_a_name_prefix_comes_before_a_given_name(indexed_store: Store) -> None:
    assert ids(search(indexed_store, "雷彩霞")) == ["V000000001"]


def test_text_inside_a_name_is_found_when_nothing_else_matches(indexed_store: Store) -> None:
    assert ids(search(indexed_store, "买买提")) == ["V000000007"]
    assert ids(search(indexed_store, "古丽")) == ["V000000007"]


def test_spaces_in_a_chinese_query_are_ignored(indexed_store: Store) -> None:
    assert ids(search(indexed_store, " 雷 彩霞 ")) == ["V000000001"]


@pytest.mark.parametrize(
    "query", ["5678", "45678", "2345678", "1234-5678", "138 1234 5678", "+8613812345678"]
)
def test_the_last_phone_digits_find_her(indexed_store: Store, query: str) -> None:
    matches = search(indexed_store, query)
    assert "V000000001" in ids(matches)
    assert next(m for m in matches if m.volunteer_id == "V000000001").matched_by == "phone"


def test_the_same_last_digits_find_everyone_with_them(indexed_store: Store) -> None:
    assert set(ids(search(indexed_store, "5678"))) == {"V000000001", "W000000011"}


def test_two_digits_are_not_a_phone_search(indexed_store: Store) -> None:
    assert search(indexed_store, "78") == []


def test_the_whole_phone_number_is_an_exact_match(indexed_store: Store) -> None:
    assert ids(search(indexed_store, "13812345678")) == ["V000000001"]


def test_a_volunteer_without_a_phone_has_no_tail(indexed_store: Store) -> None:
    (match,) = search(indexed_store, "吕布")
    assert match.phone_tail is None
    assert search_keys("吕布", None).phone_rev is None


@pytest.mark.parametrize("query", ["V000000001", "v000000001", " V000000001 "])
def test_the_exact_id_comes_first(indexed_store: Store, query: str) -> None:
    matches = search(indexed_store, query)
    assert ids(matches) == ["V000000001"]  # V0000000010 does not exist: only the exact ID
    assert matches[0].matched_by == "id"


def test_an_id_prefix_finds_the_ids_starting_with_it(indexed_store: Store) -> None:
    matches = search(indexed_store, "V00000000")
    by_name = sorted((name, vid) for vid, name, _, _ in ROSTER if vid.startswith("V00000000"))
    assert ids(matches) == [vid for _, vid in by_name]
    assert all(m.matched_by == "id" for m in matches)
    assert ids(search(indexed_store, "w0")) == ["W000000011"]


def test_the_exact_id_comes_before_the_ids_it_starts(indexed_store: Store) -> None:
    matches = search(indexed_store, "v000000001")
    assert ids(matches)[0] == "V000000001"
    assert ids(search(indexed_store, "V00000001")) == ["V000000010"]


def test_digits_find_ids_and_phones(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    import_rows(store, tmp_path / "r.csv", [("1234567", "张三", "13900001234", "1")])
    refresh_index(store)
    matches = search(store, "1234")
    assert ids(matches) == ["1234567"]
    assert matches[0].matched_by == "id"  # an ID before a phone number
    store.close()


def test_an_inactive_volunteer_is_found_and_marked(indexed_store: Store) -> None:
    (match,) = search(indexed_store, "周彩霞")
    assert match.active is False


def test_surnames_take_their_surname_reading() -> None:
    assert search_keys("单雄信", None).pinyin == "shanxiongxin"
    assert search_keys("曾国藩", None).initials == "zgf"
    assert search_keys("解缙", None).pinyin == "xiejin"
    assert search_keys("万俟卨", None).initials.startswith("mq")
    assert search_keys("欧阳彩霞", None).pinyin == "ouyangcaixia"
    assert search_keys("吕布", None).pinyin == "lvbu"
    assert search_keys("阿依古丽·买买提", None).initials == "ayglmmt"
    assert search_keys("Anna Li", None) == volunteer_search.SearchKeys("annali", "al", None)


def test_surnames_are_found_by_their_surname_reading(indexed_store: Store) -> None:
    assert ids(search(indexed_store, "sxx")) == ["V000000005"]
    assert ids(search(indexed_store, "zengguo")) == ["V000000006"]
    assert search(indexed_store, "danxiong") == []  # one reading is kept: the surname's


def test_a_renamed_volunteer_is_found_under_the_new_name_only(indexed_store: Store, tmp_path: Path) -> None:
    import_rows(indexed_store, tmp_path / "renamed.csv", [("V000000002", "雷霆", "13900001111", "1")])
    assert index_backlog(indexed_store.writer) == 1
    assert refresh_index(indexed_store) == 1
    assert index_backlog(indexed_store.writer) == 0
    assert ids(search(indexed_store, "雷霆")) == ["V000000002"]
    assert ids(search(indexed_store, "leiting")) == ["V000000002"]
    assert search(indexed_store, "雷鸣") == []
    assert search(indexed_store, "lm") == []


def test_a_deleted_volunteer_disappears(indexed_store: Store) -> None:
    with indexed_store.write() as db:
        db.execute("DELETE FROM volunteers WHERE volunteer_id = 'V000000002'")
    assert search(indexed_store, "雷鸣") == []  # not shown even before the index catches up
    assert refresh_index(indexed_store) == 1
    row = indexed_store.writer.execute("SELECT 1 FROM volunteer_search WHERE volunteer_id = 'V000000002'")
    assert row.fetchone() is None


def test_a_change_during_indexing_is_not_lost(indexed_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process renames a volunteer after the pinyin was computed, before the write."""
    with indexed_store.write() as db:
        db.execute("UPDATE volunteers SET name = '雷电' WHERE volunteer_id = 'V000000002'")
    real_dirty_rows = volunteer_search._dirty_rows

    def dirty_rows_then_rename(conn: Any, ids: Sequence[str]) -> list[VolunteerRow]:
        rows = real_dirty_rows(conn, ids)
        other = sqlite3.connect(indexed_store.path)
        with other:
            other.execute("UPDATE volunteers SET name = '雷霆' WHERE volunteer_id = 'V000000002'")
        other.close()
        return rows

    monkeypatch.setattr(volunteer_search, "_dirty_rows", dirty_rows_then_rename)
    refresh_index(indexed_store)
    monkeypatch.undo()
    assert ids(search(indexed_store, "leiting")) == ["V000000002"]
    assert search(indexed_store, "leidian") == []


def test_the_index_is_refreshed_in_chunks_up_to_a_limit(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    rows = [(f"V{n:09d}", "王芳", f"139{n:08d}", "1") for n in range(25)]
    import_rows(store, tmp_path / "r.csv", rows)
    assert index_backlog(store.writer) == 25
    assert refresh_index(store, limit=10, chunk_size=4) == 10
    assert index_backlog(store.writer) == 15
    assert refresh_index(store, chunk_size=4) == 15
    assert refresh_index(store) == 0
    assert len(search(store, "wf", limit=100)) == 25
    store.close()


def test_results_are_limited_with_exact_matches_first(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    rows = [(f"V{n:09d}", f"王芳{chr(0x4E00 + n)}", f"139{n:08d}", "1") for n in range(30)]
    import_rows(store, tmp_path / "r.csv", [*rows, ("V999999999", "王芳", "13999999999", "1")])
    refresh_index(store)
    matches = search(store, "王芳", limit=5)
    assert ids(matches) == ["V999999999", *(f"V{n:09d}" for n in range(4))]  # then by name
    assert ids(search(store, "wf", limit=1)) == ["V999999999"]
    store.close()


def test_the_search_needs_no_write_lock(indexed_store: Store) -> None:
    with indexed_store.write():  # the writer holds the write lock (BEGIN IMMEDIATE)
        reader = indexed_store.reader()
        assert ids(search_volunteers(reader, "lcx")) == ["V000000001"]
        assert ids(search_volunteers(reader.conn, "lcx")) == ["V000000001"]  # a plain sqlite3 connection
        reader.close()


@pytest.mark.parametrize(
    "query", ["", "   ", "%", "_", "%%", "'", '"', "\\", "😀", "雷%", "l%", "5%78", "\x00", "-", "x" * 10_000]
)
def test_odd_queries_return_sane_results(indexed_store: Store, query: str) -> None:
    matches = search(indexed_store, query)
    assert len(matches) <= 20
    if query.strip() in ("", "%", "%%", "'", '"', "\\", "😀", "雷%", "l%", "5%78", "\x00"):
        assert matches == []


@settings(max_examples=300, deadline=None)
@given(query=st.text(), limit=st.integers(min_value=-1, max_value=30))
@example(query="\ud800", limit=20)
@example(query="\U0010ffff", limit=20)
@example(query="雷\U0010ffff", limit=20)
def test_no_query_raises(shared_store: Store, query: str, limit: int) -> None:
    matches = search_volunteers(shared_store.writer, query, limit)
    assert len(matches) <= max(limit, 0)
    assert len(set(ids(matches))) == len(matches)


def test_kiosk_find_through_the_cli(tmp_path: Path) -> None:
    data = tmp_path / "data"
    roster = write_roster(tmp_path / "roster.csv", ROSTER)
    runner = CliRunner()
    imported = runner.invoke(cli, ["--data", str(data), "import-roster", str(roster)])
    assert imported.exit_code == 0, imported.output
    found = runner.invoke(cli, ["--data", str(data), "find", "lcx"])
    assert found.exit_code == 0, found.output
    assert found.output.splitlines() == ["V000000001\t雷彩霞\t滨江花园社区志愿服务队\t…5678\tinitials"]
    inactive = runner.invoke(cli, ["--data", str(data), "find", "周彩霞"])
    assert inactive.output.rstrip().endswith("\tinactive")
    nothing = runner.invoke(cli, ["--data", str(data), "find", "nobody"])
    assert nothing.exit_code == 0, nothing.output
    assert nothing.output.strip() == "no volunteer matches nobody"
