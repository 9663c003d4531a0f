"""Building the spaCy pipeline once per process and turning its output into store records."""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import nlp.components
import nlp.topic
from nlp.lexicon import lexicon_version
from nlp.relations import find_relations
from nlp.settings import NlpSettings
from store import LABELS, Entity, LabelResult, Relation, Tagging

logger = logging.getLogger(__name__)

# spaCy's entity labels kept as frwatch entity kinds (ours are AGENCY, VENDOR, PRODUCT).
ENTITY_KINDS = {"AGENCY": "agency", "VENDOR": "vendor", "PRODUCT": "product", "GPE": "place", "PERSON": "person"}


def build_pipeline(settings: NlpSettings) -> Language:
    """The small English pipeline named in config (or blank English), plus frwatch's components.

    :param settings: the ``[nlp]`` section
    """
    try:
        pipeline = spacy.load(settings.spacy_model, exclude=["lemmatizer"])
    except OSError:
        logger.warning(
            "spaCy model %r is not installed; using blank English (rules only, no person/place entities)",
            settings.spacy_model,
        )
        pipeline = spacy.blank("en")
        pipeline.add_pipe("sentencizer")
    first = "parser" if "parser" in pipeline.pipe_names else "sentencizer"
    pipeline.add_pipe("frwatch_paragraphs", before=first)
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


def model_version(pipeline: Language, settings: NlpSettings) -> str:
    """What produced the tags: the heads' content version, or the lexicon's."""
    if "frwatch_topic" in pipeline.pipe_names:
        component = pipeline.get_pipe("frwatch_topic")
        assert isinstance(component, nlp.topic.TopicComponent)
        return str(component.model.version)
    return "keywords-" + lexicon_version(settings.lexicon_dir)


def document_text(title: str, text: str, max_chars: int) -> str:
    """What the tagger reads; evidence offsets point into this string."""
    return f"{title.strip()}\n\n{text.strip()}"[:max_chars]


class Tagger:
    """Tag documents with the three labels, their evidence, entities and relations."""

    def __init__(self, settings: NlpSettings) -> None:
        self.settings = settings
        self.nlp = build_pipeline(settings)
        self.model_version = model_version(self.nlp, settings)
        self.lexicon = nlp.components.cached_lexicon(str(settings.lexicon_dir))

    def tag_many(self, items: list[tuple[str, str]]) -> list[Tagging]:
        """Tag ``(title, text)`` pairs in one spaCy batch."""
        texts = [document_text(title, text, self.settings.max_chars) for title, text in items]
        return [self._tagging(doc) for doc in self.nlp.pipe(texts, batch_size=32)]

    def tag(self, title: str, text: str) -> Tagging:
        """Tag one document."""
        return self.tag_many([(title, text)])[0]

    def _tagging(self, doc: Doc) -> Tagging:
        labels = {
            label: LabelResult(
                score=doc._.frwatch_scores[label],
                decision=bool(doc._.frwatch_decisions[label]),
                threshold=doc._.frwatch_thresholds[label],
                evidence=tuple(doc._.frwatch_evidence[label]),
            )
            for label in LABELS
        }
        seen: set[tuple[str, int]] = set()
        entities = []
        for ent in doc.ents:
            kind = ENTITY_KINDS.get(ent.label_)
            if kind is None or (kind, ent.start_char) in seen:
                continue
            seen.add((kind, ent.start_char))
            entities.append(
                Entity(kind=kind, text=ent.text, normalized=ent.kb_id_ or ent.text,
                       start=ent.start_char, end=ent.end_char)
            )
        relations: tuple[Relation, ...] = ()
        if labels["facial_recognition"].decision and labels["law_enforcement"].decision:
            relations = tuple(find_relations(doc, self.lexicon))
        return Tagging(labels=labels, model_version=self.model_version, entities=tuple(entities),
                       relations=relations)
