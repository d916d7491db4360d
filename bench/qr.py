"""Benchmark QR decoding on a folder of photos: each decoder alone, and the kiosk's decoder chain.

    python bench/qr.py ../shared/datasets/qr-photos [--json] [--repeat 5]

The folder holds sets laid out like ZXing's blackbox sets: ``SET/N.png`` (or
``.jpg``) next to ``SET/N.txt``, the exact bytes the code holds. A decode
counts when a result's raw bytes, or its text as UTF-8, equal the ``.txt``
file. Images are read in grayscale before timing, so times are decode only.

Every method first runs once over all images (the warm-up, which also
decides what was decoded); then ``--repeat`` timed runs; an image's time is
the median of its runs, and the table gives the mean and p95 over images, and
the chain's time as a ratio of zxing-cpp alone, measured in the same run.
The chain's per-attempt table shows how many images each attempt decoded that
the earlier ones missed, and what each attempt costs per image on average.
Finally the chain's cost on a 640x480 frame that holds no code (a synthetic
scene): on a kiosk that is most frames, and every attempt runs on them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.camera.decoder_chain import DecoderChain, default_chain
from kiosk.camera.decoders import Decoded, ZbarDecoder, ZxingDecoder
from kiosk.camera.synthetic_source import SyntheticSource

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


@dataclass
class Sample:
    name: str
    gray: NDArray[np.uint8]
    expected: bytes


@dataclass
class MethodResult:
    decoded: list[str]
    misses: list[str]
    ms: list[float]  # median per image

    def summary(self, images: int) -> dict[str, Any]:
        return {
            "decoded": len(self.decoded),
            "share": round(len(self.decoded) / images, 4) if images else 0.0,
            "mean_ms": round(statistics.fmean(self.ms), 3) if self.ms else 0.0,
            "p95_ms": round(percentile(self.ms, 95), 3),
        }


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def load(folder: Path) -> list[Sample]:
    samples = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        label = path.with_suffix(".txt")
        if not label.is_file():
            continue
        gray = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
        if gray is None:
            print(f"skipped unreadable {path}", file=sys.stderr)
            continue
        samples.append(
            Sample(str(path.relative_to(folder)), np.asarray(gray, dtype=np.uint8), label.read_bytes())
        )
    return samples


def matches(results: list[Decoded], expected: bytes) -> bool:
    return any(r.raw == expected or r.text.encode("utf-8") == expected for r in results)


def run(
    samples: list[Sample], decode: Callable[[NDArray[np.uint8]], list[Decoded]], repeat: int
) -> MethodResult:
    decoded = [s.name for s in samples if matches(decode(s.gray), s.expected)]  # warm-up
    runs: list[list[float]] = [[] for _ in samples]
    for _ in range(repeat):
        for i, sample in enumerate(samples):
            started = time.perf_counter()
            decode(sample.gray)
            runs[i].append((time.perf_counter() - started) * 1000)
    done = set(decoded)
    return MethodResult(
        decoded, [s.name for s in samples if s.name not in done], [statistics.median(r) for r in runs]
    )


def attempt_table(samples: list[Sample], chain: DecoderChain, repeat: int) -> list[dict[str, Any]]:
    """Per attempt: images it decoded that earlier attempts missed, cumulative, and ms per image."""
    attempts = chain.attempts
    new = [0] * len(attempts)
    ms: list[list[float]] = [[0.0] * len(samples) for _ in attempts]
    for i, sample in enumerate(samples):
        traces = [chain.trace(sample.gray) for _ in range(max(1, repeat))]
        winner = traces[0].winner
        if winner is not None and matches(traces[0].results, sample.expected):
            new[winner] += 1
        for a in range(len(attempts)):
            times = [s for s in (t.seconds[a] for t in traces) if s is not None]
            ms[a][i] = statistics.median(times) * 1000 if times else 0.0
    table, cumulative = [], 0
    for a, attempt in enumerate(attempts):
        cumulative += new[a]
        ran = sum(1 for v in ms[a] if v > 0)
        table.append(
            {
                "attempt": attempt.label,
                "new": new[a],
                "cumulative": cumulative,
                "ran_on": ran,
                "ms_per_image": round(statistics.fmean(ms[a]), 3),
            }
        )
    return table


def empty_frame_ms(chain: DecoderChain, repeat: int) -> float:
    source = SyntheticSource([], seed=7)
    frames = [frame for frame in (source.read() for _ in range(10)) if frame is not None]
    chain.decode(frames[0])
    times = []
    for _ in range(max(1, repeat)):
        for frame in frames:
            started = time.perf_counter()
            chain.decode(frame)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", type=Path, help="folder of SET/N.png + SET/N.txt")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per image (median is kept)")
    args = parser.parse_args(argv)

    samples = load(args.dataset)
    if not samples:
        print(f"no labelled images under {args.dataset}", file=sys.stderr)
        return 2
    n = len(samples)
    chain = default_chain()
    methods: dict[str, Callable[[NDArray[np.uint8]], list[Decoded]]] = {
        "zxing": ZxingDecoder().decode,
        "zbar": ZbarDecoder().decode,
        "chain": chain.decode,
    }
    results = {name: run(samples, decode, args.repeat) for name, decode in methods.items()}
    table = attempt_table(samples, chain, args.repeat)
    empty_ms = empty_frame_ms(chain, args.repeat)
    summaries = {name: r.summary(n) for name, r in results.items()}
    zxing_mean = summaries["zxing"]["mean_ms"] or float("nan")
    ratio = summaries["chain"]["mean_ms"] / zxing_mean

    print(f"{n} images in {args.dataset}, median of {args.repeat} runs\n")
    print(f"{'method':10} {'decoded':>12} {'mean ms':>9} {'p95 ms':>8}")
    for name, s in summaries.items():
        print(
            f"{name:10} {s['decoded']:>5}/{n:<3} {s['share']:>4.0%} {s['mean_ms']:>8.2f} {s['p95_ms']:>8.2f}"
        )
    print(f"\nchain / zxing mean time: {ratio:.2f}x")
    print(f"chain on a 640x480 frame with no code: {empty_ms:.2f} ms\n")
    print(f"{'chain attempt':28} {'new':>4} {'cum':>5} {'ran on':>7} {'ms/image':>9}")
    for row in table:
        print(
            f"{row['attempt']:28} {row['new']:>4} {row['cumulative']:>5} {row['ran_on']:>7} {row['ms_per_image']:>9.3f}"
        )
    print(f"\nthe chain misses ({len(results['chain'].misses)}): {', '.join(results['chain'].misses) or '-'}")
    if args.json:
        report = {
            "images": n,
            **summaries["chain"],
            "chain_vs_zxing_time": round(ratio, 3),
            "empty_frame_ms": round(empty_ms, 3),
            "attempts": table,
            "misses": results["chain"].misses,
            "zxing": summaries["zxing"],
            "zbar": summaries["zbar"],
        }
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
