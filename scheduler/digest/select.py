"""Choosing what goes into a digest: mentions first seen in the period, grouped by label, filings in a
section of their own, and nothing that an earlier digest already carried."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlite_utils

import store
from scheduler.digest.period import Period

LABEL_TITLES = {
    "facial_recognition": "Face recognition",
    "law_enforcement": "Law enforcement",
    "civil_rights": "Civil rights",
}
FILINGS = "filings"
# What each form is to a reader of the digest (SEC form names are facts; the wording is ours).
FORM_NAMES = {
    "DEF 14A": "proxy statement",
    "DEFR14A": "revised proxy statement",
    "PRE 14A": "preliminary proxy statement",
    "DEFA14A": "company's additional proxy material",
    "PX14A6G": "exempt solicitation",
    "PX14A6N": "exempt solicitation",
    "8-K": "vote results",
}


@dataclass(frozen=True)
class Item:
    """One digest entry: a document, its score for the section's label, and its best evidence."""

    title: str
    url: str
    source_id: str
    kind: str
    date: str
    score_percent: int
    evidence: tuple[tuple[str, bool], ...]  # text segments, True where a matched term is highlighted
    outlets: tuple[str, ...] = ()  # every source that printed this story (near-duplicates collapsed)
    document_ids: tuple[int, ...] = ()  # the shown document and its collapsed near-duplicates
    row_url: str | None = None  # the document's row in Datasette, when serve.base_url is configured
    note: str = ""  # filings: what kind of filing and whose


@dataclass(frozen=True)
class Section:
    """The items of one label."""

    label: str
    title: str
    items: tuple[Item, ...]
    count: int
    previous_count: int


@dataclass(frozen=True)
class Digest:
    """Everything a digest shows, independent of how it is rendered."""

    period: Period
    sections: tuple[Section, ...]

    @property
    def total(self) -> int:
        return len({item.url for section in self.sections for item in section.items})

    @property
    def document_ids(self) -> list[int]:
        """Every document the digest carries, collapsed near-duplicates included."""
        return sorted({i for section in self.sections for item in section.items for i in item.document_ids})


def highlight(sentence: str, terms: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """Split ``sentence`` into segments, flagging those that are matched terms."""
    wanted = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not wanted:
        return ((sentence, False),)
    pattern = re.compile("|".join(re.escape(t) for t in wanted), re.IGNORECASE)
    segments: list[tuple[str, bool]] = []
    last = 0
    for match in pattern.finditer(sentence):
        if match.start() > last:
            segments.append((sentence[last:match.start()], False))
        segments.append((match.group(0), True))
        last = match.end()
    if last < len(sentence):
        segments.append((sentence[last:], False))
    return tuple(segments)


@dataclass(frozen=True)
class Story:
    """Near-duplicate mentions folded into one: the best-scored copy, the outlets, every document id."""

    best: store.Mention
    outlets: tuple[str, ...]
    document_ids: tuple[int, ...]


def collapse(rows: list[store.Mention]) -> list[Story]:
    """One entry per story: near-duplicates (same cluster) become their best-scored copy and its outlets.

    :param rows: one label's mentions, best score first
    """
    out: list[Story] = []
    seen: dict[int, int] = {}
    for mention in rows:
        if mention.cluster_id is not None and mention.cluster_id in seen:
            index = seen[mention.cluster_id]
            story = out[index]
            out[index] = Story(
                story.best,
                tuple(sorted({*story.outlets, mention.source_id})),
                tuple(sorted({*story.document_ids, mention.document_id})),
            )
            continue
        if mention.cluster_id is not None:
            seen[mention.cluster_id] = len(out)
        out.append(Story(mention, (mention.source_id,), (mention.document_id,)))
    return out


def _item(story: Story, row_base: str, note: str = "") -> Item:
    m = story.best
    return Item(
        title=m.title,
        url=m.url,
        source_id=m.source_id,
        kind=m.kind,
        date=(m.published or m.first_seen)[:10],
        score_percent=round(m.score * 100),
        evidence=highlight(m.evidence or "", m.matched_terms),
        outlets=story.outlets,
        document_ids=story.document_ids,
        row_url=f"{row_base}{m.document_id}" if row_base else None,
        note=note,
    )


def _filing_note(mention: store.Mention) -> str:
    form = mention.form or "filing"
    what = FORM_NAMES.get(form.split("/")[0], "filing")
    labels = LABEL_TITLES.get(mention.label, mention.label).lower()
    return f"{form} ({what}) of {mention.company or 'an unnamed filer'}; best label: {labels}"


def select_digest(
    db: sqlite_utils.Database, period: Period, timezone: str, max_items: int, row_base: str = ""
) -> Digest:
    """Build the digest of ``period`` from the store.

    Documents (and near-duplicate stories) that a digest of an earlier period already carried are left
    out, so nobody reads the same item twice.

    :param timezone: the digest's time zone, which bounds the previous week for the comparison
    :param max_items: at most this many items per section
    :param row_base: URL prefix of a document row in Datasette (``…/documents/``), empty for no links
    """
    sent_documents, sent_clusters = store.sent_before(db, period.name)
    current = [
        m for m in store.mentions(db, period.start, period.end)
        if m.document_id not in sent_documents and (m.cluster_id is None or m.cluster_id not in sent_clusters)
    ]
    before = period.previous(timezone)
    earlier = store.mentions(db, before.start, before.end)
    sections = []
    for label, title in LABEL_TITLES.items():
        stories = collapse([m for m in current if m.label == label and m.kind != "filing"])
        previous = len(collapse([m for m in earlier if m.label == label and m.kind != "filing"]))
        items = tuple(_item(story, row_base) for story in stories[:max_items])
        sections.append(Section(label, title, items, len(stories), previous))  # counts are stories
    votes = [v for v in store.vote_results(db, period.start, period.end) if v["document_id"] not in sent_documents]
    sections.append(_filings_section(current, earlier, votes, max_items, row_base))
    return Digest(period=period, sections=tuple(sections))


def _percent(value: object) -> str:
    return f"{100 * float(value):.1f}%" if isinstance(value, int | float) else "n/a"


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else "n/a"


def _vote_item(vote: dict[str, object], row_base: str) -> Item:
    """A face-recognition proposal's vote result, with support counted both ways."""
    title = f"Vote result: {vote['company']} {vote['year']}, item {vote['number']}: {vote['proposal_title']}"
    note = (f"support {_percent(vote['support_for_against'])} of for + against, "
            f"{_percent(vote['support_with_abstain'])} counting abstentions"
            + (f"; proponent {vote['proponent']}" if vote["proponent"] else ""))
    document_id = int(vote["document_id"])  # type: ignore[call-overload]
    return Item(
        title=title, url=str(vote["filing_url"]), source_id=str(vote["source_id"]), kind="filing",
        date=str(vote["filed"] or vote["first_seen"])[:10],
        score_percent=round(float(vote["score"]) * 100),  # type: ignore[arg-type]
        evidence=((f"For {_count(vote['for_votes'])}; against {_count(vote['against_votes'])}; "
                   f"abstain {_count(vote['abstain_votes'])}", False),),
        document_ids=(document_id,),
        row_url=f"{row_base}{document_id}" if row_base else None,
        note=note,
    )


def _filings_section(
    current: list[store.Mention], earlier: list[store.Mention], votes: list[dict[str, object]], max_items: int,
    row_base: str,
) -> Section:
    """New proposals, exempt solicitations, company replies and vote results: the vote results of
    face-recognition proposals first, then one entry per tagged filing document under its best label,
    newest first."""

    def best_per_document(rows: list[store.Mention]) -> list[store.Mention]:
        best: dict[int, store.Mention] = {}
        for m in rows:
            if m.kind == "filing" and (m.document_id not in best or m.score > best[m.document_id].score):
                best[m.document_id] = m
        return sorted(best.values(), key=lambda m: (m.published or m.first_seen, m.document_id), reverse=True)

    vote_documents = {v["document_id"] for v in votes}
    filings = [m for m in best_per_document(current) if m.document_id not in vote_documents]
    items = [_vote_item(v, row_base) for v in votes]
    items += [_item(Story(m, (m.source_id,), (m.document_id,)), row_base, _filing_note(m)) for m in filings]
    return Section(FILINGS, "Filings", tuple(items[:max_items]), len(items), len(best_per_document(earlier)))
