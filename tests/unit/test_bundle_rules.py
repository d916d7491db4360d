"""What of Qt the bundle keeps (freeze/bundle_rules.py, used by build.spec and its hooks)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

RULES = Path(__file__).resolve().parents[2] / "freeze" / "bundle_rules.py"


@pytest.fixture(scope="module")
def rules() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kiosk_bundle_rules", RULES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


PLUGINS = "PySide6/Qt/plugins"


@pytest.mark.parametrize(
    ("source", "dest_dir", "kept"),
    [
        ("/qt/plugins/platforms/libqxcb.so", f"{PLUGINS}/platforms", True),
        ("/qt/plugins/platforms/libqoffscreen.so", f"{PLUGINS}/platforms", True),
        ("/qt/plugins/platforms/libqwayland.so", f"{PLUGINS}/platforms", True),
        ("/qt/plugins/platforms/libqvnc.so", f"{PLUGINS}/platforms", False),
        ("/qt/plugins/platforms/libqeglfs.so", f"{PLUGINS}/platforms", False),
        ("C:/qt/plugins/platforms/qwindows.dll", "PySide6\\plugins\\platforms", True),
        ("/qt/plugins/imageformats/libqjpeg.so", f"{PLUGINS}/imageformats", True),
        ("/qt/plugins/imageformats/libqsvg.so", f"{PLUGINS}/imageformats", False),
        ("/qt/plugins/imageformats/libqpdf.so", f"{PLUGINS}/imageformats", False),
        ("/qt/plugins/printsupport/libcupsprintersupport.so", f"{PLUGINS}/printsupport", True),
        (
            "/qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
            f"{PLUGINS}/platforminputcontexts",
            False,
        ),
        (
            "/qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
            f"{PLUGINS}/platforminputcontexts",
            True,
        ),
        ("/qt/plugins/qmltooling/libqmldbg_tcp.so", f"{PLUGINS}/qmltooling", False),
        ("/qt/plugins/sqldrivers/libqsqlite.so", f"{PLUGINS}/sqldrivers", False),
        ("/qt/plugins/platformthemes/libqgtk3.so", f"{PLUGINS}/platformthemes", False),
        ("/qt/plugins/generic/libqtuiotouchplugin.so", f"{PLUGINS}/generic", False),
        ("/qt/lib/libQt6Widgets.so.6", "PySide6/Qt/lib", True),
        ("/qt/lib/libQt6XcbQpa.so.6", "PySide6/Qt/lib", True),
        ("/qt/lib/libQt6Network.so.6", "PySide6/Qt/lib", False),
        ("/qt/lib/libQt6Qml.so.6", "PySide6/Qt/lib", False),
        ("C:/qt/Qt6Quick.dll", "PySide6", False),
        ("/qt/lib/libicudata.so.73", "PySide6/Qt/lib", True),
    ],
)
def test_qt_binaries(rules: ModuleType, source: str, dest_dir: str, kept: bool) -> None:
    assert rules.keep_qt_binary(source, dest_dir) is kept


@pytest.mark.parametrize(
    ("name", "kept"),
    [("qtbase_zh_CN.qm", True), ("qtbase_en.qm", True), ("qtbase_de.qm", False), ("qt_zh_TW.qm", False)],
)
def test_qt_translations(rules: ModuleType, name: str, kept: bool) -> None:
    assert rules.keep_qt_data(f"/qt/translations/{name}", "PySide6/Qt/translations") is kept
