"""The SQL of face records, mixed into :class:`cloud.queries.Reader` and :class:`cloud.queries.Writer`.

Tables (migrations ``0003_face``, ``0007_face_deletion_log``,
``0011_face_qr_only``): ``face_enrolments`` (the newest enrolment per area
and volunteer, ciphertexts only, with the QR-only mark it carried),
``face_tombstones`` (the deletion in force per volunteer) and
``face_deletion_log`` (every deletion taken, for replays).
The change log holds kind ``face`` entries keyed by volunteer and area;
:meth:`FaceReads.logged_face_changes` joins them to the current rows, so an
entry becomes that area's current face record of the volunteer: its
enrolment if there is one, else the volunteer's deletion. The records are
sent with their times on the server's clock (the kiosk's time corrected by
its offset; a deletion's, when it took effect), so a kiosk can check them
against the page's ``server_time`` whatever the clock of the kiosk that
made them (a QR-only mark's ``decided_utc`` too, corrected as its enrolment).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from checkin_protocol.face_records import FACE_DELETION, FACE_ENROLMENT
from cloud.changes import LoggedChange
from cloud.protocol import format_time
from cloud.schema import FACE_LOG_KIND
from cloud.sql_connection import SqlConnection

ENROLMENT = "enrolment"
DELETION = "deletion"


@dataclass(frozen=True, slots=True)
class FaceMark:
    """What the order of two face records of a volunteer depends on."""

    record_id: str
    kind: str
    corrected_utc: str
    replaces: str | None


@dataclass(frozen=True, slots=True)
class EnrolmentRow:
    """A stored enrolment (``templates`` is the JSON text of the area-key ciphertexts).

    ``qr_only`` is None or the JSON text of the QR-only mark it carried (:func:`qr_only_text`).
    """

    area_id: str
    volunteer_id: str
    record_id: str
    kiosk_id: str
    model_version: str
    enrolled_utc: str
    corrected_utc: str
    replaces: str | None
    consented_utc: str
    coordinator: str
    notice_version: str
    templates: str
    received_utc: str
    batch_id: str
    qr_only: str | None = None

    @property
    def mark(self) -> FaceMark:
        """Its place in the order of the volunteer's records."""
        return FaceMark(self.record_id, ENROLMENT, self.corrected_utc, self.replaces)

    def template_ids(self) -> list[str]:
        """The IDs of its templates, in order."""
        return [str(t["template_id"]) for t in json.loads(self.templates)]


@dataclass(frozen=True, slots=True)
class TombstoneRow:
    """The newest deletion of a volunteer's face data."""

    volunteer_id: str
    record_id: str
    kiosk_id: str
    area_id: str
    deleted_utc: str
    corrected_utc: str
    replaces: str | None
    received_utc: str
    batch_id: str

    @property
    def mark(self) -> FaceMark:
        """Its place in the order of the volunteer's records."""
        return FaceMark(self.record_id, DELETION, self.corrected_utc, self.replaces)

    @property
    def effective_utc(self) -> str:
        """When it took effect on the server's clock: its arrival, or its corrected time if later.

        A later enrolment passes it only with a consent after this time (or
        naming it in ``replaces``).
        """
        return max(self.corrected_utc, self.received_utc)  # one fixed format: text order is time order


_ENROLMENT_COLUMNS = tuple(f.name for f in fields(EnrolmentRow))
_TOMBSTONE_COLUMNS = tuple(f.name for f in fields(TombstoneRow))


def qr_only_text(mark: Mapping[str, str] | None) -> str | None:
    """The stored form of a QR-only mark (its wire fields, times as :func:`format_time` writes them): one text
    per mark, so two records carrying the same mark compare equal."""
    if mark is None:
        return None
    return json.dumps(dict(mark), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _like_the_enrolment(row: EnrolmentRow, text: str) -> str:
    """A time the enrolling kiosk wrote, corrected as the enrolment's was, never after the enrolment."""
    enrolled, corrected = datetime.fromisoformat(row.enrolled_utc), datetime.fromisoformat(row.corrected_utc)
    try:
        moment = datetime.fromisoformat(text) + (corrected - enrolled)
    except OverflowError:  # only rows stored before times were checked can be this far apart
        return row.corrected_utc
    return min(format_time(moment), row.corrected_utc)


def consent_on_server_clock(row: EnrolmentRow) -> str:
    """The consent's time corrected as the enrolment's was, never after the enrolment."""
    return _like_the_enrolment(row, row.consented_utc)


def qr_only_on_server_clock(row: EnrolmentRow) -> dict[str, str] | None:
    """The enrolment's QR-only mark as sent to kiosks (None: none), its time corrected as the enrolment's."""
    if row.qr_only is None:
        return None
    mark: dict[str, str] = json.loads(row.qr_only)
    return {**mark, "decided_utc": _like_the_enrolment(row, mark["decided_utc"])}


def _enrolment_data(row: EnrolmentRow) -> dict[str, Any]:
    return {
        "record_id": row.record_id,
        "volunteer_id": row.volunteer_id,
        "origin_kiosk": row.kiosk_id,
        "model_version": row.model_version,
        "enrolled_utc": row.corrected_utc,
        "consent": {
            "consented_utc": consent_on_server_clock(row),
            "coordinator": row.coordinator,
            "notice_version": row.notice_version,
        },
        "templates": json.loads(row.templates),
        "qr_only": qr_only_on_server_clock(row),
    }


def _deletion_data(row: TombstoneRow) -> dict[str, Any]:
    return {
        "record_id": row.record_id,
        "volunteer_id": row.volunteer_id,
        "origin_kiosk": row.kiosk_id,
        "deleted_utc": row.effective_utc,
    }


class FaceReads:
    """Face queries within a read snapshot."""

    _conn: SqlConnection

    def face_enrolment(self, area_id: str, volunteer_id: str) -> EnrolmentRow | None:
        """The stored enrolment of ``volunteer_id`` in ``area_id``."""
        row = self._conn.execute(
            f"SELECT {', '.join(_ENROLMENT_COLUMNS)} FROM face_enrolments WHERE area_id = ? AND volunteer_id = ?",
            (area_id, volunteer_id),
        ).fetchone()
        return None if row is None else EnrolmentRow(*row)

    def face_enrolments_of(self, volunteer_id: str) -> list[EnrolmentRow]:
        """The volunteer's stored enrolments, one per area."""
        rows = self._conn.execute(
            f"SELECT {', '.join(_ENROLMENT_COLUMNS)} FROM face_enrolments WHERE volunteer_id = ? ORDER BY area_id",
            (volunteer_id,),
        )
        return [EnrolmentRow(*row) for row in rows]

    def face_record_owner(self, record_id: str) -> str | None:
        """``enrolment`` or ``deletion`` when a stored enrolment or a deletion ever taken has this record ID."""
        for table, kind in (("face_enrolments", ENROLMENT), ("face_deletion_log", DELETION)):
            if self._conn.execute(f"SELECT 1 FROM {table} WHERE record_id = ?", (record_id,)).fetchone():
                return kind
        return None

    def face_deletion(self, record_id: str) -> tuple[str, str, str] | None:
        """(volunteer, kiosk, deleted_utc) of a deletion ever taken with this record ID."""
        row = self._conn.execute(
            "SELECT volunteer_id, kiosk_id, deleted_utc FROM face_deletion_log WHERE record_id = ?",
            (record_id,),
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]))

    def face_tombstone(self, volunteer_id: str) -> TombstoneRow | None:
        """The newest deletion of ``volunteer_id``, if any."""
        row = self._conn.execute(
            f"SELECT {', '.join(_TOMBSTONE_COLUMNS)} FROM face_tombstones WHERE volunteer_id = ?",
            (volunteer_id,),
        ).fetchone()
        return None if row is None else TombstoneRow(*row)

    def logged_face_changes(self, after: int, upto: int, area_id: str) -> list[LoggedChange]:
        """The ``face`` log entries of ``area_id`` in (after, upto], each with the current record as its row.

        The row is ``{"kind": "face_enrolment" | "face_deletion", "data": {...}}``,
        or None when the area holds no record of that volunteer any more.
        """
        enrolment = ", ".join(f"e.{c}" for c in _ENROLMENT_COLUMNS)
        tombstone = ", ".join(f"t.{c}" for c in _TOMBSTONE_COLUMNS)
        cursor = self._conn.execute(
            f"SELECT c.change_id, c.key_a, c.key_b, e.record_id IS NOT NULL, t.record_id IS NOT NULL, "
            f"{enrolment}, {tombstone} FROM changes c "
            "LEFT JOIN face_enrolments e ON e.area_id = c.key_b AND e.volunteer_id = c.key_a "
            "LEFT JOIN face_tombstones t ON t.volunteer_id = c.key_a "
            "WHERE c.kind = ? AND c.key_b = ? AND c.change_id > ? AND c.change_id <= ?",
            (FACE_LOG_KIND, area_id, after, upto),
        )
        width = len(_ENROLMENT_COLUMNS)
        entries = []
        for row in cursor:
            change_id, key_a, key_b, has_enrolment, has_tombstone = row[:5]
            current: dict[str, Any] | None = None
            if has_enrolment:
                current = {"kind": FACE_ENROLMENT, "data": _enrolment_data(EnrolmentRow(*row[5 : 5 + width]))}
            elif has_tombstone:
                current = {"kind": FACE_DELETION, "data": _deletion_data(TombstoneRow(*row[5 + width :]))}
            entries.append(LoggedChange(int(change_id), FACE_LOG_KIND, str(key_a), str(key_b), current))
        return entries


class FaceWrites(FaceReads):
    """Face statements within the write transaction."""

    def put_face_enrolment(self, row: EnrolmentRow) -> None:
        """Store ``row`` as the enrolment of its volunteer in its area, replacing the one there."""
        names = _ENROLMENT_COLUMNS
        updates = ", ".join(f"{n} = excluded.{n}" for n in names[2:])
        self._conn.execute(
            f"INSERT INTO face_enrolments ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
            f"ON CONFLICT (area_id, volunteer_id) DO UPDATE SET {updates}",
            tuple(getattr(row, n) for n in names),
        )

    def delete_face_enrolment(self, area_id: str, volunteer_id: str) -> bool:
        """Delete a stored enrolment (its ciphertexts with it); False when there was none."""
        cursor = self._conn.execute(
            "DELETE FROM face_enrolments WHERE area_id = ? AND volunteer_id = ?", (area_id, volunteer_id)
        )
        return cursor.rowcount == 1

    def log_face_deletion(self, row: TombstoneRow) -> None:
        """Remember a deletion taken, for good: sent again, it is a duplicate."""
        self._conn.execute(
            "INSERT INTO face_deletion_log (record_id, volunteer_id, kiosk_id, deleted_utc, received_utc) "
            "VALUES (?, ?, ?, ?, ?)",
            (row.record_id, row.volunteer_id, row.kiosk_id, row.deleted_utc, row.received_utc),
        )

    def put_face_tombstone(self, row: TombstoneRow) -> None:
        """Store ``row`` as the deletion in force for its volunteer."""
        names = _TOMBSTONE_COLUMNS
        updates = ", ".join(f"{n} = excluded.{n}" for n in names[1:])
        self._conn.execute(
            f"INSERT INTO face_tombstones ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
            f"ON CONFLICT (volunteer_id) DO UPDATE SET {updates}",
            tuple(getattr(row, n) for n in names),
        )

    def log_face_change(self, volunteer_id: str, area_id: str) -> None:
        """Send the area's current face record of the volunteer to the area's kiosks again."""
        self._conn.execute(
            "INSERT INTO changes (kind, op, key_a, key_b) VALUES (?, 'upsert', ?, ?)",
            (FACE_LOG_KIND, volunteer_id, area_id),
        )
