"""Finding the platform's provisioning file (``*.kbundle``) on a USB stick, for the first-run setup.

The platform writes it with ``kiosk-cloud provision-kiosk --offline-file``
(docs/sync-protocol.md, "USB bundles"); a venue puts it on the stick, at the
top, in ``kiosk-bundles/``, or beside the kiosk program on the stick it runs
from. Only the small header is judged here (``kind`` is ``provisioning``);
the signature is checked when the file is used (``kiosk.sync.usb_setup.register_offline``).
A ``*.kbundle`` that cannot be read at all (not a bundle, damaged, an unknown
kind) is listed with the reason, so the setup can say why it was not used.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checkin_protocol.bundle_files import SUFFIX, BundleError, read_bundle
from kiosk.config import Config
from kiosk.services.removable import BUNDLE_FOLDER, find_usb_sticks

log = logging.getLogger(__name__)

MAX_PROVISIONING_BYTES = 256 * 1024  # a provisioning file is a few KiB; events bundles can be huge


def provisioning_places(config: Config) -> list[Path]:
    """Where to look: the USB sticks (``usb.folder`` first), and the folder the portable kiosk runs from."""
    places = find_usb_sticks(str(config.get("usb", "folder")))
    if config.data.portable:
        places.append(config.data.path.parent)
    places.append(config.data.path)
    return places


@dataclass(frozen=True)
class StickScan:
    """What the setup found: the provisioning files (newest first) and the ``*.kbundle`` files it could not read.

    ``unreadable`` pairs a file with the reason, in English (the setup shows
    one line for each). Bundles of other kinds (records, receipts, updates)
    belong on a stick and are in neither list; nor are files over
    :data:`MAX_PROVISIONING_BYTES`, left unread (events bundles can be huge).
    """

    found: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


def is_provisioning_file(path: Path) -> bool:
    """Whether ``path`` is a small bundle file of kind ``provisioning`` (not yet verified)."""
    return _judge(path) is True


def _judge(path: Path) -> bool | str | None:
    """True for a provisioning file, None for what is not the setup's business, else why it cannot be read."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_PROVISIONING_BYTES:
            return None
        return read_bundle(path).kind == "provisioning" or None
    except OSError as exc:
        return f"it cannot be read: {exc.strerror or exc}"
    except BundleError as exc:
        return str(exc)


def scan_for_provisioning_files(places: Iterable[Path]) -> StickScan:
    """The provisioning files in ``places`` and their ``kiosk-bundles/`` folders, and the bundles that failed."""
    found: dict[Path, float] = {}
    unreadable: dict[Path, tuple[Path, str]] = {}  # resolved path -> (the path as found, why)
    for place in places:
        for folder in (place, place / BUNDLE_FOLDER):
            try:
                candidates = sorted(
                    p for p in folder.iterdir() if p.suffix == SUFFIX and not p.name.startswith(".")
                )
            except OSError:
                continue
            for path in candidates:
                try:
                    key = path.resolve()
                except (OSError, RuntimeError):  # a symlink loop on a stick formatted by someone else
                    unreadable.setdefault(path, (path, "it is a link that leads nowhere"))
                    continue
                if key in found or key in unreadable:
                    continue
                verdict = _judge(path)
                if verdict is True:
                    found[key] = _mtime(path)
                elif isinstance(verdict, str):
                    log.warning("setup: %s cannot be used: %s", path, verdict)
                    unreadable[key] = (path, verdict)
    newest_first = sorted(found, key=lambda p: (-found[p], str(p)))
    return StickScan(newest_first, sorted(unreadable.values()))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def find_provisioning_files(places: Iterable[Path]) -> list[Path]:
    """The provisioning files in ``places`` and their ``kiosk-bundles/`` folders, newest first."""
    return scan_for_provisioning_files(places).found
