"""Threshold choice and calibration error (nlp/metrics.py) on small arrays worked out by hand."""

import numpy as np
import pytest

from nlp.metrics import (
    ece_by_resample,
    expected_calibration_error,
    f1_by_resample,
    f1_optimal_threshold,
    percentile_interval,
    precision_threshold,
    prf,
    reliability,
    resample_indices,
    wilson_lower_bound,
)


def test_wilson_lower_bound_known_values():
    # 50 of 100 at 95% two-sided (z = 1.96): the textbook interval is 0.404 to 0.596.
    assert wilson_lower_bound(0.5, 100, 1.96) == pytest.approx(0.4038, abs=1e-4)
    # A perfect record on few trials is weak evidence: 10 of 10 gives a lower bound near 0.79.
    assert wilson_lower_bound(1.0, 10) == pytest.approx(0.7870, abs=1e-3)
    assert wilson_lower_bound(1.0, 0) == 0.0
    assert wilson_lower_bound(0.99, 1000) > wilson_lower_bound(0.99, 100)


def test_precision_threshold_wants_confidence_not_a_lucky_few():
    # 150 positives score highest, then 200 items of which every tenth is negative, then noise.
    top = np.linspace(0.99, 0.80, 150)
    middle = np.linspace(0.79, 0.50, 200)
    low = np.linspace(0.49, 0.0, 300)
    prob = np.concatenate([top, middle, low])
    truth = np.concatenate([np.ones(150), (np.arange(200) % 10 != 5).astype(int), np.arange(300) % 2])
    t = precision_threshold(truth, prob, 0.97)
    decided = (prob >= t).astype(int)
    assert wilson_lower_bound(prf(truth, decided).precision, int(decided.sum())) >= 0.97
    # Measured precision alone would go deeper into the mixed scores: the lowest threshold still at 0.97.
    bare = min(c for c in np.unique(prob) if prf(truth, (prob >= c).astype(int)).precision >= 0.97)
    assert t > bare
    assert decided.sum() > 150  # but it does not stop at the clean top: enough evidence is enough
    # A target no threshold meets gives 1.0 (nothing is decided positive).
    assert precision_threshold(truth, prob, 0.999) == 1.0


def test_f1_optimal_threshold_is_half_the_best_f1_and_holds_still():
    truth = np.array([0, 0, 0, 1, 1, 1])
    prob = np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9])
    assert f1_optimal_threshold(truth, prob) == pytest.approx(0.5)  # best F1 1.0
    # Calibrated scores (each item is positive with its own probability): two samples of one population get
    # nearly the same threshold, and the F1 there is within a hair of the best any threshold reaches.
    chosen = []
    for seed in (1, 2):
        rng = np.random.default_rng(seed)
        prob = rng.beta(0.6, 1.2, 3000)
        truth = (rng.random(3000) < prob).astype(int)
        t = f1_optimal_threshold(truth, prob)
        best = max(prf(truth, (prob >= c).astype(int)).f1 for c in np.linspace(0.01, 0.99, 99))
        assert prf(truth, (prob >= t).astype(int)).f1 > best - 0.01
        chosen.append(t)
    assert abs(chosen[0] - chosen[1]) < 0.02


def test_calibration_error_zero_when_confidence_matches_frequency():
    prob = np.array([0.25] * 4 + [0.75] * 4)
    truth = np.array([1, 0, 0, 0, 1, 1, 1, 0])
    assert expected_calibration_error(truth, prob) == pytest.approx(0.0)
    # Always saying 0.9 for something true half the time is off by 0.4.
    assert expected_calibration_error(np.array([1, 0] * 5), np.full(10, 0.9)) == pytest.approx(0.4)


def test_reliability_table_counts_bins_and_leaves_empty_ones_out():
    prob = np.array([0.05, 0.05, 0.25, 0.95, 1.0])
    truth = np.array([0, 0, 1, 1, 0.5])  # a toss-up counts as half a positive
    bins = reliability(truth, prob)
    assert [(b.low, b.count) for b in bins] == [(0.0, 2), (pytest.approx(0.2), 1), (pytest.approx(0.9), 2)]
    assert bins[-1].mean_probability == pytest.approx(0.975) and bins[-1].positive_rate == pytest.approx(0.75)
    assert bins[0].positive_rate == 0.0 and bins[1].positive_rate == 1.0


def test_f1_by_resample_counts_as_prf_and_the_interval_brackets_it():
    truth = np.array([1, 1, 0, 0, 0.5, 1, 0, 1])
    decided = np.array([1, 0, 1, 0, 1, 1, 0, 1])
    # The identity "resample" and a permutation reproduce prf's F1 exactly (soft targets included).
    rows = np.array([np.arange(8), np.arange(8)[::-1]])
    assert f1_by_resample(truth, decided, rows) == pytest.approx([prf(truth, decided).f1] * 2)
    # A resample with nothing to find and nothing found scores 1, as prf does; one with only misses 0.
    assert f1_by_resample(truth, decided, np.array([[3, 3, 6], [1, 1, 1]])).tolist() == [1.0, 0.0]
    draws = resample_indices(8, resamples=2000, seed=5)
    assert draws.shape == (2000, 8) and (resample_indices(8, resamples=2000, seed=5) == draws).all()
    low, high = percentile_interval(f1_by_resample(truth, decided, draws))
    assert 0 <= low < prf(truth, decided).f1 < high <= 1


def test_ece_by_resample_is_the_calibration_error_of_each_resample():
    truth = np.array([0, 0, 1, 1, 1, 0, 1, 0])
    prob = np.array([0.1, 0.3, 0.8, 0.9, 0.6, 0.2, 0.95, 0.7])
    rows = np.array([np.arange(8), [0, 0, 2, 2, 5, 5, 6, 7]])
    values = ece_by_resample(truth, prob, rows)
    assert values[0] == pytest.approx(expected_calibration_error(truth, prob))
    assert values[1] == pytest.approx(expected_calibration_error(truth[rows[1]], prob[rows[1]]))
    low, high = percentile_interval(ece_by_resample(truth, prob, resample_indices(8, resamples=500, seed=3)))
    assert 0 <= low <= expected_calibration_error(truth, prob) <= high <= 1
