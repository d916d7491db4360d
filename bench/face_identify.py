"""``bench/face.py --identify DIR``: 1:N identification on a folder of ``people/<id>/N.jpg``, at gallery sizes.

    python bench/face.py --identify ../shared/datasets/faces-east-asia [--distractors 1000]
        [--candidates 30] [--probe-frames 3] [--sweep] [--json]

- **Enrolment**: each person's photos in natural file-name order; the first
  :data:`ENROLLED_PHOTOS` are enrolled (the largest face of the photo, HOG
  with ``--upsample`` on the photo scaled to 640 px, the descriptor on the
  full photo, as ``verify`` does), the rest are probes.
- **Kiosk frames**: the kiosk decides on the mean of a few good frames
  (:class:`~kiosk.face.evidence.FramePool`), so every probe photo becomes
  ``--probe-frames`` kiosk frames: fitted into 640 x 480, then a seeded
  jitter (:class:`Jitter`: shift, scale, rotation, brightness, camera noise,
  JPEG). Each frame goes through the kiosk's engine as configured by default
  (no upsampling): largest face, descriptor, into the pool; the pool's mean
  is identified. The headline figures are this kiosk way; ``single`` gives
  the same figures for one photo per decision (its descriptor as enrolled)
  and ``single_frame`` for the first kiosk frame alone.
- **Strangers**: every person in turn is left out of the gallery and each of
  their photos with a face found (the kiosk way) must be accepted as nobody.
- **Distractors** (``--distractors N``): N more enrolled identities nobody
  probes, so the gallery is as large as an area's: first every real face of
  ``--distractor-faces`` (faces-dev: each face in ``crowd/`` one identity
  with one template, each ``enroll/`` person one identity), then synthetic
  identities (``bench/face_distractors.py``) calibrated on the set's own
  descriptors.
- **Narrowed search** (``--candidates N``): each probe decided with a tier of
  candidates holding the true person and N-1 other gallery volunteers
  (seeded), then the whole gallery (:class:`~kiosk.face.matching.Candidates`);
  each stranger with a tier of N gallery volunteers.
- **Sweep** (``--sweep``): the same decisions for thresholds 0.40..0.60 and
  base margins 0..0.15 on the descriptors computed once.

Every decision is :meth:`kiosk.face.matching.Gallery.identify`'s: the bench
only counts. ``identify_rate`` is right / probes with a face found.
"""

from __future__ import annotations

import argparse
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import face_distractors
import numpy as np
from face import IMAGE_SUFFIXES, images_in, largest_descriptor, read_image, to_frame
from numpy.typing import NDArray

from kiosk.face.engine import DlibEngine, FaceEngine, find_faces
from kiosk.face.evidence import FramePool
from kiosk.face.matching import (
    DEFAULT_MARGINS,
    OPERATING_THRESHOLD,
    Candidates,
    Decision,
    Gallery,
    MarginRule,
)

ENROLLED_PHOTOS = 2
DEFAULT_PROBE_FRAMES = 3
FRAME_INTERVAL = 1 / 15
"""Seconds between two pooled frames (a 15 fps camera)."""
SWEEP_THRESHOLDS = tuple(round(0.40 + 0.02 * step, 2) for step in range(11))
SWEEP_MARGINS = tuple(round(0.025 * step, 3) for step in range(7))
TARGETS = {"identify_wrong": 0, "stranger_accepts": 0, "identify_rate": 0.9}
WAYS = ("kiosk", "single", "single_frame")
SWEEP_KEYS = ("identify_right", "identify_wrong", "identify_refused", "stranger_accepts")

Descriptor = NDArray[np.float32]


def natural_key(name: str) -> list[Any]:
    """``"10.jpg"`` after ``"9.jpg"``: digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


# --- kiosk frames --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Jitter:
    """How much a kiosk frame of a photo differs from the photo: a camera's frame-to-frame variation."""

    shift: float = 8.0
    """Pixels, either way, in x and y."""
    scale: float = 0.04
    rotation: float = 3.0
    """Degrees, either way."""
    brightness: tuple[float, float] = (0.85, 1.15)
    noise: float = 3.0
    """The standard deviation of Gaussian noise, in grey levels."""
    jpeg_quality: int = 85

    def frame(self, photo: NDArray[np.uint8], rng: np.random.Generator) -> NDArray[np.uint8]:
        """A 640 x 480 kiosk frame of ``photo``: fitted, moved, turned, lit, grainy and JPEG-compressed."""
        frame = to_frame(photo)
        height, width = frame.shape[:2]
        angle = rng.uniform(-self.rotation, self.rotation)
        scale = 1 + rng.uniform(-self.scale, self.scale)
        shift = rng.uniform(-self.shift, self.shift, size=2)
        affine = cv2.getRotationMatrix2D((width / 2, height / 2), angle, scale)
        affine[:, 2] = affine[:, 2] + shift
        moved = cv2.warpAffine(
            frame, affine, (width, height), flags=cv2.INTER_LINEAR, borderValue=(128, 128, 128)
        )
        lit = moved.astype(np.float32) * rng.uniform(*self.brightness)
        grainy = lit + rng.normal(0.0, self.noise, size=lit.shape).astype(np.float32)
        pixels = np.clip(np.rint(grainy), 0, 255).astype(np.uint8)
        ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        return np.asarray(cv2.imdecode(encoded, cv2.IMREAD_COLOR), dtype=np.uint8)


JITTER = Jitter()


@dataclass(frozen=True)
class Photo:
    """One photo of a person and its descriptors: as a photo, per kiosk frame, and the frames pooled."""

    person: str
    name: str
    photo: Descriptor | None
    """The largest face of the photo (``None``: no face found)."""
    frames: tuple[Descriptor | None, ...]
    """The largest face of each kiosk frame."""
    pooled: Descriptor | None
    """The :class:`FramePool`'s mean of the frames with a face (``None``: no frame had one)."""

    def descriptor(self, way: str) -> Descriptor | None:
        """The descriptor a decision uses: ``kiosk`` (pooled frames), ``single`` (photo), ``single_frame``."""
        if way == "kiosk":
            return self.pooled
        if way == "single":
            return self.photo
        if way == "single_frame":
            return self.frames[0] if self.frames else None
        raise ValueError(f"no way {way!r}")


def pooled(frames: Sequence[Descriptor | None]) -> Descriptor | None:
    """The kiosk's evidence from these frames: a :class:`FramePool` of every frame with a face."""
    pool = FramePool(frames=max(1, len(frames)), most=max(1, len(frames)))
    for number, descriptor in enumerate(frames):
        if descriptor is not None:
            pool.add(descriptor, number * FRAME_INTERVAL)
    return pool.combined() if len(pool) else None


def frame_rng(seed: int, person: str, name: str) -> np.random.Generator:
    """A photo's own seeded generator: its frames do not depend on which photos came before."""
    return np.random.default_rng([seed, zlib.crc32(f"{person}/{name}".encode())])


def describe_people(
    folder: Path,
    photo_engine: FaceEngine,
    frame_engine: FaceEngine,
    probe_frames: int,
    seed: int,
    people: int | None = None,
    jitter: Jitter = JITTER,
) -> dict[str, list[Photo]]:
    """Every photo of ``folder/people/<id>/`` described, people and photos in natural order.

    ``people`` keeps only the first so many people.
    """
    persons = sorted(
        (p for p in (folder / "people").iterdir() if p.is_dir()), key=lambda p: natural_key(p.name)
    )
    described: dict[str, list[Photo]] = {}
    for person in persons[:people]:
        paths = sorted(
            (p for p in person.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES),
            key=lambda p: natural_key(p.name),
        )
        photos = []
        for path in paths:
            image = read_image(path)
            rng = frame_rng(seed, person.name, path.name)
            frames = tuple(
                largest_descriptor(frame_engine, jitter.frame(image, rng)) for _ in range(probe_frames)
            )
            photos.append(
                Photo(person.name, path.name, largest_descriptor(photo_engine, image), frames, pooled(frames))
            )
        described[person.name] = photos
    return described


# --- distractors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """Gallery rows: ``owners[i]`` owns template ``matrix[i]``."""

    owners: tuple[str, ...]
    matrix: NDArray[np.float32]

    @classmethod
    def of(cls, identities: Iterable[tuple[str, NDArray[np.float32]]]) -> Rows:
        """The rows of ``(identity, templates)`` pairs, in order."""
        owners: list[str] = []
        blocks: list[NDArray[np.float32]] = []
        for identity, templates in identities:
            block = np.asarray(templates, np.float32).reshape(-1, face_distractors.DESCRIPTOR_SIZE)
            owners.extend([identity] * len(block))
            blocks.append(block)
        matrix = (
            np.concatenate(blocks) if blocks else np.zeros((0, face_distractors.DESCRIPTOR_SIZE), np.float32)
        )
        return cls(tuple(owners), matrix)

    def __add__(self, other: Rows) -> Rows:
        """These rows, then ``other``'s."""
        return Rows(self.owners + other.owners, np.concatenate([self.matrix, other.matrix]))

    @property
    def volunteers(self) -> list[str]:
        """The owners, each once, in order."""
        return list(dict.fromkeys(self.owners))

    def without(self, volunteer: str) -> Rows:
        """Every row but ``volunteer``'s (them as a stranger)."""
        keep = np.array([owner != volunteer for owner in self.owners], dtype=bool)
        return Rows(tuple(o for o, k in zip(self.owners, keep, strict=True) if k), self.matrix[keep])


def real_distractors(engine: FaceEngine, folder: Path) -> list[tuple[str, NDArray[np.float32]]]:
    """Real faces nobody probes: every face in ``folder/crowd/`` (one template each), every ``enroll/`` person."""
    identities: list[tuple[str, NDArray[np.float32]]] = []
    for path in images_in(folder / "crowd"):
        image = read_image(path)
        for number, face in enumerate(find_faces(engine, image), 1):
            identities.append((f"crowd/{path.stem}#{number}", engine.describe(image, face)[None, :]))
    enroll = folder / "enroll"
    for person in sorted(p for p in enroll.iterdir() if p.is_dir()) if enroll.is_dir() else []:
        found = [
            d for d in (largest_descriptor(engine, read_image(p)) for p in images_in(person)) if d is not None
        ]
        if found:
            identities.append((f"enroll/{person.name}", np.stack(found)))
    return identities


@dataclass(frozen=True)
class Distractors:
    """The extra gallery identities and how the synthetic ones were made."""

    rows: Rows
    real: int
    synthetic: int
    calibration: face_distractors.Calibration | None

    def figures(self) -> dict[str, Any]:
        """The report's ``distractors`` entry."""
        calibration = self.calibration
        return {
            "real": self.real,
            "synthetic": self.synthetic,
            "lambda": round(calibration.shrinkage, 4) if calibration else None,
            "synthetic_under_0_5": round(calibration.synthetic_under, 4) if calibration else None,
            "real_different_under_0_5": round(calibration.real_different_under, 4) if calibration else None,
        }


def make_distractors(
    count: int,
    real_faces: Sequence[tuple[str, NDArray[np.float32]]],
    people: dict[str, list[Photo]],
    seed: int,
) -> Distractors:
    """``count`` identities: ``real_faces`` first, then synthetic ones fitted on ``people``'s photos (seeded)."""
    real = list(real_faces[:count])
    synthetic = count - len(real)
    calibration = None
    identities = list(real)
    if synthetic > 0:
        model = face_distractors.fit(
            {person: [p.photo for p in photos if p.photo is not None] for person, photos in people.items()}
        )
        calibration = face_distractors.calibrate(model, seed)
        drawn = face_distractors.synthetic_identities(model, calibration.shrinkage, synthetic, seed + 1)
        identities += [(f"synthetic/{number:05d}", templates) for number, templates in enumerate(drawn, 1)]
    return Distractors(Rows.of(identities), len(real), max(0, synthetic), calibration)


# --- decisions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A threshold and margin rule to decide with; ``None`` fields take the gallery's defaults."""

    threshold: float | None = None
    margins: MarginRule | None = None

    def gallery(self, rows: Rows) -> Gallery:
        """A gallery of ``rows`` deciding by this rule."""
        gallery = Gallery(
            self.threshold if self.threshold is not None else OPERATING_THRESHOLD,
            self.margins if self.margins is not None else DEFAULT_MARGINS,
        )
        gallery.add_many(rows.owners, rows.matrix)
        return gallery


@dataclass
class Tally:
    """The outcome counts of one way of deciding."""

    right: int = 0
    wrong: int = 0
    refused: int = 0
    ambiguous: int = 0
    no_face: int = 0
    stranger_accepts: int = 0
    strangers: int = 0
    stranger_no_face: int = 0

    def probe(self, person: str, decision: Decision, volunteer: str | None) -> None:
        """Count one probe of ``person`` decided ``decision`` (naming ``volunteer`` when accepted)."""
        if decision is Decision.ACCEPTED:
            if volunteer == person:
                self.right += 1
            else:
                self.wrong += 1
        else:
            self.refused += 1
            self.ambiguous += decision is Decision.AMBIGUOUS

    @property
    def probes(self) -> int:
        """Probes with a face found: every one is right, wrong or refused."""
        return self.right + self.wrong + self.refused

    def figures(self) -> dict[str, Any]:
        """The report's figures for this way (the keys of the module's docstring)."""
        return {
            "identify_right": self.right,
            "identify_wrong": self.wrong,
            "identify_refused": self.refused,
            "identify_ambiguous": self.ambiguous,
            "identify_no_face": self.no_face,
            "identify_probes": self.probes,
            "identify_rate": round(self.right / self.probes, 4) if self.probes else None,
            "stranger_accepts": self.stranger_accepts,
            "strangers": self.strangers,
            "stranger_no_face": self.stranger_no_face,
        }


@dataclass(frozen=True)
class Setup:
    """Everything a decision needs, computed once: the gallery's rows, the probes, the candidates' tiers."""

    people: dict[str, list[Photo]]
    enrolled: Rows
    distractors: Distractors
    probes: list[Photo]
    candidates: int | None = None
    probe_tiers: list[frozenset[str]] = field(default_factory=list)
    stranger_tiers: dict[str, list[frozenset[str]]] = field(default_factory=dict)

    @property
    def rows(self) -> Rows:
        """The whole gallery: the enrolled people, then the distractors."""
        return self.enrolled + self.distractors.rows


def set_up(
    people: dict[str, list[Photo]], distractors: Distractors, candidates: int | None, seed: int
) -> Setup:
    """Enrol the first photos of each person, the rest are probes; draw the candidates' tiers (seeded)."""
    enrolled = Rows.of(
        (person, np.stack(found))
        for person, photos in people.items()
        if (found := [p.photo for p in photos[:ENROLLED_PHOTOS] if p.photo is not None])
    )
    probes = [p for photos in people.values() for p in photos[ENROLLED_PHOTOS:]]
    setup = Setup(people, enrolled, distractors, probes, candidates)
    if candidates is None:
        return setup
    rng = np.random.default_rng([seed, candidates])
    volunteers = (enrolled + distractors.rows).volunteers

    def tier(leave_out: str, size: int) -> frozenset[str]:
        others = [v for v in volunteers if v != leave_out]
        picks = rng.choice(len(others), size=min(size, len(others)), replace=False)
        return frozenset(others[int(i)] for i in picks)

    setup.probe_tiers.extend(tier(p.person, candidates - 1) | {p.person} for p in probes)
    for person, photos in people.items():
        setup.stranger_tiers[person] = [tier(person, candidates) for _ in photos]
    return setup


def decide_all(setup: Setup, rule: Rule, ways: Sequence[str], narrowed: bool) -> dict[str, Tally]:
    """Every probe and stranger decided each way (and narrowed, the kiosk way): the tallies by way."""
    tallies = {way: Tally() for way in ways}
    if narrowed:
        tallies["narrowed"] = Tally()
    rows = setup.rows
    gallery = rule.gallery(rows)
    for number, photo in enumerate(setup.probes):
        for way in tallies:
            descriptor = photo.descriptor("kiosk" if way == "narrowed" else way)
            if descriptor is None:
                tallies[way].no_face += 1
                continue
            tier = Candidates.of(setup.probe_tiers[number]) if way == "narrowed" else None
            match = gallery.identify(descriptor, tier)
            tallies[way].probe(photo.person, match.decision, match.volunteer_id)
    for person, photos in setup.people.items():
        without = rule.gallery(rows.without(person))
        for number, photo in enumerate(photos):
            for way in tallies:
                descriptor = photo.descriptor("kiosk" if way == "narrowed" else way)
                if descriptor is None:
                    tallies[way].stranger_no_face += 1
                    continue
                tier = Candidates.of(setup.stranger_tiers[person][number]) if way == "narrowed" else None
                tallies[way].strangers += 1
                tallies[way].stranger_accepts += without.identify(descriptor, tier).accepted
    return tallies


def sweep(setup: Setup, narrowed: bool) -> list[dict[str, Any]]:
    """The kiosk way's figures (and narrowed) for every threshold and base margin of the sweep."""
    curve = []
    for threshold in SWEEP_THRESHOLDS:
        for margin in SWEEP_MARGINS:
            tallies = decide_all(setup, Rule(threshold, MarginRule(base=margin)), ("kiosk",), narrowed)
            point: dict[str, Any] = {"threshold": threshold, "margin": margin, **brief(tallies["kiosk"])}
            if narrowed:
                point["narrowed"] = brief(tallies["narrowed"])
            curve.append(point)
    return curve


def brief(tally: Tally) -> dict[str, int]:
    """The figures of one point of the sweep."""
    figures = tally.figures()
    return {key: figures[key] for key in SWEEP_KEYS}


# --- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What ``--identify`` was asked for."""

    folder: Path
    distractors: int = 0
    distractor_faces: Path | None = None
    candidates: int | None = None
    probe_frames: int = DEFAULT_PROBE_FRAMES
    people: int | None = None
    sweep: bool = False
    upsample: int = 1
    seed: int = 1


def measure(settings: Settings) -> dict[str, Any]:
    """The ``--identify`` report (see the module's docstring)."""
    if not (settings.folder / "people").is_dir():
        raise SystemExit(f"no people/ folder in {settings.folder}")
    if settings.candidates is not None and settings.candidates < 1:
        raise SystemExit("--candidates must be at least 1")
    photo_engine = DlibEngine(upsample=settings.upsample)
    people = describe_people(
        settings.folder,
        photo_engine,
        DlibEngine(),
        max(1, settings.probe_frames),
        settings.seed,
        settings.people,
    )
    faces = settings.distractor_faces
    real_faces = (
        real_distractors(photo_engine, faces) if settings.distractors > 0 and faces and faces.is_dir() else []
    )
    return evaluate(settings, people, real_faces)


def evaluate(
    settings: Settings, people: dict[str, list[Photo]], real_faces: Sequence[tuple[str, NDArray[np.float32]]]
) -> dict[str, Any]:
    """The report from described photos and real distractor faces: every decision, no dlib."""
    distractors = make_distractors(max(0, settings.distractors), real_faces, people, settings.seed)
    setup = set_up(people, distractors, settings.candidates, settings.seed)
    narrowed = settings.candidates is not None
    tallies = decide_all(setup, Rule(), WAYS, narrowed)
    gallery = Rule().gallery(setup.rows)
    report: dict[str, Any] = {
        "dataset": str(settings.folder),
        "people": len(people),
        "photos": sum(len(photos) for photos in people.values()),
        "probe_frames": max((len(p.frames) for photos in people.values() for p in photos), default=0),
        "threshold": gallery.threshold,
        "margin": gallery.margin,
        **tallies["kiosk"].figures(),
        "gallery": len(gallery.volunteers),
        "templates": len(gallery),
        "enrolled_people": len(setup.enrolled.volunteers),
        "single": tallies["single"].figures(),
        "single_frame": tallies["single_frame"].figures(),
        "distractors": distractors.figures(),
        "upsample_photos": settings.upsample,
        "seed": settings.seed,
    }
    if narrowed:
        report["narrowed"] = {**tallies["narrowed"].figures(), "candidates": settings.candidates}
    if settings.sweep:
        report["curve"] = sweep(setup, narrowed)
    rate = report["identify_rate"]
    met = {
        "identify_wrong": report["identify_wrong"] == TARGETS["identify_wrong"],
        "stranger_accepts": report["stranger_accepts"] == TARGETS["stranger_accepts"],
        "identify_rate": rate is not None and rate >= TARGETS["identify_rate"],
    }
    report["targets_met"] = {**met, "identification": all(met.values())}
    return report


def print_report(report: dict[str, Any]) -> None:
    """The report as a few human-readable lines (and the sweep as a table)."""
    print(
        f"identification on {report['dataset']}: {report['people']} people, {report['photos']} photos;"
        f" threshold {report['threshold']}, margin {report['margin']}; gallery {report['gallery']} volunteers,"
        f" {report['templates']} templates"
    )
    print(f"  distractors: {report['distractors']}")
    print(
        f"  {'way':<26}{'right':>7}{'wrong':>7}{'refused':>9}{'no face':>9}{'rate':>8}{'strangers acc.':>16}"
    )
    rows = [
        (f"kiosk ({report['probe_frames']} frames pooled)", report),
        ("one photo", report["single"]),
        ("one kiosk frame", report["single_frame"]),
    ]
    if "narrowed" in report:
        rows.append((f"narrowed to {report['narrowed']['candidates']} first", report["narrowed"]))
    for label, row in rows:
        rate = f"{row['identify_rate']:.1%}" if row["identify_rate"] is not None else "-"
        print(
            f"  {label:<26}{row['identify_right']:>7}{row['identify_wrong']:>7}{row['identify_refused']:>9}"
            f"{row['identify_no_face']:>9}{rate:>8}{row['stranger_accepts']:>9} / {row['strangers']:<5}"
        )
    if "curve" in report:
        for title, pick in (("kiosk way", None), ("narrowed", "narrowed")):
            if pick is not None and "narrowed" not in report:
                continue
            print()
            print(
                f"  sweep, {title}: right/wrong/refused/stranger accepts by threshold (rows) and base margin"
            )
            print("  thr. " + "".join(f"{margin:>15.3f}" for margin in SWEEP_MARGINS))
            for threshold in SWEEP_THRESHOLDS:
                points = [
                    p if pick is None else p[pick] for p in report["curve"] if p["threshold"] == threshold
                ]
                cells = ["/".join(str(point[key]) for key in SWEEP_KEYS) for point in points]
                print(f"  {threshold:<5.2f}" + "".join(f"{cell:>15}" for cell in cells))
    print(f"targets met: {report['targets_met']}")


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings of ``bench/face.py``'s arguments."""
    folder: Path = args.identify
    faces = args.distractor_faces if args.distractor_faces is not None else folder.parent / "faces-dev"
    return Settings(
        folder=folder,
        distractors=args.distractors,
        distractor_faces=faces,
        candidates=args.candidates,
        probe_frames=args.probe_frames,
        people=args.people,
        sweep=args.sweep,
        upsample=args.upsample,
        seed=args.seed,
    )
