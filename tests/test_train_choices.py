"""How `frwatch train` chooses how loudly the lexical features may speak (nlp/train.py), on synthetic data."""

import numpy as np

from nlp.train import choose_c, choose_lexical_scale


def _data(lexical_informative: bool, n: int = 600, seed: int = 5) -> tuple[np.ndarray, np.ndarray, slice]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    # 40 weak "embedding" columns carry a little signal each; 2 "lexical" columns carry a lot, or none.
    embedding = rng.normal(0, 1, (n, 40)) + 0.15 * y[:, None]
    lexical = rng.normal(0, 1, (n, 2)) + (2.5 * y[:, None] if lexical_informative else 0.0)
    x = np.hstack([embedding, lexical])
    return (x - x.mean(0)) / x.std(0), y, slice(40, 42)


def test_a_strong_lexical_signal_is_let_through():
    z, y, lexical = _data(lexical_informative=True)
    c, oof, losses = choose_c(z, y, folds=5)
    scale, scaled_oof = choose_lexical_scale(z, y, c, 5, (oof, losses), lexical)
    assert scale > 1.0
    assert scaled_oof.shape == oof.shape


def test_noise_in_the_lexical_columns_keeps_the_default():
    z, y, lexical = _data(lexical_informative=False)
    c, oof, losses = choose_c(z, y, folds=5)
    scale, scaled_oof = choose_lexical_scale(z, y, c, 5, (oof, losses), lexical)
    assert scale == 1.0
    assert np.array_equal(scaled_oof, oof)
