"""Classification metrics: precision/recall/F1 at a threshold, threshold choice, calibration error."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of binary decisions."""

    precision: float
    recall: float
    f1: float
    positives: int


def prf(truth: np.ndarray, decided: np.ndarray) -> Scores:
    """Precision, recall and F1 of 0/1 ``decided`` against ``truth``.

    ``truth`` may hold soft targets (0.5 for an item the labelling conventions call a toss-up): such an
    item counts half as a positive and half as a negative.
    """
    truth = np.asarray(truth, dtype=np.float64)
    decided = np.asarray(decided, dtype=np.float64)
    tp = float(np.sum(truth * decided))
    fp = float(np.sum((1 - truth) * decided))
    fn = float(np.sum(truth * (1 - decided)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, round(tp + fn))


def resample_indices(n: int, resamples: int = 1000, seed: int = 13) -> np.ndarray:
    """``(resamples, n)`` bootstrap draws of ``n`` items with replacement, seeded so a report repeats."""
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n), dtype=np.int32)


def f1_by_resample(truth: np.ndarray, decided: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """F1 of 0/1 ``decided`` against ``truth`` in each resample (a row of ``indices``), counted as
    :func:`prf` counts (soft targets as their value; nothing to find and nothing found is 1)."""
    t = np.asarray(truth, dtype=np.float64)[indices]
    d = np.asarray(decided, dtype=np.float64)[indices]
    tp = (t * d).sum(1)
    wrong = ((1 - t) * d).sum(1) + (t * (1 - d)).sum(1)
    denominator = 2 * tp + wrong
    return np.divide(2 * tp, denominator, out=np.ones_like(tp), where=denominator > 0)


def percentile_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The central ``level`` interval of bootstrap ``values``."""
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def f1_optimal_threshold(truth: np.ndarray, prob: np.ndarray) -> float:
    """Half the best F1 reachable on ``truth`` and calibrated ``prob``.

    For calibrated probabilities the decision rule that maximises expected F1 is ``p >= F*/2``, with F* the
    best F1 (Lipton, Elkan and Narayanaswamy, 2014). The best F1 itself is stable from one training to the
    next; the argmax of a finite sample's F1 curve is not: the curve is flat over a wide band, and the
    argmax wandered between 0.40 and 0.47 for civil rights when a few hundred training lines changed.
    """
    return max(prf(truth, (prob >= t).astype(int)).f1 for t in _candidates(prob)) / 2


def precision_threshold(truth: np.ndarray, prob: np.ndarray, target: float, z: float = 1.645) -> float:
    """The lowest threshold at which precision reaches ``target`` with one-sided confidence: the Wilson lower
    bound of the precision measured there (``z`` = 1.645: 95%) must reach it, so a threshold that hits
    0.97 on a handful of positives, or by a hair, is not taken for one that holds.
    """
    for t in _candidates(prob):
        decided = (prob >= t).astype(int)
        n = int(decided.sum())
        if n and wilson_lower_bound(prf(truth, decided).precision, n, z) >= target:
            return float(t)
    return 1.0


def wilson_lower_bound(rate: float, n: int, z: float = 1.645) -> float:
    """The Wilson score interval's lower end for a proportion ``rate`` measured on ``n`` trials."""
    if n <= 0:
        return 0.0
    centre = rate + z * z / (2 * n)
    spread = z * np.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n))
    return float((centre - spread) / (1 + z * z / n))


def _candidates(prob: np.ndarray) -> np.ndarray:
    values = np.unique(np.round(prob, 6))
    mids = (values[:-1] + values[1:]) / 2 if len(values) > 1 else values
    return np.unique(np.clip(np.concatenate([mids, [0.5]]), 0.01, 0.99))


@dataclass(frozen=True)
class ReliabilityBin:
    """Items whose probability fell in ``[low, high)`` (the last bin includes 1): how many, their mean
    probability, and the share of them that were positive (soft targets count as their value)."""

    low: float
    high: float
    count: int
    mean_probability: float
    positive_rate: float


def reliability(truth: np.ndarray, prob: np.ndarray, bins: int = 10) -> list[ReliabilityBin]:
    """The reliability table of ``prob`` against ``truth`` over equal-width probability bins (empty bins
    left out): a calibrated score's bins have a positive rate close to their mean probability."""
    truth = np.asarray(truth, dtype=np.float64)
    prob = np.asarray(prob, dtype=np.float64)
    out = []
    for low, high in pairwise(np.linspace(0, 1, bins + 1)):
        inside = (prob >= low) & ((prob < high) if high < 1 else (prob <= high))
        if inside.any():
            out.append(ReliabilityBin(float(low), float(high), int(inside.sum()), float(prob[inside].mean()),
                                      float(truth[inside].mean())))
    return out


def expected_calibration_error(truth: np.ndarray, prob: np.ndarray, bins: int = 10) -> float:
    """ECE: the mean gap between confidence and accuracy over the bins of :func:`reliability`, weighted by
    how many items each holds."""
    n = len(prob)
    return float(sum(b.count / n * abs(b.mean_probability - b.positive_rate) for b in reliability(truth, prob, bins)))


def ece_by_resample(truth: np.ndarray, prob: np.ndarray, indices: np.ndarray, bins: int = 10) -> np.ndarray:
    """:func:`expected_calibration_error` in each resample (a row of ``indices``). On a few hundred items the
    calibration error is itself uncertain: a label at 0.05 may be anywhere from about 0.03 to 0.08."""
    t, p = np.asarray(truth, dtype=np.float64), np.asarray(prob, dtype=np.float64)
    return np.array([expected_calibration_error(t[row], p[row], bins) for row in indices])
