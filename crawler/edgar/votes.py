"""Vote results from an 8-K Item 5.07, in table or prose layouts.

Input is the text of :func:`crawler.edgar.text.filing_text`, where a table row is one line of cells
separated by `` | ``. Layouts read:

- a header row naming the columns (For, Against, Abstain, Withheld, Broker Non-Votes; or 1 Year, 2 Years,
  3 Years, Abstain for a say-on-pay frequency vote) and rows of counts under it; rows under a "Nominee"
  or "Director" header are director elections, one result per nominee;
- one row per count ("Votes For | 1,234"), the matter named by the heading above;
- prose, count first ("41,200,118 shares in favor, 388,004,250 shares against") or label first
  ("For: 41,200,118; Against: 388,004,250").

Counts are whole numbers with or without thousands separators; footnote markers and percentages next to
a count are ignored; a dash means none (0). A row whose required counts are missing (a truncated table)
is dropped, never emitted with gaps that look like zeros.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

# Column names in the order they are tried: the frequency columns first, so "1 Year" is never "For".
COLUMNS = {
    "one_year": re.compile(r"\b(?:1|one)[- ]years?\b", re.I),
    "two_years": re.compile(r"\b(?:2|two)[- ]years?\b", re.I),
    "three_years": re.compile(r"\b(?:3|three)[- ]years?\b", re.I),
    "broker_non_votes": re.compile(r"broker|non-?votes", re.I),
    "withheld": re.compile(r"withh[eo]ld|authority", re.I),
    "against": re.compile(r"against", re.I),
    "abstain": re.compile(r"abstain|abstention", re.I),
    "for": re.compile(r"\bfor\b|in favou?r|\baffirmative\b", re.I),
}
FREQUENCY = ("one_year", "two_years", "three_years")
COUNTS = ("for_", "against", "abstain", "broker_non_votes", "withheld", *FREQUENCY)
NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)"
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_DASH = re.compile(r"[-‐‑‒–—―]+|nil|none", re.I)
# What may sit next to a count: footnote markers "(1)", "*", "†", superscripts, a percentage.
_NOISE = re.compile(r"\(\s*[a-z\d]{1,2}\s*\)|\[\s*\d{1,2}\s*\]|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]|\(?\s*\d+(?:\.\d+)?\s*%\s*\)?", re.I)
_GAP = r"\s+(?:shares\s+|votes\s+)?(?:were\s+)?(?:(?:cast|voted)\s+)?"
PROSE = {
    "one_year": re.compile(NUMBER + r"[^\d,;]{0,40}?\b(?:1|one)[- ]year", re.I),
    "two_years": re.compile(NUMBER + r"[^\d,;]{0,40}?\b(?:2|two)[- ]years", re.I),
    "three_years": re.compile(NUMBER + r"[^\d,;]{0,40}?\b(?:3|three)[- ]years", re.I),
    "for": re.compile(NUMBER + _GAP + r"(?:in favou?r|for)\b(?!\s+(?:1|2|3|one|two|three)[- ]years?)", re.I),
    "against": re.compile(NUMBER + _GAP + r"against", re.I),
    "abstain": re.compile(NUMBER + _GAP + r"(?:abstain\w*|abstentions?)", re.I),
    "withheld": re.compile(NUMBER + _GAP + r"withheld", re.I),
    "broker_non_votes": re.compile(NUMBER + r"\s+broker\s+non-?votes", re.I),
}
_LABEL_SEP = r"\s*(?:[:=\-–—]|were|was)\s*"
LABELLED = {
    "one_year": re.compile(r"\b(?:1|one)[- ]year" + _LABEL_SEP + NUMBER, re.I),
    "two_years": re.compile(r"\b(?:2|two)[- ]years" + _LABEL_SEP + NUMBER, re.I),
    "three_years": re.compile(r"\b(?:3|three)[- ]years" + _LABEL_SEP + NUMBER, re.I),
    "for": re.compile(r"\b(?:votes\s+)?(?:for|in favou?r)" + _LABEL_SEP + NUMBER, re.I),
    "against": re.compile(r"\b(?:votes\s+)?against" + _LABEL_SEP + NUMBER, re.I),
    "abstain": re.compile(r"\b(?:abstain\w*|abstentions?)" + _LABEL_SEP + NUMBER, re.I),
    "withheld": re.compile(r"\b(?:votes\s+)?withheld" + _LABEL_SEP + NUMBER, re.I),
    "broker_non_votes": re.compile(r"\bbroker\s+non-?votes?" + _LABEL_SEP + NUMBER, re.I),
}
# "Proposal No. 2: Advisory vote ...", "Item 3 - ...", or a numbered paragraph "2. The stockholders ..."
# (never "Item 5.07": a digit may not follow the separator).
MATTER = re.compile(
    r"^(?:(?:Proposal|Item|Matter)\s*(?:No\.?|Number)?\s*)?(\d{1,2})\s*[:.\-–—)]\s*(?!\d)(.+)$", re.I
)
MATTER_BARE = re.compile(r"^(?:Proposal|Item|Matter)\s*(?:No\.?|Number)?\s*(\d{1,2})$", re.I)
ROW_NUMBERED = re.compile(r"^(?:(?:Proposal|Item)\s*(?:No\.?)?\s*)?(\d{1,2})\s*[.:)\-–—]?\s+(.+)$", re.I)


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
    one_year: int | None = None
    two_years: int | None = None
    three_years: int | None = None
    short: bool = field(default=False, repr=False, compare=False)  # fewer cells than its table's header

    @property
    def frequency(self) -> bool:
        """A say-on-pay frequency vote (1 / 2 / 3 years), not a for/against matter."""
        return any(getattr(self, name) is not None for name in FREQUENCY)

    def as_json(self) -> dict[str, Any]:
        """The ``parse-filing`` row; the frequency counts are added only to a frequency vote."""
        row = {"number": self.number, "title": self.title, "for": self.for_, "against": self.against,
               "abstain": self.abstain, "broker_non_votes": self.broker_non_votes, "withheld": self.withheld}
        if self.frequency:
            row.update({name: getattr(self, name) for name in FREQUENCY})
        return row

    def counted(self) -> bool:
        """Whether any count was read at all."""
        return any(getattr(self, name) is not None for name in COUNTS)

    def complete(self) -> bool:
        """Whether the counts that every result of its kind reports are there: for a frequency vote all three
        periods; for a director, for and against-or-withheld; for a matter, for and against."""
        if self.frequency:
            return all(getattr(self, name) is not None for name in FREQUENCY)
        return self.for_ is not None and (self.against is not None or self.withheld is not None)


def count(cell: str) -> int | None:
    """A vote count from a table cell or a captured number: ``"1,234,567"``, ``"1,234,567(1)"``,
    ``"—"`` (0); None when the cell holds no count (words, money, a malformed number)."""
    cell = _NOISE.sub(" ", cell.replace("\xa0", " ")).strip()
    if not cell or "$" in cell:
        return None
    if _DASH.fullmatch(cell):
        return 0
    return int(cell.replace(",", "")) if _COUNT.fullmatch(cell) else None


def _column(cell: str) -> str | None:
    return next((name for name, pattern in COLUMNS.items() if pattern.search(cell)), None)


def _set(vote: Vote, column: str, value: int | None) -> None:
    setattr(vote, "for_" if column == "for" else column, value)


def section_507(text: str) -> str:
    """The Item 5.07 part of an 8-K's text (empty when the 8-K has no Item 5.07)."""
    starts = list(re.finditer(r"^\W*Item\s*5\.07\b", text, re.I | re.M)) or list(
        re.finditer(r"Item\s*5\.07", text, re.I))
    if not starts:
        return ""
    # The cover's item list and the body both name the item; the body's heading is the last one.
    start = starts[-1]
    end = re.search(r"\n\W*(Item\s*(?:[6-9]|5\.0[89]|5\.1\d)\.\d\d|SIGNATURES?\b)", text[start.end():], re.I)
    return text[start.start(): start.end() + end.start() if end else len(text)]


def _prose_vote(number: str | None, title: str, body: str) -> Vote | None:
    vote = Vote(number, title)
    frequency = any(PROSE[name].search(body) or LABELLED[name].search(body) for name in FREQUENCY)
    names = (*FREQUENCY, "abstain", "broker_non_votes") if frequency else \
        ("for", "against", "abstain", "withheld", "broker_non_votes")
    for name in names:
        found = PROSE[name].search(body) or LABELLED[name].search(body)
        if found:
            _set(vote, name, count(found.group(1)))
    return vote if vote.complete() else None


def parse_votes(text: str) -> list[Vote]:
    """Every complete vote result in an 8-K's Item 5.07 (pass the whole 8-K text or its 5.07 section)."""
    section = section_507(text) or text
    votes: list[Vote] = []
    columns: list[str] | None = None
    nominees = False
    matter: tuple[str | None, str] = (None, "")
    prose: list[str] = []
    pending: Vote | None = None  # a matter told one count per row
    row_cells: list[str] = []

    def emit(vote: Vote) -> None:
        if vote.short and vote.complete():
            # A row shorter than its header lost cells (a truncated table): keep it only when all it lacks is
            # the broker non-vote column, which filers often leave blank for routine matters.
            missing = [name for name in (columns or [])[len(row_cells):] if name and name != "label"]
            if any(name != "broker_non_votes" for name in missing):
                log.warning("vote row %r of matter %s dropped: fewer cells than its header", vote.title[:60],
                            vote.number)
                return
        if vote.complete():
            votes.append(vote)
        elif vote.counted():
            log.warning("vote row %r of matter %s dropped: its counts are incomplete", vote.title[:60], vote.number)

    def flush() -> None:
        nonlocal pending, prose
        if pending is not None:
            emit(pending)
            pending = None
        elif matter[0] is not None and prose:
            found = _prose_vote(matter[0], matter[1], " ".join(prose))
            if found:
                votes.append(found)
        prose = []

    for raw in section.splitlines():
        line = raw.strip()
        if not line:
            continue
        cells = [c.strip() for c in line.split(" | ")] if " | " in line else [line]
        counts = [count(c) for c in cells]
        named = [_column(c) for c in cells]
        if len(cells) > 1 and sum(n is not None for n in named) >= 2 and not any(c is not None for c in counts):
            # A header row. Its first cell is a row label ("Nominee", "Proposal") unless it names a count.
            labelled = named[0] is None
            columns = ["label", *[n or "" for n in named[1:]]] if labelled else [n or "" for n in named]
            nominees = labelled and bool(re.search(r"nominee|director|name|trustee", cells[0], re.I))
            prose = []
            continue
        if len(cells) == 2 and named[0] and counts[1] is not None and counts[0] is None:
            # "Votes For | 1,234": one count per row for the matter above.
            pending = pending or Vote(matter[0], matter[1])
            _set(pending, named[0], counts[1])
            continue
        if columns and len(cells) > 1 and sum(c is not None for c in counts[1:]) >= 1:
            labelled = columns[0] == "label"
            label = cells[0] if labelled else ""
            values = list(zip(columns[1:], cells[1:], strict=False)) if labelled else list(zip(columns, cells,
                                                                                               strict=False))
            numbered = ROW_NUMBERED.match(label)
            if nominees:
                vote = Vote(matter[0], label)
            elif numbered and label and not re.match(r"\d{1,3},\d{3}", label):
                vote = Vote(numbered.group(1), numbered.group(2))
            else:
                vote = Vote(matter[0], label or matter[1])
            unreadable = [cell for name, cell in values if name and name != "label"
                          and count(cell) is None and re.search(r"\d", cell)]
            if unreadable:
                log.warning("vote row %r of matter %s dropped: unreadable count %r", label[:60], vote.number,
                            unreadable[0])
                continue
            for name, cell in values:
                if name and name != "label":
                    _set(vote, name, count(cell))
            row_cells = cells
            vote.short = len(cells) < len(columns)
            emit(vote)
            prose = []
            continue
        heading = MATTER.match(line)
        bare = MATTER_BARE.match(line)
        if (heading or bare) and len(line) < 400 and not re.match(NUMBER + r"\s", line):
            flush()
            if heading:
                matter = (heading.group(1), " ".join(heading.group(2).split())[:300])
                prose = [heading.group(2)]
            else:
                matter = (bare.group(1) if bare else None, "")
            columns = None
            continue
        if matter[0] is not None and not matter[1]:
            matter = (matter[0], line[:300])  # "Proposal 3" alone, the title on the next line
        prose.append(line)
    flush()
    return votes


def support(vote: Vote) -> tuple[float | None, float | None]:
    """Support as for/(for+against) and as for/(for+against+abstain), rounded to four places.

    Both are None when for or against is unknown or nothing was cast (director results reported as
    for/withheld have no "against", and a frequency vote has no "for").
    """
    if vote.for_ is None or vote.against is None or vote.for_ + vote.against == 0:
        return None, None
    simple = vote.for_ / (vote.for_ + vote.against)
    with_abstain = vote.for_ / (vote.for_ + vote.against + (vote.abstain or 0))
    return round(simple, 4), round(with_abstain, 4)
