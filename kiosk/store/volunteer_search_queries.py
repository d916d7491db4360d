"""The volunteer search index (``volunteer_search``, ``volunteer_search_dirty``): its upkeep and its lookups.

The rules (what a query means, how matches are ranked, how pinyin is
computed) are in :mod:`kiosk.services.volunteer_search`; these functions only
run its queries. Lookups use range scans on the indexes (never ``LIKE``) and
only read, so they run on a reader connection (``Store.reader()``) as well as
on the writer. Each lookup returns at most ``limit`` rows, in its index's order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from kiosk.store.database import Transaction

#: A handle the search accepts: a store handle, or a plain ``sqlite3`` connection.
SearchConnection = Transaction | sqlite3.Connection
#: An indexed column a lookup ranges over.
KeyColumn = Literal["name", "pinyin", "initials", "phone_rev"]
#: (volunteer_id, name, phone) as stored in ``volunteers``; no name: the volunteer was deleted.
VolunteerRow = tuple[str, str | None, str | None]
#: (volunteer_id, name, pinyin, initials, phone_rev): one row of the index.
SearchEntry = tuple[str, str, str, str, str | None]


class DirtyMarks(NamedTuple):
    """The oldest marks of volunteers to (re)index: their IDs (each once), the last mark's rowid, how many."""

    volunteer_ids: list[str]
    last_mark: int
    marks: int


#: What a match shows of a volunteer, as stored now: (volunteer_id, name, phone, active 0/1,
#: organisation name). A plain tuple, not a NamedTuple: a search builds dozens of them per keystroke.
VolunteerSummary = tuple[str, str, str | None, int, str | None]


def _conn(db: SearchConnection) -> sqlite3.Connection:
    return db.conn if isinstance(db, Transaction) else db


# --- The index's upkeep ---------------------------------------------------------------------


def dirty_volunteer_count(db: SearchConnection) -> int:
    """How many volunteers wait to be (re)indexed."""
    return int(
        _conn(db).execute("SELECT COUNT(DISTINCT volunteer_id) FROM volunteer_search_dirty").fetchone()[0]
    )


def has_no_dirty_volunteer(db: SearchConnection) -> bool:
    """Whether no volunteer waits to be indexed (cheap: no count)."""
    return _conn(db).execute("SELECT 1 FROM volunteer_search_dirty LIMIT 1").fetchone() is None


def oldest_dirty_marks(db: SearchConnection, size: int) -> DirtyMarks:
    """The oldest ``size`` marks: the IDs they name (each once, in mark order), the last rowid, how many."""
    marks = (
        _conn(db)
        .execute("SELECT rowid, volunteer_id FROM volunteer_search_dirty ORDER BY rowid LIMIT ?", [size])
        .fetchall()
    )
    if not marks:
        return DirtyMarks([], 0, 0)
    return DirtyMarks(list(dict.fromkeys(m[1] for m in marks)), int(marks[-1][0]), len(marks))


def volunteer_names_and_phones(db: SearchConnection, ids: Sequence[str]) -> list[VolunteerRow]:
    """(volunteer_id, name, phone) for each of ``ids``; name and phone are None for a deleted volunteer."""
    rows: list[VolunteerRow] = (
        _conn(db)
        .execute(
            "SELECT j.value, v.name, v.phone FROM json_each(?) AS j "
            "LEFT JOIN volunteers AS v ON v.volunteer_id = j.value",
            [json.dumps(list(ids))],
        )
        .fetchall()
    )
    return rows


_UPSERT_SQL = (
    "INSERT INTO volunteer_search (volunteer_id, name, pinyin, initials, phone_rev) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (volunteer_id) DO UPDATE SET name = excluded.name, pinyin = excluded.pinyin, "
    "initials = excluded.initials, phone_rev = excluded.phone_rev "
    "WHERE name IS NOT excluded.name OR pinyin IS NOT excluded.pinyin "
    "OR initials IS NOT excluded.initials OR phone_rev IS NOT excluded.phone_rev"
)


def save_search_entries(db: Transaction, entries: Iterable[SearchEntry]) -> None:
    """Write these index rows (a row that is unchanged is left alone)."""
    db.conn.executemany(_UPSERT_SQL, entries)


def delete_search_entries(db: Transaction, volunteer_ids: Iterable[str]) -> None:
    """Remove these volunteers from the index."""
    db.conn.executemany(
        "DELETE FROM volunteer_search WHERE volunteer_id = ?",
        [(volunteer_id,) for volunteer_id in volunteer_ids],
    )


def consume_dirty_marks(db: Transaction, last_mark: int) -> None:
    """Drop the marks up to rowid ``last_mark``: a volunteer marked again since stays listed."""
    db.conn.execute("DELETE FROM volunteer_search_dirty WHERE rowid <= ?", [last_mark])


# --- The lookups ----------------------------------------------------------------------------


def _index(column: KeyColumn) -> str:
    return "phone" if column == "phone_rev" else column


def ids_by_key_prefix(
    db: SearchConnection, column: KeyColumn, prefix: str, after: str | None, limit: int
) -> list[tuple[str, str]]:
    """(volunteer_id, key) of the index rows whose ``column`` is in ``[prefix, after)`` (no bound: None)."""
    upper = f"AND {column} < ?" if after is not None else ""
    params: list[object] = [prefix, *([after] if after is not None else []), limit]
    rows: list[tuple[str, str]] = (
        _conn(db)
        .execute(
            f"SELECT volunteer_id, {column} FROM volunteer_search INDEXED BY volunteer_search_{_index(column)} "
            f"WHERE {column} >= ? {upper} ORDER BY {column}, volunteer_id LIMIT ?",
            params,
        )
        .fetchall()
    )
    return rows


# Names whose given name starts with the text: for each first character in the index
# (found by skipping through the name index, one seek per distinct character) and
# each two-character surname, the range of names starting with it and the text.
_GIVEN_NAME_SQL = """
WITH RECURSIVE first_char(c) AS (
    SELECT substr(min(name), 1, 1) FROM volunteer_search
    UNION ALL
    SELECT (SELECT substr(min(name), 1, 1) FROM volunteer_search WHERE name >= char(unicode(c) + 1))
    FROM first_char WHERE c IS NOT NULL AND c != '' AND unicode(c) < 1114111
), surname(s) AS (
    SELECT c FROM first_char WHERE c IS NOT NULL AND c != ''
    UNION SELECT value FROM json_each(:compound)
)
SELECT v.volunteer_id FROM surname
JOIN volunteer_search AS v INDEXED BY volunteer_search_name
    ON v.name >= surname.s || :text AND v.name < surname.s || :after
ORDER BY v.name, v.volunteer_id LIMIT :limit
"""


def ids_by_given_name(
    db: SearchConnection, text: str, after: str, compound_surnames: Sequence[str], limit: int
) -> list[str]:
    """Volunteers whose name is a surname (any first character, or one of ``compound_surnames``) then ``text``.

    ``after`` is the smallest text greater than every text starting with ``text``.
    """
    params = {"compound": json.dumps(compound_surnames), "text": text, "after": after, "limit": limit}
    return [volunteer_id for (volunteer_id,) in _conn(db).execute(_GIVEN_NAME_SQL, params)]


def ids_with_name_containing(db: SearchConnection, text: str, limit: int) -> list[str]:
    """Volunteers whose indexed name contains ``text`` anywhere: a scan of the name index."""
    rows = _conn(db).execute(
        "SELECT volunteer_id FROM volunteer_search INDEXED BY volunteer_search_name "
        "WHERE instr(name, ?) > 0 ORDER BY name, volunteer_id LIMIT ?",
        [text, limit],
    )
    return [volunteer_id for (volunteer_id,) in rows]


def existing_volunteer_id(db: SearchConnection, volunteer_id: str) -> str | None:
    """``volunteer_id`` if a volunteer has exactly that ID, else None."""
    row = (
        _conn(db)
        .execute("SELECT volunteer_id FROM volunteers WHERE volunteer_id = ?", [volunteer_id])
        .fetchone()
    )
    return None if row is None else str(row[0])


def ids_in_range(db: SearchConnection, prefix: str, after: str | None, limit: int) -> list[str]:
    """Volunteer IDs in ``[prefix, after)``, in order (none when ``after`` is None)."""
    rows = _conn(db).execute(
        "SELECT volunteer_id FROM volunteers WHERE volunteer_id >= ? AND volunteer_id < ? "
        "ORDER BY volunteer_id LIMIT ?",
        [prefix, after, limit],
    )
    return [volunteer_id for (volunteer_id,) in rows]


def volunteer_summaries(db: SearchConnection, ids: Sequence[str]) -> list[VolunteerSummary]:
    """Name, phone, whether active and organisation of each of ``ids`` that still exists (unordered)."""
    rows: list[VolunteerSummary] = (
        _conn(db)
        .execute(
            "SELECT v.volunteer_id, v.name, v.phone, v.active, o.name FROM json_each(?) AS j "
            "JOIN volunteers AS v ON v.volunteer_id = j.value "
            "LEFT JOIN organisations AS o ON o.org_id = v.org_id",
            [json.dumps(list(ids))],
        )
        .fetchall()
    )
    return rows
