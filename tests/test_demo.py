"""End to end: ``frwatch demo`` from nothing to a tagged database and a digest, then Datasette over it."""

from __future__ import annotations

import email
import sqlite3
from email import policy
from pathlib import Path

import pytest
from datasette.app import Datasette

from frwatch.serve import datasette_args, metadata_for
from store import ServeSettings


def test_demo_builds_database_and_digest(demo_run):
    folder, result = demo_run
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Documents crawled" in result.stdout and "frwatch serve --db data/demo.db" in result.stdout
    db = sqlite3.connect(folder / "data/demo.db")
    kinds = dict(db.execute("select kind, count(*) from documents group by kind"))
    assert kinds["news"] >= 40 and kinds["blog"] >= 8 and kinds["filing"] >= 4
    assert db.execute("select count(*) from documents where tag_status != 'tagged'").fetchone()[0] == 0
    positive = dict(db.execute("select label, sum(decision) from tags group by label"))
    total = db.execute("select count(*) from documents").fetchone()[0]
    for label, count in positive.items():
        assert 0 < count < total, f"{label}: some documents tagged, others not"
    # The stories the demo was written around are found, the hard negatives are not.
    fr = {t for (t,) in db.execute("select d.title from tags t join documents d on d.id = t.document_id "
                                   "where t.label = 'facial_recognition' and t.decision = 1")}
    assert any("28" in t for t in fr)
    digest = sorted((folder / "data/demo-digest").glob("digest-*"))
    assert {p.suffix for p in digest} == {".eml", ".html", ".txt"}
    message = email.message_from_bytes(next(p for p in digest if p.suffix == ".eml").read_bytes(),
                                       policy=policy.default)
    assert "new mention" in message["Subject"]
    # Filings have their own section, led by the vote results of the face-recognition proposals.
    text = next(p for p in digest if p.suffix == ".txt").read_text()
    filings = text[text.index("Filings:"):]
    assert "Vote result:" in filings and "counting abstentions" in filings
    # The demo's two syndicated copies land in clusters with their originals, and nothing else does.
    clusters = db.execute("select cluster_id, count(*), count(distinct source_id) from documents "
                          "where cluster_id is not null group by cluster_id").fetchall()
    assert [(n, outlets) for _, n, outlets in clusters] == [(2, 2), (2, 2)]


def test_demo_database_has_one_run_per_source_and_is_sound(demo_run):
    folder, _ = demo_run
    db = sqlite3.connect(folder / "data/demo.db")
    assert db.execute("select count(*) from crawl_runs where status = 'finished'").fetchone()[0] == 6
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_demo_replaces_an_earlier_database(tmp_path):
    from frwatch.demo.run import remove_database

    path = tmp_path / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").write_text("old")
    remove_database(path)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def datasette(demo_run):
    folder, _ = demo_run
    path = folder / "data/demo.db"
    return Datasette([str(path)], metadata=metadata_for(path))


QUERIES = {
    "latest_mentions": {"label": ""},
    "search": {"q": 'face "recognition'},
    "filings_by_company": {"company": "amazon", "form": ""},
    "new_mentions_atom": {},
    "relations": {"action": ""},
    "relations_by_pair": {"vendor": ""},
    "stories": {},
    "proposals_by_company": {"company": ""},
    "thresholds_in_use": {},
}


@pytest.mark.parametrize("name", sorted(QUERIES))
async def test_every_canned_query_runs(datasette, name):
    response = await datasette.client.get(f"/demo/{name}.json", params={**QUERIES[name], "_shape": "objects"})
    assert response.status_code == 200, response.text
    assert response.json()["rows"], f"{name} returned no rows on the demo database"


async def test_canned_queries_match_metadata(datasette):
    names = set(metadata_for(Path("demo.db"))["databases"]["demo"]["queries"])
    assert names == set(QUERIES)


async def test_thresholds_in_use_name_their_measured_error_rates(datasette):
    response = await datasette.client.get("/demo/thresholds_in_use.json", params={"_shape": "objects"})
    rows = response.json()["rows"]
    assert sorted(r["label"] for r in rows) == ["civil_rights", "facial_recognition", "law_enforcement"]
    assert all(r["threshold_set"] == "balanced" and 0 < r["threshold"] < 1 for r in rows)
    assert all(0.5 < r["precision_validation"] <= 1 and 0.3 < r["recall_validation"] <= 1 for r in rows)
    assert any(r["positive_tags"] > 0 for r in rows)


async def test_atom_feed_of_high_confidence_mentions(datasette):
    response = await datasette.client.get("/demo/new_mentions_atom.atom")
    assert response.status_code == 200
    assert response.text.startswith("<?xml") and "<entry>" in response.text


async def test_relations_by_pair_gathers_a_vendor_and_an_agency_over_time(datasette):
    response = await datasette.client.get("/demo/relations_by_pair.json",
                                          params={"vendor": "rekognition", "_shape": "objects"})
    rows = response.json()["rows"]
    assert rows and all(r["vendor_or_product"] == "Amazon Rekognition" for r in rows)
    # the demo's sheriff's office was sold Rekognition and used it, over more than one story
    sheriff = next(r for r in rows if r["agency"] == "washington county sheriff's office")
    assert set(sheriff["actions"].split(",")) >= {"uses"} and sheriff["documents"] >= 2
    assert sheriff["first_published"] <= sheriff["last_published"] and sheriff["latest"].startswith("uses: ")


async def test_full_text_search_and_facets(datasette):
    response = await datasette.client.get("/demo/documents.json", params={"_search": "moratorium", "_shape": "objects"})
    data = response.json()
    assert data["rows"] and all("moratorium" in (r["title"] + r["text"]).lower() for r in data["rows"])
    assert {"source_id", "kind", "tag_status"} <= set(data["facet_results"])
    tags = (await datasette.client.get("/demo/tags.json")).json()
    assert "label" in tags["facet_results"]


async def test_filings_by_company_filters_by_form(datasette):
    response = await datasette.client.get("/demo/filings_by_company.json",
                                          params={"company": "", "form": "PX14A6G", "_shape": "objects"})
    rows = response.json()["rows"]
    assert rows and {r["form"] for r in rows} == {"PX14A6G"}


def test_serve_arguments_bind_loopback_and_honour_switches(tmp_path):
    args = datasette_args(tmp_path / "x.db", ServeSettings(allow_sql=False, allow_csv_stream=False), 9001,
                          tmp_path / "m.yml")
    assert args[args.index("--host") + 1] == "127.0.0.1" and args[args.index("--port") + 1] == "9001"
    assert "-i" not in args and "--immutable" not in args
    assert "default_allow_sql" in args and "allow_csv_stream" in args
