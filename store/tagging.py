"""Writing the NLP stage's verdicts: tags, evidence, entities and relations, replaced as one unit."""

from __future__ import annotations

import json

import sqlite_utils

from store.database import transaction
from store.documents import now_utc
from store.records import Tagging, ThresholdMeasure


def write_tagging(
    db: sqlite_utils.Database, document_id: int, tagging: Tagging, tagged_sha256: str | None = None
) -> bool:
    """Replace a document's tags, evidence, entities and relations and mark it tagged.

    :param document_id: the ``documents.id`` that was tagged
    :param tagging: what the tagger found
    :param tagged_sha256: the content hash of the text that was tagged; when the crawler changed the
        document in the meantime the verdict is stale, nothing is written and the row stays pending
    :returns: whether the tagging was written
    """
    with transaction(db):
        row = db.execute(
            "SELECT content_sha256 FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        if row is None or (tagged_sha256 is not None and row[0] != tagged_sha256):
            return False
        for table in ("tags", "evidence", "entities", "relations"):
            db.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
        for label, result in tagging.labels.items():
            db.execute(
                "INSERT INTO tags (document_id, label, score, decision, threshold, model_version) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [document_id, label, result.score, int(result.decision), result.threshold,
                 tagging.model_version],
            )
            for rank, ev in enumerate(result.evidence, start=1):
                db.execute(
                    "INSERT INTO evidence (document_id, label, rank, sentence, score, start_char, "
                    "end_char, matched_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [document_id, label, rank, ev.sentence, ev.score, ev.start, ev.end,
                     json.dumps(list(ev.matched_terms))],
                )
        for ent in tagging.entities:
            db.execute(
                "INSERT INTO entities (document_id, kind, text, normalized, start_char, end_char) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [document_id, ent.kind, ent.text, ent.normalized, ent.start, ent.end],
            )
        for rel in tagging.relations:
            db.execute(
                "INSERT INTO relations (document_id, vendor, product, agency, action, sentence) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [document_id, rel.vendor, rel.product, rel.agency, rel.action, rel.sentence],
            )
        db.execute(
            "UPDATE documents SET tag_status = 'tagged', tagged_at = ?, model_version = ? WHERE id = ?",
            [now_utc(), tagging.model_version, document_id],
        )
    return True


def mark_failed(db: sqlite_utils.Database, document_id: int, error: str) -> None:
    """Take a document the tagger cannot process out of the pending queue (it stays visible)."""
    with transaction(db):
        db.execute(
            "UPDATE documents SET tag_status = 'failed', tagged_at = ?, model_version = ? WHERE id = ?",
            [now_utc(), f"error: {error[:200]}", document_id],
        )





def write_thresholds(db: sqlite_utils.Database, model_version: str, measures: list[ThresholdMeasure]) -> None:
    """Record the thresholds ``model_version`` decides at and their measured error rates (replacing what
    was recorded for that version, so a rerun changes nothing but the time)."""
    with transaction(db):
        db.execute("DELETE FROM thresholds WHERE model_version = ?", [model_version])
        recorded = now_utc()
        for m in measures:
            db.execute(
                "INSERT INTO thresholds (model_version, label, threshold_set, value, in_use, cv_precision, "
                "cv_recall, valid_precision, valid_recall, recorded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [model_version, m.label, m.threshold_set, m.value, int(m.in_use), m.cv_precision, m.cv_recall,
                 m.valid_precision, m.valid_recall, recorded],
            )
