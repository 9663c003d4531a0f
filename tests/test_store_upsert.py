"""Upserting documents by canonical URL and the pending logic that drives re-tagging."""

from __future__ import annotations

import dataclasses

import store
from store.migrations import MIGRATIONS
from tests.conftest import document


def test_new_then_unchanged_changes_nothing(fresh_db):
    doc_id, outcome = store.upsert_document(fresh_db, document())
    assert outcome == "new"
    before = fresh_db.execute("select * from documents").fetchall()
    again_id, again = store.upsert_document(fresh_db, dataclasses.replace(document(), fetched="2026-11-21T00:00:00"))
    assert (again_id, again) == (doc_id, "unchanged")
    assert fresh_db.execute("select * from documents").fetchall() == before


def test_changed_text_updates_and_sets_pending(fresh_db):
    doc_id, _ = store.upsert_document(fresh_db, document())
    fresh_db.execute("update documents set tag_status = 'tagged' where id = ?", [doc_id])
    _, outcome = store.upsert_document(fresh_db, document(text="A corrected story about the pilot."))
    assert outcome == "updated"
    row = fresh_db.execute("select text, tag_status, count(*) from documents").fetchone()
    assert row == ("A corrected story about the pilot.", "pending", 1)


def test_one_row_per_canonical_url(fresh_db):
    store.upsert_document(fresh_db, document(url="https://example.org/a?utm_source=rss",
                                             canonical_url="https://example.org/a"))
    store.upsert_document(fresh_db, document(url="https://example.org/a", canonical_url="https://example.org/a"))
    assert fresh_db.execute("select count(*) from documents").fetchone()[0] == 1


def test_filing_facts_land_in_filings(fresh_db):
    facts = store.FilingFacts(cik=1018724, company="AMAZON COM INC", form="DEF 14A",
                              accession="0001193125-19-102995", filed="2019-04-11", period="2019-05-22")
    doc_id, _ = store.upsert_document(fresh_db, document(kind="filing", filing=facts))
    row = fresh_db.execute("select document_id, cik, form, accession from filings").fetchone()
    assert row == (doc_id, 1018724, "DEF 14A", "0001193125-19-102995")


def _tagging(score: float) -> store.Tagging:
    ev = store.Evidence("Deputies would compare booking photos.", score, 0, 10, ("Deputies",))
    return store.Tagging(
        labels={label: store.LabelResult(score, score >= 0.5, 0.5, (ev,)) for label in store.LABELS},
        model_version="test",
        entities=(store.Entity("agency", "Deputies", "Sheriff", 0, 8),),
    )


def test_write_tagging_replaces_and_marks_tagged(fresh_db):
    doc_id, _ = store.upsert_document(fresh_db, document())
    digest = store.pending_documents(fresh_db, 10)[0].content_sha256
    assert store.write_tagging(fresh_db, doc_id, _tagging(0.9), digest)
    assert store.write_tagging(fresh_db, doc_id, _tagging(0.2), digest)
    assert fresh_db.execute("select count(*), max(score) from tags").fetchone() == (3, 0.2)
    assert fresh_db.execute("select count(*) from evidence").fetchone()[0] == 3
    assert fresh_db.execute("select count(*) from entities").fetchone()[0] == 1
    assert store.count_pending(fresh_db) == 0


def test_stale_tagging_is_not_written(fresh_db):
    doc_id, _ = store.upsert_document(fresh_db, document())
    read = store.pending_documents(fresh_db, 10)[0]
    store.upsert_document(fresh_db, document(text="The text changed while the tagger was busy."))
    assert not store.write_tagging(fresh_db, doc_id, _tagging(0.9), read.content_sha256)
    assert store.count_pending(fresh_db) == 1
    assert fresh_db.execute("select count(*) from tags").fetchone()[0] == 0


def test_wal_busy_timeout_and_migrations_run_once(db_path):
    db = store.open_store(db_path, busy_timeout_ms=1234)
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma busy_timeout").fetchone()[0] == 1234
    db.conn.close()
    again = store.open_store(db_path)
    assert [r[0] for r in again.execute("select id from _migrations")] == [number for number, _, _ in MIGRATIONS]
    assert {"sources", "documents", "documents_fts", "tags", "evidence", "entities", "relations", "filings",
            "crawl_runs", "http_cache", "clusters", "minhash_bands"} <= set(again.table_names())


def test_crawl_run_accounting(fresh_db):
    run_id = store.start_crawl_run(fresh_db, "src", "news")
    counts = store.CrawlCounts(requests=5, responses={"200": 4, "404": 1}, new=3, unchanged=1)
    store.finish_crawl_run(fresh_db, run_id, counts)
    [run] = store.last_crawl_runs(fresh_db)
    assert (run["status"], run["requests"], run["new"], run["responses"]) == ("finished", 5, 3, {"200": 4, "404": 1})


def test_unwritable_location_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    try:
        store.open_store(blocker / "sub" / "x.db")
    except store.StoreError as exc:
        assert "[storage] database" in str(exc) and "\n" not in str(exc)
    else:
        raise AssertionError("expected StoreError")


def test_near_duplicates_share_a_cluster(fresh_db):
    from crawler.dedupe import bands, signature

    story = ("DETROIT — A man arrested after a face recognition search matched his licence photo to a "
             "blurry still from a shop camera spent thirty hours in a holding cell before detectives "
             "conceded the match was wrong, his lawyers said on Wednesday. ") * 3
    copy = story.replace("his lawyers said on Wednesday", "according to a complaint filed on Wednesday")
    other = "The council approved a budget that adds two crossing guards and repaves Elm Street. " * 4

    def doc(url: str, text: str):
        sig = signature(text)
        return document(url, text=text, minhash=sig, minhash_bands=tuple(bands(sig)))

    first, _ = store.upsert_document(fresh_db, doc("https://a.example/1", story))
    second, _ = store.upsert_document(fresh_db, doc("https://b.example/2", copy))
    third, _ = store.upsert_document(fresh_db, doc("https://c.example/3", other))
    clusters = dict(fresh_db.execute("select id, cluster_id from documents").fetchall())
    assert clusters[first] is not None and clusters[first] == clusters[second]
    assert clusters[third] is None
