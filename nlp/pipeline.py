"""Building the spaCy pipeline once per process and turning its output into store records."""

from __future__ import annotations

import logging
from functools import cached_property

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import nlp.components
import nlp.topic
from nlp.components import document_text, sentence_pipeline
from nlp.lexicon import lexicon_version
from nlp.relations import RELATION_RULES, find_relations
from nlp.settings import NlpSettings
from store import LABELS, Entity, LabelResult, Relation, Tagging, ThresholdMeasure

logger = logging.getLogger(__name__)

# spaCy's entity labels kept as frwatch entity kinds (ours are AGENCY, VENDOR, PRODUCT).
ENTITY_KINDS = {"AGENCY": "agency", "VENDOR": "vendor", "PRODUCT": "product", "GPE": "place", "PERSON": "person"}


def _load_model(name: str, exclude: list[str], without: str) -> Language | None:
    try:
        return spacy.load(name, exclude=exclude)
    except OSError:
        logger.warning("spaCy model %r is not installed; %s", name, without)
        return None


def build_pipeline(settings: NlpSettings) -> Language:
    """The classification pipeline: rule-based sentences, the lexicon matcher and the topic component.

    It needs no statistical spaCy model: sentence boundaries come from punctuation and line breaks, and
    the lexicon supplies agencies, vendors and products. The statistical model's entities (people,
    places) are added by :class:`Tagger` only to documents that need them.

    :param settings: the ``[nlp]`` section
    """
    pipeline = sentence_pipeline()
    pipeline.add_pipe("frwatch_lexicon", config={"lexicon_dir": str(settings.lexicon_dir)})
    if settings.classifier == "transformer":
        pipeline.add_pipe(
            "frwatch_topic",
            config={"heads_file": str(settings.heads_file), "lexicon_dir": str(settings.lexicon_dir),
                    "threshold_set": settings.threshold_set, "evidence_per_label": settings.evidence_per_label,
                    "first_pass": settings.first_pass},
        )
    else:
        pipeline.add_pipe(
            "frwatch_topic_lexicon",
            config={"lexicon_dir": str(settings.lexicon_dir), "threshold": settings.lexicon_threshold,
                    "evidence_per_label": settings.evidence_per_label},
        )
    pipeline.max_length = max(pipeline.max_length, settings.max_chars + 10_000)
    return pipeline


def _topic(pipeline: Language) -> nlp.topic.TopicComponent | None:
    """The transformer component, or None when the keyword baseline tags."""
    if "frwatch_topic" not in pipeline.pipe_names:
        return None
    component = pipeline.get_pipe("frwatch_topic")
    assert isinstance(component, nlp.topic.TopicComponent)
    return component


def model_version(pipeline: Language, settings: NlpSettings) -> str:
    """What produced the tags: the heads' content version, or the lexicon's, and the relation rules' (a
    change to the rules re-tags documents as a new model does: their stored relations are the rules')."""
    component = _topic(pipeline)
    labels = str(component.model.version) if component is not None else "keywords-" + lexicon_version(
        settings.lexicon_dir)
    return f"{labels}+relations-{RELATION_RULES}"


class Tagger:
    """Tag documents with the three labels, their evidence, entities and relations."""

    def __init__(self, settings: NlpSettings) -> None:
        self.settings = settings
        self.nlp = build_pipeline(settings)
        self.model_version = model_version(self.nlp, settings)
        self.lexicon = nlp.components.cached_lexicon(str(settings.lexicon_dir))
        # Named people and places come from the statistical model, the costliest step after the encoder;
        # unless configured for all, it reads only the windows that made a label positive (the keyword
        # baseline has no windows: there, whole documents with a positive label).
        self.ner = _load_model(settings.spacy_model, ["lemmatizer", "parser", "tagger", "attribute_ruler"],
                               "entities come from the lexicon only (no people or places)")

    @cached_property
    def parser(self) -> Language | None:
        """The statistical model's parser, for relations: loaded on first use (few documents have any), and
        tried once (a missing model is one warning, not one per document)."""
        return _load_model(self.settings.spacy_model, ["ner", "lemmatizer"], "no relations")

    def thresholds(self) -> list[ThresholdMeasure]:
        """The thresholds this tagger can decide at, which one it does, and what each was measured to give
        (the keyword baseline's threshold is uncalibrated and unmeasured)."""
        component = _topic(self.nlp)
        if component is None:
            return [ThresholdMeasure(label, "keyword", self.settings.lexicon_threshold, True) for label in LABELS]
        return [
            ThresholdMeasure(label, name, t.value, name == component.threshold_set, t.precision, t.recall,
                             t.valid_precision, t.valid_recall)
            for label in LABELS
            for name, t in component.model.heads.heads[label].thresholds.items()
        ]

    def tag_many(self, items: list[tuple[str, str]]) -> list[Tagging]:
        """Tag ``(title, text)`` pairs in one batch."""
        texts = [document_text(title, text, self.settings.max_chars) for title, text in items]
        docs = list(self.nlp.pipe((self._make_doc(text) for text in texts), batch_size=self.settings.batch_size))
        # (document index, start offset, text) read by the statistical model.
        pieces: list[tuple[int, int, str]] = []
        for i, doc in enumerate(docs):
            ranges = doc._.frwatch_positive_ranges  # None from the keyword baseline
            if self.settings.entities_for == "all" or ranges is None:
                if self.settings.entities_for == "all" or any(doc._.frwatch_decisions.values()):
                    pieces.append((i, 0, texts[i]))
            else:
                pieces.extend((i, start, texts[i][start:end]) for start, end in ranges)
        people: dict[int, list[Entity]] = {}
        if self.ner is not None and pieces:
            for (i, base, _text), ner_doc in zip(
                pieces, self.ner.pipe([text for _i, _b, text in pieces], batch_size=16), strict=True
            ):
                people.setdefault(i, []).extend(
                    Entity(kind=ENTITY_KINDS[e.label_], text=e.text, normalized=e.text, start=base + e.start_char,
                           end=base + e.end_char)
                    for e in ner_doc.ents if e.label_ in ("GPE", "PERSON")
                )
        return [self._tagging(doc, people.get(i, [])) for i, doc in enumerate(docs)]

    def _make_doc(self, text: str) -> Doc:
        doc = self.nlp.make_doc(text)
        doc.user_data[nlp.components.TEXT_KEY] = text
        return doc

    def tag(self, title: str, text: str) -> Tagging:
        """Tag one document."""
        return self.tag_many([(title, text)])[0]

    def _tagging(self, doc: Doc, people: list[Entity]) -> Tagging:
        labels = {
            label: LabelResult(
                score=doc._.frwatch_scores[label],
                decision=bool(doc._.frwatch_decisions[label]),
                threshold=doc._.frwatch_thresholds[label],
                evidence=tuple(doc._.frwatch_evidence[label]),
            )
            for label in LABELS
        }
        ours = [
            Entity(kind=ENTITY_KINDS[e.label_], text=e.text, normalized=e.kb_id_ or e.text, start=e.start_char,
                   end=e.end_char)
            for e in doc.ents if e.label_ in ENTITY_KINDS
        ]
        taken = {(e.start, e.end) for e in ours}
        entities = ours + [e for e in people if not any(s < e.end and e.start < t for s, t in taken)]
        relations: tuple[Relation, ...] = ()
        if labels["facial_recognition"].decision and labels["law_enforcement"].decision and self.parser is not None:
            relations = tuple(find_relations(doc, self.lexicon, self.parser))
        return Tagging(labels=labels, model_version=self.model_version,
                       entities=tuple(sorted(entities, key=lambda e: e.start)), relations=relations)
