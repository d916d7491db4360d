"""The kiosk's face records for sync: the newest record per volunteer, and the face outbox.

A *face record* is an enrolment or a deletion of one volunteer's face data,
with its own UUID (``record_id``). Tables (migration 0007):

- ``face_sync``: per volunteer, the newest record this kiosk holds, made
  here (``origin_kiosk`` NULL) or received from the cloud;
- ``face_outbox``: records made here, waiting for the cloud, oldest first.

:func:`record_made_here` runs inside the enrolment's or deletion's own write
transaction, so no enrolment or deletion exists without its record queued.
A record is *pending* until the cloud's reply settles it (``outcome``:
``accepted``, ``duplicate`` or ``superseded``) or refuses it
(``rejected_reason``, kept for the coordinator and never sent again). A newer
record of the same volunteer made here settles an older pending one as
``replaced_here``: the newer one says everything the cloud needs, so at most
one record per volunteer is pending. Functions here run inside the caller's
transaction (or as plain reads).

A waiting record's time is the kiosk's clock when it was made; the cloud
corrects it by the offset measured when it is sent. When the clock was set
back in between, :func:`move_back` moves the waiting records and the active
consents back with it, and :func:`date_deletions_no_later_than` dates a
deletion made while the clock was ahead no later than now: neither may look
newer than it is (docs/sync-protocol.md, "Face templates").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from checkin_protocol.event_rows import format_utc

ENROLMENT = "enrolment"
DELETION = "deletion"
MAX_REASON_CHARS = 200
_PENDING = "settled_utc IS NULL AND rejected_reason IS NULL"


@dataclass(frozen=True)
class FaceMark:
    """The newest face record of a volunteer on this kiosk."""

    record_id: str
    kind: str
    at_utc: str
    origin_kiosk: str | None  # None: made on this kiosk


@dataclass(frozen=True)
class PendingRecord:
    """A face record made here and not settled by the cloud yet."""

    seq: int
    record_id: str
    kind: str
    volunteer_id: str
    at_utc: str
    replaces: str | None


def current_record(db: Database, volunteer_id: str) -> FaceMark | None:
    """The newest face record of ``volunteer_id`` this kiosk holds, if any."""
    row = db.execute(
        "SELECT record_id, kind, at_utc, origin_kiosk FROM face_sync WHERE volunteer_id = ?", [volunteer_id]
    ).fetchone()
    return None if row is None else FaceMark(*row)


def set_current(
    db: Database, volunteer_id: str, record_id: str, kind: str, at_utc: str, origin_kiosk: str | None
) -> None:
    """Make ``record_id`` the newest face record of ``volunteer_id`` here."""
    db.execute(
        "INSERT INTO face_sync (volunteer_id, record_id, kind, at_utc, origin_kiosk) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (volunteer_id) DO UPDATE SET record_id = excluded.record_id, kind = excluded.kind, "
        "at_utc = excluded.at_utc, origin_kiosk = excluded.origin_kiosk",
        [volunteer_id, record_id, kind, at_utc, origin_kiosk],
    )


def record_made_here(db: Database, kind: str, volunteer_id: str, record_id: str, at: datetime) -> None:
    """Queue an enrolment or deletion made on this kiosk (inside its own write transaction).

    The record names the one it replaces (the volunteer's newest record
    here), settles an older pending record of the volunteer as
    ``replaced_here``, and becomes the volunteer's newest record.
    """
    if kind not in (ENROLMENT, DELETION):
        raise ValueError(f"a face record is an {ENROLMENT} or a {DELETION}, not {kind!r}")
    stamp = format_utc(at)
    previous = current_record(db, volunteer_id)
    db.execute(
        f"UPDATE face_outbox SET settled_utc = ?, outcome = 'replaced_here' WHERE volunteer_id = ? AND {_PENDING}",
        [stamp, volunteer_id],
    )
    db.execute(
        "INSERT INTO face_outbox (record_id, kind, volunteer_id, at_utc, replaces, enqueued_utc) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [record_id, kind, volunteer_id, stamp, previous.record_id if previous else None, stamp],
    )
    set_current(db, volunteer_id, record_id, kind, stamp, None)


def has_pending(db: Database, volunteer_id: str) -> bool:
    """Whether a record of ``volunteer_id`` made here still waits for the cloud."""
    row = db.execute(
        f"SELECT 1 FROM face_outbox WHERE volunteer_id = ? AND {_PENDING} LIMIT 1", [volunteer_id]
    )
    return row.fetchone() is not None


def pending_records(db: Database, limit: int) -> list[PendingRecord]:
    """The oldest pending records, at most ``limit``."""
    rows = db.execute(
        "SELECT seq, record_id, kind, volunteer_id, at_utc, replaces FROM face_outbox "
        f"WHERE {_PENDING} ORDER BY seq LIMIT ?",
        [limit],
    )
    return [PendingRecord(*row) for row in rows]


def settle(db: Database, outcomes: Mapping[str, str], batch_id: str, at: datetime) -> None:
    """Mark records settled by the cloud's reply: record ID -> ``accepted`` / ``duplicate`` / ``superseded``."""
    stamp = format_utc(at)
    db.conn.executemany(
        f"UPDATE face_outbox SET settled_utc = ?, outcome = ?, batch_id = ? WHERE record_id = ? AND {_PENDING}",
        [(stamp, outcome, batch_id, record_id) for record_id, outcome in outcomes.items()],
    )


def settle_here(db: Database, record_ids: Iterable[str], outcome: str, at: datetime) -> None:
    """Settle records without sending them (``replaced_here``: the kiosk holds newer data)."""
    stamp = format_utc(at)
    db.conn.executemany(
        f"UPDATE face_outbox SET settled_utc = ?, outcome = ? WHERE record_id = ? AND {_PENDING}",
        [(stamp, outcome, record_id) for record_id in record_ids],
    )


def reject(db: Database, reasons: Mapping[str, str], batch_id: str) -> None:
    """Keep records the cloud refused, with its reason; they are not sent again."""
    db.conn.executemany(
        f"UPDATE face_outbox SET rejected_reason = ?, batch_id = ? WHERE record_id = ? AND {_PENDING}",
        [
            ((reason or "rejected")[:MAX_REASON_CHARS], batch_id, record_id)
            for record_id, reason in reasons.items()
        ],
    )


def count_failure(db: Database, record_ids: Iterable[str], batch_id: str) -> None:
    """Count a failed attempt on each record of a batch (they stay pending)."""
    db.conn.executemany(
        f"UPDATE face_outbox SET attempts = attempts + 1, batch_id = ? WHERE record_id = ? AND {_PENDING}",
        [(batch_id, record_id) for record_id in record_ids],
    )


def waiting_count(db: Database) -> int:
    """Face records made here that wait for the cloud."""
    return int(db.execute(f"SELECT COUNT(*) FROM face_outbox WHERE {_PENDING}").fetchone()[0])


def rejected_count(db: Database) -> int:
    """Face records the cloud refused (kept for the coordinator)."""
    return int(db.execute("SELECT COUNT(*) FROM face_outbox WHERE rejected_reason IS NOT NULL").fetchone()[0])


def rejected_records(db: Database, limit: int = 100) -> list[tuple[str, str, str, str]]:
    """(record_id, kind, volunteer_id, reason) of refused face records, oldest first."""
    rows = db.execute(
        "SELECT record_id, kind, volunteer_id, rejected_reason FROM face_outbox "
        "WHERE rejected_reason IS NOT NULL ORDER BY seq LIMIT ?",
        [limit],
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _set_times(db: Database, records: Mapping[str, str]) -> None:
    """Give waiting records new times (record ID -> time), in the outbox and as the volunteer's newest record."""
    for table in ("face_outbox", "face_sync"):
        db.conn.executemany(
            f"UPDATE {table} SET at_utc = ? WHERE record_id = ?", [(at, rid) for rid, at in records.items()]
        )


def move_back(db: Database, seconds: float) -> int:
    """Move waiting records and active consents ``seconds`` back (the clock was set back by that); how many moved.

    They were made on the clock as it was; corrected by the offset measured
    now, they would look that much newer than they are.
    """
    shift = timedelta(seconds=seconds)

    def earlier(text: str) -> str:
        return format_utc((datetime.fromisoformat(text) - shift).astimezone(UTC))

    waiting = {
        str(r[0]): earlier(r[1])
        for r in db.execute(f"SELECT record_id, at_utc FROM face_outbox WHERE {_PENDING}")
    }
    _set_times(db, waiting)
    consents = [
        (earlier(r[1]), r[0])
        for r in db.execute(
            "SELECT volunteer_id, consented_utc FROM face_consents WHERE withdrawn_utc IS NULL"
        )
    ]
    db.conn.executemany("UPDATE face_consents SET consented_utc = ? WHERE volunteer_id = ?", consents)
    return len(waiting) + len(consents)


def date_deletions_no_later_than(db: Database, now: datetime) -> list[str]:
    """Date ``now`` the waiting deletions dated after it (made while the clock was ahead); their IDs.

    Kept so, a deletion sent again is the same record. A deletion is never
    refused for its time: its time only says when it was made.
    """
    stamp = format_utc(now)
    rows = db.execute(
        f"SELECT record_id, at_utc FROM face_outbox WHERE kind = ? AND {_PENDING}", [DELETION]
    ).fetchall()
    ahead = [str(r[0]) for r in rows if datetime.fromisoformat(r[1]) > now]
    _set_times(db, dict.fromkeys(ahead, stamp))
    return ahead
