"""1:N identification against the area's gallery: who is nearest, and is that enough to name them.

:class:`Gallery` holds every enrolled template (an ``N x 128`` ``float32``
matrix and the volunteer each row belongs to; a volunteer has several).
:meth:`Gallery.identify` finds the nearest volunteer (the smallest distance
over their templates) and the nearest *other* volunteer, and decides:

- ``ACCEPTED`` only when the best distance is below the operating threshold
  **and** the second volunteer is at least the candidate's margin further away;
- ``AMBIGUOUS`` when the best is close enough but the second is too close
  behind (look-alikes, siblings, a poor frame between two people), or the
  nearest is a volunteer who checks in by QR code only (see below);
- ``UNKNOWN`` otherwise (nobody close enough, or an empty gallery).

A weak or ambiguous match never names anyone: only an accepted
:class:`Match` has a :attr:`Match.volunteer_id`.

**The margin depends on the candidate's neighbours** (:class:`MarginRule`):
a volunteer whose nearest other enrolled volunteer is close (within
:attr:`MarginRule.crowded_below`) must win by more, one far from everyone
by the base margin. Each volunteer's nearest neighbour is measured once per
gallery, the first time it can change a decision about them (a search of
their few templates against the gallery, about 3 ms each at 100,000).

**Candidates first** (:class:`Candidates`): the kiosk knows who is likely
in front of it (the volunteers on site, those signed up for the open
activity, those who came here lately). The tiers are searched in order
before the whole gallery: within a tier the runner-up is the nearest *other
volunteer of the tier*, and a tier accepts its candidate only when nobody
outside it is as close (within :data:`OUTSIDER_MARGIN`); a tier with nobody
close enough hands over to the next; an ambiguous tier ends the search. The
whole gallery comes last, with the full rule. A face is therefore never
named when someone outside the tier is nearer, and a tier only relaxes whom
the margin is measured against.

**QR-code-only volunteers** (``qr_only``): two people the model cannot tell
apart, found at enrolment (docs/face.md). The newcomer's templates stay in
the gallery so that their face is never taken for their look-alike, but they
are never named: a search whose nearest is one of them is ``AMBIGUOUS``.

The operating point is chosen with ``bench/face.py --identify`` on both
face sets (``faces-dev`` and ``faces-east-asia`` with 0 to 3,000
distractors, three seeds; docs/face.md has the curves and the figures).
Safety comes first: no wrong volunteer and no stranger accepted in any of
about 1,300 stranger attempts. :data:`OPERATING_THRESHOLD` is 0.48 (dlib's
usual 0.6 accepts 41.6 % of different East Asian pairs, 0.5 accepts 4.7 %),
the base margin :data:`MARGIN` 0.1 for a volunteer with nobody else within
0.5, and 0.025 more for every 0.1 their nearest neighbour is closer
(:data:`DEFAULT_MARGINS`; in a gallery of a thousand East Asian faces the
nearest neighbour is about 0.4 away, so about 0.125). A flat base margin of
0.06 would identify half as many again but accepted 4 and 6 of 216
strangers at gallery sizes of 100 and 300 (up to 17 with candidates
first). With East Asian faces the margin, not the threshold, decides: in a
gallery of a thousand every probe's nearest distractor is under 0.44.
On faces-dev the genuine margins are all over 0.33, so nothing changes there.

The search is one matrix-vector product and two passes over ``N`` floats:
100,000 templates take about 3 ms on one core (``bench/face.py``).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from kiosk.face.engine import DESCRIPTOR_SIZE

OPERATING_THRESHOLD = 0.48
"""A match needs a Euclidean distance below this (dlib's own default is 0.6)."""

MARGIN = 0.1
"""The base margin: the nearest other volunteer must be at least this much further away."""

OUTSIDER_MARGIN = 0.0
"""Within a tier of candidates, nobody outside the tier may be closer than the candidate plus this."""

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
    """Close enough to someone, but another volunteer is nearly as close (or the nearest is QR-only)."""


@dataclass(frozen=True)
class MarginRule:
    """How much the candidate must win by, from how close their own nearest neighbour is.

    ``margin(nearest_other)`` is :attr:`base` when the candidate's nearest
    other enrolled volunteer is at least :attr:`crowded_below` away, and
    grows by :attr:`slope` per unit closer, up to :attr:`most`.
    """

    base: float = MARGIN
    crowded_below: float = 0.5
    slope: float = 0.25
    most: float = 0.3

    def margin(self, nearest_other: float) -> float:
        """The margin a candidate whose nearest other volunteer is ``nearest_other`` away must win by."""
        if not math.isfinite(nearest_other):
            return self.base
        extra = self.slope * max(0.0, self.crowded_below - nearest_other)
        return min(self.most, self.base + extra)


DEFAULT_MARGINS = MarginRule()
"""The kiosk's margin rule (chosen with ``bench/face.py``, docs/face.md)."""


@dataclass(frozen=True)
class Candidates:
    """Who is likely in front of the kiosk, most likely first: tiers searched before the whole gallery."""

    tiers: tuple[frozenset[str], ...] = ()

    @classmethod
    def of(cls, *tiers: Iterable[str]) -> Candidates:
        """Tiers in order; a volunteer in an earlier tier is left out of the later ones, empty tiers go."""
        seen: set[str] = set()
        kept: list[frozenset[str]] = []
        for tier in tiers:
            fresh = frozenset(tier) - seen
            seen |= fresh
            if fresh:
                kept.append(fresh)
        return cls(tuple(kept))


@dataclass(frozen=True)
class Match:
    """The result of one search. ``candidate`` is only the nearest volunteer, not an identification."""

    decision: Decision
    candidate: str | None
    """The nearest volunteer (``None`` for an empty gallery), whatever the decision."""
    distance: float
    """The candidate's distance: the smallest over their templates (``inf`` when none)."""
    runner_up: str | None
    """The nearest *other* volunteer the decision weighed (``None`` when there is none)."""
    runner_up_distance: float
    """Their distance (``inf`` when there is none)."""
    required_margin: float = MARGIN
    """The margin this candidate had to win by (see :class:`MarginRule`); the base margin when their
    neighbours could not change the decision (a margin under the base, or over the rule's most)."""
    tier: int | None = None
    """The tier of :class:`Candidates` that decided (0 first), ``None`` for the whole gallery."""

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
    nearest_other: dict[int, float] = field(default_factory=dict)
    """Volunteer code -> distance to their nearest other volunteer, filled in as they become candidates."""


_EMPTY = _Index(
    np.zeros((0, DESCRIPTOR_SIZE), np.float32), np.zeros(0, np.float32), np.zeros(0, np.int32), (), {}
)


@dataclass(frozen=True)
class _Nearest:
    """The nearest volunteer among some rows and the nearest other one (codes, squared partial distances)."""

    code: int
    partial: float
    runner_code: int
    runner_partial: float


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
    """The area's enrolled templates, searched 1:N.

    Searches may run on one thread while another thread adds or removes
    volunteers: each search reads an immutable snapshot, and changes build a
    new one under a lock. A change copies the matrix, so load a whole area
    with :meth:`from_templates` or :meth:`add_many`, not one volunteer at a time.
    """

    def __init__(
        self,
        threshold: float = OPERATING_THRESHOLD,
        margin: float | MarginRule = DEFAULT_MARGINS,
        *,
        qr_only: Iterable[str] = (),
        outsider_margin: float = OUTSIDER_MARGIN,
    ) -> None:
        rule = margin if isinstance(margin, MarginRule) else replace(DEFAULT_MARGINS, base=margin, slope=0.0)
        if not threshold > 0 or rule.base < 0 or rule.slope < 0 or outsider_margin < 0:
            raise ValueError("the threshold must be > 0 and the margins >= 0")
        self.threshold = threshold
        self.margins = rule
        self.outsider_margin = outsider_margin
        self.qr_only = frozenset(qr_only)
        """Volunteers whose templates only stop their face being taken for someone else: never named."""
        self._index = _EMPTY
        self._lock = threading.Lock()

    @property
    def margin(self) -> float:
        """The base margin (see :class:`MarginRule`)."""
        return self.margins.base

    @classmethod
    def from_templates(
        cls,
        owners: Sequence[str],
        templates: ArrayLike,
        threshold: float = OPERATING_THRESHOLD,
        margin: float | MarginRule = DEFAULT_MARGINS,
        *,
        qr_only: Iterable[str] = (),
        outsider_margin: float = OUTSIDER_MARGIN,
    ) -> Gallery:
        """A gallery of ``templates`` (``N x 128``), row ``i`` belonging to ``owners[i]``."""
        gallery = cls(threshold, margin, qr_only=qr_only, outsider_margin=outsider_margin)
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

    def nearest_other(self, volunteer_id: str) -> float:
        """The distance from ``volunteer_id``'s templates to the nearest other volunteer's (``inf`` if none)."""
        index = self._index
        code = index.codes.get(volunteer_id)
        return math.inf if code is None else _nearest_other(index, code)

    def required_margin(self, volunteer_id: str) -> float:
        """The margin ``volunteer_id`` must win by, from their nearest neighbour (see :class:`MarginRule`)."""
        return self.margins.margin(self.nearest_other(volunteer_id))

    def neighbours(self, templates: ArrayLike, count: int = 3) -> list[tuple[str, float]]:
        """The ``count`` volunteers nearest to any of ``templates``, nearest first: ``(ID, distance)``.

        For an enrolment: is this face already enrolled under someone else, and how close is the nearest?
        """
        queries = as_descriptors(templates)
        index = self._index
        if not len(index.owners):
            return []
        best = np.full(len(index.ids), np.inf, np.float64)
        for query in queries:
            partial = _partial_distances(index, query)
            squared = partial.astype(np.float64) + float(query @ query)
            np.minimum.at(best, index.owners, squared)
        order = np.argsort(best)[:count]
        return [(index.ids[int(code)], _distance(float(best[code]))) for code in order]

    def identify(self, descriptor: ArrayLike, candidates: Candidates | None = None) -> Match:
        """Search the gallery for ``descriptor`` (128 values), ``candidates``' tiers first, and decide."""
        query = as_descriptors(descriptor)[0]
        index = self._index
        if len(index.owners) == 0:
            return Match(Decision.UNKNOWN, None, math.inf, None, math.inf)
        partial = _partial_distances(index, query)
        query_norm = float(query @ query)
        for number, tier in enumerate(candidates.tiers if candidates is not None else ()):
            codes = [index.codes[v] for v in tier if v in index.codes]
            if not codes:
                continue
            in_tier = np.isin(index.owners, codes)
            if in_tier.all():
                break  # the tier is the whole gallery: decide below
            inside = _nearest(index, np.where(in_tier, partial, np.inf))
            distance = _distance(inside.partial + query_norm)
            if not distance < self.threshold:
                continue  # nobody of this tier is close enough: the next tier
            outside = float(np.min(np.where(in_tier, np.inf, partial)))
            if _distance(outside + query_norm) < distance + self.outsider_margin:
                continue  # someone outside the tier is as close: let a wider search decide
            return self._decided(index, inside, query_norm, number)
        return self._decided(index, _nearest(index, partial), query_norm, None)

    def _decided(self, index: _Index, nearest: _Nearest, query_norm: float, tier: int | None) -> Match:
        candidate = index.ids[nearest.code]
        distance = _distance(nearest.partial + query_norm)
        if math.isinf(nearest.runner_partial):
            runner_up, runner_up_distance = None, math.inf
        else:
            runner_up = index.ids[nearest.runner_code]
            runner_up_distance = _distance(nearest.runner_partial + query_norm)
        required = self.margins.base
        margin = runner_up_distance - distance
        if distance < self.threshold and self.margins.base <= margin < self.margins.most:
            # only here can the candidate's neighbours change the decision: measure them (once per gallery)
            required = self.margins.margin(_nearest_other(index, nearest.code))
        decision = decide(distance, runner_up_distance, self.threshold, required)
        if decision is Decision.ACCEPTED and candidate in self.qr_only:
            decision = Decision.AMBIGUOUS
        return Match(decision, candidate, distance, runner_up, runner_up_distance, required, tier)


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


def _partial_distances(index: _Index, query: NDArray[np.float32]) -> NDArray[np.float32]:
    """``|t|^2 - 2 t.q`` for every template ``t``: the squared distance less ``|q|^2`` (the same for all rows)."""
    count = len(index.owners)
    products = np.empty(count, np.float32)
    for start in range(0, count, SEARCH_CHUNK_ROWS):
        stop = start + SEARCH_CHUNK_ROWS
        np.dot(index.matrix[start:stop], query, out=products[start:stop])
    partial: NDArray[np.float32] = index.squared_norms - 2 * products
    return partial


def _nearest(index: _Index, partial: NDArray[np.float32]) -> _Nearest:
    """The nearest volunteer over the finite entries of ``partial`` and the nearest other one."""
    best_row = int(np.argmin(partial))
    best_code = int(index.owners[best_row])
    others = np.where(index.owners == best_code, np.inf, partial)
    runner_row = int(np.argmin(others))
    return _Nearest(
        best_code, float(partial[best_row]), int(index.owners[runner_row]), float(others[runner_row])
    )


def _nearest_other(index: _Index, code: int) -> float:
    """The distance from volunteer ``code``'s templates to the nearest other volunteer's, cached on the snapshot."""
    known = index.nearest_other.get(code)
    if known is not None:
        return known
    mine = index.owners == code
    theirs = ~mine
    if not theirs.any():
        nearest = math.inf
    else:
        nearest = math.inf
        for template in index.matrix[mine]:
            partial = np.where(theirs, _partial_distances(index, template), np.inf)
            nearest = min(nearest, _distance(float(np.min(partial)) + float(template @ template)))
    index.nearest_other[code] = nearest  # a benign race: two threads compute the same number
    return nearest


def _distance(squared: float) -> float:
    return math.sqrt(max(0.0, squared))
