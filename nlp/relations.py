"""First relations: who (vendor or product) does what (sells, pilots, uses, halts, bans) with which agency.

Read from single sentences of documents tagged both face recognition and law enforcement: a sentence
naming a vendor or product and an agency, parsed by the statistical spaCy model. For each vendor or product
named (``IBM, Microsoft and Amazon`` are three), the action words that best connect it with an agency in
the parse tree are its actions ("tested ... then let the trial lapse" is a pilot and a halt), and the words
around them change them:

- a ban or halt above the action takes it over ("banned police use", "a moratorium on police use"), but a
  pilot it ended took place ("ended its Palantir pilot" is a pilot and a halt), and so did one an action
  followed ("after a pilot, the department bought ...");
- a use word whose object is a pilot ("ran a six-month pilot", "a trial was run by") is that pilot; a use
  word sold ("offers face search") is no use;
- a refusal or a negation on the way makes it ``halts`` ("said it will stop letting police use", "will not
  sell", "no longer sells", "walked away from the pilot"); a negated past is a denial, no relation ("has
  not sold", "never used", "has no contract with");
- a company or a department that "bans" or "bars" police use of its own product or by its own officers
  ``halts`` (also through a pronoun: "Amazon said it would keep its ban"); ``bans`` is a government's (a
  council, a legislature, a court) or a ban whose author the sentence does not name;
- a demand, proposal, advice, plan, question, attempt, worry, imagining, condition ("would sell if asked") or
  forecast above the action means nothing happened yet: no relation ("activists urged Amazon to stop
  selling", "the board is asked to prohibit sales", "would be concerned if police used", "analysts bet
  more departments will buy"); so does a denied or rejected clause ("Amazon denied a report that ICE uses
  Rekognition", "rejected suggestions that it was still used"), while a denied use ("again denies police
  use") ``halts``; a refusal to speak ("declined to comment") is no action;
- a title-case headline, which the parser reads badly, is read in word order: a demand or forecast before
  the action governs it, and so does a ban or halt ("Council Bans Police From Using Clearview" is a ban);
- "it" or "them", "the system" or "the software" after the one vendor or product a sentence names stands
  for it ("tested Rekognition before deputies began using it"); a description in the next sentence ("the
  company", "the force", "deputies") for the one vendor, product or agency the sentence before named;
- an action whose object names another vendor is that vendor's ("renewed its Cellebrite licences but
  stopped using Voyager Labs"), and an agency banned in the passive is banned ("police were barred");
- "it" acted on in the next sentence stands for the one vendor or product named before ("Officers have used
  it"), and staff ("officers", "deputies") for the one agency named before;
- a stop a court, council or regulator orders is a ban, and so is use no longer allowed under a government
  ("under the ordinance the department may no longer use it"); not renewing or extending a deal or trial
  stops it; a halt does not govern a verb coordinated with it ("stopped using Clearview AI but will keep
  using Rekognition") nor a relative clause ("replaced a matcher the office had used since 2015"); a passive
  use naming no doer is not the use of an agency in another clause; a leading list marker is not read;
- a pitch or marketing is no sale, and what a complaint says happened is alleged; what a clause in the past
  tells about when something else happened took place ("while the police were already piloting it");
- a switch halts only what it left ("moved from Cognitec to Idemia"); going live, installing and switching
  on are uses; a search on a free trial account is a pilot too, an offered trial is nothing; spending on
  something and winning a contract are sales; a passive done by someone who is neither agency nor vendor
  is not the agency's; a past relative clause or a reason under a request is a fact; a title-case
  headline's parts that name their own vendors have their own actions.

The words these rules read are in :mod:`nlp.relation_words`, the parse-tree readings in
:mod:`nlp.relation_reading`, whether an action took place (demands, denials, negations, who bans) in
:mod:`nlp.relation_facts`, agency names, mentions and what a sentence refers back to in
:mod:`nlp.relation_names`, which action words join a vendor with an agency in :mod:`nlp.relation_actions`.
Twelve written gold sets measure them (:func:`nlp.relation_scoring.score_relations`; figures in ``nlp/README.md``):
``tests/fixtures/relations_written.jsonl`` (the rules and the two path limits were chosen on it),
``relations_heldout.jsonl`` and ``relations_heldout2.jsonl`` (other writers'; their errors read after their
first measurement, session 8 and 11), ``relations_heldout3.jsonl`` (a fourth writer's, session 11, weighted
towards actions told by nouns, passives and pronouns; its errors read after two measurements),
``relations_heldout4.jsonl`` (a fifth writer's, session 11, a third of it told across two sentences; its
errors read in session 12), ``relations_heldout5.jsonl`` (a sixth writer's, session 12, in the way real
coverage prints it; its errors read in session 13), ``relations_heldout6.jsonl`` (a seventh writer's,
session 13: records, lists, references across sentences; its errors read after two rounds),
``relations_heldout7.jsonl`` (an eighth writer's, session 13: forces abroad, filings, change over time; its
errors read after three rounds), ``relations_heldout8.jsonl`` (a ninth writer's, session 13: local news,
investigations, vendor voices, advocacy; its errors read after four rounds), ``relations_heldout9.jsonl``
(a tenth writer's, session 13: immigration, prisons, federal agencies, other technologies; its errors read in
session 14), ``relations_heldout10.jsonl`` (an eleventh writer's, session 14: references across sentences,
intermediaries; its errors read after rules 7) and ``relations_heldout11.jsonl`` (a twelfth writer's, session
14: money, courts, partnerships; its errors not read).

Also (session 14): "It" opening a sentence after one that opened with its agency is that agency; a stop told
with a particle ("switched off", a headline's "Shuts Down"); praise, a vendor's demonstration and a contract
that ran are no use; a deal signed before or after another action is this vendor's; a use during or as part of
a trial is a pilot; a pilot or use still to come ("will begin", "next month", "would like to") is none, a
sale announced in the future is one; a customer that is not the police buys for itself; "bought nothing" is
no sale; a vendor that has not made a product available since a date halts; a description by where a vendor
is based picks out one of several named before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Token

from nlp.components import doc_text
from nlp.lexicon import Lexicon
from nlp.relation_actions import action_words, read_actions
from nlp.relation_facts import (
    ban_by_subject,
    is_denied,
    is_unreal,
    negation_on,
    ordered_by_government,
    permission_withdrawn,
)
from nlp.relation_names import (
    acted_on,
    agency_name,
    agency_referred,
    coordination_head,
    cue_agencies,
    mentions_in,
    opens_with_agency,
    pronoun_agency,
    stated,
    vendor_referred,
)
from nlp.relation_reading import (
    action_of,
    by_other_actor,
    clause_of,
    coordinated_above,
    done_by_other,
    is_switch,
    is_title_case,
    nearest_to,
    on_other,
    passive_elsewhere,
    switched_from,
    switched_to,
    tree_path,
)
from nlp.relation_words import (
    AGENCY_WORDS,
    EXCLUDING,
    GOVERNMENT,
    LIST_MARKER,
    STAFF,
)
from store import Relation

# The rules' version, part of the model version written with tags: raise it when the rules change, and
# `frwatch tag` reads every document again. 1: the first vendor and action word of a sentence (session 7);
# 2: the parse-tree rules (session 8); 3: an action in another clause whose subject stands for the agency,
# "face-matching software" no use, agencies known by their kind, a ban that governs a use the parse hangs
# beside it (session 10); 4: pilots told by nouns, conditions, rejections, headlines in word order, "it" for
# the one product named, a pronoun's ban, passive bans, another vendor's object, descriptions in the next
# sentence (session 11); 5: list markers blanked, "it" acted on and staff in the next sentence, ordered stops
# are bans, coordinated verbs, passives with no doer, ended deals, switches, procurement orders, results as
# uses, bids and claims unreal, agency names with "of" (session 12); 6: pitches and marketing are no sale, a
# past time clause is a fact, not renewing or extending stops, "may no longer" under a government bans,
# "according to the complaint" is alleged, a quoted question, going live, moves and switches read by what they
# left, free trial accounts, proofs of concept, "PD" and criminal bureaus, staff of a named agency, spending
# and winning, offered trials, installs, passives by others, headline parts, reasons and relative clauses as
# facts, forces abroad, later conjuncts, leases, "since", refusals to say (session 13); 7: "It" opening a
# sentence after one that opened with its agency, "off" read as a preposition, praise, demos and a contract that
# ran are no use, a deal signed before or after, agency words before "software", headline particles, trials
# a use was part of, uses still to come, customers that are not the police, "bought nothing", "made available",
# "turned to", vendors by where they are based (session 14).
RELATION_RULES = 7

# A "sentence" longer than this is a table or a run-on list flattened into text, not a statement: it is not
# read for relations (the path search grows with the square of the action words: 800 words took a minute).
MAX_SENTENCE_TOKENS = 100
# Edges between coordinated agencies: "to the FBI and to CBP".
COORDINATION_EDGES = ("conj", "cc", "prep", "pobj", "appos", "dative")


def _coordinated(a: Token, b: Token) -> bool:
    """Whether two words are joined only by coordination ("the FBI and (to) Customs and Border Protection",
    "the Indiana State Police and the Gainesville Police Department")."""
    path = tree_path(a, b)
    edges = [x.dep_ if x.head is y else y.dep_ for x, y in pairwise(path)]
    return "conj" in edges and all(e in COORDINATION_EDGES for e in edges)


def _same_part(vendor: int, action: int, breaks: list[int], ours: set[int]) -> bool:
    """Whether a headline's action word belongs to the vendor: in the same part of it (parts split at
    ``breaks``), or in a later part that names no vendor of its own ("Signs Licence With Clearview, Runs 500
    Searches"; not "Drop Clearview Searches, Keep Cellebrite")."""
    def part(i: int) -> int:
        return sum(b < i for b in breaks)

    mine, its = part(vendor), part(action)
    return its == mine or (its > mine and not any(mine < part(i) <= its for i in ours))


def _names_agency(clause: Token, agency_tokens: set[int]) -> bool:
    """Whether a clause names an agency, a word for one, or a pronoun for one as its subject ("which it
    licensed")."""
    return any(w.i in agency_tokens or AGENCY_WORDS.fullmatch(w.text) or (w.dep_ == "nsubj" and w.lower_ in (
        "it", "they")) for w in clause.subtree)


def relations_in(parsed: Doc, spans: Sequence[tuple[str, str, int, int]], agencies: Sequence[tuple[str, int, int]],
                 vendor_ids: frozenset[str], headline: bool) -> list[Relation]:
    """The relations one parsed sentence states.

    :param spans: vendors and products as (label, id, start, end), character offsets into ``parsed``
    :param agencies: agencies as (id or text, start, end)
    :param headline: the sentence is a title-case headline (:func:`is_title_case`), whose parse is read more
        loosely
    """
    mentions = mentions_in(parsed, spans, vendor_ids)
    sentence = parsed.text.strip()
    ours = {i for m in mentions for i in m.tokens}
    agency_spans = [(ident, s) for ident, a, b in agencies
                    if (s := parsed.char_span(a, b, alignment_mode="expand")) is not None]
    actions = [t for t in parsed if t.i not in ours and action_of(t)]
    if parsed.text.rstrip().rstrip("'\"\u2019\u201d").endswith("?") or not agency_spans or not actions:
        return []  # a question states nothing
    agency_tokens = {t.i for _, span in agency_spans for t in span}
    found: list[Relation] = []
    heads = {id(m): coordination_head(parsed, m) for m in mentions}
    # where a title-case headline starts another action: a comma, a semicolon or "but" not inside a list of
    # vendors ("IBM, Microsoft And Amazon ..." is one subject)
    breaks = [t.i for t in parsed[:-1] if t.lower_ in (",", ";", "but") and t.i + 1 not in ours] if headline else []
    for mention in mentions:
        subject = heads[id(mention)]  # "IBM, Microsoft and Amazon": as IBM
        own = set(mention.tokens)
        # the vendors named in one list with this one act together: none of them is another actor
        listed = {i for m in mentions if heads[id(m)] is subject for i in m.tokens}
        near = action_words(subject, own, ours, actions, agency_spans)
        chosen, ended = read_actions(near, headline)
        for action in chosen:
            if is_unreal(action, headline) or is_denied(action) or by_other_actor(action, own, ours - own):
                continue
            if action.dep_ == "relcl" and action.head.i not in agency_tokens and not _names_agency(
                    action, agency_tokens):
                continue  # on the vendor, a relative clause naming no agency: "Trueface, whose software runs on
                #           kiosks at a mall, said the police had asked for a demonstration"
            if headline and not _same_part(subject.i, action.i, breaks, ours):
                continue  # "Police Drop Clearview Searches, Keep Cellebrite": the drop is not Cellebrite's
            if not headline and on_other(action, own, ours - listed):
                continue
            ident, agency = min(agency_spans, key=lambda pair: nearest_to(pair[1], action)[0])
            # "Troopers with the Nebraska State Patrol", "officers of the Riverton Police Department": the agency
            ident, agency = next(((i, s) for i, s in agency_spans if STAFF.fullmatch(agency.text)
                                  and s.root.i in {t.i for t in agency.root.subtree} and s is not agency),
                                 (ident, agency))
            if done_by_other(action, ours | agency_tokens):
                continue  # "Cognitec said its software was installed by a supermarket chain, ... not the police"
            if not headline and passive_elsewhere(action, agency):
                continue  # "it recommends police use a threshold ..., and it noted that Rekognition was used to ..."
            if any(t.dep_ in ("prep", "agent") and (EXCLUDING.fullmatch(t.text) or any(
                    c.dep_ == "neg" for c in t.children)) for t in agency[-1].ancestors):
                continue  # "customers outside law enforcement", "evaluated by a lab, not by any police agency"
            name = action_of(action) or "uses"
            named = [(i, s) for i, s in agency_spans if s is agency or _coordinated(s.root, agency.root)]
            way = tree_path(subject, action) + tree_path(action, nearest_to(agency, action)[1]) + clause_of(action)
            vendor_or_agency_ban = name == "bans" and ban_by_subject(action, ours | agency_tokens)
            negation = negation_on(way) if name != "bans" and action not in ended else None
            if negation == "none":
                continue
            # A halt the action is a later conjunct of does not govern it ("stopped using Clearview but will
            # keep using Rekognition"): the two verbs share the agency, not the stop.
            beside = coordinated_above(action)
            stopped = name != "bans" and action not in ended and (
                negation == "halts" or any(action_of(t) == "halts" and t.i not in beside for t in way))
            if vendor_or_agency_ban or stopped:
                # "under a city ordinance, the department may no longer use it": a ban (a government named
                # outside the agency's own name: "Pell County Sheriff's Office" names none)
                ordered = ordered_by_government(action) or (permission_withdrawn(action) and any(
                    GOVERNMENT.fullmatch(t.text) for t in parsed if t.i not in agency_tokens))
                name = "bans" if stopped and ordered else "halts"
            if switched_to(action, own) and negation is None:
                name = "uses"  # "swapped ShotSpotter for Flock": Flock is what the agency uses now
            elif is_switch(action) and not switched_from(action, own):
                continue  # the switch neither left nor took up this vendor
            for ident, agency in named:  # "sold subscriptions to the FBI and to CBP": one relation each
                relation = Relation(vendor=mention.vendor, product=mention.product,
                                    agency=agency_name(agency, ident, ours, headline), action=name,
                                    sentence=sentence)
                if relation not in found:
                    found.append(relation)
    return found


def find_relations(doc: Doc, lexicon: Lexicon, parser: Language) -> list[Relation]:
    """Relations stated in the sentences of ``doc`` (its entities from the lexicon matcher), each candidate
    sentence parsed by ``parser``. A sentence that describes the vendor or the agency the sentence before
    named ("the company", "the system", "the force", "deputies", "it" acted on) is read with the name in its
    place, when that sentence named one (:mod:`nlp.relation_names`)."""
    vendor_ids = frozenset(str(row["id"]) for row in lexicon.entity_patterns if row["label"] == "VENDOR")
    # An agency the lexicon marks as not law enforcement (a standards body, a regulator) relates nothing here.
    elsewhere = {str(row["id"]) for row in lexicon.entity_patterns if row.get("law_enforcement") is False}
    whole = doc_text(doc)
    found: list[Relation] = []
    before: tuple[list[tuple[str, str]], list[str]] = ([], [])  # the last sentence's vendors and agencies
    previous, opened = "", False  # and its text, and whether it opened with its agency
    for sent in doc.sents:
        ents = [e for e in doc.ents if e.start >= sent.start and e.end <= sent.end and e.kb_id_ not in elsewhere]
        spans = [(e.label_, e.kb_id_ or e.text, e.start_char - sent.start_char, e.end_char - sent.start_char)
                 for e in ents if e.label_ in ("VENDOR", "PRODUCT")]
        text = whole[sent.start_char: sent.end_char]
        headline = is_title_case(text)  # a title-case headline's parse is read more loosely (relations_in)
        # A list marker is blanked, not cut, so that offsets into the text still hold.
        unmarked = LIST_MARKER.sub(lambda m: " " * len(m.group()), text, count=1)
        agencies = [(e.kb_id_ or e.text, e.start_char - sent.start_char, e.end_char - sent.start_char)
                    for e in ents if e.label_ == "AGENCY"]
        if not agencies:
            agencies = cue_agencies(text, lexicon, [(a, b) for _, _, a, b in spans], headline)
        named = ([(label, ident) for label, ident, _, _ in spans], [ident for ident, _, _ in agencies])
        opens = opens_with_agency(text, agencies, spans)
        pronoun = False
        subject = pronoun_agency(text, agencies, before[1], opened)
        if not spans:
            spans, pronoun = vendor_referred(text, before[0], subject)
        carried = bool(spans) and not named[0]
        if agencies_before := agency_referred(text, agencies, before[1]) or subject:
            agencies, carried = agencies_before, True
        if spans and agencies and len(sent) <= MAX_SENTENCE_TOKENS:
            parsed = parser(unmarked)
            found_here = [] if pronoun and not acted_on(parsed, spans[0][2]) else relations_in(
                parsed, spans, agencies, vendor_ids, headline)
            # The sentence that names them goes with the one that says what they did, so the evidence reads
            # on its own; what the sentence before already stated is not stated twice.
            if carried:
                said = {stated(r) for r in found if r.sentence == previous}
                found_here = [replace(r, sentence=f"{previous} {r.sentence}") for r in found_here
                              if stated(r) not in said]
            found += found_here
        # a sentence that names nothing leaves nothing to carry
        before, previous, opened = named, unmarked.strip(), opens
    return found
