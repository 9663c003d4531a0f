"""The article-extraction benchmark's metric: word 4-gram shingles, per-page precision and recall.

As the benchmark's README describes it: tokenize extracted and true bodies into words, take each side's
set of word 4-grams, score per-page precision and recall of the extracted shingles (an empty extraction
has precision 0 unless the truth is empty too), average both over pages, and report the F1 of the
averages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    """The set of word n-grams of ``text`` (lower-cased words)."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def page_scores(extracted: str, truth: str) -> tuple[float, float]:
    """Precision and recall of one page's extraction."""
    got, want = shingles(extracted), shingles(truth)
    if not got:
        return (1.0 if not want else 0.0), (1.0 if not want else 0.0)
    if not want:
        return 0.0, 1.0
    common = len(got & want)
    return common / len(got), common / len(want)


def f1_of_averages(pairs: Iterable[tuple[float, float]]) -> tuple[float, float, float]:
    """Averaged precision and recall over pages and the F1 of those averages."""
    rows = list(pairs)
    precision = sum(p for p, _ in rows) / len(rows)
    recall = sum(r for _, r in rows) / len(rows)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
