"""Sending the digest to a real SMTP server on 127.0.0.1: once per recipient and period, retries on
refused connections and 4xx replies, STARTTLS and SSL with a login, escaped HTML, no repeated items."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

import store
from scheduler import DigestSettings, SendError, deliver, parse_period, select_digest
from tests.conftest import document
from tests.smtp_server import Mailbox, free_port, smtp_server

WEEK = parse_period(None, "UTC")


def tag(db, url: str, title: str, score: float = 0.93, cluster: int | None = None, first_seen: str | None = None):
    """Store a document with a positive face-recognition tag (the tagger itself is tested elsewhere)."""
    store.upsert_document(db, document(url, title=title, text=f"{title}. Officers ran face searches."))
    (doc_id,) = db.execute("SELECT id FROM documents WHERE canonical_url = ?", [url]).fetchone()
    evidence = store.Evidence(f"{title}.", score, 0, len(title), ("face searches",))
    result = store.LabelResult(score, True, 0.5, (evidence,))
    store.write_tagging(db, doc_id, store.Tagging({"facial_recognition": result}, "test-model"))
    if cluster is not None:
        db.execute("INSERT OR IGNORE INTO clusters (id, first_document_id) VALUES (?, ?)", [cluster, doc_id])
        db.execute("UPDATE documents SET cluster_id = ? WHERE id = ?", [cluster, doc_id])
    if first_seen:
        db.execute("UPDATE documents SET first_seen = ? WHERE id = ?", [first_seen, doc_id])
    return doc_id


def settings(port: int, **smtp: object) -> DigestSettings:
    return DigestSettings.model_validate({
        "recipients": ["ana@example.org", "ben@example.org"], "sender": "frwatch@example.org",
        "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "attempts": 3, "backoff_seconds": 0,
                 "timeout_seconds": 5, **smtp},
    })


def digest_of(db, period=WEEK):
    return select_digest(db, period, "UTC", 25)


def test_each_recipient_gets_the_digest_once_across_runs(fresh_db):
    tag(fresh_db, "https://e.org/a", "Sheriff buys face recognition")
    with smtp_server() as (port, box, _):
        first = deliver(fresh_db, digest_of(fresh_db), settings(port))
        second = deliver(fresh_db, digest_of(fresh_db), settings(port))
    assert [d.outcome for d in first] == ["sent", "sent"]
    assert [d.outcome for d in second] == ["already sent", "already sent"]
    assert sorted(box.recipients) == ["ana@example.org", "ben@example.org"]
    assert len({m["Message-ID"] for m in box.messages}) == 2
    record = store.digest_record(fresh_db, WEEK.name, "ana@example.org")
    assert record and record.status == "sent" and record.items == 1


def test_refused_connection_leaves_it_due_then_it_goes_once(fresh_db):
    tag(fresh_db, "https://e.org/a", "Sheriff buys face recognition")
    port = free_port()  # nothing listens here yet
    waits: list[float] = []
    failed = deliver(fresh_db, digest_of(fresh_db), settings(port, backoff_seconds=2), sleep=waits.append)
    assert [d.outcome for d in failed] == ["failed", "failed"]
    assert waits == [2, 4, 2, 4]  # doubling backoff between the three attempts, per recipient
    record = store.digest_record(fresh_db, WEEK.name, "ana@example.org")
    assert record and record.status == "failed" and "Connection" in (record.error or "")
    with smtp_server(port=port) as (_, box, _cert):
        again = deliver(fresh_db, digest_of(fresh_db), settings(port))
        third = deliver(fresh_db, digest_of(fresh_db), settings(port))
    assert [d.outcome for d in again] == ["sent", "sent"]
    assert [d.outcome for d in third] == ["already sent", "already sent"]
    assert sorted(box.recipients) == ["ana@example.org", "ben@example.org"]


def test_451_then_success_delivers_exactly_once(fresh_db):
    tag(fresh_db, "https://e.org/a", "Sheriff buys face recognition")
    box = Mailbox(fail_data=["451 4.3.0 mailbox busy, try later"])
    with smtp_server(mailbox=box) as (port, _, _cert):
        result = deliver(fresh_db, digest_of(fresh_db), settings(port), sleep=lambda _s: None)
    assert [(d.outcome, d.attempts) for d in result] == [("sent", 2), ("sent", 1)]
    assert sorted(box.recipients) == ["ana@example.org", "ben@example.org"]


def test_permanent_failure_is_never_marked_sent(fresh_db):
    tag(fresh_db, "https://e.org/a", "Sheriff buys face recognition")
    box = Mailbox(fail_data=["554 5.7.1 rejected"] * 6)
    with smtp_server(mailbox=box) as (port, _, _cert):
        result = deliver(fresh_db, digest_of(fresh_db), settings(port), sleep=lambda _s: None)
    assert [d.outcome for d in result] == ["failed", "failed"] and "554" in (result[0].error or "")
    assert not box.messages
    assert store.digest_record(fresh_db, WEEK.name, "ben@example.org").status == "failed"  # type: ignore[union-attr]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_login_and_password_from_the_environment(fresh_db, tmp_path, monkeypatch, caplog, security):
    tag(fresh_db, "https://e.org/a", "Sheriff buys face recognition")
    monkeypatch.setenv("DIGEST_PW", "s3cret-pw")
    caplog.set_level(logging.DEBUG)
    with smtp_server(security, folder=tmp_path) as (port, box, cert):
        config = settings(port, security=security, username="frwatch", password_env="DIGEST_PW", ca_file=str(cert))
        result = deliver(fresh_db, digest_of(fresh_db), config)
    assert [d.outcome for d in result] == ["sent", "sent"]
    assert box.logins[0] == ("frwatch", "s3cret-pw") and len(box.messages) == 2
    assert "s3cret-pw" not in caplog.text


def test_login_without_its_password_is_one_clear_error(fresh_db, monkeypatch):
    monkeypatch.delenv("NO_SUCH_PW", raising=False)
    with pytest.raises(SendError, match="NO_SUCH_PW is empty"):
        deliver(fresh_db, digest_of(fresh_db), settings(1, username="u", password_env="NO_SUCH_PW"))
    assert fresh_db.execute("SELECT count(*) FROM digests").fetchone()[0] == 0


def test_received_html_is_escaped_and_both_parts_are_present(fresh_db):
    tag(fresh_db, "https://e.org/x", 'Police face recognition <script>alert("x")</script>')
    with smtp_server() as (port, box, _cert):
        deliver(fresh_db, digest_of(fresh_db), settings(port))
    message = box.messages[0]
    assert message["Auto-Submitted"] == "auto-generated" and message["List-Unsubscribe"]
    assert message["Date"] and message["Message-ID"]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<script>alert("x")</script>' in text  # plain text carries it as text, where it cannot run


def test_a_story_already_sent_is_not_sent_again(fresh_db):
    last_week = WEEK.previous("UTC")
    earlier = (datetime.fromisoformat(last_week.start) + timedelta(days=1)).astimezone(UTC).isoformat()
    tag(fresh_db, "https://e.org/wire", "Wire: city pauses face recognition", cluster=7, first_seen=earlier)
    with smtp_server() as (port, box, _cert):
        deliver(fresh_db, digest_of(fresh_db, last_week), settings(port))
        # The same wire story, reprinted this week by another outlet, and one new story.
        tag(fresh_db, "https://other.org/reprint", "Wire: city pauses face recognition", cluster=7)
        tag(fresh_db, "https://e.org/new", "State police add face search")
        this_week = digest_of(fresh_db)
        deliver(fresh_db, this_week, settings(port))
    assert [item.title for s in this_week.sections for item in s.items] == ["State police add face search"]
    assert len(box.messages) == 4
