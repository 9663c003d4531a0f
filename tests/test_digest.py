"""The digest: ISO-week periods, selection by first-seen date, escaped HTML, text and .eml files."""

from __future__ import annotations

import email
from datetime import date
from email import policy

import pytest

import store
from nlp import NlpSettings, Tagger, tag_pending
from scheduler import DigestSettings, PeriodError, parse_period, select_digest, write_digest
from scheduler.digest.render import build_message, message_id, render_html, render_text
from tests.conftest import document


def test_periods():
    week = parse_period("2026-W48", "UTC")
    assert (week.start, week.end) == ("2026-11-23T00:00:00+00:00", "2026-11-30T00:00:00+00:00")
    assert parse_period("2026-W48", "America/New_York").start == "2026-11-23T05:00:00+00:00"
    assert parse_period(None, "UTC", today=date(2026, 1, 1)).name == "2026-W01"
    assert week.previous("UTC").name == "2026-W47"
    for bad in ("2026-48", "2026-W54", "last week"):
        with pytest.raises(PeriodError):
            parse_period(bad, "UTC")


@pytest.fixture
def tagged_db(fresh_db):
    hostile = document(
        "https://e.org/hostile", title='Police face recognition <script>alert("x")</script>',
        text="The sheriff's deputies used facial recognition on protesters, a civil liberties group said.",
    )
    odd_link = document("javascript:alert(1)", title="Facial recognition at the border",
                        text="CBP officers use facial recognition at the airport gates.")
    store.upsert_document(fresh_db, hostile)
    store.upsert_document(fresh_db, odd_link)
    store.upsert_document(fresh_db, document("https://e.org/other", title="Budget", text="Council budget passed."))
    tag_pending(fresh_db, Tagger(NlpSettings()))
    return fresh_db


def current_week():
    return parse_period(None, "UTC")


def test_selects_first_seen_in_period_only(tagged_db):
    digest = select_digest(tagged_db, current_week(), "UTC", 25)
    titles = {item.title for section in digest.sections for item in section.items}
    assert "Budget" not in titles and len(titles) == 2
    empty = select_digest(tagged_db, current_week().previous("UTC"), "UTC", 25)
    assert empty.total == 0
    fr = next(s for s in digest.sections if s.label == "facial_recognition")
    assert fr.count == 2 and fr.previous_count == 0
    assert any(hit for item in fr.items for _text, hit in item.evidence)


def test_html_escapes_and_links_only_http(tagged_db, tmp_path):
    digest = select_digest(tagged_db, current_week(), "UTC", 25)
    settings = DigestSettings(recipients=["a@example.org"], sender="frwatch@example.org")
    eml, html_path, txt_path = write_digest(digest, settings, tmp_path)
    html = html_path.read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://e.org/hostile"' in html
    assert "javascript:" not in html
    assert "<mark" in html
    text = txt_path.read_text()
    assert '<script>alert("x")</script>' in text  # plain text is not HTML: shown as written
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["To"] == "a@example.org" and message["Auto-Submitted"] == "auto-generated"
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None


def test_message_id_is_deterministic(tagged_db):
    digest = select_digest(tagged_db, current_week(), "UTC", 25)
    settings = DigestSettings(sender="frwatch@example.org")
    first = build_message(digest, settings, "a@example.org")["Message-ID"]
    assert first == build_message(digest, settings, "a@example.org")["Message-ID"]
    assert first == message_id(digest.period.name, "a@example.org")
    assert first != build_message(digest, settings, "b@example.org")["Message-ID"]


def test_near_duplicate_stories_are_one_item_with_their_outlets(fresh_db):
    from crawler.dedupe import bands, signature

    store.ensure_source(fresh_db, "wire-copy", "news")
    text = ("Police in Lakeport ran a face recognition search on a protester's photo, and civil liberties "
            "lawyers said the search violated the city's own rules on surveillance of demonstrations. ") * 3
    for url, source, body in (("https://a.example/1", "src", text),
                              ("https://b.example/2", "wire-copy", text + " A local council member objected.")):
        sig = signature(body)
        store.upsert_document(fresh_db, document(url, source_id=source, title="Face search on a protester",
                                                 text=body, minhash=sig, minhash_bands=tuple(bands(sig))))
    tag_pending(fresh_db, Tagger(NlpSettings()))
    digest = select_digest(fresh_db, current_week(), "UTC", 25)
    fr = next(s for s in digest.sections if s.label == "facial_recognition")
    assert fr.count == 1 and fr.items[0].outlets == ("src", "wire-copy")
    assert "also printed by" in render_text(digest) and "also printed by" in render_html(digest)
