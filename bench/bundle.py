"""Benchmark the PyInstaller bundle: its size, its cold start to camera-ready, and its self-test.

    python bench/bundle.py [--runs 7] [--rebuild] [--json]

Builds ``dist/volunteer-kiosk`` (or reuses it when nothing changed, as
``make bundle`` does), then:

- ``size_mb``: the bundle folder's size (MiB, as ``du -sm --apparent-size``);
- ``cold_start_s``: from starting the executable to the first camera picture
  on screen (the kiosk writes the time to ``KIOSK_READY_FILE`` then), median of
  ``--runs`` starts of ``kiosk run`` with the synthetic camera, offscreen, on a
  data folder with the demo installed; each start is a new process, but the
  page cache is warm (the build, or the previous run, just read the files;
  dropping it needs root and slows the whole shared machine), so a first start
  from a USB stick is slower. The first run is reported on its own, and the
  same start from the source install (``python -m kiosk``) is the baseline;
- ``self_test``: ``kiosk --self-test`` with the synthetic camera: "ok", or
  the failed checks.

Targets (issue 7): at most 400 MB including the face models, at most 3 s cold start.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "freeze"))

from build_bundle import ensure_bundle, folder_size_mb  # noqa: E402 - found through the path above

SIZE_TARGET_MB = 400
COLD_START_TARGET_S = 3.0
READY_TIMEOUT_S = 60.0


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a PC with nothing installed (no virtualenv on PATH, no library path)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "LD_LIBRARY_PATH": "",
        "KIOSK_CAMERA__SOURCE": "synthetic",
        **extra,
    }


def time_to_camera_ready(command: list[str], env: dict[str, str], ready: Path) -> float:
    """Seconds from starting ``command`` to the kiosk writing ``ready``; the kiosk is then stopped."""
    ready.unlink(missing_ok=True)
    env = {**env, "KIOSK_READY_FILE": str(ready)}
    started_wall = time.time()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not ready.exists():
            if process.poll() is not None:
                raise RuntimeError(f"the kiosk exited ({process.returncode}) before the camera was ready")
            if time.perf_counter() - started > READY_TIMEOUT_S:
                raise RuntimeError(f"no camera picture within {READY_TIMEOUT_S:.0f} s")
            time.sleep(0.005)
        seen = time.perf_counter() - started
        text = ready.read_text(encoding="utf-8").strip()
        # The kiosk writes its own clock's time: exact, where polling adds up to 5 ms.
        return float(text) - started_wall if text else seen
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def self_test(executable: Path, work: Path) -> str:
    """ "ok" when the bundle's self-test passes with the synthetic camera, else what failed."""
    result = subprocess.run(
        [str(executable), "--data", str(work / "self-test-data"), "--self-test"],
        env=bare_env(work / "home"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
    )
    if result.returncode == 0:
        return "ok"
    failed = [line.strip() for line in result.stdout.splitlines() if "FAIL" in line.upper()]
    return "; ".join(failed) or (result.stdout + result.stderr).strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="starts measured (median reported)")
    parser.add_argument("--rebuild", action="store_true", help="build the bundle even when it is up to date")
    parser.add_argument("--json", action="store_true", help="print a JSON object as the last line")
    args = parser.parse_args()

    build = ensure_bundle(rebuild=args.rebuild)
    executable = build.executable
    size_mb = folder_size_mb(build.folder)

    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as temp:
        work = Path(temp)
        (work / "home").mkdir()
        data = work / "data"
        env = bare_env(work / "home")
        subprocess.run(
            [str(executable), "--data", str(data), "demo-data"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        frozen_command = [str(executable), "--data", str(data), "run"]
        source_command = [sys.executable, "-m", "kiosk", "--data", str(data), "run"]
        source_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_CAMERA__SOURCE": "synthetic"}
        ready = work / "ready"
        frozen = [time_to_camera_ready(frozen_command, env, ready) for _ in range(args.runs)]
        source = [time_to_camera_ready(source_command, source_env, ready) for _ in range(args.runs)]
        result_of_self_test = self_test(executable, work)

    cold = statistics.median(frozen)
    baseline = statistics.median(source)
    report = {
        "size_mb": round(size_mb, 1),
        "cold_start_s": round(cold, 3),
        "self_test": result_of_self_test,
        "cold_start_p95_s": round(percentile(frozen, 95), 3),
        "first_start_s": round(frozen[0], 3),
        "source_start_s": round(baseline, 3),
        "bundle_vs_source": round(cold / baseline, 2),
        "runs": args.runs,
        "build_s": None if build.build_seconds is None else round(build.build_seconds, 1),
    }
    built = "reused" if build.build_seconds is None else f"built in {build.build_seconds:.0f} s"
    print(f"bundle: {build.folder} ({built})")
    print(f"{'measure':<34}{'value':>12}{'target':>12}")
    print(f"{'size (MB)':<34}{size_mb:>12.1f}{'<= ' + str(SIZE_TARGET_MB):>12}")
    print(f"{'cold start to camera-ready (s)':<34}{cold:>12.2f}{'<= ' + str(COLD_START_TARGET_S):>12}")
    print(f"{'  p95 / first run (s)':<34}{report['cold_start_p95_s']:>6.2f} /{frozen[0]:>5.2f}")
    print(f"{'  from source, same start (s)':<34}{baseline:>12.2f}   ratio {cold / baseline:.2f}")
    print(f"{'self-test':<34}{result_of_self_test:>12}")
    if args.json:
        print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
