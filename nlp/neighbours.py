"""Nearest training passages: a second opinion beside each linear head.

A logistic head draws one straight boundary through the embedding space; the project's passages sit in
tight families (a ban told bare, a ban with a motive; a deepfake item with and without face recognition)
that one boundary cuts badly. For each passage the classifier also looks up its :data:`K` nearest
training passages by cosine similarity and takes their labels, weighted by ``exp(SHARPNESS · cos)``;
``frwatch train`` fits, per label, how much this vote counts next to the head (:mod:`nlp.train`, on
out-of-fold scores, so a passage never votes for itself).

Stored as ``nlp/models/neighbours.npz``: the training pool's unit embeddings quantised to int8 (×127;
cosines change by less than 0.01) and their training targets (0, 1, or 0.5 for a label marked unsure),
about 1.3 MB. Its SHA-256 is written into the heads
file, so the heads' version covers it and a stale index is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.heads import MODELS_DIR, HeadsError

NEIGHBOURS_FILE = MODELS_DIR / "neighbours.npz"
K = 10
SHARPNESS = 10.0
# Label votes are pulled this far from 0 and 1 before the log-odds, so a unanimous vote is a finite number.
SMOOTHING = 0.02


@dataclass(frozen=True)
class NeighbourIndex:
    """Unit embeddings of the training passages and their labels."""

    embeddings: np.ndarray  # (n, 384) float32, unit rows
    labels: np.ndarray  # (n, labels) float32 training targets: 0, 1, or 0.5 (unsure)

    def votes(self, queries: np.ndarray) -> np.ndarray:
        """``(len(queries), labels)`` similarity-weighted label shares of each query's :data:`K` nearest."""
        if len(queries) == 0:
            return np.zeros((0, self.labels.shape[1]), dtype=np.float32)
        similarity = queries.astype(np.float32) @ self.embeddings.T
        k = min(K, self.embeddings.shape[0])
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        weights = np.exp(SHARPNESS * (np.take_along_axis(similarity, nearest, 1) - 1.0))
        weights /= weights.sum(1, keepdims=True)
        return np.einsum("qk,qkl->ql", weights, self.labels[nearest]).astype(np.float32)


def vote_log_odds(votes: np.ndarray) -> np.ndarray:
    """Label shares as smoothed log-odds, the scale the heads combine them on."""
    shares = np.clip(votes, 0.0, 1.0) * (1 - 2 * SMOOTHING) + SMOOTHING
    return np.log(shares / (1 - shares))


def quantise(embeddings: np.ndarray) -> np.ndarray:
    """Unit embeddings → int8, as stored."""
    return np.clip(np.round(embeddings * 127), -127, 127).astype(np.int8)


def save_index(embeddings: np.ndarray, labels: np.ndarray, path: Path = NEIGHBOURS_FILE) -> str:
    """Write the index; returns its SHA-256 (the heads file records it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(handle, embeddings=quantise(embeddings), labels=labels.astype(np.float16))
    return file_sha256(path)


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_index(path: Path, expected_sha256: str) -> NeighbourIndex:
    """Read the index written with the heads.

    :raises HeadsError: when it is missing or is not the one the heads were trained with
    """
    try:
        digest = file_sha256(path)
    except OSError as exc:
        raise HeadsError(f"neighbour index {path} unreadable ({exc}); run `frwatch train`") from exc
    if digest != expected_sha256:
        raise HeadsError(f"neighbour index {path} is not the one the classifier heads were trained with; "
                         "run `frwatch train`")
    with np.load(path) as data:
        return NeighbourIndex(dequantise(data["embeddings"]), data["labels"].astype(np.float32))


def dequantise(stored: np.ndarray) -> np.ndarray:
    """int8 rows → unit float32 rows, as the index is searched."""
    rows = stored.astype(np.float32) / 127.0
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
