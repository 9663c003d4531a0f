"""Proposals in a proxy statement (DEF 14A, DEFR14A, PRE 14A): number, title, kind, the board's
recommendation, the proponent and the text (WHEREAS / RESOLVED / supporting and opposing statements).

Input is the text of :func:`crawler.edgar.text.filing_text`. A proposal starts at a heading line such
as "ITEM 6—SHAREHOLDER PROPOSAL ...", "Proposal No. 4: Stockholder Proposal Regarding ..." or
"PROPOSAL 5 - ..." and runs to the next heading. The notice and the table of contents list the same
items again; the longest section of each number is kept (the proposal itself, not its mention).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

HEADING = re.compile(
    r"^(?:ITEM|PROPOSAL|Item|Proposal)\s*(?:NO\.|No\.|NUMBER|Number)?\s*(\d{1,2})\s*[:.\-–—]\s*(?!\d)(.{3,250})$"
)
# Fund proxies put the number under the title: "Election of Trustees" then "(Proposal No. 1)".
NUMBER_BELOW = re.compile(r"^\((?:Proposal|Item)\s*(?:No\.)?\s*(\d{1,2})\)$", re.I)
SHAREHOLDER = re.compile(r"\b(shareholder|stockholder|shareowner)s?\s+proposal", re.I)
RECOMMENDATION = re.compile(
    r"\b(?:board|directors)\b[^.]{0,120}?\brecommends?\b[^.]{0,60}?\b(FOR|AGAINST)\b", re.I | re.S
)
PROPONENT = (
    re.compile(r"(?:submitted|filed|presented|sponsored|proposed) by ([A-Z][^,;()\n]{2,100}?)"
               r"(?:,|;| \(| who| which|\.\s)"),
    re.compile(r"^([A-Z][^,;()\n]{2,100}?)(?:,| \()[^\n]{0,200}?(?:has notified|intends to present|has submitted|"
               r"is the beneficial owner|beneficially own)", re.M),
)
MEETING = re.compile(
    r"(?:annual meeting[^.]{0,120}?(?:will be held|to be held|held)\s+(?:on\s+)?|meeting date:?\s*)"
    r"(?:\w+day,\s+)?([A-Z][a-z]+\s+\d{1,2},\s+\d{4})", re.I,
)


@dataclass
class Proposal:
    """One item put to shareholders."""

    number: str
    title: str
    kind: str
    board_recommendation: str | None
    proponent: str | None
    text: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _title(raw: str) -> str:
    title = " ".join(raw.split()).strip(" .:")
    return title.title() if title.isupper() else title


def parse_proposals(text: str) -> list[Proposal]:
    """Every proposal of a proxy statement, in number order."""
    lines = text.splitlines()
    heads: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        if match := HEADING.match(line.strip()):
            heads.append((i, match.group(1), match.group(2)))
        elif (below := NUMBER_BELOW.match(line.strip())) and i > 0:
            previous = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            heads.append((i, below.group(1), previous))
    best: dict[str, Proposal] = {}
    for n, (i, number, raw_title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        body = "\n".join(lines[i + 1:end]).strip()
        title = _title(raw_title)
        kind = "shareholder" if SHAREHOLDER.search(title) or SHAREHOLDER.search(body[:250]) else "management"
        recommendation = RECOMMENDATION.search(body)
        proponent = None
        if kind == "shareholder":
            for pattern in PROPONENT:
                found = pattern.search(body[:2000])
                if found:
                    proponent = found.group(1).strip()
                    break
        proposal = Proposal(number, title, kind, recommendation.group(1).lower() if recommendation else None,
                            proponent, body)
        if number not in best or len(body) > len(best[number].text):
            best[number] = proposal
    return [best[k] for k in sorted(best, key=int)]


def meeting_date(text: str) -> str | None:
    """The annual meeting's date as written ("May 22, 2019"), if the statement gives one."""
    found = MEETING.search(text)
    return found.group(1) if found else None
