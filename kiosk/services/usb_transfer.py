"""The coordinator's USB stick, in one step each way: what the "USB stick" screen runs.

:func:`export_to_stick` writes the waiting records into the stick's
``kiosk-bundles`` folder; :func:`import_from_stick` takes the platform's
receipts and updates from it. Both return a :class:`UsbSummary` with numbers
and a failure kind (never an exception for a stick problem), which the
screen turns into words in the kiosk's language; the details go to the log.
Run them on the thread that owns the store's writer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.services.removable import bundle_folder
from kiosk.store.database import DatabaseFailure, Store
from kiosk.store.outbox import waiting_count
from kiosk.sync.usb import UsbError, export_events, import_bundles

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UsbSummary:
    """What one USB step did.

    ``error``: None, or ``not_set_up`` / ``no_folder`` / ``write_failed``
    (:class:`~kiosk.sync.usb.UsbError` kinds) or ``storage`` (the database
    failed). Export: ``records`` written in ``files`` bundles. Import:
    ``records`` delivered by receipts, ``applied`` changes from updates,
    ``files`` imported, ``refused`` file names. ``waiting`` is what still
    waits to sync afterwards.
    """

    action: str
    error: str | None = None
    records: int = 0
    files: int = 0
    applied: int = 0
    refused: tuple[str, ...] = ()
    waiting: int = 0
    trust_changed: bool = False


def _waiting(store: Store) -> int:
    return waiting_count(store.writer)


def export_to_stick(store: Store, kiosk_id: str, stick: Path, now: datetime) -> UsbSummary:
    """Write the waiting records to ``stick``/kiosk-bundles."""
    try:
        written = export_events(store, kiosk_id, bundle_folder(stick), now)
    except UsbError as exc:
        log.warning("USB export failed: %s", exc)
        return UsbSummary("export", exc.kind, waiting=_waiting(store))
    except OSError as exc:
        log.warning("USB export failed: cannot make the folder on %s: %s", stick, exc)
        return UsbSummary("export", "write_failed", waiting=_waiting(store))
    except DatabaseFailure as exc:
        log.error("USB export failed in the database: %s", exc)
        return UsbSummary("export", "storage")
    return UsbSummary("export", None, sum(b.events for b in written), len(written), waiting=_waiting(store))


def import_from_stick(store: Store, kiosk_id: str, stick: Path, now: datetime) -> UsbSummary:
    """Import the receipts and updates in ``stick``/kiosk-bundles."""
    folder = stick / "kiosk-bundles"
    if not folder.is_dir():
        return UsbSummary("import", None, waiting=_waiting(store))
    try:
        report = import_bundles(store, kiosk_id, folder, now)
    except UsbError as exc:
        log.warning("USB import failed: %s", exc)
        return UsbSummary("import", exc.kind, waiting=_waiting(store))
    for outcome in report.outcomes:
        log.info("USB import %s: %s %s: %s", outcome.path.name, outcome.kind, outcome.result, outcome.message)
    return UsbSummary(
        "import",
        None,
        records=report.delivered,
        files=sum(1 for o in report.outcomes if o.result == "imported"),
        applied=report.applied,
        refused=tuple(o.path.name for o in report.refused),
        waiting=_waiting(store),
        trust_changed=report.trust_changed,
    )
