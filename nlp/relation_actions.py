"""Which action words join a vendor or product with an agency in a parsed sentence (:mod:`nlp.relations`): the
words as close in the parse as the closest one, those a relative clause, a trial or a later conjunct adds, and
the actions they state once read through the ban or halt that governs them.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

from nlp.relation_reading import action_of, by_unnamed_user, clause_of, governing_word, nearest_to, tree_path
from nlp.relation_words import DEALS, PRECEDENCE

# Words further apart in the parse than this (vendor to action to agency) are not read as related; action
# words up to COST_SLACK further than the closest one are read too. Chosen on the written gold set.
MAX_PATH = 9
COST_SLACK = 2
# Edges inside a noun phrase: "Palantir's case-tracking software", "sensors from NEC".
NOUN_PHRASE_EDGES = ("poss", "compound", "pobj", "prep", "nmod", "appos", "amod")


def _noun_phrase(token: Token) -> list[Token]:
    """``token`` and the nouns it belongs to ("Palantir" → "Palantir's software"; "NEC" → "sensors from NEC")."""
    chain = [token]
    while chain[-1].dep_ in NOUN_PHRASE_EDGES and chain[-1].head is not chain[-1]:
        chain.append(chain[-1].head)
    return [t for t in chain if t.pos_ in ("NOUN", "PROPN")]


def _cost(subject: Token, action: Token, agencies: Sequence[tuple[str, Span]]) -> int:
    """How far apart the vendor, the action word and the nearest agency sit in the parse."""
    return len(tree_path(subject, action)) + min(nearest_to(span, action)[0] for _, span in agencies)


def is_deal(token: Token) -> bool:
    """Whether the word names a pilot or a deal that can end ("its Palantir pilot", "the Flock contract")."""
    action = action_of(token)
    return token.pos_ in ("NOUN", "PROPN") and (
        action == "pilots" or (action == "sells" and DEALS.fullmatch(token.text) is not None))


def read_actions(near: set[Token], headline: bool) -> tuple[list[Token], set[Token]]:
    """The actions the action words ``near`` vendor and agency state (each read through the ban or halt that
    governs it), most specific first; and among them the pilots a halt ended or an action followed, which
    took place too."""
    governor = {t: governing_word(t) for t in near}
    governing = set(governor.values())
    # "ran a six-month pilot", "a trial was run by the department": the noun says what the verb did; so does
    # the noun a clause describes ("a free trial the department ran last fall")
    governing -= {t for t in governing if action_of(t) == "uses" and any(
        c.dep_ in ("dobj", "nsubjpass") and c in governing and action_of(c) != "uses" for c in t.children)}
    pilots = {t.head for t in governing
              if action_of(t) == "uses" and t.dep_ == "relcl" and action_of(t.head) == "pilots"}
    governing = (governing - {t for t in governing if t.dep_ == "relcl" and t.head in pilots}) | pilots
    # "ended its Palantir pilot", "a pilot ... was quietly ended", "let its BriefCam licence expire": the pilot
    # or the deal took place, then stopped
    ended = {t for t, g in governor.items() if is_deal(t) and g is not t and action_of(g) == "halts"}
    if headline:
        # a title-case headline parses badly: a ban or halt governs what follows it ("Council Bans Police From
        # Using Clearview", "Sheriff's Office Drops Palantir Contract", "Police End Rekognition Pilot")
        stop = min((t.i for t in governing if action_of(t) in ("bans", "halts")), default=None)
        after = {t for t in governing if stop is not None and t.i > stop and action_of(t) not in ("bans", "halts")}
        governing -= after
        ended |= {t for t in after if is_deal(t)}
    # "will not renew its SAFR license", "cancelled the Flock contract": the deal a halt acts on was made
    ended |= {c for t in governing if action_of(t) == "halts" for c in t.children
              if c.dep_ in ("dobj", "nsubjpass", "nsubj") and is_deal(c)}
    # "After a pilot last fall, the department bought twelve cameras": the pilot came first
    ended |= {p for t in governing for c in t.children if c.dep_ == "prep" and c.lower_ in ("after", "following")
              for p in c.children if p.dep_ == "pobj" and action_of(p) == "pilots"}
    return sorted(governing | ended, key=lambda t: (PRECEDENCE[action_of(t) or "uses"], t.i)), ended


def action_words(subject: Token, own: set[int], ours: set[int], actions: list[Token],
                  agency_spans: Sequence[tuple[str, Span]]) -> set[Token]:
    """The action words that may join the vendor (its head word ``subject``, its tokens ``own``; all vendors'
    tokens ``ours``) with an agency: every one about as close in the parse as the closest ("tested ... then
    let the trial lapse" is a pilot and a halt), and the ones the path misses."""
    agency_tokens = {t.i for _, span in agency_spans for t in span}
    costs = {t.i: _cost(subject, t, agency_spans) for t in actions}
    limit = min(min(costs.values()) + COST_SLACK, MAX_PATH)
    near = {t for t in actions if costs[t.i] <= limit}
    # A relative clause on the vendor's noun phrase (up to the noun it names) or on the agency states one more
    # action of the two: "Palantir's software, which the agency has licensed since 2014"; "the RCMP, which had
    # used the tool".
    described = {t.i for t in _noun_phrase(subject)} | agency_tokens
    near |= {t for t in actions if t.dep_ == "relcl" and t.head.i in described}
    near |= {t for t in actions if by_unnamed_user(t, own, ours, agency_tokens)}
    # "searched Clearview AI on a free trial account", "ran trial searches on Clearview": a trial too
    used_on = [o for t in near if action_of(t) == "uses" for p in t.children if p.dep_ == "prep"
               for o in p.children if o.dep_ == "pobj"]
    used_on += [o for t in near if action_of(t) == "uses" for o in t.children if o.dep_ == "dobj"]
    near |= {c for o in used_on for c in o.children if c.dep_ in ("compound", "amod") and action_of(c) == "pilots"}
    # "ran searches on the Clearview app during a free trial", "as part of a six-month trial": the use was a trial
    used_on += [g for o in used_on if o.lower_ == "part" for p in o.children if p.lower_ == "of"
                for g in p.children if g.dep_ == "pobj"]
    near |= {o for o in used_on if action_of(o) == "pilots" and o.head.lower_ in ("during", "under", "of") and (
        o.head.lower_ != "of" or o.head.head.lower_ == "part")}
    # "tested Voyager Labs' software in 2019 and let the trial lapse", "finished a pilot of Trueface and signed a
    # two-year licence": a halt or a deal in a later conjunct that acts on a deal, a pilot or "it", and names no
    # other vendor, is this one's
    near |= {h for t in list(near) for u in clause_of(t) for c in u.children if c.dep_ == "conj" and not any(
                 w.i in ours - own for w in c.subtree)
             for h in c.subtree if h in actions and (action_of(h) == "halts" or is_deal(h)) and any(
                 is_deal(w) or w.lower_ in ("it", "them") for w in h.subtree)}
    # "began a 90-day evaluation in September before signing a multi-year agreement": a deal or halt the
    # clause says came before or after, with no other vendor named in it or on the way to it, is this one's too
    others = ours - own
    near |= {h for t in list(near) for u in clause_of(t) for c in u.children
             if c.dep_ == "prep" and c.lower_ in ("before", "after") and not any(w.i in others for w in c.subtree)
             and not any(min(t.i, c.i) < i < max(t.i, c.i) for i in others)
             for h in c.subtree if h in actions and (action_of(h) == "halts" or is_deal(h))}
    return near


