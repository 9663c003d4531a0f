"""Proposals in a proxy statement (DEF 14A, DEFR14A, PRE 14A): number, title, kind, the board's
recommendation, the proponent and the text (WHEREAS / RESOLVED / supporting and opposing statements).

Input is the text of :func:`crawler.edgar.text.filing_text`. A proposal starts at a heading line such
as "ITEM 6—SHAREHOLDER PROPOSAL ...", "Proposal No. 4: Stockholder Proposal Regarding ...",
"PROPOSAL FIVE – ...", a bare "PROPOSAL 4" over its title, or a title over "(Proposal No. 1)" (fund
proxies). It runs to the next heading or to a section that is no proposal's ("OTHER MATTERS",
"EXECUTIVE COMPENSATION", an appendix...). The notice and the table of contents list the same items
again; the longest section of each number is kept (the proposal itself, not its mention). A summary
table in the notice ("Item | Matter | Board Recommendation") fills recommendations the body leaves unsaid
and names ballot items whose body is absent (their text is then empty).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

WORDS = {w: str(n) for n, w in enumerate(
    ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN", "ELEVEN", "TWELVE", "THIRTEEN",
     "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN", "NINETEEN", "TWENTY"], start=1)}
_NUM = r"(\d{1,2}|" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
_LEAD = r"^(?:ITEM|PROPOSAL|AGENDA ITEM|MATTER)\s*(?:NO\.?|NUMBER|#)?\s*" + _NUM
HEADING = re.compile(_LEAD + r"\s*[:.\-–—]\s*(?!\d)(.{3,300})$", re.I)
HEADING_NO_SEPARATOR = re.compile(_LEAD + r"\s+([A-Z][^.]{3,200})$", re.I)
HEADING_BARE = re.compile(_LEAD + r"\s*[:.]?$", re.I)
# Fund proxies put the number under the title: "Election of Trustees" then "(Proposal No. 1)".
NUMBER_BELOW = re.compile(
    r"^\((?:Proposal|Item)\s*(?:No\.?)?\s*" + _NUM + r"(?:\s+on\s+(?:the|your)\s+proxy\s+card)?\)$", re.I)
# Sections that belong to no proposal: a proposal's text stops at them.
_END_NAMES = (
    r"OTHER (?:MATTERS|BUSINESS)", r"(?:SHAREHOLDER|STOCKHOLDER|SHAREOWNER) PROPOSALS? (?:AND DIRECTOR NOMINATIONS )?"
    r"FOR (?:THE )?(?:NEXT|\d{4})", r"(?:DEADLINE|SUBMISSION)S? (?:FOR|OF) (?:SHAREHOLDER|STOCKHOLDER)",
    r"EXECUTIVE COMPENSATION", r"COMPENSATION DISCUSSION AND ANALYSIS", r"DIRECTOR COMPENSATION",
    r"SECURITY OWNERSHIP", r"BENEFICIAL OWNERSHIP", r"AUDIT COMMITTEE REPORT", r"REPORT OF THE AUDIT COMMITTEE",
    r"CORPORATE GOVERNANCE", r"QUESTIONS AND ANSWERS", r"GENERAL INFORMATION", r"ADDITIONAL INFORMATION",
    r"HOUSEHOLDING", r"ANNUAL REPORT", r"APPENDIX\b", r"ANNEX\b", r"EXHIBIT\b", r"SOLICITATION OF PROXIES",
    r"INFORMATION ABOUT THE (?:ANNUAL )?MEETING", r"CERTAIN RELATIONSHIPS", r"DELINQUENT SECTION 16",
    r"SECTION 16\(A\)", r"WHERE YOU CAN FIND", r"(?:SHAREHOLDER|STOCKHOLDER) PROPOSALS\s*$",
)
ENDS = re.compile(r"^(?:" + "|".join(_END_NAMES) + ")", re.I)
SHAREHOLDER = re.compile(r"\b(?:shareholder|stockholder|shareowner|shareowner)s?['’]?\s+proposal", re.I)
SHAREHOLDER_BODY = re.compile(
    r"\b(?:shareholder|stockholder|shareowner)s?['’]?\s+proposal|\bproponents?\b|"
    r"(?:notified|advised|informed) (?:us|the Company)[^.]{0,80}intends? to (?:present|submit)|"
    r"submitted the following (?:shareholder |stockholder )?proposal", re.I)
_VOTE = r"[\"“”'‘’]?(FOR|AGAINST)\b"
RECOMMENDATION = (
    re.compile(r"\b(?:board|directors)\b[^.]{0,120}?\brecommends?\b[^.]{0,80}?" + _VOTE, re.I | re.S),
    re.compile(r"\b(?:board|directors)['’]?s?\s+recommendation\s*[:\-–—]?\s*(?:vote\s+)?" + _VOTE, re.I),
    re.compile(r"\brecommendation of the board\b[^.]{0,40}?" + _VOTE, re.I),
)
_NAME = r"([A-Z][^,;()\n“”\"]{2,100}?)"
PROPONENT = (
    re.compile(r"(?:submitted|filed|presented|sponsored|proposed|advanced)\s+(?:to us\s+)?by\s+(?:the\s+)?" + _NAME
               + r"(?:,|;| \(| who| which| that| whose| located| on behalf|\.\s|\.$| as (?:lead|the))", re.M),
    re.compile(r"^(?:We have been (?:notified|advised) (?:that|by) )?" + _NAME + r"(?:,| \()[^\n]{0,300}?"
               r"(?:has notified|has advised|intends to present|has submitted|is the beneficial owner|"
               r"beneficially owns?|has informed|is the proponent)", re.M),
    re.compile(r"\bproponent (?:is|of this proposal is)\s+(?:the\s+)?" + _NAME + r"(?:,|;| \(|\.\s|\.$)", re.M),
)
MONTH_DATE = r"((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4})"
MEETING = (
    re.compile(r"(?:annual|special) meeting[^.]{0,160}?(?:will be held|to be held|held|is scheduled)\s+(?:on\s+)?"
               r"(?:\w+day,\s+)?" + MONTH_DATE, re.I),
    re.compile(r"(?:annual|special) meeting(?: date)?\s*[:\-–—|]\s*(?:\w+day,\s+)?" + MONTH_DATE, re.I),
    re.compile(r"(?:meeting date|date of (?:the )?meeting|^date(?: and time)?)\s*[:\-–—|]?\s*(?:\w+day,\s+)?"
               + MONTH_DATE, re.I | re.M),
    # The notice's heading, then a line with the date: "9:00 am, Pacific Time, Wednesday, May 27, 2020".
    re.compile(r"NOTICE OF [^\n]{0,60}MEETING[^\n]{0,60}\n+(?:[^\n]{0,80}\n+)?[^\n]{0,60}?" + MONTH_DATE, re.I),
    re.compile(r"(?:annual|special) meeting[^.]{0,200}?\bon\s+(?:\w+day,\s+)?" + MONTH_DATE, re.I),
)
MANAGEMENT_TITLES = re.compile(r"election of (?:directors|trustees)|ratif|auditor|accounting firm|"
                               r"executive compensation|say[- ]on[- ]pay|frequency", re.I)


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
        """The ``parse-filing`` row of a proposal."""
        return asdict(self)


def _number(raw: str) -> str:
    return WORDS.get(raw.upper(), raw.lstrip("0") or raw)


def _title(raw: str) -> str:
    raw = re.sub(r"\s*\|\s*", " ", raw)
    raw = re.sub(r"(?:\s*\.{3,}\s*|\s+)(?:\d{1,3}|[A-Z]-\d{1,2})$", "", raw)  # a page number from a contents list
    title = " ".join(raw.split()).strip(" .:-–—")
    title = re.sub(r"\s*\((?:continued|cont'd)\)$", "", title, flags=re.I)
    return title.title() if title.isupper() else title


def recommendation(text: str) -> str | None:
    """The board's recommendation ("FOR" / "AGAINST") stated in ``text``, if any."""
    found = [m for m in (p.search(text) for p in RECOMMENDATION) if m]
    return min(found, key=lambda m: m.start()).group(1).upper() if found else None


def proponent(text: str) -> str | None:
    """Who submitted a shareholder proposal, when its text names them."""
    for pattern in PROPONENT:
        found = pattern.search(text[:4000])
        if found:
            name = found.group(1).strip()
            if not re.match(r"(?:a|an|one|certain|the following|shareholders?|stockholders?|us|our)\b", name, re.I):
                return name
    return None


# Lines that can be headings at all; the full patterns run only on these (a long proxy has ~70,000 lines).
_CANDIDATE = re.compile(r"\(?(?:ITEM|PROPOSAL|AGENDA|MATTER)", re.I)


def _headings(lines: list[str]) -> list[tuple[int, str, str]]:
    """``(line index, number, title)`` of every proposal heading."""
    heads: list[tuple[int, str, str]] = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        if len(line) > 320 or not _CANDIDATE.match(line):
            continue
        flat = re.sub(r"\s*\|\s*", " ", line) if line.count(" | ") <= 2 else line
        prose = re.search(r"\b(?:is|are|was|will|would|and)\b", flat)
        if (match := HEADING.match(flat)) or (not prose and (match := HEADING_NO_SEPARATOR.match(flat))):
            heads.append((i, _number(match.group(1)), match.group(2)))
        elif match := HEADING_BARE.match(flat):
            following = next((lines[j].strip() for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()), "")
            if 3 <= len(following) <= 250 and not following.endswith("."):
                heads.append((i + 1 if following else i, _number(match.group(1)), following))
        elif (below := NUMBER_BELOW.match(flat)) and i > 0:
            previous = next((lines[j].strip() for j in range(i - 1, max(i - 4, -1), -1) if lines[j].strip()), "")
            heads.append((i, _number(below.group(1)), previous))
    return heads


def _summary(lines: list[str]) -> dict[str, tuple[str, str | None]]:
    """Ballot items listed in a notice table: ``number -> (title, recommendation)``."""
    found: dict[str, tuple[str, str | None]] = {}
    for line in lines:
        if " | " not in line or not (line[:1].isdigit() or _CANDIDATE.match(line)):
            continue
        cells = [c.strip() for c in line.split(" | ")]
        if len(cells) >= 2 and re.fullmatch(r"(?:(?:Item|Proposal)\s*(?:No\.?)?\s*)?\d{1,2}\.?", cells[0], re.I) \
                and re.search(r"[a-z]{3}", cells[1]) and len(cells[1]) < 400:
            vote = next((m.group(1).upper() for c in cells[2:] if (m := re.match(r"(FOR|AGAINST)\b", c, re.I))), None)
            number = re.sub(r"\D", "", cells[0]).lstrip("0")
            found.setdefault(number, (cells[1], vote))
    return found


def _kind(title: str, body: str) -> str:
    if SHAREHOLDER.search(title) or (not MANAGEMENT_TITLES.search(title) and SHAREHOLDER_BODY.search(body[:1200])):
        return "shareholder"
    return "management"


def parse_proposals(text: str) -> list[Proposal]:
    """Every proposal of a proxy statement, in number order."""
    lines = text.splitlines()
    heads = _headings(lines)
    best: dict[str, Proposal] = {}
    for n, (i, number, raw_title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        # "(Proposal No. 2)" sits under its title: the previous section ends before that title line.
        if n + 1 < len(heads) and NUMBER_BELOW.match(lines[end].strip()):
            end = max(i + 1, end - 1)
            while end > i + 1 and not lines[end].strip():
                end -= 1
        kept: list[str] = []
        for line in lines[i + 1:end]:
            if ENDS.match(line.strip()) and len(line) < 120 and kept:
                break
            if not re.fullmatch(r"\d{1,3}|[A-Z]-\d{1,2}", line.strip()):  # page numbers
                kept.append(line)
        body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
        title = _title(raw_title)
        kind = _kind(title, body)
        proposal = Proposal(number, title, kind, recommendation(body),
                            proponent(body) if kind == "shareholder" else None, body)
        if number not in best or len(body) > len(best[number].text):
            best[number] = proposal
    for number, (title, vote) in _summary(lines).items():
        if number in best:
            if best[number].board_recommendation is None:
                best[number].board_recommendation = vote
        elif number.isdigit() and best:
            best[number] = Proposal(number, _title(title), _kind(title, ""), vote, None, "")
    return [best[k] for k in sorted(best, key=int)]


def mentioned_proposals(text: str, form: str) -> list[Proposal]:
    """The ballot items an exempt solicitation (PX14A6G/N) or additional material (DEFA14A) argues about:
    "Vote FOR Item 6 (Ban on Government Use ...)", "Proposal No. 4". Their text is the lines naming them."""
    found: dict[str, Proposal] = {}
    pattern = re.compile(r"\b(?:Item|Proposal)s?\s*(?:No\.?|Number|#)?\s*(\d{1,2})\b(?!\.\d)(?:\s*\(([^)]{3,200})\))?",
                         re.I)
    named_by = re.search(r"NAME OF PERSON(?:\(S\))? RELYING ON EXEMPTION:?\s*\|?\s*(.+)", text, re.I)
    lines = text.splitlines()
    for line in lines:
        for match in pattern.finditer(line):
            number, title = match.group(1), match.group(2)
            proposal = found.get(number)
            if proposal is None:
                proposal = found[number] = Proposal(number, "", "shareholder", None, None, "")
            if title and not proposal.title:
                proposal.title = _title(title)
            if line not in proposal.text:
                proposal.text = (proposal.text + "\n\n" + line).strip()
    for proposal in found.values():
        if MANAGEMENT_TITLES.search(proposal.title) or (form == "DEFA14A" and not SHAREHOLDER.search(proposal.text)
                                                       and not re.search(r"proponent", proposal.text, re.I)):
            proposal.kind = "management"
        if form == "DEFA14A":
            vote = re.search(r"\b(?:board|directors)\b[^.]{0,160}?\brecommends?\b[^.]{0,40}?" + _VOTE + r"[^.]{0,12}?\b"
                             r"(?:Item|Proposal)s?\s*(?:No\.?)?\s*" + proposal.number + r"\b", text, re.I | re.S)
            proposal.board_recommendation = vote.group(1).upper() if vote else recommendation(proposal.text)
        else:
            proposal.proponent = named_by.group(1).strip() if named_by else None
    return [found[k] for k in sorted(found, key=int)]


def meeting_date(text: str) -> str | None:
    """The meeting's date as ISO 8601 ("2019-05-22"), if the statement gives one."""
    # "10:00 a.m." and "Northwind, Inc." end no sentence.
    text = re.sub(r"\b([ap])\.m\.|\b(Inc|Corp|Co|Ltd|No|St)\.", r"\1\2", text[:200_000], flags=re.I)
    for pattern in MEETING:
        found = pattern.search(text)
        if found:
            written = re.sub(r"\s+", " ", found.group(1).replace(".", ""))
            for fmt in ("%B %d, %Y", "%b %d, %Y"):
                try:
                    return dt.datetime.strptime(written.replace("Sept ", "Sep "), fmt).date().isoformat()
                except ValueError:
                    continue
    return None
