"""frwatch's NLP: a spaCy pipeline that tags documents with labels, evidence and entities."""

from __future__ import annotations

from nlp.pipeline import Tagger, build_pipeline
from nlp.settings import NlpSettings
from nlp.tagging import TagReport, tag_pending

__all__ = ["NlpSettings", "TagReport", "Tagger", "build_pipeline", "tag_pending"]
