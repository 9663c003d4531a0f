"""Lexical features for the classifier heads: what the lexicon matcher sees in a passage.

The encoder knows what a passage is about; the lexicon knows the exact names (Rekognition, ICE, BIPA)
that a small encoder may blur. Both go into each head.
"""

from __future__ import annotations

import numpy as np

from nlp.lexicon import Lexicon, fold
from nlp.scoring import score_sentence

FEATURES = ("fr_cue", "le_cue", "cr_cue", "fr_blocked", "agency", "technology", "other_reason")


def lexical_features(lexicon: Lexicon, passage: str) -> np.ndarray:
    """A small vector of lexicon evidence for one passage."""
    scores = score_sentence(lexicon, passage)
    return np.array(
        [
            scores["facial_recognition"].score,
            scores["law_enforcement"].score,
            scores["civil_rights"].score,
            float(any(b.search(passage) for b in lexicon.fr_blockers)),
            # score_sentence names law-enforcement terms only when an agency matched (then with the technology)
            float(bool(scores["law_enforcement"].matched)),
            float(bool(lexicon.le_technology.search(passage))),
            # a reason that is not a rights one ("cannot afford it", "the vendor went bankrupt"): the pooled
            # embedding carries the topic of a restriction, not its reason clause
            float(any(r.search(passage) for r in lexicon.cr_other_reasons)),
        ],
        dtype=np.float32,
    )


def has_cue(lexicon: Lexicon, passage: str) -> bool:
    """Whether the passage could matter: the cheap first pass sends only these on to the window gate
    (:mod:`nlp.gate`), and what the gate passes to the encoder.

    True for any face-recognition cue or blocker, an agency together with a technology word, or any
    civil-rights cue. Weak civil-rights cues ("privacy", "harm") used to be left out because they are
    everywhere; the gate now turns most such windows away, and leaving them out lost real positives (an
    app-tracking "privacy change" paragraph). The recall cost against encoding everything is measured in
    ``benchmarks/tagging.py``.
    """
    folded = fold(passage)
    if has_fr_cue(lexicon, passage, folded) or any(b.search(passage) for b in lexicon.fr_blockers):
        return True
    if lexicon.le_technology.search(passage) and any(c.search(passage, folded) for c in lexicon.le_agencies):
        return True
    return any(c.search(passage, folded) for c in lexicon.cr_cues)


def has_fr_cue(lexicon: Lexicon, passage: str, folded: str | None = None) -> bool:
    """Whether the passage names face recognition (any of its cues)."""
    folded = fold(passage) if folded is None else folded
    return any(c.search(passage, folded) for c in lexicon.fr_cues)


def feature_matrix(lexicon: Lexicon, embeddings: np.ndarray, passages: list[str]) -> np.ndarray:
    """Embeddings and lexical features side by side, one row per passage."""
    lexical = np.stack([lexical_features(lexicon, p) for p in passages]) if passages else np.zeros((0, len(FEATURES)))
    return np.hstack([embeddings, lexical]).astype(np.float32)
