"""Benchmark the touch keyboard's pinyin: building the index, and a lookup as a coordinator types.

    python bench/pinyin_input.py [--builds 5] [--names 2000] [--rounds 20] [--json]

``build_*``: the common index built from nothing in a fresh Python process
(``--builds`` of them), as the kiosk's first pinyin key does it: importing
pypinyin's data and indexing the GB2312 characters and the phrases
(``kiosk.services.pinyin_input.common_index``). ``words_ms``: the caller's
words set (``--names`` generated volunteers' names, as the desk offers at
most ``KEYBOARD_NAMES`` of them, and the reasons). ``lookup_*``: every
prefix of each typed text in :data:`TYPED` (initials, full pinyin, mixes, a
reason, a long run of letters) looked up ``--rounds`` times after a warm-up,
each call timed; the per-text table gives the slowest prefix's median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from kiosk.demo.roster import generate_volunteers
from kiosk.services.pinyin_input import PinyinInput, common_index

TYPED = (
    "l",
    "lcx",
    "lxm",
    "lixiaoming",
    "leicaixia",
    "wangxiaoming",
    "zhang",
    "zhongguo",
    "shoujimeidian",
    "sjmd",
    "xi'an",
    "zhzhzhzhzhzh",
    "nanananananananananana",
)
REASONS = ("手机没电", "忘带志愿者证", "志愿者证无法识别", "已在纸质表签到", "忘记签退")
BUILD_SNIPPET = (
    "import time; t = time.perf_counter(); "
    "from kiosk.services.pinyin_input import common_index; index = common_index(); "
    "print(time.perf_counter() - t, len(index.entries))"
)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank), as in ``bench/store.py``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def cold_builds(count: int) -> tuple[list[float], int]:
    """Seconds to import pypinyin and build the common index, each in a fresh process; its entries."""
    seconds, entries = [], 0
    for _ in range(count):
        out = subprocess.run(
            [sys.executable, "-c", BUILD_SNIPPET], check=True, capture_output=True, text=True
        )
        elapsed, size = out.stdout.split()
        seconds.append(float(elapsed))
        entries = int(size)
    return seconds, entries


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--builds", type=int, default=5, help="cold builds, each in a fresh process")
    parser.add_argument(
        "--names", type=int, default=2000, help="volunteers' names given as the caller's words"
    )
    parser.add_argument("--rounds", type=int, default=20, help="times each prefix is looked up")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()

    builds, entries = cold_builds(args.builds)
    common_index()  # this process's, for the lookups
    names = [name for _id, name, _phone, _org in generate_volunteers(args.names)]
    started = time.perf_counter()
    typing = PinyinInput([*names, *REASONS])
    words_ms = (time.perf_counter() - started) * 1000
    prefixes = [text[:k] for text in TYPED for k in range(1, len(text) + 1)]
    for prefix in prefixes:  # warm-up
        typing.candidates(prefix)
    timings: list[float] = []
    slowest: dict[str, float] = {}
    for text in TYPED:
        for k in range(1, len(text) + 1):
            runs = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                typing.candidates(text[:k])
                runs.append((time.perf_counter() - started) * 1000)
            timings.extend(runs)
            slowest[text] = max(slowest.get(text, 0.0), statistics.median(runs))
    result = {
        "build_median_s": round(statistics.median(builds), 3),
        "build_max_s": round(max(builds), 3),
        "builds": args.builds,
        "index_entries": entries,
        "names": args.names,
        "words_ms": round(words_ms, 1),
        "lookups": len(timings),
        "lookup_median_ms": round(statistics.median(timings), 3),
        "lookup_p95_ms": round(percentile(timings, 95), 3),
        "lookup_max_ms": round(max(timings), 3),
        "slowest_prefix_median_ms": {text: round(ms, 3) for text, ms in slowest.items()},
    }
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
