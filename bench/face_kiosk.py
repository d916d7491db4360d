"""Face check-in on the kiosk screen: from the first frame a volunteer is in view to the check-in committed.

    python bench/face.py --kiosk [--dataset ../shared/datasets/faces-dev] [--photos 11] [--json]

For each enrol photo of faces-dev, a person is rendered in front of the
kiosk's camera (:mod:`kiosk.face.synthetic`: 640 x 480, sensor noise, a
little sway) and played at ``--fps`` (15) through the real
:class:`~kiosk.face.session.IdentifySession` with the real dlib engine, on a
simulated clock that runs as the face thread would: frames arrive at the
camera's rate, the session always takes the newest one when it is free
(older ones are dropped, as ``LatestFrame`` does), and each frame costs
what its ``feed`` really took here (``time.perf_counter``). The person looks
at the screen and, ``--reaction`` seconds (0.5) after the turn prompt first
shows, turns their head as asked (25 degrees over 0.7 s, holds 0.6 s, comes
back over 0.7 s). When the session says IDENTIFIED,
``ScanService.handle_face`` checks the volunteer in on a real SQLite store
(WAL, ``synchronous=FULL``) and its time is added.

Reported, median and p95 over the photos:

- ``identify_ms``: liveness off (``[face] liveness = "off"``): first frame
  to check-in committed: two agreeing frames and the commit.
- ``kiosk_ms``: liveness on (the default): first frame to committed,
  with the challenge; split into ``to_challenge_ms`` (the two agreeing
  frames and the baseline: when the turn prompt shows), ``turn_ms`` (from
  the prompt to the end of the liveness check: the person's reaction and
  the turn itself) and ``final_ms`` (the final look and the commit).
- ``challenge_adds_ms``: ``kiosk_ms - identify_ms``.
- ``ms_looking_frame`` / ``ms_challenge_frame``: the cost of a frame while
  identifying (detect, landmarks, quality, descriptor, search) and while
  following the turn (detection near the face and landmarks only).

The simulation leaves out what else shares the CPU on a kiosk (capture, the
QR decoder on the same frames, painting): on two cores the face thread
mostly has one to itself, but a busy decoder slows it. The gallery holds
every enrol photo (the rendered person's own photo among them), so the
distances are optimistic; the latency does not depend on them.
"""

from __future__ import annotations

import math
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from checkin_protocol.models import Activity, ActivityStatus, OrgLevel
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.face import synthetic
from kiosk.face.engine import DlibEngine, find_faces
from kiosk.face.guidance import Guidance
from kiosk.face.liveness import LivenessSettings, direction_sign, pick_challenge
from kiosk.face.matching import Gallery
from kiosk.face.session import FacePhase, IdentifySession
from kiosk.services.outcome import OutcomeKind
from kiosk.store.activities import save_activity, set_activity_status

Frame = NDArray[np.uint8]
POLL_S = 0.005  # the face worker looks for a new frame every 10 ms: half of that on average
TURN_START_S = 1.0  # the render's head starts turning here; before it, the person looks ahead
LIMIT_S = 20.0


@dataclass
class Person:
    """A rendered person who looks at the screen and turns when told, on the simulated clock."""

    ahead: list[Frame]
    turn: list[Frame]
    tail: list[Frame]
    fps: float
    turn_at: float | None = None

    def frame_at(self, t: float) -> Frame:
        """The frame the camera captured at ``t`` (seconds since the person came into view)."""
        index = math.floor(t * self.fps + 1e-9)
        if self.turn_at is None or t < self.turn_at:
            return self.ahead[index % len(self.ahead)]
        step = math.floor((t - self.turn_at) * self.fps + 1e-9)
        if step < len(self.turn):
            return self.turn[step]
        return self.tail[(step - len(self.turn)) % len(self.tail)]


def render_person(image: Frame, face: synthetic.DetectedFace, yaw_deg: float, fps: float) -> Person:
    frames = [
        f.image
        for f in synthetic.head_turn_sequence(
            image, face, yaw_deg, seconds=3.5, fps=fps, start_s=TURN_START_S
        )
    ]
    start = round(TURN_START_S * fps)
    ahead, rest = frames[:start], frames[start:]
    tail = rest[-round(0.4 * fps) :]
    return Person(ahead + ahead[-2:0:-1], rest, tail + tail[-2:0:-1], fps)


@dataclass
class Run:
    """One person's way from the first frame to the check-in, on the simulated clock (seconds)."""

    identified_at: float | None = None
    committed_at: float | None = None
    turn_prompt_at: float | None = None
    looking_costs: list[float] = field(default_factory=list)
    challenge_costs: list[float] = field(default_factory=list)
    volunteer_id: str | None = None
    refused: str | None = None
    """Why the attempt ended without a check-in (the refusal, and the liveness result if any)."""


def simulate(
    session: IdentifySession, person: Person, reaction_s: float, check_in: Callable[[str], None]
) -> Run:
    """Play ``person`` to ``session`` as the face thread would; ``check_in(volunteer_id)`` commits."""
    run = Run()
    t, last_index = 0.0, -1
    while t < LIMIT_S:
        index = math.floor(t * person.fps + 1e-9)
        if index == last_index:  # nothing new: wait for the next frame
            t = (index + 1) / person.fps + POLL_S
            continue
        last_index = index
        stage = session.stage
        started = time.perf_counter()
        update = session.feed(person.frame_at(index / person.fps), t)
        cost = time.perf_counter() - started
        (run.challenge_costs if stage == "challenge" else run.looking_costs).append(cost)
        t += cost
        if update is None:
            continue
        if update.guidance in (Guidance.TURN_LEFT, Guidance.TURN_RIGHT) and run.turn_prompt_at is None:
            run.turn_prompt_at = t
            person.turn_at = t + reaction_s
        if update.phase is FacePhase.REFUSED:
            run.refused = f"{update.refusal}" + (f" ({update.liveness})" if update.liveness else "")
            break
        if update.phase is FacePhase.IDENTIFIED:
            run.identified_at, run.volunteer_id = t, update.volunteer_id
            started = time.perf_counter()
            check_in(update.volunteer_id or "")
            run.committed_at = t + time.perf_counter() - started
            break
    return run


def enrol_gallery(dataset: Path) -> tuple[Gallery, list[Path]]:
    engine = DlibEngine(upsample=1)
    photos = sorted(
        p for p in (dataset / "enroll").glob("*/*") if p.suffix.lower() in (".jpg", ".jpeg", ".png")
    )
    owners, rows = [], []
    for path in photos:
        image = read(path)
        faces = find_faces(engine, image)
        if faces:
            owners.append(path.parent.name)
            rows.append(engine.describe(image, faces[0]))
    return Gallery.from_templates(owners, np.stack(rows)), photos


def read(path: Path) -> Frame:
    image = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"cannot read {path}")
    return np.asarray(image, dtype=np.uint8)


def stats_ms(values: Sequence[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered) * 1000), round(p95 * 1000)


def open_activity(kiosk: Kiosk, number: int) -> str:
    """A fresh open activity, so that every run is a check-in (not a duplicate of the last one)."""
    now = datetime.now(UTC)
    activity = Activity(
        activity_id=f"ABENCH{number}",
        title="图书馆阅读推广志愿服务",
        org_name="江城市志愿服务联合会",
        org_level=OrgLevel.CITY,
        venue="江城市图书馆",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=12),
        category="文化服务",
        status=ActivityStatus.OPEN,
    )
    with kiosk.store.write() as db:
        save_activity(db, activity)
        set_activity_status(db, activity.activity_id, ActivityStatus.OPEN)
    return activity.activity_id


def checker(kiosk: Kiosk, activity_id: str) -> Callable[[str], None]:
    """What the writer thread does with an identification: check the volunteer in, durably."""

    def check_in(volunteer_id: str) -> None:
        outcome = kiosk.scanning.handle_face(volunteer_id, activity_id)
        if outcome.kind is not OutcomeKind.CHECKED_IN:
            raise SystemExit(f"the face check-in was not stored: {outcome}")

    return check_in


def measure(dataset: Path, photos_wanted: int, fps: float, reaction_s: float, seed: int) -> dict[str, Any]:
    """Render each photo's person, run them through the session with liveness off and on, and summarise."""
    gallery, photos = enrol_gallery(dataset)
    photos = photos[:photos_wanted]
    engine = DlibEngine()
    engine.load()
    reader = synthetic.FaceReader()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kiosk-face-bench-") as tmp:
        kiosk = build_kiosk(load_config(DataDir(Path(tmp), "cli"), env={}))
        for number, path in enumerate([photos[0], *photos]):  # the first run warms up and is dropped
            image = read(path)
            face = reader.read(image)
            if face is None:
                continue
            challenge = pick_challenge(random.Random(seed + number))  # the session's first draw, below
            person = render_person(image, face, 25.0 * direction_sign(challenge), fps)
            plain_session = IdentifySession(engine, gallery, liveness=None)
            plain = simulate(
                plain_session, person, reaction_s, checker(kiosk, open_activity(kiosk, 2 * number))
            )
            person.turn_at = None
            live_session = IdentifySession(
                engine, gallery, liveness=LivenessSettings(), rng=random.Random(seed + number)
            )
            live = simulate(
                live_session, person, reaction_s, checker(kiosk, open_activity(kiosk, 2 * number + 1))
            )
            if number > 0:
                rows.append((path, plain, live))
        kiosk.close()
    return summarise(rows, fps, reaction_s)


def summarise(rows: list[tuple[Path, Run, Run]], fps: float, reaction_s: float) -> dict[str, Any]:
    identify = [p.committed_at for _, p, _ in rows if p.committed_at is not None]
    kiosk = [v.committed_at for _, _, v in rows if v.committed_at is not None]
    to_challenge = [v.turn_prompt_at for _, _, v in rows if v.turn_prompt_at is not None and v.committed_at]
    turn = [v.identified_at - v.turn_prompt_at for _, _, v in rows if v.identified_at and v.turn_prompt_at]
    adds = [v.committed_at - p.committed_at for _, p, v in rows if v.committed_at and p.committed_at]
    looking = [c for _, p, v in rows for c in (*p.looking_costs, *v.looking_costs)]
    challenge = [c for _, _, v in rows for c in v.challenge_costs]
    report: dict[str, Any] = {"fps": fps, "reaction_s": reaction_s, "people": len(rows)}
    for name, values in (
        ("identify_ms", identify),
        ("kiosk_ms", kiosk),
        ("to_challenge_ms", to_challenge),
        ("turn_ms", turn),
        ("challenge_adds_ms", adds),
        ("ms_looking_frame", looking),
        ("ms_challenge_frame", challenge),
    ):
        report[name], report[f"{name}_p95"] = stats_ms(values)
    report["identified_plain"] = sum(p.volunteer_id == path.parent.name for path, p, _ in rows)
    report["identified_live"] = sum(v.volunteer_id == path.parent.name for path, _, v in rows)
    report["wrong"] = sum(
        r.volunteer_id not in (None, path.parent.name) for path, p, v in rows for r in (p, v)
    )
    report["runs"] = [
        {
            "photo": f"{path.parent.name}/{path.name}",
            "identify_ms": None if p.committed_at is None else round(p.committed_at * 1000),
            "kiosk_ms": None if v.committed_at is None else round(v.committed_at * 1000),
            "turn_prompt_ms": None if v.turn_prompt_at is None else round(v.turn_prompt_at * 1000),
            "refused": p.refused or v.refused,
        }
        for path, p, v in rows
    ]
    return report


def print_report(report: dict[str, Any]) -> None:
    print(
        f"face check-in on the kiosk screen: {report['people']} people rendered at {report['fps']:g} fps,"
        f" turning {report['reaction_s']:g} s after the prompt"
    )
    print(f"  {'photo':<28}{'identify ms':>12}{'kiosk ms':>10}{'turn prompt ms':>16}")
    for run in report["runs"]:
        print(
            f"  {run['photo']:<28}{run['identify_ms']!s:>12}{run['kiosk_ms']!s:>10}{run['turn_prompt_ms']!s:>16}"
        )
    print(
        f"  identified: {report['identified_plain']}/{report['people']} with liveness off,"
        f" {report['identified_live']}/{report['people']} with it on; {report['wrong']} wrong"
    )
    for name, label in (
        ("identify_ms", "first frame -> committed, liveness off"),
        ("kiosk_ms", "first frame -> committed, liveness on"),
        ("to_challenge_ms", "  first frame -> turn prompt shown"),
        ("turn_ms", "  turn prompt -> liveness passed and final look"),
        ("challenge_adds_ms", "what the challenge adds"),
        ("ms_looking_frame", "a frame while identifying"),
        ("ms_challenge_frame", "a frame while following the turn"),
    ):
        print(f"  {label:<48} median {report[name]!s:>6} ms   p95 {report[f'{name}_p95']!s:>6} ms")
