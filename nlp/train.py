"""``frwatch train``: fit the heads on the project's own data, calibrate, choose and measure thresholds.

Procedure (fixed seeds, so a rerun on the same data and packages gives the same file):
1. Split the examples by id hash into a training pool (85%) and a validation set (15%).
2. Embed every passage with the frozen encoder and add the lexical features.
3. Per label, choose the L2 strength by 5-fold cross-validated log-loss on the pool (one-standard-error
   rule, see C_GRID; the folds keep each data file whole, :func:`nlp.dataset.cross_validation_folds`),
   then how strongly the lexical features may count (LEXICAL_SCALES). The out-of-fold scores, with each
   passage's out-of-fold vote of its nearest training passages (:mod:`nlp.neighbours`), fit the
   calibration (Platt scaling with the vote as a second input) and choose the two thresholds:
   ``balanced`` (F1-optimal for calibrated scores: half the best out-of-fold F1,
   :func:`nlp.metrics.f1_optimal_threshold`) and ``high_precision`` (lowest threshold whose precision is
   >= 0.97 with 95% confidence, the Wilson lower bound; never below ``balanced``). A label a line marks unsure is a
   target of 0.5 throughout (:meth:`nlp.dataset.Example.target`). Before the thresholds, each passage is
   scored as the tagger scores a document, by its best window out of fold, and one exponent per label
   shrinks the odds of a document of many windows (:func:`fit_length_exponent`).
4. Refit each head on the whole pool and measure it, calibrated, on the validation set read as documents
   (every window, the best one, corrected; neighbours from the whole pool, as stored in
   ``models/neighbours.npz``).
5. Fit the window gate (:mod:`nlp.gate`) on the same split and the same texts (:func:`gate_readings`) and
   write it beside the heads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlp.dataset import Example, Splits, cross_validation_folds, load_examples, split_of
from nlp.encoder import Encoder
from nlp.features import FEATURES, feature_matrix
from nlp.gate import GATE_FILE, GateReport, Readings, fit_gate
from nlp.heads import HEADS_FILE, THRESHOLD_SETS, Head, document_probability, save_heads
from nlp.lexicon import Lexicon
from nlp.metrics import expected_calibration_error, f1_optimal_threshold, precision_threshold, prf
from nlp.neighbours import NEIGHBOURS_FILE, NeighbourIndex, load_index, save_index, vote_log_odds
from nlp.neighbours import K as NEIGHBOURS_K
from nlp.topic import reading_sentences, reading_windows
from store import LABELS

logger = logging.getLogger(__name__)

SEED = 13
HIGH_PRECISION = 0.97
# Inverse L2 strengths tried per label. The strongest regularisation within one standard error of the
# best cross-validated log-loss wins (the "one-standard-error rule"): the project's data is written, the
# world's is not, and the simpler head is the safer bet off the training distribution.
C_GRID = (0.03, 0.06, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0)
# How much louder than an embedding dimension the lexical features may speak: a standardised feature
# multiplied by s is penalised s² times less. 1 first; a larger factor only when it lowers the
# cross-validated log-loss by more than one standard error (face recognition's exact names: "facial
# recognition", "Clearview" are near-certain evidence that 384 small weights blur).
LEXICAL_SCALES = (1.0, 3.0, 10.0)
QUOTES = " \"'\u201c\u201d\u2018\u2019"


@dataclass(frozen=True)
class TrainReport:
    """What training produced, for printing."""

    version: str
    path: Path
    rows: list[dict[str, Any]]
    gate: GateReport | None = None


def _logistic(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=2000, random_state=SEED)


def _fit(c: float, x: np.ndarray, y: np.ndarray) -> Any:
    """A logistic regression on targets ``y`` in [0, 1]: a soft target t enters as a positive of weight t and
    a negative of weight 1 - t (cross-entropy against t); with 0/1 targets only, a plain fit."""
    soft = (y > 0) & (y < 1)
    if not soft.any():
        return _logistic(c).fit(x, y.astype(int))
    hard = ~soft
    rows = np.vstack([x[hard], x[soft], x[soft]])
    labels = np.concatenate([y[hard], np.ones(soft.sum()), np.zeros(soft.sum())]).astype(int)
    weights = np.concatenate([np.ones(hard.sum()), y[soft], 1 - y[soft]])
    return _logistic(c).fit(rows, labels, sample_weight=weights)


def _oof_scores(x: np.ndarray, y: np.ndarray, c: float, splits: Splits) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold decision values and each fold's log-loss."""
    scores = np.zeros(len(y))
    losses = []
    for fit_idx, held_idx in splits:
        model = _fit(c, x[fit_idx], y[fit_idx])
        scores[held_idx] = model.decision_function(x[held_idx])
        losses.append(_log_loss(y[held_idx], scores[held_idx]))
    return scores, losses


def choose_c(x: np.ndarray, y: np.ndarray, splits: Splits) -> tuple[float, np.ndarray, list[float]]:
    """The one-standard-error choice from :data:`C_GRID`, its out-of-fold scores and per-fold log-losses."""
    runs = {c: _oof_scores(x, y, c, splits) for c in C_GRID}
    means = {c: float(np.mean(losses)) for c, (_, losses) in runs.items()}
    best = min(means, key=means.__getitem__)
    error = float(np.std(runs[best][1], ddof=1) / np.sqrt(len(splits)))
    chosen = min(c for c in C_GRID if means[c] <= means[best] + error)
    return chosen, runs[chosen][0], runs[chosen][1]


def choose_lexical_scale(
    z: np.ndarray, y: np.ndarray, c: float, splits: Splits, base: tuple[np.ndarray, list[float]], lexical: slice,
) -> tuple[float, np.ndarray]:
    """The factor from :data:`LEXICAL_SCALES` for the lexical columns of ``z`` at strength ``c``, and its
    out-of-fold scores; ``base`` holds the out-of-fold scores and per-fold log-losses at factor 1."""
    runs = {1.0: base}
    for scale in LEXICAL_SCALES[1:]:
        scaled = z.copy()
        scaled[:, lexical] *= scale
        runs[scale] = _oof_scores(scaled, y, c, splits)
    means = {s: float(np.mean(losses)) for s, (_, losses) in runs.items()}
    error = float(np.std(base[1], ddof=1) / np.sqrt(len(splits)))
    better = [s for s in LEXICAL_SCALES[1:] if means[s] < means[1.0] - error]
    chosen = min(better, key=means.__getitem__) if better else 1.0
    return chosen, runs[chosen][0]


def _log_loss(y: np.ndarray, z: np.ndarray) -> float:
    p = np.clip(1 / (1 + np.exp(-z)), 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _oof_votes(index: NeighbourIndex, splits: Splits) -> np.ndarray:
    """Each pool passage's neighbour vote (log-odds, every label) from the other folds only, with the folds
    of :func:`_oof_scores` for this label, so no passage (or sibling from its file) votes for it."""
    votes = np.zeros(index.labels.shape, dtype=np.float32)
    for fit_idx, held_idx in splits:
        others = NeighbourIndex(index.embeddings[fit_idx], index.labels[fit_idx])
        votes[held_idx] = vote_log_odds(others.votes(index.embeddings[held_idx]))
    return votes


def _combine(z: np.ndarray, votes: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Calibration of the head's out-of-fold scores together with the neighbours' vote (a logistic fit of
    the two, unregularised: Platt scaling with one more input). Returns (head factor, vote factor, bias)."""
    model = _fit(1e6, np.column_stack([z, votes]), y)
    return float(model.coef_[0][0]), float(model.coef_[0][1]), float(model.intercept_[0])


def _calibrated(scores: np.ndarray, votes: np.ndarray, calibration: tuple[float, float, float]) -> np.ndarray:
    """Probabilities from head scores and votes with a calibration from :func:`_combine`."""
    head, vote, bias = calibration
    return 1 / (1 + np.exp(-(head * scores + vote * votes + bias)))


def reading_units(examples: list[Example]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The texts the heads learn from, for each the index of its example, and their targets.

    The tagger reads a document window by window (:func:`nlp.topic.reading_windows`) and scores it by its
    best window, while the encoder reads only a passage's first 128 tokens: trained whole, the rest of a
    long passage was never seen (a figure of speech in an essay's third paragraph, say). A passage of more
    than one window therefore trains as its windows when it is known what each window says: with every
    label 0, each window is a negative; with its carrier sentences marked, a window is a positive for the
    labels whose carriers it holds (:func:`window_targets`). Any other long positive stays whole: which
    of its windows carries the label is not written down.
    """
    texts: list[str] = []
    parents: list[int] = []
    targets: list[np.ndarray] = []
    for k, example in enumerate(examples):
        target = np.array([example.target(label) for label in LABELS])
        parts, rows = [example.passage], target[None, :]
        if example.carriers or not target.any():
            found = reading_windows(example.title, example.text)
            if len(found) > 1:
                parts = found
                rows = window_targets(example, found) if example.carriers else np.zeros((len(found), len(LABELS)))
        texts.extend(parts)
        parents.extend([k] * len(parts))
        targets.append(rows)
    return texts, np.array(parents, dtype=np.int64), np.vstack(targets) if targets else np.zeros((0, len(LABELS)))


def gate_readings(examples: list[Example]) -> Readings:
    """What the window gate learns from: the heads' texts (:func:`reading_units`), positive for a label whose
    target is above 0, grouped by data file."""
    texts, parents, targets = reading_units(examples)
    sources = np.array([examples[k].source for k in parents])
    return Readings(texts, parents, targets > 0, sources)


def window_targets(example: Example, windows: list[str]) -> np.ndarray:
    """``(len(windows), 3)`` targets of a long passage's windows: the passage's target for a label in each
    window holding one of that label's carriers, 0 elsewhere. A carrier the sentence splitter cuts in two
    makes each window holding a piece of it (of three words or more) a positive; quotation marks at either
    end are not compared.

    :raises ValueError: when a carrier is in no window (the windows are not this example's)
    """
    out = np.zeros((len(windows), len(LABELS)))
    for j, label in enumerate(LABELS):
        for carrier in example.carriers.get(label, ()):
            # The splitter may leave an opening quotation mark with the sentence before.
            pieces = [p.strip(QUOTES) for p in (carrier, *reading_sentences(carrier)) if len(p.split()) >= 3]
            holding = [i for i, window in enumerate(windows) if any(p in window for p in pieces)]
            if not holding:
                raise ValueError(f"{example.id}: carrier {carrier[:60]!r} is in none of its windows")
            out[holding, j] = example.target(label)
    return out


def whole_readings(examples: list[Example], parents: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The windows the tagger would read in the examples that train whole but are longer than one window
    (long positives without carriers), and for each the index of its example: their documents' scores
    are their best window's, as the tagger's are, when the length correction is fitted."""
    units = np.bincount(parents, minlength=len(examples))
    texts: list[str] = []
    owners: list[int] = []
    for k, example in enumerate(examples):
        if units[k] == 1:
            found = reading_windows(example.title, example.text)
            if len(found) > 1:
                texts.extend(found)
                owners.extend([k] * len(found))
    return texts, np.array(owners, dtype=np.int64)


def best_window(parents: np.ndarray, prob: np.ndarray, count: int) -> np.ndarray:
    """Per example, the highest probability among its texts (``parents`` from :func:`reading_units`)."""
    best = np.full(count, -np.inf)
    np.maximum.at(best, parents, prob)
    return best


def _oof_readings(
    z: np.ndarray, y: np.ndarray, c: float, splits: Splits, parents: np.ndarray, index: NeighbourIndex,
    z_extra: np.ndarray, e_extra: np.ndarray, owners: np.ndarray, label: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold head scores and neighbour votes of texts that are not training units (the windows of
    passages that train whole, :func:`whole_readings`): each from the fold that holds its passage out."""
    scores = np.zeros(len(owners))
    votes = np.zeros(len(owners))
    for fit_idx, held_idx in splits:
        rows = np.flatnonzero(np.isin(owners, np.unique(parents[held_idx])))
        if not len(rows):
            continue
        scores[rows] = _fit(c, z[fit_idx], y[fit_idx]).decision_function(z_extra[rows])
        others = NeighbourIndex(index.embeddings[fit_idx], index.labels[fit_idx])
        votes[rows] = vote_log_odds(others.votes(e_extra[rows]))[:, label]
    return scores, votes


def fit_length_exponent(best_window_prob: np.ndarray, windows: np.ndarray, y: np.ndarray) -> float:
    """The exponent of :func:`nlp.heads.document_probability` that best calibrates documents' best windows
    (log-loss, out-of-fold scores): the best of many windows is the luckiest of many draws, so a long
    negative's maximum runs high. Bounded to [0, 4]: 0 is the plain maximum. (Measured in session 9 on the
    project's passages before the long documents were written: 2.0, 1.3 and 1.6; nlp/README.md.)"""
    from scipy.optimize import minimize_scalar

    if not (windows > 1).any():
        return 0.0
    p = np.clip(best_window_prob, 1e-6, 1 - 1e-6)
    z, length = np.log(p / (1 - p)), np.log(windows)
    found = minimize_scalar(lambda e: _log_loss(y, z - e * length), bounds=(0.0, 4.0), method="bounded")
    return round(float(found.x), 4)


def fit_heads(
    examples: list[Example], encoder: Encoder, lexicon: Lexicon, lexicon_version: str,
    path: Path = HEADS_FILE, folds: int = 5,
) -> TrainReport:
    """Train, calibrate and measure the three heads and write them to ``path``."""
    pool = [e for e in examples if split_of(e.id) == "train"]
    valid = [e for e in examples if split_of(e.id) == "valid"]
    pool_texts, pool_of, y_pool = reading_units(pool)
    whole_texts, whole_of = whole_readings(pool, pool_of)
    # Validation passages are read as the tagger reads documents: every window, the best one (corrected).
    valid_windows = [reading_windows(e.title, e.text) for e in valid]
    valid_texts = [w for found in valid_windows for w in found]
    valid_of = np.repeat(np.arange(len(valid)), [len(found) for found in valid_windows])
    logger.info("embedding %d training and %d validation passages (%d and %d windows, %d more to read long "
                "positives)", len(pool), len(valid), len(pool_texts), len(valid_texts), len(whole_texts))
    e_pool = encoder.encode(pool_texts)
    e_whole = encoder.encode(whole_texts)
    e_valid = encoder.encode(valid_texts)
    x_pool = feature_matrix(lexicon, e_pool, pool_texts)
    x_whole = feature_matrix(lexicon, e_whole, whole_texts)
    x_valid = feature_matrix(lexicon, e_valid, valid_texts)
    # The neighbour index holds the pool as it is stored (int8); the out-of-fold votes are taken from it too.
    y_passages = np.array([[e.target(label) for label in LABELS] for e in pool])
    index_path = path.with_name(NEIGHBOURS_FILE.name)
    index_sha256 = save_index(e_pool, y_pool, index_path)
    index = load_index(index_path, index_sha256)
    valid_votes = vote_log_odds(index.votes(e_valid))
    # How many windows the tagger reads in each passage.
    pool_windows = np.bincount(pool_of, minlength=len(pool))
    read_whole = np.unique(whole_of)
    pool_windows[read_whole] = np.bincount(whole_of, minlength=len(pool))[read_whole]
    valid_count = np.bincount(valid_of, minlength=len(valid))
    # Standardise on the pool, then fold the scaling into the saved weights.
    mean, std = x_pool.mean(0), x_pool.std(0) + 1e-6
    z_pool = (x_pool - mean) / std
    z_whole_all = (x_whole - mean) / std
    lexical = slice(x_pool.shape[1] - len(FEATURES), x_pool.shape[1])
    labels_out: dict[str, Any] = {}
    rows = []
    y_valid_all = np.array([[e.target(label) for label in LABELS] for e in valid])
    groups = np.array([e.source for e in pool])[pool_of]
    for j, label in enumerate(LABELS):
        y, y_valid = y_pool[:, j], y_valid_all[:, j]
        splits = cross_validation_folds(y, groups, folds, SEED)
        c_best, oof, fold_losses = choose_c(z_pool, y, splits)
        scale, oof = choose_lexical_scale(z_pool, y, c_best, splits, (oof, fold_losses), lexical)
        z_label = z_pool.copy()
        z_label[:, lexical] *= scale
        z_whole = z_whole_all.copy()
        z_whole[:, lexical] *= scale
        oof_votes = _oof_votes(index, splits)[:, j]
        a, c_vote, b = calibration = _combine(oof, oof_votes, y)
        whole_scores, whole_votes = _oof_readings(z_label, y, c_best, splits, pool_of, index, z_whole, e_whole,
                                                  whole_of, j)
        # Thresholds and their precision and recall are a passage's, as a document's: its best window, then
        # the length correction fitted on these out-of-fold scores.
        best = best_window(pool_of, _calibrated(oof, oof_votes, calibration), len(pool))
        if len(whole_of):
            best[read_whole] = best_window(whole_of, _calibrated(whole_scores, whole_votes, calibration),
                                           len(pool))[read_whole]
        y_oof = y_passages[:, j]
        exponent = fit_length_exponent(best, pool_windows, y_oof)
        p_oof = document_probability(best, pool_windows, exponent)
        final = _fit(c_best, z_label, y)
        label_std = std.copy()
        label_std[lexical] /= scale
        weights = final.coef_[0] / label_std
        bias = float(final.intercept_[0] - np.sum(final.coef_[0] * mean / label_std))
        # Measured with the same code that tags.
        head = Head(weights, bias, a, b, thresholds={}, neighbour_weight=c_vote, length_exponent=exponent)
        p_valid = head.document_probability(
            best_window(valid_of, head.probability(x_valid, valid_votes[:, j]), len(valid)), valid_count)
        chosen = {
            "balanced": f1_optimal_threshold(y_oof, p_oof),
            "high_precision": precision_threshold(y_oof, p_oof, HIGH_PRECISION),
        }
        # Never laxer than balanced: when the best-F1 threshold already holds the precision, the sets coincide.
        chosen["high_precision"] = max(chosen["high_precision"], chosen["balanced"])
        thresholds = {}
        for name in THRESHOLD_SETS:
            t = chosen[name]
            on_pool = prf(y_oof, (p_oof >= t).astype(int))
            on_valid = prf(y_valid, (p_valid >= t).astype(int))
            thresholds[name] = {"value": round(t, 4), "precision": round(on_pool.precision, 4),
                                "recall": round(on_pool.recall, 4), "valid_precision": round(on_valid.precision, 4),
                                "valid_recall": round(on_valid.recall, 4)}
            rows.append({"label": label, "threshold_set": name, **thresholds[name],
                         "valid_f1": round(on_valid.f1, 4)})
        ece = expected_calibration_error(y_valid, p_valid)
        labels_out[label] = {"weights": [round(float(w), 7) for w in weights], "bias": round(bias, 7),
                             "platt": [round(a, 6), round(b, 6)], "C": c_best,
                             "neighbour_weight": round(c_vote, 6), "length_exponent": exponent,
                             "lexical_scale": scale, "thresholds": thresholds,
                             "valid_ece": round(ece, 4)}
    payload = {
        "encoder": encoder.version,
        "lexicon": lexicon_version,
        "features": [f"e{i}" for i in range(x_pool.shape[1] - len(FEATURES))] + list(FEATURES),
        "labels": labels_out,
        "meta": {"train_examples": len(pool), "valid_examples": len(valid), "train_windows": len(pool_texts),
                 "long_positive_windows": len(whole_texts), "valid_windows": len(valid_texts),
                 "folds": folds, "seed": SEED,
                 "neighbours_sha256": index_sha256, "neighbours_k": NEIGHBOURS_K},
    }
    version = save_heads(payload, path)
    return TrainReport(version, path, rows)


def train(lexicon: Lexicon, lexicon_version: str, path: Path = HEADS_FILE, data_dir: Path | None = None) -> TrainReport:
    """Train on the project's data in ``nlp/data`` (or ``data_dir``)."""
    examples = load_examples(data_dir) if data_dir else load_examples()
    report = fit_heads(examples, Encoder(), lexicon, lexicon_version, path)
    gate = fit_gate(gate_readings([e for e in examples if split_of(e.id) == "train"]),
                    gate_readings([e for e in examples if split_of(e.id) == "valid"]), path.with_name(GATE_FILE.name))
    logger.info("window gate %s: %d weights, positive passages keeping their labels %.4f (cv) %.4f (valid), "
                "validation negatives passed %.4f",
                gate.version, gate.nonzero, gate.cv_recall, gate.valid_recall, gate.valid_negatives_passed)
    return TrainReport(report.version, report.path, report.rows, gate)
