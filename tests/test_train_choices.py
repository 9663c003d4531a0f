"""How `frwatch train` chooses how loudly the lexical features may speak (nlp/train.py), on synthetic data."""

import numpy as np

from nlp.dataset import cross_validation_folds
from nlp.train import SEED, choose_c, choose_lexical_scale


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
    splits = cross_validation_folds(y, np.arange(len(y)) % 12, 5, SEED)
    c, oof, losses = choose_c(z, y, splits)
    scale, scaled_oof = choose_lexical_scale(z, y, c, splits, (oof, losses), lexical)
    assert scale > 1.0
    assert scaled_oof.shape == oof.shape


def test_noise_in_the_lexical_columns_keeps_the_default():
    z, y, lexical = _data(lexical_informative=False)
    splits = cross_validation_folds(y, np.arange(len(y)) % 12, 5, SEED)
    c, oof, losses = choose_c(z, y, splits)
    scale, scaled_oof = choose_lexical_scale(z, y, c, splits, (oof, losses), lexical)
    assert scale == 1.0
    assert np.array_equal(scaled_oof, oof)


def test_folds_keep_each_data_file_whole_and_cover_every_passage_once():
    rng = np.random.default_rng(3)
    groups = np.repeat(np.array([f"file{i}" for i in range(9)]), rng.integers(20, 60, 9))
    y = rng.integers(0, 2, len(groups)).astype(float)
    splits = cross_validation_folds(y, groups, 5, SEED)
    assert len(splits) == 5
    held = np.concatenate([h for _, h in splits])
    assert sorted(held.tolist()) == list(range(len(y)))
    for fit_idx, held_idx in splits:
        assert not set(groups[fit_idx]) & set(groups[held_idx])


def test_folds_fall_back_to_plain_stratified_with_fewer_files_than_folds():
    y = np.tile([0.0, 1.0], 50)
    splits = cross_validation_folds(y, np.array(["only"] * 100), 5, SEED)
    assert len(splits) == 5
    assert all(0.4 <= y[h].mean() <= 0.6 for _, h in splits)


def test_soft_targets_train_toward_a_half():
    from nlp.train import _fit

    rng = np.random.default_rng(2)
    # Three clusters: clearly negative, clearly positive, and one the conventions call a toss-up.
    centres = np.array([[-3.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    x = np.vstack([c + rng.normal(0, 0.3, (80, 2)) for c in centres])
    y = np.concatenate([np.zeros(80), np.ones(80), np.full(80, 0.5)])
    model = _fit(1.0, np.hstack([x, x ** 2]), y)
    toss_up = model.predict_proba(np.hstack([x[160:], x[160:] ** 2]))[:, 1]
    assert 0.35 < toss_up.mean() < 0.65
    hard = _fit(1.0, np.hstack([x, x ** 2]), (y >= 0.5).astype(float))  # the same rows read as positives
    assert hard.predict_proba(np.hstack([x[160:], x[160:] ** 2]))[:, 1].mean() > 0.8


def test_unsure_labels_load_as_half_targets_and_unknown_names_are_refused(tmp_path):
    import json

    import pytest

    from nlp.dataset import load_examples

    row = {"id": "t-1", "register": "headline", "title": "Town bars police face scans", "text": "",
           "facial_recognition": 1, "law_enforcement": 1, "civil_rights": 1, "unsure": ["civil_rights"]}
    (tmp_path / "a.jsonl").write_text(json.dumps(row) + "\n")
    (example,) = load_examples(tmp_path)
    assert example.target("civil_rights") == 0.5 and example.target("law_enforcement") == 1.0
    assert example.source == "a"  # the file it came from: cross-validation keeps a file together
    (tmp_path / "a.jsonl").write_text(json.dumps({**row, "unsure": ["civil_right"]}) + "\n")
    with pytest.raises(ValueError, match=r"a\.jsonl:1"):
        load_examples(tmp_path)


def test_an_id_used_twice_across_data_files_is_refused(tmp_path):
    import json

    import pytest

    from nlp.dataset import load_examples

    row = {"id": "t-1", "register": "headline", "title": "Town bars police face scans", "text": "",
           "facial_recognition": 1, "law_enforcement": 1, "civil_rights": 0}
    (tmp_path / "a.jsonl").write_text(json.dumps(row) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({**row, "title": "Another line"}) + "\n")
    with pytest.raises(ValueError, match=r"b\.jsonl:1: id t-1 is already used in a\.jsonl"):
        load_examples(tmp_path)


def test_long_negatives_train_as_the_windows_the_tagger_reads():
    from nlp.dataset import Example
    from nlp.topic import reading_windows
    from nlp.train import best_window, reading_units

    paragraph = ("The fraud team reviewed every chargeback by hand that quarter, and the numbers moved less than "
                 "anyone hoped. ") * 4
    essay = "\n\n".join([paragraph, paragraph.replace("fraud team", "support desk"),
                         "You could double the police budget or build an Orwellian dystopia; we did neither."])
    labels = {"facial_recognition": 0, "law_enforcement": 0, "civil_rights": 0}
    negative = Example("n-1", "essay", "Chargebacks, again", essay, labels)
    positive = Example("p-1", "essay", "Chargebacks, again", essay, {**labels, "civil_rights": 1})
    short = Example("s-1", "headline", "Council bans police face recognition", "", labels)
    texts, parents, targets = reading_units([negative, positive, short])
    windows = reading_windows(negative.title, negative.text)
    assert len(windows) > 2 and windows[-1].endswith("we did neither.")  # the tail the encoder cut off
    assert texts == [*windows, positive.passage, short.passage]
    assert parents.tolist() == [0] * len(windows) + [1, 2]
    assert targets[:, 2].tolist() == [0.0] * len(windows) + [1.0, 0.0]
    # A passage's probability is its best window's, as a document's is.
    prob = np.linspace(0.1, 0.9, len(texts))
    assert best_window(parents, prob, 3).tolist() == [prob[len(windows) - 1], prob[-2], prob[-1]]


def _long_report(title: str = "A busy week at city hall") -> tuple[str, str]:
    budget = ("The council spent most of Tuesday on the road budget, which grew by four percent after the winter "
              "storms. Members argued about potholes on the east side for nearly an hour. ") * 3
    claim = ("Near the end, a resident said the police department's new face-matching contract would put every "
             "protester on a watch list without consent.")
    return title, "\n\n".join([budget, budget.replace("road", "parks"), claim])


def test_a_long_passage_with_carriers_trains_window_by_window():
    from nlp.dataset import Example
    from nlp.topic import reading_windows
    from nlp.train import reading_units, whole_readings

    title, text = _long_report()
    claim = text.split("\n\n")[-1]
    labels = {"facial_recognition": 1, "law_enforcement": 1, "civil_rights": 1}
    marked = Example("c-1", "newswire", title, text, labels,
                     carriers={label: (claim,) for label in labels})
    unmarked = Example("c-2", "newswire", title, text, labels)
    texts, parents, targets = reading_units([marked, unmarked])
    windows = reading_windows(title, text)
    assert len(windows) > 2
    assert texts == [*windows, unmarked.passage]
    # Only the window holding the claim is a positive; the budget windows teach what a negative window is.
    assert targets[: len(windows)].tolist() == [[0.0] * 3] * (len(windows) - 1) + [[1.0] * 3]
    assert targets[-1].tolist() == [1.0] * 3
    # The passage that trains whole is still read window by window when the length correction is fitted.
    extra, owners = whole_readings([marked, unmarked], parents)
    assert extra == windows and owners.tolist() == [1] * len(windows)


def test_carriers_that_cannot_be_placed_are_refused(tmp_path):
    import json

    import pytest

    from nlp.dataset import load_examples

    title, text = _long_report()
    claim = text.split("\n\n")[-1]
    row = {"id": "c-1", "register": "newswire", "title": title, "text": text, "facial_recognition": 1,
           "law_enforcement": 1, "civil_rights": 1,
           "carriers": {"facial_recognition": [claim], "law_enforcement": [claim], "civil_rights": [claim]}}
    (tmp_path / "a.jsonl").write_text(json.dumps(row) + "\n")
    (example,) = load_examples(tmp_path)
    assert example.carriers["civil_rights"] == (claim,)
    for change, message in (
        ({"civil_rights": ["a protester on a watch list without their consent."]}, "not in the title or text"),
        ({"civil_rights": []}, "civil_rights is 1 but no sentence carries it"),
        ({"civil_right": [claim]}, "not labels"),
    ):
        bad = {**row, "carriers": {**row["carriers"], **change}}
        (tmp_path / "a.jsonl").write_text(json.dumps(bad) + "\n")
        with pytest.raises(ValueError, match=rf"a\.jsonl:1: .*{message}"):
            load_examples(tmp_path)
    (tmp_path / "a.jsonl").write_text(json.dumps({**row, "civil_rights": 0}) + "\n")
    with pytest.raises(ValueError, match="civil_rights is 0 but carriers list sentences"):
        load_examples(tmp_path)


def test_a_documents_odds_shrink_with_its_number_of_windows():
    from nlp.heads import document_probability

    best = np.array([0.0, 0.2, 0.5, 0.9, 1.0])
    assert np.allclose(document_probability(best, 1, 1.5), best)  # one window: its own probability
    four = document_probability(best, 4, 1.0)
    assert four[0] == 0.0 and np.isclose(four[2], 0.2)  # odds 1 / 4
    assert np.all(np.diff(document_probability(0.9, np.arange(1, 9), 1.0)) < 0)
    assert np.allclose(document_probability(best, 4, 0.0), best)


def test_the_length_exponent_undoes_the_luck_of_the_best_window():
    from nlp.train import fit_length_exponent

    rng = np.random.default_rng(3)
    # Calibrated windows: each is positive with its probability. A negative document of k windows keeps the
    # best of k draws, so its maximum grows with k while its label does not.
    windows = rng.integers(1, 9, 4000)
    y = (rng.random(4000) < 0.3).astype(float)
    best = np.array([rng.beta(1, 6, k).max() for k in windows])
    best[y == 1] = rng.beta(6, 1.5, int(y.sum()))
    exponent = fit_length_exponent(best, windows, y)
    assert exponent > 0.5
    assert fit_length_exponent(best, np.ones_like(windows), y) == 0.0  # nothing to correct with one window
