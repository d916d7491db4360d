"""What the setup needs from outside: the kiosk's services, and the world (a camera, a server, a file).

:class:`SetupServices` are the parts of the kiosk the setup uses, handed in
by the composition root (``kiosk/ui/composition.py``), with the settings as
a :class:`LiveConfig` the setup changes. :class:`SetupDeps` are its
connections to the world, so tests can hand in a camera, a server, a file,
a folder. The kiosk's own choices are the defaults: cameras found by
OpenCV, the server named by the setup QR code over HTTP, provisioning files
on the USB sticks the kiosk finds, and Qt's file dialog for "choose a file".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from kiosk.camera.discovery import probe_devices
from kiosk.camera.frame_source import FrameSource
from kiosk.clock import Clock
from kiosk.config import Config, with_settings
from kiosk.services.current_trust import CurrentTrust
from kiosk.store.database import Store
from kiosk.sync.transport import HttpTransport, Transport

SourceFactory = Callable[[], FrameSource]


class LiveConfig:
    """The kiosk's settings while the setup changes them (the language, the camera).

    ``on_change`` hears every new :class:`Config` (the composition root keeps
    the kiosk's own in step, so the window opened after the setup uses it).
    """

    def __init__(self, config: Config, on_change: Callable[[Config], None] | None = None) -> None:
        self._config = config
        self._on_change = on_change

    @property
    def config(self) -> Config:
        """The settings in force now."""
        return self._config

    def update(self, changes: Mapping[str, Mapping[str, Any]]) -> Config:
        """Apply ``changes`` (``{section: {key: value}}``) and return the new settings."""
        self._config = with_settings(self._config, changes)
        if self._on_change is not None:
            self._on_change(self._config)
        return self._config


@dataclass(frozen=True)
class SetupServices:
    """The parts of the kiosk the setup uses (not the whole kiosk)."""

    store: Store
    kiosk_id: str
    clock: Clock
    trust: CurrentTrust
    settings: LiveConfig


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
