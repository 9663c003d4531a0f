"""The tag job: pending documents in batches through the :class:`Tagger`, verdicts into the store.

Documents tagged by another model version are requeued first, so a new model re-tags everything once.
Safe to rerun and to kill: each document's verdict is written in its own transaction and only if the
document's content has not changed since it was read, so a crash loses at most the batch in flight.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

import store
from nlp.pipeline import Tagger
from store import Tagging

logger = logging.getLogger(__name__)


@dataclass
class TagReport:
    """What one run of the tag job did."""

    tagged: int = 0
    failed: int = 0
    stale: int = 0
    requeued: int = 0


def tag_pending(
    db: sqlite_utils.Database,
    tagger: Tagger,
    on_batch: Callable[[int], None] | None = None,
) -> TagReport:
    """Tag every pending document.

    :param on_batch: called with the number of documents finished after each batch (progress)
    """
    report = TagReport(requeued=store.requeue_outdated(db, tagger.model_version))
    # The tags this run writes name a model version and a threshold; record what those were measured to give.
    store.write_thresholds(db, tagger.model_version, tagger.thresholds())
    while True:
        # A document that cannot be tagged is marked failed, which takes it out of the pending queue.
        batch = store.pending_documents(db, tagger.settings.batch_size)
        if not batch:
            return report
        try:
            taggings: list[Tagging | None] = list(tagger.tag_many([(d.title, d.text) for d in batch]))
        except Exception:
            logger.exception("batch failed; tagging its documents one by one")
            taggings = [_tag_alone(db, tagger, doc, report) for doc in batch]
        for doc, tagging in zip(batch, taggings, strict=True):
            if tagging is None:
                continue
            if store.write_tagging(db, doc.id, tagging, tagged_sha256=doc.content_sha256):
                report.tagged += 1
            else:
                report.stale += 1
        if on_batch is not None:
            on_batch(len(batch))


def _tag_alone(
    db: sqlite_utils.Database, tagger: Tagger, doc: store.StoredDocument, report: TagReport
) -> Tagging | None:
    """Tag one document of a failed batch; a document that fails alone is marked failed."""
    try:
        return tagger.tag(doc.title, doc.text)
    except Exception as exc:
        logger.error("document %s cannot be tagged: %s", doc.id, exc)
        store.mark_failed(db, doc.id, str(exc))
        report.failed += 1
        return None
