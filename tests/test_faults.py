"""The real ``frwatch crawl`` against a fault-injection server: every fault survives, is logged and counted,
good pages next to it are stored, and nothing hostile reaches a page unescaped.

Two crawls run side by side: the mixed run (private addresses allowed, every page, listing and XML fault
next to good pages) and the private-address run (``allow_private_addresses = false``, listings on a public
address reached through the fault server as a proxy, pages redirecting to private, loopback and link-local
addresses). Then the real ``tag`` and ``digest --out`` commands, and Datasette's in-process client, read
the mixed run's database.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

from frwatch.cli import main
from frwatch.serve import metadata_for
from tests.faults import corpus
from tests.faults import crawl as fc
from tests.faults.server import FAILING_FAULTS, PRIVATE_FAULTS, SURVIVING_FAULTS, FaultServer


@dataclass
class Runs:
    """What the module's crawls left behind."""

    base: str
    folder: Path
    mixed: subprocess.CompletedProcess[str]
    private: subprocess.CompletedProcess[str]
    private_folder: Path
    proxied_hosts: set[str]
    paths: list[str]
    canary: int
    exhausted: bool
    plan: fc.Plan
    xml: dict[str, dict[str, object]]

    @property
    def database(self) -> Path:
        return self.folder / "crawl.db"

    def fault_url(self, fault: str) -> str:
        """The URL of the (first) page of ``fault`` in the mixed run."""
        for number, source in enumerate(self.plan.sources):
            for name, path in zip(source.faults, source.fault_paths(100 * (number + 1)), strict=True):
                if name == fault:
                    return self.base + path
        raise KeyError(fault)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    folder = tmp_path_factory.mktemp("faults")
    private_folder = tmp_path_factory.mktemp("private")
    # XML bombs are measured in subprocesses of their own while the crawls run.
    measure = subprocess.Popen([sys.executable, "-m", "tests.faults.xmlbomb"], cwd=Path(__file__).parent.parent,
                               stdout=subprocess.PIPE, text=True)
    with FaultServer(max_requests=600, max_seconds=120) as server:
        plan = fc.main_plan()
        mixed = fc.start(fc.write_config(folder, plan, plan.install(server)))
        private_plan = fc.private_plan()
        urls = private_plan.install(server, base=fc.PUBLIC_BASE)
        urls = {k: v.replace(server.base, fc.PUBLIC_BASE) for k, v in urls.items()}
        private = fc.start(fc.write_config(private_folder, private_plan, urls, private=False),
                           env=fc.proxy_env(server))
        mixed_done, private_done = fc.finish(mixed), fc.finish(private)
        hits = server.hits
        result = Runs(
            base=server.base, folder=folder, mixed=mixed_done, private=private_done, private_folder=private_folder,
            proxied_hosts={h.host for h in hits if not h.host.startswith("127.0.0.1:")},
            paths=[h.path for h in hits], canary=len(server.canary_hits()), exhausted=server.exhausted,
            plan=plan, xml=json.loads(measure.communicate(timeout=120)[0]),
        )
    return result


def test_no_crash_and_the_server_bounds_were_not_reached(runs):
    for done in (runs.mixed, runs.private):
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Traceback" not in done.stderr, done.stderr[done.stderr.index("Traceback"):][:3000]
    assert not runs.exhausted
    statuses = {run["status"] for run in fc.crawl_runs(runs.database).values()}
    assert statuses == {"finished"}


def test_good_documents_from_the_same_run_are_stored(runs):
    docs = fc.stored(runs.database)
    assert runs.plan.expected_good(runs.base) <= set(docs)
    for source in runs.plan.sources:
        for path in source.good_paths() if source.readable else []:
            assert docs[runs.base + path]["source_id"] == source.id
            assert "police" in docs[runs.base + path]["text"]


@pytest.mark.parametrize("fault", FAILING_FAULTS)
def test_a_failing_page_is_not_stored_and_is_logged_by_url(runs, fault):
    url = runs.fault_url(fault)
    assert not any(u.startswith(url.split("?")[0]) for u in fc.stored(runs.database))
    assert url in runs.mixed.stderr, f"{fault}: no log line names {url}"


def test_failures_are_counted_in_crawl_runs(runs):
    crawl = fc.crawl_runs(runs.database)
    errors = crawl["http-errors"]
    assert {"500", "502", "503", "429"} <= set(errors["responses"])
    assert errors["failed"] >= 3  # 429, 429 with Retry-After, 503: given up after Retry-After waits
    assert crawl["wire"]["failed"] >= 3  # slow, reset, truncated
    assert crawl["size"]["failed"] >= 3  # too large, gzip bomb, binary
    assert crawl["bad-atom"]["failed"] >= 1 and crawl["bad-json"]["failed"] >= 1  # unreadable listings
    for source_id in ("content", "charsets"):
        assert crawl[source_id]["failed"] == 0, "hostile and oddly encoded pages are stored, not failed"


def test_each_failed_page_is_counted_exactly_once(runs):
    crawl = fc.crawl_runs(runs.database)
    for source in runs.plan.sources[:3]:  # http-errors, wire, size: every fault page there fails
        assert crawl[source.id]["failed"] == len(source.faults), source.id


def test_oddly_encoded_malformed_and_hostile_pages_are_stored_and_readable(runs):
    docs = fc.stored(runs.database)
    for fault in SURVIVING_FAULTS:
        assert runs.fault_url(fault) in docs, fault
    for fault in ("charset-wrong", "charset-missing", "charset-bogus"):
        text = docs[runs.fault_url(fault)]["text"]
        assert all(word in text for word in corpus.CHARSET_WORDS), (fault, text[:200])
    hostile = docs[runs.fault_url("hostile")]
    # Payloads written as text stay text (data to escape on output); live markup never reaches the store.
    assert hostile["title"].startswith("<script>alert(")
    for live in ("live-script", "live-img", "live-iframe", "document.cookie", "canonical"):
        assert f"{corpus.MARKER}-{live}" not in hostile["text"] + hostile["title"], live
    assert "tag soup" in docs[runs.fault_url("malformed-html")]["title"].lower()


def test_robots_txt_is_obeyed(runs):
    assert "/robots.txt" in runs.paths
    assert not [p for p in runs.paths if p.startswith("/disallowed/")]


def test_malformed_listings_are_logged_and_a_tolerant_parse_still_yields_entries(runs):
    log = runs.mixed.stderr
    assert "bad.json unreadable: JSON Feed is not valid JSON" in log
    assert "bad.atom has no entries" in log
    assert runs.base + "/good/9.html" in fc.stored(runs.database)  # RSS cut short: feedparser recovers


def test_xml_external_entities_are_never_resolved(runs):
    assert runs.canary == 0, "a parser fetched an external entity"
    docs = fc.stored(runs.database)
    assert not any("root:" in d["text"] or "root:" in d["title"] for d in docs.values())
    for name in ("xxe-rss", "xxe-sitemap"):
        measured = runs.xml[name]
        assert measured["links"] == ["http://127.0.0.1:9/good/1.html"], measured
        assert float(measured["cpu_seconds"]) < 1  # type: ignore[arg-type]


def test_billion_laughs_expansion_is_bounded(runs):
    sitemap = runs.xml["laughs-sitemap"]
    assert float(sitemap["cpu_seconds"]) < 0.5 and float(sitemap["rss_growth_mb"]) < 5  # type: ignore[arg-type]
    feed = runs.xml["laughs-rss"]
    # expat stops the expansion at its amplification limit (100x the input, after 8 MiB): bounded, not free.
    assert float(feed["cpu_seconds"]) < 15 and float(feed["rss_growth_mb"]) < 400, feed  # type: ignore[arg-type]
    assert int(feed["longest_title"]) < 1000, feed  # type: ignore[call-overload]
    assert [d for d in fc.stored(runs.database) if d.endswith("/good/13.html")]


def test_a_billion_laughs_feed_costs_nothing(runs):
    feed = runs.xml["laughs-rss"]
    assert float(feed["cpu_seconds"]) < 0.5 and float(feed["rss_growth_mb"]) < 5, feed  # type: ignore[arg-type]


def test_private_loopback_and_link_local_refused_after_redirects(runs):
    done = runs.private
    assert done.returncode == 0, done.stderr[-2000:]
    # Every request left through the proxy for the public listing host only: no private target was contacted.
    assert runs.proxied_hosts == {fc.PUBLIC_HOST}
    refused = [line for line in done.stderr.splitlines() if "refused http" in line and "non-public address" in line]
    assert len(refused) == len(PRIVATE_FAULTS), "\n".join(refused)
    for host in ("10.0.0.1", "169.254.169.254", "localhost", "2130706433", "[::1]", "[::ffff:127.0.0.1]",
                 "0.0.0.0", "192.168.1.1"):
        assert any(f"//{host}" in line for line in refused), host
    run = fc.crawl_runs(runs.private_folder / "crawl.db")["redirects"]
    assert run["failed"] >= len(PRIVATE_FAULTS)
    assert set(fc.stored(runs.private_folder / "crawl.db")) == {f"{fc.PUBLIC_BASE}/good/1.html",
                                                               f"{fc.PUBLIC_BASE}/good/2.html"}


def test_the_fault_server_is_bounded_in_requests():
    with FaultServer(max_requests=2, max_seconds=30) as server:
        statuses = []
        for _ in range(3):
            try:
                statuses.append(urllib.request.urlopen(server.base + "/good/1.html", timeout=5).status)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
        assert statuses == [200, 200, 503] and server.exhausted


@pytest.fixture(scope="module")
def tagged_digest(runs, tmp_path_factory):
    config = str(runs.folder / "config.toml")
    tagged = CliRunner().invoke(main, ["--config", config, "tag"])
    assert tagged.exit_code == 0, tagged.output
    out = tmp_path_factory.mktemp("digest")
    written = CliRunner().invoke(main, ["--config", config, "digest", "--out", str(out)])
    assert written.exit_code == 0, written.output
    return out


def test_digest_shows_hostile_titles_and_text_escaped(tagged_digest):
    [page] = tagged_digest.glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "Sheriff buys face recognition" in html, "the hostile story made the digest"
    assert "&lt;script&gt;alert(" in html
    assert corpus.live_payloads(html) == []
    assert "javascript:" not in html.lower()


async def test_datasette_pages_show_hostile_rows_escaped(runs, tagged_digest):
    path = runs.database
    datasette = Datasette([str(path)], metadata=metadata_for(path))
    ids = [row["id"] for row in (await datasette.client.get(
        "/crawl/documents.json", params={"_search": "sheriff", "_shape": "objects"})).json()["rows"]]
    assert len(ids) == 2
    pages = ["/crawl/documents", "/crawl/documents?_search=sheriff", "/crawl/evidence", "/crawl/latest_mentions?label=",
             "/crawl/search?q=sheriff", "/crawl/stories", *(f"/crawl/documents/{i}" for i in ids)]
    for page in pages:
        response = await datasette.client.get(page)
        assert response.status_code == 200, page
        assert corpus.live_payloads(response.text) == [], page
    row = (await datasette.client.get(f"/crawl/documents/{ids[0]}")).text
    assert "&lt;script&gt;alert(" in row
    atom = await datasette.client.get("/crawl/new_mentions_atom.atom")
    assert atom.status_code == 200 and f'<script>alert("{corpus.MARKER}' not in atom.text
