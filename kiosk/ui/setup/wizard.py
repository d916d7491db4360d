"""The setup's window: a header with the steps, one page per step, and the step saved as it is reached.

Steps (``kiosk.services.first_run.STEPS``): language → connect (provisioning)
→ camera → the first coordinator → ready. Each step shown is saved on the
setup thread (``tasks``, the one user of the store's writer while the setup
runs; registration's network calls run there too), so a power cut resumes at it; Start on the last page records
the finish and emits ``setup_finished``. The language button in the header
switches the whole setup at once on every page, and the language chosen is
written to ``config.toml`` for the kiosk.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.camera.discovery import NO_CAMERA, CameraChoice
from kiosk.config_file import update_config_file
from kiosk.services import first_run
from kiosk.services.pin import PinGuard, PinInUseError
from kiosk.ui.i18n import LanguageSwitcher
from kiosk.ui.screen_cover import ScreenCover
from kiosk.ui.setup.camera_flow import CameraFlow
from kiosk.ui.setup.deps import SetupDeps, SetupServices
from kiosk.ui.setup.header import SetupHeader
from kiosk.ui.setup.page_camera import CameraPage
from kiosk.ui.setup.page_coordinator import CoordinatorPage
from kiosk.ui.setup.page_done import DonePage, SetupSummary
from kiosk.ui.setup.page_language import LanguagePage
from kiosk.ui.setup.page_provisioning import ProvisioningPage
from kiosk.ui.setup.preview_camera import PreviewCamera
from kiosk.ui.setup.provisioning_flow import ProvisioningFlow
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.widgets.touch_keyboard import install_touch_keyboard

log = logging.getLogger(__name__)


class SetupWizard(QWidget):
    """The first-run setup (see the module docstring). Call :meth:`start` to show it.

    ``tasks`` runs the setup's database and network work, ``probe`` the
    camera search; both are closed with the setup (:meth:`shutdown`).
    """

    setup_finished = Signal()
    step_shown = Signal(str)

    def __init__(
        self,
        services: SetupServices,
        pin_guard: PinGuard,
        switcher: LanguageSwitcher,
        deps: SetupDeps,
        *,
        tasks: TaskRunner,
        probe: TaskRunner,
        first_step: str | None = None,
        fullscreen: bool = False,
    ) -> None:
        super().__init__()
        self._services = services
        self._switcher = switcher
        self._first_step = first_step
        self._closed = False
        self.step = ""
        self.tasks = tasks
        self.camera = PreviewCamera(self)
        self.pin_guard = pin_guard
        self.header = SetupHeader()
        self.page_language = LanguagePage()
        self.page_provisioning = ProvisioningPage()
        self.page_camera = CameraPage()
        self.page_coordinator = CoordinatorPage()
        self.page_done = DonePage()
        self.pages = QStackedWidget()
        self._pages: dict[str, QWidget] = {
            "language": self.page_language,
            "provisioning": self.page_provisioning,
            "camera": self.page_camera,
            "coordinator": self.page_coordinator,
            "done": self.page_done,
        }
        for page in self._pages.values():
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.pages, 1)
        self.keyboard = install_touch_keyboard(self)  # the coordinator's name and PIN on a touch screen
        self.provisioning = ProvisioningFlow(services, tasks, self.camera, self.page_provisioning, deps)
        self.camera_flow = CameraFlow(services, tasks, probe, self.camera, self.page_camera, deps)
        self._wire()
        self.cover = ScreenCover(self) if fullscreen else None  # locked down like the kiosk window
        self._show_language(switcher.language or services.settings.config.language)

    def _wire(self) -> None:
        self.header.language_toggled.connect(self._on_language_toggled)
        self.header.exit_requested.connect(self.close)
        self.camera.preview_ready.connect(self._on_preview_ready)
        self.camera.camera_state_changed.connect(self._on_camera_state_changed)
        self.page_language.language_chosen.connect(self.set_language)
        self.page_language.next_requested.connect(lambda: self.show_step("provisioning"))
        self.page_provisioning.back_requested.connect(lambda: self.show_step("language"))
        self.provisioning.finished.connect(lambda: self.show_step("camera"))
        self.page_camera.back_requested.connect(lambda: self.show_step("provisioning"))
        self.camera_flow.finished.connect(lambda: self.show_step("coordinator"))
        self.page_coordinator.back_requested.connect(lambda: self.show_step("camera"))
        self.page_coordinator.add_requested.connect(self._on_add_coordinator)
        self.page_coordinator.keep_requested.connect(self._on_keep_coordinators)
        self.page_done.back_requested.connect(lambda: self.show_step("coordinator"))
        self.page_done.connect_requested.connect(lambda: self.show_step("provisioning"))
        self.page_done.start_requested.connect(self._on_start)

    # -- start, steps, stop --------------------------------------------------------------------

    def start(self) -> None:
        """Show the window at the saved step (or at ``first_step``)."""
        if self.cover is not None:
            self.cover.show()
        else:
            self.show()
        if self._first_step is not None:
            self.show_step(self._first_step)
        else:
            store = self._services.store
            self.tasks.run(lambda: first_run.read_progress(store.writer).step, self.show_step)

    def show_step(self, step: str) -> None:
        """Leave the step shown, show ``step`` and save it as the one to resume at."""
        if self._closed:
            return
        if self.step == "provisioning":
            self.provisioning.leave()
        elif self.step == "camera":
            self.camera_flow.leave()
        self.step = step
        self.header.set_step(step)
        self.pages.setCurrentWidget(self._pages[step])
        self.tasks.run(lambda: self._save_step(step))
        if step == "provisioning":
            self.provisioning.enter()
        elif step == "camera":
            self.camera_flow.enter()
        elif step == "coordinator":
            self.page_coordinator.clear()
            self.tasks.run(self._coordinator_names, self.page_coordinator.set_existing)
        elif step == "done":
            self.tasks.run(self._summary, self.page_done.set_summary)
        log.info("setup: step %s", step)
        self.step_shown.emit(step)

    def _save_step(self, step: str) -> None:
        first_run.record_step(self._services.store, step)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing keeps the progress; the next start resumes at this step."""
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the camera and the setup's threads (also when Start hands over to the kiosk)."""
        if self._closed:
            return
        self._closed = True
        self.provisioning.leave()
        self.camera_flow.leave()
        self.camera.close()
        self.camera_flow.shutdown()
        self.tasks.close()
        self._switcher.remove()

    # -- language ----------------------------------------------------------------------------------

    def _show_language(self, language: str) -> None:
        self._switcher.set_language(language)
        self.setWindowTitle(self.tr("Volunteer kiosk setup"))  # after the translators: right when first shown
        self.header.set_language(language)
        self.page_language.set_language(language)

    def set_language(self, language: str) -> None:
        """Switch the setup to ``language`` and keep it for the kiosk (``config.toml``)."""
        self._show_language(language)
        path = self._services.settings.update({"kiosk": {"language": language}}).config_file
        self.tasks.run(
            lambda: update_config_file(path, {"kiosk": {"language": language}}),
            on_error=lambda exc: log.error("setup: the language was not saved: %s", exc),
        )

    def _on_language_toggled(self) -> None:
        self.set_language("en" if self._switcher.language == "zh_CN" else "zh_CN")

    # -- the camera preview --------------------------------------------------------------------------

    def _on_preview_ready(self, image: object) -> None:
        page = self.page_camera if self.step == "camera" else self.page_provisioning
        page.camera.show_frame(image)  # type: ignore[arg-type]

    def _on_camera_state_changed(self, state: str) -> None:
        for page in (self.page_provisioning, self.page_camera):
            page.camera.set_camera_state(state)

    # -- the coordinator -------------------------------------------------------------------------------

    def _coordinator_names(self) -> list[str]:
        return [c.name for c in self.pin_guard.coordinators()]

    def _on_add_coordinator(self, name: str, pin: str) -> None:
        self.page_coordinator.set_busy(True)

        def add() -> None:
            self.pin_guard.add_coordinator(name, pin, actor="setup")
            self._save_step("done")

        def failed(exc: Exception) -> None:
            self.page_coordinator.set_busy(False)
            if isinstance(exc, ValueError):
                self.page_coordinator.set_error(self._coordinator_error(exc))
            else:
                log.error("setup: the coordinator was not added", exc_info=exc)
                self.page_coordinator.set_error(
                    self.tr("The account could not be saved: %1").replace("%1", str(exc))
                )

        self.tasks.run(add, lambda _: self._on_coordinator_added(), failed)

    def _coordinator_error(self, exc: ValueError) -> str:
        if isinstance(exc, PinInUseError):
            return self.tr("Another coordinator has this PIN already. Choose another PIN.")
        return self.tr("The account could not be added: %1").replace("%1", str(exc))

    def _on_coordinator_added(self) -> None:
        self.page_coordinator.set_busy(False)
        self.page_coordinator.clear()
        self.show_step("done")

    def _on_keep_coordinators(self) -> None:
        self.show_step("done")

    # -- ready ------------------------------------------------------------------------------------------

    def _summary(self) -> SetupSummary:
        config = self._services.settings.config
        camera = config.values["camera"]
        choice = CameraChoice(str(camera["source"]), str(camera["device"]), str(camera["path"]))
        return SetupSummary(
            language=config.language,
            provisioning=first_run.provisioning_state(self._services.store.writer),
            camera=NO_CAMERA if choice.source == "none" else choice,
            coordinators=tuple(self._coordinator_names()),
            data_folder=str(config.data.path),
            portable=config.data.portable,
            kiosk_id=self._services.kiosk_id,
        )

    def _on_start(self) -> None:
        self.page_done.set_busy(True)
        now: datetime = self._services.clock.now().wall_utc
        store, kiosk_id = self._services.store, self._services.kiosk_id

        def finish() -> None:
            first_run.record_finish(store, kiosk_id, now)

        def failed(exc: Exception) -> None:
            log.error("setup: the finish was not saved: %s", exc)
            self.page_done.set_busy(False)

        self.tasks.run(finish, lambda _: self.setup_finished.emit(), failed)
