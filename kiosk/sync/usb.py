"""USB transfer on the kiosk: offline provisioning, exporting records, importing receipts and updates.

For venues with no network (``docs/sync-protocol.md``, "USB bundles"):

1. :func:`kiosk.sync.usb_setup.register_offline` reads the provisioning file
   ``kiosk-cloud provision-kiosk --offline-file`` wrote: the platform keys to
   trust, the cloud's bundle key and a one-time code. The kiosk makes its
   device keys.
2. :func:`export_events` writes every waiting record into bundles signed by
   the device key and sealed for the cloud. Every bundle also carries the
   device's public keys, the pull cursor and, until a receipt confirms the
   registration, the provisioning code; the first one also the waiting face
   records (once an update has brought the area face key). Exporting changes
   nothing but the audit log: the records stay waiting until a receipt says
   they arrived.
3. :func:`import_bundles` takes what the cloud wrote back: *receipts* (the
   push reply for a bundle: those events become delivered, exactly as after
   an online push) and *changes* (the ``/changes`` pages since the cursor the
   kiosk reported, applied one page per transaction; its ``missing`` ranges
   make delivered records the platform lacks wait for the next export,
   :mod:`kiosk.sync.gaps`). A bundle imported
   before is recognised by its ID and changes nothing; a tampered, foreign or
   misdirected bundle is refused with the reason and changes nothing.

Every function takes the store and does its own transactions: call it from
the thread that owns the writer (the CLI's only thread).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from checkin_protocol import __version__
from checkin_protocol.bundle_files import (
    SUFFIX,
    BundleError,
    BundleFile,
    build_bundle,
    bundle_files,
    new_header,
    read_bundle,
    write_bundle,
)
from checkin_protocol.codes.issuer import public_key_b64
from checkin_protocol.event_rows import format_utc
from checkin_protocol.sealed import KEY_BYTES, SealError, unb64, x25519_public_b64, x25519_public_from
from kiosk.store import face_sync, usb_bundles
from kiosk.store import sync_state as state
from kiosk.store.audit import append_audit, audit_alone
from kiosk.store.database import DatabaseFailure, Store, Transaction
from kiosk.store.device_keys import box_key
from kiosk.store.face_templates import load_area_key, load_face_key, save_area_key
from kiosk.store.outbox import in_outbox, pending_after
from kiosk.sync.credentials import ensure_device_key
from kiosk.sync.errors import SyncError
from kiosk.sync.face_push import build_batch, parse_face_reply
from kiosk.sync.gaps import apply_missing
from kiosk.sync.outbox import parse_push_reply, record_reply
from kiosk.sync.pull import ChangesPage, apply_page, parse_changes_page, stored_cursor
from kiosk.sync.usb_setup import ensure_box_key, platform_bundle_key

log = logging.getLogger(__name__)

#: Records per events bundle: about 10 MB of JSON before compression.
MAX_EVENTS_PER_BUNDLE = 20_000
DEVICE_SIGNER = "device"


class UsbError(Exception):
    """A USB step that cannot run; the message says what to do, ``kind`` says which case for a screen.

    Kinds: ``not_set_up`` (no bundle key yet), ``no_folder`` (the stick or
    folder is not there), ``write_failed`` (full or read-only stick).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


# -- 2. export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedBundle:
    """One events bundle written: its file, ID and the sequence numbers it carries."""

    path: Path
    bundle_id: str
    events: int
    first_seq: int | None
    last_seq: int | None
    face_records: int = 0


def _face_records(store: Store, db: Transaction, kiosk_id: str, now: datetime) -> list[dict[str, Any]]:
    """Every waiting face record, under the area key; none while the kiosk has no area key yet."""
    area_key = load_area_key(store.path)
    if area_key is None:
        return []
    face_key = load_face_key(store.path, create=False)
    return build_batch(db, face_key, kiosk_id, area_key, now, limit=face_sync.waiting_count(db) or 1)


def _export_snapshot(
    store: Store, kiosk_id: str, now: datetime
) -> tuple[dict[str, Any], list[list[dict[str, Any]]], list[dict[str, Any]], Any]:
    """Keys, state, the waiting events in chunks and the waiting face records, all read in one transaction."""
    with store.write() as db:
        bundle_key = state.get_value(db, state.BUNDLE_PUBLIC_KEY)
        if bundle_key is None:
            raise UsbError(
                "not_set_up",
                "this kiosk is not set up for the cloud yet: run `kiosk register --offline-file FILE` "
                "with the provisioning file from the platform (or register online)",
            )
        device_key = ensure_device_key(db)
        box_key = ensure_box_key(db)
        common = {
            "app_version": __version__,
            "device_public_key": public_key_b64(device_key),
            "device_box_public_key": x25519_public_b64(box_key),
            "provisioning_code": state.get_value(db, state.PROVISIONING_CODE),
            "pull_cursor": stored_cursor(db),
            "clock_offset_s": state.get_float(db, state.CLOCK_OFFSET_S),
            "bundle_public_key": bundle_key,
        }
        chunks: list[list[dict[str, Any]]] = []
        after = 0
        while True:
            chunk = pending_after(db, after, MAX_EVENTS_PER_BUNDLE)
            if not chunk:
                break
            chunks.append(chunk)
            after = int(chunk[-1]["seq"])
        faces = _face_records(store, db, kiosk_id, now)
    return common, chunks or [[]], faces, device_key


def export_events(store: Store, kiosk_id: str, out_dir: Path, now: datetime) -> list[ExportedBundle]:
    """Write the waiting records to ``out_dir`` as events bundles (at least one, maybe with no records).

    :class:`UsbError` when the kiosk is not set up or the folder cannot be
    written. The records stay waiting; a receipt marks them delivered.
    """
    if not out_dir.is_dir():
        raise UsbError("no_folder", f"{out_dir} is not a folder (is the USB stick plugged in?)")
    try:
        common, chunks, faces, device_key = _export_snapshot(store, kiosk_id, now)
        recipient = x25519_public_from(common["bundle_public_key"], "the cloud's bundle key")
    except SealError as exc:
        raise UsbError("not_set_up", f"the stored bundle key is unusable ({exc}); register again") from None
    created = format_utc(now)
    written: list[ExportedBundle] = []
    for number, events in enumerate(chunks):
        header = new_header("events", kiosk_id, created)
        face_records = faces if number == 0 else []
        payload = {**common, "created_utc": created, "events": events, "face_records": face_records}
        bundle = build_bundle(header, payload, device_key, DEVICE_SIGNER, recipient)
        first = int(events[0]["seq"]) if events else None
        last = int(events[-1]["seq"]) if events else None
        span = f"{first}-{last}" if events else f"none-{header['bundle_id'][:8]}"
        path = out_dir / f"{kiosk_id}-events-{span}{SUFFIX}"
        try:
            write_bundle(bundle, path)
        except OSError as exc:
            raise UsbError(
                "write_failed",
                f"cannot write {path}: {exc.strerror or exc} (is the stick full or read-only?)",
            ) from exc
        written.append(ExportedBundle(path, header["bundle_id"], len(events), first, last, len(face_records)))
    audit_alone(
        store,
        kiosk_id=kiosk_id,
        action="usb_exported",
        at=now,
        detail={
            "bundles": [b.bundle_id for b in written],
            "events": sum(b.events for b in written),
            "face_records": len(faces),
        },
    )
    log.info("exported %d records in %d USB bundles", sum(b.events for b in written), len(written))
    return written


# -- 3. import -------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What became of one file: ``imported``, ``already`` (imported before), ``skipped`` or ``refused``.

    ``kind`` is the bundle's kind, empty for a file that could not be read as a bundle.
    """

    path: Path
    kind: str
    result: str
    message: str
    trust_changed: bool = False
    delivered: int = 0  # receipts: records now delivered
    applied: int = 0  # updates: changes applied


@dataclass
class ImportReport:
    """The outcome per file of one :func:`import_bundles` call."""

    outcomes: list[ImportOutcome] = field(default_factory=list)

    @property
    def trust_changed(self) -> bool:
        return any(o.trust_changed for o in self.outcomes)

    @property
    def refused(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.result == "refused"]

    @property
    def delivered(self) -> int:
        """Records the imported receipts marked delivered."""
        return sum(o.delivered for o in self.outcomes)

    @property
    def applied(self) -> int:
        """Changes the imported updates applied."""
        return sum(o.applied for o in self.outcomes)


def _record_import(
    db: Transaction, bundle: BundleFile, summary: dict[str, Any], now: datetime, kiosk_id: str
) -> None:
    usb_bundles.record_imported(
        db, bundle.bundle_id, bundle.kind, bundle.header["created_utc"], format_utc(now), json.dumps(summary)
    )
    append_audit(
        db,
        kiosk_id=kiosk_id,
        action=f"usb_imported_{bundle.kind}",
        at=now,
        detail={"bundle_id": bundle.bundle_id, **summary},
    )


def _import_receipt(store: Store, kiosk_id: str, bundle: BundleFile, now: datetime) -> ImportOutcome:
    document = bundle.document()
    payload = bundle.verified_payload(document, platform_bundle_key(store.writer, document.signer))
    try:
        reply = parse_push_reply(payload)
    except SyncError as exc:
        raise BundleError(f"the receipt cannot be read: {exc.message}") from None
    events_bundle = str(payload.get("events_bundle_id") or bundle.bundle_id)
    try:
        face = parse_face_reply(payload["face"]) if isinstance(payload.get("face"), dict) else None
    except SyncError as exc:
        raise BundleError(f"the receipt's face records cannot be read: {exc.message}") from None
    named = {*reply.accepted, *reply.duplicate, *(i for i, _ in reply.rejected if i is not None)}
    with store.write() as db:
        when = usb_bundles.imported_before(db, bundle.bundle_id)
        if when is not None:
            return ImportOutcome(
                bundle.path or Path(), "receipt", "already", f"imported before ({when}); nothing changed"
            )
        ours = in_outbox(db, named)
        outcome = record_reply(db, ours, events_bundle, reply, now)
        if face is not None:
            face_sync.settle(db, face.settled, events_bundle, now)
            face_sync.reject(db, face.rejected, events_bundle)
        confirmed = (
            payload.get("registered") is True and state.get_value(db, state.PROVISIONING_CODE) is not None
        )
        if confirmed:
            state.set_value(db, state.PROVISIONING_CODE, None)
            state.set_value(db, state.DEVICE_ID, kiosk_id)
            state.set_value(db, state.REGISTERED_UTC, format_utc(now))
        summary = {
            "delivered": outcome.accepted + outcome.duplicate,
            "refused_by_platform": len(outcome.rejected),
            "not_on_this_kiosk": len(named) - len(ours),
            "face_records": len(face.settled) if face is not None else 0,
        }
        _record_import(db, bundle, summary, now, kiosk_id)
    words = f"{summary['delivered']} records delivered"
    if outcome.rejected:
        words += f", {len(outcome.rejected)} refused by the platform (see kiosk sync-status)"
    if summary["face_records"]:
        words += f", {summary['face_records']} face records delivered"
    if summary["not_on_this_kiosk"]:
        words += f", {summary['not_on_this_kiosk']} not found on this kiosk"
    if confirmed:
        words += "; the platform has registered this kiosk"
    return ImportOutcome(bundle.path or Path(), "receipt", "imported", words, delivered=summary["delivered"])


def _changes_pages(payload: dict[str, Any], as_of: str) -> list[ChangesPage]:
    pages = payload.get("pages")
    if not isinstance(pages, list) or not pages or not all(isinstance(p, dict) for p in pages):
        raise BundleError("the update holds no pages of changes")
    try:
        return [
            replace(
                parse_changes_page(
                    {"changes": p.get("changes"), "next_cursor": p.get("next_cursor"), "more": False}
                ),
                server_time=as_of,
            )
            for p in pages
        ]
    except SyncError as exc:
        raise BundleError(f"the update cannot be read: {exc.message}") from None


def _exported_here(db: Transaction, bundle_id: object) -> bool:
    """Whether this database exported the events bundle ``bundle_id`` (its audit log says so)."""
    if not isinstance(bundle_id, str) or not bundle_id:
        return False
    return usb_bundles.exported_here(db, bundle_id)


def _pages_to_apply(db: Transaction, payload: dict[str, Any], pages: list[ChangesPage]) -> list[ChangesPage]:
    """The pages that carry this kiosk forward; :class:`BundleError` when the update leaves a gap.

    The update starts at ``from_cursor``. It follows on from the kiosk's own
    cursor when it starts there, when it starts at the beginning, or when it
    starts at a cursor this kiosk reported in one of its own exports
    (``reported_in``): cursors only move forward, so the kiosk has everything
    before it. Pages the kiosk has already passed are left out.
    """
    cursor = stored_cursor(db)
    cursors = [page.next_cursor for page in pages]
    if cursor in cursors:
        return pages[cursors.index(cursor) + 1 :]
    start = payload.get("from_cursor")
    if start is None or start == cursor or _exported_here(db, payload.get("reported_in")):
        return pages
    raise BundleError(
        f"this update starts at {start}, which the kiosk cannot place after its last update "
        f"({cursor or 'none yet'}): something could be missing. Export a new bundle from the kiosk so "
        "the platform sends the right update"
    )


def _import_changes(store: Store, kiosk_id: str, bundle: BundleFile, now: datetime) -> ImportOutcome:
    """Apply an update made after everything this kiosk has, one page per transaction.

    An update made before the newest one applied (by the cloud's clock) is
    skipped: its rows could be older than the kiosk's.
    """
    path = bundle.path or Path()
    db = store.writer
    opening_key = box_key(store.path, create=False)
    if opening_key is None:
        raise BundleError("this kiosk has no key to open updates yet: export a bundle first and send it")
    document = bundle.document(opening_key)
    payload = bundle.verified_payload(document, platform_bundle_key(db, document.signer))
    as_of = str(bundle.header["created_utc"])
    pages = _changes_pages(payload, as_of)
    when = usb_bundles.imported_before(db, bundle.bundle_id)
    if when is not None:
        return ImportOutcome(path, "changes", "already", f"imported before ({when}); nothing changed")
    newest = state.get_value(db, state.UPDATES_AS_OF)
    if newest is not None and as_of < newest:
        return ImportOutcome(
            path,
            "changes",
            "skipped",
            f"older than the updates this kiosk has (as of {newest}); nothing changed",
        )
    if payload.get("face_key") is not None:
        try:
            save_area_key(store.path, unb64(payload["face_key"], "the update's area face key", KEY_BYTES))
        except SealError as exc:
            raise BundleError(str(exc)) from None
    applied, problems, trust_changed = 0, [], False
    for page in _pages_to_apply(db, payload, pages):
        result = apply_page(store, page, now, kiosk_id)
        applied += result.applied
        problems.extend(result.problems)
        trust_changed = trust_changed or result.trust_changed
    missing = apply_missing(store, kiosk_id, payload.get("missing"), now, as_of)  # None: an older cloud
    if missing is not None and missing.problem is not None:
        problems.append(missing.problem)
    with store.write() as writer:
        state.set_value(writer, state.UPDATES_AS_OF, as_of)
        _record_import(writer, bundle, {"applied": applied, "problems": len(problems)}, now, kiosk_id)
    for problem in problems:
        log.warning("update from USB: %s", problem)
    words = f"{applied} changes applied (roster, activities, revocations, keys)"
    if missing is not None and missing.missing:
        words += f"; the platform lacks {missing.missing} records of this kiosk"
        if missing.requeued:
            words += f", {missing.requeued} queued for the next export"
    if problems:
        words += f"; {len(problems)} could not be stored and were skipped (see the log)"
    return ImportOutcome(path, "changes", "imported", words, trust_changed, applied=applied)


def _import_one(
    store: Store, kiosk_id: str, bundle: BundleFile, now: datetime, explicit: bool
) -> ImportOutcome:
    path = bundle.path or Path()
    if bundle.kind in ("events", "provisioning") or bundle.kiosk_id != kiosk_id:
        if bundle.kind == "events":
            why = "records exported by a kiosk: take them to the platform (kiosk-cloud import-bundle)"
        elif bundle.kind == "provisioning":
            why = "a provisioning file: use kiosk register --offline-file"
        else:
            why = f"made for kiosk {bundle.kiosk_id}, not this kiosk ({kiosk_id})"
        return ImportOutcome(path, bundle.kind, "refused" if explicit else "skipped", why)
    if bundle.kind == "receipt":
        return _import_receipt(store, kiosk_id, bundle, now)
    return _import_changes(store, kiosk_id, bundle, now)


def import_bundles(store: Store, kiosk_id: str, path: Path, now: datetime) -> ImportReport:
    """Import one bundle file, or every ``*.kbundle`` in a folder: updates first (newest first), then receipts.

    Updates go first because they may bring a platform key that a receipt is
    signed with. Files of other kiosks, and this kiosk's own exports, are
    skipped in a folder and refused when named alone.
    """
    if not path.exists():
        raise UsbError("no_folder", f"{path} does not exist (is the USB stick plugged in?)")
    explicit = not path.is_dir()
    report = ImportReport()
    readable: list[BundleFile] = []
    for file in bundle_files(path):
        try:
            readable.append(read_bundle(file))
        except BundleError as exc:
            report.outcomes.append(ImportOutcome(file, "", "refused", str(exc)))  # kind unknown: unreadable
    changes = sorted(
        (b for b in readable if b.kind == "changes"), key=lambda b: b.header["created_utc"], reverse=True
    )
    others = [b for b in readable if b.kind != "changes"]
    for bundle in [*changes, *others]:
        try:
            outcome = _import_one(store, kiosk_id, bundle, now, explicit)
        except BundleError as exc:
            outcome = ImportOutcome(bundle.path or Path(), bundle.kind, "refused", str(exc))
        except DatabaseFailure as exc:
            log.error("importing USB bundle %s failed in the database: %s", bundle.path, exc)
            words = f"the kiosk could not save it ({exc}); what was saved is kept, import it again (kiosk doctor checks the database)"
            outcome = ImportOutcome(bundle.path or Path(), bundle.kind, "refused", words)
        if outcome.result == "refused":
            log.warning("USB bundle %s refused: %s", outcome.path.name, outcome.message)
        report.outcomes.append(outcome)
    return report
