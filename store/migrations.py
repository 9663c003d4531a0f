"""Numbered schema migrations for the frwatch SQLite file.

Each migration runs once, in order, inside a transaction, and is recorded in ``_migrations``. Never edit a
migration that has shipped: add the next number instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils


def _m001_initial(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            spider TEXT NOT NULL,
            name TEXT,
            first_seen TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            canonical_url TEXT NOT NULL UNIQUE,
            url TEXT NOT NULL,
            source_id TEXT NOT NULL REFERENCES sources(id),
            kind TEXT NOT NULL CHECK (kind IN ('news', 'blog', 'filing')),
            title TEXT NOT NULL,
            author TEXT,
            published TEXT,
            language TEXT,
            categories TEXT,
            text TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            html_sha256 TEXT,
            etag TEXT,
            last_modified TEXT,
            fetched TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            updated TEXT NOT NULL,
            tag_status TEXT NOT NULL DEFAULT 'pending'
                CHECK (tag_status IN ('pending', 'tagged', 'failed')),
            tagged_at TEXT,
            model_version TEXT
        )"""
    )
    db.execute("CREATE INDEX documents_pending ON documents(tag_status) WHERE tag_status = 'pending'")
    db.execute("CREATE INDEX documents_first_seen ON documents(first_seen)")
    db.execute("CREATE INDEX documents_source ON documents(source_id, kind)")
    # External-content FTS5 table kept in sync by triggers, so a crash can never leave the index
    # disagreeing with the rows (sqlite-utils' enable_fts(create_triggers=True) builds the same thing).
    db.execute(
        """
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, text, content='documents', content_rowid='id', tokenize='porter unicode61'
        )"""
    )
    db.execute(
        """
        CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END"""
    )
    db.execute(
        """
        CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, title, text)
                VALUES ('delete', old.id, old.title, old.text);
        END"""
    )
    db.execute(
        """
        CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, title, text)
                VALUES ('delete', old.id, old.title, old.text);
            INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END"""
    )
    db.execute(
        """
        CREATE TABLE filings (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            accession TEXT NOT NULL UNIQUE,
            cik INTEGER NOT NULL,
            company TEXT NOT NULL,
            form TEXT NOT NULL,
            filed TEXT,
            period TEXT,
            items TEXT
        )"""
    )
    db.execute("CREATE INDEX filings_company ON filings(cik, form)")
    db.execute(
        """
        CREATE TABLE tags (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            score REAL NOT NULL,
            decision INTEGER NOT NULL,
            threshold REAL NOT NULL,
            model_version TEXT NOT NULL,
            PRIMARY KEY (document_id, label)
        )"""
    )
    db.execute("CREATE INDEX tags_label ON tags(label, decision, score)")
    db.execute(
        """
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            rank INTEGER NOT NULL,
            sentence TEXT NOT NULL,
            score REAL NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            matched_terms TEXT
        )"""
    )
    db.execute("CREATE INDEX evidence_document ON evidence(document_id, label, rank)")
    db.execute(
        """
        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            normalized TEXT NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL
        )"""
    )
    db.execute("CREATE INDEX entities_document ON entities(document_id)")
    db.execute("CREATE INDEX entities_normalized ON entities(kind, normalized)")
    db.execute(
        """
        CREATE TABLE relations (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            vendor TEXT,
            product TEXT,
            agency TEXT,
            action TEXT NOT NULL,
            sentence TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY,
            source_id TEXT NOT NULL,
            spider TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'finished', 'failed')),
            requests INTEGER NOT NULL DEFAULT 0,
            responses TEXT,
            new INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            error TEXT
        )"""
    )


def _m002_http_cache(db: sqlite_utils.Database) -> None:
    # Validators (ETag, Last-Modified) of feeds, sitemaps and EDGAR JSON for conditional GET. Article
    # pages keep theirs on their documents row, written in the same transaction as the document.
    db.execute(
        """
        CREATE TABLE http_cache (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            checked TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX documents_url ON documents(url)")


def _m003_clusters(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE clusters (id INTEGER PRIMARY KEY, first_document_id INTEGER NOT NULL)")
    db.execute("ALTER TABLE documents ADD COLUMN minhash BLOB")
    db.execute("ALTER TABLE documents ADD COLUMN cluster_id INTEGER REFERENCES clusters(id)")
    db.execute("CREATE INDEX documents_cluster ON documents(cluster_id) WHERE cluster_id IS NOT NULL")
    db.execute(
        """
        CREATE TABLE minhash_bands (
            band INTEGER NOT NULL,
            value INTEGER NOT NULL,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (band, value, document_id)
        )"""
    )


def _m004_job_runs_digests(db: sqlite_utils.Database) -> None:
    # Every scheduled run (crawl, tag, digest) with its outcome, so `frwatch status` can say what the
    # daemon did while nobody watched.
    db.execute(
        """
        CREATE TABLE job_runs (
            id INTEGER PRIMARY KEY,
            job_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'ok', 'failed', 'timeout', 'skipped')),
            pid INTEGER,
            error TEXT
        )"""
    )
    db.execute("CREATE INDEX job_runs_job ON job_runs(job_id, started)")
    # One row per (period, recipient): the record that makes "at most once" true across restarts.
    # status 'sending' is taken before the SMTP conversation and only becomes 'sent' after the server
    # accepted the message, so a crash in between leaves the digest due, never silently marked sent.
    db.execute(
        """
        CREATE TABLE digests (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,
            recipient TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
            message_id TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            items INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            sent TEXT,
            error TEXT,
            UNIQUE (period, recipient)
        )"""
    )
    # Which documents went out in which digest: "never an item already sent in an earlier digest".
    db.execute(
        """
        CREATE TABLE digest_items (
            digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (digest_id, document_id)
        )"""
    )


def _m005_proposals_votes(db: sqlite_utils.Database) -> None:
    # The proxy-season tables (store/proposals.py): one proposal per company, meeting year and item
    # number; vote counts per matter (and per nominee) with both support ratios; exempt solicitations and
    # company replies; and which proposals each solicitation is about. Rows name their documents by
    # canonical URL, so they can be written before the documents; the ids are filled in on relinking.
    db.execute(
        """
        CREATE TABLE proposals (
            id INTEGER PRIMARY KEY,
            cik INTEGER NOT NULL,
            company TEXT NOT NULL,
            year INTEGER NOT NULL,
            meeting_date TEXT,
            number TEXT NOT NULL,
            title TEXT NOT NULL,
            kind TEXT,
            board_recommendation TEXT,
            proponent TEXT,
            form TEXT NOT NULL,
            accession TEXT NOT NULL,
            filed TEXT,
            filing_url TEXT NOT NULL,
            filing_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            document_url TEXT NOT NULL,
            document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            updated TEXT NOT NULL,
            UNIQUE (cik, year, number)
        )"""
    )
    db.execute("CREATE INDEX proposals_document ON proposals(document_id)")
    db.execute(
        """
        CREATE TABLE votes (
            id INTEGER PRIMARY KEY,
            cik INTEGER NOT NULL,
            company TEXT NOT NULL,
            year INTEGER NOT NULL,
            meeting_date TEXT,
            number TEXT NOT NULL,
            title TEXT NOT NULL,
            for_votes INTEGER,
            against_votes INTEGER,
            abstain_votes INTEGER,
            broker_non_votes INTEGER,
            withheld_votes INTEGER,
            support_for_against REAL,
            support_with_abstain REAL,
            accession TEXT NOT NULL,
            filed TEXT,
            filing_url TEXT NOT NULL,
            filing_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            proposal_id INTEGER REFERENCES proposals(id) ON DELETE SET NULL,
            UNIQUE (cik, year, number, title)
        )"""
    )
    db.execute("CREATE INDEX votes_proposal ON votes(proposal_id)")
    db.execute(
        """
        CREATE TABLE solicitations (
            id INTEGER PRIMARY KEY,
            accession TEXT NOT NULL UNIQUE,
            cik INTEGER NOT NULL,
            company TEXT NOT NULL,
            year INTEGER NOT NULL,
            form TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('exempt_solicitation', 'company_reply')),
            filer TEXT,
            filed TEXT,
            filing_url TEXT NOT NULL,
            filing_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            numbers TEXT NOT NULL DEFAULT '[]'
        )"""
    )
    db.execute("CREATE INDEX solicitations_meeting ON solicitations(cik, year)")
    db.execute(
        """
        CREATE TABLE proposal_links (
            proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
            solicitation_id INTEGER NOT NULL REFERENCES solicitations(id) ON DELETE CASCADE,
            matched_by TEXT NOT NULL CHECK (matched_by IN ('number', 'title')),
            PRIMARY KEY (proposal_id, solicitation_id)
        )"""
    )


def _m006_thresholds(db: sqlite_utils.Database) -> None:
    # Every tag names its model version and threshold; this says what that threshold was measured to give.
    db.execute(
        """CREATE TABLE thresholds (
            model_version TEXT NOT NULL,
            label TEXT NOT NULL,
            threshold_set TEXT NOT NULL,
            value REAL NOT NULL,
            in_use INTEGER NOT NULL CHECK (in_use IN (0, 1)),
            cv_precision REAL,
            cv_recall REAL,
            valid_precision REAL,
            valid_recall REAL,
            recorded TEXT NOT NULL,
            PRIMARY KEY (model_version, label, threshold_set)
        )"""
    )


Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial", _m001_initial),
    (2, "http_cache", _m002_http_cache),
    (3, "clusters", _m003_clusters),
    (4, "job_runs_digests", _m004_job_runs_digests),
    (5, "proposals_votes", _m005_proposals_votes),
    (6, "thresholds", _m006_thresholds),
]


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply every migration not yet recorded in ``_migrations``.

    :param db: an open database
    :returns: the numbers of the migrations applied by this call
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, name TEXT, applied TEXT)"
    )
    applied = []
    for number, name, step in MIGRATIONS:
        # Explicit BEGIN: the connection is in autocommit mode, and DDL must be atomic with its record.
        # The check happens under the write lock so two processes opening a new file cannot both apply.
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT 1 FROM _migrations WHERE id = ?", [number]).fetchone():
                db.execute("COMMIT")
                continue
            step(db)
            db.execute(
                "INSERT INTO _migrations (id, name, applied) VALUES (?, ?, ?)",
                [number, name, datetime.now(UTC).isoformat(timespec="seconds")],
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        applied.append(number)
    return applied
