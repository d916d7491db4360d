"""PySide6.QtWidgets for the kiosk: PyInstaller's own hook, without the Qt parts the kiosk does not use."""

from bundle_rules import filter_hook_result
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, _binaries, _datas = add_qt6_dependencies(__file__)
binaries, datas = filter_hook_result(_binaries, _datas)
