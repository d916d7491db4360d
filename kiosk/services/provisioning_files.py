"""Finding the platform's provisioning file (``*.kbundle``) on a USB stick, for the first-run setup.

The platform writes it with ``kiosk-cloud provision-kiosk --offline-file``
(docs/sync-protocol.md, "USB bundles"); a venue puts it on the stick, at the
top, in ``kiosk-bundles/``, or beside the kiosk program on the stick it runs
from. Only the small header is judged here (``kind`` is ``provisioning``);
the signature is checked when the file is used (``kiosk.sync.usb.register_offline``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from kiosk.config import Config
from kiosk.services.removable import BUNDLE_FOLDER, find_usb_sticks
from kiosk.sync.bundle_files import SUFFIX, BundleError, read_bundle

log = logging.getLogger(__name__)

MAX_PROVISIONING_BYTES = 256 * 1024  # a provisioning file is a few KiB; events bundles can be huge


def provisioning_places(config: Config) -> list[Path]:
    """Where to look: the USB sticks (``usb.folder`` first), and the folder the portable kiosk runs from."""
    places = find_usb_sticks(str(config.get("usb", "folder")))
    if config.data.portable:
        places.append(config.data.path.parent)
    places.append(config.data.path)
    return places


def is_provisioning_file(path: Path) -> bool:
    """Whether ``path`` is a small bundle file of kind ``provisioning`` (not yet verified)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_PROVISIONING_BYTES:
            return False
        return read_bundle(path).kind == "provisioning"
    except (OSError, BundleError):
        return False


def find_provisioning_files(places: Iterable[Path]) -> list[Path]:
    """The provisioning files in ``places`` and their ``kiosk-bundles/`` folders, newest first."""
    found: dict[Path, float] = {}
    for place in places:
        for folder in (place, place / BUNDLE_FOLDER):
            try:
                candidates = [
                    p for p in folder.iterdir() if p.suffix == SUFFIX and not p.name.startswith(".")
                ]
            except OSError:
                continue
            for path in candidates:
                if path.resolve() not in found and is_provisioning_file(path):
                    found[path.resolve()] = path.stat().st_mtime
    return sorted(found, key=lambda p: (-found[p], str(p)))
