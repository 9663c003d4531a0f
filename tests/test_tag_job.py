"""The tag job over a real SQLite file: pending documents get tags, reruns are no-ops, changes re-tag."""

from __future__ import annotations

import store
from nlp import NlpSettings, Tagger, tag_pending
from tests.conftest import document


def test_tag_pending_then_rerun_then_change(fresh_db):
    tagger = Tagger(NlpSettings(batch_size=2))
    store.upsert_document(fresh_db, document("https://e.org/1"))
    store.upsert_document(fresh_db, document("https://e.org/2", title="Weather", text="Rain all week, then sun."))
    store.upsert_document(fresh_db, document("https://e.org/3", title="Budget", text="The council passed a budget."))
    batches: list[int] = []
    report = tag_pending(fresh_db, tagger, on_batch=batches.append)
    assert (report.tagged, report.failed, batches) == (3, 0, [2, 1])
    assert store.count_pending(fresh_db) == 0
    assert fresh_db.execute("select count(*) from tags").fetchone()[0] == 9

    assert tag_pending(fresh_db, tagger).tagged == 0  # nothing pending: nothing re-read

    store.upsert_document(fresh_db, document("https://e.org/2", title="Weather",
                                             text="Police deployed facial recognition cameras at the parade."))
    assert tag_pending(fresh_db, tagger).tagged == 1
    positive = fresh_db.execute(
        "select d.canonical_url from tags t join documents d on d.id = t.document_id "
        "where t.label = 'facial_recognition' and t.decision = 1 order by 1"
    ).fetchall()
    assert [r[0] for r in positive] == ["https://e.org/1", "https://e.org/2"]


def test_documents_of_an_older_model_are_retagged(fresh_db):
    tagger = Tagger(NlpSettings())
    store.upsert_document(fresh_db, document("https://e.org/1"))
    store.upsert_document(fresh_db, document("https://e.org/2", title="Weather", text="Rain all week, then sun."))
    assert tag_pending(fresh_db, tagger).tagged == 2
    fresh_db.execute("update documents set model_version = 'an-older-model' where canonical_url = 'https://e.org/2'")
    report = tag_pending(fresh_db, tagger)
    assert (report.requeued, report.tagged) == (1, 1)
    versions = {r[0] for r in fresh_db.execute("select distinct model_version from tags")}
    assert versions == {tagger.model_version}


def test_tag_job_records_the_thresholds_its_tags_were_decided_at(fresh_db):
    # Every tag names a model version and a threshold; the thresholds table says what each threshold was
    # measured to give, so a reader of a tag can look its error rates up (the project's premise).
    from nlp.heads import load_heads

    tagger = Tagger(NlpSettings(threshold_set="high_precision"))
    store.upsert_document(fresh_db, document("https://e.org/1"))
    tag_pending(fresh_db, tagger)
    tag_pending(fresh_db, tagger)  # a rerun replaces, never duplicates
    rows = fresh_db.execute(
        "select label, threshold_set, value, in_use, cv_precision, valid_recall from thresholds "
        "where model_version = ? order by label, threshold_set", [tagger.model_version]).fetchall()
    heads = load_heads()
    assert len(rows) == 6
    for label, name, value, in_use, cv_precision, valid_recall in rows:
        measured = heads.heads[label].thresholds[name]
        assert (value, cv_precision, valid_recall) == (measured.value, measured.precision, measured.valid_recall)
        assert in_use == (name == "high_precision")
    tag = fresh_db.execute("select label, threshold from tags where document_id = 1 order by label").fetchall()
    in_use = {r[0]: r[2] for r in rows if r[3]}
    assert {label: threshold for label, threshold in tag} == in_use


def test_keyword_baseline_threshold_is_recorded_as_unmeasured(fresh_db):
    tagger = Tagger(NlpSettings(classifier="lexicon"))
    store.upsert_document(fresh_db, document("https://e.org/1"))
    tag_pending(fresh_db, tagger)
    rows = fresh_db.execute("select threshold_set, in_use, cv_precision, valid_precision from thresholds").fetchall()
    assert rows == [("keyword", 1, None, None)] * 3
