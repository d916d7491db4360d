"""Applying ``/changes`` pages to the kiosk's tables: one page and its cursor in one transaction.

A crash while applying leaves the old rows *and* the old cursor, so the page
is fetched and applied again; every change is an upsert of the current row
or a delete, so applying a page twice changes nothing.

Per kind (docs/sync-protocol.md):

- ``organisation``, ``volunteer``, ``signup``, ``revocation``: upsert / delete;
  a volunteer's ``total_seconds`` and ``total_computed_utc`` (the platform's
  total, when the cloud sends it) go to ``volunteer_totals``, stamped with the
  ``at`` the page is applied; a volunteer without them has no total held;
- ``activity``: upsert keeps the kiosk's ``status`` (a coordinator's choice),
  a new one is ``scheduled``; a delete removes it, unless this kiosk holds
  events of it: then it is only closed, so its visits keep their title;
- ``trusted_key``: a new key ID is trusted for the purposes the row names
  (without ``purposes``: cards and activity codes only); a key ID naming
  another key than the one trusted here (or the demo key) is *not*
  overwritten, but recorded (``sync_state.trust_conflicts``) and reported; a
  delete stops trusting it;
- ``face_enrolment``, ``face_deletion``: :mod:`kiosk.sync.face_pull`;
- ``pass``: a volunteer's phone pass (:mod:`kiosk.store.passes`), its
  public key checked; a delete forgets it and the step accepted for it.

A change that cannot be stored (a field missing or of the wrong type, an
unknown kind) is skipped with a problem reported, so one bad row cannot
stall the kiosk's downloads for ever; a storage failure aborts the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from checkin_protocol.codes.fields import check_id
from checkin_protocol.codes.pass_codes import MAX_PASS_ID
from checkin_protocol.codes.tokens import MAX_VOLUNTEER_ID
from checkin_protocol.codes.trust import public_bytes_b64, public_key_from
from checkin_protocol.event_rows import format_utc
from checkin_protocol.face_records import FACE_KINDS
from checkin_protocol.models import Activity, ActivityStatus, OrgLevel
from kiosk.store import passes, pull_changes, volunteer_totals
from kiosk.store import sync_state as state
from kiosk.store.activities import save_activity
from kiosk.store.database import DatabaseIntegrityError, Store, Transaction
from kiosk.store.face_templates import erase_wal
from kiosk.sync.credentials import parse_platform_key, trust_platform_key
from kiosk.sync.errors import SyncError
from kiosk.sync.face_pull import FaceApplier

#: Kinds whose changes alter what the token verifier trusts (the caller reloads it).
TRUST_KINDS = frozenset({"revocation", "trusted_key"})


@dataclass(frozen=True)
class Change:
    """One change of a page: the current row of ``key`` (upsert) or its removal (delete)."""

    kind: str
    op: str
    key: str
    data: dict[str, Any] | None


@dataclass(frozen=True)
class ChangesPage:
    """A checked reply of ``GET /changes``."""

    changes: tuple[Change, ...]
    next_cursor: str
    more: bool
    #: The server's time when it read the page (protocol time text), if it said.
    server_time: str | None = None


@dataclass
class PageResult:
    """What applying one page did."""

    applied: int = 0
    problems: list[str] = field(default_factory=list)
    trust_changed: bool = False
    faces_changed: bool = False


def _garbled(what: str) -> SyncError:
    return SyncError("garbled", f"the server's list of changes could not be read ({what}); will try again")


def parse_changes_page(reply: dict[str, Any]) -> ChangesPage:
    """Check the shape of a ``/changes`` reply; ``SyncError`` ``garbled`` when it is wrong."""
    changes, cursor, more = reply.get("changes"), reply.get("next_cursor"), reply.get("more")
    if not isinstance(changes, list) or not isinstance(cursor, str) or not isinstance(more, bool):
        raise _garbled("changes, next_cursor or more missing")
    parsed = []
    for item in changes:
        if not isinstance(item, dict):
            raise _garbled("a change is not an object")
        kind, op, key, data = item.get("kind"), item.get("op"), item.get("key"), item.get("data")
        if not (isinstance(kind, str) and isinstance(op, str) and isinstance(key, str)):
            raise _garbled("a change without kind, op or key")
        if data is not None and not isinstance(data, dict):
            raise _garbled("a change whose data is not an object")
        parsed.append(Change(kind, op, key, data))
    server_time = reply.get("server_time")
    return ChangesPage(tuple(parsed), cursor, more, server_time if isinstance(server_time, str) else None)


def _text(data: dict[str, Any], name: str, *, nullable: bool = False) -> Any:
    value = data[name]
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be text")
    return value


def _int(data: dict[str, Any], name: str, *, nullable: bool = False) -> Any:
    value = data[name]
    if value is None and nullable:
        return None
    if type(value) is not int:
        raise ValueError(f"{name} must be an integer")
    return value


def _bool(data: dict[str, Any], name: str) -> int:
    value = data[name]
    if type(value) is not bool:
        raise ValueError(f"{name} must be true or false")
    return int(value)


def _time(data: dict[str, Any], name: str) -> datetime:
    moment = datetime.fromisoformat(_text(data, name))
    if moment.tzinfo is None:
        raise ValueError(f"{name} must carry its UTC offset")
    return moment.astimezone(UTC)


def _organisation(db: Transaction, change: Change, data: dict[str, Any], at: datetime) -> None:
    pull_changes.upsert_organisation(
        db,
        _text(data, "org_id"),
        _text(data, "name"),
        _text(data, "level"),
        _text(data, "parent_id", nullable=True),
    )


def _volunteer(db: Transaction, change: Change, data: dict[str, Any], at: datetime) -> None:
    volunteer_id = _text(data, "volunteer_id")
    pull_changes.upsert_volunteer(
        db,
        volunteer_id,
        _text(data, "name"),
        _text(data, "phone", nullable=True),
        _text(data, "org_id", nullable=True),
        _bool(data, "active"),
    )
    if data.get("total_seconds") is None:  # an older cloud: the platform total is not known
        volunteer_totals.forget_total(db, volunteer_id)
        return
    total = _int(data, "total_seconds")
    if total < 0:
        raise ValueError("total_seconds must not be negative")
    computed = (
        None if data.get("total_computed_utc") is None else format_utc(_time(data, "total_computed_utc"))
    )
    volunteer_totals.save_total(db, volunteer_id, total, computed, format_utc(at))


def _activity(db: Transaction, change: Change, data: dict[str, Any], at: datetime) -> None:
    activity = Activity(
        activity_id=_text(data, "activity_id"),
        title=_text(data, "title"),
        org_id=_text(data, "org_id", nullable=True),
        org_name=_text(data, "org_name"),
        org_level=OrgLevel(_text(data, "org_level")),
        venue=_text(data, "venue"),
        starts_at=_time(data, "starts_at"),
        ends_at=_time(data, "ends_at"),
        category=_text(data, "category"),
        capacity=_int(data, "capacity", nullable=True),
        checkin_opens_before_min=_int(data, "checkin_opens_before_min"),
        checkin_closes_after_start_min=_int(data, "checkin_closes_after_start_min", nullable=True),
        signup_required=bool(_bool(data, "signup_required")),
        status=ActivityStatus.SCHEDULED,  # only for a new row: save_activity keeps an existing status
    )
    save_activity(db, activity, source="cloud")


def _signup(db: Transaction, change: Change, data: dict[str, Any], at: datetime) -> None:
    pull_changes.add_signup(db, _text(data, "activity_id"), _text(data, "volunteer_id"))


def _revocation(db: Transaction, change: Change, data: dict[str, Any], at: datetime) -> None:
    card_no = _int(data, "card_no")
    if card_no < 0:
        raise ValueError("card_no must not be negative")
    pull_changes.upsert_revocation(
        db, _text(data, "volunteer_id"), card_no, format_utc(at), _text(data, "reason", nullable=True)
    )


def _pass(db: Transaction, change: Change, data: dict[str, Any], at: datetime) -> None:
    revoked = None if data["revoked_utc"] is None else format_utc(_time(data, "revoked_utc"))
    passes.upsert_pass(
        db,
        check_id("pass_id", data["pass_id"], MAX_PASS_ID),
        check_id("volunteer_id", data["volunteer_id"], MAX_VOLUNTEER_ID),
        public_bytes_b64(public_key_from(_text(data, "public_key"))),
        format_utc(_time(data, "created_utc")),
        revoked,
    )


_DELETES: dict[str, Callable[[Transaction, str], None]] = {
    "organisation": pull_changes.delete_organisation,
    "volunteer": pull_changes.delete_volunteer,
    "activity": pull_changes.remove_activity,
    "signup": pull_changes.delete_signup,
    "revocation": pull_changes.delete_revocation,
    "trusted_key": pull_changes.delete_platform_key,
    "pass": passes.delete_pass,
}
_UPSERTS: dict[str, Callable[[Transaction, Change, dict[str, Any], datetime], None]] = {
    "organisation": _organisation,
    "volunteer": _volunteer,
    "activity": _activity,
    "signup": _signup,
    "revocation": _revocation,
    "pass": _pass,
}


def _apply_one(db: Transaction, change: Change, at: datetime, face: FaceApplier | None) -> str | None:
    """Apply one change; a problem (the change was skipped) or None."""
    if change.kind in FACE_KINDS:
        if face is None:
            return f"{change.kind} {change.key}: face records are not applied here; skipped"
        return face.apply(db, change.kind, change.op, change.key, change.data, at)
    if change.op == "delete":
        delete = _DELETES.get(change.kind)
        if delete is None:
            return f"unknown kind of change {change.kind!r} (key {change.key}); skipped"
        delete(db, change.key)
        return None
    if change.op != "upsert":
        return f"unknown operation {change.op!r} on {change.kind} {change.key}; skipped"
    if change.data is None:
        return f"{change.kind} {change.key}: an upsert without data; skipped"
    if change.kind == "trusted_key":
        return trust_platform_key(db, parse_platform_key(change.data), at)
    upsert = _UPSERTS.get(change.kind)
    if upsert is None:
        return f"unknown kind of change {change.kind!r} (key {change.key}); skipped"
    upsert(db, change, change.data, at)
    return None


def apply_changes(
    db: Transaction, changes: tuple[Change, ...], at: datetime, face: FaceApplier | None = None
) -> PageResult:
    """Apply a page's changes inside the caller's write transaction.

    Each change runs under its own savepoint, so one that cannot be stored is
    undone alone and reported; any other error propagates (the caller's
    transaction then rolls back the whole page). Face records need ``face``
    (without it they are skipped and reported).
    """
    result = PageResult()
    for change in changes:
        pull_changes.begin_change(db)
        try:
            problem = _apply_one(db, change, at, face)
        # OverflowError: an integer SQLite cannot hold (beyond 64 bits) is a bad row, like a wrong type.
        except (KeyError, TypeError, ValueError, OverflowError, DatabaseIntegrityError) as exc:
            pull_changes.undo_change(db)
            problem = f"{change.kind} {change.key}: cannot be stored ({type(exc).__name__}: {exc}); skipped"
        pull_changes.end_change(db)
        if problem is None:
            result.applied += 1
            result.trust_changed = result.trust_changed or change.kind in TRUST_KINDS
        else:
            result.problems.append(problem)
    return result


def apply_page(store: Store, page: ChangesPage, at: datetime, kiosk_id: str | None = None) -> PageResult:
    """Apply ``page`` and store its cursor (and the server time it is as of) in ONE write transaction.

    Face templates deleted by the page are then emptied from the WAL too.
    """
    face = FaceApplier(store.path, kiosk_id, page.server_time)  # face times are checked against the page's
    with store.write() as db:
        result = apply_changes(db, page.changes, at, face)
        state.set_value(db, state.PULL_CURSOR, page.next_cursor)
        if page.server_time is not None:
            state.set_value(db, state.UPDATES_AS_OF, page.server_time)
    if face.deleted:
        erase_wal(store.writer, store.report.journal_mode)
    result.faces_changed = face.changed
    return result


def stored_cursor(db: Transaction) -> str | None:
    """Where the next pull starts (None: from the beginning)."""
    return state.get_value(db, state.PULL_CURSOR)
