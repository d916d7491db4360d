"""Build the PyInstaller bundle, or reuse it when nothing it is made from has changed.

    python freeze/build_bundle.py            # dist/volunteer-kiosk (make bundle runs this)
    python freeze/build_bundle.py --rebuild  # build even when it looks up to date

``make bundle``, the bundle tests (``tests/bundle``) and ``bench/bundle.py``
all come here, so they share one build and its PyInstaller cache in
``build/``. A fingerprint of what goes into the bundle (the kiosk's sources,
``build.spec``, ``freeze/``, the resources, the installed packages and the
Python version) is kept beside the bundle (``dist/volunteer-kiosk.fingerprint``);
when it matches, the bundle is reused. A lock file makes a second build that
starts meanwhile (two test sessions) wait, then reuse the first one's result.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "volunteer-kiosk"
DIST_DIR = ROOT / "dist"
WORK_DIR = ROOT / "build" / "pyinstaller"
EXECUTABLE = "kiosk.exe" if sys.platform == "win32" else "kiosk"
_INPUTS = (
    ("build.spec", "build.spec"),
    ("freeze", "*.py"),
    ("kiosk", "*.py"),
    ("checkin_protocol", "*.py"),
    ("resources/i18n", "*.ts"),
    ("resources/sounds", "*.wav"),
    ("resources/deploy", "volunteer-kiosk*"),
    ("pyproject.toml", "pyproject.toml"),
)


@dataclass(frozen=True)
class BundleBuild:
    """The bundle folder, and how long building it took (``None``: reused as it was)."""

    folder: Path
    build_seconds: float | None

    @property
    def executable(self) -> Path:
        """The ``kiosk`` executable in the bundle."""
        return self.folder / EXECUTABLE


class BundleBuildError(RuntimeError):
    """PyInstaller failed; the message carries the end of its output."""


def source_fingerprint() -> str:
    """A hash of everything the bundle is built from."""
    digest = hashlib.sha256()
    for folder, pattern in _INPUTS:
        base = ROOT / folder
        files = [base] if base.is_file() else sorted(base.rglob(pattern))
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    # The installed packages, from site-packages only: sys.path differs between callers.
    site_packages = sorted({sysconfig.get_paths()[key] for key in ("purelib", "platlib")})
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions(path=site_packages)
    )
    digest.update("\n".join([sys.version, *packages]).encode())
    return digest.hexdigest()


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: one build at a time is the builder's business
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def compile_translations() -> None:
    """Compile the ``.ts`` files to the ``.qm`` files the bundle ships (as ``make translations`` does)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_translations.py")], check=True, cwd=ROOT)


def ensure_bundle(
    dist_dir: Path = DIST_DIR, work_dir: Path = WORK_DIR, rebuild: bool = False, quiet: bool = True
) -> BundleBuild:
    """The bundle in ``dist_dir/volunteer-kiosk``, built first unless it is up to date.

    Raises :class:`BundleBuildError` when PyInstaller fails.
    """
    folder = dist_dir / APP_NAME
    stamp = dist_dir / f"{APP_NAME}.fingerprint"
    with _build_lock(dist_dir / f".{APP_NAME}.lock"):
        compile_translations()
        fingerprint = source_fingerprint()
        executable = folder / EXECUTABLE
        if (
            not rebuild
            and executable.is_file()
            and stamp.is_file()
            and stamp.read_text().strip() == fingerprint
        ):
            return BundleBuild(folder, None)
        stamp.unlink(missing_ok=True)
        command = [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist_dir),
            "--workpath",
            str(work_dir),
            str(ROOT / "build.spec"),
        ]
        started = time.perf_counter()
        result = subprocess.run(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE if quiet else None,
            stderr=subprocess.STDOUT if quiet else None,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0 or not executable.is_file():
            tail = "\n".join((result.stdout or "").splitlines()[-40:])
            raise BundleBuildError(f"PyInstaller failed (exit {result.returncode}):\n{tail}")
        stamp.write_text(fingerprint + "\n")
        return BundleBuild(folder, seconds)


def folder_size_mb(folder: Path) -> float:
    """The bundle's size as ``du -sm --apparent-size`` counts it (MiB, symlinks not followed)."""
    total = sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file() or path.is_symlink())
    return total / 2**20


def main() -> None:
    """``python freeze/build_bundle.py [--rebuild]``: build (or reuse) the bundle and say where it is."""
    parser = argparse.ArgumentParser(
        description="Build the kiosk's PyInstaller bundle (dist/volunteer-kiosk)."
    )
    parser.add_argument("--rebuild", action="store_true", help="build even when the bundle is up to date")
    args = parser.parse_args()
    try:
        build = ensure_bundle(rebuild=args.rebuild, quiet=False)
    except (BundleBuildError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"the bundle was not built: {error}") from error
    how = "up to date" if build.build_seconds is None else f"built in {build.build_seconds:.0f} s"
    print(
        f"{build.folder.relative_to(ROOT)}: {how}, {folder_size_mb(build.folder):.0f} MB; run {build.executable}"
    )


if __name__ == "__main__":
    main()
