"""How a relation's action word is read from the dependency parse (:mod:`nlp.relations` uses these): which
action a word states, switches, the ban or halt that governs it, paths in the tree, and whose action it is (another
vendor's, an agency's named as a pronoun or a force, someone else's in the passive). Whether the action took
place at all (a demand, a denial, a negation) is :mod:`nlp.relation_facts`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Span, Token

from nlp.relation_words import (
    ACTIONS,
    AGENCY_WORDS,
    CONTINUING,
    CUSTOMERS,
    DEALS,
    DESCRIPTIONS,
    FACE_WORDS,
    GOING,
    GOVERNMENT,
    MAKING,
    MOVING,
    ORDER_KINDS,
    ORDERING,
    PAID_FOR,
    PAYING,
    REFUSAL,
    RESULTING,
    RESULTS,
    RUNNING,
    SELLING,
    SHOWING,
    SIGNING,
    SPEECH,
    SPENDING,
    STARTING_VERBS,
    STOPPING,
    STOPPING_PARTICLES,
    STOPPING_VERBS,
    SWITCHED_TO,
    SWITCHING,
    TRYING,
    WINNING,
    WON,
)

# Edges that join one clause to another: a ban or halt above one of them governs a different event.
CLAUSE_JOINS = ("relcl", "advcl", "conj", "parataxis")
# Where a clause ends for negation and denial: also a clause that complements or modifies a word.
CLAUSE_EDGES = (*CLAUSE_JOINS, "acl", "ccomp")


def action_of(token: Token) -> str | None:
    """The action a word states, read with its particle ("ruled out") and its complement ("declined to
    comment" is none)."""
    children = list(token.children)
    if CONTINUING.match(token.text) and any(c.dep_ == "neg" for c in children):
        return "halts"  # "did not extend the trial", "elected not to renew its subscription"
    if token.lower_.startswith("extend") and any(c.dep_ == "dobj" and DEALS.fullmatch(c.text) for c in children):
        return "sells"  # "extended the contract by three years"
    if token.pos_ == "NOUN" and token.text.lower() in ("hold", "holds"):  # "puts a hold on police use"
        return "halts"
    if STOPPING_VERBS.match(token.text) and (_headline_particle(token) or any(
            (c.dep_ in ("prt", "advmod", "oprd") and STOPPING_PARTICLES.fullmatch(c.text)) or (
                c.dep_ == "prep" and c.lower_ == "off" and c.i == token.i + 1) for c in children)):
        return "halts"  # "switched off the Dahua cameras", its "off" parsed as a preposition; "Sheriff Shuts Down"
    if token.lower_.startswith("pull") and any(c.dep_ == "dobj" and c.lower_ == "plug" for c in children):
        return "halts"  # "pulled the plug on its Clearview pilot"
    if token.lower_.startswith("end") and any(c.dep_ == "prt" and c.lower_ == "up" for c in children):
        return None  # "the footage could end up with police"
    if STARTING_VERBS.match(token.text) and any(c.lower_ == "on" and (c.dep_ in ("prt", "advmod") or (
            c.dep_ == "prep" and c.i == token.i + 1)) for c in children):
        return "uses"  # "switched on the platform's face-matching add-on"
    if token.lower_ in WINNING:  # "won a $2.3 million contract"; "won an award for" is no sale
        return "sells" if any(c.dep_ == "dobj" and WON.match(c.text) for c in children) else None
    if token.lower_ in SPENDING:  # "spent $86,000 on a DataWorks Plus module"; "spent a year testing" is not
        return "sells" if any(c.dep_ == "prep" and c.lower_ == "on" for c in children) else None
    if token.lower_ in ("award", "awards") and token.head.lower_ in WINNING:
        return None  # "won an award for its work with the police" is an honour
    if token.pos_ == "NOUN" and token.head.lower_.startswith("offer") and token.dep_ in ("dobj", "dative"):
        return None  # an offered trial has not taken place: "offered the police a free 30-day trial"
    if token.lower_.startswith("offer") and any(
            c.dep_ in ("dobj", "dative") and c.pos_ == "NOUN" and _pilot_word(c) for c in children):
        return None  # nor is the offer of a trial a sale
    if token.lower_ in SIGNING:  # "signed with Oosto", "signed on for 40 cameras"; "signed a contract": the noun
        with_whom = any(c.lower_ in ("with", "on") for c in children) and not any(c.dep_ == "dobj" for c in children)
        return "sells" if with_whom else None
    if token.lower_ in ORDERING:  # "ordered six camera vans from NEC"; "a court ordered" is no purchase
        procurement = token.pos_ == "NOUN" and any(c.dep_ == "compound" and c.lower_ in ORDER_KINDS for c in children)
        return "sells" if procurement or any(c.lower_ == "from" for c in children) else None
    if token.lower_ in RESULTING:  # "the system has produced 52 leads"
        return "uses" if any(c.dep_ == "dobj" and RESULTS.match(c.text) for c in children) else None
    if token.lower_ in TRYING:  # "tried Clearview AI" is a pilot; "tried to buy" an attempt
        return "pilots" if any(c.dep_ == "dobj" for c in children) else None
    if token.lower_ in STOPPING and any(c.lower_ == "by" for c in children):
        return None  # "stopped by the booth" is a visit
    if is_switch(token):
        return "halts"  # what was switched away from; :func:`switched_to` reads what it became
    if token.lower_ == "proof" and any(c.lower_ == "of" and any(g.lower_ == "concept" for g in c.children)
                                       for c in children):
        return "pilots"  # "a 90-day proof of concept of Fusus"
    if token.lower_ in GOING and any(c.lower_ == "live" for c in children):
        return "uses"  # "the department went live with Fusus"
    name = _word_action(token)
    if name in ("sells", "uses") and any(c.dep_ == "dobj" and c.lower_ in ("nothing", "none") for c in children):
        return None  # "cut the test short and bought nothing"
    if token.lower_ in MAKING and any(c.dep_ in ("acomp", "oprd", "ccomp", "xcomp", "amod") and c.lower_ == "available"
                                      for c in (*children, *(g for c in children for g in c.children))):
        # "Amazon has not made Rekognition available to police departments since June 2020"; what a state or a
        # council makes available is not the vendor's sale
        return None if any(c.dep_ == "nsubj" and GOVERNMENT.fullmatch(c.text) for c in children) else "sells"
    if token.lower_.startswith("turn") and any(c.dep_ == "prep" and c.lower_ == "to" for c in children):
        return "uses"  # "deputies turned to the Amazon tool routinely"
    if name == "uses" and token.lower_.startswith("credit") and token.pos_ != "VERB":
        return None  # "give the department credit for": praise; "credited the system with 40 arrests" is a use
    if name == "uses" and any(c.dep_ == "dobj" and SHOWING.fullmatch(c.text) for c in children):
        return None  # a vendor's show for officers: "ran a live demo of thermal face capture for officers"
    if name == "uses" and token.lower_ in RUNNING and not any(c.dep_ == "dobj" for c in children) and any(
            c.dep_ == "nsubj" and DEALS.fullmatch(c.text) for c in children):
        return None  # a deal that lasted: "the contract ran from 2019 to 2021" (a sale, not a use)
    if name == "uses" and (token.dep_ in ("amod", "compound") or any(
            c.dep_ in ("compound", "amod", "npadvmod", "nsubj") and c.lower_ in FACE_WORDS for c in children)):
        return None  # a kind of thing, not a use: "face-matching software", "a search tool", "Face Matching"
    if token.lower_ in ("sale", "sales", "selling") and token.dep_ in ("compound", "amod"):
        return None  # selling in general, not a sale: "a sales presentation", "sales representatives", "selling point"
    offered = [token.head] if token.dep_ == "relcl" else [c for c in children if c.dep_ == "dobj"]
    if token.lower_.startswith("offer") and any(
            SHOWING.fullmatch(o.text) or any(c.lower_ == "selling" for c in o.children) for o in offered):
        return None  # a pitch offered: "a selling point it offers up to police departments", "offered a demo"
    if name == "uses" and token.pos_ == "NOUN" and token.dep_ == "dobj" and (
            SELLING.match(token.head.text) or _pilot_word(token.head)):
        return None  # a thing sold or tried, not a use: "offers face search", "piloting Oosto's watchlist alerts"
    paid_for_a_service = any(c.lower_ == "for" and any(PAID_FOR.fullmatch(g.text) for g in c.children)
                             for c in children)
    if name == "sells" and token.lower_ in PAYING and not paid_for_a_service and not any(
            c.dep_ in ("dobj", "dative") for c in children):
        return None  # paying someone is buying from them, and so is paying for a service; "paid for the cadets'
        #              bicycles" is not
    refused_to_speak = REFUSAL.match(token.text) and any(
        c.dep_ in ("xcomp", "dobj", "ccomp") and SPEECH.match(c.text) for c in children)
    return None if refused_to_speak else name


def _headline_particle(token: Token) -> bool:
    """Whether a capitalised verb is followed by a capitalised particle that stops ("Sheriff Shuts Down Oosto
    Pilot", "Microsoft Walls Off Azure Face"): a title-case headline's parse hangs the particle anywhere."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (token.text[:1].isupper() and following is not None and following.text[:1].isupper()
            and STOPPING_PARTICLES.fullmatch(following.text) is not None and following.lower_ != "back")


def _word_action(token: Token) -> str | None:
    """The action the word alone names, by :data:`ACTIONS` (most specific first), before any reading of its
    context."""
    return next((name for name, pattern in ACTIONS if pattern.match(token.text)), None)


def _pilot_word(token: Token) -> bool:
    return _word_action(token) == "pilots"


def is_switch(token: Token) -> bool:
    """Whether the word tells a switch ("swapped", "replaced", "moved from"; not "switched on", "switched off")."""
    if any(c.lower_ in ("on", "off") and c.i == token.i + 1 for c in token.children):
        return False
    return token.pos_ == "VERB" and (SWITCHING.match(token.text) is not None or (
        token.lower_ in MOVING and any(c.lower_ == "from" for c in token.children)))


def switched_from(action: Token, own: set[int]) -> bool:
    """Whether the vendor (token indices ``own``) is what the switch ``action`` left: its object, what it moved
    from, or its subject in the passive ("replaced Dahua cameras", "Dahua cameras were replaced"); not the
    vendor that announced it ("DataWorks Plus said the sheriff selected its platform to replace a legacy
    system")."""
    left = [c for c in action.children if c.dep_ in ("dobj", "nsubjpass")]
    left += [g for c in action.children if c.dep_ == "prep" and c.lower_ == "from" for g in c.children]
    return any(t.i in own for c in left for t in c.subtree)


def switched_to(action: Token, own: set[int]) -> bool:
    """Whether ``action`` is a switch and the vendor (token indices ``own``) is what it switched to ("swapped
    ShotSpotter for Flock", "replaced its cameras with Axon's", "switched from Cognitec to Idemia")."""
    if not is_switch(action):
        return False
    # the preposition may hang from the verb or from what was switched away from ("swapped ShotSpotter for
    # Flock", "migrating the department from a server to NeoFace")
    doc = action.doc
    for i in own:
        for up in doc[i].ancestors:
            if up.i == action.i:
                break
            if up.dep_ == "prep" and up.lower_ in SWITCHED_TO:
                return True
    return False


def tree_path(a: Token, b: Token) -> list[Token]:
    """The tokens on the tree path from ``a`` to ``b``, both included."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    in_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in in_b:
            return up_a[: k + 1] + list(reversed(up_b[: in_b[t.i]]))
    return up_a + list(reversed(up_b))  # not one tree: a line break or a fragment; a long path


def nearest_to(tokens: Iterable[Token], target: Token) -> tuple[int, Token]:
    return min(((len(tree_path(t, target)), t) for t in tokens), key=lambda pair: (pair[0], pair[1].i))


def clause_of(action: Token) -> list[Token]:
    """``action`` and the words above it up to the edge of its clause ("will not | stop letting police | use")."""
    chain = [action]
    while chain[-1].dep_ not in (*CLAUSE_EDGES, "ROOT") and chain[-1].head is not chain[-1]:
        chain.append(chain[-1].head)
    return chain


def coordinated_above(action: Token) -> set[int]:
    """The words above ``action`` that it reaches only through a conjunction or a relative clause ("dropped
    Clearview | but still uses Rekognition": "dropped" and what is above it; "replaced a Cognitec matcher | the
    office had used since 2015"), as token indices."""
    token = action
    while token.dep_ not in ("conj", "relcl") and token.head.i != token.i:
        token = token.head
    if token.dep_ not in ("conj", "relcl"):
        return set()
    return {t.i for t in token.ancestors}


def done_by_other(action: Token, named: set[int]) -> bool:
    """Whether ``action`` is a passive whose doer is named and is neither an agency nor a vendor (token
    indices ``named``): "was installed by a supermarket chain"; not "was installed by the state police", nor
    "software supplied by DataWorks Plus"; or whose subject is a customer that is not the police ("the school
    district licensed SAFR")."""
    doers = [g for c in action.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if doers and not any(t.i in named or AGENCY_WORDS.fullmatch(t.text) for d in doers for t in d.subtree):
        return True
    # "The Harmon Unified School District licensed RealNetworks' SAFR ...": a customer that is not the police
    subjects = [c for c in action.children if c.dep_ == "nsubj"]
    return any(CUSTOMERS.fullmatch(s.text) and not any(t.i in named for t in s.subtree) for s in subjects)


def passive_elsewhere(action: Token, agency: Span) -> bool:
    """Whether ``action`` is a passive with no one named as its doer ("Rekognition was used to find lost
    children") and the agency is in another clause, neither inside the action's own words nor the subject of
    a verb above it ("police said the software was used" keeps the police; "recommends police use a
    threshold, and noted that Rekognition was used" does not)."""
    if not any(c.dep_ in ("nsubjpass", "auxpass") for c in action.children) or any(
            c.dep_ == "agent" for c in action.children):
        return False
    inside = {t.i for t in action.subtree}
    if agency.root.i in inside:
        return False
    subjects = {w.i for up in action.ancestors for c in up.children if c.dep_ in ("nsubj", "nsubjpass")
                for w in c.subtree}
    return agency.root.i not in subjects


def is_title_case(text: str) -> bool:
    """Whether a sentence is a title-case headline: most of its words of four letters or more capitalised."""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) >= 4]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def governing_word(action: Token) -> Token:
    """The ban or halt that governs ``action`` ("banned police use", "a ban on police using it", "ended its
    pilot", "walked away from the pilot"), else ``action``."""
    child = action
    for t in action.ancestors:
        if child.dep_ in (*CLAUSE_JOINS, "ccomp"):
            # "extended the ban on police using Rekognition": the parse hangs a subjectless "using" from the
            # verb as a clause of its own, when it belongs to the ban's "on police"
            if child is not action or any(c.dep_ in ("nsubj", "nsubjpass") for c in action.children):
                return action
            return next((c for c in t.children if c.dep_ == "dobj" and action_of(c) in ("bans", "halts")
                         and any(p.dep_ == "prep" and p.text.lower() == "on" for p in c.children)), action)
        # "placing a moratorium on police use": the parse hangs "on police use" from the verb
        for candidate in (t, *(c for c in t.children if c.dep_ == "dobj")):
            if action_of(candidate) in ("bans", "halts"):
                return candidate
        child = t
    return action


def by_other_actor(action: Token, own: set[int], others: set[int]) -> bool:
    """Whether the action's clause has another vendor or product named as its subject ("Amazon sold
    Rekognition to the police, and Microsoft used ...": the use is Microsoft's, not Amazon's). A pronoun
    or a common noun ("it", "the department") is taken as no other actor."""
    for t in clause_of(action):
        subjects = [c for s in t.children if s.dep_ in ("nsubj", "nsubjpass") for c in s.subtree]
        if subjects:
            return any(c.i in others for c in subjects) and not any(c.i in own for c in subjects)
    return False


def on_other(action: Token, own: set[int], others: set[int]) -> bool:
    """Whether what the action acts on names another vendor or product and not this one ("renewed its
    Cellebrite licences but stopped using Voyager Labs": the stop is Voyager Labs', not Cellebrite's). Its
    subject and the clauses joined to it are not what it acts on."""
    def joined(c: Token) -> bool:  # another clause; a list of nouns ("Rekognition, Clearview or ...") is not
        return c.dep_ in CLAUSE_JOINS and c.pos_ in ("VERB", "AUX")

    inside: set[int] = set()
    stack = [c for c in action.children if c.dep_ not in ("nsubj", "nsubjpass") and not joined(c)]
    while stack:
        t = stack.pop()
        inside.add(t.i)
        stack.extend(c for c in t.children if not joined(c))
    return bool(inside & others) and not inside & own


def by_unnamed_user(action: Token, own: set[int], ours: set[int], agency_tokens: set[int]) -> bool:
    """Whether the vendor or product is what the action acts on (its object, or the object of its
    preposition: "using NeoFace", "a contract with NEC") and the action's subject stands for an agency: an
    agency, a word for a force, or a pronoun whose nearest named subject above is one ("the force says it
    will keep using NeoFace"; not "Amazon says it will keep selling Rekognition"). Such an action, in another
    clause than the one joining vendor and agency, is the sentence's agency's."""
    objects = [c for c in action.children if c.dep_ == "dobj"]
    objects += [g for c in action.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    # "Rekognition was tested by the sheriff's office before deputies began using it": with one vendor or
    # product named before it, "it" or "them" stands for it, and so does "the system", "the software"
    named = own | {o.i for o in objects if own == ours and min(own) < o.i and (
        o.lower_ in ("it", "them") or (DESCRIPTIONS.fullmatch(o.text) and any(
            c.dep_ in ("det", "poss") and c.lower_ in ("the", "its", "that", "this", "their") for c in o.children)))}
    if not any(t.i in named for o in objects for t in o.subtree):
        return False
    for t in [action, *action.ancestors]:
        for subject in (c for c in t.children if c.dep_ == "nsubj"):
            words = {w.i for w in subject.subtree}
            if words & ours:
                return False
            if words & agency_tokens or (subject.pos_ == "NOUN" and AGENCY_WORDS.fullmatch(subject.text)):
                return True
            if subject.pos_ != "PRON":
                return False
    return False
