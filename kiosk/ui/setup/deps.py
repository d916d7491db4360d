"""What the setup needs from outside, so tests can hand in a camera, a server, a file, a folder.

The kiosk's own choices are the defaults: cameras found by OpenCV, the
server named by the setup QR code over HTTP, provisioning files on the USB
sticks the kiosk finds, and Qt's file dialog for "choose a file".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from kiosk.camera.discovery import probe_devices
from kiosk.camera.frame_source import FrameSource
from kiosk.config import Config
from kiosk.sync.transport import HttpTransport, Transport

SourceFactory = Callable[[], FrameSource]


def pick_file_with_dialog(parent: QWidget, start: Path | None) -> Path | None:
    """Ask for a provisioning file with Qt's own (touch-friendlier than native) file dialog."""
    name, _ = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("Setup", "Choose the provisioning file"),
        str(start) if start is not None else "",
        QCoreApplication.translate("Setup", "Provisioning files (*.kbundle);;All files (*)"),
        options=QFileDialog.Option.DontUseNativeDialog,
    )
    return Path(name) if name else None


@dataclass
class SetupDeps:
    """The setup's connections to the world (see the module docstring).

    ``source_for(config)`` is the camera that ``config``'s ``[camera]``
    section names (``None``: no camera), the same function the kiosk window
    uses, so the setup tests exactly the camera the kiosk will open.
    ``offer_synthetic`` lists the synthetic demo camera among the cameras
    (demo and test mode only). ``find_files`` returns the provisioning files
    found now (``None``: look on the USB sticks and beside the program, and
    name the bundle files found there that cannot be read).
    """

    source_for: Callable[[Config], SourceFactory | None]
    probe_devices: Callable[[], list[int]] = probe_devices
    offer_synthetic: bool = False
    find_files: Callable[[], list[Path]] | None = None
    pick_file: Callable[[QWidget, Path | None], Path | None] = pick_file_with_dialog
    transport_for: Callable[[str], Transport] = HttpTransport
