"""Health checks of the kiosk's store: integrity, journal mode, free disk, clock, audit chain, faces, PINs.

Each check gives a :class:`Check` with a status and a plain-words detail. The
checks read through any connection to the database (the writer, or the
self-test's own read-only one, see :mod:`kiosk.services.self_test`), so they
can run off the thread that writes. :func:`run_checks` runs them on a
:class:`Store`; ``kiosk doctor`` runs the whole self-test, which includes them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from checkin_protocol.models import ClockReading
from kiosk.face.engine import FaceModelsMissing, model_paths
from kiosk.services.pin import pin_lengths
from kiosk.services.pin_hash import MIN_PIN_DIGITS
from kiosk.store import integrity
from kiosk.store.audit import verify_chain
from kiosk.store.database import DatabaseFailure, Store, Transaction
from kiosk.store.events import newest_wall_utc
from kiosk.store.face_templates import count_enrolled_volunteers, count_templates, face_key_path
from kiosk.store.filesystem import is_fat_family

MIN_FREE_BYTES = 200 * 1024 * 1024
LOW_FREE_BYTES = 1024 * 1024 * 1024
# A clock earlier than this build's year, or behind the newest stored event, is wrong.
EARLIEST_PLAUSIBLE_YEAR = 2026


class Status(StrEnum):
    """How a check went: fine, worth a look, something to fix now, or nothing to check here.

    ``SKIPPED`` is for what this kiosk does not use (no camera, no cloud yet,
    face check-in switched off): neither good nor bad, shown in grey.
    """

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Check:
    """One check's result: a stable ``name`` (the UI words it), a status and plain words.

    ``reason`` is a stable key for which result this is when the status alone
    does not say it (``fat``, ``never-synced``, ``switched-off`` ...), so the
    GUI can word it in the coordinator's language; empty otherwise. The
    ``detail`` stays the technical English of the log and ``kiosk doctor``.
    """

    name: str
    status: Status
    detail: str
    reason: str = ""


def free_bytes(folder: Path) -> int:
    """Free bytes on the disk holding ``folder`` (a function of its own so tests can fake a full disk)."""
    return shutil.disk_usage(folder).free


def check_integrity(db: Transaction, database: Path, full: bool = False) -> Check:
    """SQLite's quick (or full) integrity check of the database file."""
    pragma = "integrity_check" if full else "quick_check"
    rows = integrity.integrity_problems(db, pragma)
    if rows == ["ok"]:
        return Check("database", Status.OK, f"{pragma}: ok ({database.name})")
    return Check("database", Status.FAIL, f"{pragma}: {'; '.join(rows[:3])}")


def check_journal(journal_mode: str, synchronous: str | None, filesystem: str) -> Check:
    """The journal mode suits the filesystem: WAL on ordinary disks, a rollback journal on FAT/exFAT."""
    fat = is_fat_family(filesystem)
    sync = f" synchronous={synchronous}" if synchronous is not None else ""
    detail = f"journal_mode={journal_mode}{sync} on {filesystem}"
    if fat and journal_mode == "wal":
        return Check("journal", Status.FAIL, detail + ": WAL is unsafe on FAT/exFAT; set store.journal=auto")
    if synchronous is not None and synchronous not in ("full", "extra"):
        return Check("journal", Status.FAIL, detail + ": a power cut could lose confirmed check-ins")
    if fat:
        detail += " (FAT/exFAT: the rollback journal, as WAL is unsafe there)"
    return Check("journal", Status.OK, detail)


def synchronous_of(db: Transaction) -> str:
    """The ``synchronous`` setting of a connection, as a name."""
    return integrity.synchronous_name(db)


def journal_mode_of(db: Transaction) -> str:
    """The journal mode of the database as a connection sees it (``wal`` is kept in the file)."""
    return integrity.journal_mode(db)


def journal_mode_in_header(database: Path) -> str:
    """``wal`` or ``delete`` from the file's header (bytes 18-19 are 2 in WAL mode).

    For a database opened ``immutable`` (a read-only stick), where SQLite itself
    then reports no WAL.
    """
    with database.open("rb") as fh:
        header = fh.read(20)
    return "wal" if header[18:20] == b"\x02\x02" else "delete"


def check_free_space(folder: Path) -> Check:
    """Enough free disk beside the database for check-ins to be saved."""
    free = free_bytes(folder)
    detail = f"{free / 1024**3:.1f} GiB free"
    if free < MIN_FREE_BYTES:
        return Check("disk", Status.FAIL, detail + ": free space now, check-ins may fail to save")
    if free < LOW_FREE_BYTES:
        return Check("disk", Status.WARN, detail + ": running low")
    return Check("disk", Status.OK, detail)


def check_clock(db: Transaction, now: ClockReading) -> Check:
    """The device clock is plausible: not before this build's year, not behind the newest check-in."""
    newest_utc = newest_wall_utc(db)
    local = now.local.isoformat(timespec="seconds")
    if now.wall_utc.year < EARLIEST_PLAUSIBLE_YEAR:
        return Check("clock", Status.FAIL, f"the clock says {local}; set the date and time")
    if newest_utc:
        newest = datetime.fromisoformat(newest_utc)
        if now.wall_utc < newest - timedelta(minutes=5):
            return Check(
                "clock",
                Status.WARN,
                f"the clock says {local}, earlier than the newest check-in ({newest_utc}); check the time",
            )
    return Check("clock", Status.OK, f"{local} (UTC{now.utc_offset_min / 60:+g})")


def check_audit(db: Transaction) -> Check:
    """The audit log's hash chain is intact (nobody edited an entry)."""
    result = verify_chain(db)
    if result.ok:
        return Check("audit", Status.OK, f"{result.entries} entries, hash chain intact")
    return Check("audit", Status.FAIL, f"hash chain broken at entry {result.first_bad_id}")


def check_face(db: Transaction, database: Path, enabled: bool = True) -> Check:
    """The face models are there, and the enrolled templates can be opened (their key file is there).

    Face check-in is optional (the QR card always works), so a missing model is
    a warning (and nothing when face check-in is switched off); templates
    without their key are a failure: nobody enrolled here can be recognised
    until the key is restored from a backup of the data folder.
    """
    templates = count_templates(db)
    volunteers = count_enrolled_volunteers(db)
    enrolled = f"{volunteers} volunteer{'' if volunteers == 1 else 's'} enrolled ({templates} templates)"
    key = face_key_path(database)
    if templates and not key.is_file():
        return Check(
            "face",
            Status.FAIL,
            f"{enrolled} but the face key {key.name} is missing: restore keys/ from a backup",
        )
    try:
        paths = model_paths()
    except FaceModelsMissing as exc:
        if not enabled:
            return Check(
                "face", Status.SKIPPED, f"{enrolled}; face check-in is switched off ([face] enabled)"
            )
        return Check("face", Status.WARN, f"{enrolled}; face check-in is off: {exc}")
    size_mb = (paths.landmarks.stat().st_size + paths.descriptor.stat().st_size) / 1024**2
    state = "models found" if enabled else "switched off ([face] enabled), models found"
    return Check(
        "face", Status.OK, f"{enrolled}; {state} ({size_mb:.0f} MB)", "" if enabled else "switched-off"
    )


def check_pins(db: Transaction) -> Check:
    """Every coordinator's PIN has at least 6 digits: a warning names each shorter or unknown one.

    Shorter PINs set by earlier versions still open the desk, but fall to
    guessing far sooner; a PIN set before lengths were recorded is known
    after its next use. A warning, not a failure: the kiosk works.
    """
    try:
        lengths = pin_lengths(db)
    except DatabaseFailure as exc:  # a database the kiosk has not upgraded yet (read-only stick)
        return Check("pins", Status.WARN, f"the coordinator PINs could not be read ({exc})", "unreadable")
    problems = [
        f"{cid}'s PIN is shorter than {MIN_PIN_DIGITS} digits: kiosk coordinator set-pin {cid}"
        for cid in lengths.short
    ] + [
        f"{cid}'s PIN was set before lengths were recorded (known after its next use), "
        f"or set a new one: kiosk coordinator set-pin {cid}"
        for cid in lengths.unknown
    ]
    if problems:
        return Check("pins", Status.WARN, "; ".join(problems))
    if lengths.active == 0:
        return Check("pins", Status.SKIPPED, "no coordinator accounts yet")
    counted = f"{lengths.active} coordinator PIN{'' if lengths.active == 1 else 's'}"
    return Check("pins", Status.OK, f"{counted} of at least {MIN_PIN_DIGITS} digits")


def store_checks(
    db: Transaction,
    database: Path,
    now: ClockReading,
    *,
    synchronous: str | None,
    filesystem: str,
    full: bool = False,
    face_enabled: bool = True,
) -> list[Check]:
    """The store's checks through ``db``, in the order a person would read them.

    ``synchronous`` is the writer's setting; None when the kiosk could not open
    its store, and then the journal mode is read from the file's header.
    """
    journal_mode = journal_mode_of(db) if synchronous is not None else journal_mode_in_header(database)
    return [
        check_integrity(db, database, full),
        check_journal(journal_mode, synchronous, filesystem),
        check_free_space(database.parent),
        check_clock(db, now),
        check_audit(db),
        check_face(db, database, face_enabled),
        check_pins(db),
    ]


def run_checks(store: Store, now: ClockReading, full: bool = False) -> list[Check]:
    """The store's checks on its writer connection (the self-test uses a connection of its own)."""
    return store_checks(
        store.writer,
        store.path,
        now,
        synchronous=synchronous_of(store.writer),
        filesystem=store.report.filesystem,
        full=full,
    )
