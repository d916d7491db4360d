"""What of Qt goes into the bundle: the rules ``build.spec`` and its hooks (``freeze/hooks``) share.

PyInstaller's PySide6 hooks collect every plugin and translation a Qt module
might use. The kiosk uses QtCore, QtGui, QtWidgets and QtPrintSupport on a
touch screen under X11 or Wayland (and offscreen for tests), so the hooks in
``freeze/hooks`` collect through :func:`keep_qt_binary` and
:func:`keep_qt_data`. Filtering there, before PyInstaller follows the
plugins' library dependencies, also keeps out the system libraries only the
dropped plugins needed (GTK's for the GTK theme, for example).
"""

from __future__ import annotations

import re
from pathlib import PurePath

LANGUAGES = ("zh_CN", "en")
"""The kiosk's languages: Qt's own translations are kept for these only."""

KEEP_PLUGIN_DIRS = frozenset(
    {
        "platforms",  # the display: X11, Wayland, offscreen (tests, self-test), Windows
        "platforminputcontexts",  # input methods: typing Chinese names at the desk (ibus, compose)
        "imageformats",
        "printsupport",  # the desk prints roll-calls and reports (CUPS)
        "xcbglintegrations",  # the X11 plugin asks for one at start
        "wayland-shell-integration",
        "wayland-decoration-client",
        "generic",  # evdev touch and keyboard input on bare consoles
        "styles",  # Windows: the native widget style
    }
)
"""Plugin folders kept; dropped: QML tooling, SQL drivers, TLS, network information, icon engines,
platform themes (GTK, portals: the kiosk draws its own screens), EGL device integrations, the
Wayland graphics integrations (they need QtOpenGL; widgets use shared memory)."""

KEEP_PLUGINS: dict[str, frozenset[str]] = {
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qminimal", "qwindows", "qdirect2d"}),
    "imageformats": frozenset({"qjpeg", "qgif", "qico"}),
    "wayland-shell-integration": frozenset({"xdg-shell", "fullscreen-shell-v1"}),
    "wayland-decoration-client": frozenset({"bradient"}),
    "generic": frozenset({"qevdevkeyboardplugin", "qevdevmouseplugin", "qevdevtouchplugin"}),
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
}
"""Within a kept folder, the plugins kept (folders not listed here keep all theirs)."""

DROP_QT_LIBRARIES = re.compile(
    r"Qt6?(Qml|Quick|Pdf|Network|OpenGL|Svg|Sql|Test|Xml|Concurrent|Designer|Help|VirtualKeyboard|"
    r"WebEngine|Multimedia|Positioning|3D|Charts|DataVis|Graphs|ShaderTools|Lottie|Labs|EglFS|EglFs|"
    r"WlShellIntegration)"
)
"""Qt libraries the kiosk never loads once the plugins above are gone."""


def plugin_stem(filename: str) -> str:
    """``libqxcb.so`` -> ``qxcb``; ``qwindows.dll`` -> ``qwindows``."""
    name = PurePath(filename).name.split(".")[0]
    return name.removeprefix("lib")


def keep_qt_binary(source: str, dest_dir: str) -> bool:
    """Whether a Qt binary collected from ``source`` into ``dest_dir`` belongs in the kiosk."""
    dest = PurePath(dest_dir.replace("\\", "/"))
    if "plugins" in dest.parts:
        folder = dest.parts[dest.parts.index("plugins") + 1 :]
        if not folder or folder[0] not in KEEP_PLUGIN_DIRS:
            return False
        wanted = KEEP_PLUGINS.get(folder[0])
        return wanted is None or plugin_stem(source) in wanted
    return not DROP_QT_LIBRARIES.search(PurePath(source).name)


def keep_qt_data(source: str, dest_dir: str) -> bool:
    """Whether a Qt data file belongs in the kiosk: Qt's translations only for :data:`LANGUAGES`."""
    name = PurePath(source).name
    if name.endswith(".qm"):
        stem = name[: -len(".qm")]
        return any(stem.endswith(f"_{language}") for language in LANGUAGES)
    return True


def filter_hook_result(
    binaries: list[tuple[str, str]], datas: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A Qt hook's binaries and datas, without what the kiosk does not use."""
    return (
        [entry for entry in binaries if keep_qt_binary(*entry)],
        [entry for entry in datas if keep_qt_data(*entry)],
    )
