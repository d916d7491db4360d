"""Make a release: the bundles as versioned archives, their SHA-256 checksums, and the changelog entry.

    make release                        # dist/release/<version>/
    python scripts/release.py --old-linux   # also the older-Linux bundle (as root: freeze/old_linux.py)

The version is ``checkin_protocol.__version__`` (what ``kiosk --version``,
the self-test and the sync registration say). ``CHANGELOG.md`` must have an
entry ``## <version>`` for it, or nothing is made. The folder gets:

- ``volunteer-kiosk-<version>-linux-x86_64-glibc<X.Y>.tar.gz``: the bundle of
  this machine (``make bundle``), named by the glibc it needs;
- ``volunteer-kiosk-<version>-linux-x86_64-glibc2.31.tar.gz`` with
  ``--old-linux``: the older-Linux bundle (docs/deploy-build.md);
- ``volunteer-kiosk-<version>-windows-x86_64.zip`` when run on Windows;
- ``SHA256SUMS`` (``sha256sum -c`` reads it) and ``RELEASE-NOTES.md`` (the
  changelog entry).

Archives are reproducible: members sorted, owners and permissions
normalised, every time set to ``SOURCE_DATE_EPOCH`` (default: the last
commit's time), so the same bundle gives the same checksum.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RELEASE_DIR = ROOT / "dist" / "release"
APP_NAME = "volunteer-kiosk"


class ReleaseError(RuntimeError):
    """The release cannot be made; the message says why."""


def current_version() -> str:
    """The version every part of the kiosk reports."""
    sys.path.insert(0, str(ROOT))
    from checkin_protocol import __version__

    return __version__


def changelog_entry(version: str, changelog: Path = ROOT / "CHANGELOG.md") -> str:
    """The text of ``## <version>`` in ``changelog`` (heading included); :class:`ReleaseError` when absent."""
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    match = re.search(rf"^## {re.escape(version)}\b.*?(?=^## |\Z)", text, re.S | re.M)
    if match is None or not match.group(0).strip().split("\n", 1)[1:]:
        raise ReleaseError(f"{changelog.name} has no entry '## {version}': write what changed first")
    return match.group(0).strip() + "\n"


def source_date_epoch() -> int:
    """``$SOURCE_DATE_EPOCH``, or the last commit's time (0 outside a git checkout)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return int(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else 0


def _members(folder: Path) -> Iterator[Path]:
    yield folder
    yield from sorted(folder.rglob("*"), key=lambda path: path.relative_to(folder).as_posix())


def tar_folder(folder: Path, target: Path, mtime: int) -> Path:
    """``folder`` as a reproducible ``.tar.gz`` whose top folder is the target's name without its suffix."""
    top = target.name.removesuffix(".tar.gz")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in _members(folder):
            name = top if path == folder else f"{top}/{path.relative_to(folder).as_posix()}"
            info = archive.gettarinfo(str(path), arcname=name)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = mtime
            if info.isfile():
                info.mode = 0o755 if info.mode & 0o111 else 0o644
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
            else:
                info.mode = 0o755 if info.isdir() else info.mode
                archive.addfile(info)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as packed:
        packed.write(buffer.getvalue())
    return target


def zip_folder(folder: Path, target: Path, mtime: int) -> Path:
    """``folder`` as a reproducible ``.zip`` (for Windows) under a top folder named like the target."""
    top = target.name.removesuffix(".zip")
    stamp = max(mtime, 315532800)  # zip times start in 1980
    date_time = time.gmtime(stamp)[:6]
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _members(folder):
            if path.is_dir():
                continue
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(folder).as_posix()}", date_time)
            info.external_attr = (0o755 if os.access(path, os.X_OK) else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return target


def sha256(path: Path) -> str:
    """The file's SHA-256 in hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_checksums(folder: Path, files: list[Path]) -> Path:
    """``SHA256SUMS`` in ``folder`` for ``files``, as ``sha256sum`` writes it."""
    lines = [f"{sha256(path)}  {path.name}\n" for path in sorted(files)]
    target = folder / "SHA256SUMS"
    target.write_text("".join(lines), encoding="utf-8")
    return target


def glibc_of_this_machine() -> str:
    """The glibc version this machine's bundle needs at least (its own): ``2.36``."""
    import platform

    name, version = platform.libc_ver()
    return version if name == "glibc" and version else "unknown"


def make_release(old_linux: bool, out: Path = RELEASE_DIR) -> list[Path]:
    """Build (or reuse) the bundles and write the release folder; the files written."""
    version = current_version()
    notes = changelog_entry(version)
    sys.path.insert(0, str(ROOT / "freeze"))
    import build_bundle

    folder = out / version
    folder.mkdir(parents=True, exist_ok=True)
    mtime = source_date_epoch()
    bundle = build_bundle.ensure_bundle().folder
    archives = []
    if sys.platform == "win32":
        archives.append(zip_folder(bundle, folder / f"{APP_NAME}-{version}-windows-x86_64.zip", mtime))
    else:
        name = f"{APP_NAME}-{version}-linux-x86_64-glibc{glibc_of_this_machine()}.tar.gz"
        archives.append(tar_folder(bundle, folder / name, mtime))
    if old_linux:
        import old_linux as older

        built = older.build()
        archives.append(
            tar_folder(built, folder / f"{APP_NAME}-{version}-linux-x86_64-glibc2.31.tar.gz", mtime)
        )
    (folder / "RELEASE-NOTES.md").write_text(notes, encoding="utf-8")
    return [*archives, write_checksums(folder, archives), folder / "RELEASE-NOTES.md"]


def main() -> None:
    """``python scripts/release.py [--old-linux]``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--old-linux", action="store_true", help="also the older-Linux bundle (needs root)")
    args = parser.parse_args()
    try:
        written = make_release(args.old_linux)
    except ReleaseError as error:
        raise SystemExit(str(error)) from error
    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
