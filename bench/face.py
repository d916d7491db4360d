"""Benchmark face check-in: verification, 1:N identification, time per frame, and search time.

    python bench/face.py --pairs ../shared/datasets/faces-dev/pairs.csv [--json] [--frames 30] [--searches 100]
    python bench/face.py --pairs ../shared/datasets/faces-east-asia/pairs.csv [--json]
    python bench/face.py --identify ../shared/datasets/faces-east-asia [--distractors 1000] [--candidates 30]
        [--probe-frames 3] [--distractor-faces DIR] [--people N] [--sweep] [--json]
    python bench/face.py --kiosk [--dataset ../shared/datasets/faces-dev] [--photos 11] [--json]

``--kiosk`` measures face check-in on the kiosk screen instead: from the
first frame a volunteer is in view to the check-in committed, with and
without the liveness challenge (``bench/face_kiosk.py`` says how).

``--identify DIR`` measures 1:N identification instead, on a folder of
``people/<id>/N.jpg`` (``bench/face_identify.py`` says how): the first 2
photos of each person (natural file-name order) enrolled, the rest probed as
the kiosk decides (``--probe-frames`` jittered 640 x 480 kiosk frames per
photo, pooled by :class:`~kiosk.face.evidence.FramePool`; ``single`` is one
photo per decision, ``single_frame`` one frame), and every person in turn as
a stranger against all the others. ``--distractors N`` adds N enrolled
identities nobody probes, so that the gallery is as large as an area's:
the real faces of ``--distractor-faces`` (default ``DIR/../faces-dev``:
every ``crowd/`` face, every ``enroll/`` person), then synthetic identities
calibrated on the set (``bench/face_distractors.py``: a Gaussian stand-in
confused with real photos as often as real people are, not real people).
``--candidates N`` also decides each probe narrowed to N candidates holding
the true person first (``narrowed``), as the kiosk narrows to who can be
there; ``--sweep`` adds the ``curve`` of thresholds 0.40..0.60 by base
margins 0..0.15, decided on the descriptors computed once. JSON keys:
``identify_right``, ``identify_wrong``, ``identify_refused``,
``identify_no_face``, ``identify_probes`` (with a face found),
``identify_rate`` (right / probes), ``stranger_accepts``, ``strangers``,
``gallery`` (volunteers, distractors included), ``templates``, ``single``,
``single_frame``, ``narrowed``, ``distractors`` (``real``, ``synthetic``,
``lambda``, ``synthetic_under_0_5``, ``real_different_under_0_5``),
``curve``. Identification targets (issue 16), on faces-east-asia with 1,000
distractors: ``identify_wrong`` = 0, ``stranger_accepts`` = 0,
``identify_rate`` >= 0.9 (``targets_met``).

The pairs file holds ``path_a,path_b,same`` rows, paths relative to the file
(faces-dev's or faces-east-asia's ``pairs.csv``). When its folder holds the
faces-dev folders (``enroll/``, ``probe/``, ``crowd/``; see
``../shared/datasets/README.md``), the faces-dev identification part runs
too; otherwise its figures are ``null`` and frames are timed on the pairs'
photos, matched against a gallery of those photos.

- **Verification**: each photo's largest face (HOG detector with
  ``--upsample`` on the photo scaled to 640 px, 5 landmarks and the
  descriptor on the full photo), one pair accepted when the distance is below
  the kiosk's :data:`~kiosk.face.matching.OPERATING_THRESHOLD`. A photo with
  no face accepts nothing. ``accuracy`` is the share of pairs decided right;
  ``false_accepts`` counts different people accepted;
  ``different_under_threshold`` is their share. dlib's usual 0.6 is shown
  beside it.
- **Identification** (faces-dev): a :class:`~kiosk.face.matching.Gallery` of every
  ``enroll/`` photo (a person's photos are their templates); every face found
  in ``probe/`` is identified. A probe's file name lists the people in it
  (``obama+biden.jpg``); a listed person counts as found when one face in the
  photo is accepted as them, and any face accepted as someone not listed is a
  wrong identification (faces nobody listed must come out unknown or
  ambiguous). Every face in ``crowd/`` (nobody there is enrolled) must
  match no one: ``crowd_false_accepts``. ``dogs.jpg`` must hold no face.
- **Time per frame** (``ms_per_frame``): the kiosk's engine as configured by
  default (:class:`~kiosk.face.engine.DlibEngine`, no upsampling) on 640 x 480
  frames made from the dataset's photos (scaled to fit and padded): detect,
  landmarks of the largest face, descriptor, and a search of the
  gallery. The median over ``--frames`` frames in which a face was found,
  after one warm-up frame, and the median of each step (``ms_detect``,
  ``ms_describe``, ``ms_match``); the model loading time is shown apart.
- **Search** (``search_ms_100k``): :meth:`Gallery.identify` over 100,000
  random templates (seeded; normal vectors scaled to the length of dlib's
  descriptors, ~1.4; 3 per volunteer), the median of ``--searches`` searches
  with queries near random templates.

Targets: no false accepts, accuracy >= 99 %, <= 200 ms per frame, <= 10 ms
per search of 100,000 templates; on faces-dev, identification no worse than
before issue 16 (``targets_met["identification"]``: every listed probe
person found, none wrong, no crowd face accepted). The last line with
``--json`` is one JSON object: ``pairs``, ``accuracy``, ``false_accepts``,
``ms_per_frame``, ``search_ms_100k`` and the figures above.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.face.engine import DlibEngine, FaceEngine, find_faces
from kiosk.face.matching import MARGIN, OPERATING_THRESHOLD, Decision, Gallery
from kiosk.face.quality import ENROLMENT, assess

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
DLIB_DEFAULT_THRESHOLD = 0.6
FRAME_SIZE = (640, 480)
SEARCH_TEMPLATES = 100_000
TEMPLATES_PER_VOLUNTEER = 3
DEFAULT_DATASET = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "faces-dev"
TARGETS = {"accuracy": 0.99, "false_accepts": 0, "ms_per_frame": 200.0, "search_ms_100k": 10.0}
FACES_DEV_FOLDERS = ("enroll", "probe", "crowd")
IDENTIFICATION_KEYS = (
    "enrolled_people",
    "templates",
    "enrol_quality_failures",
    "probe_correct",
    "probe_total",
    "probe_wrong",
    "probe_faces",
    "crowd_faces",
    "crowd_false_accepts",
    "crowd_nearest",
    "dogs_faces",
)
"""The faces-dev identification figures: ``null`` when the pairs file has no faces-dev folders beside it."""


def read_image(path: Path) -> NDArray[np.uint8]:
    image = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"cannot read {path}")
    return np.asarray(image, dtype=np.uint8)


def images_in(folder: Path) -> list[Path]:
    return (
        sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) if folder.is_dir() else []
    )


def largest_descriptor(engine: FaceEngine, image: NDArray[np.uint8]) -> NDArray[np.float32] | None:
    faces = find_faces(engine, image)
    return engine.describe(image, faces[0]) if faces else None


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# --- verification --------------------------------------------------------------------------------


@dataclass
class Pair:
    a: str
    b: str
    same: bool
    distance: float  # inf when a photo has no face


def verify(engine: FaceEngine, pairs_file: Path) -> tuple[list[Pair], dict[str, NDArray[np.float32] | None]]:
    """Every pair's distance, and each photo's descriptor by its path in the file (``None``: no face)."""
    root = pairs_file.parent
    with pairs_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    cache: dict[str, NDArray[np.float32] | None] = {}
    pairs = []
    for row in rows:
        for key in ("path_a", "path_b"):
            if row[key] not in cache:
                cache[row[key]] = largest_descriptor(engine, read_image(root / row[key]))
        a, b = cache[row["path_a"]], cache[row["path_b"]]
        distance = float(np.linalg.norm(a - b)) if a is not None and b is not None else float("inf")
        pairs.append(Pair(row["path_a"], row["path_b"], row["same"].strip() == "1", distance))
    return pairs, cache


def pair_figures(pairs: list[Pair], threshold: float) -> dict[str, Any]:
    accepted = [p.distance < threshold for p in pairs]
    right = sum(a == p.same for a, p in zip(accepted, pairs, strict=True))
    return {
        "accuracy": round(right / len(pairs), 4) if pairs else 0.0,
        "correct": right,
        "false_accepts": sum(a and not p.same for a, p in zip(accepted, pairs, strict=True)),
        "false_rejects": sum(p.same and not a for a, p in zip(accepted, pairs, strict=True)),
    }


# --- identification ------------------------------------------------------------------------------


def enrol(engine: FaceEngine, enroll_dir: Path) -> tuple[Gallery, list[str]]:
    """The gallery of every enrol photo, and the enrol photos that fail the enrolment quality checks."""
    owners: list[str] = []
    templates: list[NDArray[np.float32]] = []
    poor: list[str] = []
    for person in sorted(p for p in enroll_dir.iterdir() if p.is_dir()):
        for path in images_in(person):
            image = read_image(path)
            faces = find_faces(engine, image)
            if not faces:
                poor.append(f"{person.name}/{path.name}: no face")
                continue
            quality = assess(image, faces[0], ENROLMENT)
            if not quality.ok:
                poor.append(f"{person.name}/{path.name}: {', '.join(quality.problems)}")
            owners.append(person.name)
            templates.append(engine.describe(image, faces[0]))
    return Gallery.from_templates(owners, np.array(templates, dtype=np.float32)), poor


def labels_of(stem: str, people: Sequence[str]) -> list[str | None]:
    """``obama+biden_2`` -> ``["obama", "biden"]``; a name nobody enrolled -> ``None``."""
    labels: list[str | None] = []
    for part in stem.split("+"):
        found = [name for name in people if part == name or part.startswith(name + "_")]
        labels.append(max(found, key=len) if found else None)
    return labels


@dataclass
class Identified:
    photo: str
    labels: list[str | None]
    faces: list[tuple[str, str | None, float, float]]  # decision, candidate, distance, margin
    found: int
    wrong: int


def identify_probes(engine: FaceEngine, gallery: Gallery, probe_dir: Path) -> list[Identified]:
    results = []
    for path in images_in(probe_dir):
        image = read_image(path)
        labels = labels_of(path.stem, gallery.volunteers)
        faces = []
        accepted: list[str] = []
        for face in find_faces(engine, image):
            match = gallery.identify(engine.describe(image, face))
            faces.append((match.decision.value, match.candidate, match.distance, match.margin))
            if match.volunteer_id is not None:
                accepted.append(match.volunteer_id)
        expected = [label for label in labels if label is not None]
        found = sum(1 for label in expected if label in accepted)
        wrong = sum(1 for name in accepted if name not in expected)
        results.append(Identified(path.name, labels, faces, found, wrong))
    return results


@dataclass
class Crowd:
    faces: int
    false_accepts: int
    nearest: list[float]  # the smallest distances to anyone, ascending
    dogs_faces: int | None


def identify_crowd(engine: FaceEngine, gallery: Gallery, crowd_dir: Path) -> Crowd:
    distances: list[float] = []
    false_accepts = 0
    dogs_faces = None
    for path in images_in(crowd_dir):
        image = read_image(path)
        faces = find_faces(engine, image)
        if path.stem == "dogs":
            dogs_faces = len(faces)
        for face in faces:
            match = gallery.identify(engine.describe(image, face))
            distances.append(match.distance)
            false_accepts += match.decision is Decision.ACCEPTED
    return Crowd(len(distances), false_accepts, sorted(distances), dogs_faces)


# --- time per frame and search time --------------------------------------------------------------


def to_frame(image: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """``image`` scaled to fit 640 x 480 and padded with gray: a kiosk-sized frame."""
    width, height = FRAME_SIZE
    scale = min(width / image.shape[1], height / image.shape[0])
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    scaled = cv2.resize(image, size, interpolation=interpolation)
    frame = np.full((height, width, 3), 128, np.uint8)
    top, left = (height - size[1]) // 2, (width - size[0]) // 2
    frame[top : top + size[1], left : left + size[0]] = scaled
    return frame


def time_frames(engine: DlibEngine, gallery: Gallery, photos: list[Path], count: int) -> dict[str, Any]:
    started = time.perf_counter()
    engine.load()
    load_ms = (time.perf_counter() - started) * 1000
    frames = [to_frame(read_image(path)) for path in photos]

    def process(frame: NDArray[np.uint8]) -> tuple[float, float, float] | None:
        """The seconds spent detecting (with landmarks), describing and matching; None without a face."""
        started = time.perf_counter()
        faces = find_faces(engine, frame)
        found = time.perf_counter()
        if not faces:
            return None
        descriptor = engine.describe(frame, faces[0])
        described = time.perf_counter()
        gallery.identify(descriptor)
        return found - started, described - found, time.perf_counter() - described

    process(frames[0])  # warm-up
    steps: list[tuple[float, float, float]] = []
    without_face: list[float] = []
    for i in range(count):
        frame = frames[i % len(frames)]
        started = time.perf_counter()
        result = process(frame)
        if result is None:
            without_face.append((time.perf_counter() - started) * 1000)
        else:
            steps.append(result)
    totals = [sum(step) * 1000 for step in steps]

    def median_ms(values: Sequence[float]) -> float | None:
        return round(statistics.median(values) * 1000, 2) if values else None

    return {
        "ms_per_frame": round(statistics.median(totals), 1) if totals else None,
        "ms_per_frame_p95": round(percentile(totals, 95), 1),
        "ms_detect": median_ms([step[0] for step in steps]),
        "ms_describe": median_ms([step[1] for step in steps]),
        "ms_match": median_ms([step[2] for step in steps]),
        "frames_with_face": len(totals),
        "ms_per_frame_no_face": round(statistics.median(without_face), 1) if without_face else None,
        "frames_without_face": len(without_face),
        "model_load_ms": round(load_ms, 1),
    }


def time_search(searches: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    templates = rng.normal(size=(SEARCH_TEMPLATES, 128)).astype(np.float32)
    templates *= (1.4 / np.linalg.norm(templates, axis=1, keepdims=True)).astype(np.float32)
    owners = [f"V{row // TEMPLATES_PER_VOLUNTEER:06d}" for row in range(SEARCH_TEMPLATES)]
    started = time.perf_counter()
    gallery = Gallery.from_templates(owners, templates)
    build_ms = (time.perf_counter() - started) * 1000
    picks = rng.integers(0, SEARCH_TEMPLATES, size=searches)
    queries = templates[picks] + rng.normal(scale=0.02, size=(searches, 128)).astype(np.float32)
    gallery.identify(queries[0])  # warm-up
    times = []
    right = 0
    for pick, query in zip(picks, queries, strict=True):
        started = time.perf_counter()
        match = gallery.identify(query)
        times.append((time.perf_counter() - started) * 1000)
        right += match.volunteer_id == owners[int(pick)]
    return {
        "search_ms_100k": round(statistics.median(times), 2),
        "search_ms_100k_p95": round(percentile(times, 95), 2),
        "search_right": right,
        "searches": searches,
        "gallery_build_ms": round(build_ms, 1),
    }


# --- main ----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--pairs", type=Path, help="pairs CSV: path_a,path_b,same")
    parser.add_argument("--identify", type=Path, help="1:N on a folder holding people/<id>/N.jpg instead")
    parser.add_argument("--kiosk", action="store_true", help="time face check-in on the kiosk screen instead")
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="faces-dev (with --kiosk)")
    parser.add_argument("--photos", type=int, default=11, help="enrol photos to render (with --kiosk)")
    parser.add_argument("--fps", type=float, default=15.0, help="camera frame rate (with --kiosk)")
    parser.add_argument("--reaction", type=float, default=0.5, help="seconds to start turning (with --kiosk)")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--upsample", type=int, default=1, help="detector upsampling on dataset photos")
    parser.add_argument("--frames", type=int, default=30, help="640x480 frames to time (>= 20)")
    parser.add_argument("--searches", type=int, default=100, help="searches of 100,000 templates (>= 50)")
    parser.add_argument(
        "--distractors", type=int, default=0, help="extra enrolled identities (with --identify)"
    )
    parser.add_argument(
        "--distractor-faces",
        type=Path,
        help="real distractor faces (with --identify; default DIR/../faces-dev)",
    )
    parser.add_argument(
        "--candidates", type=int, help="also decide narrowed to N candidates (with --identify)"
    )
    parser.add_argument(
        "--probe-frames", type=int, default=3, help="kiosk frames pooled per probe (--identify)"
    )
    parser.add_argument("--people", type=int, help="only the first N people (with --identify)")
    parser.add_argument("--sweep", action="store_true", help="thresholds x margins curves (with --identify)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.kiosk:
        return kiosk_main(args)
    if args.identify is not None:
        return identify_main(args)
    if args.pairs is None or not args.pairs.is_file():
        parser.error(f"no pairs file at {args.pairs}")
    root = args.pairs.parent

    photo_engine = DlibEngine(upsample=args.upsample)
    pairs, descriptors = verify(photo_engine, args.pairs)
    figures = pair_figures(pairs, OPERATING_THRESHOLD)
    at_default = pair_figures(pairs, DLIB_DEFAULT_THRESHOLD)
    same = [p.distance for p in pairs if p.same]
    different = [p.distance for p in pairs if not p.same]

    faces_dev = all((root / folder).is_dir() for folder in FACES_DEV_FOLDERS)
    identification: dict[str, Any] = dict.fromkeys(IDENTIFICATION_KEYS)
    probes: list[Identified] = []
    crowd: Crowd | None = None
    if faces_dev:
        gallery, poor_enrolments = enrol(photo_engine, root / "enroll")
        probes = identify_probes(photo_engine, gallery, root / "probe")
        crowd = identify_crowd(photo_engine, gallery, root / "crowd")
        photos = [
            *images_in(root / "probe"),
            *sorted((root / "enroll").glob("*/*.*")),
            *images_in(root / "resolution"),
        ]
        identification = {
            "enrolled_people": len(gallery.volunteers),
            "templates": len(gallery),
            "enrol_quality_failures": poor_enrolments,
            "probe_correct": sum(p.found for p in probes),
            "probe_total": sum(1 for p in probes for label in p.labels if label is not None),
            "probe_wrong": sum(p.wrong for p in probes),
            "probe_faces": sum(len(p.faces) for p in probes),
            "crowd_faces": crowd.faces,
            "crowd_false_accepts": crowd.false_accepts,
            "crowd_nearest": [round(d, 3) for d in crowd.nearest[:3]],
            "dogs_faces": crowd.dogs_faces,
        }
    else:  # any pairs file: time frames of its photos, matched against a gallery of them (one template each)
        found = {path: d for path, d in sorted(descriptors.items()) if d is not None}
        gallery = Gallery.from_templates(list(found), np.array(list(found.values()), dtype=np.float32))
        photos = [root / path for path in sorted(descriptors)]

    kiosk_engine = DlibEngine()
    timing = time_frames(kiosk_engine, gallery, photos, max(20, args.frames))
    search = time_search(max(50, args.searches), args.seed)

    report: dict[str, Any] = {
        "pairs": len(pairs),
        "accuracy": figures["accuracy"],
        "false_accepts": figures["false_accepts"],
        "false_rejects": figures["false_rejects"],
        "threshold": OPERATING_THRESHOLD,
        "margin": MARGIN,
        "accuracy_at_0_6": at_default["accuracy"],
        "false_accepts_at_0_6": at_default["false_accepts"],
        "same_max": round(max(same), 3) if same else None,
        "different_min": round(min(different), 3) if different else None,
        "different_under_threshold": round(
            sum(d < OPERATING_THRESHOLD for d in different) / len(different), 4
        )
        if different
        else None,
        "no_face_pairs": sum(1 for p in pairs if p.distance == float("inf")),
        **identification,
        "upsample_photos": args.upsample,
        **timing,
        **search,
    }
    report["targets_met"] = {
        "accuracy": report["accuracy"] >= TARGETS["accuracy"],
        "false_accepts": report["false_accepts"] == 0 and not report["crowd_false_accepts"],
        "ms_per_frame": report["ms_per_frame"] is not None
        and report["ms_per_frame"] <= TARGETS["ms_per_frame"],
        "search_ms_100k": report["search_ms_100k"] <= TARGETS["search_ms_100k"],
        "identification": report["probe_wrong"] == 0
        and report["crowd_false_accepts"] == 0
        and report["probe_correct"] == report["probe_total"]
        if faces_dev
        else None,
    }

    print(
        f"pairs of {args.pairs}; threshold {OPERATING_THRESHOLD}, margin {MARGIN}; photos upsampled {args.upsample}x"
    )
    print()
    print(f"verification on {len(pairs)} pairs ({len(same)} same person)")
    print(f"  {'threshold':<12}{'accuracy':>10}{'false acc.':>12}{'false rej.':>12}")
    for label, row in (
        (f"{OPERATING_THRESHOLD} kiosk", figures),
        (f"{DLIB_DEFAULT_THRESHOLD} dlib", at_default),
    ):
        print(f"  {label:<12}{row['accuracy']:>10.2%}{row['false_accepts']:>12}{row['false_rejects']:>12}")
    print(
        f"  same person: max distance {report['same_max']}; different people: min {report['different_min']}"
    )
    for pair in sorted((p for p in pairs if p.same), key=lambda p: -p.distance)[:3]:
        print(f"    farthest same pair {pair.distance:.3f}  {pair.a}  {pair.b}")
    print()
    if crowd is None:
        print("identification: skipped (no enroll/, probe/ and crowd/ folders beside the pairs file)")
    else:
        print(f"identification: {report['enrolled_people']} people, {report['templates']} templates")
        if report["enrol_quality_failures"]:
            print(f"  enrol photos failing the enrolment checks: {report['enrol_quality_failures']}")
        for probe in probes:
            faces = "; ".join(f"{d} {c} {dist:.3f} (+{m:.2f})" for d, c, dist, m in probe.faces) or "no face"
            print(
                f"  {probe.photo:<34} {probe.found}/{sum(x is not None for x in probe.labels)} found  {faces}"
            )
        print(
            f"  probes: {report['probe_correct']}/{report['probe_total']} people found,"
            f" {report['probe_wrong']} wrong"
        )
        print(
            f"  crowd: {crowd.faces} faces, {crowd.false_accepts} accepted;"
            f" nearest distances {report['crowd_nearest']}; dogs.jpg faces: {crowd.dogs_faces}"
        )
    print()
    print(
        f"time per 640x480 frame (detect + landmarks + describe + match): median {report['ms_per_frame']} ms,"
        f" p95 {report['ms_per_frame_p95']} ms over {report['frames_with_face']} frames with a face"
        f" (no face: {report['ms_per_frame_no_face']} ms over {report['frames_without_face']});"
        f" model load {report['model_load_ms']} ms"
    )
    print(
        f"  median per step: detect + landmarks {report['ms_detect']} ms, describe {report['ms_describe']} ms,"
        f" match {report['ms_match']} ms"
    )
    print(
        f"search of {SEARCH_TEMPLATES:,} templates: median {report['search_ms_100k']} ms,"
        f" p95 {report['search_ms_100k_p95']} ms; {report['search_right']}/{report['searches']} right;"
        f" building the gallery {report['gallery_build_ms']} ms"
    )
    print(f"targets met: {report['targets_met']}")
    if args.json:
        print(json.dumps(report))
    return 0


def identify_main(args: argparse.Namespace) -> int:
    """``--identify``: 1:N on a folder of people at gallery sizes (see ``bench/face_identify.py``)."""
    from face_identify import measure, print_report, settings_from  # bench/ is on the path as a script

    report = measure(settings_from(args))
    print_report(report)
    if args.json:
        print(json.dumps(report))
    return 0


def kiosk_main(args: argparse.Namespace) -> int:
    """``--kiosk``: the latency of face check-in on the kiosk screen (see ``bench/face_kiosk.py``)."""
    from face_kiosk import measure, print_report  # bench/ is on the path when run as a script

    if not (args.dataset / "enroll").is_dir():
        raise SystemExit(f"no faces-dev dataset at {args.dataset}")
    report = measure(args.dataset, max(1, args.photos), args.fps, args.reaction, args.seed)
    print_report(report)
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
