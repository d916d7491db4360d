"""ZBar in the frozen bundle: pyzbar is pointed at the bundle's copy, never at a system library it lacks."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest
from pyzbar import zbar_library

from kiosk.camera.decoders import bundled_zbar_files, use_bundled_zbar


def _system_zbar() -> Path | None:
    found = sorted(path for folder in ("/usr/lib", "/lib") for path in Path(folder).glob("**/libzbar.so.0"))
    return found[0] if found else None


def test_outside_a_bundle_the_system_zbar_is_used(tmp_path: Path) -> None:
    (tmp_path / "libzbar.so.0").write_bytes(b"")
    assert bundled_zbar_files(str(tmp_path), "linux", frozen=False) is None
    assert bundled_zbar_files(None, "linux", frozen=True) is None  # frozen, but no bundle folder


def test_the_bundle_files_per_platform(tmp_path: Path) -> None:
    (tmp_path / "libzbar.so.0").write_bytes(b"")
    assert bundled_zbar_files(str(tmp_path), "linux", frozen=True) == [tmp_path / "libzbar.so.0"]
    (tmp_path / "pyzbar").mkdir()
    (tmp_path / "pyzbar" / "libzbar-64.dll").write_bytes(b"")
    assert bundled_zbar_files(str(tmp_path), "win32", frozen=True) is None  # libiconv.dll is missing
    (tmp_path / "pyzbar" / "libiconv.dll").write_bytes(b"")
    assert bundled_zbar_files(str(tmp_path), "win32", frozen=True) == [
        tmp_path / "pyzbar" / "libiconv.dll",
        tmp_path / "pyzbar" / "libzbar-64.dll",
    ]
    assert bundled_zbar_files(str(tmp_path), "darwin", frozen=True) is None


def test_a_bundle_without_zbar_leaves_pyzbar_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    original = zbar_library.load
    monkeypatch.setattr(zbar_library, "load", original)
    assert use_bundled_zbar([]) is False
    assert zbar_library.load is original


def test_pyzbar_loads_the_bundle_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = _system_zbar()
    if system is None:
        pytest.skip("libzbar0 is not installed (scripts/system-deps.sh installs it)")
    bundled = tmp_path / "libzbar.so.0"
    bundled.symlink_to(system)
    monkeypatch.setattr(zbar_library, "load", zbar_library.load)  # restored after the test
    files = bundled_zbar_files(str(tmp_path), "linux", frozen=True)
    assert use_bundled_zbar(files) is True
    library, dependencies = zbar_library.load()
    assert isinstance(library, ctypes.CDLL) and library._name == str(bundled)
    assert dependencies == []
