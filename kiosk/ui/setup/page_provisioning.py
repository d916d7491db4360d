"""Step 2: connect the kiosk to the platform: the setup QR code, a provisioning file, or offline for now.

Three panels beside the live camera: the options (scan, file, offline) with
a status line; "offline for now", which says plainly what that means; and
"connected", once the kiosk is provisioned. It only shows things and emits
the coordinator's choices; :mod:`kiosk.ui.setup.provisioning_flow` does the work.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QStackedWidget, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.setup.style import big_button, hint_label, set_status, title_label
from kiosk.ui.widgets.camera_view import CameraView
from kiosk.ui.widgets.retranslating import RetranslatingFrame

Words = Callable[[], str]


class ProvisioningPage(RetranslatingFrame):
    """The connection step's panels; the status words are kept as functions and re-read on a language change."""

    file_requested = Signal()
    pick_file_requested = Signal()
    offline_requested = Signal()
    offline_confirmed = Signal()
    demo_requested = Signal()
    options_requested = Signal()
    back_requested = Signal()
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status: tuple[Words, str] | None = None
        self._connected: Words | None = None
        self._busy = False
        self.camera = CameraView()
        self.panels = QStackedWidget()
        self.options = self._options_panel()
        self.offline = self._offline_panel()
        self.connected = self._connected_panel()
        for panel in (self.options, self.offline, self.connected):
            self.panels.addWidget(panel)
        self.back_button = big_button(min_width=160)
        self.back_button.clicked.connect(self.back_requested)
        self.next_button = big_button(primary=True)
        self.next_button.clicked.connect(self.next_requested)
        self.next_button.hide()
        self.panels.currentChanged.connect(self._on_panel_changed)
        middle = QHBoxLayout()
        middle.setSpacing(32)
        middle.addWidget(self.camera, 4)
        middle.addWidget(self.panels, 5)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addStretch()
        bottom.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)
        self.retranslate()

    def _options_panel(self) -> QWidget:
        panel = QWidget()
        self.options_title = title_label()
        self.options_hint = hint_label()
        self.status = hint_label()
        self.status.setObjectName("provisioningStatus")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: moving without a percentage
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(12)
        self.progress.hide()
        self.file_button = big_button()
        self.pick_button = big_button()
        self.offline_button = big_button()
        self.file_button.clicked.connect(self.file_requested)
        self.pick_button.clicked.connect(self.pick_file_requested)
        self.offline_button.clicked.connect(self.offline_requested)
        self.no_network_label = hint_label(22)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.options_title)
        layout.addWidget(self.options_hint)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch()
        layout.addWidget(self.no_network_label)
        for button in (self.file_button, self.pick_button, self.offline_button):
            layout.addWidget(button)
        return panel

    def _offline_panel(self) -> QWidget:
        panel = QWidget()
        self.offline_title = title_label()
        self.offline_text = hint_label()
        self.offline_warning = theme.notice(hint_label())
        self.continue_offline_button = big_button(primary=True)
        self.demo_button = big_button()
        self.offline_back_button = big_button()
        self.continue_offline_button.clicked.connect(self.offline_confirmed)
        self.demo_button.clicked.connect(self.demo_requested)
        self.offline_back_button.clicked.connect(self.options_requested)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.offline_title)
        layout.addWidget(self.offline_warning)
        layout.addWidget(self.offline_text)
        layout.addStretch()
        for button in (self.continue_offline_button, self.demo_button, self.offline_back_button):
            layout.addWidget(button)
        return panel

    def _connected_panel(self) -> QWidget:
        panel = QWidget()
        self.connected_title = theme.text_role(title_label(), "display", tone="good")
        self.connected_text = hint_label(28)
        self.connected_text.setObjectName("connectedText")
        self.connected_hint = hint_label()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        layout.addStretch()
        layout.addWidget(self.connected_title)
        layout.addWidget(self.connected_text)
        layout.addWidget(self.connected_hint)
        layout.addStretch(2)
        return panel

    def _on_panel_changed(self, _index: int) -> None:
        # The camera is only of use while a code can be scanned; the other panels take the width.
        options = self.panels.currentWidget() is self.options
        self.camera.setVisible(options)
        self.next_button.setVisible(self.panels.currentWidget() is self.connected)
        self.back_button.setVisible(
            self.panels.currentWidget() is not self.offline
        )  # it has its own way back

    # -- state ---------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a registration or a file is being worked on (the buttons wait)."""
        return self._busy

    def show_options(self) -> None:
        """The three ways to connect, with the status line (kept)."""
        self.panels.setCurrentWidget(self.options)

    def show_offline(self) -> None:
        """What "offline for now" means, with the choice to go on or install demo data."""
        self.panels.setCurrentWidget(self.offline)

    def show_connected(self, words: Words) -> None:
        """The kiosk is provisioned: ``words`` say with what."""
        self._connected = words
        self._status = None
        self.set_busy(False)
        self.panels.setCurrentWidget(self.connected)
        self.retranslate()

    def set_status(self, words: Words | None, tone: str = "info") -> None:
        """The status line under the options (``None``: empty); ``tone`` good, bad, busy or info."""
        self._status = None if words is None else (words, tone)
        self.retranslate()

    def set_busy(self, busy: bool) -> None:
        """While busy, the moving bar shows and no other choice can be made."""
        self._busy = busy
        self.progress.setVisible(busy)
        for button in (
            self.file_button,
            self.pick_button,
            self.offline_button,
            self.back_button,
            self.continue_offline_button,
            self.demo_button,
            self.offline_back_button,
        ):
            button.setEnabled(not busy)

    # -- words ----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.options_title.setText(self.tr("Connect to the platform"))
        self.options_hint.setText(
            self.tr(
                "Show the kiosk's setup QR code from the platform to the camera, or scan it with the "
                "USB barcode scanner."
            )
        )
        self.no_network_label.setText(self.tr("No network here? The platform's provisioning file works too:"))
        if self._status is None:
            set_status(self.status, "", "info")
        else:
            set_status(self.status, self._status[0](), self._status[1])
        # A status takes the hint's place: it says what happened and what to do, and 1280x800 has
        # no room for both under the title beside the camera.
        self.options_hint.setVisible(self._status is None)
        self.status.setVisible(self._status is not None)
        self.file_button.setText(self.tr("Use the provisioning file on the USB stick"))
        self.pick_button.setText(self.tr("Choose a provisioning file…"))
        self.offline_button.setText(self.tr("Offline for now"))
        self.offline_title.setText(self.tr("Offline for now"))
        self.offline_warning.setText(
            self.tr(
                "Without a connection to the platform the kiosk knows no signing key, so it cannot "
                "check volunteers' cards yet: every card would be refused."
            )
        )
        self.offline_text.setText(
            self.tr(
                "You can connect it later: ⚙ Coordinator → Set up this kiosk, or start it with "
                "'kiosk setup'. To try the kiosk out now, install the demo data: demo volunteers, "
                "activities and cards (coordinator PIN 123456)."
            )
        )
        self.continue_offline_button.setText(self.tr("Continue without connecting"))
        self.demo_button.setText(self.tr("Install demo data to try it out"))
        self.offline_back_button.setText(self.tr("Back to the ways to connect"))
        self.connected_title.setText(self.tr("Connected ✓"))
        self.connected_text.setText(self._connected() if self._connected is not None else "")
        self.connected_hint.setText(
            self.tr("The kiosk trusts the platform's signing keys now, so it can check volunteers' cards.")
        )
        self.next_button.setText(self.tr("Next"))
        self.back_button.setText(self.tr("Back"))
