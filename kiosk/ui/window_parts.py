"""What the kiosk window is made of, built by the composition root (``kiosk/ui/composition.py``).

The window starts and stops these parts and routes between them; it builds
none of them, so tests and the composition root decide what goes in.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QStackedWidget

from kiosk.clock import Clock
from kiosk.services.pin import PinGuard
from kiosk.store.database import Transaction
from kiosk.ui.camera_pipeline import CameraPipeline
from kiosk.ui.desk_controller import DeskController
from kiosk.ui.face_check_in import FaceCheckIn
from kiosk.ui.face_worker import FaceThread
from kiosk.ui.result_flow import ResultFlow
from kiosk.ui.screens.coordinator_menu import CoordinatorMenu
from kiosk.ui.screens.kiosk_screen import KioskScreen
from kiosk.ui.screens.pin_pad import PinPad
from kiosk.ui.screens.usb_panel import UsbPanel
from kiosk.ui.self_test_controller import SelfTestController
from kiosk.ui.sync_worker import SyncRunner
from kiosk.ui.tasks import ThreadRunner
from kiosk.ui.writer_worker import WriterWorker


@dataclass(frozen=True)
class WindowSettings:
    """The settings the window reads, as configured when it was built."""

    usb_folder: str  # where USB sticks are mounted ("" : the system's places)
    camera_configured: bool  # False: set up for a USB scanner only (``camera.source = "none"``)
    fullscreen: bool  # locked down: frameless, full screen, closed only by the coordinator


@dataclass(frozen=True)
class WindowParts:
    """The window's screens, controllers and threads.

    ``writer`` is the database writer's runner (its worker ``writer_worker``
    takes the scans); ``reader`` is the UI thread's read-only connection,
    closed with the window. ``pipeline``, ``face`` and ``face_check_in`` are
    ``None`` without a camera (or without face check-in).
    """

    clock: Clock
    reader: Transaction
    pin_guard: PinGuard
    writer: ThreadRunner
    writer_worker: WriterWorker
    sync: SyncRunner
    screen_kiosk: KioskScreen
    results: ResultFlow
    screen_pin: PinPad
    screen_menu: CoordinatorMenu
    screen_usb: UsbPanel
    pages: QStackedWidget
    desk: DeskController
    self_test: SelfTestController
    face_check_in: FaceCheckIn | None
    pipeline: CameraPipeline | None
    face: FaceThread | None
    settings: WindowSettings
