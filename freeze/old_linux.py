"""The Linux bundle for older distributions: built inside a Debian 11 root, checked inside clean Debian 11 roots.

    python freeze/old_linux.py build   # dist/volunteer-kiosk-debian11/ (needs root: debootstrap, chroot)
    python freeze/old_linux.py check   # its --self-test and demo inside a clean Debian 11 root

``make bundle`` builds on the build machine (Debian 12, glibc 2.36), so that
bundle needs glibc 2.36. Venue PCs run older systems (domestic distributions
on Debian/Ubuntu bases with glibc 2.28-2.31), so this bundle is built where
the oldest libraries are:

1. **A build root** (:data:`BUILD_ROOT`): Debian 11 made with ``debootstrap``
   from Debian's own mirror, with a compiler and the libraries the bundle
   carries (ZBar, Qt's xcb libraries), kept under ``build/roots/`` and
   reused while its package list is the same.
2. **Python 3.11** built inside it from Debian's own source of python3.11
   (Debian 11 ships 3.9; the kiosk needs 3.11), checked by SHA-256, with a
   shared ``libpython`` as PyInstaller needs.
3. **The kiosk's packages** from PyPI at the project's pins, except
   :data:`OLDER_PINS`: PySide6 6.9.3 is the last Qt whose wheels need only
   glibc 2.28 (6.10 and later need 2.34).
4. ``freeze/build_bundle.py`` (the same ``build.spec``) inside the root; the
   folder is copied out to :data:`BUNDLE_DIR`.

Every binary in it then needs at most the glibc of Debian 11 (2.31).

**Why not Debian 10 (glibc 2.28).** Debian 10 has left ``deb.debian.org``
for ``archive.debian.org``, which the machines this project builds and
tests on cannot reach (only Debian's current mirror, PyPI and npm are open
to them), so no Debian 10 root can be made here. Nothing in the bundle
needs more than 2.31, and its wheels need 2.28, so building the same way in
a Debian 10 root, where one can be made, would reach 2.28; that has not
been run. docs/deploy.md says so.

Roots are made with ``debootstrap --variant=minbase`` and entered with
``chroot`` (``/proc`` and ``/dev`` mounted for the time of a command), as
root. :class:`RootSpec` says what each holds.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tomllib
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROOTS_DIR = ROOT / "build" / "roots"
DOWNLOADS_DIR = ROOTS_DIR / "downloads"
BUNDLE_DIR = ROOT / "dist" / "volunteer-kiosk-debian11"
DEBIAN_MIRROR = "http://deb.debian.org/debian"

PYTHON_SOURCE = f"{DEBIAN_MIRROR}/pool/main/p/python3.11/python3.11_3.11.2.orig.tar.gz"
PYTHON_SHA256 = "2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"
PYTHON_PREFIX = "/opt/python3.11"
VENV = "/opt/kiosk-venv"
SOURCE_IN_ROOT = "/src"

OLDER_PINS = {"pyside6-essentials": "6.9.3"}
"""Packages pinned lower than the project's for this bundle, and why (see the module's docstring)."""
BUILD_TOOLS = ("pyinstaller", "pyinstaller-hooks-contrib")
"""The project's dev packages the build needs (at the project's pins)."""

GLIBC_FLOOR = (2, 31)
"""The newest glibc symbol version any binary of the bundle may need: Debian 11's."""


@dataclass(frozen=True)
class RootSpec:
    """A Debian root: its folder name, the suite, and the packages added to ``minbase``."""

    name: str
    suite: str
    packages: tuple[str, ...]

    @property
    def folder(self) -> Path:
        return ROOTS_DIR / self.name

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.suite}|{' '.join(sorted(self.packages))}".encode()).hexdigest()


BUILD_ROOT = RootSpec(
    "debian11-build",
    "bullseye",
    (
        "ca-certificates",
        "gcc",
        "make",
        "libc6-dev",
        "libssl-dev",
        "zlib1g-dev",
        "libffi-dev",
        "libsqlite3-dev",
        "libbz2-dev",
        "liblzma-dev",
        "uuid-dev",
        "binutils",
        "libzbar0",
        "libegl1",
        "libgl1",
        "libxkbcommon0",
        "libfontconfig1",
        "libdbus-1-3",
        "libglib2.0-0",
        "libxcb-cursor0",
        "libxcb-icccm4",
        "libxcb-image0",
        "libxcb-keysyms1",
        "libxcb-randr0",
        "libxcb-render-util0",
        "libxcb-shape0",
        "libxcb-sync1",
        "libxcb-xfixes0",
        "libxcb-xkb1",
        "libxkbcommon-x11-0",
        "libx11-xcb1",
    ),
)
"""Debian 11 with a compiler, Python's build libraries and the libraries the bundle carries."""

RUN_ROOT = RootSpec(
    "debian11-run", "bullseye", ("libgl1", "libegl1", "libxcb1", "fontconfig", "fonts-wqy-microhei")
)
"""A clean Debian 11 as a Chinese venue PC has it: the graphics libraries the bundle leaves to the system,
fontconfig and one Chinese font; no Python, no Qt, no ZBar."""


class OldLinuxError(RuntimeError):
    """A step failed; the message says which and ends with its output."""


def run(
    command: Sequence[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``command``; raise :class:`OldLinuxError` with the end of its output when it fails."""
    result = subprocess.run(
        list(command),
        cwd=cwd,
        env=env,
        timeout=timeout,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-40:])
        raise OldLinuxError(f"{' '.join(command[:6])} ... failed (exit {result.returncode}):\n{tail}")
    return result


def ensure_root(spec: RootSpec) -> Path:
    """The root of ``spec``, made with debootstrap unless one with the same packages is there."""
    marker = spec.folder / ".kiosk-root"
    if marker.is_file() and marker.read_text().strip() == spec.fingerprint:
        return spec.folder
    if spec.folder.exists():
        _unmount_all(spec.folder)
        shutil.rmtree(spec.folder)
    spec.folder.parent.mkdir(parents=True, exist_ok=True)
    run(
        [
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(spec.packages)}",
            spec.suite,
            str(spec.folder),
            DEBIAN_MIRROR,
        ]
    )
    marker.write_text(spec.fingerprint + "\n")
    return spec.folder


@contextlib.contextmanager
def entered(root: Path) -> Iterator[None]:
    """``/proc`` and ``/dev`` mounted in ``root`` (and the host's name servers and CA bundle copied in)."""
    shutil.copyfile("/etc/resolv.conf", root / "etc" / "resolv.conf")
    certificates = Path("/etc/ssl/certs/ca-certificates.crt")
    if certificates.is_file():
        (root / "etc" / "ssl" / "certs").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(certificates, root / "etc" / "ssl" / "certs" / "host-ca.crt")
    run(["mount", "-t", "proc", "proc", str(root / "proc")])
    try:
        run(["mount", "--bind", "/dev", str(root / "dev")])
        try:
            yield
        finally:
            subprocess.run(["umount", "-l", str(root / "dev")], check=False)
    finally:
        subprocess.run(["umount", "-l", str(root / "proc")], check=False)


def in_root(root: Path, script: str, env: dict[str, str] | None = None, timeout: float | None = None) -> str:
    """Run the shell ``script`` inside ``root`` (entered already); its output."""
    environment = {
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": "/root",
        "LANG": "C.UTF-8",
        "PIP_CERT": "/etc/ssl/certs/host-ca.crt",
        "SSL_CERT_FILE": "/etc/ssl/certs/host-ca.crt",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **(env or {}),
    }
    return run([_chroot(), str(root), "/bin/sh", "-c", script], env=environment, timeout=timeout).stdout


def _chroot() -> str:
    """The host's ``chroot`` (in ``/usr/sbin``, which a plain user's ``PATH`` may lack)."""
    return shutil.which("chroot") or shutil.which("chroot", path="/usr/sbin:/sbin") or "/usr/sbin/chroot"


def _unmount_all(root: Path) -> None:
    """Unmount what :func:`entered` mounted; refuse to go on while the host's ``/dev`` is still inside."""
    for point in ("dev", "proc"):
        subprocess.run(["umount", "-l", str(root / point)], check=False, capture_output=True)
        if os.path.ismount(root / point):
            raise OldLinuxError(f"{root / point} is still mounted: not deleting {root}")


def python_source() -> Path:
    """Debian's source of Python 3.11, downloaded once and checked against :data:`PYTHON_SHA256`."""
    target = DOWNLOADS_DIR / PYTHON_SOURCE.rsplit("/", 1)[1]
    if not target.is_file() or _sha256(target) != PYTHON_SHA256:
        DOWNLOADS_DIR.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        with urllib.request.urlopen(PYTHON_SOURCE, timeout=300) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out)
        if _sha256(partial) != PYTHON_SHA256:
            partial.unlink()
            raise OldLinuxError(f"{PYTHON_SOURCE} does not have the SHA-256 this build expects")
        partial.replace(target)
    return target


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def ensure_python(root: Path) -> None:
    """Python 3.11 in :data:`PYTHON_PREFIX` of the build root (built from source once)."""
    if (root / PYTHON_PREFIX.lstrip("/") / "bin" / "python3.11").is_file():
        return
    work = root / "tmp" / "python-build"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    run(["tar", "-xzf", str(python_source()), "-C", str(work)])
    (source,) = work.iterdir()
    inside = f"/tmp/python-build/{source.name}"
    in_root(
        root,
        f"cd {inside} && ./configure --prefix={PYTHON_PREFIX} --enable-shared "
        f"LDFLAGS=-Wl,-rpath,{PYTHON_PREFIX}/lib >/dev/null && make -j{os.cpu_count() or 2} >/dev/null "
        "&& make install >/dev/null",
    )
    shutil.rmtree(work, ignore_errors=True)


def requirements() -> list[str]:
    """The packages the bundle is built with: the project's pins, :data:`OLDER_PINS` instead of theirs, the build tools."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = []
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        name = re.split(r"[=<>!~\[ ]", requirement, maxsplit=1)[0]
        key = name.lower().replace("_", "-")
        if requirement in project["dependencies"] or key in BUILD_TOOLS:
            wanted.append(f"{name}=={OLDER_PINS[key]}" if key in OLDER_PINS else requirement)
    return wanted


def copy_sources(root: Path) -> Path:
    """The project's tracked files copied into the root's :data:`SOURCE_IN_ROOT` (its build/ and dist/ kept)."""
    target = root / SOURCE_IN_ROOT.lstrip("/")
    tracked = run(["git", "ls-files", "-z"], cwd=ROOT).stdout.split("\0")
    wanted = {name for name in tracked if name and (ROOT / name).is_file()}
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            relative = path.relative_to(target).as_posix()
            if relative.split("/", 1)[0] in ("build", "dist") or relative in wanted:
                continue
            if path.is_file() or path.is_symlink():
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    for name in sorted(wanted):
        source, copy = ROOT / name, target / name
        if (
            copy.is_file()
            and copy.stat().st_size == source.stat().st_size
            and copy.read_bytes() == source.read_bytes()
        ):
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
    return target


def build() -> Path:
    """Build the bundle in the Debian 11 root and copy it to :data:`BUNDLE_DIR`."""
    root = ensure_root(BUILD_ROOT)
    with entered(root):
        ensure_python(root)
        sources = copy_sources(root)
        (root / "tmp" / "requirements.txt").write_text("\n".join(requirements()) + "\n")
        in_root(
            root,
            f"[ -x {VENV}/bin/python ] || {PYTHON_PREFIX}/bin/python3.11 -m venv {VENV}; "
            f"{VENV}/bin/python -m pip install -q -r /tmp/requirements.txt && "
            f"{VENV}/bin/python -m pip install -q --no-deps -e {SOURCE_IN_ROOT}",
        )
        in_root(root, f"cd {SOURCE_IN_ROOT} && {VENV}/bin/python freeze/build_bundle.py")
    built = sources / "dist" / "volunteer-kiosk"
    if BUNDLE_DIR.exists():
        shutil.rmtree(BUNDLE_DIR)
    shutil.copytree(built, BUNDLE_DIR, symlinks=True)
    return BUNDLE_DIR


def glibc_needed(folder: Path) -> tuple[int, ...]:
    """The newest ``GLIBC_x.y`` symbol version any ELF file of ``folder`` asks for (``objdump -T``)."""
    newest: tuple[int, ...] = (0,)
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
        dump = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        for version in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", dump):
            newest = max(newest, tuple(int(part) for part in version.split(".")))
    return newest


@dataclass(frozen=True)
class RootRun:
    """What one command of the bundle did inside a run root."""

    returncode: int
    output: str


def run_in_root(bundle: Path, arguments: Sequence[str], env: dict[str, str], timeout: float = 300) -> RootRun:
    """Copy ``bundle`` into a clean Debian 11 root and run its ``kiosk`` with ``arguments`` there."""
    root = ensure_root(RUN_ROOT)
    inside = root / "opt" / "volunteer-kiosk"
    if inside.exists():
        shutil.rmtree(inside)
    shutil.copytree(bundle, inside, symlinks=True)
    quoted = " ".join(f"'{argument}'" for argument in arguments)
    with entered(root):
        result = subprocess.run(
            [
                _chroot(),
                str(root),
                "/bin/sh",
                "-c",
                f"mkdir -p /tmp/home && /opt/volunteer-kiosk/kiosk {quoted}",
            ],
            env={"PATH": "/usr/bin:/bin", "HOME": "/tmp/home", "LANG": "C.UTF-8", **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
    return RootRun(result.returncode, result.stdout)


def main() -> None:
    """``python freeze/old_linux.py build|check``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("step", choices=("build", "check"))
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("debootstrap and chroot need root")
    try:
        if args.step == "build":
            folder = build()
            print(f"{folder.relative_to(ROOT)}: needs glibc {'.'.join(map(str, glibc_needed(folder)))}")
        else:
            outcome = run_in_root(
                BUNDLE_DIR,
                ["--data", "/tmp/data", "--self-test"],
                {"QT_QPA_PLATFORM": "offscreen", "KIOSK_CAMERA__SOURCE": "synthetic"},
            )
            print(outcome.output)
            raise SystemExit(outcome.returncode)
    except OldLinuxError as error:
        raise SystemExit(str(error)) from error


if __name__ == "__main__":
    main()
