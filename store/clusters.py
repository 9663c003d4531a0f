"""Clusters of near-duplicate documents (syndicated copies of one story), found through MinHash bands.

The crawler computes each document's MinHash signature and band keys (``crawler/dedupe.py``); here a
document joins the cluster of the most similar earlier document whose estimated Jaccard similarity is
at least :data:`THRESHOLD`, or starts one with it.
"""

from __future__ import annotations

import struct

import sqlite_utils

# Measured on the demo site: its syndicated pairs score 0.61 and 0.63, the closest unrelated pair 0.016.
THRESHOLD = 0.3


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two MinHash signatures of equal length."""
    count = len(first) // 4
    a, b = struct.unpack(f">{count}I", first), struct.unpack(f">{count}I", second[: 4 * count])
    return sum(x == y for x, y in zip(a, b, strict=True)) / count


def assign_cluster(
    db: sqlite_utils.Database, document_id: int, signature: bytes, band_keys: tuple[tuple[int, int], ...]
) -> int | None:
    """Index the document's bands and put it in a cluster with its nearest duplicate, if any.

    Runs inside the caller's transaction. Returns the cluster id, or None when it has no duplicate.
    """
    db.execute("DELETE FROM minhash_bands WHERE document_id = ?", [document_id])
    candidates: set[int] = set()
    for band, value in band_keys:
        rows = db.execute("SELECT document_id FROM minhash_bands WHERE band = ? AND value = ?", [band, value])
        candidates.update(r[0] for r in rows.fetchall())
        db.execute("INSERT INTO minhash_bands (band, value, document_id) VALUES (?, ?, ?)",
                   [band, value, document_id])
    best, best_score = None, THRESHOLD
    for other in sorted(candidates - {document_id}):
        row = db.execute("SELECT minhash, cluster_id FROM documents WHERE id = ?", [other]).fetchone()
        if row and row[0]:
            score = similarity(signature, row[0])
            if score >= best_score:
                best, best_score = (other, row[1]), score
    if best is None:
        db.execute("UPDATE documents SET cluster_id = NULL WHERE id = ?", [document_id])
        return None
    other, cluster = best
    if cluster is None:
        cluster = int(db.execute("INSERT INTO clusters (first_document_id) VALUES (?)", [other]).lastrowid or 0)
        db.execute("UPDATE documents SET cluster_id = ? WHERE id = ?", [cluster, other])
    db.execute("UPDATE documents SET cluster_id = ? WHERE id = ?", [cluster, document_id])
    return int(cluster)
