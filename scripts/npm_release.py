"""A pinned release from the npm registry: fetched with ``npm pack``, files read out of its tarball.

Shared by ``fetch_echarts.py`` and ``fetch_qrcode_js.py``, which pin a
package's version and hashes and write its files into the cloud's static
folders. Nothing from a tarball is ever run, only read as bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path


class FetchError(Exception):
    """The release could not be fetched, or it is not the one pinned; nothing was written."""


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pack(package: str, version: str, folder: Path) -> Path:
    """Download ``package@version``'s tarball into ``folder`` with ``npm pack`` (npm's configured registry)."""
    try:
        done = subprocess.run(
            ["npm", "pack", f"{package}@{version}", "--pack-destination", str(folder), "--silent"],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    except FileNotFoundError as exc:
        raise FetchError("npm is not installed (Debian: apt-get install npm)") from exc
    if done.returncode != 0:
        raise FetchError(f"npm pack {package}@{version} failed: {done.stderr.strip()}")
    tarball = folder / f"{package}-{version}.tgz"
    if not tarball.is_file():
        raise FetchError(f"npm pack wrote no {tarball.name}: {done.stdout.strip()}")
    return tarball


def extract(tarball: Path, members: dict[str, str], target: Path) -> None:
    """Write each tarball member of ``members`` into ``target`` under the name it maps to."""
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:gz") as archive:
        for member, name in members.items():
            stream = archive.extractfile(member)
            if stream is None:
                raise FetchError(f"{tarball.name} has no file {member}")
            (target / name).write_bytes(stream.read())


def command_line(
    argv: list[str] | None,
    description: str | None,
    label: str,
    check_committed: Callable[[], list[str]],
    fetch: Callable[[bool], None],
) -> int:
    """A fetch script's command line: fetch (default), ``--check`` the committed files, or ``--print-hashes``.

    ``label`` names the release in messages (``ECharts 6.1.0``); the exit code is 1 on any problem.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="only verify the committed files")
    parser.add_argument(
        "--print-hashes", action="store_true", help="show the release's hashes, write nothing"
    )
    options = parser.parse_args(argv)
    try:
        if options.check:
            problems = check_committed()
            for problem in problems:
                print(problem, file=sys.stderr)
            if not problems:
                print(f"{label}: the committed files are the pinned ones")
            return 1 if problems else 0
        fetch(options.print_hashes)
    except FetchError as exc:
        print(f"{Path(sys.argv[0]).stem}: {exc}", file=sys.stderr)
        return 1
    return 0
