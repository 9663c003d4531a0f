"""``frwatch classify`` and ``frwatch eval``: the classifier's file contracts and its measurement.

classify reads JSON lines ``{"id", "title", "text"}`` and writes ``{"id", "scores": {label: p},
"decisions": {label: 0|1}, "evidence": {label: [sentence, ...]}}``. eval classifies a file, compares with
a labels file (``{"id", label: 0|1, ...}``; items without labels are ignored) and reports precision,
recall and F1 at both threshold sets, the expected calibration error with its reliability table, and the
keyword baseline (the lexicon tagger) on the same items; on request it writes the items it got wrong, most
confident first, with their scores and evidence, for a person to read.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from nlp.heads import THRESHOLD_SETS, load_heads
from nlp.metrics import (
    ReliabilityBin,
    Scores,
    ece_by_resample,
    expected_calibration_error,
    f1_by_resample,
    percentile_interval,
    prf,
    reliability,
    resample_indices,
)
from nlp.pipeline import Tagger
from nlp.settings import NlpSettings
from store import LABELS, Tagging

BATCH = 64


class InputError(Exception):
    """An input file the user gave cannot be read as the contract says."""


@dataclass(frozen=True)
class Item:
    """One line of a classify input."""

    id: str
    title: str
    text: str


def json_lines(path: Path, shape: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each non-empty line; unreadable input is one :class:`InputError`.

    :param shape: what a line should look like, for the error message
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc}); give a UTF-8 JSON-lines file of {shape}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc}); each line must be {shape}") from exc
        if not isinstance(row, dict) or "id" not in row:
            raise InputError(f'{path}:{number}: no "id"; each line must be {shape}')
        yield number, row


def read_items(path: Path) -> list[Item]:
    """Items of a classify input file."""
    shape = '{"id": ..., "title": ..., "text": ...}'
    return [Item(id=str(row["id"]), title=str(row.get("title") or ""), text=str(row.get("text") or ""))
            for _, row in json_lines(path, shape)]


def tag_items(tagger: Tagger, items: list[Item]) -> Iterator[tuple[Item, Tagging]]:
    """Tag items in batches, in order."""
    for start in range(0, len(items), BATCH):
        chunk = items[start:start + BATCH]
        yield from zip(chunk, tagger.tag_many([(i.title, i.text) for i in chunk]), strict=True)


def contract_line(item: Item, tagging: Tagging) -> dict[str, Any]:
    """The classify output record of one item."""
    return {
        "id": item.id,
        "scores": {label: round(tagging.labels[label].score, 4) for label in LABELS},
        "decisions": {label: int(tagging.labels[label].decision) for label in LABELS},
        "evidence": {label: [e.sentence for e in tagging.labels[label].evidence] for label in LABELS},
    }


def classify_file(settings: NlpSettings, source: Path, out: TextIO) -> int:
    """Classify ``source`` into ``out``; returns the number of items."""
    items = read_items(source)
    tagger = Tagger(settings)
    for item, tagging in tag_items(tagger, items):
        out.write(json.dumps(contract_line(item, tagging), ensure_ascii=False) + "\n")
    return len(items)


def read_labels(path: Path) -> dict[str, dict[str, int]]:
    """Labels by id from a JSON-lines file."""
    shape = '{"id": ..., ' + ", ".join(f'"{label}": 0|1' for label in LABELS) + "}"
    labels = {}
    lines: dict[str, int] = {}
    for number, row in json_lines(path, shape):
        ident = str(row["id"])
        if ident in lines:  # which of two lines is the truth is not for eval to guess
            raise InputError(f"{path}:{number}: id {ident} is already labelled on line {lines[ident]}; "
                             "give each id one line")
        lines[ident] = number
        try:
            labels[ident] = {label: int(row[label]) for label in LABELS}
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}:{number}: missing or non-0/1 label {exc}; each line must be {shape}") from exc
    return labels


@dataclass(frozen=True)
class LabelReport:
    """One label's measurements."""

    label: str
    by_threshold: dict[str, Scores]
    # F1 in each bootstrap resample of the items (the same resamples for every label), per threshold set:
    # on a few hundred items one item moves F1 by ~0.01, and the interval says how far to trust a difference.
    f1_resamples: dict[str, np.ndarray]
    ece: float
    # The calibration error in the same resamples.
    ece_resamples: np.ndarray
    keyword: Scores
    # The keyword baseline's F1 in the same resamples, for a paired comparison.
    keyword_f1_resamples: np.ndarray
    reliability: list[ReliabilityBin]
    # Items decided wrongly at the configured threshold set, most confident error first (see :func:`error_line`).
    errors: list[dict[str, Any]]


def error_line(item: Item, tagging: Tagging, label: str, truth: int, threshold_set: str) -> dict[str, Any]:
    """One wrongly decided item for ``eval --errors``: what it was, what frwatch said, and why."""
    verdict = tagging.labels[label]
    return {
        "id": item.id, "label": label, "truth": truth,
        "error": "false positive" if verdict.decision else "false negative",
        "score": round(verdict.score, 4), "threshold_set": threshold_set, "threshold": round(verdict.threshold, 4),
        "title": item.title, "evidence": [e.sentence for e in verdict.evidence],
    }


def evaluate(settings: NlpSettings, source: Path, labels_path: Path) -> tuple[int, list[LabelReport]]:
    """Measure the classifier and the keyword baseline on the labelled items of ``source``."""
    labels = read_labels(labels_path)
    items = [i for i in read_items(source) if i.id in labels]
    if not items:
        raise InputError(f"{labels_path}: none of its ids are in {source}")
    # an item counted twice would weigh twice in every figure
    if twice := next((ident for ident, n in Counter(i.id for i in items).items() if n > 1), None):
        raise InputError(f"{source}: id {twice} appears on more than one line; give each item one line")
    tagger = Tagger(settings.model_copy(update={"classifier": "transformer"}))
    baseline = Tagger(settings.model_copy(update={"classifier": "lexicon"}))
    heads = load_heads(settings.heads_file)
    scored = [t for _, t in tag_items(tagger, items)]
    keyword = [t for _, t in tag_items(baseline, items)]
    reports = []
    resamples = resample_indices(len(items))
    for label in LABELS:
        truth = np.array([labels[i.id][label] for i in items])
        prob = np.array([t.labels[label].score for t in scored])
        decided = {name: (prob >= heads.heads[label].thresholds[name].value).astype(int) for name in THRESHOLD_SETS}
        by_threshold = {name: prf(truth, d) for name, d in decided.items()}
        f1_resamples = {name: f1_by_resample(truth, d, resamples) for name, d in decided.items()}
        kw_decided = np.array([int(t.labels[label].decision) for t in keyword])
        kw = prf(truth, kw_decided)
        wrong = [k for k, t in enumerate(scored) if t.labels[label].decision != bool(truth[k])]
        # Confident mistakes first: how sure a false positive was is its score, a false negative's is 1 - score.
        wrong.sort(key=lambda k: -prob[k] if scored[k].labels[label].decision else prob[k] - 1)
        errors = [error_line(items[k], scored[k], label, int(truth[k]), settings.threshold_set) for k in wrong]
        reports.append(LabelReport(label, by_threshold, f1_resamples, expected_calibration_error(truth, prob),
                                   ece_by_resample(truth, prob, resamples), kw,
                                   f1_by_resample(truth, kw_decided, resamples), reliability(truth, prob), errors))
    return len(items), reports


def _unwritable(path: Path, exc: OSError) -> InputError:
    return InputError(f"{path}: cannot write ({exc.strerror}); give a writable file path")


def f1_interval(report: LabelReport, threshold_set: str, level: float = 0.95) -> tuple[float, float]:
    """The bootstrap interval of one label's F1 at a threshold set."""
    return percentile_interval(report.f1_resamples[threshold_set], level)


def ece_interval(report: LabelReport, level: float = 0.95) -> tuple[float, float]:
    """The bootstrap interval of one label's calibration error."""
    return percentile_interval(report.ece_resamples, level)


def _macro_resamples(reports: list[LabelReport]) -> np.ndarray:
    """The model's macro-F1 (``balanced``) in each resample: the labels averaged within it."""
    return np.mean([r.f1_resamples["balanced"] for r in reports], axis=0)


def macro_f1_interval(reports: list[LabelReport], level: float = 0.95) -> tuple[float, float]:
    """The bootstrap interval of the macro-F1 at ``balanced``."""
    return percentile_interval(_macro_resamples(reports), level)


def macro_gain_interval(reports: list[LabelReport], level: float = 0.95) -> tuple[float, float]:
    """The bootstrap interval of the model's macro-F1 (``balanced``) minus the keyword baseline's, paired:
    both scored on the same resamples, so what the two get right or wrong together cancels."""
    keyword = np.mean([r.keyword_f1_resamples for r in reports], axis=0)
    return percentile_interval(_macro_resamples(reports) - keyword, level)


def writable(path: Path) -> None:
    """Fail now, in one line, if ``path`` cannot be written (its folder missing, no permission)."""
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise _unwritable(path, exc) from exc


def write_errors(path: Path, reports: list[LabelReport]) -> int:
    """Write every report's wrongly decided items to ``path`` as JSON lines; returns how many."""
    rows = [row for report in reports for row in report.errors]
    try:
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    return len(rows)
