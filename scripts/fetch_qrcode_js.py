#!/usr/bin/env python3
"""Fetch the pinned qrcode-generator release from the npm registry into the pass page's static files.

The phone pass page (``cloud/pass_page/static/``) draws its QR code with
Kazuhiko Arase's ``qrcode-generator`` (MIT, no dependencies), served from the
cloud itself, so the page works offline once its service worker has it. The
file is committed; this script is how it got there and how to refetch or upgrade it::

    python scripts/fetch_qrcode_js.py            # fetch QRCODE_VERSION, verify it, write the files
    python scripts/fetch_qrcode_js.py --check    # only verify the committed files (no network)

It runs ``npm pack qrcode-generator@<QRCODE_VERSION>`` (npm's own configured
registry), checks the tarball's SHA-256 against :data:`TARBALL_SHA256`, and
extracts ``package/dist/qrcode.js`` (the classic-script build: it defines the
global ``qrcode``; the release ships no minified file, and 57 kB served once
and cached does not need one) with ``package/package.json`` into
``cloud/pass_page/static/vendor/qrcode-generator/``; ``qrcode.js`` must hash
to :data:`QRCODE_JS_SHA256`, which a unit test also checks against the
committed file. The tarball has no licence file of its own: the MIT notice
is the header of ``qrcode.js`` (and ``"license": "MIT"`` in ``package.json``),
and :data:`LICENSE_TEXT` writes it out as ``LICENSE`` beside them. To
upgrade: change the version, run the script once with ``--print-hashes`` to
see the new hashes, check the release, then pin them here.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the scripts folder is not a package
import npm_release
from npm_release import FetchError, sha256_of

__all__ = ["FetchError", "sha256_of"]

QRCODE_VERSION = "2.0.4"
TARBALL_SHA256 = "02e2e18a99a90b02dad940851f59b7c3c5fd1ab79cbdece8595cb06328878159"
QRCODE_JS_SHA256 = "79ec86f82856005b1c887905cfccfcfbec3821ca61c7fd5a952faa5f778f791c"

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "cloud" / "pass_page" / "static" / "vendor" / "qrcode-generator"
#: Members of the npm tarball and the names they are written under in :data:`TARGET`.
MEMBERS = {
    "package/dist/qrcode.js": "qrcode.js",
    "package/package.json": "package.json",
}
LICENSE_NAME = "LICENSE"
#: The MIT licence that ``qrcode.js``'s header grants the code under, written out in full.
LICENSE_TEXT = """\
qrcode-generator (https://github.com/kazuhikoarase/qrcode-generator)

Copyright (c) 2009 Kazuhiko Arase

Licensed under the MIT license (the header of qrcode.js):

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.

The word "QR Code" is a registered trademark of DENSO WAVE INCORPORATED.
"""


def pack(version: str, folder: Path) -> Path:
    """Download ``qrcode-generator@version``'s tarball into ``folder``; its path."""
    return npm_release.pack("qrcode-generator", version, folder)


def extract(tarball: Path, target: Path) -> None:
    """Write the members of :data:`MEMBERS` from ``tarball`` into ``target`` (read as bytes, never run)."""
    npm_release.extract(tarball, MEMBERS, target)


def check_committed(target: Path = TARGET) -> list[str]:
    """What is wrong with the committed files (missing, or not the pinned ``qrcode.js``); empty if nothing."""
    names = [*MEMBERS.values(), LICENSE_NAME]
    problems = [f"{target / name} is missing" for name in names if not (target / name).is_file()]
    script = target / "qrcode.js"
    if script.is_file() and (actual := sha256_of(script)) != QRCODE_JS_SHA256:
        problems.append(f"{script} has SHA-256 {actual}, not the pinned {QRCODE_JS_SHA256}")
    return problems


def fetch(print_hashes: bool) -> None:
    """Fetch, verify and write the pinned release (or, with ``print_hashes``, only show its hashes)."""
    with tempfile.TemporaryDirectory() as folder:
        tarball = pack(QRCODE_VERSION, Path(folder))
        tarball_sha = sha256_of(tarball)
        staging = Path(folder) / "staging"
        extract(tarball, staging)
        if print_hashes:
            print(f"TARBALL_SHA256 = {tarball_sha!r}")
            print(f"QRCODE_JS_SHA256 = {sha256_of(staging / 'qrcode.js')!r}")
            return
        if tarball_sha != TARBALL_SHA256:
            raise FetchError(
                f"qrcode-generator-{QRCODE_VERSION}.tgz has SHA-256 {tarball_sha}, not {TARBALL_SHA256}"
            )
        if (script_sha := sha256_of(staging / "qrcode.js")) != QRCODE_JS_SHA256:
            raise FetchError(f"qrcode.js has SHA-256 {script_sha}, not {QRCODE_JS_SHA256}")
        TARGET.mkdir(parents=True, exist_ok=True)
        for name in MEMBERS.values():
            (TARGET / name).write_bytes((staging / name).read_bytes())
        (TARGET / LICENSE_NAME).write_text(LICENSE_TEXT, encoding="utf-8")
    print(f"qrcode-generator {QRCODE_VERSION} written to {TARGET.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    """The command line: fetch (default), ``--check`` the committed files, or ``--print-hashes``."""
    description = __doc__.splitlines()[0] if __doc__ else None
    return npm_release.command_line(
        argv, description, f"qrcode-generator {QRCODE_VERSION}", check_committed, fetch
    )


if __name__ == "__main__":
    sys.exit(main())
