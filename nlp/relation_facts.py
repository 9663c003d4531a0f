"""Whether the action a relation's words tell took place, read from the dependency parse (:mod:`nlp.relations`
uses these): a demand, plan, worry, condition or forecast above it, a denial, a negation that makes it a
refusal or a denial, use no longer allowed, and who stands behind a ban (the vendor's or the agency's own,
or a government's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from spacy.tokens import Token

from nlp.relation_reading import CLAUSE_EDGES, action_of, clause_of
from nlp.relation_words import (
    AGENCY_WORDS,
    ALLEGING,
    COMPELLING,
    CONTINUING,
    DENIAL,
    GOVERNMENT,
    NEGATION,
    PAST_AUXILIARIES,
    PERMITTING,
    REPORTING,
    SPEECH,
    UNREAL,
    UNREALISED,
    VENDOR_WORDS,
)

# Auxiliaries of what may come: "would be able to run it".
MODALS = {"would", "will", "could", "might", "may", "can"}
# A use that goes on is no plan: "will keep using", "will continue to run".
GOING_ON = re.compile(r"(keep|kept|continu|remain|stay)\w*$", re.IGNORECASE)
# What "next" dates ahead ("starting next month").
TIME_NOUNS = {"week", "month", "year", "spring", "summer", "fall", "autumn", "winter", "quarter", "season"}
# Words that open a clause telling when something happened ("when the council banned ...").
TIME_MARKS = {"when", "while", "after", "before", "since", "once", "as", "whilst"}
# The words on a verb that say whether its negation is a refusal or a denial ("no longer", "has not"); not its
# clauses ("would not sell ... until a law was in place").
NEGATING_EDGES = ("neg", "aux", "auxpass", "advmod", "det")


def is_unreal(action: Token, headline: bool) -> bool:
    """Whether a demand, plan, question, worry, forecast or condition governs the action (anywhere above it;
    "would sell to the FBI if asked", even when reported).

    :param headline: the sentence is a title-case headline (:func:`is_title_case`)
    """
    if _to_come(action):
        return True
    above = [action, *action.ancestors]
    for t in above:
        if t is not action and SPEECH.match(t.text) and any(m.dep_ == "neg" for m in t.children):
            return True  # "he would not say which vendors the department pays"
        if t.lower_ in ("like", "love") and any(m.lower_ in ("would", "'d") for m in t.children):
            return True  # "the sheriff would like to add Oosto's alerts"
        if t.lower_ in ("able", "capable") and any(
                m.dep_ == "aux" and m.lower_ in MODALS for m in (*t.children, *t.head.children)):
            return True  # "departments would be able to run it" ("have been able to query it" happened)
        conditional = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                                    for m in c.children) for c in t.children)
        for c in t.children:
            if c.dep_ in ("aux", "mark") and UNREAL.match(c.text) and not permission_withdrawn(t):
                return True
            if c.lower_ == "according" and any(g.dep_ == "pobj" and g.head.head.i == c.i and ALLEGING.match(g.text)
                                               for g in c.subtree):
                return True  # "according to the complaint, officers ran ...": alleged
            if c.dep_ == "aux" and c.lower_ in ("would", "'d") and (
                    conditional or not any(REPORTING.match(u.text) for u in above)):
                return True
    if headline:
        # a title-case headline parses badly: a demand or forecast before the action governs it
        # ("Shareholders Reject Proposals To Curb Rekognition Sales", "Analysts Bet More Departments Will Buy")
        # ... and so does a denial ("Hikvision Disputes Report Linking It to Police Contracts")
        return any(UNREAL.match(t.text) or DENIAL.match(t.text) for t in action.doc[: action.i])
    # "My fear is that the sheriff will buy it": a worry as the subject above
    return any(UNREAL.match(t.text) or any(c.dep_ == "nsubj" and UNREALISED.fullmatch(c.text) for c in t.children)
               for t in _up_to_a_time_clause(action))


def _to_come(action: Token) -> bool:
    """Whether a pilot or use is still to come: told in the future ("the office will give its investigators
    access", "will begin a 90-day evaluation") or dated ahead ("would be switched on starting next month"); not
    one that goes on ("will keep using NeoFace"), nor one under a stop or a negation ("will stop using", "will no
    longer use" are decisions, read as halts). A sale told in the future is an announced deal ("will supply
    cameras to the sheriff's office")."""
    clause = clause_of(action)
    if action_of(action) not in ("pilots", "uses") or any(
            action_of(t) in ("halts", "bans") or GOING_ON.match(t.text) or _negators(t) for t in clause):
        return False
    verb = clause[-1]
    future = any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall") for c in verb.children)
    ahead = any(c.dep_ in ("npadvmod", "prep", "advcl", "advmod") and any(
        w.lower_ == "next" and w.head.lower_ in TIME_NOUNS for w in c.subtree) for c in verb.children)
    return future or ahead


def _up_to_a_time_clause(action: Token) -> list[Token]:
    """The words above ``action`` up to a clause in the past that says when something else happened, or that
    describes a noun: what it tells took place, whatever is said above it ("Amazon pitched Rekognition to ICE
    while the Orlando police were already piloting it"; "When the council banned police use, critics
    predicted a crime wave"; "asks the board to report on its work for ICE, whose contract the Company
    renewed in 2022"; not "asks what the company checks before it licenses")."""
    words: list[Token] = []
    for child, t in pairwise([action, *action.ancestors]):
        past = child.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("was", "were", "had", "did")
                                          for c in child.children)
        marks = {c.lower_ for c in child.children if c.dep_ in ("mark", "advmod")}
        if (past and (child.dep_ == "relcl" or (child.dep_ == "advcl" and marks & TIME_MARKS))) or (
                child.dep_ == "advcl" and "because" in marks):
            break  # a reason is a fact too: "recommends a vote against because the Company already prohibits"
        words.append(t)
    return words


def permission_withdrawn(action: Token) -> bool:
    """Whether ``action`` is no longer allowed ("the department may no longer use Clearview AI", "federal
    agencies may not buy from Hikvision"): a stop, and a ban when a government is named."""
    children = list(action.children)
    return any(c.dep_ == "aux" and c.lower_ in PERMITTING for c in children) and any(
        c.lower_ == "longer" or c.dep_ == "neg" for c in children)


def is_denied(action: Token) -> bool:
    """A denial that something happened ("denied a report that ICE uses it", "insisted that none of it was
    used"), not a refusal ("denies police use")."""
    crossed = False
    for child, t in pairwise([action, *action.ancestors]):
        crossed = crossed or child.dep_ in CLAUSE_EDGES or any(c.dep_ == "mark" for c in child.children)
        if DENIAL.match(t.text):
            return crossed
    return False


def _since(verb: Token) -> bool:
    """Whether "since" dates the verb's clause ("has not sold it since June 2020", "has not made Rekognition
    available to police for face comparison since June 2020", the parser hanging it lower)."""
    for w in verb.subtree:
        if w.dep_ == "prep" and w.lower_ == "since":
            chain = [w, *w.ancestors]
            if not any(u.dep_ in CLAUSE_EDGES and u.dep_ != "ccomp" for u in chain[: chain.index(verb)]):
                return True
    return False


def _negators(word: Token) -> list[Token]:
    """The words that negate ``word``: "not", "never", "no longer", "no"."""
    return [c for c in word.children if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and NEGATION.fullmatch(c.text))]


def negation_on(tokens: Iterable[Token]) -> str | None:
    """A negation on the way: a refusal (``halts``: "will not sell", "no longer sells", "denies police use")
    or a denial that it ever happened (``none``: "has not sold", "never used", "has no contract with", an
    agency that "denied using" it)."""
    for t in tokens:
        negators = _negators(t)
        if not negators and not NEGATION.fullmatch(t.text):
            continue
        if CONTINUING.match(t.text) or _since(t):
            return "halts"  # "did not renew", "has not sold it since June 2020": a stop, not a denial
        words = {c.text.lower() for c in (*negators, *t.children) if c.dep_ in NEGATING_EDGES}
        if DENIAL.match(t.text) and any(AGENCY_WORDS.fullmatch(w.text) for c in t.children if c.dep_ == "nsubj"
                                        for w in c.subtree):
            return "none"  # an agency denying its own use says it never happened ("the sheriff's office denied using")
        if DENIAL.match(t.text) and any(c.tag_ == "VBG" for c in t.children):
            return "none"  # "Clearview denies selling to the sheriff": it says it never did; "denies police use" halts
        if "longer" in words:
            return "halts"
        if words & {"never", "no"} or (words | {t.lower_}) & PAST_AUXILIARIES:  # "were not part of the order"
            return "none"
        if t.lower_ in ("is", "are", "am"):
            return "none"  # a state, not a refusal: "is not party to any agreement with ICE"
        return "halts"
    return None


def ban_by_subject(ban: Token, own: set[int]) -> bool:
    """Whether the ban is the vendor's or the agency's own (its subject or possessor one of ``own``: a
    company barring police use of its product, a department barring its officers); a government's ban, or
    one whose author the sentence does not name after a vendor, is a ban."""
    headline_passive = ban.tag_ == "VBN" and not any(c.dep_ == "aux" for c in ban.children)  # "Police Barred From"
    if headline_passive or any(c.dep_ in ("nsubjpass", "auxpass") for c in ban.children):
        # "police were barred from using it (by the council)": who is named first is who was banned
        authors = [g for c in ban.subtree if c.dep_ in ("agent", "prep") and c.lower_ == "by"
                   for g in c.children if g.dep_ == "pobj"]
        return any(any(c.i in own for c in a.subtree) and not GOVERNMENT.search(a.text) for a in authors)
    holders = [c for c in ban.children if c.dep_ in ("nsubj", "poss")]
    if not holders and ban.dep_ == "xcomp":
        holders = [c for c in ban.head.children if c.dep_ == "nsubj"]  # "the tech giant has decided to ban"
    if all(h.pos_ == "PRON" for h in holders) and ban.pos_ in ("NOUN", "PROPN"):
        # "Amazon extends its ban": the verb's subject
        holders = [c for c in ban.head.children if c.dep_ == "nsubj"] or holders
    if named := [h for h in holders if h.pos_ != "PRON"]:
        # "the Company prohibits police departments from using Face API": a vendor named by what it is;
        # "PimEyes says its terms forbid use by law enforcement": its own terms
        return any((any(c.i in own for c in h.subtree) or h.lower_ in VENDOR_WORDS or any(
            c.dep_ == "poss" and c.pos_ == "PRON" and named_before(c, own) for c in h.children))
            and not GOVERNMENT.search(h.text) for h in named)
    # A pronoun ("Amazon said it would keep its ban") stands for what the sentence named before it.
    return named_before(holders[0] if holders else ban, own)


def ordered_by_government(action: Token) -> bool:
    """Whether a government, a court or a regulator ordered the stop that ``action`` tells ("a judge ordered
    the department to stop using Clearview"): a ban, not the agency's own halt."""
    for verb in action.ancestors:
        if verb.pos_ == "VERB" and COMPELLING.match(verb.lemma_ or verb.text):
            subjects = [c for c in verb.children if c.dep_ == "nsubj"]
            subjects += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            return any(GOVERNMENT.search(" ".join(t.text for t in s.subtree)) for s in subjects)
    return False


def named_before(word: Token, own: set[int]) -> bool:
    """Whether the vendor or the agency is named before ``word`` with no government in between."""
    return any(i < word.i for i in own) and not GOVERNMENT.search(word.doc.text[: word.idx])
