"""spaCy components, registered as factories so pipelines are built from names and config.

- ``frwatch_paragraphs``: a line break ends a sentence (titles and headings are sentences of their own).
- ``frwatch_lexicon``: agencies, vendors and products from ``entities.jsonl`` added to ``doc.ents``.
- ``frwatch_topic_lexicon``: the keyword baseline: per-sentence label scores from ``cues.toml``, aggregated
  per document, on ``doc._.frwatch_scores``, ``doc._.frwatch_decisions``, ``doc._.frwatch_evidence`` and
  ``doc._.frwatch_thresholds``. The transformer classifier (:mod:`nlp.topic`) writes the same extensions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.lexicon import Lexicon, load_lexicon
from nlp.scoring import aggregate, score_sentence
from store import LABELS, Evidence

for _name, _default in (("frwatch_scores", None), ("frwatch_decisions", None), ("frwatch_evidence", None),
                         ("frwatch_thresholds", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


# Where :class:`nlp.pipeline.Tagger` keeps a document's text on the ``Doc``: spaCy rebuilds ``doc.text``
# (and every ``Span.text``) from the tokens on each access, and the tagger needs the text several times.
TEXT_KEY = "frwatch_text"


def sentence_pipeline() -> Language:
    """A blank English pipeline that only splits sentences: at punctuation and at line breaks
    (``frwatch_paragraphs``), so a title is a sentence of its own. The tagger's pipeline starts as this."""
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("frwatch_paragraphs", before="sentencizer")
    return pipeline


def document_text(title: str, text: str, max_chars: int) -> str:
    """What the tagger reads; evidence offsets point into this string."""
    return f"{title.strip()}\n\n{text.strip()}"[:max_chars]


def doc_text(doc: Doc) -> str:
    """``doc.text``, from the stored copy when there is one."""
    text = doc.user_data.get(TEXT_KEY)
    return text if isinstance(text, str) else doc.text


@lru_cache(maxsize=4)
def cached_lexicon(folder: str) -> Lexicon:
    """The lexicon of ``folder``, read once per process."""
    return load_lexicon(Path(folder))


@Language.component("frwatch_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break (the sentencizer and parser respect preset boundaries)."""
    starts = doc.to_array("IDX")
    for match in re.finditer(r"\n\s*", doc_text(doc)):
        i = int(np.searchsorted(starts, match.end()))
        if 0 < i < len(doc):
            doc[i].is_sent_start = True
    return doc


class EntityMatcher:
    """Add AGENCY, VENDOR and PRODUCT spans from the lexicon to ``doc.ents``, keeping the model's others."""

    def __init__(self, nlp: Language, lexicon_dir: str) -> None:
        lexicon = cached_lexicon(lexicon_dir)
        self.phrases_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrases_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.tokens = Matcher(nlp.vocab)
        self.ids: dict[int, str] = {}
        for n, row in enumerate(lexicon.entity_patterns):
            key = f"{row['label']}|{n}"
            self.ids[nlp.vocab.strings.add(key)] = str(row.get("id") or "")
            pattern = row["pattern"]
            if isinstance(pattern, list):
                self.tokens.add(key, [pattern], greedy="LONGEST")
            elif row.get("case"):
                self.phrases_exact.add(key, [nlp.make_doc(pattern)])
            else:
                self.phrases_lower.add(key, [nlp.make_doc(pattern)])

    def __call__(self, doc: Doc) -> Doc:
        named: list[Span] = []
        for matcher in (self.phrases_lower, self.phrases_exact):
            named += [self._span(doc, match_id, start, end) for match_id, start, end in matcher(doc)]
        # A name from the list wins over a title-case pattern that runs over it: in a headline ("IBM, Microsoft
        # And Amazon Not Letting Police ...") the pattern starts after the last name it would swallow.
        patterned = []
        for match_id, start, end in self.tokens(doc):
            start = max([start, *(n.end for n in named if start <= n.start and n.end < end)])
            patterned.append(self._span(doc, match_id, start, end))
        ours = filter_spans(named + patterned)
        taken = {i for span in ours for i in range(span.start, span.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = filter_spans([*ours, *kept])
        return doc

    def _span(self, doc: Doc, match_id: int, start: int, end: int) -> Span:
        span = Span(doc, start, end, label=doc.vocab.strings[match_id].split("|")[0])
        span.kb_id_ = self.ids.get(match_id) or span.text
        return span


@Language.factory("frwatch_lexicon", default_config={"lexicon_dir": ""})
def make_entity_matcher(nlp: Language, name: str, lexicon_dir: str) -> EntityMatcher:
    return EntityMatcher(nlp, lexicon_dir)


class TopicLexicon:
    """Score the three labels per sentence from the lexicon cues and keep the best sentences."""

    def __init__(self, lexicon_dir: str, threshold: float, evidence_per_label: int) -> None:
        self.lexicon = cached_lexicon(lexicon_dir)
        self.threshold = threshold
        self.keep = evidence_per_label

    def __call__(self, doc: Doc) -> Doc:
        per_label: dict[str, list[Evidence]] = {label: [] for label in LABELS}
        for sent in doc.sents:
            text = sent.text.strip()
            if len(text) < 3:
                continue
            scores = score_sentence(self.lexicon, text)
            for label in LABELS:
                if scores[label].score > 0:
                    per_label[label].append(
                        Evidence(text, round(scores[label].score, 4), sent.start_char,
                                 sent.start_char + len(sent.text.rstrip()), scores[label].matched)
                    )
        doc._.frwatch_scores = {
            label: round(aggregate([e.score for e in per_label[label]]), 4) for label in LABELS
        }
        doc._.frwatch_decisions = {
            label: doc._.frwatch_scores[label] >= self.threshold for label in LABELS
        }
        doc._.frwatch_thresholds = {label: self.threshold for label in LABELS}
        doc._.frwatch_evidence = {
            label: sorted(per_label[label], key=lambda e: (-e.score, e.start))[: self.keep]
            for label in LABELS
        }
        return doc


@Language.factory(
    "frwatch_topic_lexicon",
    default_config={"lexicon_dir": "", "threshold": 0.5, "evidence_per_label": 3},
)
def make_topic_lexicon(
    nlp: Language, name: str, lexicon_dir: str, threshold: float, evidence_per_label: int
) -> TopicLexicon:
    return TopicLexicon(lexicon_dir, threshold, evidence_per_label)
