"""Which meeting a filing is about, and which proposals a solicitation names.

Proxy statements, exempt solicitations, company replies and 8-K vote results of one annual meeting are
linked by company and meeting year: the meeting date a proxy states, else the period EDGAR records
(``reportDate``, the meeting date for 8-K 5.07 filings), else the year the filing was made. Solicitations
name proposals by number ("Vote FOR Item 6", "Items 6 and 7", "Proposal No. 5").
"""

from __future__ import annotations

import re
from datetime import datetime

NAMED = re.compile(
    r"\b(?:Items?|Proposals?)\s+(?:No\.?\s*|Number\s+|#\s*)?(\d{1,2})((?:\s*(?:,|and|&|or)\s*(?:No\.?\s*)?\d{1,2}\b)*)",
    re.I,
)
FILER = re.compile(r"NAME OF PERSON RELYING ON EXEMPTION:?\s*\|?\s*(.+)", re.I)


def iso_date(text: str | None) -> str | None:
    """``May 22, 2019`` (or ``2019-05-22``) as ``2019-05-22``; None when it is not a date."""
    if not text:
        return None
    text = " ".join(text.replace(",", ", ").split()).replace(" ,", ",")
    for pattern in ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%b. %d, %Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def meeting_year(meeting_date: str | None, report_date: str | None, filing_date: str | None) -> int | None:
    """The year of the meeting a filing is about, from the best date available."""
    for value in (meeting_date, report_date, filing_date):
        if value and re.match(r"\d{4}-\d{2}-\d{2}", value):
            return int(value[:4])
    return None


def named_numbers(text: str) -> tuple[str, ...]:
    """The proposal numbers a solicitation names, in order of first mention ("Items 6 and 7" → 6, 7).

    "Item 5.07" and "Item 1A" are not proposals, so a number followed by "." and a digit, or by a letter,
    does not count.
    """
    found: dict[str, None] = {}
    for match in NAMED.finditer(text):
        after = text[match.end(1):match.end(1) + 2]
        if re.match(r"\.\d|[A-Za-z]", after):
            continue
        found.setdefault(str(int(match.group(1))), None)
        for extra in re.findall(r"\d{1,2}", match.group(2) or ""):
            found.setdefault(str(int(extra)), None)
    return tuple(found)


def solicitation_filer(text: str) -> str | None:
    """The person relying on the exemption, from a PX14A6G cover."""
    match = FILER.search(text[:5000])
    return match.group(1).strip(" |") if match else None
