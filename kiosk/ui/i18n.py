"""Languages: Simplified Chinese by default, English one tap away.

The kiosk's own strings are translated from English source text with Qt
Linguist files: ``resources/i18n/kiosk_zh_CN.ts`` is committed, and the build
and test steps compile it to ``.qm`` (``scripts/build_translations.py``). Qt's
own translations (dialog buttons and the like) are loaded from PySide6.
Switching language installs the other translators; Qt then sends every widget
a ``LanguageChange`` event and the widgets re-set their texts.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
# Fonts that carry Simplified Chinese, most preferred first (Linux, Windows, macOS).
CJK_FONT_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "SimHei",
)


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package, or inside the frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def translations_dir() -> Path:
    return resources_dir() / "i18n"


class LanguageSwitcher:
    """Owns the installed translators and swaps them when the language changes."""

    def __init__(self, app: QCoreApplication, folder: Path | None = None) -> None:
        self._app = app
        self._folder = folder or translations_dir()
        self._installed: list[QTranslator] = []
        self.language = ""

    def set_language(self, language: str) -> None:
        """Install the translators for ``language`` (``zh_CN`` or ``en``)."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        self.remove()
        self._install(self._folder, f"kiosk_{language}")  # English: its plural forms only
        if language != "en":
            qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._install(Path(qt_folder), f"qtbase_{language}")
        QLocale.setDefault(
            QLocale(QLocale.Language.Chinese if language == "zh_CN" else QLocale.Language.English)
        )
        self.language = language

    def remove(self) -> None:
        """Uninstall this switcher's translators (when its window closes)."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()

    def _install(self, folder: Path, name: str) -> None:
        translator = QTranslator(self._app)
        if translator.load(name, str(folder)):
            self._app.installTranslator(translator)
            self._installed.append(translator)
        else:
            log.warning("translation %s not found in %s; showing English", name, folder)


def choose_cjk_font(point_size: int = 16) -> QFont:
    """A font that renders Chinese, falling back to the platform default."""
    families = set(QFontDatabase.families())
    for family in CJK_FONT_FAMILIES:
        if family in families:
            font = QFont(family, point_size)
            return font
    log.warning("no CJK font found (install fonts-noto-cjk); Chinese may not render")
    return QFont(QFont().family(), point_size)
