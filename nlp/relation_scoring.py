"""How extracted relations are scored against a written gold set (``tests/fixtures/relations_*.jsonl``): a
relation is its action and its product, or its vendor when no product is named."""

from __future__ import annotations

from collections.abc import Sequence

from store import Relation


def gold_key(row: dict[str, str | None]) -> tuple[str, str | None]:
    """What a gold relation is compared by: its action and its product (or vendor when none is named)."""
    return str(row["action"]), row.get("product") or row.get("vendor")


def found_key(relation: Relation) -> tuple[str, str | None]:
    """:func:`gold_key` for an extracted relation."""
    return relation.action, relation.product or relation.vendor


def score_relations(gold: Sequence[Sequence[dict[str, str | None]]], found: Sequence[Sequence[Relation]]
                    ) -> tuple[int, int, int]:
    """True positives, extracted and expected relation counts over passages. A relation is its action and
    its product (or vendor when no product is named); the agency is not compared: gold writes it as the text
    says ("police departments"), the extractor as the lexicon names it."""
    hits = extracted = expected = 0
    for want, got in zip(gold, found, strict=True):
        w = {gold_key(r) for r in want}
        g = {found_key(r) for r in got}
        hits += len(w & g)
        extracted += len(g)
        expected += len(w)
    return hits, extracted, expected
