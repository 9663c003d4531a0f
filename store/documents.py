"""Writing documents: upsert by canonical URL, with the content hash deciding what needs re-tagging.

A new URL is inserted ``pending``; a known URL whose title or text changed is updated and set back to
``pending``; a known URL with the same content changes nothing at all.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Literal

import sqlite_utils

from store.clusters import assign_cluster
from store.database import transaction
from store.records import Document, StoredDocument

Outcome = Literal["new", "updated", "unchanged"]


def now_utc() -> str:
    """The current time as ISO 8601 UTC with seconds, the format of every timestamp in the store."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_sha256(title: str, text: str) -> str:
    """Hash of what the tagger reads; a change here is what makes a document pending again."""
    return hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest()


def ensure_source(db: sqlite_utils.Database, source_id: str, spider: str, name: str | None = None) -> None:
    """Record a configured source once; later calls leave it alone.

    :param source_id: the ``id`` of the ``[[sources]]`` table in config.toml
    :param spider: ``news``, ``aws_blog`` or ``sec``
    """
    db.execute(
        "INSERT INTO sources (id, spider, name, first_seen) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET spider = excluded.spider, name = excluded.name",
        [source_id, spider, name, now_utc()],
    )


def upsert_document(db: sqlite_utils.Database, doc: Document) -> tuple[int, Outcome]:
    """Insert or update one document by its canonical URL.

    :param doc: the extracted document
    :returns: the row id and whether it was new, updated or unchanged
    """
    digest = content_sha256(doc.title, doc.text)
    stamp = now_utc()
    fields = {
        "url": doc.url,
        "source_id": doc.source_id,
        "kind": doc.kind,
        "title": doc.title,
        "author": doc.author,
        "published": doc.published,
        "language": doc.language,
        "categories": json.dumps(list(doc.categories)) if doc.categories else None,
        "text": doc.text,
        "content_sha256": digest,
        "html_sha256": doc.html_sha256,
        "etag": doc.etag,
        "last_modified": doc.last_modified,
        "fetched": doc.fetched,
    }
    with transaction(db):
        row = db.execute(
            "SELECT id, content_sha256 FROM documents WHERE canonical_url = ?", [doc.canonical_url]
        ).fetchone()
        if row is None:
            columns = ["canonical_url", *fields, "first_seen", "updated", "tag_status"]
            values = [doc.canonical_url, *fields.values(), stamp, stamp, "pending"]
            cursor = db.execute(
                f"INSERT INTO documents ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                values,
            )
            doc_id = int(cursor.lastrowid or 0)
            outcome: Outcome = "new"
        elif row[1] == digest:
            # Same text, perhaps new markup or validators: keep those current, so the next request can be
            # conditional and the next identical body is recognised without extraction.
            db.execute(
                "UPDATE documents SET html_sha256 = ?, etag = ?, last_modified = ? WHERE id = ?",
                [doc.html_sha256, doc.etag, doc.last_modified, row[0]],
            )
            return int(row[0]), "unchanged"
        else:
            doc_id = int(row[0])
            assignments = ", ".join(f"{name} = ?" for name in fields)
            db.execute(
                f"UPDATE documents SET {assignments}, updated = ?, tag_status = 'pending' WHERE id = ?",
                [*fields.values(), stamp, doc_id],
            )
            outcome = "updated"
        if doc.minhash is not None:
            db.execute("UPDATE documents SET minhash = ? WHERE id = ?", [doc.minhash, doc_id])
            assign_cluster(db, doc_id, doc.minhash, doc.minhash_bands)
        if doc.filing is not None:
            f = doc.filing
            db.execute(
                "INSERT INTO filings (document_id, accession, cik, company, form, filed, period, items) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(document_id) DO UPDATE SET "
                "accession = excluded.accession, cik = excluded.cik, company = excluded.company, "
                "form = excluded.form, filed = excluded.filed, period = excluded.period, "
                "items = excluded.items",
                [doc_id, f.accession, f.cik, f.company, f.form, f.filed, f.period, f.items],
            )
    return doc_id, outcome


def pending_documents(db: sqlite_utils.Database, limit: int) -> list[StoredDocument]:
    """The oldest documents waiting for the tagger.

    :param limit: the batch size
    """
    rows = db.execute(
        "SELECT id, title, text, kind, content_sha256 FROM documents WHERE tag_status = 'pending' "
        "ORDER BY id LIMIT ?",
        [limit],
    ).fetchall()
    return [StoredDocument(id=r[0], title=r[1], text=r[2], kind=r[3], content_sha256=r[4]) for r in rows]


def count_pending(db: sqlite_utils.Database) -> int:
    """How many documents wait for the tagger."""
    return int(db.execute("SELECT count(*) FROM documents WHERE tag_status = 'pending'").fetchone()[0])


def requeue_outdated(db: sqlite_utils.Database, model_version: str) -> int:
    """Set tagged documents whose tags came from another model version back to pending.

    :returns: how many documents were requeued
    """
    with transaction(db):
        cursor = db.execute(
            "UPDATE documents SET tag_status = 'pending' WHERE tag_status = 'tagged' "
            "AND (model_version IS NULL OR model_version != ?)",
            [model_version],
        )
    return int(cursor.rowcount or 0)


def revisit_state(db: sqlite_utils.Database, url: str) -> tuple[str | None, str | None, str | None] | None:
    """What the last visit of ``url`` left: ``(etag, last_modified, html_sha256)``.

    A stored document's, else a feed's or listing's validators (which have no body hash); one query, as
    it runs before every request.
    """
    row = db.execute(
        "SELECT etag, last_modified, html_sha256 FROM documents WHERE url = ? "
        "AND (etag IS NOT NULL OR last_modified IS NOT NULL OR html_sha256 IS NOT NULL) "
        "UNION ALL SELECT etag, last_modified, NULL FROM http_cache WHERE url = ? LIMIT 1",
        [url, url],
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def remember_validators(db: sqlite_utils.Database, rows: list[tuple[str, str | None, str | None]]) -> None:
    """Store ``(url, etag, last_modified)`` of feeds and other listings after a complete crawl."""
    with transaction(db):
        for url, etag, last_modified in rows:
            db.execute(
                "INSERT INTO http_cache (url, etag, last_modified, checked) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
                "checked = excluded.checked",
                [url, etag, last_modified, now_utc()],
            )
