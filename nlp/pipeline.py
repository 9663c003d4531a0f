"""Building the spaCy pipeline once per process and turning its output into store records."""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language

import nlp.components  # noqa: F401 - registers the frwatch factories
from nlp.settings import NlpSettings
from store import LABELS, Entity, LabelResult, Tagging

logger = logging.getLogger(__name__)

MODEL_VERSION = "lexicon-0.1"
# spaCy's entity labels kept as frwatch entity kinds (ours are AGENCY, VENDOR, PRODUCT).
ENTITY_KINDS = {"AGENCY": "agency", "VENDOR": "vendor", "PRODUCT": "product", "GPE": "place", "PERSON": "person"}


def build_pipeline(settings: NlpSettings) -> Language:
    """The small English pipeline named in config (or blank English), plus frwatch's components.

    :param settings: the ``[nlp]`` section
    """
    try:
        nlp = spacy.load(settings.spacy_model, exclude=["lemmatizer"])
    except OSError:
        logger.warning(
            "spaCy model %r is not installed; using blank English (rules only, no person/place entities)",
            settings.spacy_model,
        )
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    first = "parser" if "parser" in nlp.pipe_names else "sentencizer"
    nlp.add_pipe("frwatch_paragraphs", before=first)
    nlp.add_pipe("frwatch_lexicon", config={"lexicon_dir": str(settings.lexicon_dir)})
    nlp.add_pipe(
        "frwatch_topic_lexicon",
        config={
            "lexicon_dir": str(settings.lexicon_dir),
            "threshold": settings.threshold,
            "evidence_per_label": settings.evidence_per_label,
        },
    )
    nlp.max_length = max(nlp.max_length, settings.max_chars + 10_000)
    return nlp


def document_text(title: str, text: str, max_chars: int) -> str:
    """What the tagger reads; evidence offsets point into this string."""
    return f"{title.strip()}\n\n{text.strip()}"[:max_chars]


class Tagger:
    """Tag documents with the three labels, their evidence and their entities."""

    def __init__(self, settings: NlpSettings) -> None:
        self.settings = settings
        self.nlp = build_pipeline(settings)

    def tag_many(self, items: list[tuple[str, str]]) -> list[Tagging]:
        """Tag ``(title, text)`` pairs in one spaCy batch."""
        texts = [document_text(title, text, self.settings.max_chars) for title, text in items]
        return [self._tagging(doc) for doc in self.nlp.pipe(texts, batch_size=16)]

    def tag(self, title: str, text: str) -> Tagging:
        """Tag one document."""
        return self.tag_many([(title, text)])[0]

    def _tagging(self, doc: spacy.tokens.Doc) -> Tagging:
        labels = {
            label: LabelResult(
                score=doc._.frwatch_scores[label],
                decision=bool(doc._.frwatch_decisions[label]),
                threshold=self.settings.threshold,
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
        return Tagging(labels=labels, model_version=MODEL_VERSION, entities=tuple(entities))
