"""Synthetic gallery identities for ``bench/face.py --distractors``: a Gaussian stand-in for a city's volunteers.

A real area enrols 1,000 or 10,000 volunteers; the face sets here hold a few
dozen people. To measure 1:N at a real gallery size, the bench fills the
gallery with *distractors*: every real face it has that is not in the set
first, then synthetic identities drawn from a model of the set's own
descriptors (the population the kiosk meets):

- the **identity means** (one per person: the mean of their photos'
  descriptors) give the population mean and the *between-identity*
  covariance; a synthetic identity's centre is drawn from that Gaussian;
- each photo's deviation from its identity's mean gives the
  *within-identity* covariance; a synthetic identity's templates are its
  centre plus a draw from that Gaussian (2 per identity, like an enrolment);
- with a few dozen people both covariances are singular (at most one
  dimension per person or photo), so both are shrunk toward a scaled
  identity matrix by the same ``λ``: ``(1 - λ) S + λ tr(S) / 128 I``;
- ``λ`` is **calibrated** (:func:`calibrate`, by bisection) so that the
  share of (synthetic template, real photo) distances under 0.5 equals the
  share of real different-person photo pairs under 0.5: a synthetic
  identity is as often confused with a real photo as another real person is.

What they are not: real people. They match the set's first two moments and
its confusion rate at the operating threshold, nothing more; real faces
cluster (families, look-alikes, a region's features) in ways a Gaussian
does not, and a set of 18 people says little about the tails. Figures with
synthetic distractors are an estimate of how a larger gallery crowds the
real probes, not a measurement on a real population.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

DESCRIPTOR_SIZE = 128
TEMPLATES_PER_IDENTITY = 2
CONFUSION_DISTANCE = 0.5
"""The distance at which the confusion rate is matched (the kiosk's operating threshold)."""
CALIBRATION_IDENTITIES = 1000
"""Synthetic identities drawn (once, seeded) to measure the share for a trial ``λ``."""
BISECTION_STEPS = 20
"""λ to within 1e-6: far finer than the share can tell apart."""

Vectors = NDArray[np.float64]


@dataclass(frozen=True)
class PopulationModel:
    """The Gaussian model of a set's descriptors, before shrinkage."""

    mean: Vectors
    """The population mean: the mean of the identity means (128)."""
    between: Vectors
    """The covariance of the identity means (128 x 128)."""
    within: Vectors
    """The covariance of each photo's deviation from its identity's mean (128 x 128)."""
    photos: Vectors
    """Every real photo's descriptor (``n x 128``), for calibration."""
    different_under: float
    """The share of real different-person photo pairs closer than :data:`CONFUSION_DISTANCE`."""

    @cached_property
    def spectra(self) -> tuple[Spectrum, Spectrum]:
        """The between- and within-identity covariances' eigen-decompositions."""
        return Spectrum.of(self.between), Spectrum.of(self.within)


def fit(descriptors: Mapping[str, Sequence[NDArray[np.float32]]]) -> PopulationModel:
    """The model of ``descriptors`` (person -> their photos' descriptors); at least 2 people with photos."""
    people = [np.asarray(rows, np.float64).reshape(-1, DESCRIPTOR_SIZE) for rows in descriptors.values()]
    people = [rows for rows in people if len(rows)]
    if len(people) < 2:
        raise ValueError("the model needs the photos of at least 2 people")
    means = np.stack([rows.mean(axis=0) for rows in people])
    deviations = np.concatenate([rows - rows.mean(axis=0) for rows in people])
    photos = np.concatenate(people)
    owners = np.concatenate([np.full(len(rows), i) for i, rows in enumerate(people)])
    return PopulationModel(
        mean=means.mean(axis=0),
        between=np.cov(means, rowvar=False),
        within=deviations.T @ deviations / max(1, len(deviations) - len(people)),
        photos=photos,
        different_under=different_pairs_under(photos, owners),
    )


def different_pairs_under(
    photos: Vectors, owners: NDArray[np.int_], distance: float = CONFUSION_DISTANCE
) -> float:
    """The share of pairs of photos of different people closer than ``distance``."""
    distances = pairwise(photos, photos)
    different = owners[:, None] != owners[None, :]
    upper = np.triu(np.ones_like(different), k=1)
    pairs = different & upper
    return float((distances[pairs] < distance).mean()) if pairs.any() else 0.0


def pairwise(a: Vectors, b: Vectors) -> Vectors:
    """Euclidean distances between every row of ``a`` and every row of ``b``."""
    squared = (a * a).sum(axis=1)[:, None] + (b * b).sum(axis=1)[None, :] - 2 * a @ b.T
    distances: Vectors = np.sqrt(np.maximum(squared, 0.0))
    return distances


def shrunk(covariance: Vectors, shrinkage: float) -> Vectors:
    """``(1 - λ) S + λ tr(S) / 128 I``: ``S`` pulled toward the isotropic matrix of the same total variance."""
    size = len(covariance)
    target: Vectors = np.trace(covariance) / size * np.eye(size)
    mixed: Vectors = (1 - shrinkage) * covariance + shrinkage * target
    return mixed


@dataclass(frozen=True)
class Spectrum:
    """A covariance's eigen-decomposition: every shrunk covariance has the same eigenvectors.

    ``(1 - λ) S + λ c I`` with ``c = tr(S) / 128`` has the eigenvalues
    ``(1 - λ) w + λ c``, so one decomposition serves every ``λ`` tried.
    """

    values: Vectors
    vectors: Vectors

    @classmethod
    def of(cls, covariance: Vectors) -> Spectrum:
        """The decomposition of ``covariance`` (symmetrised)."""
        values, vectors = np.linalg.eigh((covariance + covariance.T) / 2)
        return cls(values, vectors)

    def root(self, shrinkage: float) -> Vectors:
        """``R`` with ``R R^T`` the covariance shrunk by ``λ``: ``z @ R.T`` turns unit normals into draws."""
        values = (1 - shrinkage) * self.values + shrinkage * float(self.values.mean())
        root: Vectors = self.vectors * np.sqrt(np.clip(values, 0.0, None))
        return root


@dataclass(frozen=True)
class Normals:
    """Unit normal draws for ``identities`` synthetic identities: the randomness, apart from ``λ``."""

    centres: Vectors  # identities x 128
    offsets: Vectors  # identities x templates x 128

    @classmethod
    def drawn(cls, identities: int, seed: int, templates: int = TEMPLATES_PER_IDENTITY) -> Normals:
        """Seeded draws for ``identities`` identities of ``templates`` templates each."""
        rng = np.random.default_rng(seed)
        centres = rng.standard_normal((identities, DESCRIPTOR_SIZE))
        offsets = rng.standard_normal((identities, templates, DESCRIPTOR_SIZE))
        return cls(centres, offsets)


def templates(model: PopulationModel, shrinkage: float, normals: Normals) -> NDArray[np.float32]:
    """Synthetic templates (``identities x templates x 128``) at shrinkage ``λ`` from these unit normals."""
    between_spectrum, within_spectrum = model.spectra
    between, within = between_spectrum.root(shrinkage), within_spectrum.root(shrinkage)
    centres = model.mean + normals.centres @ between.T
    drawn = centres[:, None, :] + normals.offsets @ within.T
    return drawn.astype(np.float32)


def share_under(model: PopulationModel, shrinkage: float, normals: Normals) -> float:
    """The share of (synthetic template, real photo) distances under :data:`CONFUSION_DISTANCE`."""
    synthetic = templates(model, shrinkage, normals).reshape(-1, DESCRIPTOR_SIZE).astype(np.float64)
    return float((pairwise(synthetic, model.photos) < CONFUSION_DISTANCE).mean())


@dataclass(frozen=True)
class Calibration:
    """The calibrated shrinkage and the shares it was matched on."""

    shrinkage: float
    synthetic_under: float
    """The share of (synthetic template, real photo) distances under 0.5 at :attr:`shrinkage`."""
    real_different_under: float
    """The share of real different-person pairs under 0.5: the target."""


def calibrate(model: PopulationModel, seed: int, identities: int = CALIBRATION_IDENTITIES) -> Calibration:
    """The ``λ`` in [0, 1] at which synthetic identities are confused with real photos as often as real people are.

    More shrinkage spreads the variance over all 128 dimensions at the same
    total, so distances concentrate around their mean and fewer fall under
    0.5: the share falls as ``λ`` grows, and bisection finds it. The same
    unit normals serve every trial, so the share is a deterministic function
    of ``λ``. A target outside the reachable range gives 0 or 1.
    """
    normals = Normals.drawn(identities, seed)
    target = model.different_under
    low, high = 0.0, 1.0
    share_low, share_high = share_under(model, low, normals), share_under(model, high, normals)
    if share_low <= target:
        return Calibration(low, share_low, target)
    if share_high >= target:
        return Calibration(high, share_high, target)
    for _ in range(BISECTION_STEPS):
        middle = (low + high) / 2
        if share_under(model, middle, normals) > target:
            low = middle
        else:
            high = middle
    best = min((low, high), key=lambda s: abs(share_under(model, s, normals) - target))
    return Calibration(best, share_under(model, best, normals), target)


def synthetic_identities(
    model: PopulationModel, shrinkage: float, count: int, seed: int
) -> NDArray[np.float32]:
    """``count`` synthetic identities at shrinkage ``λ``, seeded: ``count x 2 x 128`` templates."""
    if count <= 0:
        return np.zeros((0, TEMPLATES_PER_IDENTITY, DESCRIPTOR_SIZE), np.float32)
    return templates(model, shrinkage, Normals.drawn(count, seed))
