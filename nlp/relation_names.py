"""Who a sentence names, for the relation rules (:mod:`nlp.relations`): agencies found by a cue word and
the name each is stored under, what a sentence refers back to in the one before it ("the company", "the
force", "deputies", "it"), and the vendors and products of a parsed sentence as groups of words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from nlp.lexicon import Lexicon
from nlp.relation_words import (
    AGENCY_REFERENCE,
    AGENCY_TAIL,
    CAPITALISED_RUN,
    JOINING_WORDS,
    KIND_OF,
    MORE_AGENCIES,
    PRONOUN_REFERENCE,
    STAFF,
    VENDOR_HOMES,
    VENDOR_REFERENCE,
)
from store import Relation

# Words a capitalised agency name may hold in lower case ("Department of Public Safety").
NAME_JOINERS = {"of", "and", "for", "the", "'s", "&", ","}
Place = tuple[str, int, int]  # a name (id or words) and where it stands in the sentence


def cue_agencies(text: str, lexicon: Lexicon, taken: list[tuple[int, int]], headline: bool) -> list[Place]:
    """Agencies the lexicon's cue words find in a sentence whose matcher named none, each with the words that
    complete its name ("the Harlan County Sheriff", "the sheriff's office"), a match inside a longer one
    dropped; not over ``taken`` (a vendor's name)."""
    found: list[Place] = []
    for pattern in [*(cue.pattern for cue in lexicon.le_agencies), MORE_AGENCIES]:
        for match in pattern.finditer(text):
            if KIND_OF.match(text, match.end()):
                continue  # "a maker of real-time crime center software", "police technology": a kind of thing
            if not any(a < match.end() and match.start() < b for a, b in taken):
                start = match.start() if headline else name_start(text, match.start(), taken)
                tail = AGENCY_TAIL.match(text, match.end())
                end = tail.end() if tail else match.end()
                found.append((text[start:end], start, end))
    # "national police" and its "police": the longer match names the agency
    return [(name, a, b) for name, a, b in found
            if not any(c <= a and b <= d and d - c > b - a for _, c, d in found)]


def name_start(text: str, start: int, taken: list[tuple[int, int]]) -> int:
    """Where the name of an agency word ends its run of capitalised words ("the Harlan County Sheriff",
    "the Merrow Constabulary", "U.S. Immigration and Customs Enforcement"): not over a vendor's name, nor
    over a capitalised word that opens the sentence or joins ("The", "In", "And")."""
    run = CAPITALISED_RUN.search(text[:start])
    if run is None:
        return start
    words = list(re.finditer(r"\S+", run.group(0)))
    while words and (words[0].group(0) in JOINING_WORDS or any(
            a < run.start() + words[0].end() and run.start() + words[0].start() < b for a, b in taken)):
        words.pop(0)
    return run.start() + words[0].start() if words else start


def agency_name(span: Span, ident: str, ours: set[int], headline: bool) -> str:
    """The agency as stored: the lexicon's id; a capitalised name with "of" in it whole ("the Texas Department
    of Public Safety"); or for a pattern match the head noun with its compounds, not over a vendor's tokens
    ``ours`` (a title-case headline otherwise hands over "Microsoft And Amazon Not Letting Police")."""
    if ident and ident != span.text:
        return ident
    words = [t for t in span if t.lower_ != "the" or t.i != span.start]
    if not headline and any(t.lower_ == "of" for t in words) and all(
            t.text[:1].isupper() or t.lower_ in NAME_JOINERS for t in words):
        return span.doc.text[words[0].idx: span.end_char]
    head = span[-1]
    words = [head]
    for t in reversed(span[:-1]):
        if t.i in ours or t.dep_ not in ("compound", "amod", "nmod", "poss", "case", "nummod"):
            break
        words.insert(0, t)
    return span.doc.text[words[0].idx: head.idx + len(head.text)]


def referred(named: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The one vendor or product a sentence named, for a description in the next (a product named with its
    vendor is the product); None when it named none or several."""
    products = {ident for label, ident in named if label == "PRODUCT"}
    vendors = {ident for label, ident in named if label == "VENDOR"}
    if len(products) == 1 and all(next(iter(products)).startswith(v + " ") for v in vendors):
        return "PRODUCT", next(iter(products))
    return ("VENDOR", next(iter(vendors))) if len(vendors) == 1 and not products else None


def owner_of(ident: str, vendors: Iterable[str]) -> str | None:
    """The vendor whose name an id is or begins with ("Amazon Rekognition" is Amazon's), the longest name first."""
    return next((v for v in sorted(vendors, key=len, reverse=True) if ident == v or ident.startswith(v + " ")), None)


def based_in(description: str, named: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The one vendor of several named (a product's vendor for a product) whose home the description names ("the
    Denver-based company", "the Hangzhou-based bidder"); None when no one or more than one is based there."""
    vendors = {owner_of(ident, VENDOR_HOMES) or ident for _, ident in named}
    based = [v for v in vendors if v in VENDOR_HOMES and re.search(rf"\b(?:{VENDOR_HOMES[v]})\b", description)]
    return ("VENDOR", based[0]) if len(based) == 1 else None


def vendor_referred(text: str, named_before: list[tuple[str, str]], taken: Sequence[Place] = ()
                    ) -> tuple[list[tuple[str, str, int, int]], bool]:
    """Where a sentence that names no vendor refers to the one the sentence before named ("the company",
    "the system", "the trial", or "it"), as vendor spans, and whether that is a pronoun (which
    :func:`acted_on` must confirm once the sentence is parsed); not a pronoun already ``taken`` for the
    agency (:func:`pronoun_agency`)."""
    vendor = referred(named_before)
    description = VENDOR_REFERENCE.search(text)
    if vendor is None and description is not None:
        vendor = based_in(description.group(0), named_before)  # "The Denver-based company" of two named
    if vendor is None:
        return [], False
    if description is not None:
        return [(vendor[0], vendor[1], description.start(1), description.end(1))], False
    # "NEC sold NeoFace to the force. Officers have used it 4,000 times."
    spans = [(vendor[0], vendor[1], m.start(), m.end()) for m in PRONOUN_REFERENCE.finditer(text)
             if not any(a == m.start() for _, a, _ in taken)][:1]
    return spans, bool(spans)


def opens_with_agency(text: str, agencies: Sequence[Place], vendors: Sequence[tuple[str, str, int, int]]) -> bool:
    """Whether a sentence's first words name its agency, its subject as a rule ("The Secret Service bought
    ...", "Troopers with the state patrol ran ..."): nothing before the agency but "The" and capitalised words,
    and no vendor."""
    start = min((a for _, a, _ in agencies), default=None)
    if start is None or any(a < start for _, _, a, _ in vendors):
        return False
    return all(word in JOINING_WORDS or word[:1].isupper() for word in text[:start].split())


def pronoun_agency(text: str, agencies: Sequence[Place], named_before: list[str], opened: bool) -> list[Place]:
    """"It" or "They" opening a sentence that names no agency, when the sentence before opened with its one
    agency (:func:`opens_with_agency`): the subject goes on ("The Secret Service bought four Cellebrite
    licences. It used them to unlock phones"); as an object "it" is more often the product."""
    found = re.match(r"\s*(It|They)\b", text)
    if agencies or not opened or len(set(named_before)) != 1 or found is None:
        return []
    return [(named_before[0], found.start(1), found.end(1))]


def agency_referred(text: str, agencies: list[Place], named_before: list[str]) -> list[Place]:
    """The one agency the sentence before named, where this sentence names none or only its staff ("the
    force", "the department", "officers", "deputies"); empty when it does not refer back."""
    staff = bool(agencies) and all(STAFF.fullmatch(name) for name, _, _ in agencies)
    # "Troopers with the Nebraska State Patrol ran ...": the staff are the agency's
    named_before = [name for name in named_before if not STAFF.fullmatch(name)] or named_before
    if not (staff or not agencies) or len(set(named_before)) != 1:
        return []
    return [(named_before[0], m.start(m.lastindex or 1), m.end(m.lastindex or 1))
            for m in AGENCY_REFERENCE.finditer(text)][:1]


def acted_on(parsed: Doc, start: int) -> bool:
    """Whether the word at character ``start`` is an action's object, or its subject in the passive: a
    pronoun stands for the thing the sentence before named only so ("bought it"); as a subject it is more
    often the agency ("The force said it would stop")."""
    span = parsed.char_span(start, start + 1, alignment_mode="expand")
    return span is not None and span.root.dep_ in ("dobj", "pobj", "nsubjpass")


def stated(relation: Relation) -> tuple[str | None, str | None, str, str]:
    """What a relation says, whatever its sentence ("police" and "Police" are one agency)."""
    return relation.vendor, relation.product, (relation.agency or "").lower(), relation.action


@dataclass(frozen=True)
class Mention:
    """A vendor or product named in the parsed sentence (a product brings its vendor when its id starts with
    the vendor's)."""

    vendor: str | None
    product: str | None
    tokens: tuple[int, ...]


def mentions_in(parsed: Doc, spans: Sequence[tuple[str, str, int, int]], vendor_ids: frozenset[str]) -> list[Mention]:
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
        vendor = owner_of(product, vendor_ids)
        if owner is not None:
            used.add(owner)
            vendor, tokens = vendors[owner][0], tokens + vendors[owner][1]
        found.append(Mention(vendor, product, tokens))
    found += [Mention(v, None, tokens) for k, (v, tokens) in enumerate(vendors) if k not in used]
    return found


def coordination_head(parsed: Doc, mention: Mention) -> Token:
    """The mention's highest word in the parse, or the first of a list it is in ("IBM, Microsoft and Amazon")."""
    top = min((parsed[i] for i in mention.tokens), key=lambda t: len(list(t.ancestors)))
    while top.dep_ == "conj" and top.head is not top:
        top = top.head
    return top
