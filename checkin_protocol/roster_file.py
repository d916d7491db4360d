"""A roster file (volunteers and their organisations) in CSV or JSON Lines: read, checked, and how it is stored.

The file's suffix names the format: ``.csv``, or ``.jsonl`` / ``.ndjson`` with
one JSON object per line. Both carry the fields of
:data:`checkin_protocol.roster_rows.FIELDS`; a CSV file starts with a header line
naming its columns (``volunteer_id`` and ``name`` are required; order and
case are free; unknown columns are ignored with one warning). Text is read as UTF-8 (with or without the BOM Excel writes) or, when
that fails, as GB18030, what Chinese Excel saves as "CSV".

A roster file comes from outside, so it has limits (:data:`MAX_ROSTER_BYTES`,
:data:`MAX_ROSTER_LINES`, :data:`MAX_LINE_CHARS`, :data:`MAX_COLUMNS`, and the
nesting limit of :mod:`checkin_protocol.untrusted_json` for a JSON line): a file past
them is refused whole, a JSON line past them is a bad row, and any bytes at
all get a :class:`RosterImportError` or a report, never another exception.

Every row is checked (:func:`checkin_protocol.roster_rows.check_row`) before
anything is written. A bad row is reported with its line in the file (the CSV
header is line 1) and what is wrong. By default one bad row means nothing is
imported; with ``skip_bad_rows`` the good rows are. A file that cannot be read
as a roster at all raises :class:`RosterImportError` and changes nothing.

Each side's store writes the good rows in one transaction with the upserts of
:func:`roster_upserts`, which touch a row only when a value differs, so
importing the same file again changes nothing, and the report tells new,
updated and unchanged volunteers apart. Volunteers missing
from the file are left as they are; a column missing from the file (``phone``,
``org_id``, ``active``) keeps the stored values of existing volunteers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from checkin_protocol.bounded_read import FileRefused, read_bounded
from checkin_protocol.roster_rows import (
    FIELDS,
    FORBIDDEN_CHAR_RE,
    ID_RE,
    REQUIRED_FIELDS,
    BadRow,
    OrgValues,
    RowCollector,
    VolunteerValues,
    canonical_active,
)
from checkin_protocol.untrusted_json import JsonRefused, loads_untrusted

__all__ = ["BadRow", "ImportReport", "RosterFile", "RosterImportError", "read_roster_file", "roster_upserts"]

# The demo's 500,000-volunteer roster is 43 MB as CSV, 96 MB as JSON Lines, with lines of at most
# 171 characters: the limits leave room for a bigger county and for columns the kiosk ignores.
MAX_ROSTER_BYTES = 256 * 1024 * 1024
MAX_ROSTER_LINES = 2_000_000
MAX_LINE_CHARS = 16_384
MAX_COLUMNS = 256
# Unknown JSON fields named in the warning; the rest are counted.
_NAMED_UNKNOWN = 20

CSV_SUFFIXES = frozenset({".csv"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_OPTIONAL_COLUMNS = ("phone", "org_id", "active")  # volunteer columns a file may leave out
# Eight non-ASCII characters that decode as UTF-8 before the first bad byte mean
# a UTF-8 file with a damaged byte, not GB18030 text (whose bytes form valid
# UTF-8 only by rare accident): reading it as GB18030 would import garbled names.
_UTF8_EVIDENCE = 8


class RosterImportError(Exception):
    """The file cannot be imported at all; nothing was changed. The message says why and what to do."""


@dataclass(frozen=True)
class ImportReport:
    """What an import read and did. ``imported`` is False when nothing was written."""

    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    organisations: int
    bad_rows: list[BadRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    imported: bool = False


def _printable(text: str, limit: int = 40) -> str:
    return FORBIDDEN_CHAR_RE.sub("?", text)[:limit]


def _read_text(path: Path) -> str:
    """The file's text: UTF-8 (BOM or not), else GB18030; RosterImportError when it is not text."""
    if path.is_dir():
        raise RosterImportError(f"{path} is a folder, not a roster file")
    try:
        data = read_bounded(path, MAX_ROSTER_BYTES)
    except FileNotFoundError:
        raise RosterImportError(f"{path} does not exist") from None
    except FileRefused as exc:
        raise RosterImportError(f"{path.name} cannot be imported: {exc.reason}") from None
    except OSError as exc:
        raise RosterImportError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if data.startswith(b"PK\x03\x04"):
        raise RosterImportError(
            f"{path.name} is an Excel workbook or another zip file; save it as 'CSV UTF-8' and import that"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterImportError(f"{path.name} is UTF-16 text; save it as 'CSV UTF-8' and import that")
    if b"\x00" in data:
        raise RosterImportError(f"{path.name} is not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        if sum(not ch.isascii() for ch in before) >= _UTF8_EVIDENCE:
            line = data.count(b"\n", 0, exc.start) + 1
            raise RosterImportError(
                f"{path.name} is UTF-8 text with a damaged byte on line {line}; fix or re-export the file"
            ) from None
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise RosterImportError(
                f"{path.name} is neither UTF-8 nor GB18030 text; save it as 'CSV UTF-8' and import that"
            ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise RosterImportError(f"{path.name} is empty")
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > MAX_ROSTER_LINES:
        raise RosterImportError(
            f"{path.name} has {lines:,} lines; a roster may have at most {MAX_ROSTER_LINES:,}: split it"
        )
    return text


def _first_long_line(text: str) -> tuple[int, int] | None:
    """(line number, length) of the first line longer than :data:`MAX_LINE_CHARS`, if any."""
    if len(text) <= MAX_LINE_CHARS:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            return number, len(line)
    return None


def _too_long(length: int) -> str:
    return f"{length:,} characters long; a roster line has at most {MAX_LINE_CHARS:,}"


def _read_csv(text: str, name: str, collector: RowCollector) -> tuple[set[str], list[str]]:
    """Check every row of CSV text; return the optional columns present and the warnings."""
    long_line = _first_long_line(text)
    if long_line is not None:
        raise RosterImportError(f"{name}: line {long_line[0]} is {_too_long(long_line[1])}")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        if len(header) > MAX_COLUMNS:
            # Checked first: the checks below compare columns with each other.
            raise RosterImportError(
                f"{name}: line 1 names {len(header):,} columns; a roster has at most {MAX_COLUMNS}"
            )
        columns = [column.strip().lower() for column in header]
        missing = [c for c in REQUIRED_FIELDS if c not in columns]
        if missing:
            raise RosterImportError(
                f"{name}: line 1 must be the header naming the columns, like {','.join(FIELDS)} "
                f"({' and '.join(REQUIRED_FIELDS)} are required); there is no {missing[0]} column"
            )
        twice = sorted({c for c in columns if c in FIELDS and columns.count(c) > 1})
        if twice:
            raise RosterImportError(f"{name}: the header names the column {twice[0]} twice")
        warnings: list[str] = []
        unknown = [_printable(c) for c in columns if c and c not in FIELDS]
        if unknown:
            warnings.append(f"ignored unknown columns: {', '.join(unknown)}")
        width = len(columns)
        # A column the file lacks reads as an empty string appended after the last one.
        indices = tuple(columns.index(f) if f in columns else width for f in FIELDS)
        _check_csv_rows(reader, width, indices, collector)
    except csv.Error as exc:
        raise RosterImportError(f"{name}: line {reader.line_num} cannot be read as CSV ({exc})") from None
    return {c for c in _OPTIONAL_COLUMNS if c in columns}, warnings


def _check_csv_rows(reader: Any, width: int, indices: tuple[int, ...], collector: RowCollector) -> None:
    """The hot loop, :meth:`RowCollector.add` inlined: an import may have 500,000 rows."""
    seen, append, org_ok = collector.seen, collector.volunteers.append, collector.org_ok
    check, fast_active = collector.check, canonical_active
    getter, pad = itemgetter(*indices), width in indices
    prev = reader.line_num
    for row in reader:
        line = prev + 1  # a quoted value may span lines: report the line the row starts on
        prev = reader.line_num
        if len(row) != width:
            if len(row) > width and any(row[width:]):
                collector.bad(
                    line,
                    None,
                    f"the line has {len(row)} values but the header names {width} columns "
                    "(a value containing a comma must be in double quotes)",
                )
                continue
            row = row[:width] + [""] * (width - len(row))
        if pad:
            row.append("")  # what the getter reads for the columns the file lacks
        vid, name, phone, org, org_name, level, parent, active_raw = getter(row)
        active = fast_active(vid, name, phone, active_raw)
        if active is not None and vid not in seen and (org, org_name, level, parent) in org_ok:
            seen[vid] = line
            append((vid, name, phone or None, org or None, active))
        else:
            check(line, (vid, name, phone, org, org_name, level, parent, active_raw))


def _json_field(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        if key == "active":
            return "1" if value else "0"
    elif isinstance(value, int) and key in ("volunteer_id", "phone", "org_id", "org_parent_id", "active"):
        return str(value)
    raise ValueError(f"{key} must be text, not {type(value).__name__}")


def _read_jsonl(text: str, name: str, collector: RowCollector) -> tuple[set[str], list[str]]:
    """Check every line of JSON Lines text; return the optional fields present and the warnings."""
    known = frozenset(FIELDS)
    keys: set[str] = set()
    objects = 0
    for line, line_text in enumerate(text.split("\n"), start=1):
        if not line_text.strip():
            continue
        if len(line_text) > MAX_LINE_CHARS:
            collector.bad(line, None, f"the line is {_too_long(len(line_text))}")
            continue
        try:
            obj = loads_untrusted(line_text, max_bytes=4 * MAX_LINE_CHARS)  # UTF-8: up to 4 bytes a character
        except JsonRefused as exc:
            collector.bad(line, None, f"the line is not a JSON object of text fields: {exc.reason}")
            continue
        if not isinstance(obj, dict):
            collector.bad(line, None, f"the line is a JSON {type(obj).__name__}, not an object")
            continue
        objects += 1
        keys.update(obj)
        try:
            raw = tuple(_json_field(obj, key) for key in FIELDS)
        except ValueError as exc:
            vid = obj.get("volunteer_id")
            collector.bad(line, vid if isinstance(vid, str) and ID_RE.fullmatch(vid) else None, str(exc))
            continue
        collector.add(line, raw)
    if not objects:
        raise RosterImportError(
            f"{name} has no line that is a JSON object; a JSON Lines roster has one object per line, "
            'like {"volunteer_id": "V1", "name": "..."}'
        )
    unknown = sorted(_printable(k) for k in keys - known)
    named = ", ".join(unknown[:_NAMED_UNKNOWN])
    if len(unknown) > _NAMED_UNKNOWN:
        named += f" and {len(unknown) - _NAMED_UNKNOWN} more"
    warnings = [f"ignored unknown fields: {named}"] if unknown else []
    return {c for c in _OPTIONAL_COLUMNS if c in keys}, warnings


@dataclass
class RosterFile:
    """A roster file read and checked, not yet written: the rows to upsert and what was wrong."""

    volunteers: list[VolunteerValues]
    orgs: list[OrgValues]
    bad_rows: list[BadRow]
    warnings: list[str]
    present: set[str]  # the optional volunteer columns the file has

    @property
    def rows_read(self) -> int:
        """Volunteer rows in the file, good and bad."""
        return len(self.volunteers) + len(self.bad_rows)

    def should_write(self, skip_bad_rows: bool) -> bool:
        """Whether the good rows are written: there are some, and no bad row stops them."""
        return bool(self.volunteers) and (not self.bad_rows or skip_bad_rows)

    def unwritten_report(self) -> ImportReport:
        """The report of a file whose rows were not written."""
        return ImportReport(
            self.rows_read, 0, 0, 0, len(self.orgs), self.bad_rows, self.warnings, imported=False
        )

    def written_report(self, inserted: int, changed: int) -> ImportReport:
        """The report once the rows were upserted: ``inserted`` new, ``changed`` rows touched."""
        return ImportReport(
            self.rows_read,
            inserted,
            changed - inserted,
            len(self.volunteers) - changed,
            len(self.orgs),
            self.bad_rows,
            self.warnings,
            imported=True,
        )


def read_roster_file(path: Path, known_org_ids: set[str]) -> RosterFile:
    """Read and check a CSV or JSON Lines roster; ``known_org_ids`` are the organisations already stored.

    Raises :class:`RosterImportError` when the file cannot be read as a roster.
    The volunteers come sorted by ID: in key order each insert lands beside
    the previous one in the ``volunteer_id`` index, about a third faster for
    a large roster.
    """
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES | JSONL_SUFFIXES:
        raise RosterImportError(
            f"{path.name}: a roster must be a .csv file or a JSON Lines file (.jsonl, .ndjson)"
        )
    text = _read_text(path)
    collector = RowCollector(known_org_ids)
    read = _read_csv if suffix in CSV_SUFFIXES else _read_jsonl
    present, warnings = read(text, path.name, collector)
    warnings += collector.finish()
    roster = RosterFile(
        sorted(collector.volunteers, key=itemgetter(0)),
        [org for org, _ in collector.orgs.values()],
        collector.bad_rows,
        warnings,
        present,
    )
    if not roster.rows_read:
        raise RosterImportError(f"{path.name} has no volunteer rows")
    return roster


def _upsert_sql(table: str, key: str, columns: list[str], updated: list[str]) -> str:
    sets = ", ".join(f"{c} = excluded.{c}" for c in updated)
    # A null-safe "differs" both SQLite (any version the kiosk meets) and PostgreSQL run.
    differs = " OR ".join(
        f"{table}.{c} <> excluded.{c} OR ({table}.{c} IS NULL) <> (excluded.{c} IS NULL)" for c in updated
    )
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT({key}) DO UPDATE SET {sets} WHERE {differs}"
    )


def roster_upserts(present: set[str]) -> tuple[str, str]:
    """The (organisation, volunteer) upserts of the roster tables both sides keep, as statement text.

    They touch a row only when a value differs, so the count of changed rows
    tells updated volunteers from unchanged ones; a column the file lacks
    keeps its stored values. Each store runs them in its own transaction.
    """
    volunteer_sql = _upsert_sql(
        "volunteers",
        "volunteer_id",
        ["volunteer_id", "name", "phone", "org_id", "active"],
        ["name", *(c for c in _OPTIONAL_COLUMNS if c in present)],
    )
    org_sql = _upsert_sql(
        "organisations", "org_id", ["org_id", "name", "level", "parent_id"], ["name", "level", "parent_id"]
    )
    return org_sql, volunteer_sql
