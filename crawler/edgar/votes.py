"""Vote results from an 8-K Item 5.07, in table or prose layouts.

Input is the text of :func:`crawler.edgar.text.filing_text`, where a table row is one line of cells
separated by `` | ``. A header row names the columns (For, Against, Abstain, Withheld, Broker
Non-Votes); rows under a "Nominee" header are director elections, one result per nominee. Matters told
in prose ("1,806,791,973 shares in favor, 508,390,449 shares against ...") are read with patterns.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

COLUMNS = {
    "for": re.compile(r"\b(votes? )?for\b|in favou?r", re.I),
    "against": re.compile(r"against", re.I),
    "abstain": re.compile(r"abstain|abstention", re.I),
    "withheld": re.compile(r"withh[eo]ld", re.I),
    "broker_non_votes": re.compile(r"broker", re.I),
}
NUMBER = r"(\d{1,3}(?:,\d{3})+|\d{4,})"
PROSE = {
    "for": re.compile(NUMBER + r"\s+(?:shares\s+|votes\s+)?(?:were\s+)?(?:cast\s+)?(?:in favou?r|for)\b", re.I),
    "against": re.compile(NUMBER + r"\s+(?:shares\s+|votes\s+)?(?:were\s+)?(?:cast\s+)?against", re.I),
    "abstain": re.compile(NUMBER + r"\s+(?:shares\s+|votes\s+)?(?:abstain\w*|abstentions?)", re.I),
    "withheld": re.compile(NUMBER + r"\s+(?:shares\s+|votes\s+)?withheld", re.I),
    "broker_non_votes": re.compile(NUMBER + r"\s+broker non-votes", re.I),
}
# "Proposal No. 2: Advisory vote ...", "Item 3 - ...", or a numbered paragraph "2. The stockholders ..."
# (never "Item 5.07": a digit may not follow the separator).
MATTER = re.compile(r"^(?:(?:Proposal|Item|Matter)\s*(?:No\.?\s*)?)?(\d{1,2})\s*[:.\-–—)]\s*(?!\d)(.+)$", re.I)
ROW_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(.+)$")


@dataclass
class Vote:
    """One matter's (or one nominee's) counts; missing counts are None."""

    number: str | None
    title: str
    for_: int | None = None
    against: int | None = None
    abstain: int | None = None
    broker_non_votes: int | None = None
    withheld: int | None = None

    def as_json(self) -> dict[str, Any]:
        row = asdict(self)
        row["for"] = row.pop("for_")
        return {k: row[k] for k in ("number", "title", "for", "against", "abstain", "broker_non_votes", "withheld")}


def _int(cell: str) -> int | None:
    digits = re.sub(r"[^\d]", "", cell)
    return int(digits) if digits and re.search(r"\d", cell) and not re.search(r"[A-Za-z]{3,}", cell) else None


def _set(vote: Vote, column: str, value: int | None) -> None:
    setattr(vote, "for_" if column == "for" else column, value)


def section_507(text: str) -> str:
    """The Item 5.07 part of an 8-K's text (the whole text when no heading is found)."""
    start = re.search(r"Item\s*5\.07", text, re.I)
    if not start:
        return text
    end = re.search(r"\n\s*(Item\s*(?:[6-9]|5\.0[89])\.\d\d|SIGNATURES?\b)", text[start.end():], re.I)
    return text[start.start(): start.end() + end.start() if end else len(text)]


def parse_votes(text: str) -> list[Vote]:
    """Every vote result in an 8-K's Item 5.07."""
    votes: list[Vote] = []
    columns: list[str] | None = None
    nominees = False
    matter: tuple[str | None, str] = (None, "")
    prose: list[str] = []

    def flush_prose() -> None:
        if matter[0] is None or not prose:
            return
        body = " ".join(prose)
        found = {name: pattern.search(body) for name, pattern in PROSE.items()}
        if found["for"] and (found["against"] or found["withheld"]):
            vote = Vote(matter[0], matter[1])
            for name, match in found.items():
                _set(vote, name, _int(match.group(1)) if match else None)
            votes.append(vote)

    for raw in section_507(text).splitlines():
        line = raw.strip()
        if not line:
            continue
        cells = [c.strip() for c in line.split(" | ")] if " | " in line else None
        if cells and sum(bool(p.search(c)) for c in cells for p in COLUMNS.values()) >= 2 \
                and not any(_int(c) for c in cells):
            # A header row. Its first cell is a row label ("Nominee", "Item") unless it names a count.
            labelled = not any(p.search(cells[0]) for p in COLUMNS.values())
            names = [next((name for name, p in COLUMNS.items() if p.search(c)), "") for c in cells]
            columns = ["label", *names[1:]] if labelled else names
            nominees = labelled and bool(re.search(r"nominee|director|name", cells[0], re.I))
            continue
        if cells and columns and sum(_int(c) is not None for c in cells) >= 2:
            label = cells[0] if columns[0] == "label" else ""
            numbered = ROW_NUMBERED.match(label)
            if nominees:
                vote = Vote(matter[0], label)
            elif numbered:
                vote = Vote(numbered.group(1), numbered.group(2))
            else:
                vote = Vote(matter[0], label or matter[1])
            for name, cell in zip(columns, cells, strict=False):
                if name and name != "label":
                    _set(vote, name, _int(cell))
            votes.append(vote)
            prose = []
            continue
        heading = MATTER.match(line)
        if heading and len(line) < 300:
            flush_prose()
            matter, prose, columns = (heading.group(1), heading.group(2).strip()[:300]), [], None
            prose.append(heading.group(2))
            continue
        prose.append(line)
    flush_prose()
    return votes


def support(vote: Vote) -> tuple[float | None, float | None]:
    """Support as for/(for+against) and as for/(for+against+abstain)."""
    if vote.for_ is None or vote.against is None or vote.for_ + vote.against == 0:
        return None, None
    simple = vote.for_ / (vote.for_ + vote.against)
    with_abstain = vote.for_ / (vote.for_ + vote.against + (vote.abstain or 0))
    return round(simple, 4), round(with_abstain, 4)
