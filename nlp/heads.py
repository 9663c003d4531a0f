"""The trained heads: per label a logistic regression over [embedding, lexical features], a Platt
calibration, and two thresholds with their measured precision and recall.

Stored as one small JSON file (``nlp/models/heads.json``, tens of KB) so it is committed and reviewed;
its ``version`` is a hash of its content and becomes the ``model_version`` of every tag it produces.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MODELS_DIR = Path(__file__).parent / "models"
HEADS_FILE = MODELS_DIR / "heads.json"
THRESHOLD_SETS = ("balanced", "high_precision")


class HeadsError(Exception):
    """The heads file is missing or does not match this code."""


@dataclass(frozen=True)
class Threshold:
    """A decision threshold on the calibrated probability and the error rates measured for it."""

    value: float
    precision: float
    recall: float
    valid_precision: float
    valid_recall: float


@dataclass(frozen=True)
class Head:
    """One label's classifier."""

    weights: np.ndarray
    bias: float
    platt_a: float
    platt_b: float
    thresholds: dict[str, Threshold]
    # How much the nearest training passages' vote (its log-odds, :mod:`nlp.neighbours`) adds; 0 without one.
    neighbour_weight: float = 0.0
    # A document's odds are its best window's divided by (number of windows) ** length_exponent: the best of
    # many windows over-states a document (:func:`nlp.train.fit_length_exponent`); 0 leaves it the maximum.
    length_exponent: float = 0.0

    def probability(self, features: np.ndarray, neighbour_log_odds: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities for rows of features (and their neighbours' vote, when the head has one)."""
        z = self.platt_a * (features @ self.weights + self.bias) + self.platt_b
        if self.neighbour_weight:
            if neighbour_log_odds is None:
                raise ValueError("this head combines the neighbours' vote; pass it")
            z = z + self.neighbour_weight * neighbour_log_odds
        return 1.0 / (1.0 + np.exp(-z))

    def document_probability(self, best_window: np.ndarray | float, windows: np.ndarray | int) -> np.ndarray:
        """A document's probability from its best window's and its number of windows (a document of one
        window keeps its window's probability; a window that was not read, 0, stays 0)."""
        return document_probability(best_window, windows, self.length_exponent)


def document_probability(best_window: np.ndarray | float, windows: np.ndarray | int, exponent: float) -> np.ndarray:
    """``best_window``'s odds divided by ``windows ** exponent``, as a probability."""
    p = np.clip(np.asarray(best_window, dtype=np.float64), 0.0, 1.0)
    odds = p / np.maximum(1.0 - p, 1e-12)
    shrunk = odds * np.power(np.maximum(np.asarray(windows, dtype=np.float64), 1.0), -exponent)
    return shrunk / (1.0 + shrunk)


@dataclass(frozen=True)
class Heads:
    """All labels' heads plus what they were trained against."""

    version: str
    encoder: str
    heads: dict[str, Head]
    meta: dict[str, Any]


def content_version(payload: dict[str, Any], prefix: str = "minilm-heads-", digits: int = 12) -> str:
    """A short hash of everything but the version field itself, after ``prefix``."""
    body = json.dumps({k: v for k, v in payload.items() if k != "version"}, sort_keys=True)
    return prefix + hashlib.sha256(body.encode()).hexdigest()[:digits]


def read_versioned(path: Path, what: str, prefix: str = "minilm-heads-", digits: int = 12) -> dict[str, Any]:
    """A trained model file whose content still matches the version it was written with.

    :param what: how error messages name the file ("classifier heads", "window gate")
    :raises HeadsError: when it is missing, unreadable or changed since training
    """
    try:
        payload: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HeadsError(f"{what} {path} unreadable ({exc}); run `frwatch train`") from exc
    if payload.get("version") != content_version(payload, prefix, digits):
        raise HeadsError(f"{what} {path} changed after training; run `frwatch train`")
    return payload


def save_heads(payload: dict[str, Any], path: Path = HEADS_FILE) -> str:
    """Write a heads payload with its content version; returns the version."""
    payload = {**payload, "version": content_version(payload)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return str(payload["version"])


def load_heads(path: Path = HEADS_FILE) -> Heads:
    """Read and check a heads file.

    :raises HeadsError: when it is missing or its content does not match its version
    """
    payload = read_versioned(path, "classifier heads")
    heads = {}
    for label, row in payload["labels"].items():
        heads[label] = Head(
            weights=np.asarray(row["weights"], dtype=np.float32),
            bias=float(row["bias"]),
            platt_a=float(row["platt"][0]),
            platt_b=float(row["platt"][1]),
            thresholds={name: Threshold(**row["thresholds"][name]) for name in THRESHOLD_SETS},
            neighbour_weight=float(row.get("neighbour_weight", 0.0)),
            length_exponent=float(row.get("length_exponent", 0.0)),
        )
    meta = {**payload.get("meta", {}), "lexicon": payload.get("lexicon", "")}
    return Heads(version=payload["version"], encoder=payload["encoder"], heads=heads, meta=meta)
