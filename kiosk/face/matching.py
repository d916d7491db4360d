"""1:N identification against a venue's gallery, and agreement over frames.

:class:`Gallery` holds every enrolled template (an ``N x 128`` ``float32``
matrix and the volunteer each row belongs to; a volunteer has several).
:meth:`Gallery.identify` finds the nearest volunteer (the smallest distance
over their templates) and the nearest *other* volunteer, and decides:

- ``ACCEPTED`` only when the best distance is below the operating threshold
  **and** the second volunteer is at least ``margin`` further away;
- ``AMBIGUOUS`` when the best is close enough but the second is too close
  behind (look-alikes, siblings, a poor frame between two people);
- ``UNKNOWN`` otherwise (nobody close enough, or an empty gallery).

A weak or ambiguous match never names anyone: only an accepted
:class:`Match` has a :attr:`Match.volunteer_id`. :class:`FrameAgreement` then
asks for the same accepted volunteer in at least two frames close together
before a check-in is made.

The operating point (measured with ``bench/face.py`` on
``../shared/datasets/faces-dev``, descriptors from
:class:`~kiosk.face.engine.DlibEngine`, the photos' faces found with one
upsampling):

- ``pairs.csv`` (253 pairs, 74 of the same person): same-person distances
  up to 0.525 (the two largest both involve ``alex_lacamoire/2.png``, a
  small, soft picture; the next is 0.441); different people 0.659 and up.
- ``crowd/`` (67 faces, none of them enrolled) against the 6 enrolled people
  (11 templates): the nearest is at **0.597**, then 0.609, 0.630. dlib's
  usual threshold of 0.6 would have checked a stranger in.
- ``probe/`` faces against the gallery: the right person at 0.04 .. 0.43,
  the second volunteer always at least 0.33 further away; the unlabelled
  third face in ``obama+biden.jpg`` is at 0.72.

So :data:`OPERATING_THRESHOLD` is 0.5, 0.1 below the nearest stranger. As a
1:1 check it refuses the 2 pairs at 0.525 (accuracy 251/253 = 99.2 %, no
false accepts); in the gallery the same person is still found through their
other template (13/13 probe faces). A refused volunteer is asked for another
frame, or uses their card. :data:`MARGIN` is 0.1: it costs nothing on
faces-dev (smallest genuine margin 0.33) and refuses a face that sits nearly
as close to a second volunteer (look-alikes, relatives).

The search is one matrix-vector product and two passes over ``N`` floats:
100,000 templates take about 3 ms on one core (``bench/face.py``).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kiosk.face.engine import DESCRIPTOR_SIZE

OPERATING_THRESHOLD = 0.5
"""A match needs a Euclidean distance below this (dlib's own default is 0.6)."""

MARGIN = 0.1
"""... and the nearest other volunteer at least this much further away."""

SEARCH_CHUNK_ROWS = 2048
"""Templates multiplied per BLAS call. OpenBLAS spreads a larger matrix-vector
product over threads, which on the kiosk's 2 cores made a 100,000-template
search 3-4 times slower (and steals the camera thread's core); below about
3,600 rows x 128 it stays on the calling thread."""


class Decision(StrEnum):
    """What a search concluded."""

    ACCEPTED = "accepted"
    """Close to one volunteer and clearly closer to them than to anyone else."""
    UNKNOWN = "unknown"
    """Nobody is close enough (or the gallery is empty)."""
    AMBIGUOUS = "ambiguous"
    """Close enough to someone, but another volunteer is nearly as close."""


@dataclass(frozen=True)
class Match:
    """The result of one search. ``candidate`` is only the nearest volunteer, not an identification."""

    decision: Decision
    candidate: str | None
    """The nearest volunteer (``None`` for an empty gallery), whatever the decision."""
    distance: float
    """The candidate's distance: the smallest over their templates (``inf`` when none)."""
    runner_up: str | None
    """The nearest *other* volunteer (``None`` when the gallery holds fewer than two)."""
    runner_up_distance: float
    """Their distance (``inf`` when there is none)."""

    @property
    def accepted(self) -> bool:
        return self.decision is Decision.ACCEPTED

    @property
    def volunteer_id(self) -> str | None:
        """The identified volunteer: the candidate when accepted, otherwise ``None``."""
        return self.candidate if self.decision is Decision.ACCEPTED else None

    @property
    def margin(self) -> float:
        """How much further the runner-up is than the candidate."""
        return self.runner_up_distance - self.distance


def decide(distance: float, runner_up_distance: float, threshold: float, margin: float) -> Decision:
    """The decision rule on its own (see the module's docstring)."""
    if not distance < threshold:
        return Decision.UNKNOWN
    if runner_up_distance - distance < margin:
        return Decision.AMBIGUOUS
    return Decision.ACCEPTED


@dataclass(frozen=True)
class _Index:
    """An immutable snapshot of the gallery that searches read without a lock."""

    matrix: NDArray[np.float32]  # N x 128, C-contiguous
    squared_norms: NDArray[np.float32]  # N
    owners: NDArray[np.int32]  # N, index into ids
    ids: tuple[str, ...]
    codes: dict[str, int]  # volunteer ID -> index into ids


_EMPTY = _Index(
    np.zeros((0, DESCRIPTOR_SIZE), np.float32), np.zeros(0, np.float32), np.zeros(0, np.int32), (), {}
)


def as_descriptors(values: ArrayLike) -> NDArray[np.float32]:
    """``values`` as a C-contiguous ``k x 128`` ``float32`` matrix (one descriptor becomes ``1 x 128``).

    Raises ``ValueError`` for another width or a value that is not finite."""
    array = np.asarray(values, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.ndim != 2 or array.shape[1] != DESCRIPTOR_SIZE:
        raise ValueError(f"descriptors must have {DESCRIPTOR_SIZE} values, not shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError("descriptors must be finite")
    return np.ascontiguousarray(array)


class Gallery:
    """The venue's enrolled templates, searched 1:N.

    Searches may run on one thread while another thread adds or removes
    volunteers: each search reads an immutable snapshot, and changes build a
    new one under a lock. A change copies the matrix, so load a whole venue
    with :meth:`from_templates` or :meth:`add_many`, not one volunteer at a time.
    """

    def __init__(self, threshold: float = OPERATING_THRESHOLD, margin: float = MARGIN) -> None:
        if not threshold > 0 or margin < 0:
            raise ValueError("the threshold must be > 0 and the margin >= 0")
        self.threshold = threshold
        self.margin = margin
        self._index = _EMPTY
        self._lock = threading.Lock()

    @classmethod
    def from_templates(
        cls,
        owners: Sequence[str],
        templates: ArrayLike,
        threshold: float = OPERATING_THRESHOLD,
        margin: float = MARGIN,
    ) -> Gallery:
        """A gallery of ``templates`` (``N x 128``), row ``i`` belonging to ``owners[i]``."""
        gallery = cls(threshold, margin)
        gallery.add_many(owners, templates)
        return gallery

    def __len__(self) -> int:
        """The number of templates."""
        return len(self._index.owners)

    def __contains__(self, volunteer_id: object) -> bool:
        return volunteer_id in self._index.codes

    @property
    def volunteers(self) -> tuple[str, ...]:
        """The volunteers who have templates, in the order they were added."""
        return self._index.ids

    def templates_of(self, volunteer_id: str) -> NDArray[np.float32]:
        """A copy of ``volunteer_id``'s templates (``k x 128``; ``0 x 128`` when unknown)."""
        index = self._index
        code = index.codes.get(volunteer_id)
        if code is None:
            return np.zeros((0, DESCRIPTOR_SIZE), np.float32)
        rows: NDArray[np.float32] = index.matrix[index.owners == code]  # boolean indexing copies
        return rows

    def add(self, volunteer_id: str, templates: ArrayLike) -> None:
        """Add one or more templates (``128`` or ``k x 128``) for ``volunteer_id``."""
        matrix = as_descriptors(templates)
        self.add_many([volunteer_id] * len(matrix), matrix)

    def add_many(self, owners: Sequence[str], templates: ArrayLike) -> None:
        """Add ``templates`` (``N x 128``), row ``i`` belonging to ``owners[i]``."""
        matrix = _matrix_for(owners, templates)
        with self._lock:
            self._index = _with(self._index, owners, matrix)

    def replace(self, volunteer_id: str, templates: ArrayLike) -> None:
        """Make ``templates`` the only templates of ``volunteer_id`` (a new enrolment), in one step."""
        matrix = as_descriptors(templates)
        with self._lock:
            self._index = _with(_without(self._index, {volunteer_id}), [volunteer_id] * len(matrix), matrix)

    def remove(self, volunteer_ids: str | Iterable[str]) -> int:
        """Forget these volunteers' templates; returns how many templates went."""
        gone = {volunteer_ids} if isinstance(volunteer_ids, str) else set(volunteer_ids)
        with self._lock:
            before = len(self._index.owners)
            self._index = _without(self._index, gone)
            return before - len(self._index.owners)

    def identify(self, descriptor: ArrayLike) -> Match:
        """Search the gallery for ``descriptor`` (128 values) and decide (see the module's docstring)."""
        query = as_descriptors(descriptor)[0]
        index = self._index
        count = len(index.owners)
        if count == 0:
            return Match(Decision.UNKNOWN, None, math.inf, None, math.inf)
        # |t - q|^2 = |t|^2 - 2 t.q + |q|^2; |q|^2 is the same for every row, added at the end.
        products = np.empty(count, np.float32)
        for start in range(0, count, SEARCH_CHUNK_ROWS):
            stop = start + SEARCH_CHUNK_ROWS
            np.dot(index.matrix[start:stop], query, out=products[start:stop])
        partial = index.squared_norms - 2 * products
        best_row = int(np.argmin(partial))
        best_code = int(index.owners[best_row])
        query_norm = float(query @ query)
        distance = _distance(float(partial[best_row]) + query_norm)
        others = np.where(index.owners == best_code, np.inf, partial)
        runner_row = int(np.argmin(others))
        if math.isinf(float(others[runner_row])):
            runner_up, runner_up_distance = None, math.inf
        else:
            runner_up = index.ids[int(index.owners[runner_row])]
            runner_up_distance = _distance(float(others[runner_row]) + query_norm)
        decision = decide(distance, runner_up_distance, self.threshold, self.margin)
        return Match(decision, index.ids[best_code], distance, runner_up, runner_up_distance)


class FrameAgreement:
    """Confirm a volunteer only when the same accepted match holds over several frames.

    Feed it every processed frame's result with :meth:`observe`: the
    :class:`Match` of the face being identified, or ``None`` when the frame
    had no usable face. It returns the volunteer's ID when the same volunteer
    was accepted in ``frames`` frames in a row, the first at most ``window``
    before the last; anything else in between (another volunteer, an unknown
    or ambiguous result, no face) starts over. After a confirmation it starts
    over too, so a volunteer who stays in view is confirmed again after
    ``frames`` more frames: the caller debounces repeats (a
    :class:`~kiosk.camera.ScanGate` on the volunteer ID does).

    Pure: ``at`` is the caller's clock, in any unit that grows (monotonic
    seconds, or a frame counter with ``window`` in frames).
    """

    def __init__(self, frames: int = 2, window: float = 1.0) -> None:
        if frames < 1 or window < 0:
            raise ValueError("frames must be >= 1 and window >= 0")
        self.frames = frames
        self.window = window
        self._volunteer: str | None = None
        self._times: list[float] = []

    @property
    def pending(self) -> tuple[str | None, int]:
        """The volunteer being confirmed and how many agreeing frames they have so far."""
        return self._volunteer, len(self._times)

    def reset(self) -> None:
        """Start over (the screen changed, say)."""
        self._volunteer = None
        self._times = []

    def observe(self, match: Match | None, at: float) -> str | None:
        """Record one frame's result at ``at``; the volunteer's ID when this frame confirms them."""
        volunteer = match.volunteer_id if match is not None else None
        if volunteer is None:
            self.reset()
            return None
        if volunteer != self._volunteer or (self._times and at < self._times[-1]):
            self._volunteer, self._times = volunteer, []
        self._times.append(at)
        self._times = [seen for seen in self._times if seen >= at - self.window]
        if len(self._times) >= self.frames:
            self.reset()
            return volunteer
        return None


def _matrix_for(owners: Sequence[str], templates: ArrayLike) -> NDArray[np.float32]:
    matrix = as_descriptors(templates) if len(owners) else np.zeros((0, DESCRIPTOR_SIZE), np.float32)
    if len(owners) != len(matrix):
        raise ValueError(f"{len(owners)} owners for {len(matrix)} templates")
    return matrix


def _build(matrix: NDArray[np.float32], owners: NDArray[np.int32], ids: Sequence[str]) -> _Index:
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    squared_norms = np.einsum("ij,ij->i", matrix, matrix).astype(np.float32)
    ids = tuple(ids)
    codes = {volunteer_id: code for code, volunteer_id in enumerate(ids)}
    return _Index(matrix, squared_norms, np.ascontiguousarray(owners, dtype=np.int32), ids, codes)


def _with(index: _Index, owners: Sequence[str], matrix: NDArray[np.float32]) -> _Index:
    if not len(owners):
        return index
    ids = list(index.ids)
    codes = dict(index.codes)
    new_owners = np.empty(len(owners), np.int32)
    for row, volunteer_id in enumerate(owners):
        code = codes.get(volunteer_id)
        if code is None:
            code = codes[volunteer_id] = len(ids)
            ids.append(volunteer_id)
        new_owners[row] = code
    return _build(np.concatenate([index.matrix, matrix]), np.concatenate([index.owners, new_owners]), ids)


def _without(index: _Index, gone: set[str]) -> _Index:
    gone_codes = [index.codes[volunteer_id] for volunteer_id in gone if volunteer_id in index.codes]
    if not gone_codes:
        return index
    keep_rows = ~np.isin(index.owners, gone_codes)
    kept_ids = [volunteer_id for volunteer_id in index.ids if volunteer_id not in gone]
    remap = np.full(len(index.ids), -1, np.int32)
    for new_code, volunteer_id in enumerate(kept_ids):
        remap[index.codes[volunteer_id]] = new_code
    return _build(index.matrix[keep_rows], remap[index.owners[keep_rows]], kept_ids)


def _distance(squared: float) -> float:
    return math.sqrt(max(0.0, squared))
