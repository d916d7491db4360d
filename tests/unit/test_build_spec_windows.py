"""build.spec as PyInstaller runs it on Windows, with PyInstaller's build steps faked.

The spec is executed in a namespace whose ``Analysis``, ``PYZ``, ``EXE`` and
``COLLECT`` only record their arguments, with ``sys.platform`` set to
``win32`` (the spec's ``IS_WINDOWS``) and the Windows ZBar DLLs of the pyzbar
wheel stood in for by empty files. What is checked is what the spec asks
PyInstaller for: the windowed ``kiosk.exe`` and the console
``kiosk-console.exe``, both with the version resource, in one folder with
the data the kiosk looks up when frozen (the autostart templates among them).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import PyInstaller.compat
import PyInstaller.depend.bindepend
import PyInstaller.utils.hooks
import pytest

# The modules build.spec imports, imported here under the real platform first.
import kiosk.camera.decoders
import kiosk.face.engine
from checkin_protocol import __version__
from kiosk.services import autostart

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build.spec"


@dataclass
class Recorded:
    """The arguments each faked PyInstaller step was called with."""

    analysis: dict[str, Any] = field(default_factory=dict)
    exes: list[dict[str, Any]] = field(default_factory=list)
    collect: dict[str, Any] = field(default_factory=dict)
    collected: tuple[Any, ...] = ()


def _toc(entries: list[tuple[str, str]], kind: str) -> list[tuple[str, str, str]]:
    """(source, destination folder) pairs as PyInstaller's table of contents: (destination file, source, kind)."""
    return [
        (str(PurePosixPath(dest, Path(source).name)).removeprefix("./"), source, kind)
        for source, dest in entries
    ]


def _fakes(recorded: Recorded) -> dict[str, Any]:
    class Analysis:
        def __init__(self, scripts: list[str], **kwargs: Any) -> None:
            recorded.analysis = {"scripts": scripts, **kwargs}
            self.scripts = [("bundle_entry", scripts[0], "PYSOURCE")]
            self.pure: list[Any] = []
            self.binaries = _toc(kwargs["binaries"], "BINARY")
            self.datas = _toc(kwargs["datas"], "DATA")

    def pyz(pure: list[Any]) -> str:
        return "PYZ"

    def exe(*args: Any, **kwargs: Any) -> dict[str, Any]:
        recorded.exes.append(kwargs)
        return kwargs

    def collect(*args: Any, **kwargs: Any) -> None:
        recorded.collected = args
        recorded.collect = kwargs

    return {"Analysis": Analysis, "PYZ": pyz, "EXE": exe, "COLLECT": collect}


@pytest.fixture
def windows_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Recorded:
    """Execute build.spec as on Windows; what it asked of PyInstaller."""
    if not list((ROOT / "resources" / "i18n").glob("kiosk_*.qm")):
        pytest.skip("compiled translations missing: run scripts/build_translations.py (make test does)")
    # The pyzbar wheel for Windows carries the ZBar DLLs in its package folder; this one is Linux's.
    pyzbar = tmp_path / "site-packages" / "pyzbar"
    pyzbar.mkdir(parents=True)
    for relative in kiosk.camera.decoders.ZBAR_BUNDLE_FILES["win32"]:
        (pyzbar / Path(relative).name).write_bytes(b"MZ")
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> importlib.machinery.ModuleSpec | None:
        if name == "pyzbar":
            return importlib.machinery.ModuleSpec("pyzbar", None, origin=str(pyzbar / "__init__.py"))
        return real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    # PyInstaller's version resource module imports pefile and PyInstaller.compat's win32api, which exist
    # on Windows only; its classes (what the spec builds) use neither, so stand-ins let the real ones load.
    if real_find_spec("pefile") is None:
        monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    monkeypatch.setattr(
        PyInstaller.compat, "win32api", getattr(PyInstaller.compat, "win32api", None), raising=False
    )
    monkeypatch.setattr(sys, "path", list(sys.path))  # the spec adds the project and freeze/
    modules = set(sys.modules)
    recorded = Recorded()
    namespace = {
        "SPECPATH": str(ROOT),
        "workpath": str(tmp_path / "work"),
        "__name__": "build_spec",
        **_fakes(recorded),
    }
    real_platform = sys.platform
    sys.platform = "win32"  # only while the spec runs (build.spec: IS_WINDOWS)
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.platform = real_platform
        for name in set(sys.modules) - modules:  # PyInstaller's win32 helpers, imported on a stand-in pefile
            if name.startswith("PyInstaller.utils.win32"):
                del sys.modules[name]
    return recorded


def test_windows_gets_a_windowed_kiosk_exe_and_a_console_twin(windows_build: Recorded) -> None:
    exes = {exe["name"]: exe for exe in windows_build.exes}
    assert list(exes) == ["kiosk", "kiosk-console"]
    assert exes["kiosk"]["console"] is False  # kiosk.exe opens no console window
    assert exes["kiosk-console"]["console"] is True
    for exe in exes.values():
        assert exe["exclude_binaries"] is True  # one folder, shared by both
        version = exe["version"]
        assert version is not None and __version__ in str(version)  # the Windows version resource
    assert list(windows_build.collected[:2]) == list(exes.values())
    assert windows_build.collect["name"] == "volunteer-kiosk"


def test_windows_bundle_carries_the_zbar_dlls_and_what_the_kiosk_looks_up_when_frozen(
    windows_build: Recorded,
) -> None:
    analysis = windows_build.analysis
    assert analysis["scripts"] == [str(ROOT / "kiosk" / "bundle_entry.py")]
    assert {Path(source).name for source, _ in analysis["binaries"]} == {
        Path(relative).name for relative in kiosk.camera.decoders.ZBAR_BUNDLE_FILES["win32"]
    }
    datas = {Path(source).name: dest for source, dest in analysis["datas"]}
    # kiosk.services.autostart.deploy_dir() looks in <_MEIPASS>/resources/deploy when frozen.
    frozen_deploy = autostart.deploy_dir().relative_to(ROOT).as_posix()
    assert datas[autostart.TASK_TEMPLATE] == frozen_deploy == "resources/deploy"
    assert datas["volunteer-kiosk.desktop"] == frozen_deploy
    assert datas["kiosk_zh_CN.qm"] == "resources/i18n"
    assert any(dest == kiosk.face.engine.BUNDLED_MODELS_DIR for dest in datas.values())
