"""The relation extractor as the tests run it: the lexicon pipeline, the parser, and short ways to read what a
text states (:mod:`tests.test_relations`, :mod:`tests.test_relation_facts`, :mod:`tests.test_relation_gold_sets`)."""

from functools import lru_cache

import spacy

from nlp.components import sentence_pipeline
from nlp.lexicon import load_lexicon
from nlp.relations import find_relations
from nlp.settings import LEXICON_DIR, NlpSettings


@lru_cache(maxsize=1)
def _tools():
    pipeline = sentence_pipeline()
    pipeline.add_pipe("frwatch_lexicon", config={"lexicon_dir": str(LEXICON_DIR)})
    parser = spacy.load(NlpSettings().spacy_model, exclude=["ner", "lemmatizer"])
    return pipeline, load_lexicon(LEXICON_DIR), parser


def relations(text: str):
    pipeline, lexicon, parser = _tools()
    return find_relations(pipeline(text), lexicon, parser)


def keys(text: str) -> set[tuple[str, str | None, str | None]]:
    return {(r.action, r.vendor, r.product) for r in relations(text)}


def actions(text: str) -> set[str]:
    return {r.action for r in relations(text)}
