"""The trained classifier: its files, windows, relations, and the classify / eval / train contracts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nlp import NlpSettings, Tagger
from nlp.classifier import FIRST_PASS_RULES, TopicModel, windows
from nlp.dataset import load_examples, split_of
from nlp.encoder import shared_encoder
from nlp.gate import GATE_FILE, Readings, fit_gate, kept_labels, load_gate
from nlp.gate import content_version as gate_version
from nlp.heads import HEADS_FILE, HeadsError, content_version, load_heads
from nlp.lexicon import lexicon_version, load_lexicon
from nlp.neighbours import NEIGHBOURS_FILE, file_sha256
from nlp.settings import LEXICON_DIR
from nlp.train import fit_heads, gate_readings
from store import LABELS
from tests.conftest import run_frwatch


def test_heads_file_matches_its_version_and_the_lexicon():
    payload = json.loads(HEADS_FILE.read_text())
    assert payload["version"] == content_version(payload)
    assert payload["lexicon"] == lexicon_version(LEXICON_DIR), "lexicon changed: run `frwatch train`"
    heads = load_heads()
    TopicModel(HEADS_FILE, load_lexicon(LEXICON_DIR), LEXICON_DIR)  # refuses a mismatched lexicon or index
    assert payload["meta"]["neighbours_sha256"] == file_sha256(NEIGHBOURS_FILE), "index changed: run `frwatch train`"
    for label in LABELS:
        head = heads.heads[label]
        assert head.thresholds["high_precision"].precision >= 0.97
        assert head.thresholds["high_precision"].value >= head.thresholds["balanced"].value
        assert 0 < head.thresholds["balanced"].value < 1
        assert payload["labels"][label]["valid_ece"] <= 0.06, "calibration error on project validation data"


def test_heads_calibrated_with_another_neighbour_count_are_refused(tmp_path, monkeypatch):
    import shutil

    import nlp.classifier

    for name in (HEADS_FILE.name, GATE_FILE.name, NEIGHBOURS_FILE.name):
        shutil.copy(HEADS_FILE.with_name(name), tmp_path / name)
    TopicModel(tmp_path / HEADS_FILE.name, load_lexicon(LEXICON_DIR), LEXICON_DIR)
    monkeypatch.setattr(nlp.classifier, "NEIGHBOURS_K", 25)
    with pytest.raises(HeadsError, match="frwatch train"):
        TopicModel(tmp_path / HEADS_FILE.name, load_lexicon(LEXICON_DIR), LEXICON_DIR)


def test_windows_keep_the_title_with_its_lead_and_cover_every_sentence():
    sentences = ["A title"] + [" ".join(["word"] * 30)] * 6
    wins = windows(sentences, title_count=1)
    assert wins[0].first == 0 and wins[0].last >= 1
    covered = [i for w in wins for i in range(w.first, w.last + 1)]
    assert covered == list(range(len(sentences)))
    assert all(len(w.text.split()) <= 90 for w in wins)


def test_relations_from_sentences_tagged_fr_and_le():
    tagger = Tagger(NlpSettings())
    result = tagger.tag(
        "Sheriff's office buys face-matching software",
        "The Washington County Sheriff's Office signed a contract to license Amazon Rekognition for its "
        "booking-photo archive. Amazon later halted police use of Rekognition for a year.",
    )
    actions = {(r.action, r.product) for r in result.relations}
    assert ("sells", "Amazon Rekognition") in actions
    assert ("halts", "Amazon Rekognition") in actions
    assert all(r.agency for r in result.relations)


def test_fit_heads_writes_a_loadable_calibrated_file(tmp_path):
    examples = [e for e in load_examples() if split_of(e.id) == "train"][::12] + \
        [e for e in load_examples() if split_of(e.id) == "valid"][::6]
    path = tmp_path / "heads.json"
    lexicon = load_lexicon(LEXICON_DIR)
    report = fit_heads(examples, shared_encoder(), lexicon, lexicon_version(LEXICON_DIR), path, folds=3)
    heads = load_heads(path)
    assert heads.version == report.version and len(report.rows) == 6
    assert {r["threshold_set"] for r in report.rows} == {"balanced", "high_precision"}
    again = fit_heads(examples, shared_encoder(), lexicon, lexicon_version(LEXICON_DIR), tmp_path / "b.json",
                      folds=3)
    assert again.version == report.version, "training is deterministic"


@pytest.fixture(scope="module")
def items_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("classify")
    rows = [
        {"id": "a", "title": "Police in Lakeport adopt face recognition",
         "text": "Officers will compare suspects' photos with the state's licence database. Critics warned of "
                 "misidentifications of Black residents."},
        {"id": "b", "title": "New phone unlocks with your face", "text": "Face ID now works with a mask on."},
        {"id": "c", "title": "Storage prices fall", "text": "A colder archive tier launched today."},
    ]
    (folder / "items.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    labels = [{"id": "a", "facial_recognition": 1, "law_enforcement": 1, "civil_rights": 1},
              {"id": "b", "facial_recognition": 1, "law_enforcement": 0, "civil_rights": 0},
              {"id": "c", "facial_recognition": 0, "law_enforcement": 0, "civil_rights": 0}]
    (folder / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in labels))
    return folder


def test_classify_contract(items_file):
    result = run_frwatch("classify", "--input", "items.jsonl", "--output", "out.jsonl", cwd=items_file)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in (items_file / "out.jsonl").read_text().splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    for o in out:
        assert set(o) == {"id", "scores", "decisions", "evidence"}
        assert set(o["scores"]) == set(o["decisions"]) == set(o["evidence"]) == set(LABELS)
        assert all(0 <= p <= 1 for p in o["scores"].values()) and set(o["decisions"].values()) <= {0, 1}
    a, b, c = out
    assert a["decisions"] == {"facial_recognition": 1, "law_enforcement": 1, "civil_rights": 1}
    assert b["decisions"] == {"facial_recognition": 1, "law_enforcement": 0, "civil_rights": 0}
    assert c["decisions"] == {"facial_recognition": 0, "law_enforcement": 0, "civil_rights": 0}
    assert any("misidentifications" in s for s in a["evidence"]["civil_rights"])
    assert c["evidence"]["facial_recognition"] == []


def test_an_empty_document_scores_zero_beside_others_in_its_batch():
    # A page whose extraction came back empty must not stop the tag job or a classify run.
    tagger = Tagger(NlpSettings())
    empty, blank, real = tagger.tag_many([("", ""), ("  ", "\n\n"), ("Police use Clearview AI", "")])
    for result in (empty, blank):
        assert all(r.score == 0 and not r.decision and not r.evidence for r in result.labels.values())
    assert real.labels["facial_recognition"].decision


def test_classify_bad_line_is_one_clear_error(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"id": "x", "title": "ok"}\nnot json\n')
    result = run_frwatch("classify", "--input", "bad.jsonl", "--output", "o.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "bad.jsonl:2" in result.stderr


def test_eval_reports_both_thresholds_calibration_and_baseline(items_file):
    result = run_frwatch("eval", "items.jsonl", "--labels", "labels.jsonl", cwd=items_file)
    assert result.returncode == 0, result.stderr
    for needle in ("balanced", "high_precision", "ECE", "keyword", "macro-F1", "3 labelled items", "95% interval",
                   "model − keyword"):
        assert needle in result.stdout


def test_eval_reliability_table_and_errors_file(items_file):
    # Labels that disagree with what the tagger rightly says: "b" (Face ID) called not face recognition, "c"
    # (storage prices) called a civil-rights item. Both must come back as errors, with scores and evidence.
    wrong = [{"id": "a", "facial_recognition": 1, "law_enforcement": 1, "civil_rights": 1},
             {"id": "b", "facial_recognition": 0, "law_enforcement": 0, "civil_rights": 0},
             {"id": "c", "facial_recognition": 0, "law_enforcement": 0, "civil_rights": 1}]
    (items_file / "wrong.jsonl").write_text("".join(json.dumps(r) + "\n" for r in wrong))
    result = run_frwatch("eval", "items.jsonl", "--labels", "wrong.jsonl", "--reliability", "--errors", "err.jsonl",
                         cwd=items_file)
    assert result.returncode == 0, result.stderr
    assert "share positive" in result.stdout and "0.9–1.0" in result.stdout
    errors = [json.loads(line) for line in (items_file / "err.jsonl").read_text().splitlines()]
    assert [(e["id"], e["label"], e["error"]) for e in errors] == [
        ("b", "facial_recognition", "false positive"), ("c", "civil_rights", "false negative")]
    fp, fn = errors
    assert fp["score"] >= fp["threshold"] and fp["evidence"] and fp["threshold_set"] == "balanced"
    assert fn["score"] < fn["threshold"] and fn["evidence"] == [] and fn["title"] == "Storage prices fall"
    assert "2 wrongly decided" in result.stderr


def test_eval_unwritable_errors_file_fails_before_tagging(items_file):
    result = run_frwatch("eval", "items.jsonl", "--labels", "labels.jsonl", "--errors", "no/such/dir/e.jsonl",
                         cwd=items_file)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no/such/dir/e.jsonl" in result.stderr
    assert "labelled items" not in result.stdout


def test_eval_refuses_an_id_labelled_twice_or_an_item_given_twice(items_file):
    labels = (items_file / "labels.jsonl").read_text()
    (items_file / "twice.jsonl").write_text(labels + labels.splitlines()[0].replace('"civil_rights": 1',
                                                                                   '"civil_rights": 0') + "\n")
    result = run_frwatch("eval", "items.jsonl", "--labels", "twice.jsonl", cwd=items_file)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "twice.jsonl:4" in result.stderr and "line 1" in result.stderr
    items = (items_file / "items.jsonl").read_text()
    (items_file / "doubled.jsonl").write_text(items + items.splitlines()[1] + "\n")
    result = run_frwatch("eval", "doubled.jsonl", "--labels", "labels.jsonl", cwd=items_file)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "doubled.jsonl" in result.stderr and "id b" in result.stderr
    assert "labelled items" not in result.stdout


def test_gate_file_is_small_checked_and_lets_the_positives_through():
    payload = json.loads(GATE_FILE.read_text())
    gate = load_gate()
    assert gate.version == payload["version"] == gate_version(payload)
    assert len(gate.indices) == len(gate.weights) < 5000 and GATE_FILE.stat().st_size < 100_000
    assert payload["measured"]["cv_recall"] >= 0.995
    assert payload["measured"]["valid_recall"] >= 0.98
    passed = gate.passes(["Police in Lakeport adopt face recognition to search the state's licence photos.",
                          "Critics warned the scans misidentify Black residents and chill protest."])
    assert passed.all()


def test_a_passage_keeps_its_labels_through_the_gate_by_its_weakest_label():
    # Passage 0: one window for face recognition (score 2), two for civil rights (best 0.5); passage 1: a
    # negative; passage 2: one window positive for both labels.
    labels = np.array([[1, 0, 0], [0, 0, 1], [0, 0, 1], [0, 0, 0], [1, 0, 1]], dtype=bool)
    readings = Readings(["a", "b", "c", "d", "e"], np.array([0, 0, 0, 1, 2]), labels, np.array(["f"] * 5))
    assert kept_labels(readings, np.array([2.0, -1.0, 0.5, 9.0, 1.5])).tolist() == [0.5, 1.5]


def test_fit_gate_is_deterministic(tmp_path):
    examples = load_examples()[::8]
    pool = gate_readings([e for e in examples if split_of(e.id) == "train"])
    valid = gate_readings([e for e in examples if split_of(e.id) == "valid"])
    first = fit_gate(pool, valid, tmp_path / "a.json", folds=3)
    second = fit_gate(pool, valid, tmp_path / "b.json", folds=3)
    assert first.version == second.version
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert load_gate(tmp_path / "a.json").version == first.version


def test_model_version_names_heads_gate_and_first_pass_rules():
    heads, gate = load_heads(), load_gate()
    lexicon = load_lexicon(LEXICON_DIR)
    assert TopicModel(HEADS_FILE, lexicon, LEXICON_DIR).version == (
        f"{heads.version}+{gate.version}+first-pass-{FIRST_PASS_RULES}")
    assert TopicModel(HEADS_FILE, lexicon, LEXICON_DIR, first_pass=False).version == heads.version


def test_first_pass_gate_turns_away_a_cue_window_about_something_else():
    model = TopicModel(HEADS_FILE, load_lexicon(LEXICON_DIR), LEXICON_DIR)
    passages = [
        "The video platform already removes deceptive manipulated clips under its rules, though it has no "
        "written policy on deepfakes yet.",  # a cue ("deepfakes" blocks face recognition), nothing to find
        "Deputies compared the suspect's photo with the driver licence database using face recognition.",
    ]
    before = model.skipped
    probs = model.probabilities(passages)
    assert model.skipped - before == 1
    assert probs[0].max() == 0 and probs[1][LABELS.index("facial_recognition")] > 0.5
    assert model.probabilities(passages, always={0})[0].max() > 0, "windows read unconditionally bypass it"


def test_evidence_sentences_are_read_inside_their_window():
    model = TopicModel(HEADS_FILE, load_lexicon(LEXICON_DIR), LEXICON_DIR)
    cr = LABELS.index("civil_rights")
    sentences = ["Council bans police face recognition.", "It cited bias.", "The vote was 7-2."]
    _probs, tokens = model.probabilities_keeping_tokens([" ".join(sentences)], always={0})
    encoded = model.encoded
    inside = model.sentence_probabilities(tokens[0], sentences)
    assert model.encoded == encoded, "no second encoder pass"
    assert inside[1][cr] > 0.5, "a short motive sentence supports civil rights in its window"
    assert inside[2].max() == 0, "a sentence with no cue is no evidence"
    # A sentence past the encoder's 128-token limit has no states in the window: it is encoded alone.
    long = ["Police " + "and more words " * 60 + "end.", "It cited bias against Black residents."]
    _probs, tokens = model.probabilities_keeping_tokens([" ".join(long)], always={0})
    inside = model.sentence_probabilities(tokens[0], long)
    assert inside[1][cr] == pytest.approx(float(model.probabilities([long[1]], always={0})[0][cr]), abs=1e-5)


def test_only_windows_that_can_make_a_document_positive_keep_their_token_states():
    model = TopicModel(HEADS_FILE, load_lexicon(LEXICON_DIR), LEXICON_DIR, first_pass=False)
    passages = ["Deputies compared the suspect's photo with the licence database using face recognition.",
                "The county fair opens on Saturday with a parade and a pie contest near Elm Park."]
    thresholds = np.full(len(LABELS), 0.5)
    probs, tokens = model.probabilities_keeping_tokens(passages, thresholds=thresholds)
    assert set(tokens) == {0}, "the fair's window reaches no threshold: its states are not kept"
    assert np.allclose(probs, model.probabilities(passages), atol=1e-6), "scores do not depend on what is kept"
    assert set(model.probabilities_keeping_tokens(passages)[1]) == {0, 1}


def test_a_zero_threshold_makes_unread_windows_positive_without_failing():
    # Only a degenerate heads file has a threshold of 0; its "positives" then include windows the first
    # pass never encoded, which have no token states to read evidence from.
    tagger = Tagger(NlpSettings())
    topic = tagger.nlp.get_pipe("frwatch_topic")
    topic.thresholds = dict.fromkeys(topic.thresholds, 0.0)
    body = "Weather. " * 5 + "\n\n" + " ".join(["The parade route runs along the river this year."] * 40)
    result = tagger.tag("Sunny weekend ahead", body)
    assert all(r.decision and r.score == 0.0 and r.evidence for r in result.labels.values())


def test_a_long_documents_score_is_its_best_window_discounted_by_its_length():
    from nlp.heads import document_probability
    from nlp.topic import reading_windows

    budget = ("The council spent most of Tuesday on the road budget, which grew by four percent after the winter "
              "storms. Members argued about potholes on the east side for nearly an hour. ") * 3
    claim = ("Near the end, a resident said the police department's new face-matching contract would put every "
             "protester on a watch list without consent.")
    title, text = "A busy week at city hall", "\n\n".join([budget, budget.replace("road", "parks"), claim])
    found = reading_windows(title, text)
    heads = load_heads()
    best = TopicModel(HEADS_FILE, load_lexicon(LEXICON_DIR), LEXICON_DIR, first_pass=False).probabilities(found).max(0)
    result = Tagger(NlpSettings(first_pass=False)).tag(title, text)
    assert len(found) > 2
    for j, label in enumerate(LABELS):
        exponent = heads.heads[label].length_exponent
        assert exponent > 0, "fitted on the long documents of nlp/data"
        expected = float(document_probability(best[j], len(found), exponent))
        assert result.labels[label].score == pytest.approx(expected, abs=1e-4)
        assert expected < best[j] or best[j] == 0


def test_a_document_about_face_recognition_sends_its_cueless_windows_to_the_gate():
    tagger = Tagger(NlpSettings())
    model = tagger.nlp.get_pipe("frwatch_topic").model
    lead = ("The county prosecutor's office relied on a single candidate returned by the search when it charged "
            "the man with the pharmacy theft last spring, according to filings made public this week. ")
    argument = ("His lawyer argued that if other people on the list resembled the shoplifter as closely as her "
                "client did, a jury should know that the clerk was shown one of them and not the others. ")
    body = lead * 2 + "\n\n" + argument * 2

    def encoded(title: str) -> int:
        before = model.encoded
        tagger.tag(title, body)
        return model.encoded - before

    # The argument names no cue; under a title naming face recognition it is read (if the gate agrees),
    # under a neutral one it is not.
    about = encoded("Defence challenges a face recognition lead in a pharmacy theft case")
    neutral = encoded("Defence challenges the lead in a pharmacy theft case")
    assert about > neutral
