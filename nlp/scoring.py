"""Lexicon scoring: the keyword baseline, and the lexical features of the trained classifier.

A sentence's score for a label is the noisy-or of its cue weights. A document's score is its best
sentence plus a tenth of the next two (so repeated evidence helps a little and one strong sentence is
enough). These scores are not calibrated; the trained classifier (:mod:`nlp.classifier`) uses the
per-passage scores as features beside the encoder's embedding, and ``frwatch eval`` reports this
scorer as the keyword baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.lexicon import Cue, Lexicon, fold


@dataclass(frozen=True)
class SentenceScore:
    """One sentence's score for one label and the cue texts that produced it."""

    score: float
    matched: tuple[str, ...]


def _noisy_or(weights: list[float]) -> float:
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return 1.0 - miss


def _match(cues: tuple[Cue, ...], sentence: str, folded: str) -> tuple[list[float], list[str]]:
    weights, matched = [], []
    for cue in cues:
        found = cue.search(sentence, folded)
        if found:
            weights.append(cue.weight)
            if found.group(0) not in matched:
                matched.append(found.group(0))
    return weights, matched


def score_sentence(lexicon: Lexicon, sentence: str) -> dict[str, SentenceScore]:
    """Score one sentence for the three labels."""
    folded = fold(sentence)
    fr_w, fr_m = _match(lexicon.fr_cues, sentence, folded)
    fr = _noisy_or(fr_w)
    if fr_w and max(fr_w) < 0.8 and any(b.search(sentence) for b in lexicon.fr_blockers):
        fr *= 0.3
    elif not fr_w and any(b.search(sentence) for b in lexicon.fr_blockers):
        fr = 0.0

    ag_w, ag_m = _match(lexicon.le_agencies, sentence, folded)
    tech = lexicon.le_technology.search(sentence)
    if ag_w and tech:
        # An agency and a technology together: the rubric's "sold to, used by, banned for" territory.
        le = min(0.95, 0.55 + max(ag_w) * 0.8)
        le_m = [*ag_m, tech.group(0)]
    else:
        le, le_m = (max(ag_w) * 0.6 if ag_w else 0.0), ag_m

    cr_w, cr_m = _match(lexicon.cr_cues, sentence, folded)
    return {
        "facial_recognition": SentenceScore(fr, tuple(fr_m)),
        "law_enforcement": SentenceScore(le, tuple(le_m)),
        "civil_rights": SentenceScore(_noisy_or(cr_w), tuple(cr_m)),
    }


def aggregate(scores: list[float]) -> float:
    """A document's label score from its sentences' scores."""
    ranked = sorted(scores, reverse=True)
    if not ranked:
        return 0.0
    return min(1.0, ranked[0] + 0.1 * sum(ranked[1:3]) * (1 - ranked[0]) * 3)
