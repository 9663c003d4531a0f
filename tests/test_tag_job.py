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
