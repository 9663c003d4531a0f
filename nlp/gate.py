"""The window gate: a cheap first look that decides which windows are worth the encoder.

A sparse logistic regression (L1) on hashed, lower-cased word unigrams and bigrams (scikit-learn's
``HashingVectorizer``, 2**18 buckets, L2-normalised counts), fitted by ``frwatch train`` on the project's
own passages (``nlp/data``) to tell texts with any positive label from the rest. It reads what the heads
learn from (:func:`nlp.train.reading_units`): a long passage whose windows' labels are known as its
windows, since the gate is asked about windows, not whole documents. Its threshold is chosen on
out-of-fold scores of the training pool so that at least :data:`DOCUMENT_RECALL` of the positive passages
keep every positive label: for each, a window that carries it passes (what the tagging benchmark
measures as the first pass's recall loss; asking it of every positive window instead let 68% of the
validation negatives through, against 41%); the held-out validation passages, read the same way, then
measure it.

Stored as ``nlp/models/gate.json`` beside the heads: only the nonzero weights (bucket index and value),
the bias and the threshold, with a content hash as its version. The gate changes which windows are
encoded, so its version is part of every tag's ``model_version`` (:class:`nlp.classifier.TopicModel`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlp import heads
from nlp.dataset import cross_validation_folds
from nlp.heads import MODELS_DIR, HeadsError

GATE_FILE = MODELS_DIR / "gate.json"
SEED = 13
N_FEATURES = 2**18
# Share of the project's positive passages that must keep all their labels through the gate (out-of-fold, on
# the training pool).
DOCUMENT_RECALL = 0.995
# Inverse L1 strength. Fixed, not searched: the threshold, chosen for recall, is what matters; at this
# strength the gate keeps a few thousand buckets (a file of tens of KB).
C = 4.0

VERSION_PREFIX = "gate-"
VERSION_DIGITS = 8


def _vectorizer() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(n_features=N_FEATURES, ngram_range=(1, 2), alternate_sign=False, norm="l2",
                             lowercase=True, dtype=np.float64)


def _logistic() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(l1_ratio=1.0, C=C, solver="liblinear", max_iter=1000, random_state=SEED)


@dataclass(frozen=True)
class Gate:
    """The fitted gate: nonzero weights by hashed bucket, a bias and the pass threshold."""

    version: str
    indices: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float

    def scores(self, passages: list[str]) -> np.ndarray:
        """The gate's decision value of each passage (higher: more likely to matter)."""
        if not passages:
            return np.zeros(0)
        x = _vectorizer().transform(passages)[:, self.indices]
        return np.asarray(x @ self.weights).ravel() + self.bias

    def passes(self, passages: list[str]) -> np.ndarray:
        """Which passages go on to the encoder."""
        return self.scores(passages) >= self.threshold


@dataclass(frozen=True)
class GateReport:
    """What fitting the gate measured."""

    version: str
    path: Path
    nonzero: int
    cv_recall: float
    valid_recall: float
    valid_negatives_passed: float


def content_version(payload: dict[str, Any]) -> str:
    """The gate's version: a short hash of its content (see :func:`nlp.heads.content_version`)."""
    return heads.content_version(payload, VERSION_PREFIX, VERSION_DIGITS)


@dataclass(frozen=True)
class Readings:
    """Texts the gate learns from or is measured on: per text its passage (an index), which labels it is
    positive for (a boolean ``(n, 3)`` array), and its data file (the cross-validation group)."""

    texts: list[str]
    passages: np.ndarray
    labels: np.ndarray
    groups: np.ndarray

    @property
    def positive(self) -> np.ndarray:
        """Whether each text has any positive label."""
        return np.asarray(self.labels.any(axis=1))


def kept_labels(readings: Readings, scores: np.ndarray) -> np.ndarray:
    """Per positive passage, the lowest over its positive labels of the best score among its texts positive
    for that label: the passage keeps all its labels through the gate when this passes."""
    weakest: dict[int, float] = {}
    for j in range(readings.labels.shape[1]):
        best: dict[int, float] = {}
        for k in np.flatnonzero(readings.labels[:, j]):
            passage = int(readings.passages[k])
            best[passage] = max(best.get(passage, -np.inf), float(scores[k]))
        for passage, score in best.items():
            weakest[passage] = min(weakest.get(passage, np.inf), score)
    return np.array([weakest[p] for p in sorted(weakest)])


def fit_gate(pool: Readings, valid: Readings, path: Path = GATE_FILE, folds: int = 5) -> GateReport:
    """Fit the gate on the training pool's readings, choose its threshold on them, measure it on the
    validation readings and write it to ``path``."""
    x = _vectorizer().transform(pool.texts)
    y = pool.positive.astype(int)
    oof = np.zeros(len(y))
    for fit_idx, held_idx in cross_validation_folds(y.astype(float), pool.groups, folds, SEED):
        oof[held_idx] = _logistic().fit(x[fit_idx], y[fit_idx]).decision_function(x[held_idx])
    # The highest threshold at which DOCUMENT_RECALL of the positive passages keep all their labels, rounded down.
    kept = np.sort(kept_labels(pool, oof))
    threshold = float(np.floor(kept[int(np.floor((1 - DOCUMENT_RECALL) * len(kept)))] * 1e4) / 1e4)
    model = _logistic().fit(x, y)
    nonzero = np.flatnonzero(model.coef_[0])
    payload: dict[str, Any] = {
        "n_features": N_FEATURES,
        "ngrams": [1, 2],
        "indices": [int(i) for i in nonzero],
        "weights": [round(float(w), 6) for w in model.coef_[0][nonzero]],
        "bias": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
    }
    payload["version"] = content_version(payload)
    gate = _from_payload(payload)
    valid_scores = gate.scores(valid.texts)
    passed = valid_scores >= threshold
    y_valid = valid.positive
    payload["measured"] = {
        "cv_recall": round(float(np.mean(kept >= threshold)), 4),
        "cv_positive_texts_passed": round(float(np.mean(oof[y == 1] >= threshold)), 4),
        "valid_recall": round(float(np.mean(kept_labels(valid, valid_scores) >= threshold)), 4),
        "valid_positive_texts_passed": round(float(np.mean(passed[y_valid])), 4),
        "valid_negatives_passed": round(float(np.mean(passed[~y_valid])), 4),
        "train_texts": len(pool.texts), "valid_texts": len(valid.texts), "folds": folds, "seed": SEED, "C": C,
    }
    payload["version"] = content_version(payload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    m = payload["measured"]
    return GateReport(payload["version"], path, len(nonzero), m["cv_recall"], m["valid_recall"],
                      m["valid_negatives_passed"])


def _from_payload(payload: dict[str, Any]) -> Gate:
    return Gate(version=str(payload["version"]), indices=np.asarray(payload["indices"], dtype=np.int64),
                weights=np.asarray(payload["weights"], dtype=np.float64), bias=float(payload["bias"]),
                threshold=float(payload["threshold"]))


def load_gate(path: Path = GATE_FILE) -> Gate:
    """Read and check a gate file.

    :raises HeadsError: when it is missing or its content does not match its version
    """
    payload = heads.read_versioned(path, "window gate", VERSION_PREFIX, VERSION_DIGITS)
    if payload.get("n_features") != N_FEATURES:
        raise HeadsError(f"window gate {path} was trained for another feature size; run `frwatch train`")
    return _from_payload(payload)
