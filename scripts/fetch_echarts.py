#!/usr/bin/env python3
"""Fetch the pinned ECharts release from the npm registry into the dashboard's static files.

The dashboard (``cloud/dashboard/static/``) draws its charts with Apache ECharts,
served from the cloud itself: no CDN, no build step. The file is committed;
this script is how it got there and how to refetch or upgrade it::

    python scripts/fetch_echarts.py            # fetch ECHARTS_VERSION, verify it, write the files
    python scripts/fetch_echarts.py --check    # only verify the committed files (no network)

It runs ``npm pack echarts@<ECHARTS_VERSION>`` (npm's own configured registry),
checks the tarball's SHA-256 against :data:`TARBALL_SHA256`, and extracts
``package/dist/echarts.min.js`` with the licence files (``LICENSE``,
``NOTICE``, ``licenses/LICENSE-d3``; ECharts is Apache-2.0 and embeds BSD-3
code of d3) into ``cloud/dashboard/static/echarts/``; the extracted
``echarts.min.js`` must hash to :data:`MIN_JS_SHA256`, which a unit test also
checks against the committed file. To upgrade: change the version, run the
script once with ``--print-hashes`` to see the new hashes, check the release,
then pin them here.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the scripts folder is not a package
import npm_release
from npm_release import FetchError, sha256_of

__all__ = ["FetchError", "sha256_of"]

ECHARTS_VERSION = "6.1.0"
TARBALL_SHA256 = "681aff88cc1038c3fa941a3a53d1b177a52250b05335efc607d6105ae13be481"
MIN_JS_SHA256 = "b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0"

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "cloud" / "dashboard" / "static" / "echarts"
#: Members of the npm tarball and the names they are written under in :data:`TARGET`.
MEMBERS = {
    "package/dist/echarts.min.js": "echarts.min.js",
    "package/LICENSE": "LICENSE",
    "package/NOTICE": "NOTICE",
    "package/licenses/LICENSE-d3": "LICENSE-d3",
}


def pack(version: str, folder: Path) -> Path:
    """Download ``echarts@version``'s tarball into ``folder``; its path."""
    return npm_release.pack("echarts", version, folder)


def extract(tarball: Path, target: Path) -> None:
    """Write the members of :data:`MEMBERS` from ``tarball`` into ``target`` (read as bytes, never run)."""
    npm_release.extract(tarball, MEMBERS, target)


def check_committed(target: Path = TARGET) -> list[str]:
    """What is wrong with the committed files (missing, or not the pinned ``echarts.min.js``); empty if nothing."""
    problems = [f"{target / name} is missing" for name in MEMBERS.values() if not (target / name).is_file()]
    min_js = target / "echarts.min.js"
    if min_js.is_file() and (actual := sha256_of(min_js)) != MIN_JS_SHA256:
        problems.append(f"{min_js} has SHA-256 {actual}, not the pinned {MIN_JS_SHA256}")
    return problems


def fetch(print_hashes: bool) -> None:
    """Fetch, verify and write the pinned release (or, with ``print_hashes``, only show its hashes)."""
    with tempfile.TemporaryDirectory() as folder:
        tarball = pack(ECHARTS_VERSION, Path(folder))
        tarball_sha = sha256_of(tarball)
        if print_hashes:
            staging = Path(folder) / "staging"
            extract(tarball, staging)
            print(f"TARBALL_SHA256 = {tarball_sha!r}")
            print(f"MIN_JS_SHA256 = {sha256_of(staging / 'echarts.min.js')!r}")
            return
        if tarball_sha != TARBALL_SHA256:
            raise FetchError(f"echarts-{ECHARTS_VERSION}.tgz has SHA-256 {tarball_sha}, not {TARBALL_SHA256}")
        staging = Path(folder) / "staging"
        extract(tarball, staging)
        if (min_sha := sha256_of(staging / "echarts.min.js")) != MIN_JS_SHA256:
            raise FetchError(f"echarts.min.js has SHA-256 {min_sha}, not {MIN_JS_SHA256}")
        TARGET.mkdir(parents=True, exist_ok=True)
        for name in MEMBERS.values():
            (TARGET / name).write_bytes((staging / name).read_bytes())
    print(f"ECharts {ECHARTS_VERSION} written to {TARGET.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    """The command line: fetch (default), ``--check`` the committed files, or ``--print-hashes``."""
    description = __doc__.splitlines()[0] if __doc__ else None
    return npm_release.command_line(argv, description, f"ECharts {ECHARTS_VERSION}", check_committed, fetch)


if __name__ == "__main__":
    sys.exit(main())
