"""The nearest-passage vote beside the heads (nlp/neighbours.py): what it counts, how it is stored, and
that a stale index is refused."""

import numpy as np
import pytest

from nlp.heads import Head, HeadsError, Threshold
from nlp.neighbours import K, NeighbourIndex, dequantise, load_index, quantise, save_index, vote_log_odds


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _index(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # Two families far apart: around +e0 everything is positive for label 0, around -e0 nothing is.
    centre = np.zeros(384, dtype=np.float32)
    centre[0] = 1.0
    near = _unit(centre + rng.normal(0, 0.05, (30, 384)))
    far = _unit(-centre + rng.normal(0, 0.05, (30, 384)))
    labels = np.zeros((60, 3), dtype=np.float32)
    labels[:30, 0] = 1
    labels[:30:2, 2] = 1  # half of the positive family also has label 2
    return np.vstack([near, far]), labels


def test_votes_are_the_label_shares_of_the_nearest_family():
    embeddings, labels = _index()
    index = NeighbourIndex(embeddings, labels)
    # New passages at each family's centre: every member is about as near as the next.
    queries = np.zeros((2, 384), dtype=np.float32)
    queries[0, 0], queries[1, 0] = 1.0, -1.0
    votes = index.votes(queries)
    assert votes.shape == (2, 3)
    assert votes[0, 0] == pytest.approx(1.0) and votes[1, 0] == pytest.approx(0.0)
    assert 0.2 < votes[0, 2] < 0.8  # a mixed neighbourhood gives a share, not a verdict
    assert votes[1, 1] == 0.0
    assert index.votes(np.zeros((0, 384), np.float32)).shape == (0, 3)
    odds = vote_log_odds(votes)
    assert np.all(np.isfinite(odds)) and odds[0, 0] > 3 and odds[1, 0] < -3


def test_an_index_smaller_than_k_still_votes():
    embeddings, labels = _index()
    small = NeighbourIndex(embeddings[: K - 3], labels[: K - 3])
    assert small.votes(embeddings[:1])[0, 0] == pytest.approx(1.0)


def test_int8_storage_keeps_cosines(tmp_path):
    embeddings, labels = _index()
    restored = dequantise(quantise(embeddings))
    assert np.max(np.abs(restored @ restored.T - embeddings @ embeddings.T)) < 0.01
    digest = save_index(embeddings, labels, tmp_path / "n.npz")
    index = load_index(tmp_path / "n.npz", digest)
    assert np.array_equal(index.labels, labels)
    assert np.allclose(index.votes(embeddings[:5]), NeighbourIndex(embeddings, labels).votes(embeddings[:5]), atol=0.02)


def test_a_changed_or_missing_index_is_refused(tmp_path):
    embeddings, labels = _index()
    digest = save_index(embeddings, labels, tmp_path / "n.npz")
    save_index(embeddings[::-1], labels[::-1], tmp_path / "n.npz")
    with pytest.raises(HeadsError, match="frwatch train"):
        load_index(tmp_path / "n.npz", digest)
    with pytest.raises(HeadsError, match="frwatch train"):
        load_index(tmp_path / "missing.npz", digest)


def test_a_head_with_a_vote_weight_needs_the_vote():
    threshold = Threshold(0.5, 1.0, 1.0, 1.0, 1.0)
    head = Head(np.zeros(2, np.float32), 0.0, 1.0, 0.0, {"balanced": threshold}, neighbour_weight=2.0)
    features = np.zeros((1, 2), np.float32)
    assert head.probability(features, np.array([1.0]))[0] == pytest.approx(1 / (1 + np.exp(-2.0)))
    with pytest.raises(ValueError):
        head.probability(features)
