"""The bundle for older Linux, built in a Debian 11 root and run in a clean one (``freeze/old_linux.py``).

The first test builds it (the Debian 11 build root, Python 3.11 from Debian's
source, the kiosk's packages, PyInstaller: about a quarter of an hour on a
fresh machine, seconds when ``build/roots/`` is still there). Each run in the
clean Debian 11 root copies the bundle in and starts it there with ``chroot``:
no Python, no Qt, no ZBar on that system, only its glibc 2.31, the graphics
libraries, fontconfig and a Chinese font. Needs root (debootstrap, chroot,
mounts), as CI has.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.scripts import load_script

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(3600),  # the first test builds the root, Python and the bundle
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux roots"),
    pytest.mark.skipif(
        not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("debootstrap") is None,
        reason="making and entering Debian roots needs root and debootstrap (make test installs it)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
OFFSCREEN = {"QT_QPA_PLATFORM": "offscreen"}


old_linux = load_script("freeze/old_linux.py", "kiosk_old_linux")


@pytest.fixture(scope="session")
def old_bundle() -> Path:
    """The older-Linux bundle folder, built (or its root reused) once per session."""
    folder: Path = old_linux.build()
    return folder


def test_no_binary_of_the_bundle_needs_a_glibc_newer_than_debian_11s(old_bundle: Path) -> None:
    needed = old_linux.glibc_needed(old_bundle)
    assert (2, 17) < needed <= old_linux.GLIBC_FLOOR, f"the bundle needs glibc {needed}"
    assert (old_bundle / "kiosk").is_file()


def test_the_self_test_passes_inside_a_clean_debian_11(old_bundle: Path) -> None:
    outcome = old_linux.run_in_root(
        old_bundle,
        ["--data", "/tmp/self-test", "--self-test"],
        {**OFFSCREEN, "KIOSK_CAMERA__SOURCE": "synthetic"},
    )
    assert outcome.returncode == 0, f"the self-test failed in Debian 11:\n{outcome.output}"
    assert "0 failed" in outcome.output and "synthetic" in outcome.output, outcome.output
    assert "models found" in outcome.output, outcome.output  # the face models came with the bundle


def test_the_demo_checks_a_volunteer_in_inside_a_clean_debian_11(old_bundle: Path) -> None:
    data = old_linux.RUN_ROOT.folder / "tmp" / "demo"
    shutil.rmtree(data, ignore_errors=True)
    made = old_linux.run_in_root(old_bundle, ["--data", "/tmp/demo", "demo-data"], OFFSCREEN)
    assert made.returncode == 0, made.output
    ran = old_linux.run_in_root(old_bundle, ["--data", "/tmp/demo", "demo", "--seconds", "8"], OFFSCREEN)
    assert ran.returncode == 0, f"the demo failed in Debian 11:\n{ran.output}"
    with sqlite3.connect(f"file:{data / 'kiosk.db'}?mode=ro", uri=True) as db:
        check_ins = int(db.execute("SELECT COUNT(*) FROM events WHERE action = 'in'").fetchone()[0])
    assert check_ins >= 1, f"no check-in in 8 s of the demo in Debian 11:\n{ran.output}"


def test_the_same_bundle_runs_on_the_build_machine(old_bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        [str(old_bundle / "kiosk"), "--data", str(tmp_path / "data"), "--self-test"],
        env={
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "LD_LIBRARY_PATH": "",
            "KIOSK_CAMERA__SOURCE": "synthetic",
            **OFFSCREEN,
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"


def test_the_build_asks_for_the_projects_pins_but_an_older_qt() -> None:
    wanted = old_linux.requirements()
    assert "PySide6-Essentials==6.9.3" in wanted
    assert not any(line.startswith("pytest") or line.startswith("fastapi") for line in wanted)
    assert any(line.startswith("pyinstaller==") for line in wanted)
