"""Full-text search: the FTS5 index follows inserts, updates and deletes through triggers."""

from __future__ import annotations

import store
from tests.conftest import document


def test_insert_update_delete_keep_index_in_sync(fresh_db):
    doc_id, _ = store.upsert_document(fresh_db, document())
    assert [h.document_id for h in store.search(fresh_db, "booking photos")] == [doc_id]
    store.upsert_document(fresh_db, document(text="The council voted to ban the matching service."))
    assert store.search(fresh_db, "booking") == []
    assert [h.document_id for h in store.search(fresh_db, "banned")] == [doc_id]  # porter stemming
    fresh_db.execute("delete from documents where id = ?", [doc_id])
    assert store.search(fresh_db, "council") == []
    # The index agrees with the table (FTS5's own consistency check raises if not).
    fresh_db.execute("insert into documents_fts(documents_fts) values ('integrity-check')")


def test_title_matches_rank_first(fresh_db):
    a, _ = store.upsert_document(fresh_db, document("https://e.org/1", title="Budget vote", text="rekognition once"))
    b, _ = store.upsert_document(fresh_db, document("https://e.org/2", title="Rekognition pilot", text="no more"))
    assert [h.document_id for h in store.search(fresh_db, "rekognition")] == [b, a]


def test_query_syntax_cannot_break_search(fresh_db):
    store.upsert_document(fresh_db, document(title='Police "face" NEAR OR AND (test)'))
    for query in ['"', "AND", "face OR", "NEAR(", "*", "(test"]:
        store.search(fresh_db, query)  # must not raise an FTS syntax error
    assert store.search(fresh_db, '"face"')
    assert store.escape_fts('a "b" OR') == '"a" "b" "OR"'
