"""The work behind the connection step: read the setup QR code, register, use a file, or go offline.

Codes come from the camera (the setup's :class:`PreviewCamera`) and from a
USB barcode scanner (key bursts, :class:`WedgeDetector`, while the page is
shown). A code is parsed strictly first (``checkin_protocol.provisioning_qr``); a
foreign or damaged one is answered on the page and changes nothing. A good
one registers online with ``SyncClient.register`` (which stores the
credentials and trusts the platform keys) on the setup thread; on failure
the page says why and what to do, and the kiosk stays as it was.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path
from typing import cast

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from checkin_protocol.bundle_files import BundleError
from checkin_protocol.provisioning_qr import ProvisioningQrError, parse_provisioning_qr
from kiosk.demo.install import install_demo
from kiosk.services import first_run
from kiosk.services.first_run import ProvisioningState
from kiosk.services.provisioning_files import StickScan, provisioning_places, scan_for_provisioning_files
from kiosk.services.scanner_wedge import WedgeDetector
from kiosk.sync.client import SyncClient
from kiosk.sync.errors import SyncError
from kiosk.sync.usb_setup import register_offline
from kiosk.ui.setup import messages
from kiosk.ui.setup.deps import SetupDeps, SetupServices
from kiosk.ui.setup.page_provisioning import ProvisioningPage
from kiosk.ui.setup.preview_camera import PreviewCamera
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.widgets.camera_view import NO_CAMERA_STATE

log = logging.getLogger(__name__)


class ProvisioningFlow(QObject):
    """Drives :class:`ProvisioningPage`; emits ``finished`` when the coordinator may go on to the camera."""

    finished = Signal()
    code_handled = Signal(
        str
    )  # "registered", "file", "offline", "demo" or the refusal's reason (tests, logs)

    def __init__(
        self,
        services: SetupServices,
        tasks: TaskRunner,
        camera: PreviewCamera,
        page: ProvisioningPage,
        deps: SetupDeps,
    ) -> None:
        super().__init__()
        self._services = services
        self._tasks = tasks
        self._camera = camera
        self._page = page
        self._deps = deps
        self._active = False
        self._wedge = WedgeDetector()
        camera.code_seen.connect(self._on_code_seen)
        page.file_requested.connect(self._on_file_requested)
        page.pick_file_requested.connect(self._on_pick_file_requested)
        page.offline_requested.connect(page.show_offline)
        page.options_requested.connect(page.show_options)
        page.offline_confirmed.connect(self._on_offline_confirmed)
        page.demo_requested.connect(self._on_demo_requested)
        page.next_requested.connect(self.finished)

    # -- entering and leaving the step -------------------------------------------------------------

    def enter(self) -> None:
        """The step is shown: find out whether the kiosk is provisioned; if not, open the camera."""
        self._active = True
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        store = self._services.store
        self._tasks.run(lambda: first_run.provisioning_state(store.writer), self._on_state_read)

    def leave(self) -> None:
        """The step is left: the camera closes, the scanner stops listening."""
        self._active = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._camera.close()

    def _on_state_read(self, state: ProvisioningState) -> None:
        if not self._active:
            return
        if state.kind in ("online", "usb"):
            self._page.show_connected(lambda: messages.provisioning_words(state))
            return
        self._page.show_options()
        if not self._camera.is_open:
            factory = self._deps.source_for(self._services.settings.config)
            if factory is not None:
                self._camera.open(factory)
            else:
                self._page.camera.set_camera_state(NO_CAMERA_STATE)

    # -- codes: the camera and the USB scanner -------------------------------------------------------

    @Slot(str)
    def _on_code_seen(self, text: str) -> None:
        if self._active:
            self.submit_text(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Key bursts on the page are a USB barcode scanner typing the setup code."""
        if not self._active or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._page.window():
            return False  # a dialog (choosing a file) gets its own keys
        key_event = cast(QKeyEvent, event)
        if key_event.isAutoRepeat():
            return False
        now = time.monotonic()
        if key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            code = self._wedge.enter(now)
        elif key_event.text() and key_event.text().isprintable():
            code = self._wedge.key(key_event.text(), now)
        else:
            return False
        if code is not None:
            self.submit_text(code)
        return True

    def submit_text(self, text: str) -> None:
        """A code was read: register with it if it is a setup QR code, else say why not."""
        if self._page.busy or self._page.panels.currentWidget() is not self._page.options:
            return
        try:
            scanned = parse_provisioning_qr(text)
        except ProvisioningQrError as exc:
            log.info("setup: a scanned code was refused (%s)", exc.reason)
            reason = exc.reason
            self._page.set_status(lambda: messages.qr_refused(reason), "bad")
            self.code_handled.emit(reason)
            return
        url = scanned.server_url
        self._page.set_busy(True)
        self._page.set_status(lambda: messages.registering(url), "busy")
        self._tasks.run(
            lambda: self._register(url, scanned.code),
            self._on_provisioned,
            lambda exc: self._on_register_failed(exc, url),
        )

    def _register(self, server_url: str, code: str) -> ProvisioningState:
        """On the setup thread: register, trust the platform keys, move the setup on."""
        services = self._services
        transport = self._deps.transport_for(server_url)
        try:
            SyncClient(services.store, services.kiosk_id, services.clock, transport).register(code)
        finally:
            close = getattr(transport, "close", None)
            if close is not None:
                close()
        return self._after_provisioning("online")

    def _after_provisioning(self, how: str) -> ProvisioningState:
        """On the setup thread: trust the new keys at once, and move the setup on."""
        self._services.trust.reload(self._services.store)
        return first_run.record_provisioning(self._services.store, how)

    def _on_provisioned(self, state: ProvisioningState) -> None:
        self._camera.close()
        self._page.show_connected(lambda: messages.provisioning_words(state))
        self.code_handled.emit("registered" if state.kind == "online" else "file")

    def _on_register_failed(self, exc: Exception, server_url: str) -> None:
        self._page.set_busy(False)
        if isinstance(exc, SyncError):
            error = exc
        else:
            log.error("setup: registration failed unexpectedly", exc_info=exc)
            error = SyncError("storage", str(exc))
        self._page.set_status(lambda: messages.sync_failed(error, server_url), "bad")
        self.code_handled.emit(error.code or error.kind)

    # -- the provisioning file -------------------------------------------------------------------

    def _files(self) -> StickScan:
        if self._deps.find_files is not None:
            return StickScan(self._deps.find_files())
        return scan_for_provisioning_files(provisioning_places(self._services.settings.config))

    @Slot()
    def _on_file_requested(self) -> None:
        self._page.set_busy(True)
        self._page.set_status(
            lambda: QCoreApplication.translate("Setup", "Looking on the USB sticks…"), "busy"
        )
        self._tasks.run(self._files, self._on_files_found, self._on_file_failed_unexpectedly)

    def _on_files_found(self, scan: StickScan) -> None:
        if not scan.found:
            self._page.set_busy(False)
            unreadable = [(path.name, reason) for path, reason in scan.unreadable]
            self._page.set_status(lambda: messages.no_file_found(unreadable), "bad")
            self.code_handled.emit("no_file")
            return
        self.use_file(scan.found[0])

    @Slot()
    def _on_pick_file_requested(self) -> None:
        places = provisioning_places(self._services.settings.config)
        path = self._deps.pick_file(self._page, places[0] if places else None)
        if path is not None:
            self.use_file(path)

    def use_file(self, path: Path) -> None:
        """Set the kiosk up for USB transfer from the provisioning file at ``path``."""
        name = path.name
        self._page.set_busy(True)
        self._page.set_status(lambda: messages.reading_file(name), "busy")

        def refused(exc: Exception) -> None:
            self._page.set_busy(False)
            if not isinstance(exc, BundleError):
                log.error("setup: the provisioning file failed unexpectedly", exc_info=exc)
            detail = str(exc)
            self._page.set_status(lambda: messages.file_refused(name, detail), "bad")
            self.code_handled.emit("file_refused")

        self._tasks.run(lambda: self._use_file(path), self._on_provisioned, refused)

    def _use_file(self, path: Path) -> ProvisioningState:
        services = self._services
        setup = register_offline(services.store, services.kiosk_id, path, self._now())
        for problem in setup.problems:
            log.warning("setup: provisioning file: %s", problem)
        return self._after_provisioning("file")

    def _on_file_failed_unexpectedly(self, exc: Exception) -> None:
        log.error("setup: looking for provisioning files failed", exc_info=exc)
        self._on_files_found(StickScan())

    # -- offline for now, and the demo -------------------------------------------------------------

    @Slot()
    def _on_offline_confirmed(self) -> None:
        self._page.set_busy(True)
        self._tasks.run(lambda: self._go_offline(self._now()), self._on_offline_done)

    def _go_offline(self, now: datetime) -> None:
        first_run.record_offline(self._services.store, self._services.kiosk_id, now)

    def _on_offline_done(self, _result: object) -> None:
        self._page.set_busy(False)
        self._camera.close()
        self.code_handled.emit("offline")
        self.finished.emit()

    @Slot()
    def _on_demo_requested(self) -> None:
        self._page.set_busy(True)
        self._tasks.run(self._install_demo, self._on_demo_installed, self._on_demo_failed)

    def _install_demo(self) -> ProvisioningState:
        services = self._services
        install_demo(services.settings.config, services.store, services.kiosk_id, services.clock.now())
        return self._after_provisioning("demo")

    def _on_demo_installed(self, _state: ProvisioningState) -> None:
        self._page.set_busy(False)
        self._camera.close()
        self.code_handled.emit("demo")
        self.finished.emit()

    def _on_demo_failed(self, exc: Exception) -> None:
        log.error("setup: the demo data could not be installed", exc_info=exc)
        self._page.set_busy(False)
        detail = str(exc)
        self._page.show_options()
        self._page.set_status(
            lambda: QCoreApplication.translate("Setup", "The demo data could not be installed: %1").replace(
                "%1", detail
            ),
            "bad",
        )

    def _now(self) -> datetime:
        return self._services.clock.now().wall_utc
