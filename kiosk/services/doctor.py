"""Health checks of a kiosk: database integrity, journal mode, free disk, clock, audit chain.

Each check gives a :class:`Check` with a status and a plain-words detail; the
CLI prints them and ``doctor`` exits non-zero when any check failed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from kiosk.domain.models import ClockReading
from kiosk.face.engine import FaceModelsMissing, model_paths
from kiosk.store.audit import verify_chain
from kiosk.store.database import Store
from kiosk.store.face_templates import face_key_path
from kiosk.store.filesystem import is_fat_family

MIN_FREE_BYTES = 200 * 1024 * 1024
LOW_FREE_BYTES = 1024 * 1024 * 1024
# A clock earlier than this build's year, or behind the newest stored event, is wrong.
EARLIEST_PLAUSIBLE_YEAR = 2026


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


def check_integrity(store: Store, full: bool = False) -> Check:
    pragma = "integrity_check" if full else "quick_check"
    rows = [str(r[0]) for r in store.writer.execute(f"PRAGMA {pragma}").fetchall()]
    if rows == ["ok"]:
        return Check("database", Status.OK, f"{pragma}: ok ({store.path.name})")
    return Check("database", Status.FAIL, f"{pragma}: {'; '.join(rows[:3])}")


def check_journal(store: Store) -> Check:
    mode = str(store.writer.execute("PRAGMA journal_mode").fetchone()[0])
    sync = {0: "off", 1: "normal", 2: "full", 3: "extra"}[
        store.writer.execute("PRAGMA synchronous").fetchone()[0]
    ]
    fs = store.report.filesystem
    detail = f"journal_mode={mode} synchronous={sync} on {fs}"
    if is_fat_family(fs) and mode == "wal":
        return Check("journal", Status.FAIL, detail + ": WAL is unsafe on FAT/exFAT; set store.journal=auto")
    if sync not in ("full", "extra"):
        return Check("journal", Status.FAIL, detail + ": a power cut could lose confirmed check-ins")
    return Check("journal", Status.OK, detail)


def check_free_space(store: Store) -> Check:
    free = shutil.disk_usage(store.path.parent).free
    detail = f"{free / 1024**3:.1f} GiB free"
    if free < MIN_FREE_BYTES:
        return Check("disk", Status.FAIL, detail + ": free space now, check-ins may fail to save")
    if free < LOW_FREE_BYTES:
        return Check("disk", Status.WARN, detail + ": running low")
    return Check("disk", Status.OK, detail)


def check_clock(store: Store, now: ClockReading) -> Check:
    row = store.writer.execute("SELECT MAX(wall_utc) FROM events").fetchone()
    local = now.local.isoformat(timespec="seconds")
    if now.wall_utc.year < EARLIEST_PLAUSIBLE_YEAR:
        return Check("clock", Status.FAIL, f"the clock says {local}; set the date and time")
    if row and row[0]:
        from datetime import datetime

        newest = datetime.fromisoformat(row[0])
        if now.wall_utc < newest - timedelta(minutes=5):
            return Check(
                "clock",
                Status.WARN,
                f"the clock says {local}, earlier than the newest check-in ({row[0]}); check the time",
            )
    return Check("clock", Status.OK, f"{local} (UTC{now.utc_offset_min / 60:+g})")


def check_audit(store: Store) -> Check:
    result = verify_chain(store.writer)
    if result.ok:
        return Check("audit", Status.OK, f"{result.entries} entries, hash chain intact")
    return Check("audit", Status.FAIL, f"hash chain broken at entry {result.first_bad_id}")


def check_face(store: Store) -> Check:
    """The face models are there, and the enrolled templates can be opened (their key file is there).

    Face check-in is optional (the QR card always works), so a missing model is
    a warning; templates without their key are a failure: nobody enrolled here
    can be recognised until the key is restored from a backup of the data folder.
    """
    templates = int(store.writer.execute("SELECT COUNT(*) FROM face_templates").fetchone()[0])
    volunteers = int(
        store.writer.execute("SELECT COUNT(DISTINCT volunteer_id) FROM face_templates").fetchone()[0]
    )
    enrolled = f"{volunteers} volunteer{'' if volunteers == 1 else 's'} enrolled ({templates} templates)"
    if templates and not face_key_path(store.path).is_file():
        return Check(
            "face",
            Status.FAIL,
            f"{enrolled} but the face key {face_key_path(store.path).name} is missing: restore keys/ from a backup",
        )
    try:
        paths = model_paths()
    except FaceModelsMissing as exc:
        return Check("face", Status.WARN, f"{enrolled}; face check-in is off: {exc}")
    size_mb = (paths.landmarks.stat().st_size + paths.descriptor.stat().st_size) / 1024**2
    return Check("face", Status.OK, f"{enrolled}; models found ({size_mb:.0f} MB)")


def run_checks(store: Store, now: ClockReading, full: bool = False) -> list[Check]:
    """All checks, in the order a person would read them."""
    return [
        check_integrity(store, full),
        check_journal(store),
        check_free_space(store),
        check_clock(store, now),
        check_audit(store),
        check_face(store),
    ]
