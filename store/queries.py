"""Read-side queries shared by the CLI, the digest and the tests: search, status and mentions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import sqlite_utils

from store.records import Mention


def escape_fts(query: str) -> str:
    """Turn free text into an FTS5 query matching all its words, so ``"`` or ``AND`` cannot break it.

    Datasette's ``escape_fts()`` SQL function does the same for the canned search query.
    """
    tokens = re.findall(r"[^\s\"]+", query)
    return " ".join('"' + token.replace('"', '""') + '"' for token in tokens)


@dataclass(frozen=True)
class SearchHit:
    """One full-text search result."""

    document_id: int
    title: str
    url: str
    kind: str
    source_id: str
    published: str | None
    snippet: str


def search(db: sqlite_utils.Database, query: str, limit: int = 20) -> list[SearchHit]:
    """Full-text search over titles and texts, best match first.

    :param query: free text; every word must match (porter-stemmed)
    :param limit: at most this many hits
    """
    fts = escape_fts(query)
    if not fts:
        return []
    rows = db.execute(
        "SELECT d.id, d.title, d.canonical_url, d.kind, d.source_id, d.published, "
        "snippet(documents_fts, 1, '[', ']', '…', 16) FROM documents_fts "
        "JOIN documents d ON d.id = documents_fts.rowid WHERE documents_fts MATCH ? "
        "ORDER BY bm25(documents_fts, 5.0, 1.0) LIMIT ?",
        [fts, limit],
    ).fetchall()
    return [SearchHit(*row) for row in rows]


def document_counts(db: sqlite_utils.Database) -> list[tuple[str, str, int, int]]:
    """Documents per source and kind: ``(source_id, kind, documents, pending)``."""
    return [
        tuple(row)  # type: ignore[misc]
        for row in db.execute(
            "SELECT source_id, kind, count(*), sum(tag_status = 'pending') FROM documents "
            "GROUP BY source_id, kind ORDER BY source_id, kind"
        ).fetchall()
    ]


def label_counts(db: sqlite_utils.Database) -> list[tuple[str, int, int]]:
    """Per label: ``(label, documents tagged positive, documents scored)``."""
    return [
        tuple(row)  # type: ignore[misc]
        for row in db.execute(
            "SELECT label, sum(decision), count(*) FROM tags GROUP BY label ORDER BY label"
        ).fetchall()
    ]


def last_crawl_runs(db: sqlite_utils.Database, limit: int = 10) -> list[dict[str, object]]:
    """The most recent crawl runs, newest first, with their response counts decoded."""
    rows = list(
        db.query(
            "SELECT id, source_id, spider, started, finished, status, requests, responses, new, "
            "updated, unchanged, failed, error FROM crawl_runs ORDER BY id DESC LIMIT ?",
            [limit],
        )
    )
    for row in rows:
        row["responses"] = json.loads(str(row["responses"])) if row["responses"] else {}
    return rows


def mentions(
    db: sqlite_utils.Database, first_seen_from: str, first_seen_to: str
) -> list[Mention]:
    """Documents first seen in ``[from, to)`` with a positive decision, one row per label.

    Each row carries the label's best evidence sentence; ordered by label, then score.
    """
    rows = db.execute(
        """
        SELECT d.id, t.label, t.score, d.title, d.canonical_url, d.source_id, d.kind, d.published,
               d.first_seen, e.sentence, e.matched_terms, d.cluster_id, f.form, f.company
        FROM tags t
        JOIN documents d ON d.id = t.document_id
        LEFT JOIN evidence e ON e.document_id = t.document_id AND e.label = t.label AND e.rank = 1
        LEFT JOIN filings f ON f.document_id = d.id
        WHERE t.decision = 1 AND d.first_seen >= ? AND d.first_seen < ?
        ORDER BY t.label, t.score DESC, d.id
        """,
        [first_seen_from, first_seen_to],
    ).fetchall()
    return [
        Mention(
            document_id=r[0], label=r[1], score=r[2], title=r[3], url=r[4], source_id=r[5],
            kind=r[6], published=r[7], first_seen=r[8], evidence=r[9],
            matched_terms=tuple(json.loads(r[10])) if r[10] else (), cluster_id=r[11], form=r[12], company=r[13],
        )
        for r in rows
    ]


def vote_results(db: sqlite_utils.Database, first_seen_from: str, first_seen_to: str) -> list[dict[str, object]]:
    """Vote results of face-recognition proposals whose 8-K was first seen in ``[from, to)``.

    A proposal counts as face recognition when its own document is tagged so; the result carries both
    support figures, the proposal's title and the tag's score.
    """
    cursor = db.execute(
        """
        SELECT v.company, v.year, v.number, p.title AS proposal_title, p.proponent,
               v.for_votes, v.against_votes, v.abstain_votes,
               v.support_for_against, v.support_with_abstain, v.filing_url, v.filed,
               d.id AS document_id, d.source_id, d.first_seen, d.cluster_id, t.score
        FROM votes v
        JOIN proposals p ON p.id = v.proposal_id
        JOIN tags t ON t.document_id = p.document_id AND t.label = 'facial_recognition' AND t.decision = 1
        JOIN documents d ON d.id = v.filing_document_id
        WHERE d.first_seen >= ? AND d.first_seen < ?
        ORDER BY v.company, v.year, v.number
        """,
        [first_seen_from, first_seen_to],
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
