"""A slow USB stick for the benchmarks: a FUSE passthrough that delays writes and fsyncs.

    with slow_stick(backing, mount_point, StickDelays(), fat=True) as stick:
        ...  # files under stick.mount_point land in backing, each write and fsync paid for
        stick.counts()  # writes, bytes, fsyncs ... the layer saw so far

The filesystem runs in a child process (``mfusepy`` on libfuse 3: the Debian
package ``fuse3``), so its Python code never competes with the process being
measured for the GIL. Each write request that reaches the modelled stick,
each MiB and each fsync sleeps for the configured time, one operation at a
time (a stick has one queue). Writes are cached until the file's fsync, as
Linux does, unless ``write_through`` (see :class:`StickDelays`). Metadata
changes (create, unlink, rename, truncate, mkdir) each cost one write request,
as on FAT where they rewrite a directory entry or the FAT.
Reads are not delayed: the page cache and SQLite's own cache serve most of
them, and a stick's reads are fast next to its writes.

``fat=True`` mounts the filesystem with the subtype ``fusefat``: Linux then
shows it as ``fuse.fusefat`` in ``/proc/self/mountinfo``, which
``kiosk/store/filesystem.py`` counts as FAT, so the kiosk's own detection
picks its FAT treatment (a rollback journal). ``fat=False`` shows
``fuse.slowstick``, a filesystem the kiosk treats as an ordinary disk (WAL):
a stick formatted ext4.

Mounting needs ``/dev/fuse`` and root (or ``fusermount3``); when either is
missing :class:`SlowFsUnavailable` says why.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import mmap
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

MIB = 1024 * 1024
MOUNT_TIMEOUT_S = 15.0
FAT_SUBTYPE = "fusefat"  # listed in kiosk/store/filesystem.py's FAT_FAMILY as fuse.fusefat
PLAIN_SUBTYPE = "slowstick"


@dataclass(frozen=True)
class StickDelays:
    """What each operation costs on the modelled stick, in seconds.

    The defaults model a cheap USB 2 stick (docs/performance.md, "Slow USB
    stick", gives the published figures they come from): about 2 ms for each
    write request the stick receives, 150 ms per MiB (about 6.7 MB/s
    sequential) and 20 ms per fsync that writes something (the wait for a
    small write to be committed to flash: the stick's read-modify-write of a
    flash block and of its own mapping tables). An fsync with nothing to write
    costs nothing: USB sticks report no volatile write cache (the kernel logs
    "Write cache: disabled"), so no cache flush is sent.

    By default writes are cached, as Linux's page cache does: a write call
    costs nothing at once, and the fsync of the file pays for what was
    written since its last fsync, one write request for each run of adjacent
    bytes (the kernel merges adjacent dirty pages into one request), plus any
    metadata changes since the last fsync. ``write_through`` makes every write
    call and metadata change pay at once instead, as a stick whose host does
    no write caching (Windows' "quick removal" policy) would.
    """

    per_write_s: float = 0.002
    per_mib_s: float = 0.150
    per_fsync_s: float = 0.020
    write_through: bool = False


@dataclass(frozen=True)
class StickCounts:
    """Operations the slow filesystem served since it was mounted.

    ``writes`` and ``bytes_written`` are the write calls it received;
    ``device_writes`` and ``device_bytes`` what reached the modelled stick
    (runs of adjacent bytes, each byte once, and metadata changes).
    ``fsyncs`` and ``dir_fsyncs`` count the calls, ``device_syncs`` those
    that had something to write and so paid the fsync's cost.
    """

    writes: int = 0
    bytes_written: int = 0
    device_writes: int = 0
    device_bytes: int = 0
    fsyncs: int = 0
    dir_fsyncs: int = 0
    device_syncs: int = 0
    metadata_changes: int = 0
    delayed_s: float = 0.0

    def __add__(self, other: StickCounts) -> StickCounts:
        return StickCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(StickCounts)}
        )

    def __sub__(self, other: StickCounts) -> StickCounts:
        return StickCounts(
            **{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(StickCounts)}
        )


def merged_runs(ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """(runs, bytes) of ``(offset, size)`` writes once adjacent and overlapping ones are merged."""
    runs, total, end = 0, 0, -1
    for offset, size in sorted(ranges):
        if offset > end:
            runs += 1
            total += size
            end = offset + size
        elif offset + size > end:
            total += offset + size - end
            end = offset + size
    return runs, total


COUNT_FIELDS = [f.name for f in fields(StickCounts)]


class SlowFsUnavailable(RuntimeError):
    """The slow filesystem cannot be mounted here; the message says why."""


def unavailable_reason() -> str | None:
    """Why a FUSE mount cannot work on this machine, or None when it should."""
    if not Path("/dev/fuse").exists():
        return "/dev/fuse does not exist (no FUSE in this kernel or container)"
    if not os.access("/dev/fuse", os.R_OK | os.W_OK):
        return "/dev/fuse is not readable and writable by this user"
    if os.geteuid() != 0 and shutil.which("fusermount3") is None:
        return "not root and no fusermount3 (Debian package fuse3)"
    try:
        import mfusepy  # type: ignore[import-untyped]  # noqa: F401
    except ImportError as exc:
        return f"mfusepy is not installed (pip install -e '.[dev]'): {exc}"
    except OSError as exc:  # mfusepy raises this when no libfuse is found
        return f"libfuse is missing (Debian package fuse3): {exc}"
    return None


class _Device:
    """The stick's one queue: sleeps for each operation's cost and counts it, one at a time."""

    def __init__(self, delays: StickDelays, counters: memoryview[float]) -> None:
        self.delays = delays
        self.counters = counters
        self.lock = threading.Lock()
        self.dirty: dict[str, list[tuple[int, int]]] = {}
        self.metadata_pending = 0
        # Write-through: paid for already, but the next fsync still waits for the stick to commit it.
        self.unsynced: set[str] = set()
        self.metadata_unsynced = False

    def _count(self, seconds: float = 0.0, **counts: int) -> None:
        for name, value in counts.items():
            self.counters[COUNT_FIELDS.index(name)] += value
        self.counters[COUNT_FIELDS.index("delayed_s")] += seconds

    def _pay(self, seconds: float, **counts: int) -> None:
        if seconds > 0:
            time.sleep(seconds)
        self._count(seconds, **counts)

    def _cost(self, requests: int, size: int) -> float:
        return requests * self.delays.per_write_s + size / MIB * self.delays.per_mib_s

    def write(self, path: str, offset: int, size: int) -> None:
        with self.lock:
            if self.delays.write_through:
                self._pay(
                    self._cost(1, size), writes=1, bytes_written=size, device_writes=1, device_bytes=size
                )
                self.unsynced.add(path)
            else:
                self.dirty.setdefault(path, []).append((offset, size))
                self._count(writes=1, bytes_written=size)

    def metadata(self) -> None:
        with self.lock:
            if self.delays.write_through:
                self._pay(self._cost(1, 0), metadata_changes=1, device_writes=1)
                self.metadata_unsynced = True
            else:
                self.metadata_pending += 1
                self._count(metadata_changes=1)

    def forget(self, path: str) -> None:
        """A deleted file's unsynced writes never reach the stick."""
        with self.lock:
            self.dirty.pop(path, None)
            self.unsynced.discard(path)

    def fsync(self, path: str, directory: bool) -> None:
        with self.lock:
            runs, size = merged_runs(self.dirty.pop(path, []))
            runs += self.metadata_pending
            self.metadata_pending = 0
            unsynced = path in self.unsynced or self.metadata_unsynced
            self.unsynced.discard(path)
            self.metadata_unsynced = False
            kind = "dir_fsyncs" if directory else "fsyncs"
            if runs == 0 and not unsynced:  # nothing to write: sticks report no write cache, so no flush
                self._count(**{kind: 1})
                return
            seconds = self.delays.per_fsync_s + self._cost(runs, size)
            self._pay(seconds, **{kind: 1, "device_syncs": 1, "device_writes": runs, "device_bytes": size})


def _operations(backing: Path, device: _Device) -> Any:
    """The passthrough: every path is the same path under ``backing``."""
    import mfusepy

    root = str(backing)

    def real(path: str) -> str:
        return root + path

    class Passthrough(mfusepy.Operations):  # type: ignore[misc]
        use_ns = True

        def getattr(self, path: str, fh: int | None = None) -> dict[str, Any]:
            st = os.lstat(real(path))
            keys = ("st_mode", "st_nlink", "st_uid", "st_gid", "st_size", "st_ino")
            attrs: dict[str, Any] = {k: getattr(st, k) for k in keys}
            attrs.update(st_atime=st.st_atime_ns, st_mtime=st.st_mtime_ns, st_ctime=st.st_ctime_ns)
            return attrs

        def access(self, path: str, amode: int) -> int:
            if not os.access(real(path), amode):
                raise mfusepy.FuseOSError(errno.EACCES)
            return 0

        def readdir(self, path: str, fh: int) -> list[str]:
            return [".", "..", *os.listdir(real(path))]

        def statfs(self, path: str) -> dict[str, int]:
            sv = os.statvfs(real(path))
            keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files")
            return {k: getattr(sv, k) for k in (*keys, "f_flag", "f_frsize", "f_namemax")}

        def mkdir(self, path: str, mode: int) -> int:
            os.mkdir(real(path), mode)
            device.metadata()
            return 0

        def rmdir(self, path: str) -> int:
            os.rmdir(real(path))
            device.metadata()
            return 0

        def unlink(self, path: str) -> int:
            os.unlink(real(path))
            device.forget(path)
            device.metadata()
            return 0

        def rename(self, old: str, new: str) -> int:
            os.rename(real(old), real(new))
            device.forget(old)
            device.metadata()
            return 0

        def chmod(self, path: str, mode: int) -> int:
            os.chmod(real(path), mode)
            return 0

        def chown(self, path: str, uid: int, gid: int) -> int:
            os.chown(real(path), uid, gid)
            return 0

        def utimens(self, path: str, times: tuple[int, int] | None = None) -> int:
            if times is None:
                os.utime(real(path))
            else:
                os.utime(real(path), ns=times)
            return 0

        def truncate(self, path: str, length: int, fh: int | None = None) -> int:
            os.truncate(real(path), length)
            device.metadata()
            return 0

        def open(self, path: str, flags: int) -> int:
            return os.open(real(path), flags)

        def create(self, path: str, mode: int, fi: Any = None) -> int:
            fd = os.open(real(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            os.close(fd)
            device.metadata()
            return os.open(real(path), os.O_RDWR)

        def read(self, path: str, size: int, offset: int, fh: int) -> bytes:
            return os.pread(fh, size, offset)

        def write(self, path: str, data: bytes, offset: int, fh: int) -> int:
            written = os.pwrite(fh, data, offset)
            device.write(path, offset, written)
            return written

        def flush(self, path: str, fh: int) -> int:
            return 0

        def release(self, path: str, fh: int) -> int:
            os.close(fh)
            return 0

        def fsync(self, path: str, datasync: int, fh: int) -> int:
            # The backing folder's own fsync is left out: the modelled cost replaces the disk's.
            device.fsync(path, directory=False)
            return 0

        def fsyncdir(self, path: str, datasync: int, fh: int) -> int:
            device.fsync(path, directory=True)
            return 0

    return Passthrough()


def mounted_type(mount_point: Path) -> str | None:
    """The filesystem type mounted exactly at ``mount_point`` (``fuse.fusefat`` ...), or None."""
    target = str(mount_point)
    for line in Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines():
        before, _, after = line.partition(" - ")
        parts = before.split()
        if len(parts) > 4 and parts[4].encode("latin-1").decode("unicode_escape") == target:
            return after.split()[0]
    return None


def _unmount(mount_point: Path, lazy: bool) -> bool:
    """Detach the mount (lazily: even while files are open on it); True when it is gone."""
    if mounted_type(mount_point) is None:
        return True
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.umount2(str(mount_point).encode(), 2 if lazy else 0)  # 2 = MNT_DETACH
    else:
        tool = shutil.which("fusermount3") or "fusermount3"
        subprocess.run([tool, "-u", *(["-z"] if lazy else []), str(mount_point)], check=False)
    return mounted_type(mount_point) is None


class SlowStick:
    """A mounted slow filesystem: where it is, what it shows as, what it has served."""

    def __init__(self, mount_point: Path, backing: Path, fs_type: str, counters: memoryview[float]) -> None:
        self.mount_point = mount_point
        self.backing = backing
        self.fs_type = fs_type
        self._counters = counters

    def counts(self) -> StickCounts:
        """A snapshot of the operations served so far."""
        values = dict(zip(COUNT_FIELDS, self._counters.tolist(), strict=True))
        delayed_s = values.pop("delayed_s")
        return StickCounts(**{name: int(value) for name, value in values.items()}, delayed_s=delayed_s)


def _wait_for_mount(mount_point: Path, server: subprocess.Popen[bytes], errors: Path) -> str:
    deadline = time.monotonic() + MOUNT_TIMEOUT_S
    while (fs_type := mounted_type(mount_point)) is None:
        if server.poll() is not None:
            said = errors.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            raise SlowFsUnavailable(f"the FUSE server exited ({server.returncode}) before mounting: {said}")
        if time.monotonic() > deadline:
            raise SlowFsUnavailable(f"{mount_point} was not mounted within {MOUNT_TIMEOUT_S:.0f} s")
        time.sleep(0.02)
    return fs_type


@contextlib.contextmanager
def slow_stick(
    backing: Path, mount_point: Path, delays: StickDelays | None = None, *, fat: bool = True
) -> Iterator[SlowStick]:
    """Mount a delaying passthrough of ``backing`` at ``mount_point``; unmount on leaving, errors too.

    Raises :class:`SlowFsUnavailable` when FUSE cannot be used here or the
    mount does not come up in time.
    """
    reason = unavailable_reason()
    if reason is not None:
        raise SlowFsUnavailable(reason)
    delays = delays or StickDelays()
    backing.mkdir(parents=True, exist_ok=True)
    mount_point.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="slow-stick-") as scratch:
        counters_file = Path(scratch) / "counters"
        counters_file.write_bytes(bytes(8 * len(COUNT_FIELDS)))
        errors = Path(scratch) / "server.log"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            str(backing.resolve()),
            str(mount_point),
            f"--subtype={FAT_SUBTYPE if fat else PLAIN_SUBTYPE}",
            f"--counters={counters_file}",
            f"--write-ms={delays.per_write_s * 1000}",
            f"--mib-ms={delays.per_mib_s * 1000}",
            f"--fsync-ms={delays.per_fsync_s * 1000}",
            *(["--write-through"] if delays.write_through else []),
        ]
        with errors.open("wb") as log_file:
            server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file)
        try:
            fs_type = _wait_for_mount(mount_point, server, errors)
            with counters_file.open("rb") as fh, mmap.mmap(fh.fileno(), 0, prot=mmap.PROT_READ) as shared:
                counters = memoryview(shared).cast("d")
                try:
                    yield SlowStick(mount_point, backing, fs_type, counters)
                finally:
                    counters.release()
        finally:
            _stop(mount_point, server)


def _stop(mount_point: Path, server: subprocess.Popen[bytes]) -> None:
    """Unmount and end the server; a file still open on the stick is cut off, as by pulling it out."""
    if _unmount(mount_point, lazy=False):
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=5)
    else:
        _unmount(mount_point, lazy=True)  # detached now; the server would serve the open file until closed
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _unmount_when_orphaned(mount_point: Path) -> None:
    """Detach the mount if the process that mounted it dies (killed: its ``finally`` never ran)."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    _unmount(mount_point, lazy=True)


def main() -> None:
    """The server process: mount ``backing`` at ``mount_point`` and serve until unmounted."""
    import mfusepy

    parser = argparse.ArgumentParser(description="Serve a slow passthrough of BACKING at MOUNT_POINT.")
    parser.add_argument("backing", type=Path)
    parser.add_argument("mount_point", type=Path)
    parser.add_argument("--subtype", default=FAT_SUBTYPE, help="shown as fuse.<subtype> in mountinfo")
    parser.add_argument("--counters", type=Path, required=True, help="a file of zeros to count into")
    parser.add_argument("--write-ms", type=float, default=StickDelays.per_write_s * 1000)
    parser.add_argument("--mib-ms", type=float, default=StickDelays.per_mib_s * 1000)
    parser.add_argument("--fsync-ms", type=float, default=StickDelays.per_fsync_s * 1000)
    parser.add_argument("--write-through", action="store_true", help="every write call pays at once")
    args = parser.parse_args()
    delays = StickDelays(args.write_ms / 1000, args.mib_ms / 1000, args.fsync_ms / 1000, args.write_through)
    with args.counters.open("r+b") as fh, mmap.mmap(fh.fileno(), 0) as shared:
        counters = memoryview(shared).cast("d")
        operations = _operations(args.backing, _Device(delays, counters))
        threading.Thread(target=_unmount_when_orphaned, args=(args.mount_point,), daemon=True).start()
        mfusepy.FUSE(
            operations, str(args.mount_point), foreground=True, fsname="slowstick", subtype=args.subtype
        )
        del operations
        counters.release()


if __name__ == "__main__":
    main()
