"""The work behind the camera step: find the cameras, open the chosen one, save the choice.

Cameras are looked for on a thread of their own (the ``probe`` runner:
opening one can take a second), with no camera of the setup open. The
chosen camera runs in the setup's :class:`PreviewCamera` with the kiosk's
decoder chain, so "QR code read ✓" means the kiosk will read cards with it. Next writes the choice into
``[camera]`` of ``config.toml`` (keeping every other setting) and into the
running kiosk's settings.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.camera.discovery import NO_CAMERA, CameraChoice, camera_choices, configured_choice
from kiosk.config import Config, with_settings
from kiosk.config_file import update_config_file
from kiosk.services import first_run
from kiosk.ui.setup.deps import SetupDeps, SetupServices
from kiosk.ui.setup.page_camera import CameraPage
from kiosk.ui.setup.preview_camera import PreviewCamera
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.widgets.camera_view import NO_CAMERA_STATE

log = logging.getLogger(__name__)


class CameraFlow(QObject):
    """Drives :class:`CameraPage`; emits ``finished`` once the choice is saved."""

    finished = Signal()
    code_read = Signal(str)  # a test scan read this text (tests)

    def __init__(
        self,
        services: SetupServices,
        tasks: TaskRunner,
        probe: TaskRunner,
        camera: PreviewCamera,
        page: CameraPage,
        deps: SetupDeps,
    ) -> None:
        super().__init__()
        self._services = services
        self._tasks = tasks
        self._probe = probe  # a thread of its own: opening cameras can take seconds
        self._camera = camera
        self._page = page
        self._deps = deps
        self._active = False
        self._searching = False
        camera.code_seen.connect(self._on_code_seen)
        page.choice_selected.connect(self._on_choice_selected)
        page.rescan_requested.connect(self._look_for_cameras)
        page.next_requested.connect(self._on_next)

    def enter(self) -> None:
        """The step is shown: look for cameras."""
        self._active = True
        self._look_for_cameras()

    def leave(self) -> None:
        """The step is left: the camera closes."""
        self._active = False
        self._camera.close()

    def shutdown(self) -> None:
        """Wait for a camera search under way (the window is closing)."""
        self._probe.close()

    @Slot()
    def _look_for_cameras(self) -> None:
        if self._searching:
            return
        self._searching = True
        self._camera.close()  # a camera held open would not be found
        self._page.set_test("searching")
        store = self._services.store
        self._tasks.run(
            lambda: first_run.read_progress(store.writer).provisioning_choice,
            lambda choice: self._probe.run(
                self._deps.probe_devices, lambda found: self._on_found(found, choice == "demo")
            ),
        )

    def _on_found(self, found: list[int], demo: bool) -> None:
        self._searching = False
        if not self._active:
            return
        configured = self._services.settings.config.values["camera"]
        choices = camera_choices(found, configured, self._deps.offer_synthetic or demo)
        selected = configured_choice(choices, configured)
        if selected is None and choices:
            selected = choices[0]
        self._page.set_test("")
        self._page.set_choices(choices, selected)

    def _config_for(self, choice: CameraChoice) -> Config:
        return with_settings(self._services.settings.config, {"camera": choice.settings()})

    @Slot(object)
    def _on_choice_selected(self, choice: CameraChoice) -> None:
        if not self._active:
            return
        if choice == NO_CAMERA:
            self._camera.close()
            self._page.camera.set_camera_state(NO_CAMERA_STATE)
            self._page.set_test("no_camera")
            return
        factory = self._deps.source_for(self._config_for(choice))
        if factory is None:
            self._camera.close()
            return
        self._camera.open(factory)
        self._page.set_test("waiting")

    @Slot(str)
    def _on_code_seen(self, text: str) -> None:
        if self._active and self._page.selected not in (None, NO_CAMERA):
            self._page.set_test("read")
            self.code_read.emit(text)

    @Slot()
    def _on_next(self) -> None:
        choice = self._page.selected
        if choice is None:
            return
        self._page.next_button.setEnabled(False)
        config = self._config_for(choice)

        store = self._services.store

        def save() -> None:
            update_config_file(config.config_file, {"camera": choice.settings()})
            first_run.record_step(store, "coordinator")

        def saved(_result: object) -> None:
            self._services.settings.update({"camera": choice.settings()})
            log.info("setup: camera %s chosen", choice.settings())
            self._page.next_button.setEnabled(True)
            self.finished.emit()

        def failed(exc: Exception) -> None:
            log.error("setup: the camera choice was not saved: %s", exc)
            self._page.next_button.setEnabled(True)
            self._page.set_test("save_failed", str(exc))

        self._tasks.run(save, saved, failed)
