"""Choosing what goes into a digest: mentions first seen in the period, grouped by label."""

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


def collapse(rows: list[store.Mention]) -> list[tuple[store.Mention, tuple[str, ...]]]:
    """One entry per story: near-duplicates (same cluster) become their best-scored copy and its outlets.

    :param rows: one label's mentions, best score first
    """
    out: list[tuple[store.Mention, tuple[str, ...]]] = []
    seen: dict[int, int] = {}
    for mention in rows:
        if mention.cluster_id is not None and mention.cluster_id in seen:
            index = seen[mention.cluster_id]
            best, outlets = out[index]
            out[index] = (best, tuple(sorted({*outlets, mention.source_id})))
            continue
        if mention.cluster_id is not None:
            seen[mention.cluster_id] = len(out)
        out.append((mention, (mention.source_id,)))
    return out


def select_digest(db: sqlite_utils.Database, period: Period, timezone: str, max_items: int) -> Digest:
    """Build the digest of ``period`` from the store.

    :param timezone: the digest's time zone, which bounds the previous week for the comparison
    :param max_items: at most this many items per label
    """
    current = store.mentions(db, period.start, period.end)
    before = period.previous(timezone)
    earlier = store.mentions(db, before.start, before.end)
    previous = {label: len(collapse([m for m in earlier if m.label == label])) for label in LABEL_TITLES}
    sections = []
    for label, title in LABEL_TITLES.items():
        rows = collapse([m for m in current if m.label == label])
        items = tuple(
            Item(
                title=m.title,
                url=m.url,
                source_id=m.source_id,
                kind=m.kind,
                date=(m.published or m.first_seen)[:10],
                score_percent=round(m.score * 100),
                evidence=highlight(m.evidence or "", m.matched_terms),
                outlets=outlets,
            )
            for m, outlets in rows[:max_items]
        )
        sections.append(Section(label, title, items, len(rows), previous[label]))  # counts are stories
    return Digest(period=period, sections=tuple(sections))
