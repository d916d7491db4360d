"""The slow USB stick of the benchmarks (``bench/slow_fs.py``) and ``bench/store.py --slow-stick``.

The stick's figures are only worth something if its delays are really paid
and its data really lands in the backing folder, if the kiosk sees it as the
kind of filesystem it claims to be, and if it unmounts even when the code
using it fails. The mounts need ``/dev/fuse`` and the Debian package
``fuse3``; without them these tests skip and say why.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.store.database import open_store
from kiosk.store.filesystem import filesystem_type, is_fat_family

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

from slow_fs import (  # noqa: E402
    StickDelays,
    merged_runs,
    mounted_type,
    slow_stick,
    unavailable_reason,
)

pytestmark = pytest.mark.linux_only  # FUSE and /proc/self/mountinfo
needs_fuse = pytest.mark.skipif(
    unavailable_reason() is not None, reason=f"no FUSE mount here: {unavailable_reason()}"
)
NO_DELAYS = StickDelays(per_write_s=0, per_mib_s=0, per_fsync_s=0)


def test_adjacent_and_overlapping_writes_merge_into_one_request() -> None:
    assert merged_runs([]) == (0, 0)
    assert merged_runs([(0, 4096), (4096, 4096), (2048, 4096)]) == (1, 8192)
    assert merged_runs([(8192, 100), (0, 100)]) == (2, 200)
    assert merged_runs([(0, 4096), (0, 4096)]) == (1, 4096)


@needs_fuse
def test_a_write_and_fsync_pays_the_delays_and_lands_in_the_backing_folder(tmp_path: Path) -> None:
    delays = StickDelays(per_write_s=0.05, per_mib_s=0.0, per_fsync_s=0.2)
    with slow_stick(tmp_path / "backing", tmp_path / "stick", delays) as stick:
        started = time.perf_counter()
        fd = os.open(stick.mount_point / "check-in.txt", os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            os.write(fd, b"V000000001 in")
            os.fsync(fd)
        finally:
            os.close(fd)
        elapsed = time.perf_counter() - started
        counts = stick.counts()
        clean_started = time.perf_counter()
        fd = os.open(stick.mount_point / "check-in.txt", os.O_RDONLY)
        try:
            os.fsync(fd)  # nothing left to write: no delay
        finally:
            os.close(fd)
        clean_elapsed = time.perf_counter() - clean_started
    # One fsync that writes the data and the new file's directory entry: two requests.
    assert elapsed >= 0.2 + 2 * 0.05
    assert clean_elapsed < 0.2
    assert (counts.writes, counts.bytes_written, counts.fsyncs, counts.device_syncs) == (1, 13, 1, 1)
    assert counts.device_writes == 2
    assert (tmp_path / "backing" / "check-in.txt").read_bytes() == b"V000000001 in"


@needs_fuse
def test_write_through_pays_each_write_call_at_once(tmp_path: Path) -> None:
    delays = StickDelays(per_write_s=0.1, per_mib_s=0.0, per_fsync_s=0.0, write_through=True)
    with slow_stick(tmp_path / "backing", tmp_path / "stick", delays) as stick:
        fd = os.open(stick.mount_point / "log", os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            started = time.perf_counter()
            os.write(fd, b"one")
            os.write(fd, b"two")
            elapsed = time.perf_counter() - started
        finally:
            os.close(fd)
    assert elapsed >= 2 * 0.1


@needs_fuse
def test_the_kiosk_sees_a_fat_stick_as_fat_and_picks_its_rollback_journal(tmp_path: Path) -> None:
    with slow_stick(tmp_path / "fat-backing", tmp_path / "fat", NO_DELAYS, fat=True) as stick:
        assert stick.fs_type == "fuse.fusefat"
        assert is_fat_family(filesystem_type(stick.mount_point / "kiosk.db"))
        store = open_store(stick.mount_point / "kiosk.db")
        try:
            assert (store.report.journal_mode, store.report.synchronous) == ("delete", "extra")
        finally:
            store.close()
    with slow_stick(tmp_path / "ext-backing", tmp_path / "ext", NO_DELAYS, fat=False) as stick:
        assert stick.fs_type == "fuse.slowstick"
        store = open_store(stick.mount_point / "kiosk.db")
        try:
            assert (store.report.journal_mode, store.report.synchronous) == ("wal", "full")
        finally:
            store.close()
    assert (tmp_path / "fat-backing" / "kiosk.db").stat().st_size > 0


@needs_fuse
def test_the_stick_is_unmounted_when_the_code_using_it_fails_with_a_file_open(tmp_path: Path) -> None:
    mount_point = tmp_path / "stick"
    with (
        pytest.raises(RuntimeError, match="scan failed"),
        slow_stick(tmp_path / "backing", mount_point, NO_DELAYS),
    ):
        handle = (mount_point / "open.txt").open("w")
        assert mounted_type(mount_point) == "fuse.fusefat"
        raise RuntimeError("scan failed")
    assert mounted_type(mount_point) is None
    with pytest.raises(OSError):  # cut off, as a stick pulled out with the file open
        handle.close()


@needs_fuse
def test_the_store_bench_measures_check_ins_on_the_slow_stick(tmp_path: Path) -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "store.py"),
        *("--volunteers", "300", "--past-events", "100", "--checkins", "20", "--runs", "1"),
        *("--slow-stick", "fat", "--stick-write-ms", "0", "--stick-mib-ms", "0", "--stick-fsync-ms", "0"),
        "--json",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["filesystem"] == "fuse.fusefat"
    assert (result["journal_mode"], result["synchronous"]) == ("delete", "extra")
    # The rollback journal's durable commit: the journal twice and the database once, and the
    # folder when the journal is created and when it is deleted.
    assert result["fsyncs_per_checkin"] == 3
    assert result["dir_fsyncs_per_checkin"] == 2
    assert result["checkin_p99_ms"] > 0
