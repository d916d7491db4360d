"""From ``kiosk run`` to the kiosk screen: the setup first when the kiosk is not set up yet.

:class:`KioskLauncher` shows the :class:`SetupWizard` when
``kiosk.services.first_run.needs_setup`` says so (or always, for ``kiosk
setup``), and the kiosk window once the setup is finished; a kiosk that is
set up goes straight to the window. The window is built only then, so it
opens the camera the setup chose and speaks the language chosen there.

When the coordinator taps "Set up this kiosk" in the coordinator menu (the
window's ``setup_requested``), the launcher closes the window, shows the
setup from the connection step, and opens a fresh window after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication

from kiosk.ui.main_window import KioskWindow
from kiosk.ui.setup.wizard import SetupWizard

log = logging.getLogger(__name__)

SetupMode = Literal["auto", "always", "never"]


class KioskLauncher(QObject):
    """Shows the setup or the kiosk window (see the module docstring).

    The composition root (``kiosk/ui/composition.py``) hands in how to build
    each: ``make_window()``, ``make_wizard(first_step)`` (``None``: where the
    setup stopped last time), and ``needs_setup()`` (whether the kiosk is set up).
    """

    wizard_shown = Signal(object)  # SetupWizard
    window_started = Signal(object)  # KioskWindow

    def __init__(
        self,
        make_window: Callable[[], KioskWindow],
        make_wizard: Callable[[str | None], SetupWizard],
        needs_setup: Callable[[], bool],
    ) -> None:
        super().__init__()
        self._make_window = make_window
        self._make_wizard = make_wizard
        self._needs_setup = needs_setup
        self.wizard: SetupWizard | None = None
        self.window: KioskWindow | None = None

    def start(self, setup: SetupMode = "auto") -> None:
        """Show the setup (``always``; ``auto``: only if the kiosk is not set up) or the kiosk window."""
        wanted = setup == "always" or (setup == "auto" and self._needs_setup())
        if wanted:
            self.show_setup(first_step="language" if setup == "always" else None)
        else:
            self._start_window()

    def show_setup(self, first_step: str | None = None) -> None:
        """Show the setup at ``first_step`` (``None``: where it stopped last time)."""
        wizard = self._make_wizard(first_step)
        wizard.setup_finished.connect(self._on_setup_finished)
        self.wizard = wizard
        wizard.start()
        self.wizard_shown.emit(wizard)

    @Slot()
    def _on_setup_finished(self) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is None:
            return
        wizard.shutdown()  # the camera is free before the window opens it
        with _keep_running():
            self._start_window()
            wizard.close()
        wizard.deleteLater()

    def _start_window(self) -> None:
        window = self._make_window()
        self.window = window
        window.setup_requested.connect(self._on_setup_requested)  # the coordinator menu's "Set up this kiosk"
        window.start()
        self.window_started.emit(window)

    @Slot()
    def _on_setup_requested(self) -> None:
        window, self.window = self.window, None
        if window is None:
            return
        log.info("setup: started again from the coordinator menu")
        with _keep_running():
            window.exit_kiosk()  # stops its camera and threads first
            self.show_setup(first_step="provisioning")

    def quit(self) -> None:
        """Close whatever is shown (``kiosk run --seconds``)."""
        if self.wizard is not None:
            self.wizard.close()
        if self.window is not None:
            self.window.exit_kiosk()


@contextmanager
def _keep_running() -> Iterator[None]:
    """Keep the application running while one window closes and the next opens."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        yield
        return
    before = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    try:
        yield
    finally:
        app.setQuitOnLastWindowClosed(before)
