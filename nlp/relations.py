"""First relations: who (vendor or product) does what (sells, pilots, uses, halts, bans) with which agency.

Read from single sentences of documents tagged both face recognition and law enforcement: a sentence
naming a vendor or product and an agency, parsed by the statistical spaCy model. For each vendor or product
named (``IBM, Microsoft and Amazon`` are three), the action words that best connect it with an agency in
the parse tree are its actions ("tested ... then let the trial lapse" is a pilot and a halt), and the words
around them change them:

- a ban or halt above the action takes it over ("banned police use", "a moratorium on police use");
- a refusal or a negation on the way makes it ``halts`` ("said it will stop letting police use", "will not
  sell", "no longer sells", "walked away from the pilot"); a negated past is a denial, no relation ("has
  not sold", "never used", "has no contract with");
- a company or a department that "bans" or "bars" police use of its own product or by its own officers
  ``halts``; ``bans`` is a government's (a council, a legislature, a court) or a ban whose author the
  sentence does not name;
- a demand, proposal, plan, question, attempt, worry or forecast above the action means nothing happened
  yet: no relation ("activists urged Amazon to stop selling", "the board is asked to prohibit sales",
  "would be concerned if police used", "analysts bet more departments will buy"); so does a denied clause
  ("Amazon denied a report that ICE uses Rekognition"), while a denied use ("again denies police use")
  ``halts``; a refusal to speak ("declined to comment") is no action.

Three written gold sets measure these rules (:func:`score_relations`; figures in ``nlp/README.md``):
``tests/fixtures/relations_written.jsonl`` (the rules and the two path limits were chosen on it),
``tests/fixtures/relations_heldout.jsonl`` (another writer's, first read after they were) and
``tests/fixtures/relations_heldout2.jsonl`` (a third writer's, weighted towards actions in a second
clause and agencies other than city police; its errors not read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from nlp.components import doc_text
from nlp.lexicon import Lexicon
from nlp.relation_words import (
    ACTIONS,
    AGENCY_WORDS,
    DENIAL,
    EXCLUDING,
    GOVERNMENT,
    NEGATION,
    PAST_AUXILIARIES,
    PRECEDENCE,
    REFUSAL,
    REPORTING,
    SPEECH,
    STOPPING_PARTICLES,
    STOPPING_VERBS,
    UNREAL,
)
from store import Relation

# The rules' version, part of the model version written with tags: raise it when the rules change, and
# `frwatch tag` reads every document again. 1: the first vendor and action word of a sentence (session 7);
# 2: the parse-tree rules (session 8); 3: an action in another clause whose subject stands for the agency,
# "face-matching software" no use, agencies known by their kind, a ban that governs a use the parse hangs
# beside it (session 10).
RELATION_RULES = 3

# Words further apart in the parse than this (vendor to action to agency) are not read as related; action
# words up to COST_SLACK further than the closest one are read too. Chosen on the written gold set.
MAX_PATH = 9
COST_SLACK = 2
# A "sentence" longer than this is a table or a run-on list flattened into text, not a statement: it is not
# read for relations (the path search grows with the square of the action words: 800 words took a minute).
MAX_SENTENCE_TOKENS = 100
# Edges between coordinated agencies: "to the FBI and to CBP".
COORDINATION_EDGES = ("conj", "cc", "prep", "pobj", "appos", "dative")
# Edges inside a noun phrase: "Palantir's case-tracking software", "sensors from NEC".
NOUN_PHRASE_EDGES = ("poss", "compound", "pobj", "prep", "nmod", "appos", "amod")
# Edges that join one clause to another: a ban or halt above one of them governs a different event.
CLAUSE_JOINS = ("relcl", "advcl", "conj", "parataxis")
# Where a clause ends for negation and denial: also a clause that complements or modifies a word.
CLAUSE_EDGES = (*CLAUSE_JOINS, "acl", "ccomp")


@dataclass(frozen=True)
class Mention:
    """A vendor or product named in the parsed sentence (a product brings its vendor when its id starts with
    the vendor's)."""

    vendor: str | None
    product: str | None
    tokens: tuple[int, ...]


def _action(token: Token) -> str | None:
    """The action a word states, read with its particle ("ruled out") and its complement ("declined to
    comment" is none)."""
    children = list(token.children)
    if token.pos_ == "NOUN" and token.text.lower() in ("hold", "holds"):  # "puts a hold on police use"
        return "halts"
    if STOPPING_VERBS.match(token.text) and any(
            c.dep_ in ("prt", "advmod") and STOPPING_PARTICLES.fullmatch(c.text) for c in children):
        return "halts"
    name = next((name for name, pattern in ACTIONS if pattern.match(token.text)), None)
    if name == "uses" and token.dep_ in ("amod", "compound"):
        return None  # a kind of thing, not a use: "face-matching software", "a search tool"
    refused_to_speak = REFUSAL.match(token.text) and any(
        c.dep_ in ("xcomp", "dobj", "ccomp") and SPEECH.match(c.text) for c in children)
    return None if refused_to_speak else name


def _path(a: Token, b: Token) -> list[Token]:
    """The tokens on the tree path from ``a`` to ``b``, both included."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    in_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in in_b:
            return up_a[: k + 1] + list(reversed(up_b[: in_b[t.i]]))
    return up_a + list(reversed(up_b))  # not one tree: a line break or a fragment; a long path


def _nearest(tokens: Iterable[Token], target: Token) -> tuple[int, Token]:
    return min(((len(_path(t, target)), t) for t in tokens), key=lambda pair: (pair[0], pair[1].i))


def _clause(action: Token) -> list[Token]:
    """``action`` and the words above it up to the edge of its clause ("will not | stop letting police | use")."""
    chain = [action]
    while chain[-1].dep_ not in (*CLAUSE_EDGES, "ROOT") and chain[-1].head is not chain[-1]:
        chain.append(chain[-1].head)
    return chain


def _unreal(action: Token) -> bool:
    """Whether a demand, plan, question, worry or forecast governs the action (anywhere above it)."""
    above = [action, *action.ancestors]
    for t in above:
        for c in t.children:
            if c.dep_ in ("aux", "mark") and UNREAL.match(c.text):
                return True
            if c.dep_ == "aux" and c.text.lower() in ("would", "'d") and not any(
                    REPORTING.match(u.text) for u in above):
                return True
    return any(UNREAL.match(t.text) for t in above[1:])


def _governing(action: Token) -> Token:
    """The ban or halt that governs ``action`` ("banned police use", "a ban on police using it", "ended its
    pilot", "walked away from the pilot"), else ``action``."""
    child = action
    for t in action.ancestors:
        if child.dep_ in CLAUSE_JOINS:
            # "extended the ban on police using Rekognition": the parse hangs a subjectless "using" from the
            # verb as a clause of its own, when it belongs to the ban's "on police"
            if child is not action or any(c.dep_ in ("nsubj", "nsubjpass") for c in action.children):
                return action
            return next((c for c in t.children if c.dep_ == "dobj" and _action(c) in ("bans", "halts")
                         and any(p.dep_ == "prep" and p.text.lower() == "on" for p in c.children)), action)
        # "placing a moratorium on police use": the parse hangs "on police use" from the verb
        for candidate in (t, *(c for c in t.children if c.dep_ == "dobj")):
            if _action(candidate) in ("bans", "halts"):
                return candidate
        child = t
    return action


def _other_actor(action: Token, own: set[int], others: set[int]) -> bool:
    """Whether the action's clause has another vendor or product named as its subject ("Amazon sold
    Rekognition to the police, and Microsoft used ...": the use is Microsoft's, not Amazon's). A pronoun
    or a common noun ("it", "the department") is taken as no other actor."""
    for t in _clause(action):
        subjects = [c for s in t.children if s.dep_ in ("nsubj", "nsubjpass") for c in s.subtree]
        if subjects:
            return any(c.i in others for c in subjects) and not any(c.i in own for c in subjects)
    return False


def _unnamed_user(action: Token, own: set[int], ours: set[int], agency_tokens: set[int]) -> bool:
    """Whether the vendor or product is what the action acts on (its object, or the object of its
    preposition: "using NeoFace", "a contract with NEC") and the action's subject stands for an agency: an
    agency, a word for a force, or a pronoun whose nearest named subject above is one ("the force says it
    will keep using NeoFace"; not "Amazon says it will keep selling Rekognition"). Such an action, in another
    clause than the one joining vendor and agency, is the sentence's agency's."""
    objects = [c for c in action.children if c.dep_ == "dobj"]
    objects += [g for c in action.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    if not any(t.i in own for o in objects for t in o.subtree):
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


def _denied(action: Token) -> bool:
    """A denial that something happened ("denied a report that ICE uses it", "insisted that none of it was
    used"), not a refusal ("denies police use")."""
    crossed = False
    for child, t in pairwise([action, *action.ancestors]):
        crossed = crossed or child.dep_ in CLAUSE_EDGES or any(c.dep_ == "mark" for c in child.children)
        if DENIAL.match(t.text):
            return crossed
    return False


def _negation(tokens: Iterable[Token]) -> str | None:
    """A negation on the way: a refusal (``halts``: "will not sell", "no longer sells", "denies police use")
    or a denial that it ever happened (``none``: "has not sold", "never used", "has no contract with")."""
    for t in tokens:
        negators = [c for c in t.children
                    if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and NEGATION.fullmatch(c.text))]
        if not negators and not NEGATION.fullmatch(t.text):
            continue
        words = {c.text.lower() for c in (*negators, *t.children)}
        if "longer" in words:
            return "halts"
        if words & {"never", "no"} or words & PAST_AUXILIARIES:
            return "none"
        return "halts"
    return None


def _ban_by_subject(ban: Token, own: set[int]) -> bool:
    """Whether the ban is the vendor's or the agency's own (its subject or possessor one of ``own``: a
    company barring police use of its product, a department barring its officers); a government's ban, or
    one whose author the sentence does not name after a vendor, is a ban."""
    holders = [c for c in ban.children if c.dep_ in ("nsubj", "poss") and c.pos_ != "PRON"]
    if not holders and ban.pos_ in ("NOUN", "PROPN"):  # "Amazon extends its ban": the verb's subject
        holders = [c for c in ban.head.children if c.dep_ == "nsubj"]
    if holders:
        return any(any(c.i in own for c in h.subtree) and not GOVERNMENT.search(h.text) for h in holders)
    before = ban.doc.text[: ban.idx]
    return any(i < ban.i for i in own) and not GOVERNMENT.search(before)


def _mentions(parsed: Doc, spans: Sequence[tuple[str, str, int, int]], vendor_ids: frozenset[str]) -> list[Mention]:
    """Vendors and products as token groups, a product joined with its vendor (named or not: "Amazon
    Rekognition" is Amazon's)."""
    vendors: list[tuple[str, tuple[int, ...]]] = []
    products: list[tuple[str, tuple[int, ...]]] = []
    for label, ident, start, end in spans:
        span = parsed.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        (vendors if label == "VENDOR" else products).append((ident, tuple(t.i for t in span)))
    found: list[Mention] = []
    used: set[int] = set()
    for product, tokens in products:
        owner = next((k for k, (v, _) in enumerate(vendors) if product.startswith(v + " ")), None)
        vendor = next((v for v in sorted(vendor_ids, key=len, reverse=True) if product.startswith(v + " ")), None)
        if owner is not None:
            used.add(owner)
            vendor, tokens = vendors[owner][0], tokens + vendors[owner][1]
        found.append(Mention(vendor, product, tokens))
    found += [Mention(v, None, tokens) for k, (v, tokens) in enumerate(vendors) if k not in used]
    return found


def _agency_name(span: Span, ident: str, mentions: Sequence[Mention]) -> str:
    """The agency as stored: the lexicon's id, or for a pattern match the head noun with its compounds (a
    title-case headline otherwise hands over "Microsoft And Amazon Not Letting Police")."""
    if ident and ident != span.text:
        return ident
    head = span[-1]
    ours = {i for m in mentions for i in m.tokens}
    words = [head]
    for t in reversed(span[:-1]):
        if t.i in ours or t.dep_ not in ("compound", "amod", "nmod", "poss", "case", "nummod"):
            break
        words.insert(0, t)
    return span.doc.text[words[0].idx: head.idx + len(head.text)]


def _noun_phrase(token: Token) -> list[Token]:
    """``token`` and the nouns it belongs to ("Palantir" → "Palantir's software"; "NEC" → "sensors from NEC")."""
    chain = [token]
    while chain[-1].dep_ in NOUN_PHRASE_EDGES and chain[-1].head is not chain[-1]:
        chain.append(chain[-1].head)
    return [t for t in chain if t.pos_ in ("NOUN", "PROPN")]


def _coordinated(a: Token, b: Token) -> bool:
    """Whether two words are joined only by coordination ("the FBI and (to) Customs and Border Protection",
    "the Indiana State Police and the Gainesville Police Department")."""
    path = _path(a, b)
    edges = [x.dep_ if x.head is y else y.dep_ for x, y in pairwise(path)]
    return "conj" in edges and all(e in COORDINATION_EDGES for e in edges)


def _cost(subject: Token, action: Token, agencies: Sequence[tuple[str, Span]]) -> int:
    """How far apart the vendor, the action word and the nearest agency sit in the parse."""
    return len(_path(subject, action)) + min(_nearest(span, action)[0] for _, span in agencies)


def relations_in(parsed: Doc, spans: Sequence[tuple[str, str, int, int]], agencies: Sequence[tuple[str, int, int]],
                 vendor_ids: frozenset[str]) -> list[Relation]:
    """The relations one parsed sentence states.

    :param spans: vendors and products as (label, id, start, end), character offsets into ``parsed``
    :param agencies: agencies as (id or text, start, end)
    """
    mentions = _mentions(parsed, spans, vendor_ids)
    sentence = parsed.text.strip()
    ours = {i for m in mentions for i in m.tokens}
    agency_spans = [(ident, s) for ident, a, b in agencies
                    if (s := parsed.char_span(a, b, alignment_mode="expand")) is not None]
    actions = [t for t in parsed if t.i not in ours and _action(t)]
    if parsed.text.rstrip().endswith("?") or not agency_spans or not actions:
        return []  # a question states nothing
    agency_tokens = {t.i for _, span in agency_spans for t in span}
    found: list[Relation] = []
    for mention in mentions:
        subject = min((parsed[i] for i in mention.tokens), key=lambda t: len(list(t.ancestors)))
        while subject.dep_ == "conj" and subject.head is not subject:  # "IBM, Microsoft and Amazon": as IBM
            subject = subject.head
        own = set(mention.tokens)
        costs = {t.i: _cost(subject, t, agency_spans) for t in actions}
        # The words a relative clause may describe: the vendor's noun phrase (up to the noun it names) and
        # the agencies.
        described = {t.i for t in _noun_phrase(subject)} | agency_tokens
        # Every action word that joins the two about as closely as the best one: "tested ... then let the
        # trial lapse" is a pilot and a halt.
        limit = min(min(costs.values()) + COST_SLACK, MAX_PATH)
        near = {t for t in actions if costs[t.i] <= limit}
        # A relative clause on the vendor's product or on the agency states one more action of the two:
        # "Palantir's software, which the agency has licensed since 2014"; "the RCMP, which had used the tool".
        near |= {t for t in actions if t.dep_ == "relcl" and t.head.i in described}
        near |= {t for t in actions if _unnamed_user(t, own, ours, agency_tokens)}
        chosen = sorted({_governing(t) for t in near}, key=lambda t: (PRECEDENCE[_action(t) or "uses"], t.i))
        for action in chosen:
            if _unreal(action) or _denied(action) or _other_actor(action, own, ours - own):
                continue
            ident, agency = min(agency_spans, key=lambda pair: _nearest(pair[1], action)[0])
            if any(t.dep_ == "prep" and EXCLUDING.fullmatch(t.text) for t in agency[-1].ancestors):
                continue  # "customers outside law enforcement"
            name = _action(action) or "uses"
            named = [(i, s) for i, s in agency_spans if s is agency or _coordinated(s.root, agency.root)]
            way = _path(subject, action) + _path(action, _nearest(agency, action)[1]) + _clause(action)
            vendor_or_agency_ban = name == "bans" and _ban_by_subject(action, ours | agency_tokens)
            negation = _negation(way) if name != "bans" else None
            if negation == "none":
                continue
            stopped = name != "bans" and (negation == "halts" or any(_action(t) == "halts" for t in way))
            if vendor_or_agency_ban or stopped:
                name = "halts"
            for ident, agency in named:  # "sold subscriptions to the FBI and to CBP": one relation each
                relation = Relation(vendor=mention.vendor, product=mention.product,
                                    agency=_agency_name(agency, ident, mentions), action=name, sentence=sentence)
                if relation not in found:
                    found.append(relation)
    return found


def find_relations(doc: Doc, lexicon: Lexicon, parser: Language) -> list[Relation]:
    """Relations stated in the sentences of ``doc`` (its entities from the lexicon matcher), each candidate
    sentence parsed by ``parser``."""
    vendor_ids = frozenset(str(row["id"]) for row in lexicon.entity_patterns if row["label"] == "VENDOR")
    # An agency the lexicon marks as not law enforcement (a standards body, a regulator) relates nothing here.
    elsewhere = {str(row["id"]) for row in lexicon.entity_patterns if row.get("law_enforcement") is False}
    whole = doc_text(doc)
    found: list[Relation] = []
    for sent in doc.sents:
        if len(sent) > MAX_SENTENCE_TOKENS:
            continue
        ents = [e for e in doc.ents if e.start >= sent.start and e.end <= sent.end and e.kb_id_ not in elsewhere]
        spans = [(e.label_, e.kb_id_ or e.text, e.start_char - sent.start_char, e.end_char - sent.start_char)
                 for e in ents if e.label_ in ("VENDOR", "PRODUCT")]
        if not spans:
            continue
        text = whole[sent.start_char: sent.end_char]
        agencies = [(e.kb_id_ or e.text, e.start_char - sent.start_char, e.end_char - sent.start_char)
                    for e in ents if e.label_ == "AGENCY"]
        if not agencies:
            taken = [(a, b) for _, _, a, b in spans]
            for cue in lexicon.le_agencies:
                for match in cue.pattern.finditer(text):
                    if not any(a < match.end() and match.start() < b for a, b in taken):
                        agencies.append((match.group(0), match.start(), match.end()))
        if agencies:
            found += relations_in(parser(text), spans, agencies, vendor_ids)
    return found


def gold_key(row: dict[str, str | None]) -> tuple[str, str | None]:
    """What a gold relation is compared by: its action and its product (or vendor when none is named)."""
    return str(row["action"]), row.get("product") or row.get("vendor")


def found_key(relation: Relation) -> tuple[str, str | None]:
    """:func:`gold_key` for an extracted relation."""
    return relation.action, relation.product or relation.vendor


def score_relations(gold: Sequence[Sequence[dict[str, str | None]]], found: Sequence[Sequence[Relation]]
                    ) -> tuple[int, int, int]:
    """True positives, extracted and expected relation counts over passages. A relation is its action and
    its product (or vendor when no product is named); the agency is not compared: gold writes it as the text
    says ("police departments"), the extractor as the lexicon names it."""
    hits = extracted = expected = 0
    for want, got in zip(gold, found, strict=True):
        w = {gold_key(r) for r in want}
        g = {found_key(r) for r in got}
        hits += len(w & g)
        extracted += len(g)
        expected += len(w)
    return hits, extracted, expected
