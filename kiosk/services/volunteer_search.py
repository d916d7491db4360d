"""Find a volunteer as the coordinator types: by name, pinyin, pinyin initials, phone digits or ID.

The index is the table ``volunteer_search`` (migration ``0005_coordinator_desk``):
one row per volunteer with the name, its pinyin (lower case, no tones, no
spaces: ``leicaixia``), its initials (``lcx``) and the digits of the phone
number reversed (``phone_rev``: the last digits typed become a prefix). Triggers
on ``volunteers`` list every changed volunteer in ``volunteer_search_dirty``;
:func:`refresh_index` works that list off in short write transactions, so a
roster import stays a plain insert and the pinyin is computed afterwards.

The pinyin comes from pypinyin (``lazy_pinyin``, ``Style.NORMAL``; ü is
written ``v``, as typed on a Chinese keyboard: 吕 is ``lv``), computed for the
surname and the given name apart, so that no phrase spans the two. pypinyin
0.55 has no surname mode; a surname whose reading as a surname differs from
the character's usual one (单 shàn, 曾 zēng, 解 xiè, 区 ōu, 仇 qiú, 朴 piáo,
查 zhā, ...) takes it from :data:`SURNAME_READINGS`, and the two-character
surnames of :data:`COMPOUND_SURNAMES` are read as one word (万俟 mòqí). One
reading is kept per volunteer: "shan" finds 单雄信, "dan" does not.

:func:`search_volunteers` only reads, with range scans on the indexes (never
``LIKE``), so it runs on a reader connection (``Store.reader()``) and never
waits for the write lock. The query rules:

* any query: the volunteer with exactly that ID (as typed, upper or lower case) comes first;
* text with Chinese (or other non-ASCII) characters: names starting with it;
  then, with Chinese characters and fewer than ``limit`` found, names whose
  given name starts with it (``彩霞`` finds 雷彩霞 and 欧阳彩霞: one index range
  per first character of the names, about 1 ms); only when nothing at all
  matched, names containing it anywhere (a scan: about 60 ms with 500,000
  volunteers); spaces inside are ignored;
* ASCII letters: pinyin initials starting with them (``lcx``) and pinyin
  starting with them (``leicai``), case-insensitive; spaces, apostrophes, dots
  and dashes are ignored (``lei cai``, ``xi'an``);
* three digits or more (spaces, dashes and a leading ``+86`` ignored): phone
  numbers ending with them;
* text that could be an ID (letters, digits, ``_``, ``-``): IDs starting with
  it, as typed or in upper or lower case.

Order: the exact ID; exact matches (the whole name, pinyin, initials or phone
number); other prefix matches; given names and names containing the text;
within each group by name, then ID. Each kind of match contributes at most
``limit`` candidates in its index's order (shortest keys first), so a prefix
that thousands of volunteers share costs no more than a rare one. The names,
phone tails and organisations shown are the current ones from ``volunteers``;
a volunteer deleted but not yet re-indexed is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from kiosk.store import volunteer_search_queries as queries
from kiosk.store.database import Store
from kiosk.store.volunteer_search_queries import KeyColumn, SearchEntry, VolunteerRow

MatchKind = Literal["id", "name", "pinyin", "initials", "phone"]
#: A store handle (``Store.reader()``, the writer) or a plain ``sqlite3`` connection.
ReadConnection = queries.SearchConnection

#: Volunteers indexed per write transaction by default: under about 150 ms each with
#: 500,000 volunteers on a 2-core kiosk, short enough for the GUI's writer thread.
CHUNK_SIZE = 1000
#: Volunteers per write transaction to catch up on a large backlog (the CLI): about 0.5 s
#: each, far fewer page writes in all; other writers wait at most that long.
BULK_CHUNK_SIZE = 20_000
#: Digits a query needs before it is looked up as the end of a phone number.
MIN_PHONE_DIGITS = 3
PHONE_TAIL_DIGITS = 4

# Readings of single-character surnames that differ from the character's usual
# reading (what pypinyin gives for the character alone). 盖 (gě or gài) is
# read both ways as a surname and keeps pypinyin's reading.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan", "曾": "zeng", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao", "查": "zha",
    "覃": "qin", "乐": "yue", "缪": "miao", "翟": "zhai", "重": "chong", "种": "chong", "秘": "bi",
    "繁": "po", "佴": "nai", "粘": "nian", "藏": "zang", "都": "du", "六": "lu", "薄": "bo",
    "乜": "nie", "阚": "kan", "卜": "bu", "员": "yun", "贠": "yun", "隗": "wei", "召": "shao",
    "祭": "zhai", "洗": "xian", "折": "she",
}  # fmt: skip
#: Two-character surnames: read as one (pypinyin's phrases give 万俟 mòqí, 尉迟 yùchí,
#: 单于 chányú), and a name starting with one has its given name after them.
COMPOUND_SURNAMES: tuple[str, ...] = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "南宫", "呼延", "独孤", "百里", "万俟", "单于", "澹台", "公冶",
    "宗政", "濮阳", "淳于", "太叔", "申屠", "仲孙", "钟离", "鲜于", "闾丘", "司空", "亓官", "司寇",
    "拓跋", "赫连", "西门", "东郭", "第五", "乐正", "公羊", "谷梁", "左丘", "梁丘",
)  # fmt: skip
_COMPOUND_SURNAME_SET = frozenset(COMPOUND_SURNAMES)
_COMPOUND_SURNAME_READINGS = {"乐正": ("yuezheng", "yz")}  # pypinyin reads it lè zhèng

_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LETTERS_RE = re.compile("[a-z]+")
_DIGITS_QUERY_RE = re.compile(r"\+?[0-9][0-9\s-]*")
_ID_QUERY_RE = re.compile("[A-Za-z0-9_-]+")
_IGNORED_IN_LETTERS_RE = re.compile(r"[\s'’.·-]+")  # "lei cai", "xi'an", "Anna-Li"
_ALNUM_RUN_RE = re.compile("[a-z0-9]+")
_NON_DIGIT_RE = re.compile("[^0-9]+")

_KIND_ORDER: dict[MatchKind, int] = {"id": 0, "name": 1, "initials": 2, "pinyin": 3, "phone": 4}
# Ranks: what kind of match puts a volunteer where in the list.
_EXACT_ID, _EXACT, _PREFIX, _CONTAINS = 0, 1, 2, 3


@dataclass(frozen=True)
class VolunteerMatch:
    """One volunteer found, with what the query matched."""

    volunteer_id: str
    name: str
    phone_tail: str | None  # the last four digits, or None without a phone number
    org_name: str | None
    active: bool
    matched_by: MatchKind


@dataclass(frozen=True)
class SearchKeys:
    """The indexed forms of one volunteer: ``leicaixia``, ``lcx``, the phone digits reversed."""

    pinyin: str
    initials: str
    phone_rev: str | None


# --- The index --------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _romanised(text: str) -> tuple[str, str]:
    """(pinyin, initials) of a text by pypinyin; each word of other text ("Anna Li") gives an initial.

    Cached: surnames and given names repeat a lot in a big roster.
    """
    from pypinyin import Style, lazy_pinyin  # 0.2 s to import: only when a name is indexed (cached here)

    words = [
        w
        for syllable in lazy_pinyin(text, style=Style.NORMAL)
        for w in _ALNUM_RUN_RE.findall(syllable.lower())
    ]
    return "".join(words), "".join(word[0] for word in words)


def split_surname(name: str) -> tuple[str, str]:
    """(surname, given name) of a Chinese name: a known two-character surname or the first character.

    A name that does not start with a Chinese character is all given name.
    """
    if len(name) < 2 or not _HAN_RE.match(name):
        return "", name
    surname = name[:2] if name[:2] in _COMPOUND_SURNAME_SET and len(name) > 2 else name[0]
    return surname, name[len(surname) :]


def _surname_romanised(surname: str) -> tuple[str, str]:
    reading = SURNAME_READINGS.get(surname)
    if reading is not None:
        return reading, reading[0]
    return _COMPOUND_SURNAME_READINGS.get(surname) or _romanised(surname)


def search_keys(name: str, phone: str | None) -> SearchKeys:
    """What :func:`refresh_index` stores for a volunteer with this name and phone."""
    surname, given = split_surname(name)
    surname_pinyin, surname_initials = _surname_romanised(surname) if surname else ("", "")
    given_pinyin, given_initials = _romanised(given)
    digits = _NON_DIGIT_RE.sub("", phone or "")
    return SearchKeys(surname_pinyin + given_pinyin, surname_initials + given_initials, digits[::-1] or None)


def index_backlog(db: ReadConnection) -> int:
    """How many volunteers wait to be (re)indexed."""
    return queries.dirty_volunteer_count(db)


def index_is_current(db: ReadConnection) -> bool:
    """Whether no volunteer waits to be indexed (cheap: no count)."""
    return queries.has_no_dirty_volunteer(db)


def refresh_index(store: Store, limit: int | None = None, *, chunk_size: int = CHUNK_SIZE) -> int:
    """Index the volunteers listed in ``volunteer_search_dirty``; return how many were processed.

    Works in write transactions of at most ``chunk_size`` volunteers, each
    committed on its own, until the list is empty or ``limit`` volunteers were
    processed. Call it outside a transaction. The GUI's writer thread calls it
    when idle with ``limit=CHUNK_SIZE``; the CLI catches up before a search
    with ``chunk_size=BULK_CHUNK_SIZE``.
    """
    done = 0
    while limit is None or done < limit:
        size = chunk_size if limit is None else min(chunk_size, limit - done)
        processed = _refresh_chunk(store, size)
        done += processed
        if processed < size:
            break
    return done


def _dirty_rows(db: ReadConnection, ids: Sequence[str]) -> list[VolunteerRow]:
    """The rows of the volunteers to index, read before the write lock is taken (tests hook in here)."""
    return queries.volunteer_names_and_phones(db, ids)


def _keys_for(rows: Iterable[VolunteerRow]) -> dict[VolunteerRow, SearchKeys | None]:
    return {row: None if row[1] is None else search_keys(row[1], row[2]) for row in rows}


def _refresh_chunk(store: Store, size: int) -> int:
    """Index the volunteers of up to ``size`` dirty marks in one write transaction; return how many marks.

    The pinyin is computed before the write lock is taken. Inside the
    transaction the rows are read again: a volunteer changed in between is
    computed again, so that no change is lost when its dirty mark is removed.
    """
    ids, last_mark, marks = queries.oldest_dirty_marks(store.writer, size)
    if not ids:
        return 0
    rows = _dirty_rows(store.writer, ids)
    computed = _keys_for(rows)
    with store.write() as db:
        current = queries.volunteer_names_and_phones(db, [row[0] for row in rows])
        computed.update(_keys_for(row for row in current if row not in computed))
        upserts: list[SearchEntry] = []
        deletes: list[str] = []
        for row in current:
            keys = computed[row]
            if keys is None or row[1] is None:
                deletes.append(row[0])
            else:
                upserts.append((row[0], row[1], keys.pinyin, keys.initials, keys.phone_rev))
        queries.save_search_entries(db, upserts)
        queries.delete_search_entries(db, deletes)
        # Marks are consumed in rowid order: a volunteer marked again meanwhile is indexed again later.
        queries.consume_dirty_marks(db, last_mark)
    return marks


# --- The search -------------------------------------------------------------------------------


def search_volunteers(db: ReadConnection, query: str, limit: int = 20) -> list[VolunteerMatch]:
    """The volunteers the coordinator may mean by ``query``, best first; [] for an empty query.

    See the module's docstring for the rules. Never raises on odd text; only
    reads, so a reader connection is enough.
    """
    text = _clean(query)
    if not text or limit <= 0:
        return []
    found = _Candidates()
    _find_exact_id(db, text, found)
    letters = _IGNORED_IN_LETTERS_RE.sub("", text).lower()
    if _LETTERS_RE.fullmatch(letters):
        _find_by_key(db, "initials", letters, limit, found)
        _find_by_key(db, "pinyin", letters, limit, found)
    elif _DIGITS_QUERY_RE.fullmatch(text):
        _find_by_phone_end(db, text, limit, found)
    elif not text.isascii():
        _find_by_name(db, text, limit, found)
    id_prefix = "".join(text.split())
    if _ID_QUERY_RE.fullmatch(id_prefix):
        _find_id_prefix(db, id_prefix, limit, found)
    return _matches(db, found, limit)


def _find_by_phone_end(db: ReadConnection, text: str, limit: int, found: _Candidates) -> None:
    """Volunteers whose phone number ends with the digits of ``text`` (at least three)."""
    digits = _NON_DIGIT_RE.sub("", text.removeprefix("+86"))
    if len(digits) >= MIN_PHONE_DIGITS:
        _find_by_key(db, "phone_rev", digits[::-1], limit, found)


def _find_by_name(db: ReadConnection, text: str, limit: int, found: _Candidates) -> None:
    """Names starting with ``text``; for Chinese text then given names, and as a last resort any part."""
    if not _HAN_RE.search(text):
        _find_by_key(db, "name", text, limit, found)
        return
    name = "".join(text.split())
    _find_by_key(db, "name", name, limit, found)
    if len(found) < limit:
        _find_given_name(db, name, limit, found)
    if not found:
        _find_name_containing(db, name, limit, found)


class _Candidates:
    """The volunteers found so far, each with its best (rank, kind)."""

    def __init__(self) -> None:
        self.best: dict[str, tuple[int, MatchKind]] = {}

    def __len__(self) -> int:
        return len(self.best)

    def add(self, volunteer_id: str, rank: int, kind: MatchKind) -> None:
        old = self.best.get(volunteer_id)
        if old is None or (rank, _KIND_ORDER[kind]) < (old[0], _KIND_ORDER[old[1]]):
            self.best[volunteer_id] = (rank, kind)


def _clean(query: str) -> str:
    """The query without surrogates (SQLite cannot take them), control characters and outer spaces."""
    text = query.encode("utf-8", "ignore").decode("utf-8")
    return "".join(ch for ch in text if ch.isprintable() or ch == " ").strip()


def _after_prefix(prefix: str) -> str | None:
    """The smallest text greater than every text starting with ``prefix`` (None: there is none).

    SQLite compares text by its UTF-8 bytes, that is by code point, so
    ``prefix <= key < after`` is the range of keys starting with ``prefix``.
    """
    for end in range(len(prefix) - 1, -1, -1):
        code = ord(prefix[end]) + 1
        if 0xD800 <= code <= 0xDFFF:
            code = 0xE000  # surrogates cannot be stored; the next storable code point
        if code <= 0x10FFFF:
            return prefix[:end] + chr(code)
    return None


_KEY_KINDS: dict[KeyColumn, MatchKind] = {
    "name": "name",
    "pinyin": "pinyin",
    "initials": "initials",
    "phone_rev": "phone",
}


def _find_by_key(db: ReadConnection, column: KeyColumn, prefix: str, limit: int, found: _Candidates) -> None:
    """Volunteers whose ``column`` starts with ``prefix``: at most ``limit``, in index order."""
    rows = queries.ids_by_key_prefix(db, column, prefix, _after_prefix(prefix), limit)
    kind = _KEY_KINDS[column]
    for volunteer_id, key in rows:
        found.add(volunteer_id, _EXACT if key == prefix else _PREFIX, kind)


def _find_given_name(db: ReadConnection, text: str, limit: int, found: _Candidates) -> None:
    """Volunteers whose given name starts with ``text`` (彩霞 finds 雷彩霞 and 欧阳彩霞): index ranges."""
    after = _after_prefix(text)
    if after is None:
        return
    for volunteer_id in queries.ids_by_given_name(db, text, after, COMPOUND_SURNAMES, limit):
        found.add(volunteer_id, _CONTAINS, "name")


def _find_name_containing(db: ReadConnection, text: str, limit: int, found: _Candidates) -> None:
    """Volunteers whose name contains ``text`` anywhere: a scan of the name index, stopped at ``limit``.

    About 60 ms with 500,000 volunteers, so only run when nothing else matched.
    """
    for volunteer_id in queries.ids_with_name_containing(db, text, limit):
        found.add(volunteer_id, _CONTAINS, "name")


def _id_variants(text: str) -> list[str]:
    return list(dict.fromkeys((text, text.upper(), text.lower())))


def _find_exact_id(db: ReadConnection, text: str, found: _Candidates) -> None:
    for candidate in _id_variants(text):
        volunteer_id = queries.existing_volunteer_id(db, candidate)
        if volunteer_id is not None:
            found.add(volunteer_id, _EXACT_ID, "id")


def _find_id_prefix(db: ReadConnection, text: str, limit: int, found: _Candidates) -> None:
    """Volunteers whose ID starts with ``text`` (as typed, upper or lower case): at most ``limit`` each."""
    for prefix in _id_variants(text):
        for volunteer_id in queries.ids_in_range(db, prefix, _after_prefix(prefix), limit):
            found.add(volunteer_id, _PREFIX, "id")


def _matches(db: ReadConnection, found: _Candidates, limit: int) -> list[VolunteerMatch]:
    """The candidates as matches, best first: by rank, then name and ID."""
    if not found:
        return []
    rows = queries.volunteer_summaries(db, list(found.best))
    ranked = sorted(rows, key=lambda r: (found.best[r[0]][0], r[1], r[0]))
    return [
        VolunteerMatch(
            volunteer_id=volunteer_id,
            name=name,
            phone_tail=_phone_tail(phone),
            org_name=org_name,
            active=bool(active),
            matched_by=found.best[volunteer_id][1],
        )
        for volunteer_id, name, phone, active, org_name in ranked[:limit]
    ]


def _phone_tail(phone: str | None) -> str | None:
    digits = _NON_DIGIT_RE.sub("", phone or "")
    return digits[-PHONE_TAIL_DIGITS:] if digits else None
