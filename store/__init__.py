"""frwatch's store: one SQLite file (WAL, FTS5, numbered migrations) written through sqlite-utils.

Other packages use only the names below.
"""

from __future__ import annotations

from store.database import StoreError, open_store, transaction
from store.documents import (
    Outcome,
    content_sha256,
    count_pending,
    ensure_source,
    now_utc,
    pending_documents,
    remember_validators,
    requeue_outdated,
    upsert_document,
    validators_for,
)
from store.jobs import (
    DigestRecord,
    JobRun,
    abandon_running_jobs,
    claim_digest,
    digest_failed,
    digest_record,
    digest_sent,
    finish_job_run,
    last_digests,
    last_job_runs,
    sent_before,
    set_job_pid,
    start_job_run,
)
from store.queries import SearchHit, document_counts, escape_fts, label_counts, last_crawl_runs, mentions, search
from store.records import (
    LABELS,
    Document,
    Entity,
    Evidence,
    FilingFacts,
    Kind,
    LabelResult,
    Mention,
    Relation,
    StoredDocument,
    Tagging,
)
from store.runs import CrawlCounts, finish_crawl_run, start_crawl_run
from store.settings import ServeSettings, StoreSettings
from store.tagging import mark_failed, write_tagging

__all__ = [
    "LABELS",
    "CrawlCounts",
    "DigestRecord",
    "Document",
    "Entity",
    "Evidence",
    "FilingFacts",
    "JobRun",
    "Kind",
    "LabelResult",
    "Mention",
    "Outcome",
    "Relation",
    "SearchHit",
    "ServeSettings",
    "StoreError",
    "StoreSettings",
    "StoredDocument",
    "Tagging",
    "abandon_running_jobs",
    "claim_digest",
    "content_sha256",
    "count_pending",
    "digest_failed",
    "digest_record",
    "digest_sent",
    "document_counts",
    "ensure_source",
    "escape_fts",
    "finish_crawl_run",
    "finish_job_run",
    "label_counts",
    "last_crawl_runs",
    "last_digests",
    "last_job_runs",
    "mark_failed",
    "mentions",
    "now_utc",
    "open_store",
    "pending_documents",
    "remember_validators",
    "requeue_outdated",
    "search",
    "sent_before",
    "set_job_pid",
    "start_crawl_run",
    "start_job_run",
    "transaction",
    "upsert_document",
    "validators_for",
    "write_tagging",
]
