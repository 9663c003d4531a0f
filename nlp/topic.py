"""The ``frwatch_topic`` spaCy component: the transformer classifier on a ``Doc``.

It writes the same extensions as the lexicon component (``frwatch_scores``, ``frwatch_decisions``,
``frwatch_evidence``, ``frwatch_thresholds``), so callers do not know which one ran. ``pipe`` batches the
windows of many documents through the encoder at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.classifier import TopicModel, windows
from nlp.components import cached_lexicon, doc_text, document_text, sentence_pipeline
from nlp.features import has_fr_cue
from nlp.scoring import score_sentence
from store import LABELS, Evidence

if not Doc.has_extension("frwatch_positive_ranges"):
    Doc.set_extension("frwatch_positive_ranges", default=None)


def _sentences(doc: Doc) -> tuple[list[Span], list[str], int]:
    """The non-empty sentences, their stripped texts, and how many belong to the title."""
    text = doc_text(doc)
    spans, texts = [], []
    for span in doc.sents:
        stripped = text[span.start_char:span.end_char].strip()  # Span.text, without another token walk
        if stripped:
            spans.append(span)
            texts.append(stripped)
    title_end = text.find("\n\n")
    title_count = sum(1 for s in spans if s.start_char < title_end) if title_end >= 0 else 1
    return spans, texts, max(1, title_count)


_sentence_pipeline = lru_cache(maxsize=1)(sentence_pipeline)


def reading_sentences(text: str) -> list[str]:
    """The sentences the tagger reads in ``text`` (punctuation and line breaks end them)."""
    return _sentences(_sentence_pipeline()(document_text("", text, 10**7)))[1]


def reading_windows(title: str, text: str) -> list[str]:
    """The windows the tagger reads for ``title`` and ``text``: the same sentences (punctuation and line
    breaks, the title its own) and the same grouping as :meth:`TopicComponent.pipe`. Training reads long
    passages this way too, so what it learns from is what the tagger scores."""
    _, texts, title_count = _sentences(_sentence_pipeline()(document_text(title, text, 10**7)))
    return [w.text for w in windows(texts, title_count)]


class TopicComponent:
    """Score documents with the trained heads and keep the best sentences as evidence."""

    def __init__(self, model: TopicModel, threshold_set: str, evidence_per_label: int) -> None:
        self.model = model
        self.threshold_set = threshold_set
        self.keep = evidence_per_label
        self.thresholds = {label: model.threshold(label, threshold_set) for label in LABELS}

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._score(batch)
                batch = []
        if batch:
            yield from self._score(batch)

    def _score(self, docs: list[Doc]) -> list[Doc]:
        plans = []
        passages: list[str] = []
        always: set[int] = set()
        on_topic: set[int] = set()
        for doc in docs:
            spans, texts, title_count = _sentences(doc)
            wins = windows(texts, title_count)
            if len(wins) == 1:
                # A short item (a headline, an excerpt) is all there is: always read it. Longer documents
                # go through the first pass window by window, title and lead included.
                always.add(len(passages))
            elif wins and has_fr_cue(self.model.lexicon, wins[0].text):  # (an empty document has no window)
                # A document whose title or lead names face recognition may make its claim about it in words
                # no cue lists (a defence lawyer's argument about a face-search lead): its other windows
                # go to the gate without a cue of their own. Measured in benchmarks/tagging.py. (A rule of
                # the first pass: changing it raises nlp.classifier.FIRST_PASS_RULES.)
                on_topic.update(range(len(passages) + 1, len(passages) + len(wins)))
            plans.append((spans, texts, wins, len(passages)))
            passages.extend(w.text for w in wins)
        thresholds = np.array([self.thresholds[label] for label in LABELS])
        probs, tokens = self.model.probabilities_keeping_tokens(passages, always, on_topic, thresholds)
        doc_scores = [self.model.document_scores(probs[offset:offset + len(wins)]) for _s, _t, wins, offset in plans]

        # Evidence: the sentences of each positive label's best window, scored for all labels at once from
        # that window's own token states (no second encoder pass). A one-sentence window is its own
        # sentence: its window score is reused.
        by_sentence: list[dict[int, np.ndarray]] = [{} for _ in docs]
        positive_windows: list[set[int]] = [set() for _ in docs]
        for d, (_spans, texts, wins, offset) in enumerate(plans):
            for j, label in enumerate(LABELS):
                if not wins or doc_scores[d][j] < self.thresholds[label]:
                    continue
                k = int(probs[offset:offset + len(wins), j].argmax())
                if k in positive_windows[d]:
                    continue
                positive_windows[d].add(k)
                if wins[k].first == wins[k].last:
                    by_sentence[d][wins[k].first] = probs[offset + k]
                    continue
                if offset + k not in tokens:  # not encoded (scored 0): only a threshold of 0 makes it "positive"
                    continue
                inside = self.model.sentence_probabilities(tokens[offset + k], texts[wins[k].first:wins[k].last + 1])
                for n, row in enumerate(inside):
                    by_sentence[d][wins[k].first + n] = row

        for d, doc in enumerate(docs):
            spans, _texts, wins, offset = plans[d]
            scores, decisions, evidence = {}, {}, {}
            for j, label in enumerate(LABELS):
                window_probs = probs[offset:offset + len(wins), j]
                score = float(doc_scores[d][j])
                scores[label] = round(score, 4)
                decisions[label] = score >= self.thresholds[label]
                found = []
                if decisions[label]:
                    for i, p in by_sentence[d].items():
                        # Half the threshold: a sentence that supports the label on its own, if weaker.
                        if p[j] >= self.thresholds[label] / 2:
                            found.append(self._evidence(spans[i], float(p[j]), label))
                    if not found:  # the context decided, no single sentence did: show the best window's start
                        k = int(window_probs.argmax())
                        found.append(self._evidence(spans[wins[k].first], score, label))
                evidence[label] = sorted(found, key=lambda e: (-e.score, e.start))[: self.keep]
            doc._.frwatch_scores = scores
            doc._.frwatch_decisions = decisions
            doc._.frwatch_evidence = evidence
            doc._.frwatch_thresholds = dict(self.thresholds)
            # Character ranges of the windows that made a label positive: the only text the statistical
            # entity model reads (see :class:`nlp.pipeline.Tagger`).
            doc._.frwatch_positive_ranges = [
                (spans[wins[k].first].start_char, spans[wins[k].last].end_char) for k in sorted(positive_windows[d])
            ]
        return docs

    def _evidence(self, span: Span, score: float, label: str) -> Evidence:
        text = span.text.strip()
        start = span.start_char + (len(span.text) - len(span.text.lstrip()))
        matched = score_sentence(self.model.lexicon, text)[label].matched
        return Evidence(text, round(score, 4), start, start + len(text), matched)


@Language.factory(
    "frwatch_topic",
    default_config={"heads_file": "", "lexicon_dir": "", "threshold_set": "balanced", "evidence_per_label": 3,
                    "first_pass": True},
)
def make_topic(
    nlp: Language, name: str, heads_file: str, lexicon_dir: str, threshold_set: str, evidence_per_label: int,
    first_pass: bool,
) -> TopicComponent:
    model = TopicModel(Path(heads_file), cached_lexicon(lexicon_dir), Path(lexicon_dir), first_pass)
    return TopicComponent(model, threshold_set, evidence_per_label)
