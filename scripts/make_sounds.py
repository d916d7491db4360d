"""Generate the kiosk's result sounds as small WAV files (standard library only).

    python scripts/make_sounds.py               # writes resources/sounds/*.wav
    python scripts/make_sounds.py --out DIR

Colour is never the only signal on the kiosk: each result also plays a sound.
The files are 16-bit mono PCM at 22.05 kHz, a few hundred milliseconds long,
with a fade in and out so that no sound starts or ends with a click. The
output is deterministic; the generated files are committed, so re-run this
script after changing a sound here.

- ``success``: a rising two-tone chime (checked in)
- ``checkout``: the same chime falling (checked out)
- ``notice``: one soft tone (already checked in, choose an activity)
- ``error``: a low double buzz (refused)
"""

from __future__ import annotations

import argparse
import math
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

RATE = 22_050
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "sounds"
FULL_SCALE = 32_767

CHIME = ((1.0, 1.0), (2.0, 0.25), (3.0, 0.08))  # a bell-like tone: a few harmonics
BUZZ = ((1.0, 1.0), (3.0, 1 / 3), (5.0, 1 / 5), (7.0, 1 / 7))  # odd harmonics: a soft square wave
E5, A5, D5, G3 = 659.26, 880.0, 587.33, 196.0


def tone(
    freq: float,
    seconds: float,
    partials: Sequence[tuple[float, float]] = ((1.0, 1.0),),
    *,
    attack: float = 0.006,
    release: float = 0.04,
    decay: float = 0.0,
) -> list[float]:
    """One note: a sum of harmonics, faded in and out, optionally dying away (``decay`` per second)."""
    count = round(seconds * RATE)
    samples = []
    for i in range(count):
        t = i / RATE
        value = sum(level * math.sin(2 * math.pi * freq * ratio * t) for ratio, level in partials)
        envelope = min(1.0, t / attack, (count - 1 - i) / RATE / release) * math.exp(-decay * t)
        samples.append(value * envelope)
    return samples


def silence(seconds: float) -> list[float]:
    """Nothing, for ``seconds``."""
    return [0.0] * round(seconds * RATE)


def scaled(samples: list[float], peak: float) -> list[int]:
    """The samples as 16-bit integers, the loudest at ``peak`` of full scale."""
    loudest = max(abs(s) for s in samples)
    return [round(s / loudest * peak * FULL_SCALE) for s in samples]


def success() -> list[int]:
    """A rising two-tone chime, about 250 ms."""
    return scaled(tone(E5, 0.11, CHIME, decay=6) + tone(A5, 0.14, CHIME, decay=8), 0.6)


def checkout() -> list[int]:
    """A falling two-tone chime, about 250 ms."""
    return scaled(tone(A5, 0.11, CHIME, decay=6) + tone(E5, 0.14, CHIME, decay=8), 0.6)


def notice() -> list[int]:
    """A soft single tone, about 180 ms."""
    return scaled(tone(D5, 0.18, attack=0.02, release=0.08), 0.35)


def error() -> list[int]:
    """A low double buzz, about 300 ms."""
    buzz = tone(G3, 0.12, BUZZ, attack=0.008, release=0.03)
    return scaled(buzz + silence(0.06) + buzz, 0.55)


SOUNDS: dict[str, Callable[[], list[int]]] = {
    "success": success,
    "checkout": checkout,
    "notice": notice,
    "error": error,
}


def write_wav(path: Path, samples: list[int]) -> None:
    """Write 16-bit mono PCM at :data:`RATE` (little-endian, as WAV requires)."""
    frames = b"".join(s.to_bytes(2, "little", signed=True) for s in samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def main(argv: Sequence[str] | None = None) -> int:
    """Write every sound into the output folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, make in SOUNDS.items():
        path = args.out / f"{name}.wav"
        write_wav(path, make())
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
