"""Locked down, a window covers its whole screen, with or without a window manager.

``showFullScreen()`` only asks for full screen. On X11 Qt sets
``_NET_WM_STATE_FULLSCREEN`` and leaves the rest to the window manager; a kiosk
started by ``xinit`` (or any bare X server, Xvfb too) has none, and the window
stayed at its preferred size in the top-left corner. So :class:`ScreenCover`
also makes the window frameless and stay on top, gives it its screen's
geometry itself, and then asks for full screen; where a window manager, a
Wayland compositor (cage) or Windows carries the request out, both agree.

It keeps the window on its screen's geometry when the resolution changes
(``QScreen.geometryChanged``) and when the window moves to another screen
(``QWindow.screenChanged``; also when its screen is unplugged).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMetaObject, QObject, QRect, Qt, Slot
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

LOCKED_DOWN_FLAGS = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint


class ScreenCover(QObject):
    """Makes ``window`` (a top-level widget) cover its screen; :meth:`show` shows it so.

    The window's flags are set here, before it is first shown, as setting
    them later hides the window again.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._screen: QScreen | None = None
        self._geometry_connection: QMetaObject.Connection | None = None
        window.setWindowFlags(window.windowFlags() | Qt.WindowType.Window | LOCKED_DOWN_FLAGS)

    def show(self) -> None:
        """Show the window over its whole screen, and keep it there."""
        window = self._window
        if self._screen is None:
            self._follow(window.screen())  # before the native window exists: it is made at this size
            window.winId()  # creates the native window: its QWindow says when the screen changes
            handle = window.windowHandle()
            if handle is not None:
                handle.screenChanged.connect(self._on_screen_changed)
                if handle.screen() is not self._screen:
                    self._follow(handle.screen())
        window.showFullScreen()

    @property
    def screen_geometry(self) -> QRect | None:
        """The geometry the window is kept at (``None`` before :meth:`show`)."""
        return None if self._screen is None else self._screen.geometry()

    @Slot(QScreen)
    def _on_screen_changed(self, screen: QScreen | None) -> None:
        self._follow(screen)

    def _follow(self, screen: QScreen | None) -> None:
        if self._geometry_connection is not None:
            # by the connection, not the old screen: that screen may be going away (unplugged)
            QObject.disconnect(self._geometry_connection)
            self._geometry_connection = None
        self._screen = screen
        if screen is None:
            return
        self._geometry_connection = screen.geometryChanged.connect(self._on_geometry_changed)
        self._fit(screen.geometry())

    @Slot(QRect)
    def _on_geometry_changed(self, geometry: QRect) -> None:
        log.info(
            "screen: now %dx%d at %d,%d", geometry.width(), geometry.height(), geometry.x(), geometry.y()
        )
        self._fit(geometry)

    def _fit(self, geometry: QRect) -> None:
        window = self._window
        needed = window.minimumSizeHint()
        if needed.width() > geometry.width() or needed.height() > geometry.height():
            # Qt keeps a window at least at its layout's minimum size: it then reaches past the screen's edge
            log.warning(
                "screen: %dx%d is smaller than the window needs (%dx%d); part of it is off the screen",
                geometry.width(),
                geometry.height(),
                needed.width(),
                needed.height(),
            )
        if window.geometry() != geometry:
            window.setGeometry(geometry)
        if window.isVisible() and not window.isFullScreen():
            window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)
