"""The change log as kiosks pull it: pages of upserts and deletes since a cursor.

Triggers (:mod:`cloud.schema`) log the key of every row inserted, updated or
deleted in the synced tables. A page is a run of log entries after the
cursor; each entry is joined to the row as it is *now*, so:

- a key whose row exists is an ``upsert`` with the current data, a key whose
  row is gone is a ``delete`` with ``data`` null, whatever the entry said;
- several entries of one key within a page collapse into one, at the place of
  the latest entry.

Applying pages in order therefore ends with the kiosk holding the current
rows, and applying a page twice changes nothing.

Face records (kind ``face`` in the log, keyed by volunteer and area) go only
to the kiosks of their area: an entry becomes the area's current record of
the volunteer, a ``face_enrolment`` or ``face_deletion`` upsert keyed by the
volunteer (:mod:`cloud.face_queries`); an entry whose area holds nothing of
the volunteer any more is left out. The cursor is the id of the
last log entry of the page (decimal text; clients treat it as opaque).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cloud.errors import ApiError
from cloud.protocol import MAX_MISSING_RANGES
from cloud.schema import FACE_LOG_KIND
from cloud.seq_gap_queries import SeqGap

if TYPE_CHECKING:  # cloud.storage imports this module's constants through cloud.queries
    from cloud.storage import Storage

#: The data of an upsert, per kind: column names, in the order of the protocol document.
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "organisation": ("org_id", "name", "level", "parent_id"),
    # The platform total of service (volunteer_totals): kept by cloud.visit_projection.
    "volunteer": ("volunteer_id", "name", "phone", "org_id", "active", "total_seconds", "total_computed_utc"),
    "activity": (
        "activity_id",
        "title",
        "org_id",
        "org_name",
        "org_level",
        "venue",
        "starts_at",
        "ends_at",
        "category",
        "capacity",
        "checkin_opens_before_min",
        "checkin_closes_after_start_min",
        "signup_required",
    ),
    "signup": ("activity_id", "volunteer_id"),
    "revocation": ("volunteer_id", "card_no", "reason"),
    "trusted_key": ("key_id", "public_key", "purposes"),
    # A volunteer's phone pass (docs/phone-pass.md): revoked_utc null while it is in use.
    "pass": ("pass_id", "volunteer_id", "public_key", "created_utc", "revoked_utc"),
}
#: Columns stored as 0/1 and sent as JSON booleans.
BOOLEAN_COLUMNS = frozenset({"active", "signup_required"})
#: Key columns stored as integers (the log keeps every key as text).
INTEGER_KEY_COLUMNS = frozenset({"card_no"})
_MAX_CURSOR_DIGITS = 18  # below 2**63


@dataclass(frozen=True, slots=True)
class LoggedChange:
    """A log entry joined to its current row (``row`` None: the row is gone)."""

    change_id: int
    kind: str
    key_a: str
    key_b: str | None
    row: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Change:
    """One change as sent: ``data`` is the current row for ``upsert`` and None for ``delete``."""

    kind: str
    op: str
    key: str
    data: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class ChangePage:
    """A page of changes, the cursor after it, whether more follow, and the pulling kiosk's missing ranges."""

    changes: list[Change]
    next_cursor: str
    more: bool
    missing: list[SeqGap] = field(default_factory=list)


def protocol_key(key_a: str, key_b: str | None) -> str:
    """The key as the protocol writes it: ``a`` or, for two-part keys, ``a/b``.

    The parts are joined as they are. An ID may itself contain ``/`` (card and
    activity IDs allow it), so a client should find the row whose joined key
    equals the key (``activity_id || '/' || volunteer_id = ?``), not split it.
    """
    return key_a if key_b is None else f"{key_a}/{key_b}"


def parse_cursor(text: str | None) -> int:
    """The log position after which a page starts; absent or empty is the beginning.

    ``ApiError`` 400 ``invalid_cursor`` for text that is not a cursor of this server.
    """
    if text is None or text == "":
        return 0
    if not (text.isascii() and text.isdigit() and len(text) <= _MAX_CURSOR_DIGITS):
        raise ApiError(400, "invalid_cursor", "the cursor is not one this server gave; pull from the start")
    return int(text)


def format_cursor(change_id: int) -> str:
    """The cursor text of a log position."""
    return str(change_id)


def row_data(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """The ``data`` of an upsert: the kind's columns, with 0/1 flags as booleans."""
    return {
        column: bool(row[column]) if column in BOOLEAN_COLUMNS else row[column]
        for column in KIND_COLUMNS[kind]
    }


def collapse(entries: list[LoggedChange]) -> list[Change]:
    """One change per key, at the place of its latest entry, upsert or delete by the current row.

    A ``face`` entry's row already names its kind and data (or is None: nothing to send).
    """
    latest: dict[tuple[str, str, str | None], LoggedChange] = {}
    for entry in sorted(entries, key=lambda e: e.change_id):
        identity = (entry.kind, entry.key_a, entry.key_b)
        latest.pop(identity, None)  # re-inserted below: dicts keep insertion order
        latest[identity] = entry
    changes = []
    for entry in latest.values():
        if entry.kind == FACE_LOG_KIND:
            if entry.row is not None:
                changes.append(Change(entry.row["kind"], "upsert", entry.key_a, entry.row["data"]))
            continue
        key = protocol_key(entry.key_a, entry.key_b)
        if entry.row is None:
            changes.append(Change(entry.kind, "delete", key, None))
        else:
            changes.append(Change(entry.kind, "upsert", key, row_data(entry.kind, entry.row)))
    return changes


def read_changes(
    store: Storage,
    cursor: str | None,
    limit: int,
    area_id: str | None = None,
    kiosk_id: str | None = None,
) -> ChangePage:
    """The page of at most ``limit`` log entries after ``cursor``, read from one snapshot.

    Face records are included for the kiosks of ``area_id`` only (None: none).
    ``missing`` holds the first :data:`MAX_MISSING_RANGES` ranges of records
    of ``kiosk_id`` the cloud lacks (None: none), on every page, so a kiosk
    learns of a loss on any pull (docs/sync-protocol.md, "Missing records").

    ``ApiError`` ``invalid_cursor`` for a cursor this server never gave: 400
    when malformed, 409 when well formed but beyond the log's end (as after
    restoring an older backup: the request is fine, the server's state does
    not match it). Either way the client pulls again from the beginning.
    """
    after = parse_cursor(cursor)
    with store.read() as reader:
        last = reader.last_change_id()
        if after > last:
            raise ApiError(
                409, "invalid_cursor", "the cursor is ahead of this server's log; pull from the start"
            )
        missing = [] if kiosk_id is None else reader.seq_gaps(kiosk_id, MAX_MISSING_RANGES)
        ids = reader.change_ids(after, limit)
        if not ids:
            return ChangePage([], format_cursor(after), more=False, missing=missing)
        entries = reader.logged_changes(after, ids[-1])
        if area_id is not None:
            entries += reader.logged_face_changes(after, ids[-1], area_id)
    return ChangePage(collapse(entries), format_cursor(ids[-1]), more=ids[-1] < last, missing=missing)
