"""First relations: who (vendor or product) does what (sells, pilots, uses, halts, bans) with which agency.

Read from single sentences of documents tagged both face recognition and law enforcement: a sentence
naming a vendor or product and an agency, with an action word. The action words are ordered so the
stronger reading wins ("halted sales" is ``halts``, not ``sells``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from nlp.lexicon import Lexicon
from store import Relation

ACTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(expr, re.IGNORECASE))
    for name, expr in (
        ("bans", r"\b(bans?|banned|banning|prohibit\w*|outlaw\w*|barred|bars)\b"),
        ("halts", r"\b(halt\w*|paus\w*|moratorium|suspend\w*|stop(s|ped|ping)?|exit\w*|withdr[ae]w\w*|quit(s|ting)?|"
                  r"refus\w*|no longer|no (\w+ )?sales|end(s|ed|ing)? (its|the) (sale|use))\b"),
        ("sells", r"\b(sells?|sold|selling|sales?|buys?|bought|buying|purchas\w*|procur\w*|"
                  r"suppl(y|ies|ied)|licens\w*|market(s|ed|ing)|pitch(ed|es|ing)|"
                  r"contract\w*|offer(s|ed|ing)?|provid\w*)\b"),
        ("pilots", r"\b(pilot\w*|trial\w*|test(s|ed|ing)?)\b"),
        ("uses", r"\b(use[sd]?|using|deploy\w*|ran|runs?|running|rel(y|ies|ied)|adopt\w*|search(ed|es|ing)?|"
                 r"match(ed|es|ing)?)\b"),
    )
)


def action_of(sentence: str) -> str | None:
    """The first action (in :data:`ACTIONS` order) the sentence states."""
    return next((name for name, pattern in ACTIONS if pattern.search(sentence)), None)


def find_relations(doc: Doc, lexicon: Lexicon) -> list[Relation]:
    """Relations stated in the sentences of ``doc``."""
    found: list[Relation] = []
    for sent in doc.sents:
        ents = [e for e in doc.ents if e.start >= sent.start and e.end <= sent.end]
        vendor = next((e.kb_id_ or e.text for e in ents if e.label_ == "VENDOR"), None)
        product = next((e.kb_id_ or e.text for e in ents if e.label_ == "PRODUCT"), None)
        agency = next((e.kb_id_ or e.text for e in ents if e.label_ == "AGENCY"), None)
        text = sent.text.strip()
        if agency is None:
            cue = next((c.pattern.search(text) for c in lexicon.le_agencies if c.pattern.search(text)), None)
            agency = cue.group(0) if cue else None
        if agency is None or (vendor is None and product is None):
            continue
        action = action_of(text)
        if action is not None:
            found.append(Relation(vendor=vendor, product=product, agency=agency, action=action, sentence=text))
    return found
