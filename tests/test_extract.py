"""Article extraction: main text without page furniture, metadata from what publishers declare."""

from __future__ import annotations

import gzip
import json

from crawler import extract
from crawler.extract import to_utc
from crawler.urls import canonicalize
from tests.conftest import FIXTURES, run_frwatch


def test_article_text_and_metadata():
    found = extract((FIXTURES / "article.html").read_bytes(), "https://sentinel.example/x")
    assert found is not None
    assert found.title == "County board pauses face-matching pilot after audit"
    assert found.author == "Dana Whitcomb"
    assert found.published == "2020-06-12T14:30:00Z"
    assert found.language == "en"
    assert found.canonical_url == "https://sentinel.example/news/2020/06/board-pauses-face-matching-pilot"
    assert found.text.startswith("RIVERBEND — The county board voted 4-1")
    assert "darker-skinned faces" in found.text
    for furniture in ("Advertisement", "cookies", "Related stories", "riverrat77", "All rights reserved"):
        assert furniture not in found.text


def test_empty_or_textless_pages_give_none():
    assert extract(b"") is None
    assert extract(b"<html><body><nav>Home</nav></body></html>") is None


def test_dates_normalised_to_utc():
    assert to_utc("2019-05-22T10:05:00-04:00") == "2019-05-22T14:05:00Z"
    assert to_utc("Wed, 22 May 2019 14:05:00 GMT") == "2019-05-22T14:05:00Z"
    assert to_utc("2019-05-22") == "2019-05-22"
    assert to_utc("not a date") is None


def test_canonical_urls_drop_tracking_and_fragments():
    assert canonicalize("HTTP://News.Example:80/a?utm_source=rss&id=3&fbclid=x#top") == "http://news.example/a?id=3"
    assert canonicalize("/b?utm_medium=feed", base="https://news.example/a") == "https://news.example/b"


def test_extract_command_prints_one_json_line_per_file(tmp_path):
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "article.html").read_bytes()))
    result = run_frwatch("extract", str(FIXTURES / "article.html"), str(gz), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    assert set(lines[0]) == {"path", "title", "author", "published", "text", "language"}
    assert lines[0]["text"] == lines[1]["text"] and lines[1]["author"] == "Dana Whitcomb"


def test_declared_charset_of_bytes_is_honoured():
    from tests.news_site import article

    text = "The café owner said the “pilot” ended in March — before anyone had voted on the cameras at all."
    page = article("Café cameras", text, head='<meta charset="windows-1252">').encode("cp1252")
    found = extract(page, "https://ledger.example/a")
    assert found is not None and text in found.text


def test_dates_found_only_in_the_url_are_marked_as_guesses():
    from tests.news_site import article, story

    found = extract(article(*story(1)).encode(), "https://ledger.example/2020/06/12/council-hearing.html")
    assert found is not None and found.published == "2020-06-12" and found.published_guessed
    declared = extract((FIXTURES / "article.html").read_bytes(), "https://sentinel.example/x")
    assert declared is not None and not declared.published_guessed
